//go:build !unix

package sqlite

import (
	"errors"
	"os"
)

var errWouldBlock = errors.New("locked")

// tryLock does nothing where flock is missing: SQLite's own locking still
// keeps two writers from corrupting the database.
func tryLock(*os.File) error { return nil }

// tryLockShared does nothing where flock is missing.
func tryLockShared(*os.File) error { return nil }
