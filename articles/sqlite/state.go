package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"tidings/articles"
	"tidings/articles/termsafe"
)

// StateEntry is the read and starred state of one article, as exported.
// A starred article carries its text too, so that importing brings it
// back even when no feed lists it any more.
type StateEntry struct {
	Feed      string    `json:"feed"` // the feed's URL
	GUID      string    `json:"guid"`
	Link      string    `json:"link,omitempty"`
	Read      bool      `json:"read,omitempty"`
	Starred   bool      `json:"starred,omitempty"`
	Title     string    `json:"title,omitempty"`
	Source    string    `json:"source,omitempty"`
	Author    string    `json:"author,omitempty"`
	Published time.Time `json:"published,omitzero"`
	Body      string    `json:"body,omitempty"`
}

// ImportedState counts what ImportState did with the entries: each
// entry is counted once, by the change it made.
type ImportedState struct {
	Applied   int // marked read or starred, on articles in the database
	Restored  int // starred articles no longer stored, added back
	Pending   int // read marks kept for when their article comes back
	Unchanged int // already so: the same entry twice, or marked already
	Skipped   int // entries without a feed or GUID
}

// ExportState returns the state of every read or starred article, starred
// ones first.
func (s *Store) ExportState(ctx context.Context) ([]StateEntry, error) {
	var entries []StateEntry
	for _, where := range []string{"a.starred", "a.read AND NOT a.starred"} {
		got, err := queryState(ctx, s.db, where)
		if err != nil {
			return nil, s.wrap("export state from", err)
		}
		entries = append(entries, got...)
	}
	return entries, nil
}

// stateColumns are the columns of a StateEntry after its feed, from
// articles aliased a; the text only of a starred article.
const stateColumns = `a.guid, a.link, a.read, a.starred,
	CASE WHEN a.starred THEN a.title ELSE '' END, CASE WHEN a.starred THEN a.source ELSE '' END,
	CASE WHEN a.starred THEN a.author ELSE '' END, CASE WHEN a.starred THEN a.published ELSE 0 END,
	CASE WHEN a.starred THEN ` + bodyFunc + `(a.body) ELSE '' END`

// scanState reads stateColumns into e, after the destinations in lead.
func scanState(scan func(...any) error, e *StateEntry, lead ...any) error {
	var published int64
	err := scan(append(lead, &e.GUID, &e.Link, &e.Read, &e.Starred, &e.Title, &e.Source, &e.Author, &published, &e.Body)...)
	if published != 0 {
		e.Published = time.Unix(published, 0).UTC()
	}
	return err
}

// queryState reads the state entries where holds, up to the first error.
func queryState(ctx context.Context, db *sql.DB, where string) ([]StateEntry, error) {
	rows, err := db.QueryContext(ctx, `SELECT f.url, `+stateColumns+`
		FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE `+where+` ORDER BY a.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var entries []StateEntry
	for rows.Next() {
		var e StateEntry
		if err := scanState(rows.Scan, &e, &e.Feed); err != nil {
			return entries, err
		}
		entries = append(entries, e)
	}
	return entries, rows.Err()
}

// ImportState merges entries into the database: it marks read and stars,
// never the other way, so importing twice or an older file loses nothing.
// An article the database no longer has is added back if it is starred;
// if it is only read, the mark waits for the article to come back.
func (s *Store) ImportState(ctx context.Context, entries []StateEntry) (ImportedState, error) {
	var n ImportedState
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		n = ImportedState{}
		lastID, err := maxArticleID(ctx, tx)
		if err != nil {
			return err
		}
		for _, e := range entries {
			// Cleaned once, as a feed's are when stored: the lookups,
			// the marks and a restored article all use the same key.
			e.Feed, e.GUID = termsafe.Line(e.Feed), guidKey(termsafe.Line(e.GUID))
			if e.Feed == "" || e.GUID == "" {
				n.Skipped++
				continue
			}
			if err := importEntry(ctx, tx, e, s.opts.Now(), &n); err != nil {
				return fmt.Errorf("import state of %s %q: %w", e.Feed, e.GUID, err)
			}
		}
		return indexNew(ctx, tx, lastID) // the starred articles restored
	})
	return n, s.wrap("import state into", err)
}

// importEntry applies one cleaned entry and counts what it changed.
func importEntry(ctx context.Context, tx *sql.Tx, e StateEntry, now time.Time, n *ImportedState) error {
	// Only rows that change are counted: SQLite counts every row an
	// UPDATE matches, changed or not.
	changed, err := affected(tx.ExecContext(ctx, `UPDATE articles SET read = max(read, ?1), starred = max(starred, ?2)
		WHERE feed_id = (SELECT id FROM feeds WHERE url = ?3) AND guid = ?4 AND (read < ?1 OR starred < ?2)`,
		e.Read, e.Starred, e.Feed, e.GUID))
	if err != nil || changed {
		n.Applied += count(changed)
		return err
	}
	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM articles
		WHERE feed_id = (SELECT id FROM feeds WHERE url = ?) AND guid = ?)`, e.Feed, e.GUID).Scan(&exists); err != nil {
		return err
	}
	if exists {
		n.Unchanged++
		return nil
	}
	if !e.Starred {
		changed, err := affected(tx.ExecContext(ctx, `INSERT INTO marks (feed, guid, read) VALUES (?, ?, 1)
			ON CONFLICT (feed, guid) DO UPDATE SET read = 1 WHERE read = 0`, e.Feed, e.GUID))
		n.Pending += count(changed)
		n.Unchanged += count(err == nil && !changed)
		return err
	}
	return restoreStarred(ctx, tx, e, now, n)
}

// restoreStarred adds back a starred article the database no longer has.
func restoreStarred(ctx context.Context, tx *sql.Tx, e StateEntry, now time.Time, n *ImportedState) error {
	feedID, err := ensureFeed(ctx, tx, e.Feed)
	if err != nil {
		return err
	}
	title := e.Title
	if title == "" {
		title = e.Link
	}
	a := articles.Article{GUID: e.GUID, Title: title, Link: e.Link, Author: e.Author, Source: e.Source, Published: e.Published, Body: e.Body}
	if _, err := upsertItems(ctx, tx, feedID, []articles.Article{a}, now); err != nil {
		return err
	}
	changed, err := affected(tx.ExecContext(ctx, `UPDATE articles SET read = max(read, ?), starred = 1 WHERE feed_id = ? AND guid = ?`,
		e.Read, feedID, e.GUID))
	n.Restored += count(changed)
	return err
}

// affected reports whether a statement changed any row.
func affected(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	rows, err := res.RowsAffected()
	return rows > 0, err
}

func count(b bool) int {
	if b {
		return 1
	}
	return 0
}
