package sqlite

import (
	"context"
	"strings"

	"tidings/articles"
)

// cond returns e as an SQL condition on the articles (a), with its
// arguments.
func (s *Store) cond(ctx context.Context, e *articles.Expr) (string, []any, error) {
	if x, ok := s.ftsExpr(e); ok {
		return "a.id IN (" + ftsIDs + ")", []any{x}, nil
	}
	switch e.Op {
	case articles.OpNot:
		c, args, err := s.cond(ctx, e.Args[0])
		return "NOT (" + c + ")", args, err
	case articles.OpAnd, articles.OpOr:
		parts := make([]string, len(e.Args))
		var args []any
		for i, a := range e.Args {
			c, cargs, err := s.cond(ctx, a)
			if err != nil {
				return "", nil, err
			}
			parts[i], args = "("+c+")", append(args, cargs...)
		}
		sep := " AND "
		if e.Op == articles.OpOr {
			sep = " OR "
		}
		return "(" + strings.Join(parts, sep) + ")", args, nil
	}
	return s.termCond(ctx, e.Term)
}

// termCond returns one term as a condition. "0" is a term that matches
// nothing: no word to search for, a tag no feed has.
func (s *Store) termCond(ctx context.Context, t articles.Term) (string, []any, error) {
	words := strings.Join(t.Words, " ")
	switch t.Field {
	case articles.FieldText, articles.FieldTitle:
		fts, ok := s.wordsExpr(t.Words)
		if !ok {
			return "0", nil, nil
		}
		check := hasFunc + "(a.title, ?, ?)"
		args := []any{fts, words, t.Phrase}
		if t.Field == articles.FieldText { // a phrase: in any one of them
			check = "(" + hasFunc + "(a.title, ?, 1) OR " + hasFunc + "(a.source, ?, 1) OR " + hasFunc + "(a.body, ?, 1))"
			args = []any{fts, words, words, words}
		}
		return "(a.id IN (" + ftsIDs + ") AND " + check + ")", args, nil
	case articles.FieldAuthor:
		return hasFunc + "(a.author, ?, ?)", []any{words, t.Phrase}, nil
	case articles.FieldLink:
		return linkFunc + "(a.link, ?)", []any{t.Text}, nil
	case articles.FieldFeed:
		return s.feedCond(ctx, t)
	case articles.FieldTag:
		if len(t.Feeds) == 0 {
			return "0", nil, nil
		}
		return "a.feed_id IN (SELECT id FROM feeds WHERE url IN (" + placeholders(len(t.Feeds)) + "))", strArgs(t.Feeds), nil
	case articles.FieldState:
		return map[articles.State]string{articles.StateUnread: "a.read = 0", articles.StateRead: "a.read = 1",
			articles.StateStarred: "a.starred = 1"}[t.State], nil, nil
	case articles.FieldTime:
		op := " < ?"
		if t.Time.Newer {
			op = " >= ?"
		}
		return "a.published" + op, []any{t.Time.Bound(s.opts.Now()).Unix()}, nil
	}
	return "0", nil, nil
}

// feedCond finds the feeds a feed: term names, reading the feeds table
// (one row a feed).
func (s *Store) feedCond(ctx context.Context, t articles.Term) (string, []any, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, url, title FROM feeds`)
	if err != nil {
		return "", nil, s.wrap("read feeds from", err)
	}
	defer rows.Close()
	var ids []any
	for rows.Next() {
		var id int64
		var url, title string
		if err := rows.Scan(&id, &url, &title); err != nil {
			return "", nil, s.wrap("read feeds from", err)
		}
		if t.MatchesFeed(url, title) {
			ids = append(ids, id)
		}
	}
	if err := rows.Err(); err != nil {
		return "", nil, s.wrap("read feeds from", err)
	}
	if len(ids) == 0 {
		return "0", nil, nil
	}
	return "a.feed_id IN (" + placeholders(len(ids)) + ")", ids, nil
}
