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
	"tidings/feed/fetch"
	"tidings/feed/fullpage"
	"tidings/feed/remote"
	"tidings/feed/subs"
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
	// Getenv reads the environment (the sync secret's variables); the
	// process's when nil.
	Getenv func(string) string
	// Dial, when set, gives the feed server of [sync] instead of the
	// client its kind names: tests give a server in memory.
	Dial func(subs.Sync) (remote.Server, error)

	// read is the subscriptions file as a command read it once
	// (readConfig), nil before: config returns it instead of reading the
	// file again, and printing its warnings again.
	read *readConfig
}

type readConfig struct {
	cfg    subs.Config
	exists bool
	err    error
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
func (e Env) config() (subs.Config, bool, error) {
	if e.read != nil {
		return e.read.cfg, e.read.exists, e.read.err
	}
	cfg, exists, warnings, err := subs.Load(e.ConfigPath)
	for _, w := range warnings {
		fmt.Fprintln(e.Stderr, "tidings: warning:", w)
	}
	return cfg, exists, err
}

// readConfig is e with the subscriptions file read, for a command whose
// steps each consult it.
func (e Env) readConfig() Env {
	cfg, exists, err := e.config()
	e.read = &readConfig{cfg, exists, err}
	return e
}

// setup is what a command takes from the subscriptions file, read once.
type setup struct {
	subs      []subs.Subscription // --feed sources, else the subscriptions, else the defaults
	retention sqlite.Retention
	mouse     bool   // [reader] mouse: the reader takes the mouse
	bidi      string // [reader] bidi: how right-to-left text is shown
	images    string // [reader] images: "auto" or "off"
	// account is the feed server of [sync], nil without one. subs are
	// then the feeds of the file only (no defaults): the server's come
	// from the store, which a sync keeps up to date.
	account *account
	// keys and theme are [keys] and [theme], checked by the commands
	// that show the reader (looksOf): a rebound key does not stop a fetch.
	keys  *subs.Keys
	theme *subs.Theme
	// searches are [[searches]]: the reader lists them, list --search
	// takes their names.
	searches []subs.Search
	// notify is [[notify]] and notify_command: what a refresh brings
	// that the rules match is told (notify.go).
	notify notifySetup
	// ignore are the [[ignore]] rules, tags resolved; rulesRead says
	// they come from the file (see applyIgnore).
	ignore    []articles.Query
	rulesRead bool
}

// load reads the subscriptions file, printing its warnings once. With
// --feed sources it is not read: they replace the subscriptions, and a
// broken file must not stop reading a feed file.
func (e Env) load() (setup, error) {
	st := defaultSetup()
	if len(e.Feeds) > 0 {
		for _, u := range e.Feeds {
			st.subs = append(st.subs, subs.Subscription{URL: u})
		}
		return st, nil
	}
	cfg, _, err := e.config()
	if err != nil {
		return st, err
	}
	st.retention = retentionOf(cfg)
	st.mouse = cfg.MouseOn()
	st.bidi = cfg.BidiMode()
	st.images = cfg.ImagesMode()
	st.keys, st.theme = cfg.Keys, cfg.Theme
	st.searches = cfg.Searches
	st.notify = notifyOf(cfg)
	st.ignore, st.rulesRead = ignoreRulesOf(cfg), true
	st.subs = cfg.Feeds
	st.account = e.newAccount(cfg)
	if len(st.subs) == 0 && st.account == nil {
		st.subs = subs.DefaultFeeds()
	}
	return st, nil
}

// defaultSetup is the setup with no subscriptions file.
func defaultSetup() setup {
	return setup{retention: sqlite.DefaultRetention(), mouse: true, bidi: subs.BidiAuto, images: subs.ImagesAuto}
}

// setupOf is the setup of a subscriptions file already read.
func setupOf(cfg subs.Config) setup {
	st := defaultSetup()
	st.retention = retentionOf(cfg)
	st.ignore, st.rulesRead = ignoreRulesOf(cfg), true
	return st
}

// retentionOf is the [retention] table of cfg over the defaults.
func retentionOf(cfg subs.Config) sqlite.Retention {
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

// storeUse is what a command does with the database. openStore turns it,
// in this one place, into how the database is opened:
//
//	use        with --feed sources              the user's database
//	forWrite   in memory, bundled articles      read-write, created if need be; damaged: set aside and rebuilt
//	forReader  in memory, bundled articles      as forWrite; but while another tidings holds it and it must be
//	                                            upgraded or rebuilt: read-only, and the reader says so
//	forRead    in memory: the database copied  read-only, never written; no database yet: in memory,
//	           in, bundled, the sources read    bundled articles
//
// --feed sources never touch the user's database: what they bring lives in
// memory for the one run. A command that only reads never writes, so that
// it runs beside a refresh, from cron, or on a read-only file.
type storeUse int

const (
	forWrite  storeUse = iota // fetch, add, import, remove, marks
	forReader                 // the interactive reader
	forRead                   // snapshot, list, read, feeds, export
)

// opened says how openStore opened the database for the reader.
type opened struct {
	readOnly bool
	notice   string // a damaged database was set aside: what and where
}

// openStore opens the store for use, as the table of storeUse says. st
// gives the retention and, with --feed, the sources a forRead command
// reads in; a broken source is reported and the others still load.
func (e Env) openStore(ctx context.Context, use storeUse, st setup) (*sqlite.Store, opened, error) {
	opts := sqlite.Options{Retention: st.retention, Now: e.Now, BusyTimeout: e.BusyTimeout}
	switch {
	case len(e.Feeds) > 0:
		s, err := e.openMemory(ctx, use, opts, st.subs)
		return s, opened{}, err
	case use == forRead:
		s, err := e.openToRead(ctx, opts)
		return s, opened{}, err
	}
	s, rec, err := e.openOrRebuild(ctx, opts)
	var o opened
	if rec != nil {
		o.notice = rec.Notice()
		fmt.Fprintln(e.Stderr, "tidings:", rec.Message()) // still there after the reader quits
	}
	if err == nil {
		if err = applyIgnore(ctx, s, st); err != nil {
			s.Close()
			return nil, o, err
		}
	}
	if use == forWrite || (!errors.Is(err, sqlite.ErrLocked) && !errors.Is(err, sqlite.ErrBusy)) {
		return s, o, err
	}
	o.readOnly = true
	s, err = e.openToRead(ctx, opts)
	return s, o, err
}

// openToRead opens the user's database read-only, or, when there is none
// yet, a store in memory with the bundled articles: reading never creates
// the file.
func (e Env) openToRead(ctx context.Context, opts sqlite.Options) (*sqlite.Store, error) {
	if _, err := os.Stat(e.DBPath); err == nil {
		opts.ReadOnly = true
		return sqlite.Open(ctx, e.DBPath, opts)
	}
	return e.openMemory(ctx, forWrite, opts, nil)
}

// openMemory is the store of a run with --feed sources: in memory, with
// the bundled articles; to read, the user's database copied in and the
// sources read into it.
func (e Env) openMemory(ctx context.Context, use storeUse, opts sqlite.Options, sources []subs.Subscription) (*sqlite.Store, error) {
	s, err := sqlite.OpenMemory(ctx, opts)
	if err != nil {
		return nil, err
	}
	if err := e.fillMemory(ctx, s, use, sources); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (e Env) fillMemory(ctx context.Context, s *sqlite.Store, use storeUse, sources []subs.Subscription) error {
	if _, err := os.Stat(e.DBPath); err == nil && use == forRead {
		if err := s.CopyFrom(ctx, e.DBPath); err != nil {
			return err
		}
	}
	if err := addBundled(ctx, s); err != nil {
		return err
	}
	if use != forRead || len(sources) == 0 {
		return nil
	}
	if e.Offline {
		sources = localOnly(sources)
	}
	e.refresher(s).Run(ctx, sources, func(res feed.Result) {
		if res.Err != nil {
			fmt.Fprintln(e.Stderr, "tidings:", res.Err)
		}
	})
	return nil
}

// recovery is what openOrRebuild did to a damaged database.
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

// openOrRebuild opens the user's database to write, with the bundled
// articles in it. A damaged database is set aside and rebuilt
// (sqlite.Recover); the recovery then says so.
func (e Env) openOrRebuild(ctx context.Context, opts sqlite.Options) (*sqlite.Store, *recovery, error) {
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
	r := &feed.Refresher{
		Fetcher: fetch.New(fetch.Options{UserAgent: "tidings/" + e.Version + " (terminal news reader)"}),
		Sink:    s,
		Now:     e.Now,
	}
	if !e.Offline { // --offline refreshes local files, and fetches no page
		pages := fullpage.NewFetcher("tidings/" + e.Version + " (terminal news reader)")
		r.FullText = func(ctx context.Context, url string) {
			// A page that fails is kept as a failure, shown when the
			// article is; only the store failing is lost here, and the
			// next refresh asks again.
			fullpage.Fill(ctx, pages, s, url, e.Now) //nolint:errcheck
		}
	}
	return r
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
