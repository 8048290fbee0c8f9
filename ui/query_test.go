package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"tidings/articles/articlestest"
	"tidings/feed/subs"
)

// queryOptions reads articlestest.QueryArticles at articlestest.QueryNow,
// its feeds subscribed with their tags.
func queryOptions() Options {
	s := articlestest.NewMemStore(articlestest.QueryArticles()...)
	s.Now = func() time.Time { return articlestest.QueryNow }
	o := testOptions(s)
	o.Feeds = func(context.Context) ([]subs.Status, error) {
		var list []subs.Status
		for _, f := range articlestest.QueryFeeds {
			list = append(list, subs.Status{Subscription: subs.Subscription{URL: f.URL, Title: f.Title, Tags: f.Tags}})
		}
		return list, nil
	}
	return o
}

// typed is the key presses of text typed a character at a time.
func typed(text string) []tea.Msg {
	var keys []tea.Msg
	for _, r := range text {
		keys = append(keys, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return keys
}

func searchFor(t *testing.T, o Options, query string, w, h int, more ...tea.Msg) Model {
	t.Helper()
	keys := append(append(typed("/"), typed(query)...), more...)
	m, err := Snapshot(New(o), w, h, keys)
	if err != nil {
		t.Fatal(err)
	}
	return m.(Model)
}

// TestSearchQueryCases types the table of queries every store answers into
// the search line: the list shows what the table says (tags from the
// subscriptions), and a golden file keeps every screen.
func TestSearchQueryCases(t *testing.T) {
	var screens strings.Builder
	for _, tt := range articlestest.QueryCases {
		m := searchFor(t, queryOptions(), tt.Query, 80, 12, tea.KeyPressMsg{Code: tea.KeyEnter})
		var got []string
		for _, r := range m.list.page.Rows {
			got = append(got, r.Title)
		}
		want := slices.Clone(tt.Want)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) || m.search.err != nil {
			t.Errorf("/ %s: %q (%v), want %q", tt.Query, got, m.search.err, want)
		}
		fmt.Fprintf(&screens, "── / %s\n%s\n", tt.Query, plain(t, m))
	}
	golden.RequireEqual(t, screens.String())
}

// TestSearchParseErrorKeepsResults: while the search does not parse, the
// search line says where and why, and the list keeps the matches of the
// last search that did, never all or none.
func TestSearchParseErrorKeepsResults(t *testing.T) {
	m := searchFor(t, queryOptions(), "title:sponsored (", 80, 12)
	if m.search.err == nil || m.list.page.Total != 2 {
		t.Fatalf("err %v, %d matches; want an error and the 2 of title:sponsored", m.search.err, m.list.page.Total)
	}
	screen := plain(t, m)
	if !strings.Contains(screen, "search: column 17: unclosed parenthesis") {
		t.Errorf("the search line does not say why:\n%s", screen)
	}
	golden.RequireEqual(t, screen)
	// Kept with enter, the search goes back to the one the list shows.
	m = searchFor(t, queryOptions(), "-sport (", 80, 12, tea.KeyPressMsg{Code: tea.KeyEnter})
	if m.search.input != "-sport " || m.list.page.Total != 6 || !strings.Contains(plain(t, m), "column 8: unclosed parenthesis; kept the last search") {
		t.Errorf("kept %q with %d matches:\n%s", m.search.input, m.list.page.Total, plain(t, m))
	}
}
