package sqlite_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"tidings/articles"
	"tidings/articles/articlestest"
	"tidings/articles/sqlite"
	"tidings/articles/sqlite/sqlitetest"
)

// TestMain removes the big databases the benchmarks built.
func TestMain(m *testing.M) {
	code := m.Run()
	sqlitetest.Cleanup()
	os.Exit(code)
}

func bigStore(b *testing.B) *sqlite.Store {
	b.Helper()
	s, err := sqlite.Open(b.Context(), sqlitetest.BigDB(b), sqlite.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
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
		s, err := sqlite.Open(b.Context(), sqlitetest.BigDB(b), sqlite.Options{})
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
	// Then words of 7+ letters in most articles, longer than the longest
	// prefix index: FTS5 merges the lists of every word they begin.
	typed := []string{"t", "tr", "tra", "trad", "trade", "trade m", "trade ma", "trade market",
		"governm", "government", "officials"}
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
	s, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "save.db"), sqlite.Options{Retention: sqlite.DefaultRetention()})
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

// BenchmarkRecover rebuilds a database of 50,000 articles with 4 KB of
// random bytes over its middle article (see damagedDB): about 50,000
// rows copied and indexed a run.
func BenchmarkRecover(b *testing.B) {
	orig := filepath.Join(b.TempDir(), "orig.db")
	damagedDB(b, orig, 50, 1000)
	data, err := os.ReadFile(orig)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "tidings.db")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		s, rec, err := sqlite.Recover(b.Context(), path, sqlite.Options{}, sqlite.ErrCorrupt)
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
		b.ReportMetric(float64(rec.Articles), "articles")
	}
}

