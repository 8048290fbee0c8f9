package notify

import (
	"context"
	"slices"
	"testing"
	"time"

	"tidings/articles"
)

// fakeFinder answers each query by its text, and records what it was
// asked: the mark, and the feeds of the tag: terms.
type fakeFinder struct {
	counts map[string]int
	asked  []string
	feeds  [][]string
}

func (f *fakeFinder) LastID(context.Context) (int64, error) { return 41, nil }

func (f *fakeFinder) NewArticles(context.Context, int64, int) ([]articles.Article, []string, bool, error) {
	return nil, nil, false, nil
}

func (f *fakeFinder) NewMatches(_ context.Context, q articles.Query, after int64) (int, string, error) {
	if after != 41 {
		return 0, "", nil
	}
	text := q.Expr.String()
	f.asked = append(f.asked, text)
	q.Expr.Walk(func(t articles.Term) {
		if t.Field == articles.FieldTag {
			f.feeds = append(f.feeds, t.Feeds)
		}
	})
	n := f.counts[text]
	return n, "newest of " + text, nil
}

// TestCheck: a query a rule, then one for the rules that found something
// together, which gives the count and the title; tag: terms stand for
// the feeds with the tag.
func TestCheck(t *testing.T) {
	rules := []string{"title:quake", "tag:World", "volcano"}
	f := &fakeFinder{counts: map[string]int{}}
	for _, r := range rules {
		f.counts[articles.MustParseQuery(r).Expr.String()] = 2
	}
	f.counts[articles.MustParseQuery("volcano").Expr.String()] = 0
	union := articles.MustParseQuery("(title:quake) OR (tag:World)").Expr.String()
	f.counts[union] = 3
	tags := TagsOf(map[string][]string{"https://w.example/rss": {"world"}, "https://t.example/rss": {"tech"}})
	news, err := Check(t.Context(), f, rules, tags, time.Time{}, 41)
	if err != nil {
		t.Fatal(err)
	}
	if news.Count != 3 || news.First != "newest of "+union || len(news.Rules) != 2 ||
		news.Rules[0].Query != "title:quake" || news.Rules[1].Count != 2 {
		t.Errorf("news = %+v, want 3 from the union and the two rules that found something", news)
	}
	if len(f.asked) != 4 || f.asked[3] != union {
		t.Errorf("asked %q, want each rule then their union", f.asked)
	}
	if len(f.feeds) == 0 || !slices.Equal(f.feeds[0], []string{"https://w.example/rss"}) {
		t.Errorf("tag:World stood for %q, want the feed tagged world", f.feeds)
	}
	one, err := Check(t.Context(), f, rules[:1], nil, time.Time{}, 41)
	if err != nil || one.Count != 2 || len(f.asked) != 5 {
		t.Errorf("one rule: %+v, %v, %d queries; want its own count and no union query", one, err, len(f.asked))
	}
}
