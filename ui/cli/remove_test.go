package cli

import (
	"strings"
	"testing"

	"tidings/articles"
	"tidings/feed/subs"
)

// TestRemoveDeletesArticles checks that tidings remove deletes the feed's
// articles from the list and the counts, keeps its starred ones under
// its name, and says so; that a second tidings holding the database
// leaves everything as it was; and that removing again, once the starred
// article is unstarred, deletes it.
func TestRemoveDeletesArticles(t *testing.T) {
	srv := newServer(t)
	e, out, _ := testEnv(t)
	ctx := t.Context()
	for _, p := range []string{"/world", "/tech"} {
		if err := e.Add(ctx, srv.URL+p); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Fetch(ctx); err != nil {
		t.Fatal(err)
	}
	s, _, err := e.openStore(ctx, forWrite, defaultSetup())
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Page(ctx, articles.MustParseQuery("world story 1"), 0, 1)
	if err != nil || len(p.Rows) != 1 {
		t.Fatalf("no World story 1: %+v %v", p, err)
	}
	starred := p.Rows[0].ID
	if err := s.SetStarred(ctx, starred, true); err != nil {
		t.Fatal(err)
	}
	// Another tidings (this store) has the database open: the remove
	// works beside it, as every command does.
	out.Reset()
	if err := e.Remove(ctx, srv.URL+"/world"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	want := "Removed " + srv.URL + "/world: 2 articles deleted, 1 starred article kept (1 feed left).\n"
	if out.String() != want {
		t.Errorf("remove said %q, want %q", out, want)
	}
	out.Reset()
	if err := e.List(ctx, ListOptions{Limit: 50}); err != nil {
		t.Fatal(err)
	}
	list := out.String()
	if strings.Count(list, "World story") != 1 || !strings.Contains(list, "World    World story 1") || strings.Count(list, "Tech story") != 2 {
		t.Errorf("list after remove:\n%s", list)
	}

	// Unstarred, the kept article goes with a second remove.
	s, _, err = e.openStore(ctx, forWrite, defaultSetup())
	if err != nil {
		t.Fatal(err)
	}
	err = s.SetStarred(ctx, starred, false)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := e.Remove(ctx, srv.URL+"/world"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "which was not subscribed: 1 article deleted") {
		t.Errorf("second remove said %q", out)
	}
	if err := e.Remove(ctx, srv.URL+"/world"); err == nil || !strings.Contains(err.Error(), "not subscribed") {
		t.Errorf("third remove: %v", err)
	}
}

// TestRemoveDefaultFeed checks that removing a default feed while there
// are no subscriptions deletes nothing: the next fetch would bring it back.
func TestRemoveDefaultFeed(t *testing.T) {
	e, _, _ := testEnv(t)
	err := e.Remove(t.Context(), subs.DefaultFeeds()[0].URL)
	if err == nil || !strings.Contains(err.Error(), "a default feed") {
		t.Errorf("remove of a default feed: %v", err)
	}
}
