package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"
)

// ErrCorrupt is wrapped by the errors of a damaged database: see
// CorruptError.
var ErrCorrupt = errors.New("the database is damaged")

// CorruptError says which database is damaged and how it showed.
type CorruptError struct {
	Path   string
	Reason string
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("%s: the database is damaged (%s)", e.Path, e.Reason)
}

func (e *CorruptError) Unwrap() error { return ErrCorrupt }

// damagedPath is the marker left beside a database found damaged while in
// use; the next Open sees it and asks for the database to be rebuilt.
func damagedPath(db string) string { return db + ".damaged" }

// sqliteHeaderSize is the size of the header at the start of every SQLite
// database file.
const sqliteHeaderSize = 100

// checkHeader looks at the file's header, which costs one read: that it is
// an SQLite database, and that the file holds every page the header
// counts, which a truncated copy does not. A full check of every page
// takes seconds on a large database and runs later (QuickCheck). An empty
// or missing file is fine: SQLite makes a new database there.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.Size() == 0 {
		return err
	}
	h := make([]byte, sqliteHeaderSize)
	if _, err := io.ReadFull(f, h); err != nil {
		return &CorruptError{path, fmt.Sprintf("%d bytes, shorter than a database header", st.Size())}
	}
	if !bytes.HasPrefix(h, []byte("SQLite format 3\x00")) {
		return &CorruptError{path, "not an SQLite database"}
	}
	pageSize := int64(binary.BigEndian.Uint16(h[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	if pageSize < 512 || pageSize&(pageSize-1) != 0 {
		return &CorruptError{path, fmt.Sprintf("page size %d in its header", pageSize)}
	}
	// The page count is valid when the change counter matches the
	// "version valid for" field; older writers left it stale.
	pages := int64(binary.BigEndian.Uint32(h[28:32]))
	if bytes.Equal(h[24:28], h[92:96]) && st.Size() < pages*pageSize {
		return &CorruptError{path, fmt.Sprintf("truncated: %d bytes of %d", st.Size(), pages*pageSize)}
	}
	return nil
}

// isCorrupt reports whether err is SQLite saying the file is damaged or
// is no database.
func isCorrupt(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	for _, s := range []string{"SQLITE_CORRUPT", "malformed", "SQLITE_NOTADB", "file is not a database"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// markDamaged leaves the marker that makes the next Open report the
// database damaged, so that it is rebuilt at the next start rather than
// failing again and again.
func markDamaged(path, reason string) {
	os.WriteFile(damagedPath(path), []byte(reason+"\n"), 0o644) //nolint:errcheck // the error that found it is reported anyway
}

// checkMarker returns the CorruptError a marker left, if any.
func checkMarker(path string) error {
	b, err := os.ReadFile(damagedPath(path))
	if err != nil {
		return nil
	}
	reason := strings.TrimSpace(string(b))
	if reason == "" {
		reason = "found damaged earlier"
	}
	return &CorruptError{path, reason}
}

// checkInterval is how often QuickCheckDue asks for a full check.
const checkInterval = 24 * time.Hour

// QuickCheckDue reports whether the last full check is more than a day
// old: it reads every page, about a second for 100,000 articles.
func (s *Store) QuickCheckDue(ctx context.Context) bool {
	var last int64
	err := s.db.QueryRowContext(ctx, `SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'checked'`).Scan(&last)
	return err != nil || s.opts.Now().Sub(time.Unix(last, 0)) > checkInterval
}

// QuickCheck runs SQLite's quick check over every page. If the database
// is damaged, it is marked so that the next Open reports it and it can be
// rebuilt; the error is a *CorruptError.
func (s *Store) QuickCheck(ctx context.Context) error {
	var res string
	err := s.db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&res)
	switch {
	case err != nil && !isCorrupt(err):
		return s.wrap("check", err)
	case err != nil:
		res = err.Error()
	case res == "ok":
		if !s.opts.ReadOnly {
			_, err = s.db.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('checked', ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value`, s.opts.Now().Unix())
		}
		return s.wrap("check", err)
	}
	reason := firstLine(res)
	markDamaged(s.path, reason)
	return &CorruptError{s.path, reason}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// Recovery tells what Recover did.
type Recovery struct {
	Cause   error  // why the database was set aside
	MovedTo string // where the damaged file is now
	Starred int    // starred articles saved from it
	Read    int    // read marks saved from it
	Lost    error  // why the rest could not be read, if it could not
}

func (r Recovery) String() string {
	s := fmt.Sprintf("%v: moved it to %s and started a new one", r.Cause, r.MovedTo)
	if r.Starred+r.Read > 0 {
		s += fmt.Sprintf(", keeping %d starred and %d read articles from it", r.Starred, r.Read)
	}
	return s
}

// Recover sets a damaged database aside and opens a new one in its place:
// the damaged file (and its WAL) is renamed, never deleted, with the time
// in its name; then the read and starred state that can still be read
// from it is put in the new database (starred articles whole, read marks
// applied when their feed brings the article back). cause is the error
// Open gave.
func Recover(ctx context.Context, path string, o Options, cause error) (*Store, Recovery, error) {
	rec := Recovery{Cause: cause}
	lock, err := acquireLock(path)
	if err != nil {
		return nil, rec, err
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	moved := fmt.Sprintf("%s.damaged-%s", path, o.Now().Format("20060102-150405"))
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Rename(path+suffix, moved+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			lock.release()
			return nil, rec, fmt.Errorf("set aside %s: %w", path+suffix, err)
		}
	}
	os.Remove(damagedPath(path)) //nolint:errcheck // gone or not, the new database is fresh
	lock.release()
	rec.MovedTo = moved
	s, err := Open(ctx, path, o)
	if err != nil {
		return nil, rec, err
	}
	entries, lost := readState(ctx, moved)
	rec.Lost = lost
	for _, e := range entries {
		if e.Starred {
			rec.Starred++
		} else {
			rec.Read++
		}
	}
	if _, err := s.ImportState(ctx, entries); err != nil {
		rec.Lost = err
		rec.Starred, rec.Read = 0, 0
	}
	return s, rec, nil
}

// readState reads what it can of the state in a damaged database. The
// quick way is one query; when damage is in its way, each article is
// looked up by its ID, so that one damaged page costs only its rows.
func readState(ctx context.Context, path string) ([]StateEntry, error) {
	// writable_schema lets SQLite read a file shorter than its header says
	// (it refuses otherwise); mode=ro still keeps it from writing.
	u := url.URL{Scheme: "file", Path: path, RawQuery: "mode=ro&_pragma=writable_schema(1)"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return nil, err
	}
	defer db.Close()
	entries, err := queryState(ctx, db, "a.read OR a.starred")
	if err == nil {
		return entries, nil
	}
	return probeState(ctx, db)
}

// probeGiveUp is how many IDs in a row may be missing or unreadable
// before probeState stops, when the highest ID cannot be read: then the
// end of the table is lost, and probing on costs time (about 75 µs an
// ID) for rows that are most likely lost with it.
const probeGiveUp = 20_000

// probeState reads the state of each article by its ID, skipping the ones
// that cannot be read, and returns the last error met.
func probeState(ctx context.Context, db *sql.DB) ([]StateEntry, error) {
	feeds := map[int64]string{}
	var lastErr error
	if rows, err := db.QueryContext(ctx, `SELECT id, url FROM feeds`); err == nil {
		for rows.Next() {
			var id int64
			var url string
			if rows.Scan(&id, &url) == nil {
				feeds[id] = url
			}
		}
		lastErr = rows.Err()
		rows.Close()
	}
	lo, hi := int64(1), int64(-1)
	db.QueryRowContext(ctx, `SELECT min(id) FROM articles`).Scan(&lo) //nolint:errcheck // 1 will do
	db.QueryRowContext(ctx, `SELECT max(id) FROM articles`).Scan(&hi) //nolint:errcheck // probe until the gap
	var entries []StateEntry
	misses := 0
	for id := lo; hi >= 0 && id <= hi || hi < 0 && misses < probeGiveUp; id++ {
		e, feedID, err := probeArticle(ctx, db, id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			misses++
		case err != nil:
			misses++
			lastErr = err
		default:
			misses = 0
			if e.Feed = feeds[feedID]; e.Feed != "" && (e.Read || e.Starred) {
				entries = append(entries, e)
			}
		}
		if ctx.Err() != nil {
			return entries, ctx.Err()
		}
	}
	return entries, lastErr
}

func probeArticle(ctx context.Context, db *sql.DB, id int64) (StateEntry, int64, error) {
	var e StateEntry
	var feedID int64
	row := db.QueryRowContext(ctx, `SELECT a.feed_id, `+stateColumns+` FROM articles a WHERE a.id = ?`, id)
	err := scanState(row.Scan, &e, &feedID)
	return e, feedID, err
}
