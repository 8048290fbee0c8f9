package notify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tidings/articles"
)

// Finder finds the articles a refresh stored: the store's watermark
// before it, and the new matches of a query after it (articles/sqlite
// implements both).
type Finder interface {
	// LastID is the highest article ID stored, taken before a refresh.
	LastID(ctx context.Context) (int64, error)
	// NewMatches counts the unread articles above the ID after that q
	// selects (one copy of each story), and gives the newest one's title.
	NewMatches(ctx context.Context, q articles.Query, after int64) (int, string, error)
	// NewArticles returns the same articles, every rule aside, newest
	// first, with their feeds' titles; ok false, and none, when there are
	// more than limit.
	NewArticles(ctx context.Context, after int64, limit int) (arts []articles.Article, feedTitles []string, ok bool, err error)
}

// InMemory is the most new articles the rules are checked against in Go,
// read once; past it, a query a rule costs less. A refresh of a thousand
// feeds brings a few hundred; a first one, thousands.
const InMemory = 2000

// Match is what one [[notify]] rule found.
type Match struct {
	Query string // the rule's query, as config.toml has it
	Count int
	First string // the title of the newest, sanitised
}

// News is what a refresh brought that the [[notify]] rules ask for.
type News struct {
	// Count is the articles any rule matched, each once; First is the
	// newest one's title.
	Count int
	First string
	// Rules are the rules with new matches, in the order of the file.
	Rules []Match
}

// Check finds what the articles stored above after hold for rules,
// once a refresh, after every feed is stored. The new articles are read
// once and each rule checked on them in Go (fresh.matches: the matcher
// the store's own checks use, with each text split once); when there are
// more than
// InMemory, each rule is a query restricted to the new IDs, then one for
// the rules that found something together (an article two rules match
// is one article). tags gives the feeds of a tag, for the rules' tag:
// terms (nil: no feed has one); now is the time since: and age: count
// from.
func Check(ctx context.Context, f Finder, rules []string, tags func(string) []string, now time.Time, after int64) (News, error) {
	if tags == nil {
		tags = func(string) []string { return nil }
	}
	queries := make([]articles.Query, len(rules))
	for i, text := range rules {
		q, err := articles.ParseQuery(text)
		if err != nil {
			return News{}, fmt.Errorf("notify rule %q: %w", Title(text), err)
		}
		queries[i] = q.ResolveTags(tags)
	}
	arts, feedTitles, ok, err := f.NewArticles(ctx, after, InMemory)
	if err != nil {
		return News{}, fmt.Errorf("notify rules: %w", err)
	}
	if ok {
		return matchInMemory(rules, queries, arts, feedTitles, now), nil
	}
	return matchInStore(ctx, f, rules, queries, tags, after)
}

// matchInMemory checks each rule on the new articles, newest first.
func matchInMemory(rules []string, queries []articles.Query, arts []articles.Article, feedTitles []string, now time.Time) News {
	var news News
	hit := make([]bool, len(arts))
	prepared := make([]fresh, len(arts))
	for j, a := range arts {
		prepared[j] = newFresh(a, feedTitles[j])
	}
	for i, q := range queries {
		m := Match{Query: rules[i]}
		for j, a := range arts {
			if prepared[j].matches(q, now) {
				if m.Count == 0 {
					m.First = a.Title
				}
				m.Count++
				hit[j] = true
			}
		}
		if m.Count > 0 {
			news.Rules = append(news.Rules, m)
		}
	}
	for j, h := range hit {
		if h {
			if news.Count == 0 {
				news.First = arts[j].Title
			}
			news.Count++
		}
	}
	return news
}

// matchInStore is a query a rule, then one for the rules that found
// something, ORed.
func matchInStore(ctx context.Context, f Finder, rules []string, queries []articles.Query, tags func(string) []string, after int64) (News, error) {
	var news News
	var parts []string
	for i, q := range queries {
		n, first, err := f.NewMatches(ctx, q, after)
		if err != nil {
			return news, fmt.Errorf("notify rule %q: %w", Title(rules[i]), err)
		}
		if n > 0 {
			news.Rules = append(news.Rules, Match{Query: rules[i], Count: n, First: first})
			parts = append(parts, "("+rules[i]+")")
		}
	}
	switch len(news.Rules) {
	case 0:
		return news, nil
	case 1:
		news.Count, news.First = news.Rules[0].Count, news.Rules[0].First
		return news, nil
	}
	q, err := articles.ParseQuery(strings.Join(parts, " OR "))
	if err != nil {
		return news, fmt.Errorf("notify rules together: %w", err)
	}
	news.Count, news.First, err = f.NewMatches(ctx, q.ResolveTags(tags), after)
	if err != nil {
		return news, fmt.Errorf("notify rules together: %w", err)
	}
	return news, nil
}

// TagsOf is the function Check takes, over the tags of feeds: the URLs
// of the feeds with a tag, compared without regard to case.
func TagsOf(feeds map[string][]string) func(string) []string {
	return func(tag string) []string {
		var urls []string
		for url, tags := range feeds {
			for _, t := range tags {
				if strings.EqualFold(t, tag) {
					urls = append(urls, url)
					break
				}
			}
		}
		return urls
	}
}
