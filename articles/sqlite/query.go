package sqlite

import (
	"context"
	"database/sql/driver"
	"slices"
	"strings"

	sqlite3 "modernc.org/sqlite"

	"tidings/articles"
)

// How a query's expression runs (see articles.ParseQuery). The full-text
// index keeps no positions and no columns (detail = none), so it answers
// words, and the ANDs, ORs and NOTs of words, in one MATCH; a phrase or a
// title: term finds its candidates through the index (every word of it)
// and is then checked on those rows by hasFunc, the Go matcher. State and
// time are indexed columns; feed: and tag: become feed IDs first (the
// feeds table is small). author: and link: are checked on every row the
// rest of the query leaves.

const (
	// hasFunc(text, words, phrase) is articles.Term.MatchesText: words
	// joined by spaces, phrase 1 for a quoted phrase.
	hasFunc = "tidings_has"
	// linkFunc(link, value) is articles.MatchesLink.
	linkFunc = "tidings_link"
	// phraseFunc(words, title, source, body) reports whether one of the
	// three holds the phrase: one call a row, not three (a call costs
	// about as much as the check of a body).
	phraseFunc = "tidings_phrase"
)

func init() {
	sqlite3.MustRegisterDeterministicScalarFunction(hasFunc, 3, hasText)
	sqlite3.MustRegisterDeterministicScalarFunction(linkFunc, 2, hasLink)
	sqlite3.MustRegisterDeterministicScalarFunction(phraseFunc, 4, hasPhrase)
}

func hasPhrase(_ *sqlite3.FunctionContext, args []driver.Value) (driver.Value, error) {
	words := strings.Fields(sqlText(args[0]))
	for _, v := range args[1:] {
		if articles.HasPhrase(sqlText(v), words) {
			return true, nil
		}
	}
	return false, nil
}

func hasText(_ *sqlite3.FunctionContext, args []driver.Value) (driver.Value, error) {
	text, words := sqlText(args[0]), sqlText(args[1])
	phrase, _ := args[2].(int64)
	t := articles.Term{Words: strings.Fields(words), Phrase: phrase != 0}
	return t.MatchesText(text), nil
}

func hasLink(_ *sqlite3.FunctionContext, args []driver.Value) (driver.Value, error) {
	return articles.MatchesLink(sqlText(args[1]), sqlText(args[0])), nil
}

func sqlText(v driver.Value) string {
	switch v := v.(type) {
	case string:
		return v
	case []byte:
		return string(v)
	}
	return ""
}

// plan is how the store runs a query: a MATCH of the full-text index that
// drives it, when there is one, and conditions on the articles (a).
type plan struct {
	match string // FTS5 query; empty: the articles table drives
	table string // the index match queries: articles_fts, or articles_fields
	where []string
	args  []any // of where, in order
	cjk   bool  // match holds CJK tokens: not ranked (see ranks)
	// minus, without a match, is an FTS5 query of words the articles
	// must not hold ("-sport"): counted as all the others select less
	// those holding them, two quick counts instead of a lookup a row.
	minus string
}

// conds returns the conditions of p with minus among them.
func (p plan) conds() ([]string, []any) {
	if p.minus == "" {
		return p.where, p.args
	}
	return append(slices.Clone(p.where), "a.id NOT IN ("+ftsIDs+")"), append(slices.Clone(p.args), p.minus)
}

// compile makes the plan of q. The positive words of its top level (and
// the words of its phrases and title: terms, as candidates) go into the
// MATCH; its negated words too when there is something positive to take
// them from; everything else becomes a condition.
func (s *Store) compile(ctx context.Context, q articles.Query) (plan, error) {
	var p plan
	where, args := filters(q, !s.noStory, !s.noIgnore)
	e := q.Search()
	if e == nil {
		p.where, p.args = where, args
		return p, nil
	}
	conj := []*articles.Expr{e}
	if e.Op == articles.OpAnd {
		conj = e.Args
	}
	var parts planParts
	for _, c := range conj {
		if err := s.addConjunct(ctx, &p, &parts, c); err != nil {
			return p, err
		}
	}
	p.drive(parts)
	p.cjk = hasCJK(e)
	p.where, p.args = append(p.where, where...), append(p.args, args...)
	return s.narrow(ctx, q, p, parts.narrowing, parts.narrowArgs)
}

// planParts are the pieces of a plan gathered from the top-level terms
// of a query, before it is decided which index drives it.
type planParts struct {
	pos, neg   []string // FTS5 expressions of the words index: required, excluded
	fields     []string // FTS5 expressions of the index of fields
	pairs      []string // FTS5 expressions of the index of word pairs (phrases)
	narrowing  []string // conditions that may keep the search to few articles
	narrowArgs []any
}

