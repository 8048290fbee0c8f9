package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/term"

	"tidings/articles"
	"tidings/articles/sqlite"
	"tidings/articles/termsafe"
	"tidings/feed"
	"tidings/feed/remote"
	"tidings/feed/subs"
)

// account is the feed server of [sync]: the source of the subscriptions
// and of the read and starred state. It is dialled when first needed, so
// that a command that does not talk to the server never runs the secret
// command.
type account struct {
	cfg   subs.Sync
	where string // "config.toml:3", for messages
	dial  func(ctx context.Context) (remote.Server, *remote.Clock, error)

	once   sync.Once
	server remote.Server
	clock  *remote.Clock
	err    error
}

// newAccount is the account of cfg's [sync], or nil when there is none or
// --feed sources replace the subscriptions.
func (e Env) newAccount(cfg subs.Config) *account {
	if cfg.Sync == nil || len(e.Feeds) > 0 {
		return nil
	}
	a := &account{cfg: *cfg.Sync, where: fmt.Sprintf("%s:%d", e.ConfigPath, cfg.Sync.Line)}
	a.dial = func(ctx context.Context) (remote.Server, *remote.Clock, error) {
		if e.Dial != nil {
			s, err := e.Dial(a.cfg)
			return s, nil, err
		}
		return dialServer(ctx, a.cfg, a.where, e.getenv)
	}
	return a
}

// connect dials the server once.
func (a *account) connect(ctx context.Context) (remote.Server, *remote.Clock, error) {
	a.once.Do(func() { a.server, a.clock, a.err = a.dial(ctx) })
	return a.server, a.clock, a.err
}

// name says which server, as messages name it, before it is dialled.
func (a *account) name() string {
	return a.cfg.Kind + " at " + a.cfg.URL
}

// key tells accounts apart: another server or user starts afresh.
func (a *account) key() string {
	return a.cfg.Kind + " " + strings.TrimRight(a.cfg.URL, "/") + " " + a.cfg.Username
}

// syncWith runs one sync of the store with the account.
func (e Env) syncWith(ctx context.Context, s *sqlite.Store, a *account, progress func(remote.Progress)) (remote.Summary, error) {
	server, clock, err := a.connect(ctx)
	if err != nil {
		return remote.Summary{}, err
	}
	sy := &remote.Syncer{Server: server, Store: s, Account: a.key(), Now: e.Now, Refresh: true}
	if clock != nil {
		sy.Skew = clock.Skew
	}
	return sy.Sync(ctx, progress)
}

// syncResult is a sync as a line of tidings fetch and a result the
// reader counts.
func syncResult(a *account, sum remote.Summary, err error) feed.Result {
	res := feed.Result{URL: a.cfg.URL, Title: a.name(), New: sum.New, Err: err, Server: true}
	if err == nil {
		res.Notes = []string{sum.String()}
		for _, f := range sum.Broken {
			res.Notes = append(res.Notes, "the server fails to fetch "+f.URL+": "+f.Error)
		}
	}
	return res
}

// localFeeds are the subscriptions tidings fetches itself beside a sync
// account: those of the file the server does not have.
func localFeeds(ctx context.Context, s *sqlite.Store, feeds []subs.Subscription) []subs.Subscription {
	remoteFeeds, err := s.RemoteFeeds(ctx)
	if err != nil {
		return feeds
	}
	return notOnServer(remoteFeeds, feeds)
}

// notOnServer keeps the feeds whose URL is none of the server's, compared
// in subs.NormalizeURL's form through one set, so that a thousand feeds
// on each side cost a thousand lookups, not a million comparisons.
func notOnServer(remoteFeeds []articles.RemoteFeed, feeds []subs.Subscription) []subs.Subscription {
	if len(remoteFeeds) == 0 {
		return feeds
	}
	key := func(u string) string {
		if n, err := subs.NormalizeURL(u); err == nil {
			return n
		}
		return u
	}
	synced := make(map[string]bool, len(remoteFeeds))
	for _, f := range remoteFeeds {
		synced[key(f.URL)] = true
	}
	var out []subs.Subscription
	for _, f := range feeds {
		if !synced[key(f.URL)] {
			out = append(out, f)
		}
	}
	return out
}

// withServerFeeds is the server's feeds, as the last sync saw them, then
// the feeds of the file it does not have.
func withServerFeeds(ctx context.Context, s *sqlite.Store, file []subs.Subscription) []subs.Subscription {
	remoteFeeds, _ := s.RemoteFeeds(ctx)
	return append(remoteSubscriptions(remoteFeeds), notOnServer(remoteFeeds, file)...)
}

