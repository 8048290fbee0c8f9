package sqlite

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"tidings/articles"
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

// rebuildHint is the way out of a damaged database, for the commands that
// meet the damage but do not rebuild it: the ones that open it read-only,
// and the reader until it starts again.
const rebuildHint = "nothing to do: tidings rebuilds it from what can still be read when it next starts, or at the next tidings fetch"

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
// rebuilt; the error is a *CorruptError. Two processes never check at
// once: while another tidings holds the database's lock, the check is left
// for the next start.
func (s *Store) QuickCheck(ctx context.Context) error {
	release, ok := s.tryShared()
	if !ok {
		return nil
	}
	defer release()
	var res string
	err := s.db.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&res)
	switch {
	case err != nil && !isCorrupt(err):
		return s.wrap("check", err)
	case err != nil:
		res = err.Error()
	case res == "ok":
		if !s.opts.ReadOnly {
			_, err = s.exec(ctx, "check", `INSERT INTO meta (key, value) VALUES ('checked', ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value`, s.opts.Now().Unix())
		}
		return err
	}
	reason := checkReason(res)
	markDamaged(s.path, reason)
	return &CorruptError{s.path, reason}
}

// checkReason is the first finding of a check, without the line that
// only names the database ("*** in database main ***").
func checkReason(res string) string {
	for _, line := range strings.Split(strings.TrimSpace(res), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "***") {
			return line
		}
	}
	return firstLine(res)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// Recovery tells what Recover did.
type Recovery struct {
	Cause        error  // why the database was rebuilt
	MovedTo      string // where the damaged file is now
	Feeds        int    // feeds kept, with their fetch state
	Articles     int    // articles kept, with their text and state
	Starred      int    // of them, starred
	Read         int    // of them, read
	LostArticles int    // articles the damaged file held that could not be read
	Lost         error  // the last error met reading it, if any
}

// String says what happened, what was kept and lost, what to do, and,
// last, where the damaged file is: a status line too narrow for all of it
// keeps the path whole.
func (r Recovery) String() string {
	reason := fmt.Sprint(r.Cause)
	if ce := (*CorruptError)(nil); errors.As(r.Cause, &ce) {
		reason = ce.Reason
	}
	s := fmt.Sprintf("The database was damaged (%s) and has been rebuilt: ", reason)
	switch {
	case r.Articles == 0 && r.Feeds == 0:
		s += "nothing could be read from it, the feeds will be fetched again"
		if r.Lost != nil {
			s += fmt.Sprintf(" (%s)", firstLine(r.Lost.Error()))
		}
	default:
		s += fmt.Sprintf("recovered %s (%s starred, %s read), lost %s",
			articles.Count(r.Articles, "article"), articles.Thousands(r.Starred), articles.Thousands(r.Read), articles.Thousands(r.LostArticles))
	}
	s += ". Nothing else to do"
	if r.LostArticles > 0 || r.Articles == 0 {
		s += " (tidings import --state brings back the marks of a state file exported before)"
	}
	return s + "; the damaged file is kept in case, and can be deleted: " + r.MovedTo
}

// Short is String in a line, for a status bar: what was kept and lost,
// and where the damaged file is, last.
func (r Recovery) Short() string {
	s := "The database was damaged and has been rebuilt: nothing could be read from it"
	if r.Articles > 0 || r.Feeds > 0 {
		s = fmt.Sprintf("The database was damaged and has been rebuilt: %s recovered, %s lost",
			articles.Count(r.Articles, "article"), articles.Thousands(r.LostArticles))
	}
	return s + "; nothing to do. Damaged file: " + r.MovedTo
}

// Recover rebuilds a damaged database from every row that can still be
// read (see salvage) and opens the rebuilt one in its place. The new
// database is built beside the old one first: until it is complete,
// nothing is moved, so a rebuild cut short leaves the damaged database to
// be rebuilt at the next start. Then the damaged file (and its WAL) is
// renamed, never deleted, with the time in its name. cause is the error
// Open gave.
func Recover(ctx context.Context, path string, o Options, cause error) (*Store, Recovery, error) {
	rec := Recovery{Cause: cause}
	if o.Now == nil {
		o.Now = time.Now
	}
	lock, err := acquireLock(path)
	if err != nil {
		return nil, rec, err
	}
	alone, err := aloneOpen(path) // the files move: no one may be writing to them
	if err != nil {
		lock.release()
		return nil, rec, err
	}
	got, err := rebuild(ctx, path, o)
	if err != nil {
		alone.release()
		lock.release()
		return nil, rec, fmt.Errorf("rebuild the damaged database %s (it is left as it was; starting tidings again tries again): %w", path, err)
	}
	rec.Feeds, rec.Articles, rec.Starred, rec.Read, rec.LostArticles, rec.Lost = got.feeds, got.articles, got.starred, got.read, got.lost, got.err
	moved := fmt.Sprintf("%s.damaged-%s", path, o.Now().Format("20060102-150405"))
	err = swapFiles(path, moved, rebuiltPath(path))
	os.Remove(damagedPath(path)) //nolint:errcheck // gone or not, the database is rebuilt
	alone.release()
	lock.release()
	if err != nil {
		return nil, rec, err
	}
	rec.MovedTo = moved
	s, err := Open(ctx, path, o)
	return s, rec, err
}

// rebuiltPath is where Recover builds the new database.
func rebuiltPath(db string) string { return db + ".rebuilding" }

// dbSuffixes are the endings of a database's files: itself, its WAL and
// the WAL's index.
func dbSuffixes() []string { return []string{"", "-wal", "-shm"} }

// rebuild builds a new database at rebuiltPath from what can be read of
// the one at path.
func rebuild(ctx context.Context, path string, o Options) (salvaged, error) {
	to := rebuiltPath(path)
	for _, suffix := range dbSuffixes() {
		if err := os.Remove(to + suffix); err != nil && !errors.Is(err, os.ErrNotExist) { // a rebuild cut short
			return salvaged{}, err
		}
	}
	s, err := Open(ctx, to, o)
	if err != nil {
		return salvaged{}, err
	}
	defer os.Remove(lockPath(to))  //nolint:errcheck // only Recover uses it, under the database's own lock
	defer os.Remove(usersPath(to)) //nolint:errcheck // as above
	got, err := salvage(ctx, s, path)
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return got, err
}

// swapFiles renames the damaged database at path to moved, and the
// rebuilt one into its place.
func swapFiles(path, moved, rebuilt string) error {
	for _, suffix := range dbSuffixes() {
		if err := os.Rename(path+suffix, moved+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("set aside %s: %w", path+suffix, err)
		}
	}
	for _, suffix := range dbSuffixes() {
		if err := os.Rename(rebuilt+suffix, path+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("put the rebuilt database in place of %s (it is at %s): %w", path, rebuilt, err)
		}
	}
	// Reading the damaged file left an empty WAL and its index beside it:
	// not worth keeping. A WAL with pages in it is part of the file.
	if st, err := os.Stat(moved + "-wal"); err == nil && st.Size() == 0 {
		os.Remove(moved + "-wal") //nolint:errcheck // clutter only
		os.Remove(moved + "-shm") //nolint:errcheck // clutter only
	}
	return nil
}
