package sqlite

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tidings/articles"
	"tidings/articles/articlestest"
)

// openQueryStore holds articlestest.QueryArticles, each feed under its
// title, at articlestest.QueryNow.
func openQueryStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "tidings.db"), Options{
		Retention: Retention{},
		Now:       func() time.Time { return articlestest.QueryNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	arts := articlestest.QueryArticles()
	for _, f := range articlestest.QueryFeeds {
		var items []articles.Article
		for _, a := range arts {
			if a.Feed == f.URL {
				items = append(items, a)
			}
		}
		if _, err := s.SaveFeed(t.Context(), articles.FeedUpdate{URL: f.URL, Title: f.Title, Items: items, At: articlestest.QueryNow}); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range arts { // a new article is unread: the fixture's state is set after
		id := articleID(t, s, a.Title)
		if err := s.SetRead(t.Context(), []string{id}, a.Read); err != nil {
			t.Fatal(err)
		}
		if err := s.SetStarred(t.Context(), id, a.Starred); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func articleID(t *testing.T, s *Store, title string) string {
	t.Helper()
	var id string
	if err := s.db.QueryRowContext(t.Context(), `SELECT id FROM articles WHERE title = ?`, title).Scan(&id); err != nil {
		t.Fatalf("article %q: %v", title, err)
	}
	return id
}

// TestQueryCases runs the table every store and every way of typing a
// query agree on.
func TestQueryCases(t *testing.T) {
	checkQueryCases(t, openQueryStore(t))
}

// TestQueryCasesWithoutFieldsIndex runs them on a database from before the
// index of fields, read-only as another tidings may read it: the fields
// are checked row by row, with the same answers.
func TestQueryCasesWithoutFieldsIndex(t *testing.T) {
	s := openQueryStore(t)
	path := s.path
	if _, err := s.db.Exec(`PRAGMA user_version = 7`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	ro, err := Open(t.Context(), path, Options{ReadOnly: true, Now: func() time.Time { return articlestest.QueryNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if !ro.noFields {
		t.Fatal("the read-only store uses the index of fields of a schema 7 database")
	}
	checkQueryCases(t, ro)
}

// TestMigrationIndexesFields upgrades a database of schema 7: the index of
// fields is built from the articles there are.
func TestMigrationIndexesFields(t *testing.T) {
	s := openQueryStore(t)
	path := s.path
	unStory(t, s) // the schema before stories comes first
	_, err := s.db.Exec(`DROP TRIGGER articles_fields_delete; DROP TRIGGER articles_fields_update;
		DROP TABLE articles_fields; DROP VIEW articles_fields_src; PRAGMA user_version = 7`)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(t.Context(), path, Options{Now: func() time.Time { return articlestest.QueryNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.noFields {
		t.Fatal("no index of fields after the upgrade")
	}
	if err := s.Check(t.Context()); err != nil {
		t.Fatal(err)
	}
	checkQueryCases(t, s)
}

func checkQueryCases(t *testing.T, s *Store) {
	t.Helper()
	for _, tt := range articlestest.QueryCases {
		q := articles.MustParseQuery(tt.Query).ResolveTags(articlestest.QueryTags)
		p := page(t, s, q)
		got, want := titles(p), slices.Clone(tt.Want)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) || p.Total != len(want) {
			t.Errorf("query %q: %q (total %d), want %q", tt.Query, got, p.Total, want)
		}
		// The unread count of a saved search is read this way.
		q.UnreadOnly = true
		u, err := s.Page(t.Context(), q, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if wantUnread := unreadOf(tt.Want); u.Total != wantUnread {
			t.Errorf("query %q unread: %d, want %d", tt.Query, u.Total, wantUnread)
		}
	}
}

func unreadOf(titles []string) int {
	n := 0
	for _, a := range articlestest.QueryArticles() {
		if !a.Read && slices.Contains(titles, a.Title) {
			n++
		}
	}
	return n
}

// TestQueryMarkAllRead marks what a query with fields and negation
// selects, and nothing else.
func TestQueryMarkAllRead(t *testing.T) {
	s := openQueryStore(t)
	n, err := s.MarkAllRead(t.Context(), articles.MustParseQuery("tag:news -feed:wire").ResolveTags(articlestest.QueryTags))
	if err != nil || n != 1 {
		t.Fatalf("MarkAllRead = %d, %v; want 1 (the unread sponsored one)", n, err)
	}
	if p := page(t, s, articles.MustParseQuery("is:unread")); p.Total != 3 {
		t.Errorf("unread after: %q", titles(p))
	}
}

// openCountStore holds n articles in one feed, newest last: every one
// has "common" (the oldest ten many times) and is by "Staff", the first
// 600 have "sparse", and a
// third are read.
func openCountStore(t *testing.T, n int) *Store {
	t.Helper()
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "tidings.db"), Options{Retention: Retention{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	items := make([]articles.Article, n)
	for i := range items {
		title := fmt.Sprintf("common item %d", i)
		if i < 600 {
			title += " sparse"
		}
		body := "common body text"
		if i < 10 { // ranked first by relevance, last by date
			body = strings.Repeat("common ", 20)
		}
		items[i] = articles.Article{GUID: fmt.Sprint(i), Title: title, Author: "Staff", Body: body,
			Link:      fmt.Sprintf("https://news.example/%d", i),
			Published: articlestest.Epoch.Add(time.Duration(i) * time.Minute)}
	}
	if _, err := s.SaveFeed(t.Context(), articles.FeedUpdate{URL: "https://x.example/rss", Items: items, At: articlestest.Epoch}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE articles SET read = 1 WHERE id % 4 = 0`); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestPageCountStops checks that a search's count stops past countCap
// with More set, reaches past a deep page so that the next can be asked,
// and is exact below the cap; the rows stay exactly those of the search.
func TestPageCountStops(t *testing.T) {
	const n = 1500
	s := openCountStore(t, n)
	var unread int
	if err := s.db.QueryRow(`SELECT count(*) FROM articles WHERE read = 0`).Scan(&unread); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		query         string
		offset, limit int
		total         int
		more          bool
	}{
		{"common", 0, 200, countCap, true},
		{"common", 0, 0, countCap, true}, // a count alone, as the saved searches ask
		{"common", 900, 200, 1300, true},
		{"common", 1300, 200, n, false},
		{"sparse", 0, 200, 600, false},
		{`"common item"`, 0, 200, countCap, true},
		{`"common item" sparse`, 0, 200, 600, false},
		{"common author:staff", 0, 200, countCap, true},
		{"author:staff", 0, 200, countCap, true},
		{"is:unread", 0, 200, countCap, true},
		{"is:unread", 0, 2000, unread, false},
		{"-sparse", 0, 200, n - 600, false}, // counted as all less those holding it: exact
	}
	for _, c := range cases {
		p, err := s.Page(t.Context(), articles.MustParseQuery(c.query), c.offset, c.limit)
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		if p.Total != c.total || p.More != c.more {
			t.Errorf("%s at %d: Total %d, More %v; want %d, %v", c.query, c.offset, p.Total, p.More, c.total, c.more)
		}
		if want := min(c.limit, max(0, c.total-c.offset)); len(p.Rows) != want && !c.more {
			t.Errorf("%s at %d: %d rows, want %d", c.query, c.offset, len(p.Rows), want)
		}
	}
	// The rows of a capped search are the newest, in order, at any depth:
	// not ranked, as the count is not exact.
	for _, offset := range []int{0, 1000, 1400} {
		p, err := s.Page(t.Context(), articles.MustParseQuery("common"), offset, 200)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Rows) != min(200, n-offset) {
			t.Fatalf("at %d: %d rows", offset, len(p.Rows))
		}
		for i, r := range p.Rows {
			if want := fmt.Sprintf("common item %d", n-1-offset-i); !strings.HasPrefix(r.Title, want) {
				t.Fatalf("at %d, row %d: %q, want %q", offset, i, r.Title, want)
			}
		}
	}
	// Without a search the counters answer, exactly.
	if p, err := s.Page(t.Context(), articles.Query{}, 0, 200); err != nil || p.Total != n || p.More {
		t.Errorf("every article: Total %d, More %v, %v; want %d", p.Total, p.More, err, n)
	}
}
