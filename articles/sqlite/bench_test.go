package sqlite

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"tidings/articles"
	"tidings/articles/articlestest"
)

// bigDB is a database of 100,000 articles in 100 feeds, built once per
// test binary: building it takes longer than any benchmark.
var bigDB = struct {
	once sync.Once
	path string
	err  error
}{}

func bigStore(b *testing.B) *Store {
	b.Helper()
	bigDB.once.Do(func() {
		dir, err := os.MkdirTemp("", "tidings-bench")
		if err != nil {
			bigDB.err = err
			return
		}
		bigDB.path = filepath.Join(dir, "big.db")
		bigDB.err = populate(bigDB.path, 100, 1000)
	})
	if bigDB.err != nil {
		b.Fatal(bigDB.err)
	}
	s, err := Open(b.Context(), bigDB.path, Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func populate(path string, feeds, perFeed int) error {
	s, err := Open(context.Background(), path, Options{Retention: Retention{MaxPerFeed: perFeed}})
	if err != nil {
		return err
	}
	defer s.Close()
	arts := articlestest.Articles(feeds*perFeed, 120)
	for f := range feeds {
		items := arts[f*perFeed : (f+1)*perFeed]
		for i := range items {
			items[i].GUID = items[i].ID
		}
		_, err := s.SaveFeed(context.Background(), articles.FeedUpdate{
			URL: fmt.Sprintf("https://feed%03d.example/rss", f), Title: fmt.Sprintf("Feed %d", f),
			Items: items, At: articlestest.Epoch,
		})
		if err != nil {
			return err
		}
	}
	_, err = s.db.Exec("PRAGMA optimize")
	return err
}

// BenchmarkFirstPage is the first frame's query: the newest rows and the
// counts, with 100,000 stored articles.
func BenchmarkFirstPage(b *testing.B) {
	s := bigStore(b)
	for b.Loop() {
		if _, err := s.Page(b.Context(), articles.Query{}, 0, 200); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkColdOpenFirstPage opens the database and reads the first page,
// as a start of tidings does.
func BenchmarkColdOpenFirstPage(b *testing.B) {
	bigStore(b)
	for b.Loop() {
		s, err := Open(b.Context(), bigDB.path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Page(b.Context(), articles.Query{}, 0, 200); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// BenchmarkSearchKeystroke is one keystroke of a search over 100,000
// articles: the count and the first page of ranked matches, as the query
// grows a letter at a time.
func BenchmarkSearchKeystroke(b *testing.B) {
	s := bigStore(b)
	typed := []string{"t", "tr", "tra", "trad", "trade", "trade m", "trade ma", "trade market"}
	for _, q := range typed {
		b.Run(fmt.Sprintf("%q", q), func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Page(b.Context(), articles.ParseQuery(q), 0, 200); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDeepPage reads the page at the end of the list (the G key).
func BenchmarkDeepPage(b *testing.B) {
	s := bigStore(b)
	for b.Loop() {
		if _, err := s.Page(b.Context(), articles.Query{}, 99_800, 200); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSaveFeed is the store's share of a refresh: one feed of 50
// items, all new.
func BenchmarkSaveFeed(b *testing.B) {
	s, err := Open(b.Context(), filepath.Join(b.TempDir(), "save.db"), Options{Retention: DefaultRetention()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	arts := articlestest.Articles(50, 300)
	for i := 0; b.Loop(); i++ {
		for j := range arts {
			arts[j].GUID = fmt.Sprintf("%d-%d", i, j)
		}
		if _, err := s.SaveFeed(b.Context(), articles.FeedUpdate{URL: "https://x.example/rss", Items: arts, At: articlestest.Epoch.Add(time.Duration(i) * time.Second)}); err != nil {
			b.Fatal(err)
		}
	}
}
