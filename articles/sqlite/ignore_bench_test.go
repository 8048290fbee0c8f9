package sqlite_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"tidings/articles"
	"tidings/articles/articlestest"
	"tidings/articles/sqlite"
	"tidings/articles/sqlite/sqlitetest"
)

// ignoredStore is a copy of the 100,000 articles of BigDB with ignore
// rules hiding feeds whole articles of feeds 0, 20, 40…: 1,000 articles a
// feed, spread through the list.
func ignoredStore(b *testing.B, feeds int) *sqlite.Store {
	b.Helper()
	data, err := os.ReadFile(sqlitetest.BigDB(b))
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "ignored.db")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	s, err := sqlite.Open(b.Context(), path, sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	var rules []articles.Query
	for i := range feeds {
		rules = append(rules, articles.MustParseQuery(fmt.Sprintf("feed:feed%03d.example", i*20)))
	}
	if err := s.SetIgnoreRules(b.Context(), rules); err != nil {
		b.Fatal(err)
	}
	p, err := s.Page(b.Context(), articles.Query{Ignored: true}, 0, 0)
	if err != nil || p.Total != feeds*1000 {
		b.Fatalf("%d ignored, %v; want %d", p.Total, err, feeds*1000)
	}
	return s
}

// BenchmarkIgnoredPages are the list's queries (the rows of a page and its
// counts) over 100,000 articles with none and with 5,000 ignored.
func BenchmarkIgnoredPages(b *testing.B) {
	queries := []struct {
		name   string
		q      articles.Query
		offset int
	}{
		{"first", articles.Query{}, 0},
		{"unread", articles.Query{UnreadOnly: true}, 0},
		{"deep", articles.Query{}, 94_800},
		{"feed", articles.Query{Feeds: []string{"https://feed001.example/rss"}}, 0},
		{"search", articles.MustParseQuery("trade"), 0},
		{"fields", articles.MustParseQuery("title:trade is:unread"), 0},
	}
	for _, feeds := range []int{0, 5} {
		s := ignoredStore(b, feeds)
		for _, c := range queries {
			b.Run(fmt.Sprintf("ignored=%d/%s", feeds*1000, c.name), func(b *testing.B) {
				for b.Loop() {
					if _, err := s.Page(b.Context(), c.q, c.offset, 200); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// ignoreRules20 are 20 ignore rules of every kind: words, phrases,
// fields, negation, OR (the same as feed's BenchmarkRefresh1000Ignore20).
var ignoreRules20 = []string{
	"sponsored", `"press release"`, "title:giveaway", "author:marketing", "feed:deals",
	"link:ads.example.org", "title:webinar -science", "coupon OR voucher", "(title:quiz OR title:horoscope)",
	"casino", "title:\"buy now\"", "feed:example.net title:podcast", "author:\"brand studio\"",
	"link:https://news.example/sponsored/", "promoted title:partner", "lottery", "title:crypto airdrop",
	"\"limited offer\"", "feed:shop", "title:unboxing",
}

// BenchmarkSaveFeedIgnore is BenchmarkSaveFeed (one feed of 50 new items
// of 300 words) with no ignore rules and with 20: the store's share of a
// refresh, where the rules cost what they cost.
func BenchmarkSaveFeedIgnore(b *testing.B) {
	for _, n := range []int{0, 20} {
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			s, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "save.db"), sqlite.Options{Retention: sqlite.DefaultRetention()})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			var rules []articles.Query
			for _, r := range ignoreRules20[:n] {
				rules = append(rules, articles.MustParseQuery(r))
			}
			if err := s.SetIgnoreRules(b.Context(), rules); err != nil {
				b.Fatal(err)
			}
			arts := articlestest.Articles(50, 300)
			for i := 0; b.Loop(); i++ {
				for j := range arts {
					arts[j].GUID = fmt.Sprintf("%d-%d", i, j)
				}
				u := articles.FeedUpdate{URL: "https://x.example/rss", Items: arts, At: articlestest.Epoch.Add(time.Duration(i) * time.Second)}
				if _, err := s.SaveFeed(b.Context(), u); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