// addConjunct files one term of the query's top level: into the match of
// an index where it can go, else as a condition on the articles.
func (s *Store) addConjunct(ctx context.Context, p *plan, parts *planParts, c *articles.Expr) error {
	if m, check, cargs, ok := s.fieldParts(ctx, c); ok {
		parts.fields = append(parts.fields, m)
		if check != "" {
			p.where, p.args = append(p.where, check), append(p.args, cargs...)
		}
		return nil
	}
	if x, ok := s.ftsExpr(ctx, c); ok {
		parts.pos = append(parts.pos, x)
		return nil
	}
	if c.Op == articles.OpNot {
		if x, ok := s.ftsExpr(ctx, c.Args[0]); ok {
			parts.neg = append(parts.neg, x)
			return nil
		}
	}
	if x, ok := s.phrasePairs(c); ok {
		parts.pairs = append(parts.pairs, x)
		p.where = append(p.where, phraseCheck)
		p.args = append(p.args, strings.Join(c.Term.Words, " "))
		return nil
	}
	if c.Op == articles.OpTerm && s.candidates(c.Term) {
		if x, ok := s.wordsExpr(ctx, c.Term.Words); ok {
			parts.pos = append(parts.pos, x)
			if c.Term.Field == articles.FieldText { // the index found the words: check the phrase
				p.where = append(p.where, phraseCheck)
				p.args = append(p.args, strings.Join(c.Term.Words, " "))
				return nil
			}
		}
	}
	cond, cargs, err := s.cond(ctx, c)
	if err != nil {
		return err
	}
	if narrows(c) {
		parts.narrowing, parts.narrowArgs = append(parts.narrowing, cond), append(parts.narrowArgs, cargs...)
	}
	p.where, p.args = append(p.where, cond), append(p.args, cargs...)
	return nil
}

// drive decides which index drives the plan: the words index, or the
// index of fields when the query names fields (their rows are at most
// those of the same words anywhere, and an author or a host is rarer
// than most words).
func (p *plan) drive(parts planParts) {
	if len(parts.pairs) > 0 {
		p.drivePairs(parts)
		return
	}
	p.table, p.match = "articles_fts", joinMatch(parts.pos, parts.neg)
	switch {
	case p.match != "" && len(parts.fields) > 0:
		p.where, p.args = append(p.where, "a.id IN ("+ftsIDs+")"), append(p.args, p.match)
		p.table, p.match = "articles_fields", strings.Join(parts.fields, " AND ")
	case len(parts.fields) > 0:
		p.table, p.match = "articles_fields", strings.Join(parts.fields, " AND ")
		if len(parts.neg) > 0 {
			p.where, p.args = append(p.where, "a.id NOT IN ("+ftsIDs+")"), append(p.args, "("+strings.Join(parts.neg, ") OR (")+")")
		}
	case len(parts.neg) > 0:
		p.minus = "(" + strings.Join(parts.neg, ") OR (") + ")"
	}
}

// drivePairs makes the index of word pairs drive the plan: a phrase's
// candidates are few, where its words may each be in most articles. The
// other indexes' matches become sets of IDs the candidates are looked up
// in.
func (p *plan) drivePairs(parts planParts) {
	p.table, p.match = "articles_pairs", strings.Join(parts.pairs, " AND ")
	if m := joinMatch(parts.pos, parts.neg); m != "" {
		p.where, p.args = append(p.where, "a.id IN ("+ftsIDs+")"), append(p.args, m)
	} else if len(parts.neg) > 0 {
		p.where, p.args = append(p.where, "a.id NOT IN ("+ftsIDs+")"), append(p.args, "("+strings.Join(parts.neg, ") OR (")+")")
	}
	if len(parts.fields) > 0 {
		p.where, p.args = append(p.where, "a.id IN ("+fieldsIDs+")"), append(p.args, strings.Join(parts.fields, " AND "))
	}
}

// phrasePairs returns the query of the index of word pairs that finds the
// candidates of e, when e is a phrase of the text that index can find.
func (s *Store) phrasePairs(e *articles.Expr) (string, bool) {
	if e.Op != articles.OpTerm || e.Term.Field != articles.FieldText || !e.Term.Phrase {
		return "", false
	}
	return s.pairsExpr(e.Term.Words)
}

// phraseCheck is the check of a phrase (its words joined by spaces, the
// argument) on a candidate row.
const phraseCheck = phraseFunc + "(?, a.title, a.source, " + bodyFunc + "(a.body))"

// narrows reports whether e is a condition that may keep a search to few
// articles, found through an index of the articles: a feed, a tag, a
// lower bound on the date.
func narrows(e *articles.Expr) bool {
	t := e.Term
	return e.Op == articles.OpTerm && (t.Field == articles.FieldFeed || t.Field == articles.FieldTag ||
		t.Field == articles.FieldTime && t.Time.Newer)
}

// narrowRows is how many articles the narrowing conditions of a search
// (feed:, tag:, since:, age:<, or the feed open in the list) may keep for
// their IDs to make a set the index's matches are checked against: a
// word in most articles has tens of thousands of matches, and reading
// each one's row to learn its feed or date costs far more than walking
// the index. Measured at 100,000 articles: "feed:feed007.example trade
// -election" 188 ms checking the feed of every match, 311 ms with the
// feed's rows driving and the matches a set (building a set of 60,000
// rowids costs), 80 ms with the feed's IDs a set.
const narrowRows = 5000

