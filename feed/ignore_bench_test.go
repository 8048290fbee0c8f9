package feed_test

import (
	"testing"

	"tidings/articles"
)

// ignoreRules20 are 20 ignore rules of every kind: words, phrases,
// fields, negation, OR.
var ignoreRules20 = []string{
	"sponsored", `"press release"`, "title:giveaway", "author:marketing", "feed:deals",
	"link:ads.example.org", "title:webinar -science", "coupon OR voucher", "(title:quiz OR title:horoscope)",
	"casino", "title:\"buy now\"", "feed:example.net title:podcast", "author:\"brand studio\"",
	"link:https://news.example/sponsored/", "promoted title:partner", "lottery", "title:crypto airdrop",
	"\"limited offer\"", "feed:shop", "title:unboxing",
}

// BenchmarkRefresh1000Ignore20 is BenchmarkRefresh1000 with 20 ignore
// rules in force: every new article is judged by each (budget: at most
// 10% slower than without).
func BenchmarkRefresh1000Ignore20(b *testing.B) {
	feeds := benchSite(b)
	rules := make([]articles.Query, len(ignoreRules20))
	for i, r := range ignoreRules20 {
		rules[i] = articles.MustParseQuery(r)
	}
	for b.Loop() {
		b.StopTimer()
		s := openStore(b)
		if err := s.SetIgnoreRules(b.Context(), rules); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		benchRefresh(b, s, feeds, len(feeds)*50)
	}
}
