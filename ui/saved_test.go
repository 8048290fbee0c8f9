package ui

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"tidings/articles"
	"tidings/feed"
	"tidings/feed/subs"
)

// savedOptions are fetchedOptions with two saved searches.
func savedOptions(t testing.TB, s articles.Store) Options {
	opts := testOptions(s)
	opts.Feeds = func(context.Context) ([]subs.Status, error) { return statuses(), nil }
	opts.Searches = []subs.Search{{Name: "Geneva talks", Query: "geneva"}, {Name: "Compilers", Query: "compiler"}, {Name: "Volcanoes", Query: "volcano"}}
	return opts
}

func TestSavedSearchViews(t *testing.T) {
	tests := []struct {
		name string
		w, h int
		keys string
	}{
		{"feeds_80x24", 80, 24, "F"},
		{"search_details_80x24", 80, 24, "F j j"},
		{"opened_100x30", 100, 30, "F j enter"},
		{"opened_then_typed_80x24", 80, 24, "F j j enter / release enter"},
		{"opened_empty_80x24", 80, 24, "F j j j enter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := drive(t, New(savedOptions(t, fetchedStore(t))), tt.w, tt.h, tt.keys)
			checkFrame(t, m.frame(), tt.w, tt.h)
			golden.RequireEqual(t, plain(t, m))
		})
	}
}

func TestSavedSearchOpens(t *testing.T) {
	m := drive(t, New(savedOptions(t, fetchedStore(t))), 100, 30, "F j enter")
	if m.focus != focusList || m.list.page.Total != 1 || m.filter.feedLabel != "Geneva talks" {
		t.Fatalf("focus %v, %d rows, label %q; want the list of the search's one article", m.focus, m.list.page.Total, m.filter.feedLabel)
	}
	if sel, _ := m.list.selected(); sel.ID != "w0" {
		t.Errorf("selected %q, want w0", sel.ID)
	}
	m = drive(t, m, 100, 30, "esc")
	if m.filter.search != "" || m.list.page.Total != 7 {
		t.Errorf("esc left search %q with %d rows; want every article", m.filter.search, m.list.page.Total)
	}
}

// countingStore counts the counts of unread articles asked of a store.
type countingStore struct {
	articles.Store
	unreadCounts atomic.Int64
}

func (c *countingStore) Page(ctx context.Context, q articles.Query, offset, limit int) (articles.Page, error) {
	if q.UnreadOnly && limit == 0 {
		c.unreadCounts.Add(1)
	}
	return c.Store.Page(ctx, q, offset, limit)
}

// The counts are read when the feeds view shows them, then not again
// for frames or moves; a change of state has them read once more.
func TestSavedSearchCountsCached(t *testing.T) {
	s := &countingStore{Store: fetchedStore(t)}
	m := drive(t, New(savedOptions(t, s)), 80, 24, "")
	if n := s.unreadCounts.Load(); n != 0 {
		t.Fatalf("%d counts before the feeds view opened, want none", n)
	}
	m = drive(t, m, 80, 24, "F")
	if n := s.unreadCounts.Load(); n != 3 {
		t.Fatalf("%d counts on opening the feeds view, want 3 (one a saved search)", n)
	}
	if got := m.searchCount(0); got != "1 unread" {
		t.Errorf("count of Geneva talks: %q", got)
	}
	for range 50 {
		m = press(t, m, "j k")
		_ = m.View()
	}
	m = press(t, m, "esc F esc")
	if n := s.unreadCounts.Load(); n != 3 {
		t.Errorf("%d counts after 100 moves, 50 frames and the feeds view again, want still 3", n)
	}
	m = press(t, m, "enter esc")
	if n := s.unreadCounts.Load(); n != 3 {
		t.Errorf("%d counts after a mark outside the feeds view, want still 3", n)
	}
	m = press(t, m, "F")
	if n := s.unreadCounts.Load(); n != 6 {
		t.Errorf("%d counts after a mark, back in the feeds view; want 6", n)
	}
	if got := m.searchCount(0); got != "no unread" {
		t.Errorf("count of Geneva talks after reading it: %q", got)
	}
}

func TestWithSaved(t *testing.T) {
	for _, tt := range []struct{ saved, typed, want string }{
		{"", "putin", "putin"},
		{"a OR b", "", "a OR b"},
		{"a OR b", " ", "a OR b"},
		{"a OR b", "c OR d", "(a OR b) (c OR d)"},
	} {
		if got := (filter{search: tt.saved}).withSaved(tt.typed); got != tt.want {
			t.Errorf("withSaved(%q, %q) = %q, want %q", tt.saved, tt.typed, got, tt.want)
		}
	}
}

// A name from config.toml is shown made safe.
func TestSavedSearchNameSafe(t *testing.T) {
	opts := savedOptions(t, fetchedStore(t))
	opts.Searches = []subs.Search{{Name: "evil\x1b]0;title\x07name", Query: "geneva"}}
	m := drive(t, New(opts), 80, 24, "F j enter")
	if strings.ContainsRune(m.filter.feedLabel, '\x1b') || strings.ContainsRune(m.frame(), '\x07') {
		t.Errorf("label %q", m.filter.feedLabel)
	}
}

// The saved searches follow config.toml, read again with the feeds: a
// search added or changed elsewhere shows, counted; one unchanged keeps
// its count.
func TestSavedSearchesFollowTheFile(t *testing.T) {
	s := &countingStore{Store: fetchedStore(t)}
	opts := savedOptions(t, s)
	file := opts.Searches
	opts.ReadSearches = func() ([]subs.Search, error) { return file, nil }
	m := drive(t, New(opts), 80, 24, "F")
	if n := s.unreadCounts.Load(); n != 3 {
		t.Fatalf("%d counts, want 3", n)
	}
	file = []subs.Search{{Name: "Geneva talks", Query: "geneva"}, {Name: "Floods", Query: "floods"}}
	m = press(t, m, "esc F")
	got := plain(t, m)
	if !strings.Contains(got, "/ Floods") || strings.Contains(got, "/ Compilers") || m.searchCount(1) != "1 unread" {
		t.Errorf("after config.toml changed:\n%s", got)
	}
	if n := s.unreadCounts.Load(); n != 5 {
		t.Errorf("%d counts, want 5 (the new list counted once)", n)
	}
	press(t, m, "esc F")
	if n := s.unreadCounts.Load(); n != 5 {
		t.Errorf("%d counts after reading the same file again, want still 5", n)
	}
}

// A refresh that brings a match, the feeds view open, counts it.
func TestSavedSearchCountsAfterRefresh(t *testing.T) {
	s := fetchedStore(t)
	opts := savedOptions(t, s)
	opts.Refresher = &fakeRefresher{store: s,
		add:     []articles.Article{{ID: "w9", Feed: worldURL, Source: "World Wire", Title: "Geneva summit opens", Published: testNow}},
		results: []feed.Result{{URL: worldURL, Title: "World Wire", New: 1}}}
	m := drive(t, New(opts), 80, 24, "F")
	if got := m.searchCount(0); got != "1 unread" {
		t.Fatalf("before: %q", got)
	}
	m = press(t, m, "R")
	if got := m.searchCount(0); got != "2 unread" {
		t.Errorf("after a refresh brought a match: %q", got)
	}
}
