package images

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestCacheRoundTrip(t *testing.T) {
	c := Cache{Dir: filepath.Join(t.TempDir(), "images")} // made on first use
	if _, ok, err := c.Get("https://a.example/1.png"); ok || err != nil {
		t.Fatalf("empty cache: ok %v, %v", ok, err)
	}
	data := []byte("picture bytes")
	if err := c.Put("https://a.example/1.png", data); err != nil {
		t.Fatal(err)
	}
	got, ok, err := c.Get("https://a.example/1.png")
	if !ok || err != nil || !bytes.Equal(got, data) {
		t.Errorf("Get = %q, %v, %v; want %q", got, ok, err, data)
	}
	if _, ok, _ := c.Get("https://a.example/2.png"); ok {
		t.Error("another URL found the first's bytes")
	}
}

// age sets the last use of url's entry to d ago.
func age(t *testing.T, c Cache, url string, d time.Duration) {
	t.Helper()
	when := time.Now().Add(-d)
	if err := os.Chtimes(filepath.Join(c.Dir, key(url)), when, when); err != nil {
		t.Fatal(err)
	}
}

func TestCacheEvictsLeastRecentlyUsed(t *testing.T) {
	c := Cache{Dir: t.TempDir(), MaxBytes: 3000}
	kb := bytes.Repeat([]byte{'x'}, 1000)
	for i := range 3 {
		url := fmt.Sprintf("https://a.example/%d", i)
		if err := c.Put(url, kb); err != nil {
			t.Fatal(err)
		}
		age(t, c, url, time.Duration(10-i)*time.Hour) // 0 oldest, 2 newest
	}
	// Reading 0 makes it the most recently used: 1 is now the oldest.
	if _, ok, _ := c.Get("https://a.example/0"); !ok {
		t.Fatal("entry 0 missing before eviction")
	}
	if err := c.Put("https://a.example/3", kb); err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, false, true, true} {
		if _, ok, _ := c.Get(fmt.Sprintf("https://a.example/%d", i)); ok != want {
			t.Errorf("entry %d kept %v, want %v", i, ok, want)
		}
	}
	// Larger than the whole cache: not kept, and nothing evicted for it.
	for _, i := range []int{0, 2, 3} {
		age(t, c, fmt.Sprintf("https://a.example/%d", i), time.Hour)
	}
	if err := c.Put("https://a.example/huge", bytes.Repeat(kb, 4)); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := c.Get("https://a.example/huge"); ok {
		t.Error("an entry larger than MaxBytes was kept")
	}
	if _, ok, _ := c.Get("https://a.example/3"); !ok {
		t.Error("an entry too large to keep evicted the others")
	}
}

// TestCacheSymlinks plants symlinks in the cache to a file outside it:
// the cache neither reads it, writes it, counts it nor removes it.
func TestCacheSymlinks(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret")
	secret := []byte("not an image of the cache")
	if err := os.WriteFile(outside, secret, 0o600); err != nil {
		t.Fatal(err)
	}
	c := Cache{Dir: t.TempDir(), MaxBytes: 1500}
	url := "https://a.example/planted.png"
	if err := os.Symlink(outside, filepath.Join(c.Dir, key(url))); err != nil {
		t.Fatal(err)
	}
	if got, ok, _ := c.Get(url); ok {
		t.Errorf("Get read %q through a symlink out of the cache", got)
	}
	// A Put replaces the link itself, not the file it points at.
	if err := c.Put(url, []byte("new bytes")); err != nil {
		t.Fatal(err)
	}
	// Eviction on a full cache leaves a link to outside alone.
	other := filepath.Join(c.Dir, key("https://a.example/other"))
	if err := os.Symlink(outside, other); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := c.Put(fmt.Sprintf("https://a.example/%d", i), bytes.Repeat([]byte{'y'}, 1000)); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := os.ReadFile(outside); err != nil || !bytes.Equal(got, secret) {
		t.Errorf("the file outside the cache is now %q, %v", got, err)
	}
	if fi, err := os.Lstat(other); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("eviction removed or replaced a symlink it did not make: %v", err)
	}
	// A relative link climbing out of the cache is no better.
	if err := os.Remove(filepath.Join(c.Dir, key(url))); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if err := os.Symlink("../../../../../../../../../../"+outside, filepath.Join(c.Dir, key(url))); err != nil {
		t.Fatal(err)
	}
	if got, ok, _ := c.Get(url); ok {
		t.Errorf("Get read %q through a relative symlink out of the cache", got)
	}
}

// TestCacheShared: two caches on one directory (two tidings processes)
// writing and reading the same entries at once: a reader sees a whole
// entry or none.
func TestCacheShared(t *testing.T) {
	dir := t.TempDir()
	a, b := Cache{Dir: dir, MaxBytes: 40_000}, Cache{Dir: dir, MaxBytes: 40_000}
	var wg sync.WaitGroup
	for w, c := range []Cache{a, b, a, b} {
		wg.Go(func() {
			for i := range 50 {
				url := fmt.Sprintf("https://a.example/%d", i%10)
				want := bytes.Repeat([]byte{byte('a' + i%10)}, 5000)
				if err := c.Put(url, want); err != nil {
					t.Errorf("writer %d: %v", w, err)
				}
				got, ok, err := c.Get(url)
				if err != nil || (ok && !bytes.Equal(got, want)) {
					t.Errorf("writer %d read %d bytes of %s, ok %v, %v", w, len(got), url, ok, err)
				}
			}
		})
	}
	wg.Wait()
	ents, total, err := scanDir(dir)
	if err != nil || total > 40_000 {
		t.Errorf("after the writers: %d entries, %d bytes (cap 40,000), %v", ents, total, err)
	}
}

// scanDir counts the cache's entries in dir.
func scanDir(dir string) (int, int64, error) {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return 0, 0, err
	}
	defer r.Close()
	es, total, err := scan(r)
	return len(es), total, err
}
