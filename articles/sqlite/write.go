package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"net/url"
	"path/filepath"
	"slices"
	"time"

	"tidings/articles"
)

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
		lastID, err := maxArticleID(ctx, tx)
		if err != nil {
			return err
		}
		feedID, err := ensureFeed(ctx, tx, articles.BundledFeed)
		if err != nil {
			return err
		}
		if _, err = upsertItems(ctx, tx, feedID, items, s.opts.Now()); err != nil {
			return err
		}
		return indexNew(ctx, tx, lastID)
	})
}

// SaveFeed records one refresh of a feed in one transaction: its state,
// its new and changed articles, and the retention limits. It returns how
// many articles were new.
func (s *Store) SaveFeed(ctx context.Context, u articles.FeedUpdate) (int, error) {
	added, errs := s.SaveFeeds(ctx, []articles.FeedUpdate{u})
	return added[0], errs[0]
}

// SaveFeeds records several refreshes in one transaction, each feed whole
// in it, and returns for each feed how many articles were new and its
// error. A refresh of many feeds writes far less this way: the full-text
// index merges once per transaction. If the batch fails, each feed is
// saved on its own, so that one bad feed costs only itself.
func (s *Store) SaveFeeds(ctx context.Context, us []articles.FeedUpdate) ([]int, []error) {
	added := make([]int, len(us))
	errs := make([]error, len(us))
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		lastID, err := maxArticleID(ctx, tx)
		if err != nil {
			return err
		}
		feedIDs := make([]int64, len(us))
		for i, u := range us {
			if feedIDs[i], added[i], err = s.saveFeed(ctx, tx, u); err != nil {
				return err
			}
		}
		// Then the index, all new articles at once, and only then
		// retention, which may remove some of them from the index.
		if err := indexNew(ctx, tx, lastID); err != nil {
			return err
		}
		if err := s.ignoreNew(ctx, tx, lastID); err != nil {
			return err
		}
		for i, u := range us {
			if u.Err == "" && !u.NotModified {
				if err := s.applyRetention(ctx, tx, feedIDs[i], u.At); err != nil {
					return err
				}
			}
		}
		return nil
	})
	switch {
	case err == nil:
		// Retention may have freed much; the save is kept whatever this does.
		s.compact(ctx) //nolint:errcheck // free pages left are reused
	case len(us) == 1:
		added[0], errs[0] = 0, fmt.Errorf("save feed %s: %w", us[0].URL, s.wrap("write to", err))
	default:
		for i, u := range us {
			added[i], errs[i] = s.SaveFeed(ctx, u)
		}
	}
	return added, errs
}

// saveFeed records a feed's fetch and stores its items; SaveFeeds indexes
// them and applies retention after.
func (s *Store) saveFeed(ctx context.Context, tx *sql.Tx, u articles.FeedUpdate) (feedID int64, added int, err error) {
	if feedID, err = ensureFeed(ctx, tx, u.URL); err != nil {
		return 0, 0, err
	}
	if err := updateFeed(ctx, tx, feedID, u); err != nil {
		return 0, 0, err
	}
	if u.Err != "" || u.NotModified {
		return feedID, 0, nil
	}
	added, err = upsertItems(ctx, tx, feedID, s.keep(u.Items), u.At)
	return feedID, added, err
}

