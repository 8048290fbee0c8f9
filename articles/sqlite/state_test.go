package sqlite

import (
	"testing"
	"time"

	"tidings/articles"
)

// TestImportStateCountsWhatChanged imports entries that change nothing
// (already so, or the same twice) beside ones that do: the counts are of
// the changes made, never of the entries read.
func TestImportStateCountsWhatChanged(t *testing.T) {
	s := openTest(t)
	save(t, s, "https://a.example/feed", item("1", "One", time.Hour), item("2", "Two", 2*time.Hour), item("3", "Three", 3*time.Hour))
	rows := page(t, s, articles.Query{}).Rows
	if err := s.SetStarred(t.Context(), rows[2].ID, true); err != nil { // "3"
		t.Fatal(err)
	}
	const feed = "https://a.example/feed"
	entries := []StateEntry{
		{Feed: feed, GUID: "1", Read: true},
		{Feed: feed, GUID: "1", Read: true},    // the same again
		{Feed: feed, GUID: "3", Starred: true}, // starred already
		{Feed: feed, GUID: "9", Starred: true, Title: "Nine"},
		{Feed: feed, GUID: "9", Starred: true, Title: "Nine"},
		{Feed: feed, GUID: "8", Read: true},
		{Feed: feed, GUID: "8", Read: true},
		{Feed: feed, GUID: "\x1b[0m"}, // nothing left once cleaned
	}
	n, err := s.ImportState(t.Context(), entries)
	if err != nil {
		t.Fatal(err)
	}
	want := ImportedState{Applied: 1, Restored: 1, Pending: 1, Unchanged: 4, Skipped: 1}
	if n != want {
		t.Errorf("import: %+v, want %+v", n, want)
	}
	if n, err = s.ImportState(t.Context(), entries); err != nil {
		t.Fatal(err)
	}
	if want := (ImportedState{Unchanged: 7, Skipped: 1}); n != want {
		t.Errorf("importing again: %+v, want %+v", n, want)
	}
	if p := page(t, s, articles.Query{StarredOnly: true}); p.Total != 2 {
		t.Errorf("%d starred, want 2", p.Total)
	}
}
