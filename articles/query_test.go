package articles

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"trade", "trade"},
		{"trade talks", "(trade talks)"},
		{"Sino-Russian", "Sino-Russian"},
		{`"exact phrase"`, `"exact phrase"`},
		{"-sport", "-sport"},
		{`-"sponsored content"`, `-"sponsored content"`},
		{"a OR b", "(a OR b)"},
		{"a or b", "(a or b)"},
		// OR binds tighter than the space, as in Google and Gmail.
		{"a b OR c", "(a (b OR c))"},
		{"a OR b c", "((a OR b) c)"},
		{"a OR b OR c", "(a OR b OR c)"},
		{"(a b) OR c", "((a b) OR c)"},
		{"-(a OR b) c", "(-(a OR b) c)"},
		{"((a))", "a"},
		{"title:trade", "title:trade"},
		{"Title:Trade", "title:Trade"},
		{`title:"sponsored content"`, `title:"sponsored content"`},
		{"feed:example.org title:sponsored", "(feed:example.org title:sponsored)"},
		{"link:https://example.org/a", "link:https://example.org/a"},
		{"-title:x", "-title:x"},
		{"is:unread is:starred", "(is:unread is:starred)"},
		{"since:7d before:2026-11-01 age:<2h age:>1w", "(since:7d before:2026-11-01 age:<2h age:>1w)"},
		{"10:30 x:y", "(10:30 x:y)"},
		{`a"b c"`, `(a "b c")`},
		{"ORacle", "ORacle"},
		{"a(b)", "(a b)"},
		{"北京 OR 上海", "(北京 OR 上海)"},
	}
	for _, tt := range tests {
		q, err := ParseQuery(tt.in)
		if err != nil {
			t.Errorf("ParseQuery(%q): %v", tt.in, err)
			continue
		}
		if got := q.Expr.String(); got != tt.want {
			t.Errorf("ParseQuery(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseQueryErrors(t *testing.T) {
	tests := []struct {
		in  string
		col int
		msg string
	}{
		{`"open`, 1, "unclosed quote"},
		{`trade "open`, 7, "unclosed quote"},
		{`title:"open`, 7, "unclosed quote"},
		{"title:(", 7, "title: takes a word or a quoted phrase, not parentheses"},
		{"title:", 1, "title: needs a value after the colon"},
		{"a author: b", 3, "author: needs a value after the colon"},
		{`feed:""`, 1, "feed: needs a value inside the quotes"},
		{"(a b", 1, "unclosed parenthesis"},
		{"a (b (c)", 3, "unclosed parenthesis"},
		{"a)", 2, "closing parenthesis without an opening one"},
		{")", 1, "closing parenthesis without an opening one"},
		{"()", 1, "empty parentheses"},
		{"a ( ) b", 3, "empty parentheses"},
		{"OR a", 1, "OR needs a term before it"},
		{"a OR", 3, "OR needs a term after it"},
		{"a OR OR b", 3, "OR needs a term after it"},
		{"(a OR) b", 4, "OR needs a term after it"},
		{"a -", 3, "nothing to exclude after -"},
		{"- a", 1, "nothing to exclude after -"},
		{"is:new", 4, "is: takes unread, read or starred"},
		{"since:yesterday", 7, "since: takes a duration such as 7d or a date such as 2026-11-01"},
		{"before:2026-13-01", 8, "before: takes a duration such as 7d or a date such as 2026-11-01"},
		{"age:2h", 5, "age: takes < or > and a duration, such as age:<2h"},
		{"age:<2y", 6, "age: takes a duration such as 30m, 2h, 7d or 1w"},
		{"北京 title:", 4, "title: needs a value after the colon"},
		{strings.Repeat("(", 99) + "a" + strings.Repeat(")", 99), 0, ""},
		{strings.Repeat("(", 101) + "a" + strings.Repeat(")", 101), 101, "too deeply nested"},
		{strings.Repeat("-", 200) + "a", 101, "too deeply nested"},
	}
	for _, tt := range tests {
		_, err := ParseQuery(tt.in)
		if tt.col == 0 {
			if err != nil {
				t.Errorf("ParseQuery(%.20q…): %v", tt.in, err)
			}
			continue
		}
		var qe *QueryError
		if !errors.As(err, &qe) {
			t.Errorf("ParseQuery(%q) = %v, want a QueryError", tt.in, err)
			continue
		}
		if qe.Column != tt.col || qe.Msg != tt.msg {
			t.Errorf("ParseQuery(%q): column %d %q, want column %d %q", tt.in, qe.Column, qe.Msg, tt.col, tt.msg)
		}
	}
	if _, err := ParseQuery("title:("); err == nil || err.Error() != "column 7: title: takes a word or a quoted phrase, not parentheses" {
		t.Errorf("error text: %v", err)
	}
}

func TestParseQueryTime(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	q := MustParseQuery("since:7d")
	if b := q.Expr.Term.Time.Bound(now); !b.Equal(now.Add(-7 * 24 * time.Hour)) {
		t.Errorf("since:7d bound %v", b)
	}
	q = MustParseQuery("before:2026-11-01")
	if b := q.Expr.Term.Time.Bound(now); !b.Equal(time.Date(2026, 11, 1, 0, 0, 0, 0, time.Local)) || q.Expr.Term.Time.Newer {
		t.Errorf("before:2026-11-01 bound %v newer %v", b, q.Expr.Term.Time.Newer)
	}
	q = MustParseQuery("age:>2h")
	if q.Expr.Term.Time.Holds(now.Add(-time.Hour), now) || !q.Expr.Term.Time.Holds(now.Add(-3*time.Hour), now) {
		t.Error("age:>2h holds the wrong side")
	}
}

func TestQueryHighlights(t *testing.T) {
	q := MustParseQuery(`trade -sport "exact Phrase" title:china OR author:smith feed:x`)
	want := "trade exact phrase china"
	got := ""
	for i, w := range q.Terms {
		if i > 0 {
			got += " "
		}
		got += w
	}
	if got != want {
		t.Errorf("Terms = %q, want %q", got, want)
	}
}

func TestHasPhrase(t *testing.T) {
	tests := []struct {
		text, phrase string
		want         bool
	}{
		{"Sponsored content: buy now", "sponsored content", true},
		{"Content sponsored", "sponsored content", false},
		{"sponsored contents", "sponsored content", false},
		{"unsponsored content", "sponsored content", false},
		{"Café culture", "cafe culture", true},
		{"中美贸易谈判在北京举行", "北京", true},
		{"中美贸易谈判在北京举行", "北京举行", true},
		{"trade in 北京 today", "in 北京", true},
		{"a a a b", "a a b", true},
		{"x-ray vision, sponsored: Content!", "sponsored content", true},
		{"sponsored", "sponsored content", false},
	}
	for _, tt := range tests {
		if got := HasPhrase(tt.text, Words(tt.phrase)); got != tt.want {
			t.Errorf("HasPhrase(%q, %q) = %v", tt.text, tt.phrase, got)
		}
	}
}

func TestMatchesLinkAndFeed(t *testing.T) {
	links := []struct {
		value, link string
		want        bool
	}{
		{"example.org", "https://example.org/a", true},
		{"example.org", "https://www.example.org/a", true},
		{"example.org", "https://news.example.org/a", true},
		{"example.org", "https://example.com/a", false},
		{"https://example.org/2026/", "https://example.org/2026/x", true},
		{"example.org/2026", "http://example.org/2025/x", false},
		{"example.org", "", false},
	}
	for _, tt := range links {
		if got := MatchesLink(tt.value, tt.link); got != tt.want {
			t.Errorf("MatchesLink(%q, %q) = %v", tt.value, tt.link, got)
		}
	}
	feed := MustParseQuery("feed:science").Expr.Term
	if !feed.MatchesFeed("https://loop.example/rss", "Loopback Science Notes") {
		t.Error("feed:science misses Loopback Science Notes")
	}
	if !MustParseQuery("feed:loop.example").Expr.Term.MatchesFeed("https://loop.example/rss", "Notes") {
		t.Error("feed:loop.example misses its URL")
	}
	if MustParseQuery("feed:cience").Expr.Term.MatchesFeed("https://loop.example/rss", "Loopback Science Notes") {
		t.Error("feed:cience matches inside a word")
	}
}

// A negated word with nothing to search for is a word of its own: "->"
// must not select everything but ">".
func TestParseQueryArrow(t *testing.T) {
	for _, in := range []string{"->", "-!?", "a ->"} {
		q := MustParseQuery(in)
		if hasNot(q.Expr) {
			t.Errorf("%q parsed as a negation: %s", in, q.Expr)
		}
	}
	if !hasNot(MustParseQuery("-a!").Expr) {
		t.Error("-a! is no negation")
	}
}

func hasNot(e *Expr) bool {
	if e.Op == OpNot {
		return true
	}
	for _, a := range e.Args {
		if hasNot(a) {
			return true
		}
	}
	return false
}

func BenchmarkHasPhrase(b *testing.B) {
	text := strings.Repeat("The delegates met on Monday to discuss the trade of energy and the market. ", 12)
	words := Words("trade market")
	for b.Loop() {
		HasPhrase(text, words)
	}
}
