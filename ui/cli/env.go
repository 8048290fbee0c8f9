// Package cli is the composition root of tidings: it wires the program.
// It runs the commands (the reader, snapshot, fetch, the subscription
// commands, list and read): main parses the flags into an Env and calls
// one method, and everything a command needs (the store, the
// subscriptions, the refresher, the UI's options) is opened and put
// together here. It sits below ui/ in the tree but above it in the
// layers: ui never imports it, and only main does (ARCHITECTURE.md, and
// a test that checks).
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tidings/articles"
	"tidings/articles/sqlite"
	"tidings/feed"
)

// Env is what the shared flags and the environment give every command.
type Env struct {
	Stdout, Stderr io.Writer
	ConfigPath     string   // --config, else the XDG default
	DBPath         string   // --db, else the XDG default
	Feeds          []string // --feed: read only these, into memory
	Offline        bool
	Style          string
	Version        string
	Now            func() time.Time
	BusyTimeout    time.Duration // how long a write waits for another tidings; 0: the store's default
	NoMouse        bool          // --no-mouse: the terminal keeps the mouse
}

// DefaultPaths returns where the subscriptions and the database live:
// $XDG_CONFIG_HOME/tidings/config.toml and $XDG_DATA_HOME/tidings/tidings.db,
// with the XDG defaults under the home directory.
func DefaultPaths(getenv func(string) string) (config, db string, err error) {
	home := getenv("HOME")
	configHome, dataHome := getenv("XDG_CONFIG_HOME"), getenv("XDG_DATA_HOME")
	if configHome == "" || dataHome == "" {
		if home == "" {
			return "", "", errors.New("neither $HOME nor $XDG_CONFIG_HOME and $XDG_DATA_HOME are set: give --config and --db")
		}
		if configHome == "" {
			configHome = filepath.Join(home, ".config")
		}
		if dataHome == "" {
			dataHome = filepath.Join(home, ".local", "share")
		}
	}
	return filepath.Join(configHome, "tidings", "config.toml"), filepath.Join(dataHome, "tidings", "tidings.db"), nil
}

// config loads the subscriptions, printing warnings for unknown keys.
func (e Env) config() (feed.Config, bool, error) {
	cfg, exists, warnings, err := feed.LoadConfig(e.ConfigPath)
	for _, w := range warnings {
		fmt.Fprintln(e.Stderr, "tidings: warning:", w)
	}
	return cfg, exists, err
}

// setup is what a command takes from the subscriptions file, read once.
type setup struct {
	subs      []feed.Subscription // --feed sources, else the subscriptions, else the defaults
	retention sqlite.Retention
	mouse     bool // [reader] mouse: the reader takes the mouse
}

// load reads the subscriptions file, printing its warnings once. With
// --feed sources it is not read: they replace the subscriptions, and a
// broken file must not stop reading a feed file.
func (e Env) load() (setup, error) {
	st := setup{retention: sqlite.DefaultRetention(), mouse: true}
	if len(e.Feeds) > 0 {
		for _, u := range e.Feeds {
			st.subs = append(st.subs, feed.Subscription{URL: u})
		}
		return st, nil
	}
	cfg, _, err := e.config()
	if err != nil {
		return st, err
	}
	st.retention = retentionOf(cfg)
	st.mouse = cfg.MouseOn()
	st.subs = cfg.Feeds
	if len(st.subs) == 0 {
		st.subs = feed.DefaultFeeds()
	}
	return st, nil
}

// retentionOf is the [retention] table of cfg over the defaults.
func retentionOf(cfg feed.Config) sqlite.Retention {
	r := sqlite.DefaultRetention()
	if cfg.Retention == nil {
		return r
	}
	if d := cfg.Retention.Days; d != nil {
		r.MaxAge = time.Duration(*d) * 24 * time.Hour
	}
	if n := cfg.Retention.PerFeed; n != nil {
		r.MaxPerFeed = *n
	}
	return r
}

// storeMode says how a command uses the database.
type storeMode int

const (
	writable storeMode = iota // the reader and fetch: read and write the user's database
	readOnly                  // snapshot, list, read: never write to it
)

