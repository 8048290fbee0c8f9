package sqlite

import (
	"os"
	"testing"
	"time"
)

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	var n int64
	for _, p := range []string{path, path + "-wal"} {
		if fi, err := os.Stat(p); err == nil {
			n += fi.Size()
		}
	}
	return n
}

func pragma(t *testing.T, s *Store, name string) int64 {
	t.Helper()
	var v int64
	if err := s.db.QueryRow(`SELECT * FROM pragma_` + name).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestCompact: many free pages are given back, a few are left for the
// next refresh; removing a feed compacts.
func TestCompact(t *testing.T) {
	s := openTest(t)
	save(t, s, "https://small.example/rss", bodyItems(20)...)
	// Pages freed by a deletion (articles freed are reused at once by the
	// index's record of what was deleted: a table of its own frees them).
	for _, q := range []string{`CREATE TABLE junk (b)`, `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) INSERT INTO junk SELECT randomblob(8000) FROM n`,
		`DELETE FROM junk`} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	before, free := pragma(t, s, "page_count"), pragma(t, s, "freelist_count")
	if free*compactShare < before {
		t.Fatalf("the test frees too little: %d pages of %d", free, before)
	}
	if err := s.compact(t.Context()); err != nil {
		t.Fatal(err)
	}
	if after := pragma(t, s, "page_count"); pragma(t, s, "freelist_count") != 0 || after > before-free {
		t.Fatalf("compacted: %d pages of %d, %d free; want %d", after, before, pragma(t, s, "freelist_count"), before-free)
	}
	save(t, s, "https://big.example/rss", bodyItems(600)...)
	if _, err := s.RemoveFeed(t.Context(), "https://big.example/rss"); err != nil {
		t.Fatal(err)
	}
	if free, pages := pragma(t, s, "freelist_count"), pragma(t, s, "page_count"); free >= compactMin && free*compactShare >= pages {
		t.Fatalf("a removed feed left %d free pages of %d", free, pages)
	}
	if err := s.Check(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestMigrationCompactsFile: a database of schema 10, without
// auto_vacuum, is compressed, switched to incremental auto_vacuum and
// shrunk by the upgrade, with no free page left.
func TestMigrationCompactsFile(t *testing.T) {
	s := openTest(t)
	path := s.path
	arts := bodyItems(400)
	save(t, s, "https://a.example/rss", arts...)
	unBody(t, s)
	for _, q := range []string{`PRAGMA auto_vacuum = NONE`, `VACUUM`, `PRAGMA wal_checkpoint(TRUNCATE)`} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if pragma(t, s, "auto_vacuum") != 0 {
		t.Fatal("auto_vacuum still on")
	}
	s.Close()
	before := fileSize(t, path)
	s, err := Open(t.Context(), path, Options{Retention: DefaultRetention(), Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	after := fileSize(t, path)
	if pragma(t, s, "auto_vacuum") != 2 || pragma(t, s, "freelist_count") != 0 || after >= before {
		t.Fatalf("after the upgrade: auto_vacuum %d, %d bytes of %d", pragma(t, s, "auto_vacuum"), after, before)
	}
	checkBodies(t, s, arts)
	t.Logf("schema 10: %d bytes; 11: %d", before, after)
}
