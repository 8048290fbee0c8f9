// Package sqlite keeps articles, their read and starred state and the feeds
// they came from in an SQLite database (modernc.org/sqlite: pure Go, no
// cgo), with an FTS5 index for search.
//
// Design:
//   - The list asks for pages of rows newest first; every filter has an
//     index in that order, and per-feed counters kept by triggers give the
//     counts without a scan, so the first frame costs one indexed query.
//   - Search goes through FTS5 with prefix terms, ranked by bm25. The
//     index holds what articles.SearchText makes of the text (CJK runs as
//     bigrams, emoji as words), through a view that calls it as an SQL
//     function: see migration 4.
//   - One transaction per feed refresh: a crash leaves the feed as it was
//     before or after, never half written. WAL with synchronous=NORMAL
//     keeps committed state through a process crash.
//   - Read and starred state lives on the article row; a re-fetch or an
//     upstream edit updates the text and never touches the state.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the driver, registered as "sqlite"

	"tidings/articles"
)

// Retention bounds what a feed keeps. Starred articles are never removed,
// nor, whatever their age, the articles the feed lists now.
type Retention struct {
	MaxAge     time.Duration // 0: no age limit
	MaxPerFeed int           // 0: no count limit
}

// DefaultRetention keeps 90 days and at most 1,000 articles a feed.
func DefaultRetention() Retention {
	return Retention{MaxAge: 90 * 24 * time.Hour, MaxPerFeed: 1000}
}

// Options configure a Store.
type Options struct {
	ReadOnly  bool // open an existing database without writing to it
	Retention Retention
	Now       func() time.Time
	// BusyTimeout is how long a write waits for another process that is
	// writing to the same database: default 5 s, then ErrBusy.
	BusyTimeout time.Duration
}

// Store is an articles.Store in an SQLite database.
type Store struct {
	db       *sql.DB
	path     string
	opts     Options
	lock     storeLock         // held while a refresh runs, or the quick check
	users    *lockFile         // shared, while open to write: see usersPath
	onBusy   func(attempt int) // called before a busy write is tried again; for tests
	watchers []*Watcher
	// oldIndex is set when a read-only store reads a database whose
	// index an older tidings built (see searchTextSchema).
	oldIndex bool
	// noRemote is set when a read-only store reads a database from before
	// sync (remoteSchema): it has no synced feeds, articles or marks.
	noRemote bool
	// noFullText: the same, from before the full_text table (fullTextSchema).
	noFullText bool
	// noFields: the same, from before the index of fields (fieldsSchema):
	// its queries check every row's fields instead.
	noFields bool
	// noStory: the same, from before stories (storySchema): every
	// article is its own.
	noStory bool
	// noIgnore: the same, from before ignore rules (ignoreSchema).
	noIgnore bool
	// noPairs: the same, from before the index of word pairs (pairsSchema).
	noPairs bool
	// noVocab: the same, from before the index's vocabulary (vocabSchema).
	noVocab bool
	// allPairs: the same, from before distinctSchema: its index of pairs
	// holds the pairs of short words too, as oldPairToken.
	allPairs bool
	// ignore are the ignore rules new articles are judged by, set by
	// SetIgnoreRules before the store is shared.
	ignore []articles.Query
}

// ErrBusy is returned when another process holds the database past the
// busy timeout.
var ErrBusy = errors.New("the database is busy: another tidings is writing to it")

// Open opens (creating it if needed) the database at path and brings its
// schema up to date.
//
// A writable Open takes the database's lock only for as long as it opens
// it: many processes may have the database open to read and write at
// once, SQLite serialising their writes. When another tidings holds the
// lock (it refreshes the feeds), Open goes on without it if the schema is
// current, and fails with ErrLocked if it would have to change it.
func Open(ctx context.Context, path string, o Options) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if !o.ReadOnly {
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
	} else if _, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if o.BusyTimeout <= 0 {
		o.BusyTimeout = 5 * time.Second
	}
	var lock *lockFile
	var lockErr error
	if !o.ReadOnly {
		lock, lockErr = acquireLock(path)
		if lockErr != nil && !errors.Is(lockErr, ErrLocked) {
			return nil, lockErr
		}
		defer lock.release() // held only while opening
		if err := checkMarker(path); err != nil {
			return nil, err
		}
	}
	if err := checkHeader(path); err != nil {
		return nil, withHint(err, o.ReadOnly)
	}
	var users *lockFile
	if !o.ReadOnly {
		if users, err = holdOpen(path); err != nil {
			return nil, err
		}
	}
	s, err := openLocked(ctx, dsn(abs, o.ReadOnly, o.BusyTimeout), path, o, lockErr)
	if err != nil {
		users.release()
		if isCorrupt(err) {
			err = &CorruptError{path, firstLine(err.Error())}
		}
		return nil, withHint(err, o.ReadOnly)
	}
	s.users = users
	return s, nil
}

