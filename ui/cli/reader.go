package cli

import (
	"context"
	"errors"
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
	s, rd, err := e.openForReader(ctx, st.retention)
	if err != nil {
		return err
	}
	defer s.Close()
	opts := e.readerOptions(s, st.subs, rd)
	opts.NoMouse = e.NoMouse || !st.mouse
	if _, err := tea.NewProgram(ui.New(opts), tea.WithColorProfile(colorProfile())).Run(); err != nil {
		return fmt.Errorf("run: %w", err)
	}
	return nil
}

// readerOptions are the reader's options: every subscription is listed
// (F), and those it may fetch are refreshed, which with --offline are only
// the local files: offline changes what is fetched, not what is listed.
func (e Env) readerOptions(s *sqlite.Store, subs []feed.Subscription, rd readerStore) ui.Options {
	fetched := subs
	if e.Offline {
		fetched = localOnly(subs)
	}
	opts := e.modelOptions(s, subs)
	opts.OpenURL = ui.OpenInBrowser
	opts.NoColor = os.Getenv("NO_COLOR") != ""
	opts.Terminal = true
	opts.Notice = rd.notice
	switch {
	case rd.readOnly:
		opts.ReadOnly = true
		opts.NoRefresh = busyNotice
	case len(fetched) > 0:
		opts.Refresher = &uiRefresher{env: e, refresher: e.refresher(s), subs: fetched}
		opts.RefreshOnStart = true // with --offline, fetched holds only local files
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

// checkDelay is how long after start the reader checks the database.
const checkDelay = 10 * time.Second

// busyNotice explains a reader opened read-only.
const busyNotice = "Another tidings is using this database: opened read-only, so marks are not kept and nothing is fetched"

// readerStore says how openForReader opened the database.
type readerStore struct {
	readOnly bool
	notice   string // a damaged database was set aside: what and where
}

// openForReader opens the database to read and write. When another
// tidings has it, it opens it read-only instead, so that a second reader
// still reads; when it is damaged, it is set aside and rebuilt, and the
// notice says so.
func (e Env) openForReader(ctx context.Context, retention sqlite.Retention) (*sqlite.Store, readerStore, error) {
	if len(e.Feeds) > 0 {
		s, err := e.openStore(ctx, writable, retention)
		return s, readerStore{}, err
	}
	s, rec, err := e.openWritable(ctx, sqlite.Options{Retention: retention, Now: e.Now, BusyTimeout: e.BusyTimeout})
	var rd readerStore
	if rec != nil {
		rd.notice = rec.Notice()
		fmt.Fprintln(e.Stderr, "tidings:", rec.Message()) // still there after the reader quits
	}
	if !errors.Is(err, sqlite.ErrLocked) && !errors.Is(err, sqlite.ErrBusy) {
		return s, rd, err
	}
	rd.readOnly = true
	s, err = e.openStore(ctx, readOnly, retention)
	return s, rd, err
}

// Snapshot prints the screen that keys lead to, with no terminal. It never
// refreshes subscriptions and never writes to the store: --feed sources
// are read into memory first.
func (e Env) Snapshot(ctx context.Context, o SnapshotOptions) error {
	s, st, err := e.openReading(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	opts := e.modelOptions(s, st.subs)
	opts.Location = time.UTC
	opts.OpenURL = func(string) error { return ui.ErrDryRun } // a snapshot opens nothing, and says so
	opts.NoRefresh = "Snapshots do not fetch"
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
// that only reads, with the --feed sources read into it (in memory); a
// broken source is reported and the others still load.
func (e Env) openReading(ctx context.Context) (*sqlite.Store, setup, error) {
	st, err := e.load()
	if err != nil {
		return nil, st, err
	}
	s, err := e.openStore(ctx, readOnly, st.retention)
	if err != nil || len(e.Feeds) == 0 {
		return s, st, err
	}
	subs := st.subs
	if e.Offline {
		subs = localOnly(subs)
	}
	e.refresher(s).Run(ctx, subs, func(res feed.Result) {
		if res.Err != nil {
			fmt.Fprintln(e.Stderr, "tidings:", res.Err)
		}
	})
	return s, st, nil
}

func (e Env) modelOptions(s *sqlite.Store, subs []feed.Subscription) ui.Options {
	return ui.Options{
		Store: s,
		Now:   e.Now,
		Style: e.Style,
		Feeds: func(ctx context.Context) ([]feed.Status, error) {
			states, err := s.Feeds(ctx)
			return feed.Statuses(subs, states), err
		},
	}
}

// localOnly keeps the feeds read from files: --offline forbids only the
// network.
func localOnly(subs []feed.Subscription) []feed.Subscription {
	var out []feed.Subscription
	for _, s := range subs {
		if !strings.HasPrefix(s.URL, "http://") && !strings.HasPrefix(s.URL, "https://") {
			out = append(out, s)
		}
	}
	return out
}

// uiRefresher lets the reader refresh some feeds or all, and follows a
// feed that moved for good, in the subscriptions file and here.
type uiRefresher struct {
	env       Env
	refresher *feed.Refresher
	mu        sync.Mutex
	subs      []feed.Subscription
}

func (u *uiRefresher) Start(ctx context.Context, urls []string) ([]string, <-chan feed.Result) {
	subs := u.pick(urls)
	n, results := u.refresher.Start(ctx, subs)
	feeds := make([]string, len(subs))
	for i, s := range subs {
		feeds[i] = s.URL
	}
	out := make(chan feed.Result, n)
	go func() {
		defer close(out)
		for res := range results {
			if res.MovedTo != "" {
				u.env.followMoves(res)
				u.moved(res.URL, res.MovedTo)
			}
			out <- res
		}
	}()
	return feeds, out
}

// pick returns the subscriptions at urls, or all of them.
func (u *uiRefresher) pick(urls []string) []feed.Subscription {
	u.mu.Lock()
	defer u.mu.Unlock()
	if len(urls) == 0 {
		return slices.Clone(u.subs)
	}
	var subs []feed.Subscription
	for _, s := range u.subs {
		if slices.Contains(urls, s.URL) {
			subs = append(subs, s)
		}
	}
	return subs
}

func (u *uiRefresher) moved(from, to string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	for i := range u.subs {
		if u.subs[i].URL == from {
			u.subs[i].URL = to
		}
	}
}
