package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"tidings/articles"
	"tidings/articles/termsafe"
)

const rowColumns = `a.id, f.url, a.source, a.title, a.published, a.read, a.starred`

// rankLimit is the most matches a search ranks by relevance. Past it the
// matches come most recently stored first: ranking 100,000 matches of one
// typed letter costs over a second and tells the reader nothing, while
// FTS5 walks its index backwards for free.
const rankLimit = 1000

// ranks reports whether a search run by p with total matches is ranked:
// not when the count stopped short (more), past rankLimit.
// A search with CJK words is not: bm25 then walks the whole list of every
// bigram in it, and common bigrams are in most articles (measured over
// 100,000 synthetic Chinese articles, searching a whole title: 3 ms to
// find it, 6.7 ms ranked), and to rank each match it tokenizes its text
// again, a token a character (0.09 ms a match, English 0.012 ms).
func ranks(p plan, total int, more bool) bool {
	return !more && p.table == "articles_fts" && !p.cjk && total <= rankLimit
}

// Page implements articles.Store: its rows' text sanitised again, as in
// Article; newest first, or for a search through the full-text index by
// relevance (at most rankLimit matches, and without CJK words) or most
// recently stored first.
// For a search through the index, Unread is not counted (it would cost a
// read of every match) and stays 0. A search's Total stops at countBound,
// with More set past it.
func (s *Store) Page(ctx context.Context, q articles.Query, offset, limit int) (articles.Page, error) {
	p := articles.Page{Offset: max(offset, 0)}
	pl, err := s.compile(ctx, q)
	if err != nil {
		return p, err
	}
	bound := countBound(offset, limit)
	if pl.match != "" && q.Search() != nil {
		return s.searchPage(ctx, pl, p, bound, limit)
	}
	p.Total, p.Unread, err = s.count(ctx, q, pl, bound)
	if q.Search() != nil && p.Total > bound {
		p.Total, p.More = bound, true
	}
	if err != nil || limit <= 0 {
		// LIMIT 0 is no shortcut for SQLite: it walks the whole index.
		return p, err
	}
	query, args := pageQuery(pl, p.Total, p.More)
	return s.readRows(ctx, p, query, append(args, max(limit, 0), p.Offset))
}

// searchPage is Page for a search an index drives: its matches walked
// once, newest first, up to bound+1, which gives the count and (unless
// they are ranked) the page's IDs; only the page's rows are read.
// Counting the matches and then finding the page walked them twice, and
// the walk is most of a keystroke's cost: every candidate of a phrase
// read and checked, every article holding a word of 7+ letters merged
// from the index.
func (s *Store) searchPage(ctx context.Context, pl plan, p articles.Page, bound, limit int) (articles.Page, error) {
	query, args := matchIDs(pl)
	ids, err := s.ids(ctx, query+` LIMIT ?`, append(args, bound+1)...)
	if err != nil {
		return p, s.wrap("count articles in", err)
	}
	p.Total, p.More = min(len(ids), bound), len(ids) > bound
	if limit <= 0 {
		return p, nil
	}
	if ranks(pl, p.Total, p.More) {
		query, args := pageQuery(pl, p.Total, p.More)
		return s.readRows(ctx, p, query, append(args, limit, p.Offset))
	}
	ids = ids[min(p.Offset, len(ids)):]
	ids = ids[:min(limit, len(ids))]
	if len(ids) == 0 {
		return p, nil
	}
	return s.readRows(ctx, p, `SELECT `+rowColumns+` FROM articles a JOIN feeds f ON f.id = a.feed_id
		WHERE a.id IN (`+placeholders(len(ids))+`) ORDER BY a.id DESC`, ids)
}