// remoteSubscriptions lists the server's feeds as subscriptions, their
// categories as tags.
func remoteSubscriptions(feeds []articles.RemoteFeed) []subs.Subscription {
	out := make([]subs.Subscription, len(feeds))
	for i, f := range feeds {
		out[i] = subs.Subscription{URL: f.URL, Title: f.Title}
		if f.Category != "" {
			out[i].Tags = []string{f.Category}
		}
	}
	return out
}

// Sync syncs with the feed server of [sync] and prints what it did, for
// cron as tidings fetch does: exit status 1 when the server failed.
func (e Env) Sync(ctx context.Context) error {
	st, err := e.load()
	if err != nil {
		return err
	}
	if st.account == nil {
		return e.noAccount()
	}
	if e.Offline {
		return errors.New("sync: --offline: nothing to do")
	}
	s, release, err := e.openToRefresh(ctx, st)
	if s == nil || err != nil {
		return err
	}
	defer s.Close()
	defer release()
	progress, done := e.syncProgress(st.account)
	news := e.watchNews(ctx, s, st.notify)
	sum, err := e.syncWith(ctx, s, st.account, progress)
	done()
	e.tellNews(ctx, s, news)
	fmt.Fprintln(e.Stdout, syncResult(st.account, sum, err))
	if err != nil {
		return ErrAllFailed
	}
	return nil
}

// syncProgress is the progress line of a sync on a terminal (a first
// sync of thousands of entries takes seconds): one line on stderr,
// written over, cleared at the end. In a pipe or under cron, nothing.
func (e Env) syncProgress(a *account) (progress func(remote.Progress), done func()) {
	f, ok := e.Stderr.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return nil, func() {}
	}
	progress = func(p remote.Progress) {
		line := "syncing with " + a.name() + ": " + p.Step
		if p.Entries > 0 {
			line += ", " + articles.Count(p.Entries, "article") + " so far"
		}
		fmt.Fprintf(f, "\r\x1b[K%s", termsafe.Line(line))
	}
	return progress, func() { fmt.Fprint(f, "\r\x1b[K") }
}

func (e Env) noAccount() error {
	return fmt.Errorf("sync: %s has no [sync] table: the README's Sync section shows how to set one up", e.ConfigPath)
}

// SyncStatus says when the last sync worked, how the last try went and
// how many marks wait for the server. It never talks to the server.
func (e Env) SyncStatus(ctx context.Context) error {
	st, err := e.load()
	if err != nil {
		return err
	}
	if st.account == nil {
		return e.noAccount()
	}
	s, _, err := e.openStore(ctx, forRead, st)
	if err != nil {
		return err
	}
	defer s.Close()
	state, err := s.SyncState(ctx)
	if err != nil {
		return err
	}
	waiting, err := s.QueueLen(ctx)
	if err != nil {
		return err
	}
	e.printSyncStatus(st.account, state, waiting)
	return nil
}

func (e Env) printSyncStatus(a *account, st articles.SyncState, waiting int) {
	w := e.Stdout
	fmt.Fprintf(w, "Syncs with %s (%s)\n", a.name(), a.where)
	if st.Account != "" && st.Account != a.key() {
		fmt.Fprintln(w, "The last sync was with another account: the next one starts afresh.")
	}
	switch {
	case st.LastOK.IsZero():
		fmt.Fprintln(w, "Last sync that worked: never")
	default:
		fmt.Fprintf(w, "Last sync that worked: %s\n", e.when(st.LastOK))
	}
	if st.LastError != "" {
		fmt.Fprintf(w, "Last try: %s: %s\n", e.when(st.LastTry), termsafe.Line(st.LastError))
	}
	fmt.Fprintf(w, "Marks waiting for the server: %d\n", waiting)
}

// when writes a time as "2026-12-01 10:00 (5 minutes ago)".
func (e Env) when(t time.Time) string {
	return t.Local().Format("2006-01-02 15:04") + " (" + ago(e.Now().Sub(t)) + ")"
}

func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return articles.Count(int(d/time.Minute), "minute") + " ago"
	case d < 48*time.Hour:
		return articles.Count(int(d/time.Hour), "hour") + " ago"
	}
	return articles.Count(int(d/(24*time.Hour)), "day") + " ago"
}

// getenv reads the environment: Env.Getenv in tests, else the process's.
func (e Env) getenv(key string) string {
	if e.Getenv != nil {
		return e.Getenv(key)
	}
	return os.Getenv(key)
}