// BenchmarkSearchKeystrokeCJK is BenchmarkSearchKeystroke over 100,000
// synthetic Chinese articles: a word of the newest article's title typed
// a character at a time, then a second word. The 1-character queries
// match most articles, the longer ones a few thousand down to a few.
func BenchmarkSearchKeystrokeCJK(b *testing.B) {
	path := sqlitetest.BigChineseDB(b)
	s, err := sqlite.Open(b.Context(), path, sqlite.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	title := []rune(articlestest.ChineseArticles(1, 0)[0].Title)
	typed := []string{string(title[:1]), string(title[:2]), string(title[:3]), string(title[:4]),
		string(title[:4]) + " " + string(title[6:7]), string(title[:4]) + " " + string(title[6:8]),
		string(title)} // the whole title: a few matches, ranked
	for _, q := range typed {
		b.Run(fmt.Sprintf("%d_runes", len([]rune(q))), func(b *testing.B) {
			var total int
			for b.Loop() {
				p, err := s.Page(b.Context(), articles.MustParseQuery(q), 0, 200)
				if err != nil {
					b.Fatal(err)
				}
				total = p.Total
			}
			b.ReportMetric(float64(total), "matches")
		})
	}
}

// queryKinds are queries of every kind the language has, over the
// synthetic articles of sqlitetest.BigDB (authors "Staff", links
// https://news.example/N, feeds "Feed N" at https://feedNNN.example/rss,
// a third read, none starred; the newest published at articlestest.Epoch).
var queryKinds = []struct{ name, query string }{
	{"word", "trade"},
	{"prefix_1_letter", "t"},
	{"two_words", "trade market"},
	{"phrase", `"trade market"`},
	{"phrase_rare", `"government minister talks"`},
	{"negation", "trade -market"},
	{"negation_alone", "-trade"},
	{"negated_phrase", `trade -"trade market"`},
	{"or", "trade OR market"},
	{"parentheses", "(trade OR market) election"},
	{"title", "title:trade"},
	{"title_phrase", `title:"trade market"`},
	{"author", "author:staff"},
	{"author_with_word", "trade author:staff"},
	{"feed_title", "feed:7"},
	{"feed_url", "feed:feed007.example"},
	{"tag", "tag:world"},
	{"link", "link:news.example/5"},
	{"link_with_word", "trade link:news.example/5"},
	{"is_unread", "is:unread"},
	{"is_starred", "is:starred"},
	{"since", "since:30d"},
	{"before", "before:2026-11-01"},
	{"age", "age:<2h"},
	{"mix_word_state", "trade is:unread"},
	{"mix_fields_state_time", "trade title:market is:unread since:30d"},
	{"mix_feed_negation", "feed:feed007.example trade -election"},
	{"mix_or_fields", "(title:trade OR author:smith) is:unread -market"},
}

// BenchmarkQueryKinds is one keystroke of a search of each kind over
// 100,000 articles: the count and the first page, as the list asks.
func BenchmarkQueryKinds(b *testing.B) {
	s := bigStore(b)
	tags := func(string) []string {
		return []string{"https://feed001.example/rss", "https://feed002.example/rss", "https://feed003.example/rss"}
	}
	for _, k := range queryKinds {
		b.Run(k.name, func(b *testing.B) {
			benchPages(b, s, articles.MustParseQuery(k.query).ResolveTags(tags), 200, "matches")
		})
	}
}

// BenchmarkSearchInFeed is a keystroke of a search in the feed open in
// the list: a word in most articles, within one feed of 1,000.
func BenchmarkSearchInFeed(b *testing.B) {
	s := bigStore(b)
	q := articles.MustParseQuery("trade")
	q.Feeds = []string{"https://feed007.example/rss"}
	benchPages(b, s, q, 200, "matches")
}

// benchPages reads the first page of q (of limit rows; 0: the count
// alone) once a loop of b, and reports its count as unit.
func benchPages(b *testing.B, s *sqlite.Store, q articles.Query, limit int, unit string) {
	var total int
	for b.Loop() {
		p, err := s.Page(b.Context(), q, 0, limit)
		if err != nil {
			b.Fatal(err)
		}
		total = p.Total
	}
	b.ReportMetric(float64(total), unit)
}

// BenchmarkSavedSearchCount is the unread count of a saved search, as the
// feeds view asks it (limit 0): a word, a field, a feed and a phrase.
func BenchmarkSavedSearchCount(b *testing.B) {
	s := bigStore(b)
	for _, text := range []string{"trade", "title:market", "feed:feed007.example", `"trade market"`} {
		b.Run(text, func(b *testing.B) {
			q := articles.MustParseQuery(text)
			q.UnreadOnly = true
			benchPages(b, s, q, 0, "unread")
		})
	}
}

// BenchmarkMigrateFields is the upgrade to the index of fields (migration
// 8) of a database of 100,000 articles: the first writable open after it.
func BenchmarkMigrateFields(b *testing.B) {
	data, err := os.ReadFile(sqlitetest.BigDB(b))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "tidings.db")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			b.Fatal(err)
		}
		db, err := sql.Open("sqlite", path)
		if err != nil {
			b.Fatal(err)
		}
		// Back to schema 7: word pairs (12), ignore rules (10), stories
		// (9) and the index of fields (8) gone.
		_, err = db.Exec(`DROP TRIGGER articles_pairs_delete; DROP TRIGGER articles_pairs_unindex;
			DROP TRIGGER articles_pairs_reindex; DROP TABLE articles_pairs; DROP VIEW articles_pairs_src;
			DROP INDEX articles_ignored; DROP INDEX articles_lead; DROP INDEX articles_lead_unread;
			DROP TRIGGER articles_count_insert; DROP TRIGGER articles_count_delete; DROP TRIGGER articles_count_update;
			ALTER TABLE articles DROP COLUMN ignored;
			CREATE TRIGGER articles_count_insert AFTER INSERT ON articles BEGIN SELECT 1; END;
			CREATE TRIGGER articles_count_delete AFTER DELETE ON articles BEGIN SELECT 1; END;
			CREATE TRIGGER articles_count_update AFTER UPDATE ON articles BEGIN SELECT 1; END;
			CREATE INDEX articles_lead ON articles (published) WHERE story IS NULL;
			CREATE INDEX articles_lead_unread ON articles (read) WHERE story IS NULL;
			DROP TRIGGER articles_story_lead; DROP INDEX articles_link_key; DROP INDEX articles_guid_key;
			DROP INDEX articles_title_key; DROP INDEX articles_story; DROP INDEX articles_lead; DROP INDEX articles_lead_unread;
			ALTER TABLE articles DROP COLUMN story; ALTER TABLE articles DROP COLUMN link_key;
			ALTER TABLE articles DROP COLUMN guid_key; ALTER TABLE articles DROP COLUMN title_key;
			DROP TRIGGER articles_fields_delete; DROP TRIGGER articles_fields_update;
			DROP TABLE articles_fields; DROP VIEW articles_fields_src; PRAGMA user_version = 7`)
		db.Close()
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		s, err := sqlite.Open(b.Context(), path, sqlite.Options{})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