// withHint adds the way out to the error of a damaged database opened
// read-only: a writable Open's error goes to Recover, which rebuilds it.
func withHint(err error, readOnly bool) error {
	if readOnly && errors.Is(err, ErrCorrupt) {
		return fmt.Errorf("%w; %s", err, rebuildHint)
	}
	return err
}

// OpenMemory opens a private database in memory, for the articles a
// command reads without keeping them.
func OpenMemory(ctx context.Context, o Options) (*Store, error) {
	o.ReadOnly = false
	s, err := open(ctx, "file::memory:?_pragma=foreign_keys(1)", ":memory:", o)
	if err != nil {
		return nil, err
	}
	return s, nil
}

func dsn(abs string, readOnly bool, busy time.Duration) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	if readOnly {
		q.Set("mode", "ro")
	} else {
		// Set before the file exists, for new databases only (see
		// vacuum.go). Pages stay SQLite's 4 KB: an earlier page_size(16384)
		// here never applied (the driver runs the _pragma list sorted by
		// name, and journal_mode(WAL) first fixes the page size), and with
		// 16 KB pages a database truncated to 60% lost every article to the
		// salvage (TestTruncatedDatabaseIsSetAside), for 8% less file with
		// compressed bodies (measured at 10,000 articles: 31.5 -> 29.1 MB).
		q.Add("_pragma", "auto_vacuum = INCREMENTAL")
		// Each statement of a refresh that may fail halfway (an insert
		// into a full-text index) first copies the pages it changes to a
		// statement journal, a temporary file by default: a third of the
		// writer's system calls. Kept in memory, only for the statement
		// (measured, 1,000 feeds of 50 items: 40.0 -> 32.6 s, the same
		// peak memory).
		q.Add("_pragma", "temp_store = MEMORY")
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "NORMAL")
		q.Set("_txlock", "immediate")
	}
	u := url.URL{Scheme: "file", Path: abs, RawQuery: q.Encode()}
	return u.String()
}

func open(ctx context.Context, dsn, path string, o Options) (*Store, error) {
	return openLocked(ctx, dsn, path, o, nil)
}

// openLocked opens the database; lockErr is why Open could not take the
// lock (nil when it holds it), which forbids changing the schema.
func openLocked(ctx context.Context, dsn, path string, o Options, lockErr error) (*Store, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if path == ":memory:" {
		// Every connection to ":memory:" is a new database: keep one.
		db.SetMaxOpenConns(1)
	}
	s := &Store{db: db, path: path, opts: o}
	if err := s.migrate(ctx, lockErr); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database and releases its lock.
func (s *Store) Close() error {
	for _, w := range s.watchers {
		w.Close() //nolint:errcheck // the database's own error matters
	}
	err := s.db.Close()
	s.lock.releaseAll()
	s.users.release()
	return err
}

// Path is where the database lives.
func (s *Store) Path() string { return s.path }

// remoteSchema is the schema version from which feeds and articles may
// come from a feed server.
const remoteSchema = 5

// minReadable is the oldest schema a read-only store reads without
// migrating: the tables and columns it reads have not changed since. So
// list and snapshot work on a database the new version has not opened to
// write yet.
const minReadable = 1

// migrate runs the migrations the database has not seen yet, each in its
// own transaction.
func (s *Store) migrate(ctx context.Context, lockErr error) error {
	var version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return s.wrap("read schema version", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("open %s: schema version %d is newer than this tidings knows (%d): upgrade tidings", s.path, version, len(migrations))
	}
	if version == len(migrations) {
		return nil
	}
	if s.opts.ReadOnly && version >= minReadable {
		s.oldIndex = version < searchTextSchema
		s.noRemote = version < remoteSchema
		s.noFullText = version < fullTextSchema
		s.noFields = version < fieldsSchema
		s.noStory = version < storySchema
		s.noIgnore = version < ignoreSchema
		s.noPairs = version < pairsSchema
		s.noVocab = version < vocabSchema
		s.allPairs = version < distinctSchema
		return nil // read as it is: the next writer migrates it
	}
	if s.opts.ReadOnly {
		return fmt.Errorf("open %s: schema version %d needs migrating, and the database is open read-only", s.path, version)
	}
	if lockErr != nil {
		// Another tidings refreshes it with the schema it knows: changing
		// the tables under it would break its writes.
		return fmt.Errorf("upgrade %w; start tidings again when it is done", lockErr)
	}
	for v := version; v < len(migrations); v++ {
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
				return err
			}
			if v+1 == storySchema {
				if err := backfillStories(ctx, tx); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(v+1))
			return err
		})
		if err != nil {
			return s.wrap(fmt.Sprintf("migrate to schema %d", v+1), err)
		}
	}
	if version > 0 && version < bodySchema {
		return s.vacuumAfterBodies(ctx)
	}
	return nil
}