// maxArticleID is the highest article ID: every article inserted after
// has a higher one.
func maxArticleID(ctx context.Context, tx *sql.Tx) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM articles`).Scan(&id)
	return id, err
}

// indexNew puts the articles inserted since lastID in the full-text
// index, in one statement and in ID order. FTS5 writes its pending entries
// to disk at every statement savepoint and whenever a rowid is not above
// the last one: a trigger indexing each row as it was inserted wrote one
// index segment an article and merged them endlessly (measured: 2.6 times
// the indexing cost). Changed articles are reindexed by a trigger. The
// text goes through the articles_search view, as the index reads it.
func indexNew(ctx context.Context, tx *sql.Tx, lastID int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO articles_fts (rowid, title, source, body)
		SELECT id, title, source, body FROM articles_search WHERE id > ? ORDER BY id`, lastID)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO articles_fields (rowid, title, author, link)
		SELECT id, title, author, link FROM articles_fields_src WHERE id > ? ORDER BY id`, lastID)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, indexPairs+` WHERE id > ? ORDER BY id`, lastID)
	return err
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

// keep returns the items to store, oldest first: the newest MaxPerFeed.
// Storing the rest only to delete it would churn. Oldest first, so that
// the newest get the highest IDs: broad searches list matches by ID,
// newest first. Age alone never keeps an item out: what a feed lists now
// is shown, however old (a quiet blog's last post is still news to its
// reader).
func (s *Store) keep(items []articles.Article) []articles.Article {
	items = slices.Clone(items)
	slices.SortStableFunc(items, func(a, b articles.Article) int { return a.Published.Compare(b.Published) })
	if n := s.opts.Retention.MaxPerFeed; n > 0 && len(items) > n {
		items = items[len(items)-n:]
	}
	return items
}

// upsertItems inserts new articles and updates changed ones, keyed by
// (feed, GUID). Read and starred state is never touched, and an article
// without a date keeps the time it was first seen. It returns how many
// were new. The caller indexes the new ones (indexNew); a changed one is
// reindexed by a trigger, and an unchanged one only gets its seen time,
// which no index holds.
func upsertItems(ctx context.Context, tx *sql.Tx, feedID int64, items []articles.Article, seen time.Time) (int, error) {
	w, err := newItemWriter(ctx, tx, seen)
	if err != nil {
		return 0, err
	}
	defer w.close()
	var before int64
	if err := tx.QueryRowContext(ctx, `SELECT total FROM feeds WHERE id = ?`, feedID).Scan(&before); err != nil {
		return 0, err
	}
	done := make(map[string]bool, len(items))
	for _, a := range items {
		a = a.Sanitized()
		if a.GUID == "" {
			return 0, fmt.Errorf("article %q has no GUID", a.Title)
		}
		guid := guidKey(a.GUID)
		if done[guid] {
			continue // one article a GUID, the first: the index must see each row once
		}
		done[guid] = true
		if err := w.write(ctx, feedID, guid, a); err != nil {
			return 0, err
		}
	}
	var after int64
	if err := tx.QueryRowContext(ctx, `SELECT total FROM feeds WHERE id = ?`, feedID).Scan(&after); err != nil {
		return 0, err
	}
	return int(after - before), nil
}

// itemWriter writes a feed's items with statements prepared once for
// them all: a new one inserted and joined to its story, a known one
// marked seen, and updated only where it changed.
type itemWriter struct {
	find, insert, seenAt, update *sql.Stmt
	stories                      *storyWriter
	seen                         time.Time
}

func newItemWriter(ctx context.Context, tx *sql.Tx, seen time.Time) (w *itemWriter, err error) {
	w = &itemWriter{seen: seen}
	defer func() {
		if err != nil {
			w.close()
		}
	}()
	queries := []struct {
		st **sql.Stmt
		q  string
	}{
		{&w.find, `SELECT id, hash FROM articles WHERE feed_id = ? AND guid = ?`},
		{&w.insert, `INSERT INTO articles (feed_id, guid, title, link, author, source, published, seen, body, hash,
			link_key, guid_key, title_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&w.seenAt, `UPDATE articles SET seen = ?2, hash = ?3 WHERE id = ?1 AND (seen != ?2 OR hash IS NOT ?3)`},
		// The text is compared decoded: the same text may be encoded
		// otherwise by another version of the compressor.
		{&w.update, `UPDATE articles SET title = ?2, link = ?3, author = ?4, source = ?5, body = ?6,
			published = CASE WHEN ?7 THEN ?8 ELSE published END
		WHERE id = ?1 AND (title IS NOT ?2 OR link IS NOT ?3 OR author IS NOT ?4 OR source IS NOT ?5
			OR ` + bodyFunc + `(body) IS NOT ?9 OR (?7 AND published != ?8))`},
	}
	for _, q := range queries {
		if *q.st, err = tx.PrepareContext(ctx, q.q); err != nil {
			return w, err
		}
	}
	w.stories, err = newStoryWriter(ctx, tx, seen)
	return w, err
}

func (w *itemWriter) close() {
	for _, st := range []*sql.Stmt{w.find, w.insert, w.seenAt, w.update} {
		if st != nil {
			st.Close()
		}
	}
	if w.stories != nil {
		w.stories.close()
	}
}

