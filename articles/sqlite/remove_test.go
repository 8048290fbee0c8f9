package sqlite

import (
	"testing"
	"time"

	"tidings/articles"
)

// TestRemoveFeed checks that removing a feed deletes its articles and
// their index rows in one go, keeps its starred ones with their source,
// keeps the feed row only for them with its fetch state cleared, and
// leaves other feeds alone.
func TestRemoveFeed(t *testing.T) {
	s := openTest(t)
	ctx := t.Context()
	const a, b, c = "https://a.example/feed", "https://b.example/feed", "https://c.example/feed"
	save(t, s, a, item("1", "Alpha trade", time.Hour), item("2", "Alpha energy", 2*time.Hour), item("3", "Alpha starred", 3*time.Hour))
	save(t, s, b, item("1", "Beta trade", time.Hour))
	save(t, s, c, item("1", "Gamma trade", time.Hour))
	if _, err := s.db.Exec(`UPDATE feeds SET etag = 'x', last_modified = 'y' WHERE url = ?`, a); err != nil {
		t.Fatal(err)
	}
	starred := page(t, s, articles.Query{Terms: []string{"starred"}}).Rows[0].ID
	if err := s.SetStarred(ctx, starred, true); err != nil {
		t.Fatal(err)
	}

	r, err := s.RemoveFeed(ctx, a)
	if err != nil || r != (articles.Removed{Deleted: 2, Kept: 1}) {
		t.Fatalf("RemoveFeed(a) = %+v, %v; want 2 deleted, 1 kept", r, err)
	}
	if got := titles(page(t, s, articles.Query{})); len(got) != 3 {
		t.Errorf("after removing a: %q, want Beta, Gamma and the starred Alpha", got)
	}
	if p := page(t, s, articles.Query{}); p.Total != 3 || p.Unread != 3 {
		t.Errorf("counts after removing a: total %d unread %d, want 3 and 3", p.Total, p.Unread)
	}
	if p := page(t, s, articles.Query{Terms: []string{"alpha"}}); p.Total != 1 || p.Rows[0].Title != "Alpha starred" || p.Rows[0].Source != "Wire" {
		t.Errorf("search alpha after removing a: %+v, want the starred article alone, with its source", p)
	}
	if p := page(t, s, articles.Query{Terms: []string{"trade"}}); p.Total != 2 {
		t.Errorf("search trade after removing a: %d matches, want 2", p.Total)
	}
	feeds, err := s.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(feeds) != 3 || feeds[0].URL != a || feeds[0].ETag != "" || feeds[0].LastModified != "" ||
		!feeds[0].LastFetch.IsZero() || feeds[0].Title != "Feed "+a || feeds[0].Total != 1 {
		t.Errorf("feed a after removal: %+v, want its row with the title, 1 article and no fetch state", feeds[0])
	}

	if r, err := s.RemoveFeed(ctx, b); err != nil || r != (articles.Removed{Deleted: 1}) {
		t.Errorf("RemoveFeed(b) = %+v, %v; want 1 deleted", r, err)
	}
	if r, err := s.RemoveFeed(ctx, "https://unknown.example/"); err != nil || r != (articles.Removed{}) {
		t.Errorf("RemoveFeed(unknown) = %+v, %v", r, err)
	}
	if feeds, _ := s.Feeds(ctx); len(feeds) != 2 {
		t.Errorf("feeds after removing b: %+v, want a (for its starred article) and c", feeds)
	}
	if err := s.Check(ctx); err != nil {
		t.Errorf("integrity after removals: %v", err)
	}
	// Subscribing again brings the feed back whole.
	if n := save(t, s, a, item("1", "Alpha trade", time.Hour), item("3", "Alpha starred", 3*time.Hour)); n != 1 {
		t.Errorf("refetch after removal added %d, want 1", n)
	}
}
