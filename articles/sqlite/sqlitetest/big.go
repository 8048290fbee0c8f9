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

// MillionEnv names the environment variable that asks for the database
// of a million articles: "1" builds one in the temporary directory for
// the test binary; a path uses the database there, built there first if
// the file does not exist (and kept, for the next run).
const MillionEnv = "TIDINGS_MILLION"

// million caches the database of a million articles per test binary.
var million = struct {
	once sync.Once
	path string
	temp bool // built in the temporary directory: Cleanup removes it
	err  error
}{}

// MillionDB returns the path of a database holding 1,000,000 synthetic
// articles in 10,000 feeds of 100, as bench/peers.sh stores them, or skips
// the benchmark unless MillionEnv asks for it: building it takes minutes
// and 1.2 GB of memory for the articles, too much for every run.
func MillionDB(b testing.TB) string {
	b.Helper()
	want := os.Getenv(MillionEnv)
	if want == "" {
		b.Skip("set " + MillionEnv + "=1 (or a database path) for the benchmarks at 1,000,000 articles")
	}
	million.once.Do(func() { million.path, million.temp, million.err = buildMillion(want) })
	if million.err != nil {
		b.Fatal(million.err)
	}
	return million.path
}

// buildMillion returns the database want names, building it if needed.
func buildMillion(want string) (path string, temp bool, err error) {
	if want != "1" {
		if _, err := os.Stat(want); err == nil {
			return want, false, nil
		}
		return want, false, Populate(want, 10_000, 100)
	}
	dir, err := os.MkdirTemp("", "tidings-bench")
	if err != nil {
		return "", false, fmt.Errorf("million articles: %w", err)
	}
	path = filepath.Join(dir, "million.db")
	return path, true, Populate(path, 10_000, 100)
}

// Cleanup removes the databases BigDB and BigChineseDB built, 170 and
// 260 MB, and the one MillionDB built in the temporary directory: a test
// binary that uses them calls it from TestMain after m.Run, or each
// benchmark run leaves them in the temporary directory.
func Cleanup() {
	paths := []string{big.path, bigCJK.path}
	if million.temp {
		paths = append(paths, million.path)
	}
	for _, p := range paths {
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