// narrow adds to p, driven by the index, the set of the articles conds
// (and the feeds of q) keep, when they are few: counted through their
// indexes, up to narrowRows.
func (s *Store) narrow(ctx context.Context, q articles.Query, p plan, conds []string, args []any) (plan, error) {
	conds, args = slices.Clone(conds), slices.Clone(args)
	if len(q.Feeds) > 0 {
		conds = append(conds, "a.feed_id IN (SELECT id FROM feeds WHERE url IN ("+placeholders(len(q.Feeds))+"))")
		args = append(args, strArgs(q.Feeds)...)
	}
	if len(conds) == 0 {
		return p, nil
	}
	set := `SELECT a.id FROM articles a WHERE ` + strings.Join(conds, " AND ")
	var n int
	err := s.db.QueryRowContext(ctx, limitCount(set, narrowRows), boundArg(args, narrowRows)...).Scan(&n)
	if err != nil || n > narrowRows {
		return p, s.wrap("count articles in", err)
	}
	if p.match == "" {
		// The articles drive: through the index of the narrowing
		// condition, not that of the state (+), which the planner takes
		// by default, walking every unread article to find a feed's.
		for i, c := range p.where {
			if c == "a.read = 0" || c == "a.read = 1" || c == "a.starred = 1" {
				p.where[i] = "+" + c
			}
		}
		return p, nil
	}
	// +: a check of each rowid the index hands out, not a lookup of each
	// member of the set.
	p.where = append(p.where, "+"+p.table+".rowid IN ("+set+")")
	p.args = append(p.args, args...)
	return p, nil
}

const ftsIDs = `SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?`

// joinMatch ANDs the positive FTS5 expressions and takes the negative ones
// away; without a positive one there is no MATCH (FTS5 has no NOT alone).
func joinMatch(pos, neg []string) string {
	if len(pos) == 0 {
		return ""
	}
	m := "(" + strings.Join(pos, ") AND (") + ")"
	for _, n := range neg {
		m += " NOT (" + n + ")"
	}
	return m
}

// candidates reports whether a term finds its rows through the
// full-text index and then checks them: a phrase, or a title: term in a
// store without the index of fields.
func (s *Store) candidates(t articles.Term) bool {
	return t.Field == articles.FieldText && t.Phrase || t.Field == articles.FieldTitle && s.noFields
}

// ftsExpr returns e as an FTS5 expression, when it is made of words alone
// (and each NOT has something positive beside it to take from).
func (s *Store) ftsExpr(ctx context.Context, e *articles.Expr) (string, bool) {
	switch e.Op {
	case articles.OpTerm:
		if e.Term.Field != articles.FieldText || e.Term.Phrase {
			return "", false
		}
		return s.wordsExpr(ctx, e.Term.Words)
	case articles.OpOr:
		parts := make([]string, len(e.Args))
		for i, a := range e.Args {
			x, ok := s.ftsExpr(ctx, a)
			if !ok {
				return "", false
			}
			parts[i] = "(" + x + ")"
		}
		return strings.Join(parts, " OR "), true
	case articles.OpAnd:
		var pos, neg []string
		for _, a := range e.Args {
			if x, ok := s.ftsExpr(ctx, a); ok {
				pos = append(pos, x)
			} else if x, ok := s.notExpr(ctx, a); ok {
				neg = append(neg, x)
			} else {
				return "", false
			}
		}
		m := joinMatch(pos, neg)
		return m, m != ""
	}
	return "", false
}

func (s *Store) notExpr(ctx context.Context, e *articles.Expr) (string, bool) {
	if e.Op != articles.OpNot {
		return "", false
	}
	return s.ftsExpr(ctx, e.Args[0])
}

// wordsExpr is every token of every word (see articles.TermTokens) as a
// quoted prefix, all required. ok is false when a word has no token, so
// that it matches nothing: a query must never select every article by
// having nothing to search for. Quoting keeps FTS5 from reading a token
// such as "and" or "near" as an operator.
func (s *Store) wordsExpr(ctx context.Context, words []string) (string, bool) {
	var parts []string
	for _, w := range words {
		tokens := articles.TermTokens(w)
		if s.oldIndex {
			tokens = articles.Words(w)
		}
		if len(tokens) == 0 {
			return "", false
		}
		for _, t := range tokens {
			parts = append(parts, s.prefixIn(ctx, wordsVocab, t))
		}
	}
	return strings.Join(parts, " AND "), len(parts) > 0
}

func hasCJK(e *articles.Expr) bool {
	found := false
	e.Walk(func(t articles.Term) {
		for _, w := range t.Words {
			found = found || strings.ContainsFunc(w, articles.IsCJK)
		}
	})
	return found
}
