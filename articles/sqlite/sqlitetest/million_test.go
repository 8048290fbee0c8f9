package sqlitetest_test

import (
	"fmt"
	"os"
	"testing"

	"tidings/articles"
	"tidings/articles/sqlite"
	"tidings/articles/sqlite/sqlitetest"
)

// The store's share of issue 15's figures at a million articles: the
// first screen, a search typed a letter at a time, opening an article.
// They run only when sqlitetest.MillionEnv asks for them, e.g.
//
//	TIDINGS_MILLION=/tmp/million.db go test -run '^$' -bench Million ./articles/sqlite/sqlitetest
//
// (the first run builds the database, in minutes; later ones reuse it).

// TestMain removes the database MillionDB built in the temporary
// directory.
func TestMain(m *testing.M) {
	code := m.Run()
	sqlitetest.Cleanup()
	os.Exit(code)
}

func millionStore(b *testing.B) *sqlite.Store {
	b.Helper()
	s, err := sqlite.Open(b.Context(), sqlitetest.MillionDB(b), sqlite.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkMillionFirstScreen opens the database and reads the first
// page with its counts, as a start of tidings does.
func BenchmarkMillionFirstScreen(b *testing.B) {
	path := sqlitetest.MillionDB(b)
	for b.Loop() {
		s, err := sqlite.Open(b.Context(), path, sqlite.Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Page(b.Context(), articles.Query{}, 0, 200); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// BenchmarkMillionFirstPage is the first page and its counts in a store
// already open: what moving back to the top of the list costs.
func BenchmarkMillionFirstPage(b *testing.B) {
	s := millionStore(b)
	for b.Loop() {
		if _, err := s.Page(b.Context(), articles.Query{}, 0, 200); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMillionSearchKeystroke is one keystroke of a search: the count
// (or "1,000+") and the first page of matches, as the query grows a letter
// at a time; the same words as the store's benchmark at 100,000, and the
// last two letters of bench/peers.sh's search.
func BenchmarkMillionSearchKeystroke(b *testing.B) {
	s := millionStore(b)
	typed := []string{"t", "tr", "tra", "trad", "trade", "trade m", "trade ma", "trade market",
		"harves", "harvest"} // bench/peers.sh's word: in 85% of its articles
	for _, q := range typed {
		b.Run(fmt.Sprintf("%q", q), func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Page(b.Context(), articles.MustParseQuery(q), 0, 200); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMillionOpen reads the newest article whole, as opening it does
// before rendering.
func BenchmarkMillionOpen(b *testing.B) {
	s := millionStore(b)
	p, err := s.Page(b.Context(), articles.Query{}, 0, 1)
	if err != nil || len(p.Rows) == 0 {
		b.Fatalf("first page: %d rows, %v", len(p.Rows), err)
	}
	for b.Loop() {
		if _, err := s.Article(b.Context(), p.Rows[0].ID); err != nil {
			b.Fatal(err)
		}
	}
}
