package sqlite

import (
	"path/filepath"
	"slices"
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
