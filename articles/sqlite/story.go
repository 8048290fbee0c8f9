package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"hash/fnv"
	"strings"
	"time"

	sqlite3 "modernc.org/sqlite"

	"tidings/articles"
)

// storySchema is the schema version from which articles are grouped in
// stories (migration 8).
const storySchema = 9

// titleWindow is how far apart two copies of a headline may be published
// and still be one story: an agency story runs the same day everywhere,
// while a title that comes back every week ("Weekly open thread for
// everyone") is a new story each time.
const titleWindow = 48 * time.Hour

// storyKey hashes one of articles.StoryKeys for its column: nil for an
// empty key, so that it matches nothing and stays out of the index.
func storyKey(k string) any {
	if k == "" {
		return nil
	}
	h := fnv.New64a()
	h.Write([]byte(k)) //nolint:errcheck // a hash never fails
	return int64(h.Sum64())
}

// storyKeys returns an article's three hashed keys: link, GUID, title.
func storyKeys(a articles.Article) [3]any {
	k := articles.StoryKeysOf(a)
	return [3]any{storyKey(k.Link), storyKey(k.GUID), storyKey(k.Title)}
}

// storyKeyFunc is the SQL name of storyKeySQL: the migration keys the
// stored articles with it in one statement.
const storyKeyFunc = "tidings_story_key"

func init() {
	sqlite3.MustRegisterDeterministicScalarFunction(storyKeyFunc, 2, storyKeySQL)
}

// storyKeySQL returns the hashed key of kind ('link', 'guid' or 'title')
// of a text, as storyKeys does.
func storyKeySQL(_ *sqlite3.FunctionContext, args []driver.Value) (driver.Value, error) {
	kind, _ := args[0].(string)
	var text string
	switch v := args[1].(type) {
	case string:
		text = v
	case []byte: // only in a damaged row
		text = string(v)
	}
	var k string
	switch kind {
	case "link":
		k = articles.StoryLink(text)
	case "guid":
		k = articles.StoryGUID(text)
	case "title":
		k = articles.StoryTitle(text)
	}
	return storyKey(k), nil
}

// findStory finds the story a new article of a feed belongs to: an
// article of another feed with the same link, else GUID, else title
// (published within titleWindow), whose story has no copy in this feed
// yet. Its one row is the story's ID, its lead's.
const findStory = `SELECT coalesce(x.story, x.id) FROM (
		SELECT id, story FROM articles WHERE link_key = ?1 AND feed_id != ?4
		UNION ALL SELECT id, story FROM articles WHERE guid_key = ?2 AND feed_id != ?4
		UNION ALL SELECT id, story FROM articles WHERE title_key = ?3 AND feed_id != ?4 AND published BETWEEN ?5 AND ?6
	) x WHERE x.story IS NULL OR NOT EXISTS (SELECT 1 FROM articles c WHERE c.story = x.story AND c.feed_id = ?4)
	LIMIT 1`

// joinStatements make article ?2 a copy of story ?1 (its lead's ID). One
// story has one state: the new copy takes the lead's read and star (a
// story read in one feed is read when another feed brings it), and a copy
// from a feed server that changes so is queued for the server (?3: when,
// in unix milliseconds).
var joinStatements = []string{
	`UPDATE articles SET story = id WHERE id = ?1 AND story IS NULL`,
	`INSERT INTO sync_queue (remote, starred, value, at)
		SELECT a.remote, k.starred, 1, ?3 FROM articles a, articles l, (SELECT 0 AS starred UNION ALL SELECT 1) k
		WHERE a.id = ?2 AND l.id = ?1 AND a.remote IS NOT NULL
			AND CASE k.starred WHEN 0 THEN a.read = 0 AND l.read != 0 ELSE a.starred = 0 AND l.starred != 0 END
		ON CONFLICT (remote, starred) DO UPDATE SET value = excluded.value, at = excluded.at`,
	`UPDATE articles SET story = ?1,
		read = max(read, (SELECT read FROM articles WHERE id = ?1)),
		starred = max(starred, (SELECT starred FROM articles WHERE id = ?1)) WHERE id = ?2`,
}

