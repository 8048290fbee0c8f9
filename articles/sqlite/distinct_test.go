package sqlite

import (
	"database/sql"
	"database/sql/driver"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	sqlite3 "modernc.org/sqlite"

	"tidings/articles"
	"tidings/articles/articlestest"
)

// unDistinctSQL takes a store back to schema 13: the words index reads
// every word of the text, the index of pairs every pair, both rebuilt.
const unDistinctSQL = `DROP TRIGGER articles_fts_delete; DROP TRIGGER articles_fts_update; DROP VIEW articles_search;
CREATE VIEW articles_search (id, title, source, body) AS
	SELECT id, ` + searchTextFunc + `(title), ` + searchTextFunc + `(source), ` + searchTextFunc + `(` + bodyFunc + `(body)) FROM articles;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
	INSERT INTO articles_fts (articles_fts, rowid, title, source, body) VALUES ('delete', OLD.id,
		` + searchTextFunc + `(OLD.title), ` + searchTextFunc + `(OLD.source), ` + searchTextFunc + `(` + bodyFunc + `(OLD.body)));
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, source, body ON articles BEGIN
	INSERT INTO articles_fts (articles_fts, rowid, title, source, body) VALUES ('delete', OLD.id,
		` + searchTextFunc + `(OLD.title), ` + searchTextFunc + `(OLD.source), ` + searchTextFunc + `(` + bodyFunc + `(OLD.body)));
	INSERT INTO articles_fts (rowid, title, source, body) VALUES (NEW.id,
		` + searchTextFunc + `(NEW.title), ` + searchTextFunc + `(NEW.source), ` + searchTextFunc + `(` + bodyFunc + `(NEW.body)));
END;
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
DROP VIEW articles_pairs_src;
CREATE VIEW articles_pairs_src (id, pairs) AS
	SELECT id, ` + pairsAllFunc + `(title, source, body) FROM articles_search;
INSERT INTO articles_pairs (articles_pairs) VALUES ('rebuild');
PRAGMA user_version = 13;
`

// pairsAllFunc is the text of the index of pairs of schemas 12 and 13:
// every pair of adjacent words, repeats too, as oldPairToken.
const pairsAllFunc = "tidings_test_pairs_all"

func init() {
	sqlite3.MustRegisterDeterministicScalarFunction(pairsAllFunc, 3, func(_ *sqlite3.FunctionContext, args []driver.Value) (driver.Value, error) {
		var b []string
		for _, v := range args {
			ws := articles.Words(sqlText(v))
			for i := 1; i < len(ws); i++ {
				b = append(b, oldPairToken(articles.Fold(ws[i-1]), articles.Fold(ws[i])))
			}
		}
		return strings.Join(b, " "), nil
	})
}

// TestIndexTextSameTokens: the words index holds the same tokens for a
// text and for indexText of it, checked with the index's own tokenizer.
func TestIndexTextSameTokens(t *testing.T) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, table := range []string{"plain", "deduped"} {
		if _, err := db.Exec(`CREATE VIRTUAL TABLE ` + table + ` USING fts5 (x,
			tokenize = "unicode61 remove_diacritics 2 categories 'L* Nd Mn So'", detail = none);
			CREATE VIRTUAL TABLE ` + table + `_vocab USING fts5vocab (` + table + `, 'row');`); err != nil {
			t.Fatal(err)
		}
	}
	texts := []string{
		"The harvest, the HARVEST and the harvest's end: harvest-time (harvest).",
		"Café CAFÉ cafe Straße STRASSE ǅemal ǆemal İstanbul",
		"北京trade market北京 北京 🚀 launch 🚀🚀 ①② x² a_b a-b a.b $5 5$ <b>bold</b>",
		"don't dont don t 3.14 3,14 314 e=mc^2 ~tilde~ `code` |pipe| \"quoted\"",
		"  leading and trailing  \t\n",
		"",
		"ÀÉÎÕÜ àéîõü aeiou AEIOU",
		"x\u0301 x\u0301y x y\u200bz",
	}
	for i, text := range texts {
		st := articles.SearchText(text)
		for table, x := range map[string]string{"plain": st, "deduped": indexText(st)} {
			if _, err := db.Exec(`INSERT INTO `+table+` (rowid, x) VALUES (?, ?)`, i+1, x); err != nil {
				t.Fatal(err)
			}
		}
		want, got := vocabTerms(t, db, "plain_vocab"), vocabTerms(t, db, "deduped_vocab")
		if !slices.Equal(got, want) {
			t.Errorf("%q: indexText %q gives the tokens %q, the text %q", text, indexText(st), got, want)
		}
	}
	if got, want := indexText("The cat, the CAT; the dog."), "the cat dog"; got != want {
		t.Errorf("indexText: %q, want %q", got, want)
	}
}

func vocabTerms(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	rows, err := db.Query(`SELECT term || ':' || doc FROM ` + table + ` ORDER BY term`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var terms []string
	for rows.Next() {
		var term string
		if err := rows.Scan(&term); err != nil {
			t.Fatal(err)
		}
		terms = append(terms, term)
	}
	return terms
}

// TestUpgradeToDistinct takes a store back to schema 13 and reads it as
// it is (read-only: the pairs of short words), then upgrades it: both
// indexes pass their own checks and every search finds what it did.
func TestUpgradeToDistinct(t *testing.T) {
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
	words := []string{"trade", "market", "cafe", "bank", "england", "the", "govern", "minist", "北京", "🚀"}
	before := searchTitles(t, s, words)
	if _, err := s.db.Exec(unDistinctSQL); err != nil {
		t.Fatal(err)
	}
	s.Close()

	ro, err := Open(t.Context(), path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if !ro.allPairs {
		t.Error("a read-only store of schema 13 looks for the pairs of long words only")
	}
	checkPhrases(t, ro, "read-only, schema 13")
	ro.Close()

	s, err = Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, index := range []string{"articles_fts", "articles_pairs"} {
		if _, err := s.db.Exec(`INSERT INTO ` + index + ` (` + index + `, rank) VALUES ('integrity-check', 1)`); err != nil {
			t.Errorf("%s after the upgrade: %v", index, err)
		}
	}
	checkPhrases(t, s, "upgraded to distinct")
	if after := searchTitles(t, s, words); !slices.Equal(after, before) {
		t.Errorf("searches after the upgrade:\n%q\nbefore:\n%q", after, before)
	}
}

// searchTitles is what a search of each of words finds in s, the titles
// of a search on one line.
func searchTitles(t *testing.T, s *Store, words []string) []string {
	t.Helper()
	var out []string
	for _, w := range words {
		got := titles(page(t, s, articles.MustParseQuery(w)))
		slices.Sort(got)
		out = append(out, w+": "+strings.Join(got, ", "))
	}
	return out
}
