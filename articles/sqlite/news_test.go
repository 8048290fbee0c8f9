package sqlite

import (
	"testing"
	"time"

	"tidings/articles"
)

// TestNewMatches: only the articles stored after the watermark count,
// not those a feed lists again, not one already read, and a story
// another feed had before counts once, under the old one (not news).
func TestNewMatches(t *testing.T) {
	s := openTest(t)
	ctx := t.Context()
	oldQuake := item("old-quake", "Earthquake of last week", 48*time.Hour)
	oldQuake.Link = "https://news.example/quake"
	save(t, s, "https://a.example/feed", oldQuake, item("old", "Gardening", 47*time.Hour))
	mark, err := s.LastID(ctx)
	if err != nil || mark == 0 {
		t.Fatalf("LastID = %d, %v", mark, err)
	}
	save(t, s, "https://a.example/feed", oldQuake,
		item("new-quake", "Earthquake near the coast", 2*time.Hour), item("newer-quake", "Second earthquake", time.Hour),
		item("read-quake", "Earthquake read elsewhere", 3*time.Hour), item("new", "Gardening again", time.Hour))
	// A copy of last week's story in another feed: the same link.
	dup := item("b-1", "Earthquake of last week", 48*time.Hour)
	dup.Link = "https://news.example/quake?utm_source=rss"
	save(t, s, "https://b.example/feed", dup)
	old, err := s.Page(ctx, articles.Query{}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range old.Rows {
		if r.Title == "Earthquake read elsewhere" {
			if err := s.SetRead(ctx, []string{r.ID}, true); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, tc := range []struct {
		query, first string
		n            int
	}{
		{"title:earthquake", "Second earthquake", 2},
		{"earthquake coast", "Earthquake near the coast", 1},
		{"gardening", "Gardening again", 1},
		{"-earthquake", "Gardening again", 1},
		{"is:starred", "", 0},
		{"volcano", "", 0},
	} {
		q, err := articles.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		n, first, err := s.NewMatches(ctx, q, mark)
		if err != nil || n != tc.n || first != tc.first {
			t.Errorf("NewMatches(%q) = %d, %q, %v; want %d, %q", tc.query, n, first, err, tc.n, tc.first)
		}
	}
}

// TestIgnoredIsNotNews: an article an [[ignore]] rule hides is never
// news, by either way a notify rule is checked (one query, or the new
// articles read once for the rules to be checked in Go).
func TestIgnoredIsNotNews(t *testing.T) {
	s := openTest(t)
	ctx := t.Context()
	ignoreRules(t, s, "title:sponsored")
	mark, err := s.LastID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	saveItems(t, s, ignoreFeed, item("1", "Sponsored: an earthquake kit", time.Hour), item("2", "Earthquake near the coast", 2*time.Hour))
	n, first, err := s.NewMatches(ctx, articles.MustParseQuery("earthquake"), mark)
	if err != nil || n != 1 || first != "Earthquake near the coast" {
		t.Errorf("NewMatches = %d, %q, %v; want only the article not ignored", n, first, err)
	}
	arts, _, ok, err := s.NewArticles(ctx, mark, 100)
	if err != nil || !ok || len(arts) != 1 || arts[0].Title != "Earthquake near the coast" {
		t.Errorf("NewArticles = %d articles, %v, %v; want only the one not ignored", len(arts), ok, err)
	}
}
