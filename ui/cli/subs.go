package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"tidings/articles"
	"tidings/articles/sqlite"
	"tidings/articles/termsafe"
	"tidings/feed"
	"tidings/feed/subs"
)

// ErrAllFailed is returned by Fetch when every feed failed: exit status 1.
var ErrAllFailed = errors.New("every feed failed")

// Add subscribes to url, in the form subs.NormalizeURL gives it. The first
// subscription replaces the default feeds.
func (e Env) Add(ctx context.Context, url string) error {
	u, err := subs.NormalizeURL(url)
	if err != nil {
		return fmt.Errorf("add: %w", err)
	}
	cfg, _, err := e.config()
	if err != nil {
		return err
	}
	if a := e.newAccount(cfg); a != nil && isWeb(u) {
		return e.addOnServer(ctx, cfg, a, u)
	}
	if !cfg.Add(subs.Subscription{URL: u}) {
		return fmt.Errorf("add %s: already subscribed", subs.DisplayURL(u))
	}
	if err := cfg.Save(e.ConfigPath); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "Subscribed to %s (%s). tidings fetch, or R in the reader, fetches it.\n", subs.DisplayURL(u), articles.Count(len(cfg.Feeds), "feed"))
	return nil
}

// Remove unsubscribes from url and deletes the feed's stored articles but
// the starred ones, which stay under the feed's name. The database is
// opened before the subscriptions change, so that when another tidings
// holds it nothing changes at all. A URL no longer subscribed whose
// articles are still stored (removed before removal deleted them) has
// them deleted.
func (e Env) Remove(ctx context.Context, url string) error {
	cfg, _, err := e.config()
	if err != nil {
		return err
	}
	if a := e.newAccount(cfg); a != nil && isWeb(url) {
		if ok, err := e.removeOnServer(ctx, cfg, a, url); ok || err != nil {
			return err
		}
	}
	key, subscribed := removeKey(cfg, url)
	if !subscribed && len(cfg.Feeds) == 0 && (subs.Config{Feeds: subs.DefaultFeeds()}).Find(key) >= 0 {
		return fmt.Errorf("remove %s: a default feed, read while there are no subscriptions; tidings add URL replaces the defaults", subs.DisplayURL(url))
	}
	s, err := e.removeStore(ctx, cfg)
	if err != nil {
		return fmt.Errorf("remove %s: %w; nothing was changed", subs.DisplayURL(url), err)
	}
	if s != nil {
		defer s.Close()
	}
	if subscribed {
		cfg.Remove(key)
		if err := cfg.Save(e.ConfigPath); err != nil {
			return err
		}
	}
	var r articles.Removed
	if s != nil {
		if r, err = s.RemoveFeed(ctx, key); err != nil {
			return fmt.Errorf("remove %s: unsubscribed, but its articles stay: %w", subs.DisplayURL(url), err)
		}
	}
	if !subscribed && r == (articles.Removed{}) {
		return fmt.Errorf("remove %s: not subscribed (tidings feeds lists the subscriptions)", subs.DisplayURL(url))
	}
	fmt.Fprintln(e.Stdout, removedText(subs.DisplayURL(key), subscribed, r, len(cfg.Feeds)))
	return nil
}

// removeKey returns the URL the feed is stored under: the subscription's,
// else url in the form add gives it.
func removeKey(cfg subs.Config, url string) (string, bool) {
	if i := cfg.Find(url); i >= 0 {
		return cfg.Feeds[i].URL, true
	}
	if u, err := subs.NormalizeURL(url); err == nil {
		return u, false
	}
	return url, false
}

// removeStore opens the database to delete from, or returns nil when
// there is none yet.
func (e Env) removeStore(ctx context.Context, cfg subs.Config) (*sqlite.Store, error) {
	if _, err := os.Stat(e.DBPath); err != nil || len(e.Feeds) > 0 {
		return nil, nil
	}
	s, _, err := e.openStore(ctx, forWrite, setupOf(cfg))
	if errors.Is(err, sqlite.ErrLocked) {
		return nil, fmt.Errorf("%w: quit it, then run tidings remove again", err)
	}
	return s, err
}

