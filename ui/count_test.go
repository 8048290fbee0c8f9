package ui

import (
	"context"
	"strings"
	"testing"

	"tidings/articles"
	"tidings/articles/articlestest"
)

// cappedStore stops counting a search at twice the page past its offset, as
// the SQLite store does at 1,000: Total is then a lower bound, with More.
type cappedStore struct{ *articlestest.MemStore }

func (s cappedStore) Page(ctx context.Context, q articles.Query, offset, limit int) (articles.Page, error) {
	search := q.Search() != nil
	q.Expr, q.Terms, q.Text = nil, nil, ""
	p, err := s.MemStore.Page(ctx, q, offset, limit)
	if bound := max(100, offset+2*limit); search && p.Total > bound {
		p.Total, p.More = bound, true
	}
	return p, err
}

// TestCappedCount checks that a count the store stopped short shows with
// a "+" and that the list pages on past it to the real end.
func TestCappedCount(t *testing.T) {
	s := cappedStore{synthetic(5000)}
	m := drive(t, New(testOptions(s)), 80, 24, "/ news enter")
	out := plain(t, m)
	if !strings.Contains(out, "400+ matches") || !strings.Contains(out, "1/400+") {
		t.Errorf("a capped count is not shown as 400+:\n%s", out)
	}
	m = drive(t, m, 80, 24, strings.Repeat("G ", 30))
	if m.list.cursor != 4999 || m.list.page.More {
		t.Errorf("after G×30 the cursor is on %d (More %v), want the last of 5000", m.list.cursor, m.list.page.More)
	}
	if out := plain(t, m); !strings.Contains(out, "5,000 matches") {
		t.Errorf("at the end of the list the count is not exact:\n%s", out)
	}
}

// TestSavedSearchCappedCount checks that a saved search's unread count the
// store stopped short shows as a lower bound.
func TestSavedSearchCappedCount(t *testing.T) {
	var m Model
	m.searches.list = []savedSearch{{name: "a"}, {name: "b"}}
	m.searches.onCounts(searchCountsMsg{counts: []int{1000, 7}, more: []bool{true, false}, errs: make([]error, 2)})
	if got := m.searchCount(0); got != "1,000+ unread" {
		t.Errorf("capped count %q, want 1,000+ unread", got)
	}
	if got := m.searchCount(1); got != "7 unread" {
		t.Errorf("exact count %q, want 7 unread", got)
	}
}
