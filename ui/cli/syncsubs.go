package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"tidings/articles"
	"tidings/articles/sqlite"
	"tidings/feed/remote"
	"tidings/feed/subs"
)

// With a [sync] account, the subscriptions live on the feed server: add,
// remove and import change them there, and feeds and export list the
// server's as the last sync saw them. Local files stay in config.toml,
// since a server cannot read them.

// isWeb reports whether url is a feed a server can fetch.
func isWeb(url string) bool {
	return strings.HasPrefix(url, "http://") || strings.HasPrefix(url, "https://")
}

// serverSession is a store and a syncer, for a command that changes the
// subscriptions on the server.
type serverSession struct {
	store  *sqlite.Store
	syncer *remote.Syncer
}

func (e Env) openServer(ctx context.Context, cfg subs.Config, a *account) (*serverSession, error) {
	server, clock, err := a.connect(ctx)
	if err != nil {
		return nil, err
	}
	s, _, err := e.openStore(ctx, forWrite, setupOf(cfg))
	if err != nil {
		return nil, err
	}
	sy := &remote.Syncer{Server: server, Store: s, Account: a.key(), Now: e.Now}
	if clock != nil {
		sy.Skew = clock.Skew
	}
	return &serverSession{store: s, syncer: sy}, nil
}

func (ss *serverSession) close() { ss.store.Close() }

// addOnServer subscribes on the feed server.
func (e Env) addOnServer(ctx context.Context, cfg subs.Config, a *account, url string) error {
	ss, err := e.openServer(ctx, cfg, a)
	if err != nil {
		return fmt.Errorf("add %s: %w", subs.DisplayURL(url), err)
	}
	defer ss.close()
	if _, err := ss.syncer.Subscribe(ctx, url, ""); err != nil {
		return fmt.Errorf("add %s: %w", subs.DisplayURL(url), err)
	}
	feeds, _ := ss.store.RemoteFeeds(ctx)
	fmt.Fprintf(e.Stdout, "Subscribed to %s on %s (%s there). tidings sync, or R in the reader, brings its articles.\n",
		subs.DisplayURL(url), a.name(), articles.Count(len(feeds), "feed"))
	return nil
}

// removeOnServer unsubscribes on the feed server; ok is false when the
// server has no such feed (it may be one of the file's).
func (e Env) removeOnServer(ctx context.Context, cfg subs.Config, a *account, url string) (ok bool, err error) {
	ss, err := e.openServer(ctx, cfg, a)
	if err != nil {
		return false, fmt.Errorf("remove %s: %w", subs.DisplayURL(url), err)
	}
	defer ss.close()
	key := url
	if u, err := subs.NormalizeURL(url); err == nil {
		key = u
	}
	remoteFeeds, err := ss.store.RemoteFeeds(ctx)
	if err != nil {
		return false, err
	}
	synced := subs.Config{Feeds: remoteSubscriptions(remoteFeeds)}
	if i := synced.Find(key); i >= 0 {
		key = synced.Feeds[i].URL
	}
	ok, err = ss.syncer.Unsubscribe(ctx, key)
	if err != nil || !ok {
		if err != nil {
			err = fmt.Errorf("remove %s: %w", subs.DisplayURL(url), err)
		}
		return ok, err
	}
	fmt.Fprintf(e.Stdout, "Removed %s from %s: its articles deleted here, starred ones kept.\n", subs.DisplayURL(key), a.name())
	return true, nil
}

// importOnServer subscribes on the feed server to the feeds of an OPML
// file, read with the checks of a local import (whose notes say what was
// left out and why); a folder becomes the feed's category.
func (e Env) importOnServer(ctx context.Context, cfg subs.Config, a *account, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	var read subs.Config
	res, err := read.ImportOPML(ctx, f, path)
	if err != nil {
		return err
	}
	ss, err := e.openServer(ctx, cfg, a)
	if err != nil {
		return fmt.Errorf("import %s: %w", path, err)
	}
	defer ss.close()
	n, err := subscribeAll(ctx, ss, read.Feeds)
	if err != nil {
		return fmt.Errorf("import %s: %w (%d added before)", path, err, n.added)
	}
	fmt.Fprintf(e.Stdout, "Imported %s to %s: %d added, %d already there, %d failed, %d skipped.\n",
		path, a.name(), n.added, n.there+res.Duplicates, len(n.failed), res.Skipped)
	for _, msg := range n.failed {
		fmt.Fprintln(e.Stdout, "  "+msg)
	}
	for _, note := range res.Notes {
		fmt.Fprintf(e.Stdout, "  %s\n", note)
	}
	if res.MoreNotes > 0 {
		fmt.Fprintf(e.Stdout, "  and %d more\n", res.MoreNotes)
	}
	return nil
}

type importCounts struct {
	added, there int
	failed       []string
}

// subscribeAll subscribes to each feed of list the server lacks, then
// saves the server's list here.
func subscribeAll(ctx context.Context, ss *serverSession, list []subs.Subscription) (importCounts, error) {
	var n importCounts
	before, err := ss.syncer.Server.Feeds(ctx)
	if err != nil {
		return n, err
	}
	have := subs.Config{}
	for _, f := range before {
		have.Feeds = append(have.Feeds, subs.Subscription{URL: f.URL})
	}
	for _, s := range list {
		if have.Find(s.URL) >= 0 {
			n.there++
			continue
		}
		category := ""
		if len(s.Tags) > 0 {
			category = s.Tags[0]
		}
		if _, err := ss.syncer.Server.Subscribe(ctx, s.URL, category); err != nil {
			if ctx.Err() != nil {
				return n, ctx.Err()
			}
			n.failed = append(n.failed, fmt.Sprintf("%s: %v", subs.DisplayURL(s.URL), err))
			continue
		}
		have.Feeds = append(have.Feeds, s)
		n.added++
	}
	_, err = ss.syncer.Feeds(ctx)
	return n, err
}

// subscriptions are the feeds of the file, or with a [sync] account the
// server's (as the last sync saw them) and the file's others; and what
// the store knows of each.
func (e Env) subscriptions(ctx context.Context, cfg subs.Config) ([]subs.Subscription, []articles.FeedState, error) {
	a := e.newAccount(cfg)
	if _, err := os.Stat(e.DBPath); err != nil {
		if a != nil {
			return nil, nil, nil // never synced: no feeds known yet
		}
		return cfg.Feeds, nil, nil
	}
	s, _, err := e.openStore(ctx, forRead, setupOf(cfg))
	if err != nil {
		return nil, nil, err
	}
	defer s.Close()
	feeds := cfg.Feeds
	if a != nil {
		feeds = withServerFeeds(ctx, s, feeds)
	}
	states, err := s.Feeds(ctx)
	return feeds, states, err
}

// listServerFeeds is tidings feeds with a [sync] account: the server's
// feeds as the last sync saw them, with its errors, then the file's own.
func (e Env) listServerFeeds(ctx context.Context, cfg subs.Config, a *account) error {
	feeds, states, err := e.subscriptions(ctx, cfg)
	if err != nil {
		return err
	}
	last := "never synced yet: tidings sync brings them"
	if s, _, err := e.openStore(ctx, forRead, setupOf(cfg)); err == nil {
		if st, err := s.SyncState(ctx); err == nil && !st.LastOK.IsZero() {
			last = "as of the last sync, " + e.when(st.LastOK)
		}
		s.Close()
	}
	fmt.Fprintf(e.Stdout, "Subscriptions on %s (%s), and the local files of %s.\n\n", a.name(), last, e.ConfigPath)
	return e.printFeeds(subs.Statuses(feeds, states))
}
