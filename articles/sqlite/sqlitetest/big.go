// Package sqlitetest builds large article databases for benchmarks.
package sqlitetest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"tidings/articles"
	"tidings/articles/articlestest"
	"tidings/articles/sqlite"
)

// big caches one database of 100,000 articles per test binary: building
// it takes longer than any benchmark.
var big = struct {
	once sync.Once
	path string
	err  error
}{}

// BigDB returns the path of a database holding 100,000 synthetic articles
// in 100 feeds, built once per test binary in the temporary directory.
func BigDB(b testing.TB) string {
	b.Helper()
	big.once.Do(func() {
		dir, err := os.MkdirTemp("", "tidings-bench")
		if err != nil {
			big.err = err
			return
		}
		big.path = filepath.Join(dir, "big.db")
		big.err = Populate(big.path, 100, 1000)
	})
	if big.err != nil {
		b.Fatal(big.err)
	}
	return big.path
}

// bigCJK caches one database of 100,000 Chinese articles per test binary.
var bigCJK = struct {
	once sync.Once
	path string
	err  error
}{}

// BigChineseDB returns the path of a database holding 100,000 synthetic
// Chinese articles (articlestest.ChineseArticles) in 100 feeds, built once
// per test binary in the temporary directory: about two minutes.
func BigChineseDB(b testing.TB) string {
	b.Helper()
	bigCJK.once.Do(func() {
		dir, err := os.MkdirTemp("", "tidings-bench")
		if err != nil {
			bigCJK.err = err
			return
		}
		bigCJK.path = filepath.Join(dir, "big-zh.db")
		bigCJK.err = populate(bigCJK.path, 100, 1000, articlestest.ChineseArticles(100*1000, 120))
	})
	if bigCJK.err != nil {
		b.Fatal(bigCJK.err)
	}
	return bigCJK.path
}

// Cleanup removes the databases BigDB and BigChineseDB built, 170 and
// 260 MB: a test binary that uses them calls it from TestMain after
// m.Run, or each benchmark run leaves them in the temporary directory.
func Cleanup() {
	for _, p := range []string{big.path, bigCJK.path} {
		if p != "" {
			os.RemoveAll(filepath.Dir(p)) //nolint:errcheck // a temporary directory
		}
	}
}

// Populate fills a new database at path with feeds × perFeed synthetic
// articles, ten feeds a transaction, as a refresh writes them.
func Populate(path string, feeds, perFeed int) error {
	return populate(path, feeds, perFeed, articlestest.Articles(feeds*perFeed, 120))
}

func populate(path string, feeds, perFeed int, arts []articles.Article) error {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path, sqlite.Options{Retention: sqlite.Retention{MaxPerFeed: perFeed}})
	if err != nil {
		return err
	}
	defer s.Close()
	var batch []articles.FeedUpdate
	for f := range feeds {
		items := arts[f*perFeed : (f+1)*perFeed]
		for i := range items {
			items[i].GUID = items[i].ID
		}
		batch = append(batch, articles.FeedUpdate{
			URL: fmt.Sprintf("https://feed%03d.example/rss", f), Title: fmt.Sprintf("Feed %d", f),
			Items: items, At: articlestest.Epoch,
		})
		if len(batch) == 10 || f == feeds-1 {
			if _, errs := s.SaveFeeds(ctx, batch); errors.Join(errs...) != nil {
				return errors.Join(errs...)
			}
			batch = nil
		}
	}
	return nil
}