// removedText is what remove says it did: "Removed URL: 1,204 articles
// deleted, 3 starred articles kept (2 feeds left)."
func removedText(url string, subscribed bool, r articles.Removed, left int) string {
	what := "Removed " + url
	if !subscribed {
		what = "Deleted the stored articles of " + url + ", which was not subscribed"
	}
	msg := fmt.Sprintf("%s: %s deleted", what, articles.Count(r.Deleted, "article"))
	if r.Kept > 0 {
		msg += fmt.Sprintf(", %s kept", articles.Count(r.Kept, "starred article"))
	}
	return msg + fmt.Sprintf(" (%s left).", articles.Count(left, "feed"))
}

// ListFeeds prints every subscription with its status, article count and
// last successful fetch, then why each failing one failed, then the saved
// searches with their unread counts.
func (e Env) ListFeeds(ctx context.Context) error {
	cfg, exists, err := e.config()
	if err != nil {
		return err
	}
	if err := e.printSubscriptions(ctx, cfg, exists); err != nil {
		return err
	}
	return e.printSearches(ctx, cfg)
}

// printSubscriptions prints the feeds table, the server's with a sync account.
func (e Env) printSubscriptions(ctx context.Context, cfg subs.Config, exists bool) error {
	if a := e.newAccount(cfg); a != nil {
		return e.listServerFeeds(ctx, cfg, a)
	}
	feeds := cfg.Feeds
	if len(feeds) == 0 {
		feeds = subs.DefaultFeeds()
		fmt.Fprintln(e.Stdout, "No subscriptions yet: these default feeds are read. tidings add URL replaces them.")
		if !exists {
			fmt.Fprintln(e.Stdout, "(no file at "+e.ConfigPath+")")
		}
		fmt.Fprintln(e.Stdout)
	}
	states, err := e.feedStates(ctx, cfg)
	if err != nil {
		return err
	}
	return e.printFeeds(subs.Statuses(feeds, states))
}

// feedStates reads what the database knows of each feed, without writing
// to it; none when there is no database yet.
func (e Env) feedStates(ctx context.Context, cfg subs.Config) ([]articles.FeedState, error) {
	if _, err := os.Stat(e.DBPath); err != nil {
		return nil, nil
	}
	s, _, err := e.openStore(ctx, forRead, setupOf(cfg))
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.Feeds(ctx)
}

// printFeeds writes the feeds table, then a note for each feed whose last
// fetch failed: its reason, and when it was tried and last worked. The
// table's LAST SUCCESS is the last fetch that worked, so that a feed that
// keeps failing never looks fresh.
func (e Env) printFeeds(statuses []subs.Status) error {
	date := func(t time.Time) string { return t.Local().Format("2006-01-02 15:04") }
	w := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "TITLE\tTAGS\tSTATUS\tARTICLES\tLAST SUCCESS\tURL")
	for _, st := range statuses {
		last := "never"
		if !st.State.LastOK.IsZero() {
			last = date(st.State.LastOK)
		}
		// A feed without a title yet shows "-", not its URL twice.
		title := st.Title()
		if title == subs.DisplayURL(st.URL) {
			title = "-"
		}
		// Titles come from feeds and OPML files: made safe to print. URLs
		// show their real host (see subs.DisplayURL).
		tags := strings.Join(st.Tags, ", ")
		if tags == "" {
			tags = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\t%s\n", termsafe.Line(title), termsafe.Line(tags), st.Health(), st.State.Total, last, subs.DisplayURL(st.URL))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	sep := "\n"
	for _, st := range statuses {
		if st.State.LastError != "" {
			fmt.Fprintf(e.Stdout, "%s%s: %s\n  %s\n", sep, termsafe.Line(st.Title()),
				termsafe.Line(st.Problem()), st.Fetched(date))
			sep = ""
		}
	}
	return nil
}

// Import adds the feeds of an OPML file, skipping those already there, and
// says why it left out the outlines it did. Once ctx is done (Ctrl-C,
// SIGTERM) it stops without saving: the subscriptions file stays as it was.
func (e Env) Import(ctx context.Context, path string) error {
	cfg, _, err := e.config()
	if err != nil {
		return err
	}
	if a := e.newAccount(cfg); a != nil {
		return e.importOnServer(ctx, cfg, a, path)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	res, err := cfg.ImportOPML(ctx, f, path)
	if err == nil && ctx.Err() != nil {
		err = fmt.Errorf("%s: import stopped: %w", path, context.Cause(ctx))
	}
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%w (%s unchanged)", err, e.ConfigPath)
		}
		return err
	}
	if res.Added > 0 {
		if err := cfg.Save(e.ConfigPath); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.Stdout, "Imported %s: %d added, %d already there, %d skipped (%s in all).\n",
		path, res.Added, res.Duplicates, res.Skipped, articles.Count(len(cfg.Feeds), "feed"))
	for _, n := range res.Notes {
		fmt.Fprintf(e.Stdout, "  %s\n", n)
	}
	if res.MoreNotes > 0 {
		fmt.Fprintf(e.Stdout, "  and %d more\n", res.MoreNotes)
	}
	return nil
}

