package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"

	"tidings/articles"
	"tidings/articles/termsafe"
)

// A damaged database is rebuilt from every row that can still be read:
// the feeds with their fetch state (so the next refresh stays
// conditional), the articles with their text and state, and the read
// marks waiting for their articles. Reading goes in ID order; where damage
// stops it, each ID is looked up on its own until a row reads again, and
// the scan goes on from there, so a damaged page costs only its own rows.
// Damage can put any bytes in a row that still reads: every string passes
// the sanitiser on its way into the new database, and the full-text index
// is built anew from what was kept.

// salvaged counts what salvage kept and lost.
type salvaged struct {
	feeds, articles, starred, read int
	lost                           int   // articles the damaged file counted that were not kept
	err                            error // the last error met reading, if any
}

// openDamaged opens a damaged database to read what it can.
func openDamaged(path string) (*sql.DB, error) {
	// writable_schema lets SQLite read a file shorter than its header says
	// (it refuses otherwise), and mode=ro still keeps it from writing;
	// cell_size_check finds damaged pages when they are read rather than
	// handing their bytes out as rows.
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", "writable_schema(1)")
	q.Add("_pragma", "cell_size_check(1)")
	u := url.URL{Scheme: "file", Path: path, RawQuery: q.Encode()}
	return sql.Open("sqlite", u.String())
}

// salvage copies what can be read of the damaged database at from into s,
// which is new, in one transaction. Only a failure to write is an error;
// what could not be read is counted.
func salvage(ctx context.Context, s *Store, from string) (salvaged, error) {
	var res salvaged
	old, err := openDamaged(from)
	if err != nil {
		res.err = err
		return res, nil
	}
	defer old.Close()
	// Without a schema there are no tables to read, and every lookup of
	// every ID would fail in turn.
	if err := old.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema`).Scan(new(int)); err != nil {
		res.err = err
		return res, nil
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		res = salvaged{}
		feeds, expected, err := salvageFeeds(ctx, old, tx, &res)
		if err != nil {
			return err
		}
		if err := salvageArticles(ctx, old, tx, feeds, &res); err != nil {
			return err
		}
		if err := salvageMarks(ctx, old, tx); err != nil {
			return err
		}
		if err := keyStored(ctx, tx); err != nil {
			return err
		}
		// The feeds' counters say how many articles the file held: IDs
		// that fail to read say less, as lookups past a cut-off end
		// fail too.
		res.lost = max(expected-res.articles, 0)
		return indexNew(ctx, tx, 0)
	})
	return res, err
}

// salvageFeeds copies the feeds and returns the new ID of each old one,
// and how many articles the damaged file counted in them.
func salvageFeeds(ctx context.Context, old *sql.DB, tx *sql.Tx, res *salvaged) (map[int64]int64, int, error) {
	ids := map[int64]int64{}
	expected := 0
	ins, err := tx.PrepareContext(ctx, `INSERT INTO feeds (url, title, etag, last_modified, last_fetch, last_ok, last_error, gone, retry_after)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO NOTHING RETURNING id`)
	if err != nil {
		return nil, 0, err
	}
	defer ins.Close()
	read, err := walk(ctx, old, "feeds", `id, `+text("url")+`, `+text("title")+`, `+text("etag")+`, `+text("last_modified")+`, `+
		integer("last_fetch")+`, `+integer("last_ok")+`, `+text("last_error")+`, `+integer("gone")+` != 0, `+
		integer("retry_after")+`, `+integer("total"),
		func(scan func(...any) error) (int64, error) {
			var id, fetch, ok, retry, total int64
			var u, title, etag, modified, lastErr string
			var gone bool
			if err := scan(&id, &u, &title, &etag, &modified, &fetch, &ok, &lastErr, &gone, &retry, &total); err != nil {
				return 0, err
			}
			if u = termsafe.Line(u); u == "" {
				return id, nil
			}
			var newID int64
			err := ins.QueryRowContext(ctx, u, termsafe.Line(title), termsafe.Line(etag), termsafe.Line(modified),
				fetch, ok, termsafe.Line(lastErr), gone, retry).Scan(&newID)
			if errors.Is(err, sql.ErrNoRows) { // the same URL twice once cleaned: one feed
				err = tx.QueryRowContext(ctx, `SELECT id FROM feeds WHERE url = ?`, u).Scan(&newID)
				res.feeds--
			}
			if err != nil {
				return id, writeError{err}
			}
			ids[id], expected = newID, expected+int(max(total, 0))
			res.feeds++
			return id, nil
		})
	if read.err != nil {
		res.err = read.err
	}
	return ids, expected, err
}

// salvageArticles copies every article that reads and belongs to a feed
// that was kept, with its old ID, so that IDs shown before still work.
func salvageArticles(ctx context.Context, old *sql.DB, tx *sql.Tx, feeds map[int64]int64, res *salvaged) error {
	ins, err := tx.PrepareContext(ctx, `INSERT INTO articles (id, feed_id, guid, title, link, author, source, published, seen, body, read, starred)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
	if err != nil {
		return err
	}
	defer ins.Close()
	cols := `id, ` + integer("feed_id") + `, ` + text("guid") + `, ` + text("title") + `, ` + text("link") + `, ` + text("author") + `, ` +
		text("source") + `, ` + integer("published") + `, ` + integer("seen") + `, coalesce(` + bodyFunc + `(body), ''), ` +
		integer("read") + ` != 0, ` + integer("starred") + ` != 0`
	read, err := walk(ctx, old, "articles", cols, func(scan func(...any) error) (int64, error) {
		var a articles.Article
		var id, feedID, published, seen int64
		if err := scan(&id, &feedID, &a.GUID, &a.Title, &a.Link, &a.Author, &a.Source, &published, &seen, &a.Body, &a.Read, &a.Starred); err != nil {
			return 0, err
		}
		a = a.Sanitized()
		newFeed, ok := feeds[feedID]
		if a.GUID = guidKey(a.GUID); !ok || a.GUID == "" {
			return id, nil // counted lost: its feed or its key is gone
		}
		kept, err := affected(ins.ExecContext(ctx, id, newFeed, a.GUID, a.Title, a.Link, a.Author, a.Source, published, seen, encodeBody(a.Body), a.Read, a.Starred))
		if err != nil {
			return id, writeError{err}
		}
		if kept {
			res.articles++
			res.starred += count(a.Starred)
			res.read += count(a.Read)
		}
		return id, nil
	})
	if read.err != nil {
		res.err = read.err
	}
	return err
}

