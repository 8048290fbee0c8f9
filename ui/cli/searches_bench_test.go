package cli

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"tidings/articles"
	"tidings/articles/sqlite"
	"tidings/articles/sqlite/sqlitetest"
	"tidings/feed/subs"
	"tidings/ui"
)

// benchSearches are ten saved searches of words the synthetic articles
// hold, from common (half the articles) to two words together.
var benchSearches = []subs.Search{
	{Name: "Trade", Query: "trade"}, {Name: "Energy", Query: "energy"}, {Name: "Elections", Query: "election"},
	{Name: "Courts", Query: "court police"}, {Name: "Crisis", Query: "crisis plan"}, {Name: "Market", Query: "market"},
	{Name: "Talks", Query: "talks agreement"}, {Name: "Cities", Query: "city"}, {Name: "Officials", Query: "officials report"},
	{Name: "Presidents", Query: "president country"},
}

// BenchmarkSavedSearchCounts is one reading of the unread counts of ten
// saved searches at 100,000 stored articles: what the feeds view starts
// (off the update loop) after articles came or marks changed.
func BenchmarkSavedSearchCounts(b *testing.B) {
	s, err := sqlite.Open(b.Context(), sqlitetest.BigDB(b), sqlite.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	count := func(b *testing.B, searches []subs.Search) {
		for b.Loop() {
			for _, ss := range searches {
				q, err := articles.ParseQuery(ss.Query)
				if err != nil {
					b.Fatal(err)
				}
				q.UnreadOnly = true
				if _, err := s.Page(b.Context(), q, 0, 0); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.Run("all_ten", func(b *testing.B) { count(b, benchSearches) })
	for _, ss := range benchSearches {
		b.Run(ss.Name, func(b *testing.B) { count(b, []subs.Search{ss}) })
	}
}

// BenchmarkFeedsViewKeypress is a move in the feeds view with ten saved
// searches at 100,000 stored articles, and its frame: the counts are
// cached, so a key reads nothing from the store.
func BenchmarkFeedsViewKeypress(b *testing.B) {
	s, err := sqlite.Open(b.Context(), sqlitetest.BigDB(b), sqlite.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	e := Env{Style: "auto", Now: time.Now}
	opts := e.modelOptions(s, newSubsFile("", nil))
	opts.Searches = benchSearches
	presses, _ := ui.ParseInput("F")
	m, err := ui.Snapshot(ui.New(opts), 80, 24, presses)
	if err != nil {
		b.Fatal(err)
	}
	down, up := tea.KeyPressMsg{Code: 'j', Text: "j"}, tea.KeyPressMsg{Code: 'k', Text: "k"}
	for i := 0; b.Loop(); i++ {
		k := down
		if i%10 >= 5 {
			k = up
		}
		if m, err = ui.Press(m, k); err != nil {
			b.Fatal(err)
		}
		_ = m.View()
	}
}
