package sqlite

import (
	"context"
	"database/sql"
	"errors"

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
	where, args := []string{"a.id > ?"}, []any{after}
	if p.match != "" {
		where = append(where, "a.id IN (SELECT rowid FROM "+p.table+" WHERE "+p.table+" MATCH ? AND rowid > ?)")
		args = append(args, p.match, after)
	}
	conds, condArgs := p.conds()
	where, args = append(where, conds...), append(args, condArgs...)
	var n int
	var title string
	err = s.db.QueryRowContext(ctx, `SELECT count(*) OVER (), a.title FROM articles a`+whereClause(where)+`
		ORDER BY a.published DESC, a.id DESC LIMIT 1`, args...).Scan(&n, &title)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	return n, termsafe.Line(title), s.wrap("find the new articles of a notify rule in", err)
}
