package remote

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"tidings/articles"
	"tidings/feed/parse"
)

// Store is where a sync keeps its copy of the server's feeds and
// articles, and the marks made here that wait for the server: the article
// store (articles/sqlite).
type Store interface {
	SyncState(ctx context.Context) (articles.SyncState, error)
	SetSyncState(ctx context.Context, st articles.SyncState) error
	ForgetRemote(ctx context.Context) error
	SyncFeeds(ctx context.Context, feeds []articles.RemoteFeed, at time.Time) (removed []string, err error)
	RemoteIDs(ctx context.Context) (map[string]bool, error)
	SaveSynced(ctx context.Context, items []articles.Synced) (added int, err error)
	ApplyStates(ctx context.Context, unread, starred []string) (changed int, err error)
	PendingMarks(ctx context.Context, limit int) ([]articles.PendingMark, error)
	MarksSent(ctx context.Context, marks []articles.PendingMark) error
	QueueLen(ctx context.Context) (int, error)
	PruneSynced(ctx context.Context) (int, error)
}

// Syncer syncs one account on a feed server with the store: the server's
// feeds and new or changed entries come here, the marks made here go
// there. It never loses a mark: they wait in the store's queue until the
// server has taken them.
type Syncer struct {
	Server  Server
	Store   Store
	Account string // which server and user; another one starts afresh
	Now     func() time.Time
	// Skew is the server's clock minus this machine's, as last seen (see
	// Clock); nil when unknown. Times of change on the server are moved
	// by it before they are compared with marks made here.
	Skew func() time.Duration
	// Refresh asks the server to fetch its feeds before pulling.
	Refresh bool
}

// Summary is what a sync did.
type Summary struct {
	Feeds   int      // the server's subscriptions
	Broken  []Feed   // those whose last fetch on the server failed
	Removed []string // feeds unsubscribed on the server: their articles went, starred ones kept
	New     int      // articles new here
	Entries int      // entries that came, new or changed
	States  int      // articles whose state the server's whole state changed
	Sent    int      // marks the server took
	Waiting int      // marks still waiting for it
}

// Progress is where a sync is, for a progress line.
type Progress struct {
	Step    string // "feeds", "entries", "state", "marks"
	Entries int    // entries that came so far
}

// markBatch is how many waiting marks are read from the store at once.
const markBatch = 5000

// Sync pulls what changed on the server, then sends the marks made here.
// Marks are sent even when the pull failed part way, unless the server
// gave no answer or refused the credentials; the first error is
// returned, and recorded with the sync state.
func (s *Syncer) Sync(ctx context.Context, progress func(Progress)) (Summary, error) {
	if progress == nil {
		progress = func(Progress) {}
	}
	var sum Summary
	st, err := s.begin(ctx)
	if err != nil {
		return sum, err
	}
	next, pullErr := s.pull(ctx, st.Cursor, &sum, progress)
	var pushErr error
	if pullErr == nil || !unreachable(pullErr) {
		progress(Progress{Step: "marks", Entries: sum.Entries})
		pushErr = s.push(ctx, &sum)
	}
	sum.Waiting, _ = s.Store.QueueLen(ctx)
	err = errors.Join(pullErr, pushErr)
	st.LastTry = s.Now()
	if pullErr == nil {
		st.Cursor = next
	}
	if err == nil {
		st.LastOK, st.LastError = st.LastTry, ""
	} else {
		st.LastError = firstError(pullErr, pushErr).Error()
	}
	if serr := s.Store.SetSyncState(ctx, st); serr != nil && err == nil {
		err = serr
	}
	return sum, firstError(pullErr, pushErr, err)
}

// begin reads the sync state; a new account starts afresh, the old one's
// IDs forgotten.
func (s *Syncer) begin(ctx context.Context) (articles.SyncState, error) {
	st, err := s.Store.SyncState(ctx)
	if err != nil {
		return st, err
	}
	if st.Account == s.Account {
		return st, nil
	}
	if st.Account != "" {
		if err := s.Store.ForgetRemote(ctx); err != nil {
			return st, err
		}
	}
	return articles.SyncState{Account: s.Account}, nil
}

