package sqlite

import (
	"context"
	"fmt"
)

// The file gives back what deletions free, in two ways:
//   - A new database is created with auto_vacuum = INCREMENTAL (see dsn),
//     and a database from before migration 11 is switched to it by one
//     VACUUM after that migration (vacuumAfterBodies), which also gives back
//     the space the compressed bodies freed.
//   - compact gives the free pages back to the file system once they are
//     a quarter of the file: after a feed is removed, or retention deleted
//     much. Fewer free pages are left for the next refresh to reuse, which
//     it does at no cost: shrinking the file each time only for it to grow
//     again would write more.

// compactShare is the share of free pages (1/compactShare of the file)
// past which compact gives them back, and compactMin the fewest pages
// worth it.
const (
	compactShare = 4
	compactMin   = 256
)

// compact gives the file's free pages back when they are many (see
// above). It is done after the write that freed them, in a write of its
// own: failing, it leaves them free and reused, which loses nothing, so
// its error is only returned for the caller to ignore or report.
func (s *Store) compact(ctx context.Context) error {
	if s.opts.ReadOnly || s.path == ":memory:" {
		return nil
	}
	var mode, free, pages int64
	err := s.db.QueryRowContext(ctx, `SELECT (SELECT auto_vacuum FROM pragma_auto_vacuum),
		(SELECT freelist_count FROM pragma_freelist_count), (SELECT page_count FROM pragma_page_count)`).Scan(&mode, &free, &pages)
	if err != nil {
		return s.wrap("measure free space in", err)
	}
	if mode != 2 || free < compactMin || free*compactShare < pages {
		return nil
	}
	_, err = s.exec(ctx, "compact", `PRAGMA incremental_vacuum`)
	return err
}

// vacuumAfterBodies rewrites a database that migration 11 just compressed:
// the bodies' old pages are free but still in the file, and auto_vacuum
// can only be switched on by a VACUUM. One VACUUM does both, on one
// connection (auto_vacuum is set on the connection that vacuums), then
// the write-ahead log it filled is emptied. VACUUM is one transaction: a
// crash leaves the database as it was before it, already migrated.
func (s *Store) vacuumAfterBodies(ctx context.Context) error {
	if s.path == ":memory:" {
		return nil
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return s.wrap("compact", err)
	}
	defer conn.Close()
	for _, q := range []string{`PRAGMA auto_vacuum = INCREMENTAL`, `VACUUM`, `PRAGMA wal_checkpoint(TRUNCATE)`} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return s.wrap(fmt.Sprintf("compact (%s)", q), err)
		}
	}
	return nil
}
