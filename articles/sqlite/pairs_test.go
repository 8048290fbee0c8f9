package sqlite

import (
	"database/sql/driver"
	"hash/fnv"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"tidings/articles"
	"tidings/articles/articlestest"
)

// unPairsSQL takes a store back to schema 11, before the index of word
// pairs (and the vocabulary after it), by way of schema 13 (unDistinctSQL).
const unPairsSQL = unDistinctSQL + `DROP TABLE articles_fts_vocab; DROP TABLE articles_fields_vocab;
DROP TRIGGER articles_pairs_delete; DROP TRIGGER articles_pairs_unindex;
DROP TRIGGER articles_pairs_reindex; DROP TABLE articles_pairs; DROP VIEW articles_pairs_src;
PRAGMA user_version = 11;
`

// pairsItems hold phrases as the matcher finds them (across punctuation
// and case, with diacritics) and near misses (a phrase across two fields,
// the words apart or the other way round).
var pairsItems = []articles.Article{
	{GUID: "1", Title: "Trade, market and more", Body: "nothing"},
	{GUID: "2", Title: "Quiet day", Body: "The TRADE MARKET opened"},
	{GUID: "3", Title: "Ends with trade", Body: "Market news"},
	{GUID: "4", Title: "Market trade", Body: "trade the market"},
	{GUID: "5", Title: "Café société", Source: "Cafe Societe Weekly", Body: "x"},
	{GUID: "6", Title: "北京trade market北京", Body: "🚀 trade market 🚀"},
	{GUID: "7", Title: "Minister talks", Body: "the government minister talks today"},
	{GUID: "8", Title: "Government talks", Body: "government minister, talks"},
	{GUID: "9", Title: "Bank of England", Body: "the bank of england said"},
	{GUID: "10", Title: "Bank England", Body: "bank, england"},
	{GUID: "11", Title: "Letters", Body: "from the bank to england"},
}

var pairsPhrases = []string{
	`"trade market"`, `"market trade"`, `"cafe societe"`, `"café société"`, `"government minister talks"`,
	`"minister talks"`, `"trade the market"`, `"trade market" -"market trade"`, `"trade market" market`,
	`-"trade market"`, `"trade market" OR "minister talks"`, `"with trade market"`,
	`"bank of england"`, `"bank to england"`, `"of england"`, `"to england"`, `"bank england"`,
}

// phraseWant is what the Go matcher selects of the stored articles.
func phraseWant(t *testing.T, s *Store, query string) []string {
	t.Helper()
	q := articles.MustParseQuery(query)
	var want []string
	for i, a := range pairsItems {
		a.Feed = "https://x.example/rss"
		if a.GUID == "2" && s.path != "" && updatedBody(t, s) {
			a.Body = pairsUpdated
		}
		if q.MatchesArticle(a, "", articlestest.Epoch) {
			want = append(want, pairsItems[i].Title)
		}
	}
	slices.Sort(want)
	return want
}

const pairsUpdated = "no longer about that market"

func updatedBody(t *testing.T, s *Store) bool {
	t.Helper()
	var body string
	if err := s.db.QueryRow(`SELECT body FROM articles WHERE guid = '2'`).Scan(&body); err != nil {
		t.Fatal(err)
	}
	return body == pairsUpdated
}

func checkPhrases(t *testing.T, s *Store, when string) {
	t.Helper()
	for _, query := range pairsPhrases {
		got := titles(page(t, s, articles.MustParseQuery(query)))
		slices.Sort(got)
		if want := phraseWant(t, s, query); !slices.Equal(got, want) {
			t.Errorf("%s: %s = %q, want %q", when, query, got, want)
		}
	}
}

