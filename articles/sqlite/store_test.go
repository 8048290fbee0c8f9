package sqlite

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tidings/articles"
)

// update is accepted so that "go test ./... -update" runs here too.
var _ = flag.Bool("update", false, "rewrite golden files (unused in this package)")

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func openTest(t *testing.T) *Store {
	t.Helper()
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "tidings.db"), Options{
		Retention: DefaultRetention(),
		Now:       func() time.Time { return t0 },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func item(guid, title string, age time.Duration) articles.Article {
	return articles.Article{GUID: guid, Title: title, Source: "Wire", Body: "Body of " + title, Published: t0.Add(-age)}
}

func save(t *testing.T, s *Store, url string, items ...articles.Article) int {
	t.Helper()
	n, err := s.SaveFeed(t.Context(), articles.FeedUpdate{URL: url, Title: "Feed " + url, Items: items, At: t0})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func page(t *testing.T, s *Store, q articles.Query) articles.Page {
	t.Helper()
	p, err := s.Page(t.Context(), q, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func titles(p articles.Page) []string {
	var out []string
	for _, r := range p.Rows {
		out = append(out, r.Title)
	}
	return out
}

func TestMigrateFromEmpty(t *testing.T) {
	s := openTest(t)
	var v int
	if err := s.db.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != len(migrations) {
		t.Fatalf("user_version = %d, %v; want %d", v, err, len(migrations))
	}
	var mode string
	if err := s.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
	// Opening again runs no migration and keeps the data.
	save(t, s, "https://a.example/feed", item("1", "One", time.Hour))
	s.Close()
	s2, err := Open(t.Context(), s.path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if p := page(t, s2, articles.Query{}); p.Total != 1 {
		t.Errorf("after reopen total %d, want 1", p.Total)
	}
}

func TestDedupeOnRefetch(t *testing.T) {
	s := openTest(t)
	feed := "https://a.example/feed"
	if n := save(t, s, feed, item("1", "One", time.Hour), item("2", "Two", 2*time.Hour)); n != 2 {
		t.Errorf("first fetch added %d, want 2", n)
	}
	if n := save(t, s, feed, item("1", "One", time.Hour), item("2", "Two", 2*time.Hour), item("3", "Three", 30*time.Minute)); n != 1 {
		t.Errorf("second fetch added %d, want 1", n)
	}
	p := page(t, s, articles.Query{})
	if got := fmt.Sprint(titles(p)); got != "[Three One Two]" || p.Total != 3 || p.Unread != 3 {
		t.Errorf("rows %s total %d unread %d", got, p.Total, p.Unread)
	}
	// The same GUID in another feed is another article.
	save(t, s, "https://b.example/feed", item("1", "Other one", time.Minute))
	if p := page(t, s, articles.Query{}); p.Total != 4 {
		t.Errorf("total %d, want 4", p.Total)
	}
}

func TestStateKeptWhenRefetchedOrEdited(t *testing.T) {
	s := openTest(t)
	feed := "https://a.example/feed"
	save(t, s, feed, item("1", "One", time.Hour), item("2", "Two", 2*time.Hour))
	p := page(t, s, articles.Query{})
	one, two := p.Rows[0].ID, p.Rows[1].ID
	if err := s.SetRead(t.Context(), []string{one}, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStarred(t.Context(), two, true); err != nil {
		t.Fatal(err)
	}
	edited := item("1", "One, corrected", time.Hour)
	edited.Body = "New text"
	save(t, s, feed, edited, item("2", "Two", 2*time.Hour))
	a, err := s.Article(t.Context(), one)
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "One, corrected" || a.Body != "New text" || !a.Read {
		t.Errorf("edited article = %q %q read %v; want the new text, still read", a.Title, a.Body, a.Read)
	}
	b, _ := s.Article(t.Context(), two)
	if !b.Starred {
		t.Error("star lost on re-fetch")
	}
	if p := page(t, s, articles.Query{}); p.Unread != 1 {
		t.Errorf("unread %d, want 1", p.Unread)
	}
	// The index follows the edit.
	if p := page(t, s, articles.MustParseQuery("corrected")); p.Total != 1 {
		t.Errorf("search for the new title found %d", p.Total)
	}
}

func TestUndatedItemKeepsFirstSeen(t *testing.T) {
	s := openTest(t)
	feed := "https://a.example/feed"
	undated := articles.Article{GUID: "u", Title: "Undated"}
	if _, err := s.SaveFeed(t.Context(), articles.FeedUpdate{URL: feed, Items: []articles.Article{undated}, At: t0}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveFeed(t.Context(), articles.FeedUpdate{URL: feed, Items: []articles.Article{undated}, At: t0.Add(5 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	p := page(t, s, articles.Query{})
	if len(p.Rows) != 1 || !p.Rows[0].Published.Equal(t0) {
		t.Errorf("published %v, want the first-seen time %v", p.Rows[0].Published, t0)
	}
}

func TestRetention(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "r.db"), Options{
		Retention: Retention{MaxAge: 30 * 24 * time.Hour, MaxPerFeed: 3},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	feed := "https://a.example/feed"
	save(t, s, feed, item("1", "One", time.Hour), item("2", "Two", 2*time.Hour), item("3", "Three", 3*time.Hour))
	p := page(t, s, articles.Query{})
	if err := s.SetStarred(t.Context(), p.Rows[2].ID, true); err != nil { // Three
		t.Fatal(err)
	}
	// Two newer items push the oldest unstarred ones out; the starred one
	// stays.
	save(t, s, feed, item("4", "Four", 30*time.Minute), item("5", "Five", 20*time.Minute))
	p = page(t, s, articles.Query{})
	if got := fmt.Sprint(titles(p)); got != "[Five Four One Three]" {
		t.Errorf("kept %s, want the 3 newest unstarred and the starred one", got)
	}
}

// TestRetentionByAge checks that an old article stays while its feed lists
// it, and goes when the feed drops it.
func TestRetentionByAge(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "r.db"), Options{Retention: Retention{MaxAge: 30 * 24 * time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	feed := "https://a.example/feed"
	save(t, s, feed, item("new", "New", time.Hour), item("old", "Old", 40*24*time.Hour))
	if got := fmt.Sprint(titles(page(t, s, articles.Query{}))); got != "[New Old]" {
		t.Errorf("kept %s, want the old item the feed lists", got)
	}
	if _, err := s.SaveFeed(t.Context(), articles.FeedUpdate{URL: feed, Items: []articles.Article{item("new", "New", time.Hour)}, At: t0.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(titles(page(t, s, articles.Query{}))); got != "[New]" {
		t.Errorf("kept %s, want the old item gone once the feed dropped it", got)
	}
}

func TestFiltersAndSearch(t *testing.T) {
	s := openTest(t)
	save(t, s, "https://a.example/feed", item("1", "Putin visits Beijing", time.Hour), item("2", "Markets rally", 2*time.Hour))
	save(t, s, "https://b.example/feed", item("1", "Beijing weather", 3*time.Hour), item("2", "Café culture", 4*time.Hour))
	all := page(t, s, articles.Query{})
	if err := s.SetRead(t.Context(), []string{all.Rows[0].ID}, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStarred(t.Context(), all.Rows[2].ID, true); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		q           articles.Query
		want        string
		total, unrd int
	}{
		{articles.Query{}, "[Putin visits Beijing Markets rally Beijing weather Café culture]", 4, 3},
		{articles.Query{UnreadOnly: true}, "[Markets rally Beijing weather Café culture]", 3, 3},
		{articles.Query{StarredOnly: true}, "[Beijing weather]", 1, 1},
		{articles.Query{Feeds: []string{"https://b.example/feed"}}, "[Beijing weather Café culture]", 2, 2},
		// Searches do not count unread matches.
		{articles.MustParseQuery("beij"), "", 2, 0},
		{articles.MustParseQuery("beijing weather"), "[Beijing weather]", 1, 0},
		{articles.MustParseQuery("cafe"), "[Café culture]", 1, 0},
		{articles.MustParseQuery("and"), "[]", 0, 0},
		{articles.MustParseQuery("near"), "[]", 0, 0},
		{articles.Query{Terms: []string{"beijing"}, UnreadOnly: true}, "[Beijing weather]", 1, 0},
	}
	for _, tt := range tests {
		p := page(t, s, tt.q)
		got := fmt.Sprint(titles(p))
		if tt.want != "" && got != tt.want || p.Total != tt.total || p.Unread != tt.unrd {
			t.Errorf("%+v: %s total %d unread %d, want %s %d %d", tt.q, got, p.Total, p.Unread, tt.want, tt.total, tt.unrd)
		}
	}
	n, err := s.MarkAllRead(t.Context(), articles.MustParseQuery("beijing"))
	if err != nil || n != 1 {
		t.Errorf("MarkAllRead = %d, %v; want 1", n, err)
	}
	if p := page(t, s, articles.Query{}); p.Unread != 2 {
		t.Errorf("unread after mark all %d, want 2", p.Unread)
	}
}

func TestFeedStateAndMoves(t *testing.T) {
	s := openTest(t)
	feed := "https://a.example/feed"
	up := articles.FeedUpdate{URL: feed, Title: "A", ETag: `W/"x"`, LastModified: "Wed, 25 Nov 2026 10:00:00 GMT", Items: []articles.Article{item("1", "One", time.Hour)}, At: t0}
	if _, err := s.SaveFeed(t.Context(), up); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveFeed(t.Context(), articles.FeedUpdate{URL: feed, Err: "fetch https://a.example/feed: 500 Internal Server Error", At: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	feeds, err := s.Feeds(t.Context())
	if err != nil || len(feeds) != 1 {
		t.Fatalf("Feeds = %v, %v", feeds, err)
	}
	f := feeds[0]
	if f.ETag != `W/"x"` || f.LastModified != up.LastModified || f.Total != 1 || f.Unread != 1 ||
		f.LastError == "" || !f.LastOK.Equal(t0) || !f.LastFetch.Equal(t0.Add(time.Hour)) {
		t.Errorf("feed state %+v", f)
	}
	moved := articles.FeedUpdate{URL: feed, NewURL: "https://new.example/feed", NotModified: true, At: t0.Add(2 * time.Hour)}
	if _, err := s.SaveFeed(t.Context(), moved); err != nil {
		t.Fatal(err)
	}
	feeds, _ = s.Feeds(t.Context())
	if feeds[0].URL != "https://new.example/feed" || feeds[0].Total != 1 {
		t.Errorf("after a move: %+v", feeds[0])
	}
}

func TestArticleNotFound(t *testing.T) {
	s := openTest(t)
	for _, id := range []string{"42", "bundled-x", ""} {
		if _, err := s.Article(t.Context(), id); !errors.Is(err, articles.ErrNotFound) {
			t.Errorf("Article(%q) error = %v", id, err)
		}
	}
}

func TestBundledStayAndKeepState(t *testing.T) {
	s := openTest(t)
	arts, err := articles.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddBundled(t.Context(), arts); err != nil {
		t.Fatal(err)
	}
	p := page(t, s, articles.Query{})
	if p.Total != len(arts) {
		t.Fatalf("total %d, want %d", p.Total, len(arts))
	}
	if err := s.SetRead(t.Context(), []string{p.Rows[0].ID}, true); err != nil {
		t.Fatal(err)
	}
	if err := s.AddBundled(t.Context(), arts); err != nil {
		t.Fatal(err)
	}
	if p2 := page(t, s, articles.Query{}); p2.Total != len(arts) || p2.Unread != len(arts)-1 {
		t.Errorf("after adding again: total %d unread %d", p2.Total, p2.Unread)
	}
	feeds, _ := s.Feeds(t.Context())
	if len(feeds) != 0 {
		t.Errorf("the bundled feed shows in Feeds: %+v", feeds)
	}
}

func TestReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ro.db")
	if _, err := Open(context.Background(), path, Options{ReadOnly: true}); err == nil {
		t.Error("read-only open of a missing database succeeded")
	}
	s, err := Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	save(t, s, "https://a.example/feed", item("1", "One", time.Hour))
	s.Close()
	ro, err := Open(t.Context(), path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if p := page(t, ro, articles.Query{}); p.Total != 1 {
		t.Errorf("read-only total %d", p.Total)
	}
	if _, err := ro.SaveFeed(t.Context(), articles.FeedUpdate{URL: "https://b.example", At: t0}); err == nil {
		t.Error("a read-only store wrote")
	}
}

// TestBroadSearchNewestFirst checks that a search with more matches than
// are ranked lists them newest first, and pages through them.
func TestBroadSearchNewestFirst(t *testing.T) {
	s := openTest(t)
	var items []articles.Article
	for i := range rankLimit + 100 {
		items = append(items, item(fmt.Sprint(i), fmt.Sprintf("News %04d", i), time.Duration(i)*time.Minute))
	}
	s.opts.Retention = Retention{}
	save(t, s, "https://a.example/feed", items...)
	p, err := s.Page(t.Context(), articles.MustParseQuery("new"), rankLimit, 3)
	if err != nil {
		t.Fatal(err)
	}
	// The count stops past the page asked for (see countBound).
	if p.Total != rankLimit+6 || !p.More || fmt.Sprint(titles(p)) != "[News 1000 News 1001 News 1002]" {
		t.Errorf("total %d (more %v) rows %v", p.Total, p.More, titles(p))
	}
}

func TestCopyFrom(t *testing.T) {
	s := openTest(t)
	save(t, s, "https://a.example/feed", item("1", "One", time.Hour), item("2", "Two", 2*time.Hour))
	p := page(t, s, articles.Query{})
	if err := s.SetStarred(t.Context(), p.Rows[1].ID, true); err != nil {
		t.Fatal(err)
	}
	mem, err := OpenMemory(t.Context(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer mem.Close()
	if err := mem.CopyFrom(t.Context(), s.path); err != nil {
		t.Fatal(err)
	}
	got := page(t, mem, articles.MustParseQuery("two"))
	if got.Total != 1 || !got.Rows[0].Starred || got.Rows[0].ID != p.Rows[1].ID {
		t.Errorf("copied search %+v", got)
	}
	if all := page(t, mem, articles.Query{}); all.Total != 2 || all.Unread != 2 {
		t.Errorf("copied counts total %d unread %d", all.Total, all.Unread)
	}
}

// TestImplausibleDatesAndLongGUIDs: a date far in the future counts as no
// date (the article keeps the time it was first seen, so it is not pinned
// to the top for good), and a huge GUID is stored as its hash, still
// unique, still matched on the next refresh.
func TestImplausibleDatesAndLongGUIDs(t *testing.T) {
	s := openTest(t)
	far := item("far", "Year 9999", 0)
	far.Published = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
	soon := item("soon", "An hour ahead", -time.Hour)
	long := item(strings.Repeat("g", 1<<20), "Long GUID", 2*time.Hour)
	save(t, s, "https://a.example", far, soon, long)
	_, err := s.SaveFeed(t.Context(), articles.FeedUpdate{URL: "https://a.example", Items: []articles.Article{far, soon, long}, At: t0.Add(24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	p := page(t, s, articles.Query{})
	if p.Total != 3 {
		t.Fatalf("total %d, want 3", p.Total)
	}
	got := map[string]time.Time{}
	for _, r := range p.Rows {
		got[r.Title] = r.Published
	}
	if !got["Year 9999"].Equal(t0) || !got["An hour ahead"].Equal(t0.Add(time.Hour)) || !got["Long GUID"].Equal(t0.Add(-2*time.Hour)) {
		t.Errorf("dates %v", got)
	}
	var longest int
	s.db.QueryRow(`SELECT max(length(guid)) FROM articles`).Scan(&longest)
	if longest > maxGUID {
		t.Errorf("a GUID of %d bytes is stored", longest)
	}
}

// TestUpdatesAfterInsertsAreIndexed saves a feed again with a new item
// before a changed one: the change must reach the article and the index,
// the new item be found, and the index stay sound.
func TestUpdatesAfterInsertsAreIndexed(t *testing.T) {
	s := openTest(t)
	save(t, s, "https://a.example", item("a", "Alpha original", time.Hour), item("b", "Bravo", 2*time.Hour))
	save(t, s, "https://a.example", item("c", "Charlie", 0), item("a", "Alpha rewritten", time.Hour), item("b", "Bravo", 2*time.Hour), item("c", "Charlie again", 0))
	for q, want := range map[string]int{"rewritten": 1, "original": 0, "charlie": 1, "again": 0, "bravo": 1} {
		if p := page(t, s, articles.MustParseQuery(q)); p.Total != want {
			t.Errorf("search %q: %d, want %d", q, p.Total, want)
		}
	}
	if err := s.Check(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestRetentionOfArticlesJustStored saves, beyond a feed's limit, articles
// older than those it keeps: they are stored, indexed and removed in one
// transaction, and the index must stay sound.
func TestRetentionOfArticlesJustStored(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "tidings.db"), Options{
		Retention: Retention{MaxPerFeed: 2}, Now: func() time.Time { return t0 },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	save(t, s, "https://a.example", item("new1", "Newer one", time.Hour), item("new2", "Newer two", 2*time.Hour))
	_, errs := s.SaveFeeds(t.Context(), []articles.FeedUpdate{
		{URL: "https://a.example", Items: []articles.Article{item("old", "Older story", 48*time.Hour)}, At: t0},
		{URL: "https://b.example", Items: []articles.Article{item("b1", "Bravo story", time.Hour)}, At: t0},
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if p := page(t, s, articles.MustParseQuery("story")); p.Total != 1 || p.Rows[0].Title != "Bravo story" {
		t.Errorf("search after retention: %+v", p)
	}
	if err := s.Check(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestOlderSchemaReadsReadOnly checks that a database an older tidings
// wrote is read as it is by a read-only store, and migrated by a writer.
func TestOlderSchemaReadsReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tidings.db")
	s, err := Open(t.Context(), path, Options{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	save(t, s, "https://a.example", item("1", "One", 0))
	s.db.Exec(`PRAGMA user_version = 1`)
	s.Close()
	ro, err := Open(t.Context(), path, Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open of schema 1: %v", err)
	}
	if p := page(t, ro, articles.Query{}); p.Total != 1 {
		t.Errorf("total %d", p.Total)
	}
	ro.Close()
}
