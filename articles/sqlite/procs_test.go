package sqlite

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"tidings/articles"
)

func openAt(t *testing.T, path string, o Options) *Store {
	t.Helper()
	o.Now = func() time.Time { return t0 }
	s, err := Open(t.Context(), path, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestManyWritersOneRefresh: two stores have the same database open to
// write at once, and the marks of both are kept; only the refresh lock is
// exclusive, and a second refresh is told which process runs the first.
func TestManyWritersOneRefresh(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	a := openAt(t, path, Options{})
	save(t, a, "https://a.example", item("1", "One", 0), item("2", "Two", time.Hour))
	b := openAt(t, path, Options{})
	rows := page(t, b, articles.Query{}).Rows
	if err := a.SetStarred(t.Context(), rows[0].ID, true); err != nil {
		t.Fatalf("a marks: %v", err)
	}
	if err := b.SetRead(t.Context(), []string{rows[1].ID}, true); err != nil {
		t.Fatalf("b marks: %v", err)
	}
	for _, s := range []*Store{a, b} {
		got := page(t, s, articles.Query{}).Rows
		if !got[0].Starred || !got[1].Read {
			t.Errorf("a mark was lost: %+v", got)
		}
	}

	release, err := a.LockRefresh()
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.LockRefresh()
	var busy *RefreshingError
	if !errors.As(err, &busy) || busy.PID != os.Getpid() || !errors.Is(err, ErrLocked) {
		t.Fatalf("second refresh: %v, want a RefreshingError naming process %d", err, os.Getpid())
	}
	want := fmt.Sprintf("a refresh is already running (process %d); its articles will appear", os.Getpid())
	if err.Error() != want {
		t.Errorf("second refresh says %q, want %q", err, want)
	}
	if _, err := a.LockRefresh(); !errors.Is(err, ErrRefreshing) {
		t.Errorf("a second refresh in the same store: %v", err)
	}
	// A store opened during the refresh reads and writes.
	c := openAt(t, path, Options{})
	if err := c.SetStarred(t.Context(), rows[1].ID, true); err != nil {
		t.Errorf("marking during a refresh: %v", err)
	}
	release()
	release() // harmless
	rel, err := b.LockRefresh()
	if err != nil {
		t.Fatalf("refresh after the first ended: %v", err)
	}
	rel()
}

// TestUpgradeWaitsForTheRefresh: a database of an older schema opened to
// write while another tidings holds the lock is not migrated under it.
func TestUpgradeWaitsForTheRefresh(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	a := openAt(t, path, Options{})
	save(t, a, "https://a.example", item("1", "One", 0))
	a.db.Exec(`PRAGMA user_version = 1`)
	release, err := a.LockRefresh()
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	_, err = Open(t.Context(), path, Options{})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("open of an old schema during a refresh: %v, want ErrLocked", err)
	}
	var v int
	a.db.QueryRow(`PRAGMA user_version`).Scan(&v)
	if v != 1 {
		t.Errorf("schema migrated to %d under the refresh", v)
	}
}

// TestMarkRetriedWhileBusy: a mark made while another connection holds a
// write transaction past the busy timeout is tried again, not lost.
func TestMarkRetriedWhileBusy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "busy.db")
	a := openAt(t, path, Options{})
	save(t, a, "https://a.example", item("1", "One", 0), item("2", "Two", time.Hour))
	b := openAt(t, path, Options{BusyTimeout: 10 * time.Millisecond})
	rows := page(t, b, articles.Query{}).Rows
	marks := map[string]func() error{
		"star":          func() error { return b.SetStarred(t.Context(), rows[0].ID, true) },
		"read":          func() error { return b.SetRead(t.Context(), []string{rows[1].ID}, true) },
		"mark all read": func() error { _, err := b.MarkAllRead(t.Context(), articles.Query{}); return err },
	}
	for name, mark := range marks {
		tx, err := a.db.BeginTx(t.Context(), nil) // immediate: holds the write lock
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(`UPDATE feeds SET title = title`); err != nil {
			t.Fatal(err)
		}
		var once sync.Once
		b.onBusy = func(int) { once.Do(func() { tx.Commit() }) }
		if err := mark(); err != nil {
			t.Errorf("%s while another writes: %v", name, err)
		}
		once.Do(func() { tx.Rollback() })
	}
	got := page(t, a, articles.Query{}).Rows
	if !got[0].Starred || !got[0].Read || !got[1].Read {
		t.Errorf("marks lost: %+v", got)
	}
}

