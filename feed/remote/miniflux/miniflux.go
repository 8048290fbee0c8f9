// Package miniflux is the client of a Miniflux server, through its REST
// API (miniflux.app/v2/client, the Miniflux project's own client, for the
// calls whose answers it decodes safely; entries by hand, see entries.go).
//
// What Miniflux's API gives, and how it is used (checked against Miniflux
// 2.3.5, internal/api and internal/storage):
//   - An entry's changed_at is set when it is created and whenever its
//     status or starred flag changes (SetEntriesStatus, the mark-all-as-read
//     calls, SetEntriesStarredState, ToggleStarred); not when a refresh of
//     its feed rewrites its content. It is the cursor of a sync.
//   - PUT /v1/entries sets the status, or the starred flag, of a list of
//     entries; no limit on the list is enforced. PUT
//     /v1/entries/{id}/bookmark toggles one entry's starred flag, and is
//     only used for a server too old to set it for a list.
package miniflux

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	mf "miniflux.app/v2/client"

	"tidings/feed/remote"
)

// Options says which server and account.
type Options struct {
	URL   string // the server's address, e.g. https://rss.example.org
	Token string // an API key (Settings → API Keys), sent as X-Auth-Token
	// Username and Password are the account's, for basic auth, when the
	// user has no API key. Token wins when both are given.
	Username, Password string
	// HTTP is the client requests go through; remote.NewHTTPClient() when
	// nil. Its transport is wrapped, not changed.
	HTTP *http.Client
}

// Server is a Miniflux account. It implements remote.Server.
type Server struct {
	name     string
	endpoint string        // the URL without a trailing slash or /v1
	authHint string        // the way out of a 401
	timeout  time.Duration // the bound of one call; none if 0
	opts     Options
	http     *http.Client
	api      *mf.Client
}

var _ remote.Server = (*Server)(nil)

// New returns the client of the Miniflux server at opts.URL. It does not
// talk to the server.
func New(opts Options) (*Server, error) {
	u, err := url.Parse(strings.TrimSpace(opts.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("miniflux: the URL %q is not an http or https address of a server", redact(opts.URL))
	}
	u.RawQuery, u.Fragment = "", ""
	u.Path = strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), "/v1")
	u.RawPath = ""
	endpoint := strings.TrimSuffix(u.String(), "/")
	shown := *u
	shown.User = nil
	name := "miniflux at " + strings.TrimSuffix(shown.String(), "/")

	base := opts.HTTP
	if base == nil {
		base = remote.NewHTTPClient()
	}
	hc := *base
	hc.Transport = recorder{next: base.Transport, max: remote.MaxResponse}
	// The client's time limit bounds each call through its context
	// instead, which says "timed out" whatever was being read then.
	hc.Timeout = 0

	s := &Server{name: name, endpoint: endpoint, opts: opts, http: &hc, timeout: base.Timeout}
	auth := []mf.Option{mf.WithHTTPClient(&hc)}
	switch {
	case opts.Token != "":
		auth = append(auth, mf.WithAPIKey(opts.Token))
		s.authHint = "check the token (Miniflux: Settings, API Keys)"
	default:
		auth = append(auth, mf.WithCredentials(opts.Username, opts.Password))
		s.authHint = "check the username and password"
	}
	s.api = mf.NewClientWithOptions(endpoint, auth...)
	return s, nil
}

// redact drops the user info of a URL, which may hold a password.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unreadable)"
	}
	u.User = nil
	return u.String()
}

// Name is "miniflux at <url>", without user info or query.
func (s *Server) Name() string { return s.name }

// Feeds lists the account's feeds, with their categories and the last
// error of each.
func (s *Server) Feeds(ctx context.Context) ([]remote.Feed, error) {
	var feeds mf.Feeds
	err := s.call(ctx, "list feeds", func(ctx context.Context) error {
		var err error
		feeds, err = s.api.FeedsContext(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]remote.Feed, 0, len(feeds))
	for _, f := range feeds {
		if f != nil {
			out = append(out, toFeed(f))
		}
	}
	return out, nil
}

func toFeed(f *mf.Feed) remote.Feed {
	out := remote.Feed{
		ID:      strconv.FormatInt(f.ID, 10),
		URL:     f.FeedURL,
		SiteURL: f.SiteURL,
		Title:   f.Title,
	}
	if f.Category != nil {
		out.Category = f.Category.Title
	}
	if f.ParsingErrorCount > 0 {
		out.Error = f.ParsingErrorMsg
		if out.Error == "" {
			out.Error = fmt.Sprintf("%d failed fetches", f.ParsingErrorCount)
		}
	}
	return out
}

// Subscribe creates the feed in the category of that title, made if
// missing; in the account's first category (Miniflux's default) when
// category is empty.
func (s *Server) Subscribe(ctx context.Context, feedURL, category string) (remote.Feed, error) {
	var feed *mf.Feed
	err := s.call(ctx, "subscribe to "+redact(feedURL), func(ctx context.Context) error {
		catID, err := s.categoryID(ctx, category)
		if err != nil {
			return err
		}
		id, err := s.api.CreateFeedContext(ctx, &mf.FeedCreationRequest{FeedURL: feedURL, CategoryID: catID})
		if err != nil {
			return err
		}
		feed, err = s.api.FeedContext(ctx, id)
		if err == nil && feed == nil {
			err = errors.New("no feed in the answer")
		}
		return err
	})
	if err != nil {
		return remote.Feed{}, err
	}
	return toFeed(feed), nil
}

// categoryID finds the category of that title (case-insensitively, as
// Miniflux refuses a second one differing in case only), or makes it; 0,
// the server's default, for no title.
func (s *Server) categoryID(ctx context.Context, title string) (int64, error) {
	title = strings.TrimSpace(title)
	if title == "" {
		return 0, nil
	}
	cats, err := s.api.CategoriesContext(ctx)
	if err != nil {
		return 0, err
	}
	for _, c := range cats {
		if c != nil && strings.EqualFold(c.Title, title) {
			return c.ID, nil
		}
	}
	c, err := s.api.CreateCategoryContext(ctx, title)
	if err == nil && c == nil {
		err = errors.New("no category in the answer")
	}
	if err != nil {
		return 0, err
	}
	return c.ID, nil
}

// Unsubscribe deletes the feed with that ID, and its entries, on the
// server.
func (s *Server) Unsubscribe(ctx context.Context, feedID string) error {
	op := "unsubscribe from feed " + feedID
	id, err := strconv.ParseInt(feedID, 10, 64)
	if err != nil || id <= 0 {
		return &remote.Error{Server: s.name, Op: op, Msg: "not a Miniflux feed ID"}
	}
	return s.call(ctx, op, func(ctx context.Context) error {
		return s.api.DeleteFeedContext(ctx, id)
	})
}

// Refresh asks the server to fetch every feed due; it answers at once
// and fetches in the background.
func (s *Server) Refresh(ctx context.Context) error {
	return s.call(ctx, "refresh feeds", func(ctx context.Context) error {
		return s.api.RefreshAllFeedsContext(ctx)
	})
}

// States is not needed: every change of state bumps an entry's
// changed_at, so changes come through Entries.
func (s *Server) States(context.Context) (remote.States, error) {
	return remote.States{Complete: false}, nil
}
