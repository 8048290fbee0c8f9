package sqlite

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"tidings/articles"
	"tidings/articles/articlestest"
)

func saveSearchArticles(t *testing.T, s *Store) {
	t.Helper()
	save(t, s, "https://search.example/feed", articlestest.SearchArticles()...)
}

// checkSearchCases runs the searches every store must answer alike (the
// MemStore runs them too): CJK words in the middle of sentences, emoji,
// and queries with nothing to search for.
func checkSearchCases(t *testing.T, s *Store) {
	t.Helper()
	for _, tt := range articlestest.SearchCases {
		p := page(t, s, articles.MustParseQuery(tt.Query))
		got, want := titles(p), slices.Clone(tt.Want)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) || p.Total != len(want) {
			t.Errorf("search %q: %q (total %d), want %q", tt.Query, got, p.Total, want)
		}
	}
}

func TestSearchCJKAndEmoji(t *testing.T) {
	s := openTest(t)
	saveSearchArticles(t, s)
	checkSearchCases(t, s)
	if err := s.Check(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestNothingToSearchForMarksNothing: a query with no word in it must not
// select every article, least of all to mark them read.
func TestNothingToSearchForMarksNothing(t *testing.T) {
	s := openTest(t)
	saveSearchArticles(t, s)
	for _, q := range []string{"!?", "🛸"} {
		n, err := s.MarkAllRead(t.Context(), articles.MustParseQuery(q))
		if err != nil || n != 0 {
			t.Errorf("MarkAllRead(%q) = %d, %v; want 0", q, n, err)
		}
	}
}

// TestCJKIndexStaysSound edits and removes CJK articles: the index must
// drop exactly what it held for them, or its own check fails.
func TestCJKIndexStaysSound(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "tidings.db"), Options{
		Retention: Retention{MaxPerFeed: 4}, Now: func() time.Time { return t0 },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	arts := articlestest.SearchArticles()
	save(t, s, "https://a.example", arts[2:6]...)
	// The two newest push the Korean ones out; two are edited.
	arts[0].Body = "改为在上海举行 🚀"
	arts[2].Body = "梅の花が咲いた"
	save(t, s, "https://a.example", arts[:4]...)
	if err := s.Check(t.Context()); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{"北京": 1, "上海举行": 1, "关税": 0, "🚀": 1, "桜": 1, "気象庁": 0, "梅": 1, "서울": 0} {
		if p := page(t, s, articles.MustParseQuery(q)); p.Total != want {
			t.Errorf("search %q: %d (%q), want %d", q, p.Total, titles(p), want)
		}
	}
}

// TestMigrationReindexesCJK opens a database whose index an older tidings
// built, words split only by unicode61: the upgrade rebuilds it, and a
// word in the middle of a Chinese sentence is found.
func TestMigrationReindexesCJK(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tidings.db")
	db, err := sql.Open("sqlite", dsn(path, false, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	for v, m := range migrations[:3] {
		if _, err := db.Exec(m); err != nil {
			t.Fatalf("migration %d: %v", v+1, err)
		}
	}
	_, err = db.Exec(`PRAGMA user_version = 3;
		INSERT INTO feeds (id, url) VALUES (1, 'https://a.example');
		INSERT INTO articles (feed_id, guid, title, published, body) VALUES
			(1, 'zh', '中美贸易谈判在北京举行', 1, '双方代表在北京会面'),
			(1, 'en', 'Trade talks', 2, 'Launch 🚀 tomorrow');
		INSERT INTO articles_fts (rowid, title, source, body) SELECT id, title, source, body FROM articles`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	// Read-only, the old index is searched the old way, without error.
	ro, err := Open(t.Context(), path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{"trade": 1, "中美": 1, "🚀": 0, "!": 0} {
		if p := page(t, ro, articles.MustParseQuery(q)); p.Total != want {
			t.Errorf("search %q read-only before the upgrade: %d, want %d", q, p.Total, want)
		}
	}
	ro.Close()
	s, err := Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for q, want := range map[string]int{"举行": 1, "北京": 1, "🚀": 1, "trade": 1, "!": 0} {
		if p := page(t, s, articles.MustParseQuery(q)); p.Total != want {
			t.Errorf("search %q after the upgrade: %d, want %d", q, p.Total, want)
		}
	}
	if err := s.Check(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestIndexHoldsIndexTokens checks that FTS5's tokenizer, given what
// articles.SearchText makes of a text, indexes exactly the tokens
// articles.IndexTokens gives, which the MemStore indexes and queries are
// built from.
func TestIndexHoldsIndexTokens(t *testing.T) {
	texts := []string{
		"中美贸易谈判在北京举行", "「桜が咲いた」と気象庁が発表しました。ラーメン屋", "대통령은 오늘 서울에서 기자회견을 했다.",
		"iPhone手机 and Ｔｏｋｙｏ２０２６年", "We ❤️ our readers 👍🏽 👨‍👩‍👧 🇯🇵 ©2026 🚀launch go🚀",
		"Sino-Russian ‘unlimited’ ties, 2022!", "ㄅㄆㄇ 々 〆 ｶﾀｶﾅ", "x²y ① Ⅻ \ue000 a\u20e3 ि",
	}
	s := openTest(t)
	var items []articles.Article
	want := map[string]bool{}
	for i, text := range texts {
		items = append(items, articles.Article{GUID: text, Title: text, Source: "S", Published: t0.Add(-time.Duration(i) * time.Hour)})
		for _, tok := range articles.IndexTokens(text) {
			want[tok] = true
		}
	}
	want["s"] = true
	save(t, s, "https://a.example", items...)
	if _, err := s.db.Exec(`CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, articles_fts, row)`); err != nil {
		t.Fatal(err)
	}
	rows, err := s.db.Query(`SELECT term FROM temp.vocab`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]bool{}
	for rows.Next() {
		var term string
		if err := rows.Scan(&term); err != nil {
			t.Fatal(err)
		}
		got[term] = true
	}
	for tok := range want {
		if !got[tok] {
			t.Errorf("token %q (%+q) is not in the index", tok, tok)
		}
	}
	for term := range got {
		if !want[term] {
			t.Errorf("the index holds %q (%+q), which IndexTokens does not give", term, term)
		}
	}
}

// TestCJKSearchNewestFirst: ranking CJK matches costs several times
// English ones, so a CJK search lists them most recently stored first.
func TestCJKSearchNewestFirst(t *testing.T) {
	s := openTest(t)
	var items []articles.Article
	for i := range 5 {
		items = append(items, item(fmt.Sprint(i), fmt.Sprintf("北京新闻 %d", i), time.Duration(i)*time.Minute))
	}
	items[4].Body = "北京 北京 北京 北京" // ranked, it would come first
	save(t, s, "https://a.example/feed", items...)
	p, err := s.Page(t.Context(), articles.MustParseQuery("北京"), 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 5 || fmt.Sprint(titles(p)) != "[北京新闻 0 北京新闻 1 北京新闻 2]" {
		t.Errorf("total %d rows %v", p.Total, titles(p))
	}
}