// Export writes the subscriptions as OPML 2.0. A feed with no title in
// the subscriptions file gets the one its last fetch gave, so that the
// file reads as well in another reader as the list does here.
func (e Env) Export(ctx context.Context) error {
	cfg, _, err := e.config()
	if err != nil {
		return err
	}
	list, states, err := e.subscriptions(ctx, cfg)
	if err != nil {
		return err
	}
	feeds := make([]subs.Subscription, len(list))
	for i, st := range subs.Statuses(list, states) {
		feeds[i] = st.Subscription
		if feeds[i].Title == "" {
			feeds[i].Title = st.State.Title
		}
	}
	return subs.WriteOPML(e.Stdout, feeds, e.Now())
}

// openToRefresh opens the database to write and takes its refresh lock,
// as fetch and sync do. While another refresh runs it says so and returns
// no store and no error: not a failure, since that refresh fetches the
// same feeds, and cron stays quiet.
func (e Env) openToRefresh(ctx context.Context, st setup) (*sqlite.Store, func(), error) {
	s, _, err := e.openStore(ctx, forWrite, st)
	if err != nil {
		return nil, nil, err
	}
	release, err := s.LockRefresh()
	if errors.Is(err, sqlite.ErrRefreshing) {
		fmt.Fprintln(e.Stdout, "tidings:", err)
		s.Close()
		return nil, nil, nil
	}
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, release, nil
}

// Fetch refreshes every feed once and prints a line for each. It fails
// with ErrAllFailed only when every feed failed. While another refresh of
// the same database runs, it says so and succeeds: that refresh fetches
// the feeds.
func (e Env) Fetch(ctx context.Context) error {
	st, err := e.load()
	if err != nil {
		return err
	}
	feeds := st.subs
	if e.Offline {
		return errors.New("fetch: --offline: nothing to do")
	}
	s, release, err := e.openToRefresh(ctx, st)
	if s == nil || err != nil {
		return err
	}
	defer s.Close()
	defer release()
	news := e.watchNews(ctx, s, st.notify)
	defer e.tellNews(ctx, s, news) // after the sync and every feed
	failed, sources := 0, len(feeds)
	if st.account != nil {
		// The server first: it says which feeds are its, and tidings
		// fetches only the others.
		sum, err := e.syncWith(ctx, s, st.account, nil)
		fmt.Fprintln(e.Stdout, syncResult(st.account, sum, err))
		if err != nil {
			failed++
		}
		feeds = localFeeds(ctx, s, feeds)
		sources = len(feeds) + 1
	}
	e.refresher(s).Run(ctx, feeds, func(res feed.Result) {
		e.followMoves(res)
		if res.Err != nil {
			failed++
		}
		fmt.Fprintln(e.Stdout, res)
	})
	if sources > 0 && failed == sources {
		return ErrAllFailed
	}
	return nil
}
