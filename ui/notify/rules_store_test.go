package notify

import (
	"context"
	"fmt"
	"testing"
	"time"

	"tidings/articles"
	"tidings/articles/sqlite"
)

// storeOnly is a store whose new articles are always too many to read,
// so that Check asks a query a rule.
type storeOnly struct{ *sqlite.Store }

func (storeOnly) NewArticles(context.Context, int64, int) ([]articles.Article, []string, bool, error) {
	return nil, nil, false, nil
}

// TestCheckPathsAgree: the rules checked in Go on the new articles and
// the rules run as queries of the store find the same, over a refresh
// that lists old articles again, brings a read one and a copy of an old
// story, and new ones of every kind of rule.
func TestCheckPathsAgree(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	s, err := sqlite.OpenMemory(t.Context(), sqlite.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	item := func(guid, title, author string, age time.Duration) articles.Article {
		return articles.Article{GUID: guid, Title: title, Author: author, Source: "Wire", Body: "Reported: " + title,
			Link: "https://news.example/" + guid, Published: now.Add(-age)}
	}
	save := func(url string, items ...articles.Article) {
		if _, err := s.SaveFeed(t.Context(), articles.FeedUpdate{URL: url, Title: "Science " + url[8:9], Items: items, At: now}); err != nil {
			t.Fatal(err)
		}
	}
	old := item("old", "Earthquake of last week", "Ann", 200*time.Hour)
	save("https://a.example/rss", old, item("g", "Gardening", "Bob", 100*time.Hour))
	mark, err := s.LastID(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	copyOf := old
	copyOf.GUID = "copy"
	save("https://a.example/rss", old, item("q1", "Earthquake near the coast", "Ann", 2*time.Hour),
		item("q2", "Second earthquake, trade halted", "Cy", time.Hour), item("v", "Volcano wakes", "Bob", 30*time.Hour))
	save("https://b.example/rss", copyOf, item("t", "Trade market opens", "Dee", 3*time.Hour), item("r", "Earthquake read", "Ann", time.Hour))
	p, err := s.Page(t.Context(), articles.MustParseQuery(`"earthquake read"`), 0, 5)
	if err != nil || len(p.Rows) != 1 {
		t.Fatalf("%v, %d rows", err, len(p.Rows))
	}
	if err := s.SetRead(t.Context(), []string{p.Rows[0].ID}, true); err != nil {
		t.Fatal(err)
	}
	tags := TagsOf(map[string][]string{"https://b.example/rss": {"markets"}})
	for _, rules := range [][]string{
		{"earthquake"}, {"earth"}, {"trad mark", "coas"}, {"title:earthquake", "trade"}, {`"trade market"`, "author:ann"}, {"feed:science -volcano"},
		{"tag:markets"}, {"link:news.example/q"}, {"since:1d", "age:<2h"}, {"is:starred"}, {"earthquake OR volcano", "-earthquake"},
	} {
		inMemory, err1 := Check(t.Context(), s, rules, tags, now, mark)
		inStore, err2 := Check(t.Context(), storeOnly{s}, rules, tags, now, mark)
		if err1 != nil || err2 != nil || fmt.Sprint(inMemory) != fmt.Sprint(inStore) {
			t.Errorf("rules %q: in Go %+v (%v), in the store %+v (%v)", rules, inMemory, err1, inStore, err2)
		}
	}
	got, _ := Check(t.Context(), s, []string{"earthquake"}, nil, now, mark)
	if got.Count != 2 || got.First != "Second earthquake, trade halted" {
		t.Errorf("earthquake: %+v, want the two new unread ones, the newest first", got)
	}
}
