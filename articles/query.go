package articles

import (
	"fmt"
	"strings"
	"time"
)

// The query language, the same wherever a query is typed or written: the
// search line, "tidings list --search", saved searches, ignore and notify
// rules.
//
//	word        every word must match, as a prefix of a word of the title,
//	            source or body (CJK as Words and TermTokens say)
//	"a phrase"  these words, whole and in this order
//	-word       excludes: also -"a phrase", -title:x, -(a OR b)
//	a OR b      either; OR is upper case ("or" is a word)
//	( … )       groups
//	title:x author:x link:x feed:x tag:x   fields; each takes a word or a "quoted phrase"
//	is:unread is:read is:starred
//	since:7d before:2026-11-01 age:<2h age:>1w   (units m h d w)
//
// OR binds tighter than the space between terms, as in Google's and
// Gmail's search: "trade OR tariff china" is (trade OR tariff) AND china.
// Parentheses say otherwise: "(trade tariff) OR china".

// Op is what an Expr node does.
type Op uint8

// The kinds of Expr node.
const (
	OpTerm Op = iota // matches by its Term
	OpAnd            // every Arg matches
	OpOr             // some Arg matches
	OpNot            // its one Arg does not match
)

// Expr is a parsed query expression: a tree of terms.
type Expr struct {
	Op   Op
	Args []*Expr // two or more for OpAnd and OpOr, one for OpNot
	Term Term    // for OpTerm
}

// Field is what a Term looks at.
type Field uint8

// The fields a term can name.
const (
	FieldText   Field = iota // the title, source and body (the full-text index)
	FieldTitle               // title:
	FieldAuthor              // author:
	FieldFeed                // feed: a word of the feed's title, or its URL by prefix
	FieldTag                 // tag: the feeds with that tag in config.toml
	FieldLink                // link: the article's host or URL prefix
	FieldState               // is:
	FieldTime                // since:, before:, age:
)

// State is what is: asks for.
type State uint8

// The states is: takes.
const (
	StateUnread State = iota + 1
	StateRead
	StateStarred
)

// Term is one condition of a query.
type Term struct {
	Field  Field
	Key    string   // the field's name as typed, lower case ("since"); empty for text
	Text   string   // the value as typed, quotes removed
	Phrase bool     // quoted: its words whole, adjacent and in order
	Words  []string // Words(Text): what a text, title or author term looks for
	State  State    // for FieldState
	Time   TimeBound
	// Feeds are the feed URLs a tag: stands for, filled by
	// Query.ResolveTags from the subscriptions (the store does not know
	// tags); TagsResolved is false until then, and an unresolved tag
	// matches nothing.
	Feeds        []string
	TagsResolved bool
}

// TimeBound is a time: term: the article's publication time is at or
// after the bound (Newer) or before it.
type TimeBound struct {
	Newer bool
	Ago   time.Duration // the bound is now minus Ago…
	At    time.Time     // …or this time, when set (a date: local midnight)
}

// Bound returns the bound's time for a query run at now.
func (t TimeBound) Bound(now time.Time) time.Time {
	if !t.At.IsZero() {
		return t.At
	}
	return now.Add(-t.Ago)
}

// Holds reports whether an article published at p is inside the bound.
func (t TimeBound) Holds(p, now time.Time) bool {
	b := t.Bound(now)
	if t.Newer {
		return !p.Before(b)
	}
	return p.Before(b)
}

// QueryError is a query that does not parse: where, and why.
type QueryError struct {
	Column int // the column of the mistake in runes, from 1
	Msg    string
}

func (e *QueryError) Error() string { return fmt.Sprintf("column %d: %s", e.Column, e.Msg) }

// ParseQuery parses what the user typed (see the language above). An
// empty or blank text is the empty query, which selects every article; a
// text that does not parse is a *QueryError and never a query that
// selects everything. Words split as article text does, so that
// "Sino-Russian" finds "sino" and "russian"; a word with nothing to search
// for in it ("!?") matches no article.
func ParseQuery(s string) (Query, error) {
	q := Query{Text: s}
	if strings.TrimSpace(s) == "" {
		return q, nil
	}
	p := &parser{src: []rune(s)}
	e, err := p.parse()
	if err != nil {
		return Query{}, err
	}
	q.Expr = e
	q.Terms = e.highlights(nil, false)
	return q, nil
}

// MustParseQuery is ParseQuery for queries written in code: it panics on
// an error.
func MustParseQuery(s string) Query {
	q, err := ParseQuery(s)
	if err != nil {
		panic(fmt.Sprintf("query %q: %v", s, err))
	}
	return q
}

// highlights appends the words of the positive text and title terms: what
// the reader marks in the text.
func (e *Expr) highlights(out []string, negated bool) []string {
	switch e.Op {
	case OpNot:
		return e.Args[0].highlights(out, !negated)
	case OpAnd, OpOr:
		for _, a := range e.Args {
			out = a.highlights(out, negated)
		}
		return out
	}
	if !negated && (e.Term.Field == FieldText || e.Term.Field == FieldTitle) {
		for _, w := range e.Term.Words {
			if !containsString(out, w) {
				out = append(out, w)
			}
		}
	}
	return out
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// ResolveTags returns q with every tag: term standing for the feeds
// feedsOf gives for its tag (the subscriptions with it). A tag no feed has
// then matches nothing.
func (q Query) ResolveTags(feedsOf func(tag string) []string) Query {
	if q.Expr != nil {
		q.Expr = q.Expr.mapTerms(func(t Term) Term {
			if t.Field == FieldTag {
				t.Feeds, t.TagsResolved = feedsOf(t.Text), true
			}
			return t
		})
	}
	return q
}

// mapTerms returns a copy of e with f applied to every term.
func (e *Expr) mapTerms(f func(Term) Term) *Expr {
	c := *e
	if e.Op == OpTerm {
		c.Term = f(e.Term)
		return &c
	}
	c.Args = make([]*Expr, len(e.Args))
	for i, a := range e.Args {
		c.Args[i] = a.mapTerms(f)
	}
	return &c
}

// Tags returns the tags q's tag: terms name, for the caller to resolve.
func (q Query) Tags() []string {
	var tags []string
	q.Expr.Walk(func(t Term) {
		if t.Field == FieldTag && !containsString(tags, t.Text) {
			tags = append(tags, t.Text)
		}
	})
	return tags
}

// Walk calls f with every term of e; a nil e has none.
func (e *Expr) Walk(f func(Term)) {
	if e == nil {
		return
	}
	if e.Op == OpTerm {
		f(e.Term)
		return
	}
	for _, a := range e.Args {
		a.Walk(f)
	}
}

// String writes e back as a query with every group in parentheses: how
// the tests see what was parsed.
func (e *Expr) String() string {
	if e == nil {
		return ""
	}
	switch e.Op {
	case OpNot:
		return "-" + e.Args[0].String()
	case OpAnd, OpOr:
		parts := make([]string, len(e.Args))
		for i, a := range e.Args {
			parts[i] = a.String()
		}
		sep := " "
		if e.Op == OpOr {
			sep = " OR "
		}
		return "(" + strings.Join(parts, sep) + ")"
	}
	return e.Term.String()
}

// String writes a term as it could be typed.
func (t Term) String() string {
	v := t.Text
	if t.Phrase {
		v = `"` + v + `"`
	}
	if t.Key != "" {
		return t.Key + ":" + v
	}
	return v
}
