package sqlite_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"tidings/articles"
	"tidings/articles/articlestest"
	"tidings/articles/sqlite"
	"tidings/articles/sqlite/sqlitetest"
	"tidings/articles/termsafe"
)

// firstFeed is the URL of sqlitetest.Populate's first feed.
const firstFeed = "https://feed000.example/rss"

// damagedDB builds a database of feeds × perFeed articles, every 40th
// starred and every 3rd read, and writes 4 KB of random bytes (a fixed
// seed) over the middle of its articles table: where the row of the
// middle article is. It returns the number of starred and read articles.
func damagedDB(t testing.TB, path string, feeds, perFeed int) (starred, read int) {
	t.Helper()
	ctx := t.Context()
	if err := sqlitetest.Populate(path, feeds, perFeed); err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The first feed's last fetch answered 304 with validators, which the
	// next fetch sends back.
	if _, err := s.SaveFeed(ctx, articles.FeedUpdate{URL: firstFeed, NotModified: true, ETag: `"v7"`,
		LastModified: "Thu, 26 Nov 2026 11:00:00 GMT", At: articlestest.Epoch}); err != nil {
		t.Fatal(err)
	}
	var readIDs []string
	for id := 1; id <= feeds*perFeed; id++ {
		if id%40 == 0 {
			starred++
			if err := s.SetStarred(ctx, strconv.Itoa(id), true); err != nil {
				t.Fatal(err)
			}
		}
		if id%3 == 0 {
			readIDs = append(readIDs, strconv.Itoa(id))
		}
	}
	if err := s.SetRead(ctx, readIDs, true); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Populate stores each feed oldest first: the middle article's link.
	at := bytes.Index(b, fmt.Appendf(nil, "https://news.example/%d\x00", feeds*perFeed/2))
	if at < 0 {
		at = bytes.Index(b, fmt.Appendf(nil, "https://news.example/%d", feeds*perFeed/2))
	}
	if at < 0 {
		t.Fatal("the middle article is not in the file")
	}
	rng := rand.New(rand.NewPCG(9, 9))
	for i := max(at-2048, 0); i < at+2048 && i < len(b); i++ {
		b[i] = byte(rng.UintN(256))
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return starred, len(readIDs)
}

// TestRecoverSalvagesEveryReadableArticle damages 4 KB in the middle of a
// database of 2,000 articles: the rebuild keeps every article that can
// still be read, with its body and state, indexed for search, and nothing
// it brings across carries a control character.
func TestRecoverSalvagesEveryReadableArticle(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "tidings.db")
	const total = 2000
	starred, read := damagedDB(t, path, 20, total/20)

	s, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err == nil {
		err = s.QuickCheck(ctx)
		s.Close()
	}
	if !errors.Is(err, sqlite.ErrCorrupt) {
		t.Fatalf("the damage was not found: %v", err)
	}
	s, rec, err := sqlite.Recover(ctx, path, sqlite.Options{}, err)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p, err := s.Page(ctx, articles.Query{}, 0, total)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d of %d articles recovered (last read error: %v); %s", p.Total, total, rec.Lost, rec)
	if p.Total < total-20 || rec.Articles != p.Total || rec.LostArticles != total-p.Total {
		t.Errorf("%d articles after the rebuild (recovery says %d recovered, %d lost), want all but a few of %d",
			p.Total, rec.Articles, rec.LostArticles, total)
	}
	if rec.Starred < starred-2 || rec.Read < read-20 {
		t.Errorf("recovered %d starred and %d read, want about %d and %d", rec.Starred, rec.Read, starred, read)
	}
	if got := p.Total - p.Unread; got != rec.Read {
		t.Errorf("%d read in the new database, the recovery says %d", got, rec.Read)
	}
	for _, want := range []string{"recovered", "lost", rec.MovedTo} {
		if !strings.Contains(rec.String(), want) {
			t.Errorf("the message %q does not say %q", rec, want)
		}
	}
	feeds, err := s.Feeds(ctx)
	if err != nil || len(feeds) != 20 || rec.Feeds != 20 {
		t.Fatalf("%d feeds after the rebuild (recovery says %d), want 20: %v", len(feeds), rec.Feeds, err)
	}
	if f := feeds[0]; f.URL != firstFeed || f.ETag != `"v7"` || f.LastModified == "" || f.LastOK.IsZero() {
		t.Errorf("the first feed lost its fetch state: %+v", f)
	}
	if matches, _ := filepath.Glob(path + ".damaged-*"); len(matches) != 1 {
		t.Errorf("beside the rebuilt database: %v, want the damaged file alone", matches)
	}
	checkRecovered(t, s, p.Rows)
	if err := s.Check(ctx); err != nil {
		t.Error(err)
	}
}

// checkRecovered reads back every recovered article: each has its body,
// is found by a search for its title, and carries no control character.
func checkRecovered(t *testing.T, s *sqlite.Store, rows []articles.Row) {
	t.Helper()
	ctx := t.Context()
	dirty, unfound := 0, 0
	for i, r := range rows {
		a, err := s.Article(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a.Body == "" || a.Feed == "" || a.GUID == "" {
			t.Errorf("article %s came back without its body, feed or GUID: %+v", r.ID, a)
		}
		if a != a.Sanitized() || termsafe.Line(r.Title) != r.Title {
			dirty++
		}
		if i%50 == 0 && !found(ctx, s, a) {
			unfound++
		}
	}
	if dirty > 0 {
		t.Errorf("%d recovered articles carry control characters or invalid UTF-8", dirty)
	}
	if unfound > 0 {
		t.Errorf("%d recovered articles of %d sampled are not found by a search for their title", unfound, len(rows)/50+1)
	}
}

func found(ctx context.Context, s *sqlite.Store, a articles.Article) bool {
	p, err := s.Page(ctx, articles.MustParseQuery(a.Title), 0, 1000)
	if err != nil {
		return false
	}
	for _, r := range p.Rows {
		if r.ID == a.ID {
			return true
		}
	}
	return false
}
