package cli

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"tidings/articles/sqlite"
	"tidings/feed"
	"tidings/feed/subs"
	"tidings/ui"
)

// SnapshotOptions are the flags of "tidings snapshot".
type SnapshotOptions struct {
	Width, Height int
	Keys          []tea.Msg
	Color         bool
}

// Reader runs the interactive reader: the stored and bundled articles at
// once, the feeds refreshing in the background unless --offline.
func (e Env) Reader(ctx context.Context) error {
	st, err := e.load()
	if err != nil {
		return err
	}
	looks, err := looksOf(st)
	if err != nil {
		return err
	}
	s, rd, err := e.openStore(ctx, forReader, st)
	if err != nil {
		return err
	}
	defer s.Close()
	// The reader's context ends when it quits, or when a signal stops
	// tidings: a refresh under way stops with it, and is waited for before
	// the store closes, so that no write meets a closed database.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	opts := e.readerOptions(ctx, s, st, rd)
	// The first page is read from here on, while the rest is set up and
	// the program starts; after readerOptions, whose watcher must know the
	// database as it was before the page is read, so that a change made in
	// between is seen.
	opts.FirstPage = ui.FirstPage(s)
	opts.NoMouse = e.NoMouse || !st.mouse
	opts.Prerender = true
	opts.ReorderRTL = ui.ReorderBidi(st.bidi, e.getenv)
	e.pictureOptions(&opts, st.images)
	looks.apply(&opts)
	final, err := tea.NewProgram(ui.New(opts), tea.WithColorProfile(colorProfile()), tea.WithContext(ctx), tea.WithFPS(readerFPS)).Run()
	cancel()
	if m, ok := final.(ui.Model); ok {
		// The pictures sent stay in the terminal's memory until deleted:
		// the program's own sequences, checked when they were made.
		_, _ = os.Stdout.WriteString(m.FreePictures())
	}
	if r, ok := opts.Refresher.(*uiRefresher); ok {
		r.wait()
	}
	if err != nil && ctx.Err() == nil {
		return fmt.Errorf("run: %w", err)
	}
	return nil
}

// readerOptions are the reader's options: every subscription is listed
// (F), and those it may fetch are refreshed, which with --offline are only
// the local files: offline changes what is fetched, not what is listed.
// The reader watches the database and the subscriptions file for what
// other processes write.
func (e Env) readerOptions(ctx context.Context, s *sqlite.Store, st setup, rd opened) ui.Options {
	feeds, account := st.subs, st.account
	file := newSubsFile("", feeds)
	if len(e.Feeds) == 0 {
		file = newSubsFile(e.ConfigPath, feeds)
		file.synced = account != nil
	}
	file.saved = st.searches
	opts := e.modelOptions(s, file)
	opts.Searches, opts.ReadSearches = st.searches, file.searches
	opts.EditConfig = e.editConfig(s)
	if len(e.Feeds) > 0 {
		opts.EditConfig, opts.NoEdit = nil, "With --feed sources config.toml is not written"
	}
	opts.OpenURL = ui.OpenInBrowser
	opts.NoColor = os.Getenv("NO_COLOR") != ""
	opts.Terminal = true
	opts.Notice = rd.notice
	if len(e.Feeds) == 0 {
		// A database in memory (--feed) changes only here.
		w, err := s.Watch(ctx)
		if err == nil {
			opts.Watch = watch(w, file)
		}
	}
	switch {
	case rd.readOnly:
		opts.ReadOnly = true
		opts.NoRefresh = busyNotice
	case !e.Offline || len(localOnly(feeds)) > 0:
		opts.Refresher = &uiRefresher{env: e, store: s, refresher: e.refresher(s), subs: file, account: account, offline: e.Offline, ctx: ctx}
		opts.RefreshOnStart = true // with --offline, only the local files
		opts.News = readerNews(s, st.notify)
	}
	if !rd.readOnly && len(e.Feeds) == 0 {
		opts.Check = func(ctx context.Context) error {
			// Later than the first screen and the first keys: the check
			// reads every page, seconds of a core on a large database.
			time.Sleep(checkDelay)
			if !s.QuickCheckDue(ctx) {
				return nil
			}
			return s.QuickCheck(ctx)
		}
	}
	if e.Offline && !rd.readOnly {
		opts.NoRefresh = "Offline (--offline): not fetching"
	}
	if !e.Offline && !rd.readOnly {
		opts.FullPage = e.pages()
	}
	return opts
}

