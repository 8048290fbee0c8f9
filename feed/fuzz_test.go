package feed_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"tidings/articles"
	"tidings/articles/sqlite"
	"tidings/articles/termsafe"
	"tidings/feed/parse"
)

// FuzzParseToStore takes a document the whole way a fetched feed goes:
// parsed, saved, read back. Whatever the document, saving does not fail,
// every distinct item is stored, and every field read back is safe to show.
func FuzzParseToStore(f *testing.F) {
	for _, dir := range []string{"parse", "hostile"} {
		entries, _ := os.ReadDir(filepath.Join("testdata", dir))
		for _, e := range entries {
			if data, err := os.ReadFile(filepath.Join("testdata", dir, e.Name())); err == nil && len(data) < 64<<10 {
				f.Add(data)
			}
		}
	}
	ctx := context.Background()
	store, err := sqlite.OpenMemory(ctx, sqlite.Options{Retention: sqlite.DefaultRetention(), Now: func() time.Time { return now }})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { store.Close() })
	var n atomic.Int64
	f.Fuzz(func(t *testing.T, doc []byte) {
		url := fmt.Sprintf("https://fuzz.example/%d", n.Add(1))
		parsed, err := parse.Parse(doc, url, "")
		if err != nil {
			checkSafe(t, "error", err.Error())
			return
		}
		if _, err := store.SaveFeed(ctx, articles.FeedUpdate{URL: url, Title: parsed.Title, Items: parsed.Items, At: now}); err != nil {
			t.Fatalf("save: %v", err)
		}
		page, err := store.Page(ctx, articles.Query{Feeds: []string{url}}, 0, 2000)
		if err != nil {
			t.Fatal(err)
		}
		if want := min(distinctGUIDs(parsed.Items), sqlite.DefaultRetention().MaxPerFeed); page.Total != want {
			t.Errorf("stored %d articles, want %d", page.Total, want)
		}
		for _, row := range page.Rows {
			a, err := store.Article(ctx, row.ID)
			if err != nil {
				t.Fatal(err)
			}
			for name, s := range map[string]string{"title": a.Title, "source": a.Source, "author": a.Author, "link": a.Link, "body": a.Body} {
				checkSafe(t, name, s)
			}
		}
	})
}

func distinctGUIDs(items []articles.Article) int {
	seen := map[string]bool{}
	for _, it := range items {
		seen[it.GUID] = true
	}
	return len(seen)
}

// checkSafe fails if s holds anything a terminal would act on.
func checkSafe(t *testing.T, what, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("%s: invalid UTF-8 in %q", what, s)
	}
	if termsafe.Text(s) != s {
		t.Fatalf("%s: not sanitised: %q", what, s)
	}
}
