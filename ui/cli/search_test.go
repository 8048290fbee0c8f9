package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"tidings/articles"
	"tidings/articles/articlestest"
	"tidings/articles/sqlite"
	"tidings/feed/subs"
)

// queryEnv holds articlestest.QueryArticles in its database, its feeds
// subscribed with their tags, at articlestest.QueryNow.
func queryEnv(t *testing.T) (Env, *bytes.Buffer) {
	t.Helper()
	e, out, _ := testEnv(t)
	e.Now = func() time.Time { return articlestest.QueryNow }
	var cfg subs.Config
	for _, f := range articlestest.QueryFeeds {
		cfg.Feeds = append(cfg.Feeds, subs.Subscription{URL: f.URL, Title: f.Title, Tags: f.Tags})
	}
	if err := cfg.Save(e.ConfigPath); err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	s, err := sqlite.Open(ctx, e.DBPath, sqlite.Options{Now: e.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	saveQueryArticles(ctx, t, s)
	return e, out
}

func saveQueryArticles(ctx context.Context, t *testing.T, s *sqlite.Store) {
	t.Helper()
	arts := articlestest.QueryArticles()
	for _, f := range articlestest.QueryFeeds {
		var items []articles.Article
		for _, a := range arts {
			if a.Feed == f.URL {
				items = append(items, a)
			}
		}
		if _, err := s.SaveFeed(ctx, articles.FeedUpdate{URL: f.URL, Title: f.Title, Items: items, At: articlestest.QueryNow}); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range arts { // stored unread: the fixture's state after
		p, err := s.Page(ctx, articles.Query{Expr: articles.MustParseQuery(`title:"` + a.Title + `"`).Expr}, 0, 1)
		if err != nil || len(p.Rows) != 1 {
			t.Fatalf("find %q: %v %v", a.Title, p.Rows, err)
		}
		if err := s.SetRead(ctx, []string{p.Rows[0].ID}, a.Read); err != nil {
			t.Fatal(err)
		}
		if err := s.SetStarred(ctx, p.Rows[0].ID, a.Starred); err != nil {
			t.Fatal(err)
		}
	}
}

// TestListSearchCases runs the table of queries every store answers
// through "tidings list --search", tags from config.toml.
func TestListSearchCases(t *testing.T) {
	e, out := queryEnv(t)
	for _, tt := range articlestest.QueryCases {
		out.Reset()
		if err := e.List(t.Context(), ListOptions{Search: tt.Query, Limit: 50}); err != nil {
			t.Fatalf("list --search %q: %v", tt.Query, err)
		}
		var got []string
		for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
			for _, a := range articlestest.QueryArticles() {
				if line != "" && strings.HasSuffix(line, a.Title) {
					got = append(got, a.Title)
				}
			}
		}
		want := slices.Clone(tt.Want)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("list --search %q: %q, want %q", tt.Query, got, want)
		}
	}
}

// TestListSearchError: a search that does not parse says where and why,
// as a QueryError (main exits 2), and lists nothing.
func TestListSearchError(t *testing.T) {
	e, out := queryEnv(t)
	err := e.List(t.Context(), ListOptions{Search: "title:(", Limit: 50})
	var qe *articles.QueryError
	if !errors.As(err, &qe) || err.Error() != "search: column 7: title: takes a word or a quoted phrase, not parentheses" {
		t.Errorf("list --search 'title:(': %v", err)
	}
	if out.Len() != 0 {
		t.Errorf("printed %q", out)
	}
}

// TestListReadsConfigOnce: list --search with a tag consults the
// subscriptions file for the search, the tag and the store, and reads
// it once: each warning is printed once.
func TestListReadsConfigOnce(t *testing.T) {
	e, _ := queryEnv(t)
	var errOut bytes.Buffer
	e.Stderr = &errOut
	data, err := os.ReadFile(e.ConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.ConfigPath, append([]byte("colour = \"teal\"\n"), data...), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := e.List(t.Context(), ListOptions{Search: "tag:" + articlestest.QueryFeeds[0].Tags[0], Limit: 50}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(errOut.String(), "colour"); n != 1 {
		t.Errorf("stderr names the unknown key %d times, want once:\n%s", n, errOut.String())
	}
}