// pull brings the feeds, the new and changed entries, and, for an API
// without times of change, the whole state.
func (s *Syncer) pull(ctx context.Context, cursor string, sum *Summary, progress func(Progress)) (string, error) {
	if s.Refresh {
		if err := s.Server.Refresh(ctx); err != nil && !errors.Is(err, ErrUnsupported) {
			return cursor, err
		}
	}
	progress(Progress{Step: "feeds"})
	feeds, err := s.syncFeeds(ctx, sum)
	if err != nil {
		return cursor, err
	}
	progress(Progress{Step: "entries"})
	next, err := s.pullEntries(ctx, cursor, feeds, sum, progress)
	if err != nil {
		return cursor, err
	}
	progress(Progress{Step: "state", Entries: sum.Entries})
	states, err := s.Server.States(ctx)
	if err != nil {
		return next, err
	}
	// Retention, once the whole sync is in: what it deletes is not
	// brought back.
	if _, err := s.Store.PruneSynced(ctx); err != nil {
		return next, err
	}
	if !states.Complete {
		return next, nil
	}
	if sum.States, err = s.Store.ApplyStates(ctx, states.Unread, states.Starred); err != nil {
		return next, err
	}
	return next, nil
}

// syncFeeds saves the server's feed list and returns it by the server's
// feed ID.
func (s *Syncer) syncFeeds(ctx context.Context, sum *Summary) (map[string]Feed, error) {
	list, err := s.Server.Feeds(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]Feed, len(list))
	remote := make([]articles.RemoteFeed, 0, len(list))
	sum.Broken = sum.Broken[:0]
	for _, f := range list {
		if !webURL(f.URL) {
			continue // a server's feed is fetched by the server: http(s) only
		}
		byID[f.ID] = f
		remote = append(remote, articles.RemoteFeed{Remote: f.ID, URL: f.URL, Title: f.Title, Category: f.Category, Error: f.Error})
		if f.Error != "" {
			sum.Broken = append(sum.Broken, f)
		}
	}
	sum.Feeds = len(list)
	sum.Removed, err = s.Store.SyncFeeds(ctx, remote, s.Now())
	return byID, err
}

// pullEntries saves the entries that changed since cursor, a page at a
// time.
func (s *Syncer) pullEntries(ctx context.Context, cursor string, feeds map[string]Feed, sum *Summary, progress func(Progress)) (string, error) {
	known, err := s.Store.RemoteIDs(ctx)
	if err != nil {
		return cursor, err
	}
	relisted := false
	page := func(entries []Entry) error {
		if !relisted && hasUnknownFeed(entries, feeds) {
			// A feed added on the server since the list was read.
			relisted = true
			if feeds, err = s.syncFeeds(ctx, sum); err != nil {
				return err
			}
		}
		items := s.convert(entries, feeds)
		added, err := s.Store.SaveSynced(ctx, items)
		if err != nil {
			return err
		}
		for _, it := range items {
			known[it.Remote] = true
		}
		sum.New += added
		sum.Entries += len(entries)
		progress(Progress{Step: "entries", Entries: sum.Entries})
		return nil
	}
	return s.Server.Entries(ctx, cursor, func(id string) bool { return known[id] }, page)
}

func hasUnknownFeed(entries []Entry, feeds map[string]Feed) bool {
	for _, e := range entries {
		if _, ok := feeds[e.FeedID]; !ok && !e.StateOnly {
			return true
		}
	}
	return false
}

// convert makes articles of entries through the gates of fetched items
// (parse.Convert); an entry of a feed the server does not list is left
// for a later sync.
func (s *Syncer) convert(entries []Entry, feeds map[string]Feed) []articles.Synced {
	var skew time.Duration
	if s.Skew != nil {
		skew = s.Skew()
	}
	items := make([]articles.Synced, 0, len(entries))
	for _, e := range entries {
		it := articles.Synced{Remote: e.ID, StateOnly: e.StateOnly}
		if !e.Changed.IsZero() {
			it.Changed = e.Changed.Add(-skew)
		}
		it.Read, it.Starred = e.Read, e.Starred
		if !e.StateOnly {
			f, ok := feeds[e.FeedID]
			if !ok {
				continue
			}
			it.Article = parse.Convert(parse.Entry{FeedURL: f.URL, Source: f.Title, Title: e.Title, Link: e.URL,
				Author: e.Author, HTML: e.Content, Published: e.Published})
			it.Read, it.Starred = e.Read, e.Starred
		}
		items = append(items, it)
	}
	return items
}

