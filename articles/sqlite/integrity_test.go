package sqlite

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tidings/articles"
	"tidings/articles/termsafe"
)

// buildStateDB makes a database at path with 400 articles in one feed,
// the oldest two starred and the next five read, and closes it.
func buildStateDB(t *testing.T, path string) {
	t.Helper()
	s, err := Open(t.Context(), path, Options{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	items := make([]articles.Article, 400)
	for i := range items {
		items[i] = item(fmt.Sprint(i), fmt.Sprintf("Story %d", i), time.Duration(400-i)*time.Hour)
		items[i].Body = strings.Repeat("words of the story ", 40)
	}
	save(t, s, "https://a.example/feed", items...)
	p, err := s.Page(t.Context(), articles.Query{}, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(from, to int) (out []string) {
		for _, r := range p.Rows[len(p.Rows)-to : len(p.Rows)-from] {
			out = append(out, r.ID)
		}
		return out
	}
	for _, id := range ids(0, 2) {
		if err := s.SetStarred(t.Context(), id, true); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetRead(t.Context(), ids(2, 7), true); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestTruncatedDatabaseIsSetAside(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tidings.db")
	buildStateDB(t, path)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, st.Size()*6/10); err != nil {
		t.Fatal(err)
	}
	damaged, _ := os.ReadFile(path)

	_, err = Open(t.Context(), path, Options{})
	var ce *CorruptError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "truncated") || !strings.Contains(err.Error(), path) {
		t.Fatalf("Open of a truncated database: %v, want a CorruptError naming it", err)
	}
	s, rec, err := Recover(t.Context(), path, Options{Now: func() time.Time { return t0 }}, err)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if kept, _ := os.ReadFile(rec.MovedTo); !bytes.Equal(kept, damaged) {
		t.Errorf("the damaged file was not kept as it was at %s", rec.MovedTo)
	}
	if !strings.HasPrefix(rec.MovedTo, path+".damaged-20261126-") {
		t.Errorf("moved to %s", rec.MovedTo)
	}
	if msg := rec.String(); !strings.Contains(msg, rec.MovedTo) || !strings.Contains(msg, "truncated") {
		t.Errorf("the message %q does not say what happened and where the file went", msg)
	}
	if err := s.Check(t.Context()); err != nil {
		t.Fatal(err)
	}
	// The oldest articles, the starred and read ones among them, are at
	// the start of the file; the newest were cut off with its end.
	if rec.Starred != 2 || rec.Read != 5 {
		t.Errorf("saved %d starred and %d read, want 2 and 5 (lost: %v)", rec.Starred, rec.Read, rec.Lost)
	}
	p := page(t, s, articles.Query{})
	if p.Total != rec.Articles || rec.Articles+rec.LostArticles != 400 || rec.Articles < 100 {
		t.Errorf("%d articles in the new database; recovered %d, lost %d of 400", p.Total, rec.Articles, rec.LostArticles)
	}
	if p := page(t, s, articles.Query{StarredOnly: true}); p.Total != 2 {
		t.Errorf("%d starred articles in the new database, want 2", p.Total)
	}
	// The feed came across with its state, so the articles it lists again
	// are not new.
	if n := save(t, s, "https://a.example/feed", item("2", "Story 2", 398*time.Hour), item("3", "Story 3", 397*time.Hour)); n != 0 {
		t.Errorf("a refresh added %d recovered articles again", n)
	}
}

func TestGarbageFileIsSetAside(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tidings.db")
	garbage := bytes.Repeat([]byte("not a database at all\n"), 500)
	if err := os.WriteFile(path, garbage, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Open(t.Context(), path, Options{})
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "not an SQLite database") {
		t.Fatalf("Open: %v", err)
	}
	s, rec, err := Recover(t.Context(), path, Options{}, err)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if kept, _ := os.ReadFile(rec.MovedTo); !bytes.Equal(kept, garbage) {
		t.Error("the file was not kept")
	}
	if rec.Lost == nil {
		t.Error("no error reading state from a file that is no database")
	}
	save(t, s, "https://a.example/feed", item("1", "One", 0))
}

// TestDamageFoundInUse damages a page in the middle of a database whose
// header is fine: opening it still works, the full check finds it and
// leaves the marker, and the next start asks for it to be rebuilt.
func TestDamageFoundInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tidings.db")
	buildStateDB(t, path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// A page of the articles' rows, not of the schema, which the writer
	// may have put anywhere.
	at := articlesPage(t, path)
	for i := at; i < at+4096; i++ {
		b[i] = 0xa5
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Open(t.Context(), path, Options{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatalf("Open: %v (the header is fine)", err)
	}
	if !s.QuickCheckDue(t.Context()) {
		t.Error("a check is not due on a database never checked")
	}
	err = s.QuickCheck(t.Context())
	s.Close()
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("QuickCheck: %v, want ErrCorrupt", err)
	}
	if _, err := Open(t.Context(), path, Options{}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("the next Open: %v, want ErrCorrupt from the marker", err)
	}
	s, _, err = Recover(t.Context(), path, Options{}, err)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := os.Stat(damagedPath(path)); !errors.Is(err, os.ErrNotExist) {
		t.Error("the marker outlived the rebuild")
	}
	s, err = Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatalf("Open after the rebuild: %v", err)
	}
	s.Close()
}

func TestQuickCheckOnceADay(t *testing.T) {
	now := t0
	path := filepath.Join(t.TempDir(), "tidings.db")
	s, err := Open(t.Context(), path, Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.QuickCheck(t.Context()); err != nil {
		t.Fatal(err)
	}
	now = now.Add(23 * time.Hour)
	if s.QuickCheckDue(t.Context()) {
		t.Error("due again within a day")
	}
	now = now.Add(2 * time.Hour)
	if !s.QuickCheckDue(t.Context()) {
		t.Error("not due after a day")
	}
}

func TestStateExportImport(t *testing.T) {
	dir := t.TempDir()
	buildStateDB(t, filepath.Join(dir, "old.db"))
	old, err := Open(t.Context(), filepath.Join(dir, "old.db"), Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := old.ExportState(t.Context())
	old.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 7 || !entries[0].Starred || entries[0].Body == "" || entries[6].Body != "" || !entries[6].Read {
		t.Fatalf("exported %+v", entries)
	}

	s := openTest(t)
	// One article is there already, read elsewhere; the rest are not.
	save(t, s, "https://a.example/feed", item("0", "Story 0", 400*time.Hour), item("2", "Story 2", 398*time.Hour))
	n, err := s.ImportState(t.Context(), append(entries, StateEntry{Feed: "", GUID: "x"}))
	if err != nil {
		t.Fatal(err)
	}
	if want := (ImportedState{Applied: 2, Restored: 1, Pending: 4, Skipped: 1}); n != want {
		t.Errorf("import: %+v, want %+v", n, want)
	}
	if p := page(t, s, articles.Query{StarredOnly: true}); p.Total != 2 {
		t.Errorf("%d starred, want 2", p.Total)
	}
	restored, err := s.Article(t.Context(), page(t, s, articles.Query{StarredOnly: true}).Rows[0].ID)
	if err != nil || restored.Title != "Story 1" || !strings.Contains(restored.Body, "words of the story") {
		t.Errorf("restored article %+v, %v", restored, err)
	}
	// Importing again changes nothing; read marks never turn unread.
	if _, err := s.ImportState(t.Context(), entries); err != nil {
		t.Fatal(err)
	}
	if err := s.SetRead(t.Context(), []string{page(t, s, articles.Query{}).Rows[0].ID}, false); err != nil {
		t.Fatal(err)
	}
	save(t, s, "https://a.example/feed", item("3", "Story 3", 397*time.Hour), item("4", "Story 4", 396*time.Hour), item("9", "Story 9", 390*time.Hour))
	p := page(t, s, articles.Query{})
	// Unread: 0 and 1 (starred only), 2 (made unread) and 9 (no mark).
	if p.Total != 6 || p.Unread != 4 {
		t.Errorf("total %d unread %d, want 6 and 4", p.Total, p.Unread)
	}
	if err := s.Check(t.Context()); err != nil {
		t.Error(err)
	}
}

// TestDamagedRowsReadSanitised stores what damage can leave in a row that
// still reads (escape sequences, C1 controls, NUL, invalid UTF-8): the
// article, its list row and its feed come out fit for a terminal.
func TestDamagedRowsReadSanitised(t *testing.T) {
	s := openTest(t)
	save(t, s, "https://a.example/feed", item("1", "One", time.Hour))
	garbage := "ok\x1b]52;c;aGk=\x07\x00\x07\xc2\x9b31m\xff\xfe\x1b[2J end"
	if _, err := s.db.ExecContext(t.Context(), `UPDATE articles SET title = ?1, body = ?1, author = ?1, link = ?1, source = ?1`, garbage); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(t.Context(), `UPDATE feeds SET title = ?1, last_error = ?1`, garbage); err != nil {
		t.Fatal(err)
	}
	p := page(t, s, articles.Query{})
	r := p.Rows[0]
	if r.Title != termsafe.Line(garbage) || r.Source != r.Title {
		t.Errorf("list row %q %q", r.Title, r.Source)
	}
	a, err := s.Article(t.Context(), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a != a.Sanitized() || strings.ContainsAny(a.Body, "\x1b\x00\x07") {
		t.Errorf("article %+v", a)
	}
	feeds, err := s.Feeds(t.Context())
	if err != nil || len(feeds) != 1 || feeds[0].Title != termsafe.Line(garbage) || feeds[0].LastError != feeds[0].Title {
		t.Errorf("feeds %+v, %v", feeds, err)
	}
}

// TestRecoverSanitises rebuilds a database whose rows read but hold what
// damage can leave: controls in every text, a GUID that is only an escape
// sequence, and two feed URLs that are one once cleaned. What comes
// across is clean, and the two feeds are one.
func TestRecoverSanitises(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tidings.db")
	s, err := Open(t.Context(), path, Options{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	save(t, s, "https://a.example/feed", item("1", "One", time.Hour), item("2", "Two", 2*time.Hour))
	save(t, s, "https://b.example/feed", item("3", "Three", 3*time.Hour))
	const garbage = "\x1b]52;c;aGk=\x07\x9b\x00x\xff"
	for _, q := range []string{
		`UPDATE articles SET title = title || ?1, body = body || ?1, author = ?1, link = ?1, source = ?1`,
		`UPDATE articles SET guid = ?1 WHERE guid = '2'`,
		`UPDATE feeds SET title = ?1, last_error = ?1, etag = '"e' || ?1 || '"'`,
		`UPDATE feeds SET url = 'https://a.example/feed' || char(27, 91, 48, 109) WHERE url = 'https://b.example/feed'`,
	} {
		if _, err := s.db.ExecContext(t.Context(), q, garbage); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s, rec, err := Recover(t.Context(), path, Options{Now: func() time.Time { return t0 }}, &CorruptError{path, "test"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if rec.Feeds != 1 || rec.Articles != 3 {
		t.Errorf("recovered %d feeds and %d articles, want 1 and 3: %s", rec.Feeds, rec.Articles, rec)
	}
	rows, err := s.db.QueryContext(t.Context(), `SELECT guid || title || body || author || link || source FROM articles
		UNION ALL SELECT url || title || last_error || etag FROM feeds`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var text string
		if err := rows.Scan(&text); err != nil {
			t.Fatal(err)
		}
		if termsafe.Text(text) != text {
			t.Errorf("stored after the rebuild: %q", text)
		}
	}
}

// articlesPage is the offset in the database at path of the middle page
// of the articles table.
func articlesPage(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var pages []int
	rows, err := db.Query(`SELECT pageno FROM dbstat WHERE name = 'articles' ORDER BY pageno`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var p int
		if err := rows.Scan(&p); err != nil {
			t.Fatal(err)
		}
		pages = append(pages, p)
	}
	if len(pages) < 3 {
		t.Fatalf("the articles fill %d pages, too few to damage one in the middle", len(pages))
	}
	return (pages[len(pages)/2] - 1) * 4096
}