// storyWriter puts the articles a write inserts in their stories. The
// statements that join a story are prepared when first needed: most
// writes join none.
type storyWriter struct {
	ctx  context.Context
	tx   *sql.Tx
	find *sql.Stmt
	join []*sql.Stmt
	now  time.Time
}

func newStoryWriter(ctx context.Context, tx *sql.Tx, now time.Time) (*storyWriter, error) {
	find, err := tx.PrepareContext(ctx, findStory)
	if err != nil {
		return nil, err
	}
	return &storyWriter{ctx: ctx, tx: tx, find: find, now: now}, nil
}

func (w *storyWriter) close() {
	w.find.Close()
	for _, st := range w.join {
		st.Close()
	}
}

// assign puts the new article id of feedID, with its hashed keys and
// publication time, in the story another feed has, if any.
func (w *storyWriter) assign(id, feedID int64, keys [3]any, published int64) error {
	if keys == [3]any{} {
		return nil
	}
	window := int64(titleWindow / time.Second)
	var story int64
	err := w.find.QueryRowContext(w.ctx, keys[0], keys[1], keys[2], feedID, published-window, published+window).Scan(&story)
	if err == sql.ErrNoRows {
		return nil
	}
	if err != nil {
		return err
	}
	return w.joinStory(story, id)
}

// joinStory makes article id a copy of story: see joinStatements.
func (w *storyWriter) joinStory(story, id int64) error {
	if w.join == nil {
		for _, q := range joinStatements {
			st, err := w.tx.PrepareContext(w.ctx, q)
			if err != nil {
				return err
			}
			w.join = append(w.join, st)
		}
	}
	for _, st := range w.join {
		if _, err := st.ExecContext(w.ctx, story, id, w.now.UnixMilli()); err != nil {
			return err
		}
	}
	return nil
}

// copiesOf selects the IDs of the article given (an argument, twice) and
// of its story's other copies.
const copiesOf = `SELECT ? UNION SELECT b.id FROM articles a JOIN articles b ON b.story = a.story WHERE a.id = ?`

// leadsOnly keeps the lead of each story and the articles of no story:
// written as the partial indexes articles_lead and articles_lead_unread
// are, so that the lists walk them.
const leadsOnly = "(a.story IS NULL OR a.story = a.id)"

// notLeads are the IDs leadsOnly leaves out, for conditions on the
// full-text index's rowid (see ftsWhere): the copies that are not leads
// are few and all in one partial index, and the set is built once a
// query.
const notLeads = "SELECT id FROM articles WHERE story IS NOT NULL AND story != id"

// dupCondition is the condition on articles a (and its arguments) that
// keeps one copy of each story among the feeds q lists: with no feeds
// named, each story's lead; with several, the oldest copy among them;
// with one feed, its own copy (no condition).
func dupCondition(q articles.Query) (string, []any) {
	switch len(q.Feeds) {
	case 0:
		return leadsOnly, nil
	case 1:
		return "", nil
	}
	return `NOT EXISTS (SELECT 1 FROM articles b WHERE b.story = a.story AND b.id < a.id
		AND b.feed_id IN (SELECT id FROM feeds WHERE url IN (` + placeholders(len(q.Feeds)) + `)))`, strArgs(q.Feeds)
}