// colorProfile is the terminal's colour profile as Bubble Tea would
// detect it, except that inside tmux it does not start "tmux info" to ask:
// measured, that process start cost the first screen about 170 ms. A tmux
// that passes true colour through is then seen from its terminfo entry or
// from COLORTERM, else it gets 256 colours.
func colorProfile() colorprofile.Profile {
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "TMUX=") })
	return colorprofile.Detect(os.Stdout, env)
}

// readerFPS is how often at most the reader draws a frame: Bubble Tea
// draws what changed at each tick of this rate, so a frame ready after a
// key waits for the next tick, up to 17 ms at its default of 60. At 120 (its
// most) a key or the first screen waits 8 ms at most; a tick with nothing
// changed writes nothing.
const readerFPS = 120

// checkDelay is how long after start the reader checks the database.
const checkDelay = 10 * time.Second

// busyNotice explains a reader opened read-only: another tidings held the
// lock while this one had to upgrade or rebuild the database.
const busyNotice = "Another tidings holds this database while it needs upgrading or rebuilding: opened read-only, so marks are not kept and nothing is fetched; start tidings again when it is done"

// Snapshot prints the screen that keys lead to, with no terminal. It never
// refreshes subscriptions and never writes to the store: --feed sources
// are read into memory first.
func (e Env) Snapshot(ctx context.Context, o SnapshotOptions) error {
	s, st, err := e.openReading(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	looks, err := looksOf(st)
	if err != nil {
		return err
	}
	opts := e.modelOptions(s, newSubsFile("", st.subs))
	looks.apply(&opts)
	opts.Location = time.UTC
	opts.OpenURL = func(string) error { return ui.ErrDryRun } // a snapshot opens nothing, and says so
	opts.NoClipboard = true                                   // nor copies
	opts.NoEdit = "Snapshots write nothing to config.toml"
	opts.Searches = st.searches
	opts.NoRefresh = "Snapshots do not fetch"
	opts.ReorderRTL = ui.ReorderBidi(st.bidi, e.getenv)
	final, err := ui.Snapshot(ui.New(opts), o.Width, o.Height, o.Keys)
	if err != nil {
		return err
	}
	screen, err := ui.Screen(final, o.Color)
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(e.Stdout, screen)
	return err
}

// openReading reads the subscriptions and opens the store for a command
// that only reads.
func (e Env) openReading(ctx context.Context) (*sqlite.Store, setup, error) {
	st, err := e.load()
	if err != nil {
		return nil, st, err
	}
	s, _, err := e.openStore(ctx, forRead, st)
	return s, st, err
}

func (e Env) modelOptions(s *sqlite.Store, file *subsFile) ui.Options {
	return ui.Options{
		Store: s,
		Now:   e.Now,
		Style: e.Style,
		Feeds: func(ctx context.Context) ([]subs.Status, error) {
			feeds, _ := file.current() // R says what is wrong with the file
			if file.synced {
				feeds = withServerFeeds(ctx, s, feeds)
			}
			states, err := s.Feeds(ctx)
			return subs.Statuses(feeds, states), err
		},
	}
}

// localOnly keeps the feeds read from files: --offline forbids only the
// network.
func localOnly(feeds []subs.Subscription) []subs.Subscription {
	var out []subs.Subscription
	for _, s := range feeds {
		if !strings.HasPrefix(s.URL, "http://") && !strings.HasPrefix(s.URL, "https://") {
			out = append(out, s)
		}
	}
	return out
}

// uiRefresher lets the reader refresh some feeds or all, and follows a
// feed that moved for good, in the subscriptions file and here. A refresh
// holds the database's refresh lock: while another process refreshes,
// Start says so and starts nothing, and the watcher shows what that
// refresh brings.
type uiRefresher struct {
	env       Env
	store     *sqlite.Store
	refresher *feed.Refresher
	subs      *subsFile
	account   *account        // the feed server of [sync], if any
	offline   bool            // only the local files are fetched
	ctx       context.Context // the reader's: a refresh stops when it ends
	running   sync.WaitGroup  // the refreshes under way
}

// Start refreshes the feeds at urls, or all, for as long as the reader
// runs: the context the model gives is not the reader's life.
func (u *uiRefresher) Start(_ context.Context, urls []string) ([]string, <-chan feed.Result, error) {
	release, err := u.store.LockRefresh()
	if err != nil {
		return nil, nil, err
	}
	picked, warn := u.pick(urls)
	server := u.syncs(urls)
	if u.account != nil {
		picked = localFeeds(u.ctx, u.store, picked)
	}
	u.running.Add(1)
	n, results := u.refresher.Start(u.ctx, picked)
	feeds := make([]string, 0, len(picked)+1)
	if server {
		feeds = append(feeds, u.account.cfg.URL)
	}
	for _, s := range picked {
		feeds = append(feeds, s.URL)
	}
	out := make(chan feed.Result, n+1)
	var both sync.WaitGroup
	if server {
		both.Go(func() {
			sum, err := u.env.syncWith(u.ctx, u.store, u.account, nil)
			out <- syncResult(u.account, sum, err)
		})
	}
	both.Go(func() {
		for res := range results {
			if res.MovedTo != "" {
				u.env.followMoves(res)
				u.subs.moved(res.URL, res.MovedTo)
			}
			out <- res
		}
	})
	go func() {
		defer u.running.Done()
		defer close(out)
		defer release() // before the reader hears the refresh is done
		both.Wait()
	}()
	return feeds, out, warn
}

// The reader's progress line names a sync as such.
var _ ui.Syncer = (*uiRefresher)(nil)

// SyncURL is the URL of the feed server of [sync] among those Start
// returns (none without an account); the reader's progress line says
// "syncing" while it is pending.
func (u *uiRefresher) SyncURL() string {
	if u.account == nil {
		return ""
	}
	return u.account.cfg.URL
}

// syncs reports whether refreshing urls (all when empty) syncs with the
// feed server: all does, and so does a feed of the server's.
func (u *uiRefresher) syncs(urls []string) bool {
	if u.account == nil || u.offline {
		return false
	}
	if len(urls) == 0 {
		return true
	}
	remoteFeeds, _ := u.store.RemoteFeeds(u.ctx)
	synced := subs.Config{Feeds: remoteSubscriptions(remoteFeeds)}
	for _, url := range urls {
		if url == u.account.cfg.URL || synced.Find(url) >= 0 {
			return true
		}
	}
	return false
}

// wait waits until no refresh is under way. Once the reader's context
// has ended, each stops at once.
func (u *uiRefresher) wait() { u.running.Wait() }

// pick returns the subscriptions at urls, or all of them, as the
// subscriptions file says now; err says why the file could not be read
// again.
func (u *uiRefresher) pick(urls []string) ([]subs.Subscription, error) {
	all, err := u.subs.current()
	if u.offline {
		all = localOnly(all)
	}
	if len(urls) == 0 {
		return all, err
	}
	var feeds []subs.Subscription
	for _, s := range all {
		if slices.Contains(urls, s.URL) {
			feeds = append(feeds, s)
		}
	}
	return feeds, err
}
