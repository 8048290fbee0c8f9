package articlestest

import (
	"time"

	"tidings/articles"
)

// QueryFeed is a feed of QueryArticles: its URL, title and tags (as
// config.toml would give them).
type QueryFeed struct {
	URL, Title string
	Tags       []string
}

// QueryFeeds are the feeds of QueryArticles.
var QueryFeeds = []QueryFeed{
	{URL: "https://loop.example/science.xml", Title: "Loopback Science Notes", Tags: []string{"science"}},
	{URL: "https://news.example.org/rss", Title: "Example News", Tags: []string{"news"}},
	{URL: "https://wire.example/feed", Title: "World Wire", Tags: []string{"news", "wire"}},
}

// QueryNow is the time the query cases run at: since: and age: count
// back from it.
var QueryNow = Epoch

// QueryArticles are articles with every field a query can name, for the
// cases every store and every way of typing a query must agree on. Their
// source is their feed's title, and their titles are unique.
func QueryArticles() []articles.Article {
	type a = articles.Article
	sci, news, wire := QueryFeeds[0], QueryFeeds[1], QueryFeeds[2]
	arts := []struct {
		feed QueryFeed
		art  a
		age  time.Duration
	}{
		{wire, a{Title: "Trade talks resume in Geneva", Author: "Jane Smith", Link: "https://wire.example/2026/trade",
			Body: "Delegates met on Monday to discuss tariffs."}, time.Hour},
		{news, a{Title: "Sponsored content: the best VPN", Author: "Ad Desk", Link: "https://ads.example.org/vpn",
			Body: "Buy now."}, 3 * time.Hour},
		{news, a{Title: "Content sponsored by nobody", Author: "Ed Brown", Link: "https://news.example.org/2026/ed",
			Body: "A story about sponsorship rules.", Read: true}, 48 * time.Hour},
		{sci, a{Title: "Rocket launch delayed", Author: "José Álvarez", Link: "https://www.loop.example/rocket",
			Body: "The rocket stays on the pad; trade winds too strong.", Read: true, Starred: true}, 10 * 24 * time.Hour},
		{wire, a{Title: "中美贸易谈判在北京举行", Author: "新华社记者", Link: "https://wire.example/cn/1",
			Body: "双方代表在北京会面，讨论关税问题。"}, 30 * time.Minute},
		{news, a{Title: "Sport: football final tonight", Author: "Jane Doe", Link: "https://news.example.org/sport/1",
			Body: "The final kicks off at eight.", Read: true}, 40 * 24 * time.Hour},
		{sci, a{Title: "Café culture in Paris", Author: "Marie Curie", Link: "https://loop.example/cafe",
			Body: "Science of coffee: a trade in beans.", Starred: true}, 5 * time.Hour},
	}
	out := make([]articles.Article, len(arts))
	for i, x := range arts {
		x.art.ID, x.art.GUID = x.art.Title, x.art.Title
		x.art.Feed, x.art.Source = x.feed.URL, x.feed.Title
		x.art.Published = QueryNow.Add(-x.age)
		out[i] = x.art
	}
	return out
}

// QueryTags returns the feed URLs with a tag, as the subscriptions would.
func QueryTags(tag string) []string {
	var urls []string
	for _, f := range QueryFeeds {
		for _, t := range f.Tags {
			if t == tag {
				urls = append(urls, f.URL)
			}
		}
	}
	return urls
}

