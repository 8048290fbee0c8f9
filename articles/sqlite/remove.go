package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"tidings/articles"
)

// RemoveFeed implements articles.Store for a feed that is unsubscribed:
// its articles go, with their full-text index rows (the delete trigger
// removes those), in one transaction. Starred articles stay, and so does
// the feed's row, which they need, with its title; its fetch state is
// cleared, so that subscribing again fetches the feed whole instead of
// asking whether it changed since the last fetch.
func (s *Store) RemoveFeed(ctx context.Context, url string) (articles.Removed, error) {
	var r articles.Removed
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM feeds WHERE url = ?`, url).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM articles WHERE feed_id = ? AND starred = 0`, id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		r.Deleted = int(n)
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM articles WHERE feed_id = ?`, id).Scan(&r.Kept); err != nil {
			return err
		}
		if r.Kept == 0 {
			_, err = tx.ExecContext(ctx, `DELETE FROM feeds WHERE id = ?`, id)
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE feeds SET etag = '', last_modified = '', last_fetch = 0, last_ok = 0,
			last_error = '', gone = 0, retry_after = 0 WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return r, s.wrap("remove a feed's articles from", err)
	}
	// The feed's articles are gone whatever this does.
	s.compact(ctx) //nolint:errcheck // free pages left are reused
	return r, nil
}
