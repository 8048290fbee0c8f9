package sqlite

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tidings/articles"
	"tidings/articles/articlestest"
)

// unBodySQL turns a database of the current schema back into one of schema
// 10: no vocabulary or index of pairs (unPairsSQL), the bodies plain, no
// hash, the index's view and triggers of migration 4.
const unBodySQL = unPairsSQL + `DROP TRIGGER articles_fts_delete; DROP TRIGGER articles_fts_update; DROP VIEW articles_search;
UPDATE articles SET body = ` + bodyFunc + `(body);
ALTER TABLE articles DROP COLUMN hash;
CREATE VIEW articles_search (id, title, source, body) AS
	SELECT id, ` + searchTextFunc + `(title), ` + searchTextFunc + `(source), ` + searchTextFunc + `(body) FROM articles;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
	INSERT INTO articles_fts (articles_fts, rowid, title, source, body) VALUES ('delete', OLD.id,
		` + searchTextFunc + `(OLD.title), ` + searchTextFunc + `(OLD.source), ` + searchTextFunc + `(OLD.body));
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, source, body ON articles BEGIN
	INSERT INTO articles_fts (articles_fts, rowid, title, source, body) VALUES ('delete', OLD.id,
		` + searchTextFunc + `(OLD.title), ` + searchTextFunc + `(OLD.source), ` + searchTextFunc + `(OLD.body));
	INSERT INTO articles_fts (rowid, title, source, body) VALUES (NEW.id,
		` + searchTextFunc + `(NEW.title), ` + searchTextFunc + `(NEW.source), ` + searchTextFunc + `(NEW.body));
END;
PRAGMA user_version = 10;`

func unBody(t testing.TB, s *Store) {
	t.Helper()
	if _, err := s.db.Exec(unBodySQL); err != nil {
		t.Fatal(err)
	}
}

func TestBodyCodec(t *testing.T) {
	long := strings.Repeat("The harvest came in early this year, and the market took it well. ", 40)
	for _, body := range []string{"", "short", long, strings.Repeat("é漢😀", 500)} {
		stored := encodeBody(body)
		if got := decodeBody(stored); got != body {
			t.Errorf("decodeBody(encodeBody(%.20q)) = %.20q", body, got)
		}
		if _, plain := stored.(string); plain != (len(body) < minCompress) {
			t.Errorf("%.20q (%d bytes) stored as %T", body, len(body), stored)
		}
	}
	// Damage never fails a read: what is not a frame reads as its bytes.
	bad := append(bytes.Clone(zstdMagic), "not a frame"...)
	if got := decodeBody(bad); got != string(bad) {
		t.Errorf("a damaged frame read as %q", got)
	}
	if got := decodeBody([]byte("plain bytes")); got != "plain bytes" {
		t.Errorf("a blob that is no frame read as %q", got)
	}
	if got := decodeBody(nil); got != "" {
		t.Errorf("NULL read as %q", got)
	}
}

// bodyItems are n articles with bodies long enough to be compressed.
func bodyItems(n int) []articles.Article {
	arts := articlestest.Articles(n, 300)
	for i := range arts {
		arts[i].GUID = fmt.Sprintf("g%d", i)
	}
	return arts
}

func TestBodiesStoredCompressed(t *testing.T) {
	s := openTest(t)
	arts := bodyItems(20)
	save(t, s, "https://a.example/rss", arts...)
	var blobs, n int
	if err := s.db.QueryRow(`SELECT count(*) FILTER (WHERE typeof(body) = 'blob'), count(*) FROM articles`).Scan(&blobs, &n); err != nil {
		t.Fatal(err)
	}
	if blobs != n || n != len(arts) {
		t.Fatalf("%d of %d bodies compressed, want all %d", blobs, n, len(arts))
	}
	checkBodies(t, s, arts)
	if err := s.Check(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// checkBodies checks that every article of arts reads with its body and
// is found by a word of its body.
func checkBodies(t *testing.T, s *Store, arts []articles.Article) {
	t.Helper()
	rows, err := s.db.Query(`SELECT id, guid FROM articles`)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for rows.Next() {
		var id int64
		var guid string
		if err := rows.Scan(&id, &guid); err != nil {
			t.Fatal(err)
		}
		ids[guid] = id
	}
	rows.Close()
	for _, want := range arts {
		got, err := s.Article(t.Context(), fmt.Sprint(ids[want.GUID]))
		if err != nil {
			t.Fatal(err)
		}
		if got.Body != want.Sanitized().Body {
			t.Fatalf("article %s reads with another body", want.GUID)
		}
		word := lastWord(want.Body)
		var found bool
		err = s.db.QueryRow(`SELECT EXISTS (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? AND rowid = ?)`,
			`"`+word+`"`, ids[want.GUID]).Scan(&found)
		if err != nil {
			t.Fatal(err)
		}
		if !found {
			t.Fatalf("article %s not found by %q of its body", want.GUID, word)
		}
	}
}

// lastWord is the last word of letters alone in text, lower case.
func lastWord(text string) string {
	fields := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return r < 'a' || r > 'z' })
	return fields[len(fields)-1]
}