// openStore opens the store a command reads. With --feed sources, or when
// it may not write and there is no database yet, the store is in memory:
// the user's database, if any, copied in, the bundled articles, and
// nothing written back.
func (e Env) openStore(ctx context.Context, mode storeMode, retention sqlite.Retention) (*sqlite.Store, error) {
	opts := sqlite.Options{Retention: retention, Now: e.Now, BusyTimeout: e.BusyTimeout}
	_, statErr := os.Stat(e.DBPath)
	exists := statErr == nil
	if len(e.Feeds) == 0 && mode == writable {
		s, rec, err := e.openWritable(ctx, opts)
		if rec != nil {
			fmt.Fprintln(e.Stderr, "tidings:", rec.Message())
		}
		return s, err
	}
	if len(e.Feeds) == 0 && exists {
		opts.ReadOnly = true
		return sqlite.Open(ctx, e.DBPath, opts)
	}
	s, err := sqlite.OpenMemory(ctx, opts)
	if err != nil {
		return nil, err
	}
	if exists && mode == readOnly {
		if err := s.CopyFrom(ctx, e.DBPath); err != nil {
			s.Close()
			return nil, err
		}
	}
	if err := addBundled(ctx, s); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// recovery is what openWritable did to a damaged database.
type recovery struct{ sqlite.Recovery }

// Message says what happened, what was kept and lost, and, last, where
// the damaged file went.
func (r recovery) Message() string { return r.String() }

// Notice is Message in a line, for the reader's status bar: with the home
// directory written ~, the path at its end has a better chance to fit.
func (r recovery) Notice() string {
	msg := r.Short()
	if home, err := os.UserHomeDir(); err == nil && home != "/" && strings.HasPrefix(r.MovedTo, home+string(filepath.Separator)) {
		msg = strings.TrimSuffix(msg, r.MovedTo) + "~" + strings.TrimPrefix(r.MovedTo, home)
	}
	return msg
}

// openWritable opens the user's database to write, with the bundled
// articles in it. A damaged database is set aside and rebuilt
// (sqlite.Recover); the recovery then says so.
func (e Env) openWritable(ctx context.Context, opts sqlite.Options) (*sqlite.Store, *recovery, error) {
	s, err := sqlite.Open(ctx, e.DBPath, opts)
	var rec *recovery
	if errors.Is(err, sqlite.ErrCorrupt) {
		// About 2 s of CPU per 10,000 articles (measured): say why nothing
		// shows yet.
		fmt.Fprintf(e.Stderr, "tidings: %v: rebuilding it from what can still be read…\n", err)
		var r sqlite.Recovery
		s, r, err = sqlite.Recover(ctx, e.DBPath, opts, err)
		if r.MovedTo != "" {
			rec = &recovery{r}
		}
	}
	if err != nil {
		return nil, rec, err
	}
	if err := addBundled(ctx, s); err != nil {
		s.Close()
		return nil, rec, err
	}
	return s, rec, nil
}

func addBundled(ctx context.Context, s *sqlite.Store) error {
	bundled, err := articles.Bundled()
	if err != nil {
		return err
	}
	return s.AddBundled(ctx, bundled)
}

// refresher fetches into s.
func (e Env) refresher(s *sqlite.Store) *feed.Refresher {
	return &feed.Refresher{
		Fetcher: feed.NewFetcher(feed.FetchOptions{UserAgent: "tidings/" + e.Version + " (terminal news reader)"}),
		Sink:    s,
		Now:     e.Now,
	}
}

// followMoves updates the subscriptions when a feed moved for good (301 or
// 308), so that the next refresh asks the new address.
func (e Env) followMoves(res feed.Result) {
	if res.MovedTo == "" || len(e.Feeds) > 0 {
		return
	}
	cfg, _, err := e.config()
	if err != nil {
		return
	}
	if i := cfg.Find(res.URL); i >= 0 && cfg.Find(res.MovedTo) < 0 {
		cfg.Feeds[i].URL = res.MovedTo
		if err := cfg.Save(e.ConfigPath); err != nil {
			fmt.Fprintln(e.Stderr, "tidings:", err)
		}
	}
}
