package notify

import (
	"context"
	"fmt"
	"strings"

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
}

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

// Check finds what the articles stored above after hold for rules: a
// query a rule, each restricted to the new IDs, then one for them all
// together (an article two rules match is one article). It runs once a
// refresh, after every feed is stored. tags gives the feeds of a tag, for
// the rules' tag: terms (nil: no feed has one).
func Check(ctx context.Context, f Finder, rules []string, tags func(string) []string, after int64) (News, error) {
	if tags == nil {
		tags = func(string) []string { return nil }
	}
	var news News
	var parts []string
	for _, text := range rules {
		q, err := articles.ParseQuery(text)
		if err != nil {
			return news, fmt.Errorf("notify rule %q: %w", Title(text), err)
		}
		n, first, err := f.NewMatches(ctx, q.ResolveTags(tags), after)
		if err != nil {
			return news, fmt.Errorf("notify rule %q: %w", Title(text), err)
		}
		if n > 0 {
			news.Rules = append(news.Rules, Match{Query: text, Count: n, First: first})
			parts = append(parts, "("+text+")")
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
