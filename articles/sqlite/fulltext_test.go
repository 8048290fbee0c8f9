package sqlite

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tidings/articles"
)

func TestFullTextKeptAcrossReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tidings.db")
	o := Options{Retention: DefaultRetention(), Now: func() time.Time { return t0 }}
	s, err := Open(t.Context(), path, o)
	if err != nil {
		t.Fatal(err)
	}
	save(t, s, "https://a.example/feed", item("1", "Short", time.Hour))
	id := page(t, s, articles.Query{}).Rows[0].ID
	if _, ok, err := s.FullText(t.Context(), id); ok || err != nil {
		t.Fatalf("a full text before any was kept: %v, %v", ok, err)
	}
	want := articles.FullText{Body: "The whole story, \x1b[31mred\x1b[0m.", Fetched: t0}
	if err := s.SaveFullText(t.Context(), id, want); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(t.Context(), path, o)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, ok, err := s.FullText(t.Context(), id)
	if err != nil || !ok {
		t.Fatalf("after reopening: %v, %v", ok, err)
	}
	if got.Body != "The whole story, red." || !got.Fetched.Equal(t0) || !got.OK() {
		t.Errorf("kept %+v, want the body sanitised and its time", got)
	}
	// A failure replaces the text: the last fetch is what is kept.
	if err := s.SaveFullText(t.Context(), id, articles.FullText{Err: "fetch x: 404 Not Found\nmore", Fetched: t0}); err != nil {
		t.Fatal(err)
	}
	got, _, _ = s.FullText(t.Context(), id)
	if got.OK() || strings.Contains(got.Err, "\n") || !strings.Contains(got.Err, "404") {
		t.Errorf("after a failure: %+v", got)
	}
}

func TestFullTextGoesWithItsArticle(t *testing.T) {
	s := openTest(t)
	save(t, s, "https://a.example/feed", item("1", "Short", time.Hour))
	id := page(t, s, articles.Query{}).Rows[0].ID
	if err := s.SaveFullText(t.Context(), id, articles.FullText{Body: "text", Fetched: t0}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemoveFeed(t.Context(), "https://a.example/feed"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM full_text`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d full texts left after their article went (%v)", n, err)
	}
	// Saving for an article that is gone keeps nothing, and is no error.
	if err := s.SaveFullText(t.Context(), id, articles.FullText{Body: "text", Fetched: t0}); err != nil {
		t.Errorf("saving for a gone article: %v", err)
	}
	if err := s.db.QueryRow(`SELECT count(*) FROM full_text`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d full texts kept for no article (%v)", n, err)
	}
}

func TestWithoutFullText(t *testing.T) {
	s := openTest(t)
	linked := func(guid string, age time.Duration) articles.Article {
		a := item(guid, "Story "+guid, age)
		a.Link = "https://a.example/" + guid
		return a
	}
	save(t, s, "https://a.example/feed", linked("1", 3*time.Hour), linked("2", 2*time.Hour), linked("3", time.Hour), item("4", "No link", 0))
	save(t, s, "https://b.example/feed", linked("5", 0))
	got, err := s.WithoutFullText(t.Context(), "https://a.example/feed", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Link != "https://a.example/3" || got[1].Link != "https://a.example/2" {
		t.Fatalf("got %+v, want the two newest with a link", got)
	}
	if err := s.SaveFullText(t.Context(), got[0].ID, articles.FullText{Err: "404", Fetched: t0}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.WithoutFullText(t.Context(), "https://a.example/feed", 10)
	if len(got) != 2 || got[0].Link != "https://a.example/2" || got[1].Link != "https://a.example/1" {
		t.Errorf("after one page failed: %+v, want it not asked again", got)
	}
}
