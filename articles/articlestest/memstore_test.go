package articlestest_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"tidings/articles"
	"tidings/articles/articlestest"
)

func store() *articlestest.MemStore {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return articlestest.NewMemStore(
		articles.Article{ID: "a", Title: "Xi hosts Putin", Source: "Wire", Body: "Sino-Russian ties", Published: t0.Add(3 * time.Hour)},
		articles.Article{ID: "b", Title: "Markets rally", Source: "Desk", Body: "Stocks rose in Beijing", Published: t0.Add(2 * time.Hour), Read: true},
		articles.Article{ID: "c", Title: "Rain in Paris", Source: "Wire", Body: "Wet weekend ahead", Published: t0.Add(1 * time.Hour)},
	)
}

func ids(p articles.Page) []string {
	var out []string
	for _, r := range p.Rows {
		out = append(out, r.ID)
	}
	return out
}

func TestMemStorePageAndSearch(t *testing.T) {
	tests := []struct {
		query         string
		offset, limit int
		want          []string
		total, unread int
	}{
		{"", 0, 10, []string{"a", "b", "c"}, 3, 2},
		{"", 1, 1, []string{"b"}, 3, 2},
		{"", 5, 10, nil, 3, 2},
		{"wire", 0, 10, []string{"a", "c"}, 2, 2},
		{"WIRE rain", 0, 10, []string{"c"}, 1, 1},
		{"bei", 0, 10, []string{"b"}, 1, 0},
		{"russian sino", 0, 10, []string{"a"}, 1, 1},
		{"sino-rus", 0, 10, []string{"a"}, 1, 1},
		{"ussian", 0, 10, nil, 0, 0},
		{"wire nothing", 0, 10, nil, 0, 0},
		{"  ", 0, 10, []string{"a", "b", "c"}, 3, 2},
	}
	s := store()
	for _, tt := range tests {
		p, err := s.Page(context.Background(), articles.MustParseQuery(tt.query), tt.offset, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(p); !equal(got, tt.want) || p.Total != tt.total || p.Unread != tt.unread || p.Offset != tt.offset {
			t.Errorf("Page(%q, %d, %d) = %v total %d unread %d, want %v total %d unread %d",
				tt.query, tt.offset, tt.limit, got, p.Total, p.Unread, tt.want, tt.total, tt.unread)
		}
	}
}

func TestMemStoreAddReplacesAndReindexes(t *testing.T) {
	s := store()
	q := articles.MustParseQuery("rain")
	if p, _ := s.Page(context.Background(), q, 0, 10); p.Total != 1 {
		t.Fatalf("before: total %d", p.Total)
	}
	s.Add(articles.Article{ID: "c", Title: "Sun in Paris", Published: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)},
		articles.Article{ID: "d", Title: "Rain again"})
	p, _ := s.Page(context.Background(), q, 0, 10)
	if got := ids(p); !equal(got, []string{"d"}) {
		t.Errorf("after replace, rain = %v, want [d]", got)
	}
	p, _ = s.Page(context.Background(), articles.Query{}, 0, 10)
	if got := ids(p); !equal(got, []string{"c", "a", "b", "d"}) {
		t.Errorf("order = %v, want newest first with the undated last", got)
	}
}

func TestMemStoreArticle(t *testing.T) {
	s := store()
	a, err := s.Article(context.Background(), "b")
	if err != nil || a.Body != "Stocks rose in Beijing" {
		t.Errorf("Article(b) = %+v, %v", a, err)
	}
	if _, err := s.Article(context.Background(), "zzz"); !errors.Is(err, articles.ErrNotFound) {
		t.Errorf("Article(zzz) error = %v, want ErrNotFound", err)
	}
}

