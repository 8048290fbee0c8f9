package notify

import (
	"slices"
	"strings"
	"time"

	"tidings/articles"
)

// fresh is a new article ready for the rules: the tokens of its text,
// folded and sorted once, instead of once a word a rule (HasWords folds
// and splits the whole body each call: 25-65 µs an article a word, most
// of a check of twenty rules).
type fresh struct {
	a         articles.Article
	feedTitle string
	tokens    []string // sorted, for a prefix by binary search
}

func newFresh(a articles.Article, feedTitle string) fresh {
	tokens := articles.IndexTokens(articles.Fold(a.Title + "\n" + a.Source + "\n" + a.Body))
	slices.Sort(tokens)
	return fresh{a: a, feedTitle: feedTitle, tokens: tokens}
}

// matches is q.MatchesArticle(f.a, f.feedTitle, now), with the words of
// the text looked up in f.tokens; every other term is the articles
// package's own matcher. TestCheckPathsAgree holds the two to the same
// answers.
func (f fresh) matches(q articles.Query, now time.Time) bool {
	if !q.Matches(f.a.Feed, f.a.Read, f.a.Starred) {
		return false
	}
	e := q.Search()
	return e == nil || f.expr(e, now)
}

func (f fresh) expr(e *articles.Expr, now time.Time) bool {
	switch e.Op {
	case articles.OpAnd:
		for _, x := range e.Args {
			if !f.expr(x, now) {
				return false
			}
		}
		return true
	case articles.OpOr:
		for _, x := range e.Args {
			if f.expr(x, now) {
				return true
			}
		}
		return false
	case articles.OpNot:
		return !f.expr(e.Args[0], now)
	}
	if t := e.Term; t.Field == articles.FieldText && !t.Phrase {
		return f.hasWords(t.Words)
	}
	return e.MatchesArticle(f.a, f.feedTitle, now)
}

// hasWords is articles.HasWords over the article's text: every token of
// every word the prefix of one of its tokens.
func (f fresh) hasWords(words []string) bool {
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		tt := articles.TermTokens(articles.Fold(w))
		if len(tt) == 0 {
			return false
		}
		for _, t := range tt {
			i, _ := slices.BinarySearch(f.tokens, t)
			if i == len(f.tokens) || !strings.HasPrefix(f.tokens[i], t) {
				return false
			}
		}
	}
	return true
}
