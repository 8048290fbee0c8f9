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