// TestQuickCheckNotTwiceAtOnce: while another process holds the lock, the
// daily check is left for later instead of running beside it.
func TestQuickCheckNotTwiceAtOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "check.db")
	a := openAt(t, path, Options{})
	b := openAt(t, path, Options{})
	other, err := acquireLock(path) // as another process would
	if err != nil {
		t.Fatal(err)
	}
	if err := b.QuickCheck(t.Context()); err != nil {
		t.Fatal(err)
	}
	if !b.QuickCheckDue(t.Context()) {
		t.Error("the check ran while another process held the lock")
	}
	other.release()
	// The store's own refresh does not stop its check.
	release, err := a.LockRefresh()
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if err := a.QuickCheck(t.Context()); err != nil || a.QuickCheckDue(t.Context()) {
		t.Errorf("check during the store's own refresh: %v, due %v", err, a.QuickCheckDue(t.Context()))
	}
}

// TestWatcherSeesOtherWrites: the watcher reports a change another store
// made, and nothing when nothing changed.
func TestWatcherSeesOtherWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "watch.db")
	a := openAt(t, path, Options{})
	b := openAt(t, path, Options{})
	w, err := a.Watch(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if changed, err := w.Changed(t.Context()); err != nil || changed {
		t.Fatalf("changed %v (%v) with no write", changed, err)
	}
	save(t, b, "https://b.example", item("1", "One", 0))
	if changed, err := w.Changed(t.Context()); err != nil || !changed {
		t.Fatalf("changed %v (%v) after another store wrote", changed, err)
	}
	if changed, _ := w.Changed(t.Context()); changed {
		t.Error("changed twice for one write")
	}
	if _, err := (&Store{path: ":memory:"}).Watch(t.Context()); err == nil {
		t.Error("watching a database in memory")
	}
}

// TestNoRebuildUnderAnotherProcess: a database found damaged is not moved
// aside while another store still has it open to write (its writes would
// go to the moved file and be lost); once it is closed, the rebuild runs.
func TestNoRebuildUnderAnotherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "damaged.db")
	a, err := Open(t.Context(), path, Options{Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	save(t, a, "https://a.example", item("1", "One", 0))
	markDamaged(path, "test")
	_, err = Open(t.Context(), path, Options{})
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("open of a database marked damaged: %v", err)
	}
	if _, _, err := Recover(t.Context(), path, Options{}, err); !errors.Is(err, ErrLocked) {
		t.Fatalf("rebuild while another store has it open: %v, want ErrLocked", err)
	}
	if matches, _ := filepath.Glob(path + ".damaged-*"); len(matches) > 0 {
		t.Errorf("the files were moved: %v", matches)
	}
	if err := a.SetRead(t.Context(), []string{page(t, a, articles.Query{}).Rows[0].ID}, true); err != nil {
		t.Errorf("the other store writes: %v", err)
	}
	a.Close()
	s, rec, err := Recover(t.Context(), path, Options{}, &CorruptError{path, "test"})
	if err != nil || rec.MovedTo == "" {
		t.Fatalf("rebuild once alone: %v, %+v", err, rec)
	}
	defer s.Close()
	if p := page(t, s, articles.Query{}); p.Total != 1 || !p.Rows[0].Read {
		t.Errorf("rebuilt: %+v", p.Rows)
	}
}

// BenchmarkWatcherUnchanged is what the reader pays each second while
// nothing changes.
func BenchmarkWatcherUnchanged(b *testing.B) {
	s, err := Open(b.Context(), filepath.Join(b.TempDir(), "watch.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	w, err := s.Watch(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if changed, err := w.Changed(b.Context()); err != nil || changed {
			b.Fatal(changed, err)
		}
	}
}
