package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"tidings/articles"
)

// bundledFeed is the feed the bundled articles belong to in the database.
// It is not a URL anyone can subscribe to, and the feeds view leaves it out.
const bundledFeed = "tidings:bundled"

// AddBundled puts the bundled articles in the database, updating their text
// when a new version ships and keeping their read and starred state. Their
// bundled IDs become their GUIDs.
func (s *Store) AddBundled(ctx context.Context, arts []articles.Article) error {
	items := make([]articles.Article, len(arts))
	for i, a := range arts {
		a.GUID = a.ID
		items[i] = a
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		feedID, err := ensureFeed(ctx, tx, bundledFeed)
		if err != nil {
			return err
		}
		_, err = upsertItems(ctx, tx, feedID, items, s.opts.Now())
		return err
	})
}

// SaveFeed records one refresh of a feed in one transaction: its state,
// its new and changed articles, and the retention limits. It returns how
// many articles were new.
func (s *Store) SaveFeed(ctx context.Context, u articles.FeedUpdate) (int, error) {
	added := 0
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		feedID, err := ensureFeed(ctx, tx, u.URL)
		if err != nil {
			return err
		}
		if err := updateFeed(ctx, tx, feedID, u); err != nil {
			return err
		}
		if u.Err != "" || u.NotModified {
			return nil
		}
		items := s.keep(u.Items, u.At)
		if added, err = upsertItems(ctx, tx, feedID, items, u.At); err != nil {
			return err
		}
		return s.applyRetention(ctx, tx, feedID, u.At)
	})
	if err != nil {
		return 0, s.wrap(fmt.Sprintf("save feed %s in", u.URL), err)
	}
	return added, nil
}

func ensureFeed(ctx context.Context, tx *sql.Tx, url string) (int64, error) {
	if _, err := tx.ExecContext(ctx, `INSERT INTO feeds (url) VALUES (?) ON CONFLICT (url) DO NOTHING`, url); err != nil {
		return 0, err
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM feeds WHERE url = ?`, url).Scan(&id)
	return id, err
}

// updateFeed records the fetch. A feed that moved for good takes its new
// URL, unless another feed already has it.
func updateFeed(ctx context.Context, tx *sql.Tx, id int64, u articles.FeedUpdate) error {
	at := u.At.Unix()
	var err error
	if u.Err != "" {
		_, err = tx.ExecContext(ctx, `UPDATE feeds SET last_fetch = ?, last_error = ?, gone = ?, retry_after = ? WHERE id = ?`,
			at, u.Err, u.Gone, unixOrZero(u.RetryAfter), id)
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE feeds SET last_fetch = ?, last_ok = ?, last_error = '', gone = 0, retry_after = 0,
		etag = ?, last_modified = ?, title = CASE WHEN ? != '' THEN ? ELSE title END WHERE id = ?`,
		at, at, u.ETag, u.LastModified, u.Title, u.Title, id)
	if err != nil || u.NewURL == "" || u.NewURL == u.URL {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE feeds SET url = ? WHERE id = ? AND NOT EXISTS (SELECT 1 FROM feeds WHERE url = ?)`,
		u.NewURL, id, u.NewURL)
	return err
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// keep returns the items retention would keep, oldest first: the newest
// MaxPerFeed, none older than MaxAge. Storing the rest only to delete it
// would churn. Oldest first, so that the newest get the highest IDs: broad
// searches list matches by ID, newest first.
func (s *Store) keep(items []articles.Article, at time.Time) []articles.Article {
	r := s.opts.Retention
	items = slices.Clone(items)
	slices.SortStableFunc(items, func(a, b articles.Article) int { return a.Published.Compare(b.Published) })
	if r.MaxPerFeed > 0 && len(items) > r.MaxPerFeed {
		items = items[len(items)-r.MaxPerFeed:]
	}
	if r.MaxAge > 0 {
		cutoff := at.Add(-r.MaxAge)
		items = slices.DeleteFunc(items, func(a articles.Article) bool {
			return !a.Published.IsZero() && a.Published.Before(cutoff)
		})
	}
	return items
}

// upsertItems inserts new articles and updates changed ones, keyed by
// (feed, GUID). Read and starred state is never touched, and an article
// without a date keeps the time it was first seen. It returns how many
// were new.
func upsertItems(ctx context.Context, tx *sql.Tx, feedID int64, items []articles.Article, seen time.Time) (int, error) {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO articles (feed_id, guid, title, link, author, source, published, body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (feed_id, guid) DO UPDATE SET
			title = excluded.title, link = excluded.link, author = excluded.author, source = excluded.source,
			body = excluded.body,
			published = CASE WHEN ? THEN excluded.published ELSE articles.published END
		WHERE articles.title IS NOT excluded.title OR articles.body IS NOT excluded.body
			OR articles.link IS NOT excluded.link OR articles.author IS NOT excluded.author
			OR articles.source IS NOT excluded.source OR (? AND articles.published != excluded.published)`)
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	var before int
	if err := tx.QueryRowContext(ctx, `SELECT total FROM feeds WHERE id = ?`, feedID).Scan(&before); err != nil {
		return 0, err
	}
	for _, a := range items {
		a = a.Sanitized()
		if a.GUID == "" {
			return 0, fmt.Errorf("article %q has no GUID", a.Title)
		}
		dated := !a.Published.IsZero()
		published := seen.Unix()
		if dated {
			published = a.Published.Unix()
		}
		if _, err := stmt.ExecContext(ctx, feedID, a.GUID, a.Title, a.Link, a.Author, a.Source, published, a.Body, dated, dated); err != nil {
			return 0, err
		}
	}
	var after int
	if err := tx.QueryRowContext(ctx, `SELECT total FROM feeds WHERE id = ?`, feedID).Scan(&after); err != nil {
		return 0, err
	}
	return after - before, nil
}

// applyRetention removes, from one feed, articles past the age limit and
// beyond the count limit, never starred ones.
func (s *Store) applyRetention(ctx context.Context, tx *sql.Tx, feedID int64, at time.Time) error {
	r := s.opts.Retention
	if r.MaxAge > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM articles WHERE feed_id = ? AND starred = 0 AND published < ?`,
			feedID, at.Add(-r.MaxAge).Unix()); err != nil {
			return err
		}
	}
	if r.MaxPerFeed > 0 {
		_, err := tx.ExecContext(ctx, `DELETE FROM articles WHERE id IN (
			SELECT id FROM articles WHERE feed_id = ? AND starred = 0
			ORDER BY published DESC, id DESC LIMIT -1 OFFSET ?)`, feedID, r.MaxPerFeed)
		return err
	}
	return nil
}
