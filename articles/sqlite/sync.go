package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"tidings/articles"
)

// Sync with a feed server. The server is the source of the feeds and
// articles that carry its IDs (the remote columns); tidings keeps a copy
// to read offline, and a queue of the marks made here. The rule when the
// server and this machine both changed an article's state: the newer
// change wins. A mark waiting in the queue is newer than a server change
// made before it, and older than one made after; where the server gives
// no time of change, a waiting mark wins, since the server's state is
// then as old as the last sync.

// queueMarks puts in the sync queue a mark of kind (starred or read) to
// value for the articles from a feed server among those sel selects (a
// query of one column, remote), replacing any mark of theirs waiting.
// The caller changes the articles in the same transaction.
func queueMarks(ctx context.Context, tx *sql.Tx, starred, value bool, at time.Time, sel string, args ...any) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO sync_queue (remote, starred, value, at)
		SELECT remote, ?, ?, ? FROM (`+sel+`) WHERE remote IS NOT NULL
		ON CONFLICT (remote, starred) DO UPDATE SET value = excluded.value, at = excluded.at`,
		append([]any{starred, value, at.UnixMilli()}, args...)...)
	return err
}

// PendingMarks returns up to limit marks waiting for the server, grouped
// by kind and value, so that each group goes in as few requests as the
// server allows.
func (s *Store) PendingMarks(ctx context.Context, limit int) ([]articles.PendingMark, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT remote, starred, value, at FROM sync_queue
		ORDER BY starred, value, remote LIMIT ?`, limit)
	if err != nil {
		return nil, s.wrap("read the sync queue of", err)
	}
	defer rows.Close()
	var out []articles.PendingMark
	for rows.Next() {
		var m articles.PendingMark
		var at int64
		if err := rows.Scan(&m.Remote, &m.Starred, &m.On, &at); err != nil {
			return nil, s.wrap("read the sync queue of", err)
		}
		m.At = time.UnixMilli(at)
		out = append(out, m)
	}
	return out, s.wrap("read the sync queue of", rows.Err())
}

// MarksSent removes from the queue the marks the server took, unless one
// was made again since (its time differs): that one still waits.
func (s *Store) MarksSent(ctx context.Context, marks []articles.PendingMark) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		del, err := tx.PrepareContext(ctx, `DELETE FROM sync_queue WHERE remote = ? AND starred = ? AND value = ? AND at = ?`)
		if err != nil {
			return s.wrap("update the sync queue of", err)
		}
		defer del.Close()
		for _, m := range marks {
			if _, err := del.ExecContext(ctx, m.Remote, m.Starred, m.On, m.At.UnixMilli()); err != nil {
				return s.wrap("update the sync queue of", err)
			}
		}
		return nil
	})
}

// QueueLen is how many marks wait for the server.
func (s *Store) QueueLen(ctx context.Context) (int, error) {
	if s.noRemote {
		return 0, nil
	}
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sync_queue`).Scan(&n)
	return n, s.wrap("read the sync queue of", err)
}

// syncStateKey is the meta row of the sync state.
const syncStateKey = "sync"

// SyncState returns what the store remembers of the syncs; the zero
// state before the first.
func (s *Store) SyncState(ctx context.Context) (articles.SyncState, error) {
	var st articles.SyncState
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, syncStateKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return st, s.wrap("read the sync state of", err)
	}
	if err := json.Unmarshal([]byte(v), &st); err != nil {
		return articles.SyncState{}, nil // unreadable: sync afresh, nothing is lost but time
	}
	return st, nil
}

// SetSyncState records the sync state.
func (s *Store) SetSyncState(ctx context.Context, st articles.SyncState) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, "record the sync state in", `INSERT INTO meta (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, syncStateKey, string(b))
	return err
}

// ForgetRemote makes every article and feed from a feed server an
// ordinary one and empties the queue: the account changed, and the old
// server's IDs mean nothing to the new one. Starred and read state stays.
func (s *Store) ForgetRemote(ctx context.Context) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, q := range []string{
			`UPDATE articles SET remote = NULL WHERE remote IS NOT NULL`,
			`UPDATE feeds SET remote = NULL WHERE remote IS NOT NULL`,
			`DELETE FROM sync_queue`,
			`DELETE FROM remote_gone`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return s.wrap("forget the feed server in", err)
			}
		}
		return nil
	})
}

// RemoteIDs returns the server's IDs of every article stored from it, and
// of those retention deleted here (see PruneSynced): a sync need not
// download either again.
func (s *Store) RemoteIDs(ctx context.Context) (map[string]bool, error) {
	ids := make(map[string]bool)
	if s.noRemote {
		return ids, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT remote FROM articles WHERE remote IS NOT NULL
		UNION ALL SELECT remote FROM remote_gone`)
	if err != nil {
		return nil, s.wrap("read the synced articles of", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, s.wrap("read the synced articles of", err)
		}
		ids[id] = true
	}
	return ids, s.wrap("read the synced articles of", rows.Err())
}

// RemoteFeeds returns the subscriptions on the feed server as the last
// sync saw them, by title.
func (s *Store) RemoteFeeds(ctx context.Context) ([]articles.RemoteFeed, error) {
	if s.noRemote {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT remote, url, title, category, last_error FROM feeds
		WHERE remote IS NOT NULL ORDER BY title, url`)
	if err != nil {
		return nil, s.wrap("read the synced feeds of", err)
	}
	defer rows.Close()
	var out []articles.RemoteFeed
	for rows.Next() {
		var f articles.RemoteFeed
		if err := rows.Scan(&f.Remote, &f.URL, &f.Title, &f.Category, &f.Error); err != nil {
			return nil, s.wrap("read the synced feeds of", err)
		}
		out = append(out, f.Sanitized())
	}
	return out, s.wrap("read the synced feeds of", rows.Err())
}

// PruneSynced applies the age limit of retention to the articles from
// the feed server: those published before it, but the starred ones, are
// deleted here, and remembered, so that a sync does not bring them back
// while the server still keeps them. (A page of a sync holds what
// changed, not what the server keeps: retention cannot run per page as it
// does per fetched feed.) It returns how many it deleted.
func (s *Store) PruneSynced(ctx context.Context) (int, error) {
	r := s.opts.Retention
	if r.MaxAge <= 0 {
		return 0, nil
	}
	before := s.opts.Now().Add(-r.MaxAge).Unix()
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		const old = `FROM articles WHERE remote IS NOT NULL AND starred = 0 AND published < ?`
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO remote_gone (remote, at) SELECT remote, ? `+old,
			s.opts.Now().Unix(), before); err != nil {
			return s.wrap("prune synced articles in", err)
		}
		res, err := tx.ExecContext(ctx, `DELETE `+old, before)
		if err != nil {
			return s.wrap("prune synced articles in", err)
		}
		n, err = res.RowsAffected()
		return s.wrap("prune synced articles in", err)
	})
	return int(n), err
}