// push sends the waiting marks, a kind and value at a time, and takes
// each group off the queue once the server has it.
func (s *Syncer) push(ctx context.Context, sum *Summary) error {
	for {
		marks, err := s.Store.PendingMarks(ctx, markBatch)
		if err != nil || len(marks) == 0 {
			return err
		}
		for len(marks) > 0 {
			n := sameKind(marks)
			group := marks[:n]
			ids := make([]string, n)
			for i, m := range group {
				ids[i] = m.Remote
			}
			kind := Read
			if group[0].Starred {
				kind = Starred
			}
			if err := s.Server.Mark(ctx, ids, Mark{Kind: kind, On: group[0].On}); err != nil {
				return err
			}
			if err := s.Store.MarksSent(ctx, group); err != nil {
				return err
			}
			sum.Sent += n
			marks = marks[n:]
		}
	}
}

// webURL reports whether u is an http(s) URL, as every feed a server
// fetches is; anything else a server says is not taken as a feed.
func webURL(u string) bool {
	return strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")
}

// sameKind is how many marks at the start of marks are of the first's
// kind and value.
func sameKind(marks []articles.PendingMark) int {
	n := 1
	for n < len(marks) && marks[n].Starred == marks[0].Starred && marks[n].On == marks[0].On {
		n++
	}
	return n
}

// unreachable reports whether err says the server cannot be talked to
// now: no answer, or credentials refused.
func unreachable(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Status == 0 && e.Err != nil && !errors.Is(e.Err, ErrUnsupported) || e.Unauthorized()
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Feeds saves the server's feed list here (feeds unsubscribed on the
// server are removed, starred articles kept) and says what it found.
func (s *Syncer) Feeds(ctx context.Context) (Summary, error) {
	var sum Summary
	_, err := s.syncFeeds(ctx, &sum)
	return sum, err
}

// Subscribe subscribes the account to url on the server, then saves the
// server's feed list here.
func (s *Syncer) Subscribe(ctx context.Context, url, category string) (Feed, error) {
	f, err := s.Server.Subscribe(ctx, url, category)
	if err != nil {
		return f, err
	}
	var sum Summary
	_, err = s.syncFeeds(ctx, &sum)
	return f, err
}

// Unsubscribe removes the subscription to url on the server, then saves
// the server's feed list here (which removes the feed's articles, starred
// ones kept). ok is false when the server has no such subscription.
func (s *Syncer) Unsubscribe(ctx context.Context, url string) (ok bool, err error) {
	feeds, err := s.Server.Feeds(ctx)
	if err != nil {
		return false, err
	}
	for _, f := range feeds {
		if f.URL == url {
			if err := s.Server.Unsubscribe(ctx, f.ID); err != nil {
				return false, err
			}
			var sum Summary
			_, err = s.syncFeeds(ctx, &sum)
			return true, err
		}
	}
	return false, nil
}

// String says what a sync did, in a line.
func (sum Summary) String() string {
	line := fmt.Sprintf("%s, %s", articles.Count(sum.Feeds, "feed"), articles.Count(sum.New, "new article"))
	if sum.Sent > 0 {
		line += fmt.Sprintf(", %s sent", articles.Count(sum.Sent, "mark"))
	}
	if sum.Waiting > 0 {
		line += fmt.Sprintf(", %s waiting", articles.Count(sum.Waiting, "mark"))
	}
	if len(sum.Broken) > 0 {
		line += fmt.Sprintf(", %s failing on the server", articles.Count(len(sum.Broken), "feed"))
	}
	return line
}