// ids returns the IDs query selects.
func (s *Store) ids(ctx context.Context, query string, args ...any) ([]any, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []any
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// readRows appends to p the rows query selects, sanitised again.
func (s *Store) readRows(ctx context.Context, p articles.Page, query string, args []any) (articles.Page, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return p, s.wrap("read articles from", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r articles.Row
		var id, published int64
		if err := rows.Scan(&id, &r.Feed, &r.Source, &r.Title, &published, &r.Read, &r.Starred); err != nil {
			return p, s.wrap("read articles from", err)
		}
		r.ID, r.Published = fmt.Sprint(id), unix(published)
		r.Feed, r.Source, r.Title = termsafe.Line(r.Feed), termsafe.Line(r.Source), termsafe.Line(r.Title)
		p.Rows = append(p.Rows, r)
	}
	return p, s.wrap("read articles from", rows.Err())
}

// pageQuery returns the query for a page of p, with its arguments but the
// limit and offset, which go last. Where it can, the inner query finds the
// page's IDs in an index alone and only the page's rows are read, so the
// end of the list costs little more than its start.
func pageQuery(p plan, total int, more bool) (string, []any) {
	const outer = `SELECT ` + rowColumns + ` FROM articles a JOIN feeds f ON f.id = a.feed_id JOIN (`
	if p.match == "" {
		where, args := p.conds()
		return outer + `SELECT a.id FROM articles a` + whereClause(where) + `
			ORDER BY a.published DESC, a.id DESC LIMIT ? OFFSET ?) page ON page.id = a.id
			ORDER BY a.published DESC, a.id DESC`, args
	}
	args := append([]any{p.match}, p.args...)
	if ranks(p, total, more) {
		return `SELECT ` + rowColumns + ` FROM ` + p.table + `
			CROSS JOIN articles a ON a.id = ` + p.table + `.rowid JOIN feeds f ON f.id = a.feed_id
			WHERE ` + p.table + ` MATCH ?` + and(p.where) + `
			ORDER BY rank, a.published DESC LIMIT ? OFFSET ?`, args
	}
	inner, args := matchIDs(p)
	return outer + inner + ` LIMIT ? OFFSET ?) page ON page.id = a.id
		ORDER BY a.id DESC`, args
}

// matchIDs returns the query of the IDs of the matches of p, an index
// driving it, newest first, with its arguments. Where it can, it reads
// the index alone.
func matchIDs(p plan) (string, []any) {
	args := append([]any{p.match}, p.args...)
	// FTS5 hands its matches out in rowid order for free, backwards too.
	if cond, ok := ftsWhere(p.where); ok {
		return `SELECT rowid AS id FROM ` + p.table + ` WHERE ` + p.table + ` MATCH ?` + cond + ` ORDER BY rowid DESC`, args
	}
	return `SELECT a.id FROM ` + p.table + ` CROSS JOIN articles a ON a.id = ` + p.table + `.rowid
		WHERE ` + p.table + ` MATCH ?` + and(p.where) + ` ORDER BY ` + p.table + `.rowid DESC`, args
}

// count returns how many articles p selects and, but for a search through
// the index, how many of them are unread. Without a search or the
// starred filter the per-feed counters answer without touching the
// articles, less the copies of stories the list leaves out (few, in one
// index).
// A search's count stops at bound+1 (see countBound): counting every
// match of a word in most articles visits them all.
func (s *Store) count(ctx context.Context, q articles.Query, p plan, bound int) (total, unread int, err error) {
	switch {
	case q.Search() == nil && !q.StarredOnly && !q.Ignored:
		query := `SELECT COALESCE(SUM(total), 0), COALESCE(SUM(unread), 0) FROM feeds`
		var args []any
		if len(q.Feeds) > 0 {
			query += ` WHERE url IN (` + placeholders(len(q.Feeds)) + `)`
			args = strArgs(q.Feeds)
		}
		err = s.db.QueryRowContext(ctx, query, args...).Scan(&total, &unread)
		if err == nil {
			var dups, dupUnread int
			dups, dupUnread, err = s.dupCount(ctx, q)
			total, unread = total-dups, unread-dupUnread
		}
		if q.UnreadOnly {
			total = unread
		}
	case q.Search() == nil:
		err = s.db.QueryRowContext(ctx, `SELECT count(*), COALESCE(SUM(NOT a.read), 0) FROM articles a`+whereClause(p.where), p.args...).
			Scan(&total, &unread)
	case p.match == "":
		// Without the unread count, which would read every row, the
		// count can come from an index alone.
		if p.minus == "" {
			err = s.db.QueryRowContext(ctx, limitCount(`SELECT 1 FROM articles a`+whereClause(p.where), bound),
				boundArg(p.args, bound)...).Scan(&total)
			break
		}
		// Both counts exact: the difference of two capped ones says
		// nothing.
		err = s.db.QueryRowContext(ctx, `SELECT count(*) FROM articles a`+whereClause(p.where), p.args...).Scan(&total)
		if err == nil {
			var holding int
			holding, _, err = s.count(ctx, q, plan{table: "articles_fts", match: p.minus, where: p.where, args: p.args}, -1)
			total -= holding
		}
	default:
		query := `SELECT 1 FROM ` + p.table + ` WHERE ` + p.table + ` MATCH ?`
		args := append([]any{p.match}, p.args...)
		switch cond, ok := ftsWhere(p.where); {
		case ok:
			query += cond // one story once, from the index alone
		case bound < 0:
			// Counting them all: the planner may drive by the articles'
			// indexes and check the set of matches (a negated word in
			// most articles: half the time of reading every match's row).
			query = `SELECT 1 FROM articles a WHERE a.id IN (SELECT rowid FROM ` + p.table + ` WHERE ` + p.table + ` MATCH ?)` + and(p.where)
		default: // the index drives, newest first, and stops at bound
			query = `SELECT 1 FROM ` + p.table + ` CROSS JOIN articles a ON a.id = ` + p.table + `.rowid
				WHERE ` + p.table + ` MATCH ?` + and(p.where)
		}
		err = s.db.QueryRowContext(ctx, limitCount(query, bound), boundArg(args, bound)...).Scan(&total)
	}
	return total, unread, s.wrap("count articles in", err)
}

// countCap is where a search's count stops on the first page: past it
// the list shows "1,000+". It is rankLimit, so that a search is ranked
// exactly when its count is exact.
const countCap = rankLimit

// countBound is how far a search's count goes for a page at offset:
// countCap, or further for a page deep in the list, so that the count
// always reaches past it and the list can ask for the next one.
func countBound(offset, limit int) int {
	return max(countCap, max(offset, 0)+2*max(limit, 0))
}

// limitCount counts the rows of query, up to bound+1 (its last
// argument); a bound below 0 counts them all (and takes no argument).
func limitCount(query string, bound int) string {
	if bound < 0 {
		return `SELECT count(*) FROM (` + query + `)`
	}
	return `SELECT count(*) FROM (` + query + ` LIMIT ?)`
}

// boundArg is args with the limit of limitCount, if it takes one.
func boundArg(args []any, bound int) []any {
	if bound < 0 {
		return args
	}
	return append(slices.Clone(args), bound+1)
}

// filters returns the conditions of q other than its terms; with stories,
// one copy of each story (see dupCondition); with ignore, the articles
// no ignore rule hides, or for q.Ignored only those (every copy).
func filters(q articles.Query, stories, ignore bool) ([]string, []any) {
	var where []string
	var args []any
	if q.UnreadOnly {
		where = append(where, "a.read = 0")
	}
	if q.StarredOnly {
		where = append(where, "a.starred = 1")
	}
	if len(q.Feeds) > 0 {
		where = append(where, "a.feed_id IN (SELECT id FROM feeds WHERE url IN ("+placeholders(len(q.Feeds))+"))")
		args = append(args, strArgs(q.Feeds)...)
	}
	if cond, condArgs := dupCondition(q); stories && !q.Ignored && cond != "" {
		where, args = append(where, cond), append(args, condArgs...)
	}
	switch {
	case ignore && q.Ignored:
		where = append(where, "a.ignored != 0")
	case ignore:
		where = append(where, notIgnored)
	case q.Ignored:
		where = append(where, "0") // no rules before ignoreSchema
	}
	return where, args
}

// ftsWhere returns where as conditions on the full-text index alone, when
// it can be: no condition, or only leadsOnly and notIgnored, which the ID
// answers. Joining the rows of 100,000 matches to read nothing from them
// cost 120 ms a keystroke.
func ftsWhere(where []string) (string, bool) {
	var hidden []string
	for _, w := range where {
		switch w {
		case leadsOnly:
			hidden = append(hidden, notLeads)
		case notIgnored:
			hidden = append(hidden, ignoredIDs)
		default:
			return "", false
		}
	}
	if len(hidden) == 0 {
		return "", true
	}
	return " AND rowid NOT IN (" + strings.Join(hidden, " UNION ALL ") + ")", true
}

func whereClause(where []string) string {
	if len(where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(where, " AND ")
}

func and(where []string) string {
	if len(where) == 0 {
		return ""
	}
	return " AND " + strings.Join(where, " AND ")
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func strArgs(ss []string) []any {
	args := make([]any, len(ss))
	for i, s := range ss {
		args[i] = s
	}
	return args
}

func unix(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}

// Article implements articles.Store.
func (s *Store) Article(ctx context.Context, id string) (articles.Article, error) {
	n, err := parseID(id)
	if err != nil {
		return articles.Article{}, err
	}
	var a articles.Article
	var published int64
	err = s.db.QueryRowContext(ctx, `SELECT f.url, a.guid, a.source, a.title, a.link, a.author, a.published, a.body, a.read, a.starred
		FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.id = ?`, n).
		Scan(&a.Feed, &a.GUID, &a.Source, &a.Title, &a.Link, &a.Author, &published, storedBody{&a.Body}, &a.Read, &a.Starred)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("article %q: %w", id, articles.ErrNotFound)
	}
	if err != nil {
		return a, s.wrap("read article from", err)
	}
	if a.AlsoIn, err = s.alsoIn(ctx, n); err != nil {
		return a, s.wrap("read article from", err)
	}
	// Stored text was sanitised on the way in, but damage to the file can
	// put any bytes in a row that still reads: checked again on the way
	// out, which costs one scan when the text is clean.
	a = a.Sanitized()
	a.ID, a.Published = id, unix(published)
	return a, nil
}

// SetRead implements articles.Store.
func (s *Store) SetRead(ctx context.Context, ids []string, read bool) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			n, err := parseID(id)
			if err != nil {
				return err
			}
			// Every copy of the story: it is one row, read once.
			if err := queueMarks(ctx, tx, false, read, s.opts.Now(), `SELECT remote FROM articles WHERE id IN (`+copiesOf+`) AND read != ?`, n, n, read); err != nil {
				return s.wrap("mark read in", err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE articles SET read = ? WHERE id IN (`+copiesOf+`) AND read != ?`, read, n, n, read); err != nil {
				return s.wrap("mark read in", err)
			}
		}
		return nil
	})
}

// SetStarred implements articles.Store.
func (s *Store) SetStarred(ctx context.Context, id string, starred bool) error {
	n, err := parseID(id)
	if err != nil {
		return err
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		// Every copy of the story, as SetRead: the starred list shows
		// it once, and its feeds' own lists all show the star.
		if err := queueMarks(ctx, tx, true, starred, s.opts.Now(), `SELECT remote FROM articles WHERE id IN (`+copiesOf+`) AND starred != ?`, n, n, starred); err != nil {
			return s.wrap("star in", err)
		}
		_, err := tx.ExecContext(ctx, `UPDATE articles SET starred = ? WHERE id IN (`+copiesOf+`) AND starred != ?`, starred, n, n, starred)
		return s.wrap("star in", err)
	})
	return err
}

// MarkAllRead implements articles.Store. It counts the rows the list of q
// shows (a story once) and marks their stories' other copies read too.
func (s *Store) MarkAllRead(ctx context.Context, q articles.Query) (int, error) {
	p, err := s.compile(ctx, q)
	if err != nil {
		return 0, err
	}
	where, args := p.conds()
	where = append(slices.Clone(where), "a.read = 0")
	sel := `SELECT a.id FROM articles a` + whereClause(where)
	if p.match != "" {
		sel = `SELECT a.id FROM ` + p.table + ` CROSS JOIN articles a ON a.id = ` + p.table + `.rowid
			WHERE ` + p.table + ` MATCH ?` + and(where)
		args = append([]any{p.match}, args...)
	}
	// A union, not an OR, so that each side keeps its index: a feed's
	// rows by its own, their copies by the story index.
	copies := sel + ` UNION SELECT b.id FROM articles b WHERE b.read = 0 AND b.story IN (
		SELECT story FROM articles WHERE story IS NOT NULL AND id IN (` + sel + `))`
	copyArgs := append(slices.Clone(args), args...)
	var n int
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (`+sel+`)`, args...).Scan(&n); err != nil {
			return s.wrap("mark all read in", err)
		}
		if err := queueMarks(ctx, tx, false, true, s.opts.Now(), `SELECT remote FROM (`+copies+`) c JOIN articles USING (id)`, copyArgs...); err != nil {
			return s.wrap("mark all read in", err)
		}
		_, err := tx.ExecContext(ctx, `UPDATE articles SET read = 1 WHERE id IN (`+copies+`)`, copyArgs...)
		return s.wrap("mark all read in", err)
	})
	return n, err
}

// Feeds returns the state of every feed the store knows, but the bundled
// articles' own.
func (s *Store) Feeds(ctx context.Context) ([]articles.FeedState, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT url, title, etag, last_modified, last_fetch, last_ok, last_error,
		gone, retry_after, total, unread FROM feeds WHERE url != ? ORDER BY title, url`, articles.BundledFeed)
	if err != nil {
		return nil, s.wrap("read feeds from", err)
	}
	defer rows.Close()
	var out []articles.FeedState
	for rows.Next() {
		var f articles.FeedState
		var fetch, ok, retry int64
		if err := rows.Scan(&f.URL, &f.Title, &f.ETag, &f.LastModified, &fetch, &ok, &f.LastError,
			&f.Gone, &retry, &f.Total, &f.Unread); err != nil {
			return nil, s.wrap("read feeds from", err)
		}
		f.URL, f.Title, f.LastError = termsafe.Line(f.URL), termsafe.Line(f.Title), termsafe.Line(f.LastError)
		f.LastFetch, f.LastOK, f.RetryAfter = unix(fetch), unix(ok), unix(retry)
		out = append(out, f)
	}
	return out, s.wrap("read feeds from", rows.Err())
}
