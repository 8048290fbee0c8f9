package sqlite

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// ErrLocked is returned by Open when another tidings has the database open
// to write. SQLite's own locking would keep the two from corrupting it, but
// their writes would interleave and each would wait on the other; so one
// tidings writes at a time, and a second one reads.
var ErrLocked = errors.New("another tidings is using the database")

// lockFile is the lock a writable Store holds for as long as it is open:
// an advisory lock on path+".lock" with the holder's PID written in it.
// The operating system drops the lock when its holder exits, however it
// exits, so a crash never leaves a stale lock behind.
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

// holder returns " (process N)" from the lock file at path, or "".
func holder(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return ""
	}
	return fmt.Sprintf(" (process %d)", pid)
}

// release drops the lock. The file stays: removing it would race with
// another tidings opening it.
func (l *lockFile) release() {
	if l != nil {
		l.f.Close()
	}
}
