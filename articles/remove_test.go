package articles

import (
	"testing"
	"time"
)

func TestMemStoreRemoveFeed(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	const a, b = "https://a.example/feed", "https://b.example/feed"
	s := NewMemStore(
		Article{ID: "1", Feed: a, Source: "A", Title: "Alpha trade", Published: t0},
		Article{ID: "2", Feed: a, Source: "A", Title: "Alpha kept", Published: t0.Add(-time.Hour), Starred: true},
		Article{ID: "3", Feed: b, Source: "B", Title: "Beta trade", Published: t0.Add(-2 * time.Hour)},
	)
	s.Page(t.Context(), ParseQuery("trade"), 0, 10) //nolint:errcheck // fills the search cache
	r, err := s.RemoveFeed(t.Context(), a)
	if err != nil || r != (Removed{Deleted: 1, Kept: 1}) {
		t.Fatalf("RemoveFeed = %+v, %v; want 1 deleted, 1 kept", r, err)
	}
	p, _ := s.Page(t.Context(), Query{}, 0, 10)
	if p.Total != 2 || p.Rows[0].Title != "Alpha kept" || p.Rows[0].Source != "A" || p.Rows[1].Title != "Beta trade" {
		t.Errorf("after removal: %+v", p.Rows)
	}
	if p, _ := s.Page(t.Context(), ParseQuery("trade"), 0, 10); p.Total != 1 || p.Rows[0].ID != "3" {
		t.Errorf("search trade after removal: %+v, want Beta alone", p.Rows)
	}
	if _, err := s.Article(t.Context(), "1"); err == nil {
		t.Error("the removed article is still there")
	}
}
