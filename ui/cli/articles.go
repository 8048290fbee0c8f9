package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"

	"tidings/articles"
	"tidings/articles/sqlite"
	"tidings/articles/termsafe"
	"tidings/ui"
)

// ListOptions are the flags of "tidings list". Its --feed is Env.Feeds
// (see Env.listFeeds).
type ListOptions struct {
	JSON    bool
	Unread  bool
	Starred bool
	Search  string
	Tags    []string // --tag: the subscriptions with these tags
	Body    bool     // print each article's markdown body too
	Limit   int
	// Ignored lists the articles [[ignore]] rules hide instead, each
	// with the rule that hides it.
	Ignored bool
}

// listed is an article as "tidings list --json" prints it.
type listed struct {
	ID        string    `json:"id"`
	Feed      string    `json:"feed,omitempty"`
	Source    string    `json:"source,omitempty"`
	Title     string    `json:"title"`
	Link      string    `json:"link,omitempty"`
	Author    string    `json:"author,omitempty"`
	Published time.Time `json:"published,omitzero"`
	Read      bool      `json:"read"`
	Starred   bool      `json:"starred"`
	Body      *string   `json:"body,omitempty"` // markdown, with --body
	// IgnoredBy is the rule that hides it, with --ignored.
	IgnoredBy string `json:"ignored_by,omitempty"`
}

// List prints articles in the reader's order: newest first, and for a
// search best match first (the store ranks up to 1,000 matches; past
// that, the most recently stored come first), the order the reader's
// search shows.
func (e Env) List(ctx context.Context, o ListOptions) error {
	e = e.readConfig() // the search, the feeds and the store each consult it
	q, err := e.listQuery(ctx, o.Search)
	if err != nil {
		return err
	}
	e, feeds, err := e.listFeeds(ctx, o.Tags)
	if err != nil {
		return err
	}
	s, _, err := e.openReading(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	q.UnreadOnly, q.StarredOnly, q.Feeds, q.Ignored = o.Unread, o.Starred, feeds, o.Ignored
	p, err := s.Page(ctx, q, 0, o.Limit)
	if err != nil {
		return err
	}
	var rules map[string]string
	if o.Ignored {
		if rules, err = s.IgnoredBy(ctx, rowIDs(p.Rows)); err != nil {
			return err
		}
	}
	if !o.JSON {
		return e.listPlain(ctx, s, p.Rows, o.Body, rules)
	}
	out := make([]listed, 0, len(p.Rows))
	for _, r := range p.Rows {
		a, err := s.Article(ctx, r.ID)
		if err != nil {
			return err
		}
		l := listed{ID: a.ID, Feed: feedURL(a.Feed), Source: a.Source, Title: a.Title, Link: a.Link,
			Author: a.Author, Published: a.Published, Read: a.Read, Starred: a.Starred, IgnoredBy: termsafe.Line(rules[a.ID])}
		if o.Body {
			l.Body = &a.Body
		}
		out = append(out, l)
	}
	enc := json.NewEncoder(e.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// listQuery parses a --search, its tag: terms standing for the
// subscriptions with those tags. A search that does not parse is an
// *articles.QueryError, which main reports as a usage error (exit 2).
func (e Env) listQuery(ctx context.Context, search string) (articles.Query, error) {
	if search == "" {
		return articles.Query{}, nil
	}
	cfg, _, err := e.config()
	if err != nil {
		return articles.Query{}, err
	}
	q, err := articles.ParseQuery(savedQuery(cfg.Searches, search))
	if err != nil {
		return q, fmt.Errorf("search: %w", err)
	}
	if len(q.Tags()) == 0 {
		return q, nil
	}
	stored := e
	stored.Feeds = nil
	list, _, err := stored.subscriptions(ctx, cfg)
	if err != nil {
		return q, err
	}
	return q.ResolveTags(func(tag string) []string {
		var urls []string
		for _, sub := range list {
			if slices.ContainsFunc(sub.Tags, func(t string) bool { return strings.EqualFold(t, tag) }) {
				urls = append(urls, sub.URL)
			}
		}
		return urls
	}), nil
}

func rowIDs(rows []articles.Row) []string {
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	return ids
}

// listPlain prints a line per article; with body, each followed by its
// markdown and a blank line; with rules (list --ignored), each line ends
// with the rule that hides the article.
func (e Env) listPlain(ctx context.Context, s articles.Store, rows []articles.Row, body bool, rules map[string]string) error {
	w := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	for _, r := range rows {
		mark := " "
		if !r.Read {
			mark = "•"
		}
		date := ""
		if !r.Published.IsZero() {
			date = r.Published.Local().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(w, "%s\t%s %s\t%s\t%s", r.ID, mark, date, r.Source, r.Title)
		if rules != nil {
			fmt.Fprintf(w, "\tignored by %s", termsafe.Line(rules[r.ID]))
		}
		fmt.Fprintln(w)
		if !body {
			continue
		}
		a, err := s.Article(ctx, r.ID)
		if err != nil {
			return err
		}
		// The body goes round the tabwriter: its tabs are not columns.
		if err := w.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "\n%s\n\n", strings.TrimRight(a.Body, "\n"))
	}
	return w.Flush()
}

// feedURL hides the bundled articles' internal feed.
func feedURL(u string) string {
	if u == articles.BundledFeed {
		return ""
	}
	return u
}

// Read renders one article to stdout with Glamour, like glow: styled on a
// terminal, plain text in a pipe. What it prints passes the same filter
// as the reader's frames; in a pipe or a file it holds no escape sequence
// at all, whatever --style says.
func (e Env) Read(ctx context.Context, id string) error {
	s, _, err := e.openReading(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := readArticle(ctx, s, id)
	if err != nil {
		return err
	}
	return e.printArticle(a)
}

// readArticle is the article id, or an error that says where IDs are.
func readArticle(ctx context.Context, s *sqlite.Store, id string) (articles.Article, error) {
	a, err := s.Article(ctx, id)
	if errors.Is(err, articles.ErrNotFound) {
		return a, fmt.Errorf("read %s: %w (tidings list shows the IDs)", id, err)
	}
	if err != nil {
		return a, fmt.Errorf("read %s: %w", id, err)
	}
	return a, nil
}

// printArticle renders a to stdout as Read describes.
func (e Env) printArticle(a articles.Article) error {
	width, style := 80, e.Style
	isTerm := false
	if f, ok := e.Stdout.(*os.File); ok && term.IsTerminal(f.Fd()) {
		isTerm = true
		if w, _, err := term.GetSize(f.Fd()); err == nil && w > 0 {
			width = min(w, 120)
		}
	}
	if style == "auto" {
		style = "dark"
		if !isTerm || os.Getenv("NO_COLOR") != "" {
			style = "notty"
		}
	}
	out, err := ui.RenderArticle(a, width, style, true)
	if err != nil {
		return err
	}
	if !isTerm {
		_, err = io.WriteString(e.Stdout, ansi.Strip(out))
		return err
	}
	w := colorprofile.NewWriter(e.Stdout, os.Environ())
	_, err = w.WriteString(out)
	return err
}
