package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"tidings/articles"
	"tidings/articles/termsafe"
)

// LastID is the highest article ID stored, 0 for none: the watermark a
// refresh takes before it starts. Rows are only ever inserted with higher
// IDs (an INTEGER PRIMARY KEY takes the highest plus one), so the
// articles a refresh stored are exactly those above it.
func (s *Store) LastID(ctx context.Context) (int64, error) {
	var id sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT max(id) FROM articles`).Scan(&id)
	return id.Int64, s.wrap("read the last article ID of", err)
}

// NewMatches counts the unread articles stored after the article ID
// after that q selects, one copy of each story, and returns the title of
// the newest of them (sanitised). Articles that came already read (a
// sync marks what was read elsewhere) are not news.
//
// The rows above after drive the query: a refresh stores a few hundred
// at most, so a rule costs about the same at 100,000 articles as at 100.
// A full-text match is restricted to them too (FTS5 skips to a rowid).
func (s *Store) NewMatches(ctx context.Context, q articles.Query, after int64) (int, string, error) {
	q.UnreadOnly = true
	p, err := s.compile(ctx, q)
	if err != nil {
		return 0, "", err
	}
	// after is an integer of ours, written into the query: every lookup
	// of the full-text index, the plan's own ones too, is then cut to the
	// new rows without counting placeholders.
	above := " AND rowid > " + strconv.FormatInt(after, 10)
	var where []string
	var args []any
	if p.match != "" {
		where = append(where, "a.id IN (SELECT rowid FROM "+p.table+" WHERE "+p.table+" MATCH ?"+above+")")
		args = append(args, p.match)
	}
	for _, w := range p.where {
		w = strings.ReplaceAll(w, ftsIDs, ftsIDs+above)
		where = append(where, strings.ReplaceAll(w, fieldsIDs, fieldsIDs+above))
	}
	args = append(args, p.args...)
	if p.minus != "" {
		where, args = append(where, "a.id NOT IN ("+ftsIDs+above+")"), append(args, p.minus)
	}
	// The new rows first (CROSS JOIN keeps that order): left to itself,
	// the planner walks the index of unread leads, most of the table.
	query := `WITH fresh AS MATERIALIZED (SELECT id FROM articles WHERE id > ` + strconv.FormatInt(after, 10) + `)
		SELECT count(*) OVER (), a.title FROM fresh CROSS JOIN articles a ON a.id = fresh.id` + whereClause(where) + `
		ORDER BY a.published DESC, a.id DESC LIMIT 1`
	var n int
	var title string
	err = s.db.QueryRowContext(ctx, query, args...).Scan(&n, &title)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	return n, termsafe.Line(title), s.wrap("find the new articles of a notify rule in", err)
}

// NewArticles returns the unread articles stored after the ID after, one
// copy of each story, newest first, with the titles of their feeds (for
// feed: terms), for the rules to be checked in Go: a refresh stores a
// few hundred, and reading them once costs less than a query of the
// full-text index a rule. With more than limit it returns none and ok
// false: then NewMatches, a query a rule, costs less than reading them.
func (s *Store) NewArticles(ctx context.Context, after int64, limit int) (arts []articles.Article, feedTitles []string, ok bool, err error) {
	// Ignored articles are not news: the lists' conditions (filters, and
	// compile in NewMatches) leave them out here too.
	where, args := filters(articles.Query{UnreadOnly: true}, !s.noStory, !s.noIgnore)
	var n int
	err = s.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT id FROM articles WHERE id > ? LIMIT ?)`, after, limit+1).Scan(&n)
	if err != nil || n > limit {
		return nil, nil, false, s.wrap("count the new articles of", err)
	}
	// The new rows first, as in NewMatches.
	rows, err := s.db.QueryContext(ctx, `WITH fresh AS MATERIALIZED (SELECT id FROM articles WHERE id > ?)
		SELECT a.id, f.url, f.title, a.source, a.title, a.link, a.author, a.published, a.body, a.read, a.starred
		FROM fresh CROSS JOIN articles a ON a.id = fresh.id JOIN feeds f ON f.id = a.feed_id`+whereClause(where)+`
		ORDER BY a.published DESC, a.id DESC`, append([]any{after}, args...)...)
	if err != nil {
		return nil, nil, false, s.wrap("read the new articles of", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a articles.Article
		var id, published int64
		var feedTitle string
		if err := rows.Scan(&id, &a.Feed, &feedTitle, &a.Source, &a.Title, &a.Link, &a.Author, &published, storedBody{&a.Body}, &a.Read, &a.Starred); err != nil {
			return nil, nil, false, s.wrap("read the new articles of", err)
		}
		a = a.Sanitized()
		a.ID, a.Published = strconv.FormatInt(id, 10), unix(published)
		arts, feedTitles = append(arts, a), append(feedTitles, termsafe.Line(feedTitle))
	}
	return arts, feedTitles, true, s.wrap("read the new articles of", rows.Err())
}