// TestPhrasePairs checks phrases found through the index of word pairs
// against the Go matcher, after a write, a change of a body (the index
// follows it) and an upgrade from the schema before the index.
func TestPhrasePairs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tidings.db")
	s, err := Open(t.Context(), path, Options{Now: func() time.Time { return articlestest.Epoch }})
	if err != nil {
		t.Fatal(err)
	}
	items := slices.Clone(pairsItems)
	for i := range items {
		items[i].Published = articlestest.Epoch.Add(-time.Duration(i) * time.Hour)
	}
	if _, err := s.SaveFeed(t.Context(), articles.FeedUpdate{URL: "https://x.example/rss", Items: items, At: articlestest.Epoch}); err != nil {
		t.Fatal(err)
	}
	checkPhrases(t, s, "written")
	if _, err := s.db.Exec(`UPDATE articles SET body = ? WHERE guid = '2'`, pairsUpdated); err != nil {
		t.Fatal(err)
	}
	checkPhrases(t, s, "changed")
	if _, err := s.db.Exec(`INSERT INTO articles_pairs (articles_pairs, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Fatalf("index of pairs after a change: %v", err)
	}
	if _, err := s.db.Exec(unPairsSQL); err != nil {
		t.Fatal(err)
	}
	s.Close()

	ro, err := Open(t.Context(), path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if !ro.noPairs {
		t.Error("a read-only store of schema 11 uses the index of pairs")
	}
	checkPhrases(t, ro, "read-only, schema 11")
	ro.Close()

	s, err = Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkPhrases(t, s, "upgraded")
	if _, err := s.db.Exec(`DELETE FROM articles WHERE guid IN ('1', '7')`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`INSERT INTO articles_pairs (articles_pairs, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Fatalf("index of pairs after deletes: %v", err)
	}
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM articles_pairs WHERE articles_pairs MATCH ?`, pairToken("trade", "market")).Scan(&n); err != nil || n != 1 {
		t.Errorf("articles holding the pair trade market: %d, %v; want 1 (the sixth: the first is gone, the second changed)", n, err)
	}
}

// TestPairsExpr: the phrases the index of pairs can find, and those it
// leaves to the words index.
func TestPairsExpr(t *testing.T) {
	s := &Store{}
	for _, c := range []struct {
		words []string
		ok    bool
	}{
		{[]string{"trade", "market"}, true},
		{[]string{"café", "société"}, true},
		{[]string{"trade"}, false},
		{[]string{"北京", "trade"}, false},
		{[]string{"🚀", "launch"}, false},
		{[]string{"u.s.", "trade"}, false},
		{[]string{"of", "the"}, false},
		{[]string{"of", "england"}, false},
	} {
		x, ok := s.pairsExpr(c.words)
		if ok != c.ok {
			t.Errorf("%q: %q, %v; want ok %v", c.words, x, ok, c.ok)
		}
	}
	for _, c := range []struct {
		store *Store
		words []string
		want  string
	}{
		{s, []string{"café", "société", "x"}, pairToken("cafe", "societe")},
		{s, []string{"bank", "of", "england"}, pairToken("bank", "england")},
		// A store of an older schema holds the pairs of short words too.
		{&Store{allPairs: true}, []string{"café", "société", "x"}, oldPairToken("cafe", "societe") + " " + oldPairToken("societe", "x")},
		{&Store{allPairs: true}, []string{"bank", "of", "england"}, oldPairToken("bank", "of") + " " + oldPairToken("of", "england")},
	} {
		if x, _ := c.store.pairsExpr(c.words); x != c.want {
			t.Errorf("%q (all pairs %v): %q, want %q", c.words, c.store.allPairs, x, c.want)
		}
	}
}

// TestPairToken: the token's hash is FNV-1a, written out, and each
// bucket has a token of its own.
func TestPairToken(t *testing.T) {
	h := fnv.New32a()
	h.Write([]byte("trade\x00market"))
	bucket := h.Sum32() % pairBuckets
	if got, want := pairBucket("trade", "market"), bucket; got != want {
		t.Errorf("pairBucket = %d, want %d", got, want)
	}
	if got, want := oldPairToken("trade", "market"), "p"+strconv.FormatUint(uint64(bucket), 36); got != want {
		t.Errorf("oldPairToken = %q, want %q", got, want)
	}
	seen := make(map[string]bool, pairBuckets)
	for b := range uint32(pairBuckets) {
		tok := string(appendBucket(nil, b))
		if want := "p" + strconv.FormatUint(uint64(b*0x9e3779b1), 36); tok != want {
			t.Fatalf("bucket %d: token %q, want %q as strconv writes it", b, tok, want)
		}
		if seen[tok] {
			t.Fatalf("bucket %d: token %q taken", b, tok)
		}
		seen[tok] = true
	}
}

// BenchmarkPairsText makes the index of pairs' text of a title, a source
// and a body of 3 KB, as the writer does for each new article.
func BenchmarkPairsText(b *testing.B) {
	args := []driver.Value{"Trade talks stall as harvest forecasts fall", "Example News", articlestest.Body(3000)}
	for b.Loop() {
		if _, err := pairsText(nil, args); err != nil {
			b.Fatal(err)
		}
	}
}
