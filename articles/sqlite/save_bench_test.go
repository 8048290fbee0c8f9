package sqlite_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"tidings/articles"
	"tidings/articles/articlestest"
	"tidings/articles/sqlite"
)

// BenchmarkSaveFeedUnchanged is the store's share of a refresh that finds
// a feed of 50 items all known and unchanged, the common case once a
// store is full: only their seen time moves.
func BenchmarkSaveFeedUnchanged(b *testing.B) {
	s, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "save.db"), sqlite.Options{Retention: sqlite.DefaultRetention()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	arts := articlestest.Articles(50, 300)
	for j := range arts {
		arts[j].GUID = fmt.Sprint(j)
	}
	for i := 0; b.Loop(); i++ {
		u := articles.FeedUpdate{URL: "https://x.example/rss", Items: arts, At: articlestest.Epoch.Add(time.Duration(i) * time.Second)}
		if _, err := s.SaveFeed(b.Context(), u); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkArticle reads one article whole, as opening it in the reader
// does, from a store of 2,000 (its body decoded where it is compressed).
func BenchmarkArticle(b *testing.B) {
	s, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "read.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	arts := articlestest.Articles(2000, 300)
	for j := range arts {
		arts[j].GUID = fmt.Sprint(j)
	}
	if _, err := s.SaveFeed(b.Context(), articles.FeedUpdate{URL: "https://x.example/rss", Items: arts, At: articlestest.Epoch}); err != nil {
		b.Fatal(err)
	}
	for i := 0; b.Loop(); i++ {
		if _, err := s.Article(b.Context(), fmt.Sprint(1+i%2000)); err != nil {
			b.Fatal(err)
		}
	}
}