// inTx runs f in a transaction. Failing to begin or to commit, which is
// where another process holding the database shows, is reported with the
// database's name; f's own errors come back as they are. A transaction
// that found the database busy past the busy timeout is tried again (see
// retry).
func (s *Store) inTx(ctx context.Context, f func(*sql.Tx) error) error {
	return s.retry(ctx, func() error { return s.tx(ctx, f) })
}

func (s *Store) tx(ctx context.Context, f func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap("write to", err)
	}
	if err := f(tx); err != nil {
		tx.Rollback() //nolint:errcheck // the error that matters is f's
		return err
	}
	return s.wrap("write to", tx.Commit())
}

// busyAttempts bounds how often a write that found the database busy is
// tried: each attempt waits up to the busy timeout (5 s by default) for
// the other process, whose transactions (one feed's articles, a mark)
// last far less. A mark is not lost because a long refresh was writing.
const busyAttempts = 4

// retry runs write until it succeeds, fails otherwise than busy, or has
// been tried busyAttempts times.
func (s *Store) retry(ctx context.Context, write func() error) error {
	err := write()
	for attempt := 1; attempt < busyAttempts && errors.Is(err, ErrBusy) && ctx.Err() == nil; attempt++ {
		if s.onBusy != nil {
			s.onBusy(attempt)
		}
		// SQLite may report busy without waiting (a deadlock it sees
		// between two transactions): give the other a moment.
		time.Sleep(time.Duration(attempt) * 20 * time.Millisecond)
		err = write()
	}
	return err
}

// exec runs one statement outside a transaction, tried again while busy
// as inTx is; what names the write in errors.
func (s *Store) exec(ctx context.Context, what, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := s.retry(ctx, func() error {
		var err error
		res, err = s.db.ExecContext(ctx, query, args...)
		return s.wrap(what, err)
	})
	return res, err
}

// wrap names the database in an error, and says plainly when another
// process holds it.
func (s *Store) wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	if strings.Contains(err.Error(), s.path) {
		return err // wrapped already
	}
	msg := err.Error()
	if isCorrupt(err) && s.path != ":memory:" {
		markDamaged(s.path, firstLine(msg))
		return fmt.Errorf("%s %s: %w; %s", what, s.path, &CorruptError{s.path, firstLine(msg)}, rebuildHint)
	}
	if strings.Contains(msg, "database or disk is full") || strings.Contains(msg, "SQLITE_FULL") {
		return fmt.Errorf("%s %s: the disk is full, nothing of this write was kept: %w", what, s.path, err)
	}
	if strings.Contains(msg, "disk I/O error") || strings.Contains(msg, "SQLITE_IOERR") {
		return fmt.Errorf("%s %s: the disk refused a write (is it full?), nothing of this write was kept: %w", what, s.path, err)
	}
	if strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked") {
		return fmt.Errorf("%s %s: %w", what, s.path, ErrBusy)
	}
	if strings.Contains(msg, "readonly") || strings.Contains(msg, "READONLY") {
		return fmt.Errorf("%s %s: the database is open read-only: %w", what, s.path, err)
	}
	return fmt.Errorf("%s %s: %w", what, s.path, err)
}

// parseID reads an article ID; bundled and fetched articles alike have
// integer IDs here.
func parseID(id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("article %q: %w", id, articles.ErrNotFound)
	}
	return n, nil
}

var _ articles.Store = (*Store)(nil)

// Check runs SQLite's integrity check, the full-text index's own, and
// compares the per-feed counters with the articles.
func (s *Store) Check(ctx context.Context) error {
	var res string
	if err := s.db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return s.wrap("check", err)
	}
	if res != "ok" {
		return fmt.Errorf("check %s: %s", s.path, res)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)`); err != nil && !s.opts.ReadOnly {
		return fmt.Errorf("check %s: full-text index: %w", s.path, err)
	}
	if !s.noFields {
		if _, err := s.db.ExecContext(ctx, `INSERT INTO articles_fields (articles_fields, rank) VALUES ('integrity-check', 1)`); err != nil && !s.opts.ReadOnly {
			return fmt.Errorf("check %s: index of fields: %w", s.path, err)
		}
	}
	var bad int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM feeds f WHERE total != (SELECT count(*) FROM articles a WHERE a.feed_id = f.id)
		OR unread != (SELECT count(*) FROM articles a WHERE a.feed_id = f.id AND NOT a.read)`).Scan(&bad)
	if err != nil {
		return s.wrap("check", err)
	}
	if bad > 0 {
		return fmt.Errorf("check %s: %d feeds have wrong counts", s.path, bad)
	}
	return nil
}