// dupCount counts the copies the lists of q leave out (see dupCondition),
// and the unread ones among them: an all or unread count counts a story
// once, while each feed's own counter counts its copy.
func (s *Store) dupCount(ctx context.Context, q articles.Query) (total, unread int, err error) {
	cond, args := dupCondition(q)
	if cond == "" || s.noStory {
		return 0, 0, nil
	}
	where := "a.story IS NOT NULL AND NOT " + cond
	if cond == leadsOnly {
		where = "a.story IS NOT NULL AND a.story != a.id" // the same, from the index alone
	}
	if len(q.Feeds) > 0 {
		where += " AND a.feed_id IN (SELECT id FROM feeds WHERE url IN (" + placeholders(len(q.Feeds)) + "))"
		args = append(args, strArgs(q.Feeds)...)
	}
	if !s.noIgnore {
		where += " AND " + notIgnored // the feeds' counters leave them out already
	}
	err = s.db.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(NOT a.read), 0) FROM articles a WHERE `+where, args...).
		Scan(&total, &unread)
	return total, unread, err
}

// alsoIn names the feeds of the other copies of article id's story, by
// title (else URL), oldest copy first, a comma between two.
func (s *Store) alsoIn(ctx context.Context, id int64) (string, error) {
	if s.noStory {
		return "", nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT coalesce(nullif(f.title, ''), nullif(b.source, ''), f.url)
		FROM articles a JOIN articles b ON b.story = a.story AND b.id != a.id JOIN feeds f ON f.id = b.feed_id
		WHERE a.id = ? ORDER BY b.id`, id)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return "", err
		}
		names = append(names, n)
	}
	return strings.Join(names, ", "), rows.Err()
}

// keyStored keys and groups articles stored without their keys, as a
// rebuild copies them: as the migration does.
func keyStored(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE articles SET link_key = `+storyKeyFunc+`('link', link),
		guid_key = `+storyKeyFunc+`('guid', guid), title_key = `+storyKeyFunc+`('title', title)`)
	if err != nil {
		return err
	}
	return backfillStories(ctx, tx)
}

// backfillStories groups the stored articles, keyed by the migration,
// as the writer would have as they arrived, oldest first; a story read
// (or starred) in one feed becomes so in all. Only the articles that
// share a key with another feed's are looked at: the index finds them.
// It runs once, in the transaction of migration 8.
func backfillStories(ctx context.Context, tx *sql.Tx) error {
	window := int64(titleWindow / time.Second)
	type row struct {
		id, feed, published int64
		keys                [3]any
	}
	var shared []row
	err := scanRows(ctx, tx, `SELECT id, feed_id, link_key, guid_key, title_key, published FROM articles a
		WHERE EXISTS (SELECT 1 FROM articles b WHERE b.link_key = a.link_key AND b.feed_id != a.feed_id)
			OR EXISTS (SELECT 1 FROM articles b WHERE b.guid_key = a.guid_key AND b.feed_id != a.feed_id)
			OR EXISTS (SELECT 1 FROM articles b WHERE b.title_key = a.title_key AND b.feed_id != a.feed_id
				AND b.published BETWEEN a.published - ?1 AND a.published + ?1)
		ORDER BY id`, func(r *sql.Rows) error {
		var x row
		err := r.Scan(&x.id, &x.feed, &x.keys[0], &x.keys[1], &x.keys[2], &x.published)
		shared = append(shared, x)
		return err
	}, window)
	if err != nil {
		return err
	}
	w, err := newStoryWriter(ctx, tx, time.Now())
	if err != nil {
		return err
	}
	defer w.close()
	for _, x := range shared {
		// The later copies are not grouped yet: each looks among the
		// earlier ones, as at its arrival.
		if err := w.assign(x.id, x.feed, x.keys, x.published); err != nil {
			return err
		}
	}
	return unifyStories(ctx, tx)
}

// unifyStories gives every copy of a story the state of the most read
// and starred one: copies grouped after they were marked apart.
func unifyStories(ctx context.Context, tx *sql.Tx) error {
	for _, col := range []string{"read", "starred"} {
		_, err := tx.ExecContext(ctx, `UPDATE articles SET `+col+` = 1 WHERE story IS NOT NULL AND `+col+` = 0
			AND story IN (SELECT story FROM articles WHERE story IS NOT NULL AND `+col+` != 0)`)
		if err != nil {
			return err
		}
	}
	return nil
}