// write stores one item of the feed under its GUID key. A known item
// whose fields hash as they did last time is only marked seen: most of
// a refresh's items are, and they cost neither compressing nor comparing
// their text.
func (w *itemWriter) write(ctx context.Context, feedID int64, guid string, a articles.Article) error {
	dated := plausibleDate(a.Published, w.seen)
	published := w.seen.Unix()
	if dated {
		published = a.Published.Unix()
	}
	hash := itemHash(a, dated)
	var id int64
	var stored sql.NullInt64
	err := w.find.QueryRowContext(ctx, feedID, guid).Scan(&id, &stored)
	if errors.Is(err, sql.ErrNoRows) {
		keys := storyKeys(a)
		res, err := w.insert.ExecContext(ctx, feedID, guid, a.Title, a.Link, a.Author, a.Source, published, w.seen.Unix(),
			encodeBody(a.Body), hash, keys[0], keys[1], keys[2])
		if err != nil {
			return err
		}
		id, err := res.LastInsertId()
		if err != nil {
			return err
		}
		return w.stories.assign(id, feedID, keys, published) // new: indexed later
	}
	if err != nil {
		return err
	}
	if _, err := w.seenAt.ExecContext(ctx, id, w.seen.Unix(), hash); err != nil || (stored.Valid && stored.Int64 == hash) {
		return err
	}
	_, err = w.update.ExecContext(ctx, id, a.Title, a.Link, a.Author, a.Source, encodeBody(a.Body), dated, published, a.Body)
	return err
}

// itemHash sums the fields of an item that its row keeps: the title,
// link, author, source, text, and the date when the feed gave one.
// FNV-1a, 64 bits: a collision would only leave a changed item as it was.
func itemHash(a articles.Article, dated bool) int64 {
	h := fnv.New64a()
	for _, f := range []string{a.Title, a.Link, a.Author, a.Source, a.Body} {
		h.Write([]byte(f)) //nolint:errcheck // a hash.Hash never fails
		h.Write([]byte{0}) //nolint:errcheck
	}
	if dated {
		h.Write(binary.LittleEndian.AppendUint64(nil, uint64(a.Published.Unix()))) //nolint:errcheck
	}
	return int64(h.Sum64())
}

// maxFuture is how far past the fetch a publication date may be. Clocks
// and time zones go wrong by hours; a date beyond this (a typo, a year
// 9999) would pin the article to the top of the list for good, so it
// counts as no date: the article keeps the time it was first seen.
const maxFuture = 48 * time.Hour

// plausibleDate reports whether published is a date to list an article by.
func plausibleDate(published, fetched time.Time) bool {
	return !published.IsZero() && published.Year() >= 1 && !published.After(fetched.Add(maxFuture))
}

// maxGUID is the longest GUID stored as it is; a longer one (a feed that
// puts a whole text in it) is stored as its SHA-256, which keeps it unique
// without a megabyte key in the index.
const maxGUID = 512

func guidKey(guid string) string {
	if len(guid) <= maxGUID {
		return guid
	}
	sum := sha256.Sum256([]byte(guid))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// applyRetention removes, from one feed, articles past the age limit that
// the feed no longer lists, and articles beyond the count limit; never
// starred ones.
func (s *Store) applyRetention(ctx context.Context, tx *sql.Tx, feedID int64, at time.Time) error {
	r := s.opts.Retention
	if r.MaxAge > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM articles WHERE feed_id = ? AND starred = 0 AND published < ? AND seen < ?`,
			feedID, at.Add(-r.MaxAge).Unix(), at.Unix()); err != nil {
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

// CopyFrom copies every feed and article of the database at path, read
// only, into s, which must be empty, keeping their IDs. A snapshot uses
// it to show what is stored beside feeds it reads into memory, without
// writing to the user's database.
func (s *Store) CopyFrom(ctx context.Context, path string) error {
	src, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		return err
	}
	src.Close() // it opens, so its schema is current: now attach it
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return s.wrap("copy into", err)
	}
	defer conn.Close()
	u := url.URL{Scheme: "file", Path: abs, RawQuery: "mode=ro"}
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS src`, u.String()); err != nil {
		return fmt.Errorf("copy from %s: %w", path, err)
	}
	defer conn.ExecContext(context.Background(), `DETACH DATABASE src`) //nolint:errcheck // the copy's error matters
	_, err = conn.ExecContext(ctx, `
		INSERT INTO feeds (id, url, title, etag, last_modified, last_fetch, last_ok, last_error, gone, retry_after)
			SELECT id, url, title, etag, last_modified, last_fetch, last_ok, last_error, gone, retry_after
			FROM src.feeds;
		INSERT INTO articles (id, feed_id, guid, title, link, author, source, published, body, read, starred)
			SELECT id, feed_id, guid, title, link, author, source, published, body, read, starred
			FROM src.articles;
		INSERT INTO articles_fts (rowid, title, source, body) SELECT id, title, source, body FROM articles_search ORDER BY id;
		INSERT INTO articles_fields (rowid, title, author, link) SELECT id, title, author, link FROM articles_fields_src ORDER BY id;
		`+indexPairs+` ORDER BY id`)
	if err != nil {
		return fmt.Errorf("copy from %s: %w", path, err)
	}
	return nil
}