// TestMigrationCompressesBodies upgrades a database of schema 10: its
// bodies are compressed, the index still finds them, and a changed article
// is reindexed from its new text.
func TestMigrationCompressesBodies(t *testing.T) {
	s := openTest(t)
	path := s.path
	arts := bodyItems(30)
	save(t, s, "https://a.example/rss", arts...)
	unBody(t, s)
	var plain int
	if err := s.db.QueryRow(`SELECT count(*) FROM articles WHERE typeof(body) = 'text'`).Scan(&plain); err != nil || plain != len(arts) {
		t.Fatalf("schema 10 has %d plain bodies (%v), want %d", plain, err, len(arts))
	}
	s.Close()
	s, err := Open(t.Context(), path, Options{Retention: DefaultRetention(), Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var blobs int
	if err := s.db.QueryRow(`SELECT count(*) FROM articles WHERE typeof(body) = 'blob'`).Scan(&blobs); err != nil || blobs != len(arts) {
		t.Fatalf("%d bodies compressed (%v), want %d", blobs, err, len(arts))
	}
	if err := s.Check(t.Context()); err != nil {
		t.Fatal(err)
	}
	checkBodies(t, s, arts)
	// Edited upstream: the old words leave the index, the new ones come.
	arts[0].Body = "An entirely new text about zanzibar cloves, long enough to be compressed as any other body of a feed is."
	save(t, s, "https://a.example/rss", arts...)
	checkBodies(t, s, arts)
	if err := s.Check(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestMigrationRollsBackWhole: a migration that fails half-way leaves the
// database as it was, every body readable as before.
func TestMigrationRollsBackWhole(t *testing.T) {
	s := openTest(t)
	path := s.path
	arts := bodyItems(10)
	save(t, s, "https://a.example/rss", arts...)
	unBody(t, s)
	// The migration's ALTER TABLE fails after the bodies are rewritten.
	if _, err := s.db.Exec(`ALTER TABLE articles ADD COLUMN hash INTEGER`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(t.Context(), path, Options{}); err == nil {
		t.Fatal("the migration did not fail")
	}
	s, err := Open(t.Context(), path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var version, plain int
	if err := s.db.QueryRow(`SELECT (SELECT user_version FROM pragma_user_version), count(*) FROM articles WHERE typeof(body) = 'text'`).
		Scan(&version, &plain); err != nil {
		t.Fatal(err)
	}
	if version != 10 || plain != len(arts) {
		t.Fatalf("after a failed migration: schema %d, %d plain bodies; want 10, %d", version, plain, len(arts))
	}
	checkBodies(t, s, arts)
}

// TestUnchangedItemsOnlySeen: a refresh that lists the same items again
// writes only their seen time; a changed one is updated and reindexed.
func TestUnchangedItemsOnlySeen(t *testing.T) {
	s := openTest(t)
	arts := bodyItems(5)
	save(t, s, "https://a.example/rss", arts...)
	// hash NULL (a row from before migration 11) takes the full comparison once.
	if _, err := s.db.Exec(`UPDATE articles SET hash = NULL WHERE guid = 'g1'`); err != nil {
		t.Fatal(err)
	}
	if n := save(t, s, "https://a.example/rss", arts...); n != 0 {
		t.Fatalf("%d new on the second refresh", n)
	}
	var nulls int
	if err := s.db.QueryRow(`SELECT count(*) FROM articles WHERE hash IS NULL`).Scan(&nulls); err != nil || nulls != 0 {
		t.Fatalf("%d rows without a hash (%v)", nulls, err)
	}
	arts[2].Title = "A new title"
	save(t, s, "https://a.example/rss", arts...)
	p := page(t, s, articles.MustParseQuery("title:new"))
	if len(p.Rows) != 1 || p.Rows[0].Title != "A new title" {
		t.Fatalf("the changed title is not found: %v", titles(p))
	}
	checkBodies(t, s, arts)
}

func TestOpenNewDatabaseSettings(t *testing.T) {
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "new.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var mode string
	var pageSize, vacuum int
	err = s.db.QueryRow(`SELECT (SELECT journal_mode FROM pragma_journal_mode), (SELECT page_size FROM pragma_page_size),
		(SELECT auto_vacuum FROM pragma_auto_vacuum)`).Scan(&mode, &pageSize, &vacuum)
	if err != nil || mode != "wal" || pageSize != 4096 || vacuum != 2 {
		t.Fatalf("journal mode %q, page size %d, auto_vacuum %d (%v); want wal, 4096, 2 (incremental)", mode, pageSize, vacuum, err)
	}
}

// TestPhraseInCompressedBody: a phrase is checked in the decoded text of
// a body long enough to be stored compressed, through either index that
// finds its candidates.
func TestPhraseInCompressedBody(t *testing.T) {
	s := openTest(t)
	a := item("1", "Night", time.Hour)
	a.Body = strings.Repeat("The fields were quiet that autumn. ", 10) + "Then came the harvest moon over the hills."
	save(t, s, "https://long.example/feed", a)
	var kind string
	if err := s.db.QueryRow(`SELECT typeof(body) FROM articles`).Scan(&kind); err != nil || kind != "blob" {
		t.Fatalf("the body is stored as %q (%v), want a compressed blob", kind, err)
	}
	for _, noPairs := range []bool{false, true} {
		s.noPairs = noPairs
		for q, want := range map[string]int{`"harvest moon"`: 1, `"moon harvest"`: 0, `night -"quiet that autumn"`: 0} {
			if p := page(t, s, articles.MustParseQuery(q)); p.Total != want {
				t.Errorf("noPairs %v: search %s: %d matches, want %d", noPairs, q, p.Total, want)
			}
		}
	}
}