func TestWords(t *testing.T) {
	got := articles.Words("Sino-Russian ‘unlimited’ ties, 2022! Café 新闻")
	want := []string{"sino", "russian", "unlimited", "ties", "2022", "café", "新闻"}
	if !equal(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// BenchmarkSearchKeystroke measures one keystroke of search over 100,000
// articles: the query grows a letter at a time, as the user types.
func BenchmarkSearchKeystroke(b *testing.B) {
	s := articlestest.NewMemStore(articlestest.Articles(100_000, 120)...)
	typed := []string{"t", "tr", "tra", "trad", "trade", "trade m", "trade ma", "trade market"}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		q := articles.MustParseQuery(typed[i%len(typed)])
		if _, err := s.Page(context.Background(), q, 0, 50); err != nil {
			b.Fatal(err)
		}
	}
}

// TestMemStoreSearchCJKAndEmoji runs the searches every store must answer
// alike: CJK words in the middle of sentences, emoji, and queries with
// nothing to search for.
func TestMemStoreSearchCJKAndEmoji(t *testing.T) {
	s := articlestest.NewMemStore(articlestest.SearchArticles()...)
	for _, tt := range articlestest.SearchCases {
		p, err := s.Page(context.Background(), articles.MustParseQuery(tt.Query), 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range p.Rows {
			got = append(got, r.Title)
		}
		if !sameSet(got, tt.Want) || p.Total != len(tt.Want) {
			t.Errorf("search %q: %q (total %d), want %q", tt.Query, got, p.Total, tt.Want)
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestMatchesInside(t *testing.T) {
	for term, want := range map[string]bool{"北京": true, "桜": true, "서울": true, "🚀": true, "trade": false, "2026": false, "!?": false} {
		if got := articles.MatchesInside(term); got != want {
			t.Errorf("MatchesInside(%q) = %v, want %v", term, got, want)
		}
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		f    func(string) []string
		in   string
		want []string
	}{
		{articles.Words, "iPhone手机 🚀launch ❤️", []string{"iphone", "手机", "🚀", "launch", "❤"}},
		{articles.IndexTokens, "在北京 桜 ラーメン", []string{"在北", "北京", "京", "桜", "ラー", "ーメ", "メン", "ン"}},
		{articles.TermTokens, "北京举行", []string{"北京", "举行"}},
		{articles.TermTokens, "中美贸易谈判", []string{"中美", "贸易", "谈判"}},
		{articles.TermTokens, "咲いた", []string{"咲い", "いた"}},
		{articles.TermTokens, "桜", []string{"桜"}},
		{articles.TermTokens, "👍🏽 👨‍👩‍👧", []string{"👍", "👨", "👩", "👧"}},
		{articles.TermTokens, "!?", nil},
		{strings.Fields, articles.SearchText("We ❤️ 北京!"), []string{"We", "❤", "北京", "京", "!"}},
	}
	for _, tt := range tests {
		if got := tt.f(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("%q: %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMemStoreRemoveFeed(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	const a, b = "https://a.example/feed", "https://b.example/feed"
	s := articlestest.NewMemStore(
		articles.Article{ID: "1", Feed: a, Source: "A", Title: "Alpha trade", Published: t0},
		articles.Article{ID: "2", Feed: a, Source: "A", Title: "Alpha kept", Published: t0.Add(-time.Hour), Starred: true},
		articles.Article{ID: "3", Feed: b, Source: "B", Title: "Beta trade", Published: t0.Add(-2 * time.Hour)},
	)
	s.Page(t.Context(), articles.MustParseQuery("trade"), 0, 10) //nolint:errcheck // fills the search cache
	r, err := s.RemoveFeed(t.Context(), a)
	if err != nil || r != (articles.Removed{Deleted: 1, Kept: 1}) {
		t.Fatalf("RemoveFeed = %+v, %v; want 1 deleted, 1 kept", r, err)
	}
	p, _ := s.Page(t.Context(), articles.Query{}, 0, 10)
	if p.Total != 2 || p.Rows[0].Title != "Alpha kept" || p.Rows[0].Source != "A" || p.Rows[1].Title != "Beta trade" {
		t.Errorf("after removal: %+v", p.Rows)
	}
	if p, _ := s.Page(t.Context(), articles.MustParseQuery("trade"), 0, 10); p.Total != 1 || p.Rows[0].ID != "3" {
		t.Errorf("search trade after removal: %+v, want Beta alone", p.Rows)
	}
	if _, err := s.Article(t.Context(), "1"); err == nil {
		t.Error("the removed article is still there")
	}
}

func TestBundledWelcomeComesFirst(t *testing.T) {
	arts, err := articles.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	p, err := articlestest.NewMemStore(arts...).Page(t.Context(), articles.Query{}, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rows) != 2 || p.Rows[0].Title != "Welcome to tidings" {
		t.Fatalf("rows = %+v, want the welcome article first of 2", p.Rows)
	}
}

func TestMemStoreQueryCases(t *testing.T) {
	s := articlestest.NewMemStore(articlestest.QueryArticles()...)
	s.Now = func() time.Time { return articlestest.QueryNow }
	for _, tt := range articlestest.QueryCases {
		q := articles.MustParseQuery(tt.Query).ResolveTags(articlestest.QueryTags)
		p, err := s.Page(t.Context(), q, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range p.Rows {
			got = append(got, r.Title)
		}
		want := slices.Clone(tt.Want)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) || p.Total != len(want) {
			t.Errorf("query %q: %q (total %d), want %q", tt.Query, got, p.Total, want)
		}
	}
}
