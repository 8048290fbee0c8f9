package cli

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
	"tidings/ui/notify"
)

// benchRules are twenty [[notify]] rules of every kind over the synthetic
// articles: words, phrases, fields, negation, OR, state and time.
var benchRules = []string{
	"trade", "energy market", `"trade market"`, "title:election", "author:staff court",
	"feed:feed007.example", "feed:3 police", "link:news.example/5", "trade -market", "(crisis OR plan) officials",
	"is:starred", "since:1d president", "title:\"government minister\"", "-trade", "report OR agreement",
	"tag:world", "week country", "city is:unread", "talks -election", "support since:7d",
}

// BenchmarkRefreshNotify is the store's side of a refresh at 100,000
// articles, ten feeds bringing twenty new articles each (the fetching
// left out, which only makes the rules' share look larger), without
// [[notify]] rules and with twenty: the watermark before, the check
// after. The budget: at most 10% slower with the rules.
func BenchmarkRefreshNotify(b *testing.B) {
	data, err := os.ReadFile(sqlitetest.BigDB(b))
	if err != nil {
		b.Fatal(err)
	}
	fresh := articlestest.Articles(200, 120)
	tags := notify.TagsOf(map[string][]string{"https://feed001.example/rss": {"world"}, "https://feed002.example/rss": {"world"}})
	for _, rules := range [][]string{nil, benchRules} {
		b.Run(fmt.Sprintf("rules_%d", len(rules)), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "tidings.db")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				b.Fatal(err)
			}
			s, err := sqlite.Open(b.Context(), path, sqlite.Options{Retention: sqlite.Retention{MaxPerFeed: 1000}})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			round, found := 0, 0
			var rulesTime time.Duration // the watermark and the check alone: the load of the machine varies
			for b.Loop() {
				round++
				batch := refreshBatch(fresh, round)
				var mark int64
				start := time.Now()
				if len(rules) > 0 {
					if mark, err = s.LastID(b.Context()); err != nil {
						b.Fatal(err)
					}
				}
				rulesTime += time.Since(start)
				if _, errs := s.SaveFeeds(b.Context(), batch); errs[0] != nil {
					b.Fatal(errs[0])
				}
				start = time.Now()
				if len(rules) > 0 {
					news, err := notify.Check(b.Context(), s, rules, tags, articlestest.Epoch.Add(time.Duration(round)*time.Hour), mark)
					if err != nil {
						b.Fatal(err)
					}
					found = news.Count
				}
				rulesTime += time.Since(start)
			}
			b.ReportMetric(float64(found), "matches")
			b.ReportMetric(float64(rulesTime.Microseconds())/1000/float64(b.N), "rules-ms/op")
		})
	}
}

// refreshBatch is ten feeds' new articles for a round: new GUIDs, newer
// than everything stored.
func refreshBatch(fresh []articles.Article, round int) []articles.FeedUpdate {
	batch := make([]articles.FeedUpdate, 10)
	at := articlestest.Epoch.Add(time.Duration(round) * time.Hour)
	for f := range batch {
		items := make([]articles.Article, 20)
		for i := range items {
			a := fresh[f*20+i]
			a.ID, a.GUID = "", fmt.Sprintf("round-%d-%d-%d", round, f, i)
			a.Link = fmt.Sprintf("https://news.example/r%d-%d-%d", round, f, i)
			a.Published = at.Add(-time.Duration(i) * time.Minute)
			items[i] = a
		}
		batch[f] = articles.FeedUpdate{URL: fmt.Sprintf("https://feed%03d.example/rss", f), Title: fmt.Sprintf("Feed %d", f), Items: items, At: at}
	}
	return batch
}

// BenchmarkNotifyRule is the check of each rule alone after a refresh of
// 200 new articles at 100,000: what each adds to a refresh.
func BenchmarkNotifyRule(b *testing.B) {
	data, err := os.ReadFile(sqlitetest.BigDB(b))
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "tidings.db")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	s, err := sqlite.Open(b.Context(), path, sqlite.Options{Retention: sqlite.Retention{MaxPerFeed: 1000}})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	mark, err := s.LastID(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	if _, errs := s.SaveFeeds(b.Context(), refreshBatch(articlestest.Articles(200, 120), 1)); errs[0] != nil {
		b.Fatal(errs[0])
	}
	tags := notify.TagsOf(map[string][]string{"https://feed001.example/rss": {"world"}})
	for i, rule := range benchRules {
		b.Run(fmt.Sprintf("%02d", i), func(b *testing.B) {
			for b.Loop() {
				if _, err := notify.Check(b.Context(), s, []string{rule}, tags, articlestest.Epoch, mark); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
