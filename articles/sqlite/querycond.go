package sqlite

import (
	"context"
	"strings"

	"tidings/articles"
)

// cond returns e as an SQL condition on the articles (a), with its
// arguments.
func (s *Store) cond(ctx context.Context, e *articles.Expr) (string, []any, error) {
	if x, ok := s.ftsExpr(ctx, e); ok {
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
	case articles.FieldText:
		// A phrase: candidates from an index, then the phrase in any one
		// of the three.
		if pairs, ok := s.pairsExpr(t.Words); ok {
			return "(a.id IN (" + pairsIDs + ") AND " + phraseCheck + ")", []any{pairs, words}, nil
		}
		fts, ok := s.wordsExpr(ctx, t.Words)
		if !ok {
			return "0", nil, nil
		}
		return "(a.id IN (" + ftsIDs + ") AND " + phraseCheck + ")", []any{fts, words}, nil
	case articles.FieldTitle, articles.FieldAuthor:
		col := map[articles.Field]string{articles.FieldTitle: "title", articles.FieldAuthor: "author"}[t.Field]
		return s.fieldCond(ctx, col, t, hasFunc+"(a."+col+", ?, 1)", words)
	case articles.FieldLink:
		return s.fieldCond(ctx, "link", t, linkFunc+"(a.link, ?)", t.Text)
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

// fieldCond returns a title:, author: or link: term as a condition (see
// fieldParts). A store without the index of fields checks every row.
func (s *Store) fieldCond(ctx context.Context, col string, t articles.Term, check string, arg any) (string, []any, error) {
	if s.noFields {
		if col != "link" && !t.Phrase {
			check = hasFunc + "(a." + col + ", ?, 0)"
		}
		return check, []any{arg}, nil
	}
	m, check, args, ok := s.fieldParts(ctx, termExpr(t))
	if !ok {
		return "0", nil, nil
	}
	in := "a.id IN (" + fieldsIDs + ")"
	if check == "" {
		return in, []any{m}, nil
	}
	return "(" + in + " AND " + check + ")", append([]any{m}, args...), nil
}

func termExpr(t articles.Term) *articles.Expr { return &articles.Expr{Op: articles.OpTerm, Term: t} }

// fieldParts returns a title:, author: or link: term as a query of the
// index of fields (its words in that column), and the check of the rows it
// finds, with its arguments, when the index cannot say alone: for a
// phrase, or a link (a host or URL prefix). ok is false for any other
// expression, in a store without that index, or when a word has nothing
// to search for.
func (s *Store) fieldParts(ctx context.Context, e *articles.Expr) (match, check string, args []any, ok bool) {
	if e.Op == articles.OpOr {
		return s.fieldOr(ctx, e)
	}
	t := e.Term
	col := map[articles.Field]string{articles.FieldTitle: "title", articles.FieldAuthor: "author", articles.FieldLink: "link"}[t.Field]
	if e.Op != articles.OpTerm || col == "" || s.noFields {
		return "", "", nil, false
	}
	words := t.Words
	switch {
	case col == "link":
		words = articles.Words(t.Text)
		check, args = linkFunc+"(a.link, ?)", []any{t.Text}
	case t.Phrase:
		check, args = hasFunc+"(a."+col+", ?, 1)", []any{strings.Join(t.Words, " ")}
	}
	var parts []string
	for _, w := range words {
		tokens := articles.TermTokens(w)
		if len(tokens) == 0 {
			return "", "", nil, false
		}
		for _, tok := range tokens {
			parts = append(parts, col+" : "+s.prefixIn(ctx, fieldsVocab, tok))
		}
	}
	return strings.Join(parts, " AND "), check, args, len(parts) > 0
}

// fieldOr is an OR of field terms (title:trade OR author:smith) as one
// match of the index of fields, when no side needs a check on the row (a
// phrase, a link prefix): one lookup instead of a condition on every row
// the rest of the query leaves.
func (s *Store) fieldOr(ctx context.Context, e *articles.Expr) (match, check string, args []any, ok bool) {
	alts := make([]string, 0, len(e.Args))
	for _, a := range e.Args {
		m, check, _, ok := s.fieldParts(ctx, a)
		if !ok || check != "" {
			return "", "", nil, false
		}
		alts = append(alts, "("+m+")")
	}
	return strings.Join(alts, " OR "), "", nil, true
}

const fieldsIDs = `SELECT rowid FROM articles_fields WHERE articles_fields MATCH ?`

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