// QueryCases are queries over QueryArticles and the titles each must find,
// in any order: every kind of term, OR's precedence, CJK, diacritics.
var QueryCases = []SearchCase{
	{"trade", []string{trade, rocket, cafe}},
	{"trade talks", []string{trade}},
	{`"trade talks"`, []string{trade}},
	{`"talks trade"`, nil},
	{"-trade", []string{ad, sponsoredBy, china, sport}},
	{`-"sponsored content"`, []string{trade, sponsoredBy, rocket, china, sport, cafe}},
	{"sponsored", []string{ad, sponsoredBy}},
	{`title:"sponsored content"`, []string{ad}},
	{"title:sponsored", []string{ad, sponsoredBy}},
	{"title:trade", []string{trade}},
	{"trade OR rocket", []string{trade, rocket, cafe}},
	// OR binds tighter than the space: (final OR rocket) AND pad.
	{"final OR rocket pad", []string{rocket}},
	{"(final OR rocket) pad", []string{rocket}},
	{"final OR (rocket pad)", []string{rocket, sport}},
	{"trade or", nil}, // "or" is a word here, found in none
	{"author:jane", []string{trade, sport}},
	{"author:smith", []string{trade}},
	{`author:"jane doe"`, []string{sport}},
	{"author:jose", []string{rocket}},
	// An OR of fields alone is one lookup of the index of fields in SQLite.
	{"title:rocket OR author:smith", []string{trade, rocket}},
	{"(title:rocket OR author:jane) -sport", []string{trade, rocket}},
	{"title:cafe OR (author:marie OR title:sport)", []string{sport, cafe}},
	{`title:rocket OR title:"sponsored content"`, []string{ad, rocket}},
	{"feed:science", []string{rocket, cafe}},
	{"feed:loop.example", []string{rocket, cafe}},
	{"feed:https://wire.example", []string{trade, china}},
	{"feed:example", []string{ad, sponsoredBy, sport}},
	{"tag:news", []string{trade, ad, sponsoredBy, china, sport}},
	{"tag:nosuch", nil},
	{"link:example.org", []string{ad, sponsoredBy, sport}},
	{"link:wire.example/cn", []string{china}},
	{"link:loop.example", []string{rocket, cafe}},
	{"is:unread", []string{trade, ad, china, cafe}},
	{"is:read", []string{sponsoredBy, rocket, sport}},
	{"is:starred", []string{rocket, cafe}},
	{"-is:read", []string{trade, ad, china, cafe}},
	{"since:1d", []string{trade, ad, china, cafe}},
	{"age:<2h", []string{trade, china}},
	{"age:>1w", []string{rocket, sport}},
	{"before:2026-11-01", []string{sport}},
	{"since:2026-11-20", []string{trade, ad, sponsoredBy, china, cafe}},
	{"北京", []string{china}},
	{"title:北京", []string{china}},
	{`"北京举行"`, []string{china}},
	{"北京 OR rocket", []string{rocket, china}},
	{"-北京 is:unread", []string{trade, ad, cafe}},
	{"cafe", []string{cafe}},
	{`"cafe culture"`, []string{cafe}},
	{"-sport", []string{trade, ad, sponsoredBy, rocket, china, cafe}},
	{"!?", nil},
	{"trade is:unread -title:trade", []string{cafe}},
	{"feed:science is:starred since:7d", []string{cafe}},
	{"(author:jane OR feed:science) -sport", []string{trade, rocket, cafe}},
	{"tag:news -feed:wire is:unread", []string{ad}},
	// A feed or a tag with a word: the feeds' rows checked against the
	// words' matches (a store may drive by either).
	{"feed:science trade", []string{rocket, cafe}},
	{"feed:science trade -pad", []string{cafe}},
	{"tag:news trade", []string{trade}},
	{"tag:news sponsor OR 北京", []string{ad, sponsoredBy, china}},
	{`feed:example "final tonight"`, []string{sport}},
	{"feed:science title:cafe is:starred trade", []string{cafe}},
	{"feed:nosuch trade", nil},
	{"trade since:1d", []string{trade, cafe}},
	{"age:<2h trade OR 北京", []string{trade, china}},
	{"feed:science since:1w trade -pad", []string{cafe}},
}

const (
	trade       = "Trade talks resume in Geneva"
	ad          = "Sponsored content: the best VPN"
	sponsoredBy = "Content sponsored by nobody"
	rocket      = "Rocket launch delayed"
	china       = "中美贸易谈判在北京举行"
	sport       = "Sport: football final tonight"
	cafe        = "Café culture in Paris"
)
