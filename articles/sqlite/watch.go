package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// Watcher tells when another connection, in this process or another,
// changed the database: SQLite's data_version, read on one connection
// held for the purpose (it counts the commits of the connections other
// than the one that reads it, so it must always be the same). Asking
// costs one pragma, no read of any table.
type Watcher struct {
	mu   sync.Mutex
	conn *sql.Conn
	s    *Store
	last int64
}

// Watch starts watching the database for changes made by others.
func (s *Store) Watch(ctx context.Context) (*Watcher, error) {
	if s.path == ":memory:" {
		// Its only connection would be held by the watcher.
		return nil, errors.New("watch: a database in memory changes only here")
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, s.wrap("watch", err)
	}
	w := &Watcher{conn: conn, s: s}
	if w.last, err = w.version(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	s.watchers = append(s.watchers, w)
	return w, nil
}

func (w *Watcher) version(ctx context.Context) (int64, error) {
	var v int64
	if err := w.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		return 0, w.s.wrap("watch", err)
	}
	return v, nil
}

// Changed reports whether the database changed since the last call (or
// since Watch).
func (w *Watcher) Changed(ctx context.Context) (bool, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn == nil {
		return false, fmt.Errorf("watch %s: closed", w.s.path)
	}
	v, err := w.version(ctx)
	if err != nil {
		return false, err
	}
	changed := v != w.last
	w.last = v
	return changed, nil
}

// Close gives the connection back.
func (w *Watcher) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn == nil {
		return nil
	}
	err := w.conn.Close()
	w.conn = nil
	return err
}