// salvageMarks copies the read marks waiting for their articles, as far
// as they read: a mark lost costs little.
func salvageMarks(ctx context.Context, old *sql.DB, tx *sql.Tx) error {
	rows, err := old.QueryContext(ctx, `SELECT `+text("feed")+`, `+text("guid")+`, `+integer("read")+` != 0, `+integer("starred")+` != 0 FROM marks`)
	if err != nil {
		return nil // a database from before marks, or the table is damaged
	}
	defer rows.Close()
	for rows.Next() {
		var feed, guid string
		var read, starred bool
		if rows.Scan(&feed, &guid, &read, &starred) != nil {
			return nil
		}
		feed, guid = termsafe.Line(feed), guidKey(termsafe.Line(guid))
		if feed == "" || guid == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO marks (feed, guid, read, starred) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			feed, guid, read, starred); err != nil {
			return err
		}
	}
	return nil
}

// text and integer read a column of a damaged row leniently: damage can
// leave a NULL or a value of another type where the schema says otherwise.
func text(col string) string    { return fmt.Sprintf("coalesce(CAST(%s AS TEXT), '')", col) }
func integer(col string) string { return fmt.Sprintf("coalesce(CAST(%s AS INTEGER), 0)", col) }

// writeError marks an error of the new database in walk's callback: it
// stops the salvage, where an error reading the old one only skips a row.
type writeError struct{ err error }

func (e writeError) Error() string { return e.err.Error() }
func (e writeError) Unwrap() error { return e.err }

// walked is what walk met reading.
type walked struct {
	err error // the last read error
}

// probeMaxMisses is how many IDs in a row may be missing or unreadable
// before a lookup one ID at a time stops, when the highest ID cannot be
// read: each costs about 75 µs, and past the end of the table nothing
// comes. When the highest ID reads, the lookup goes up to it.
const probeMaxMisses = 20_000

// walk calls put with each row of table that reads, in rowid order. put
// scans the row and returns its ID; an error that is not a writeError
// counts as a row that does not read. Where a scan stops on damage, walk
// looks up the IDs after the last row read one by one, and scans on from
// the first that reads.
func walk(ctx context.Context, db *sql.DB, table, cols string, put func(scan func(...any) error) (int64, error)) (walked, error) {
	var w walked
	// The highest ID, or -1 when it cannot be read.
	hi := int64(-1)
	db.QueryRowContext(ctx, `SELECT coalesce(max(rowid), 0) FROM `+table).Scan(&hi) //nolint:errcheck // see above
	after := int64(0)
	for {
		last, err := scanFrom(ctx, db, table, cols, after, put)
		var we writeError
		switch {
		case errors.As(err, &we):
			return w, we.err
		case err == nil:
			return w, nil
		}
		w.err = err
		next, err := probeFrom(ctx, db, table, cols, last+1, hi, put, &w)
		if err != nil || next < 0 {
			return w, err
		}
		after = next
	}
}

// scanFrom reads the rows after ID after, in order, until the end or an
// error, and returns the ID of the last row it read.
func scanFrom(ctx context.Context, db *sql.DB, table, cols string, after int64, put func(func(...any) error) (int64, error)) (int64, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+cols+` FROM `+table+` WHERE rowid > ? ORDER BY rowid`, after)
	if err != nil {
		return after, err
	}
	defer rows.Close()
	for rows.Next() {
		id, err := put(rows.Scan)
		if err != nil {
			return after, err
		}
		if id <= after {
			return after, fmt.Errorf("%s: row %d after row %d", table, id, after) // damage in the order itself
		}
		after = id
	}
	return after, rows.Err()
}

// probeFrom looks up the rows from ID from on, one by one, until one
// reads, and returns its ID; -1 when it gives up.
func probeFrom(ctx context.Context, db *sql.DB, table, cols string, from, hi int64, put func(func(...any) error) (int64, error), w *walked) (int64, error) {
	for id, misses := from, 0; hi >= 0 && id <= hi || hi < 0 && misses < probeMaxMisses; id, misses = id+1, misses+1 {
		if err := ctx.Err(); err != nil {
			return -1, err
		}
		row := db.QueryRowContext(ctx, `SELECT `+cols+` FROM `+table+` WHERE rowid = ?`, id)
		_, err := put(row.Scan)
		var we writeError
		switch {
		case err == nil:
			return id, nil
		case errors.As(err, &we):
			return -1, we.err
		case !errors.Is(err, sql.ErrNoRows):
			w.err = err
		}
	}
	return -1, nil
}
