package sqlite

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ErrLocked is returned when another tidings holds the database's lock:
// the lock is taken only while a refresh runs, and for a moment at Open
// when the schema must change or a damaged database be rebuilt. Reading
// and marking articles never need it: SQLite's own locking serialises
// writes between processes (WAL, busy timeout).
var ErrLocked = errors.New("another tidings is using the database")

// ErrRefreshing is returned by LockRefresh when another refresh of the
// same database is under way. It is ErrLocked too.
var ErrRefreshing = fmt.Errorf("a refresh is already running: %w", ErrLocked)

// RefreshingError says which process refreshes the database.
type RefreshingError struct{ PID int }

func (e *RefreshingError) Error() string {
	if e.PID > 0 {
		return fmt.Sprintf("a refresh is already running (process %d); its articles will appear", e.PID)
	}
	return "a refresh is already running; its articles will appear"
}

func (e *RefreshingError) Unwrap() error { return ErrRefreshing }

// lockFile is an advisory lock on path+".lock" with the holder's PID
// written in it. The operating system drops the lock when its holder
// exits, however it exits, so a crash never leaves a stale lock behind.
type lockFile struct{ f *os.File }

func lockPath(db string) string { return db + ".lock" }

// acquireLock takes the lock of the database at db, or fails at once with
// an error wrapping ErrLocked that names the holder.
func acquireLock(db string) (*lockFile, error) {
	path := lockPath(db)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := tryLock(f); err != nil {
		f.Close()
		if errors.Is(err, errWouldBlock) {
			return nil, fmt.Errorf("%s: %w%s", db, ErrLocked, holder(path))
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	// The PID is for the message a second tidings shows; the lock is what
	// counts, so failing to write it is not an error.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0) //nolint:errcheck // see above
	}
	return &lockFile{f: f}, nil
}

// holderPID is the PID written in the lock file at path, or 0.
func holderPID(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}

// holder returns " (process N)" from the lock file at path, or "".
func holder(path string) string {
	if pid := holderPID(path); pid > 0 {
		return fmt.Sprintf(" (process %d)", pid)
	}
	return ""
}

// release drops the lock. The file stays: removing it would race with
// another tidings opening it.
func (l *lockFile) release() {
	if l != nil {
		l.f.Close()
	}
}

// usersPath is the file every process with the database open to write
// holds a shared lock on, for as long as it has it open: a rebuild, which
// moves the files, takes it exclusive, so it never moves them from under
// another process still writing to them.
func usersPath(db string) string { return db + ".open" }

// holdOpen takes the shared lock of a process with the database at db
// open to write.
func holdOpen(db string) (*lockFile, error) {
	return lockUsers(db, tryLockShared, "it is being rebuilt; start tidings again in a moment")
}

// aloneOpen takes the lock that says no other process has the database
// at db open to write, or fails with ErrLocked.
func aloneOpen(db string) (*lockFile, error) {
	return lockUsers(db, tryLock, "it must be rebuilt, which waits until every other tidings is closed")
}

// lockUsers takes the users' lock of db with lock (shared or exclusive),
// or fails at once with ErrLocked and why, when another process holds it.
func lockUsers(db string, lock func(*os.File) error, why string) (*lockFile, error) {
	path := usersPath(db)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := lock(f); err != nil {
		f.Close()
		if errors.Is(err, errWouldBlock) {
			return nil, fmt.Errorf("%s: %w: %s", db, ErrLocked, why)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return &lockFile{f: f}, nil
}

// storeLock is a Store's hold on the database's lock. Inside the process
// it counts its holders, so that the quick check runs during the
// process's own refresh; between processes the lock file decides.
type storeLock struct {
	mu      sync.Mutex
	held    *lockFile
	n       int
	refresh bool // a refresh holds it
}

// refreshWait is how long LockRefresh waits for a lock held for a moment
// (another tidings opening the database) before it reports a refresh.
const (
	refreshWait  = time.Second
	refreshProbe = 50 * time.Millisecond
)

// LockRefresh takes the database's lock for a refresh: one refresh at a
// time, whichever process starts it. When another refresh is under way it
// fails with a *RefreshingError naming its process. release gives the
// lock back; it is safe to call once.
func (s *Store) LockRefresh() (release func(), err error) {
	l := &s.lock
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.refresh {
		return nil, &RefreshingError{PID: os.Getpid()}
	}
	if l.n == 0 {
		if err := l.acquireWaiting(s.path); err != nil {
			return nil, err
		}
	}
	l.n++
	l.refresh = true
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			l.refresh = false
			l.put()
			l.mu.Unlock()
		})
	}, nil
}

// acquireWaiting takes the lock file, waiting up to refreshWait for a
// holder that only opens the database. Called with mu held.
func (l *storeLock) acquireWaiting(path string) error {
	if path == ":memory:" {
		return nil // no other process sees it
	}
	deadline := time.Now().Add(refreshWait)
	for {
		f, err := acquireLock(path)
		if err == nil {
			l.held = f
			return nil
		}
		if !errors.Is(err, ErrLocked) {
			return err
		}
		if time.Now().After(deadline) {
			return &RefreshingError{PID: holderPID(lockPath(path))}
		}
		time.Sleep(refreshProbe)
	}
}

// tryShared takes the lock without waiting, or joins this process's own
// hold on it; ok is false when another process holds it.
func (s *Store) tryShared() (release func(), ok bool) {
	l := &s.lock
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.n == 0 && s.path != ":memory:" {
		f, err := acquireLock(s.path)
		if err != nil {
			return nil, false
		}
		l.held = f
	}
	l.n++
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			l.put()
			l.mu.Unlock()
		})
	}, true
}

// put drops one hold, and the lock file with the last. Called with mu
// held.
func (l *storeLock) put() {
	l.n--
	if l.n == 0 {
		l.held.release()
		l.held = nil
	}
}

// releaseAll drops the lock whoever holds it, when the store closes.
func (l *storeLock) releaseAll() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.held.release()
	l.held, l.n, l.refresh = nil, 0, false
}
