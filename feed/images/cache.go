package images

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strings"
	"time"
)

// DefaultMaxBytes is the cache's size when Cache.MaxBytes is not set:
// some hundreds of article pictures.
const DefaultMaxBytes = 64 << 20

// staleTemp is the age past which a temporary file is left over from a
// process that died mid-write, and is removed.
const staleTemp = 10 * time.Minute

const (
	entrySuffix = ".img"
	tempPrefix  = "tmp-"
)

// Cache keeps fetched images (their bytes, not scaled pixels, so the
// picture can follow the pane's size) in Dir, one file per URL named by
// the URL's SHA-256, at most MaxBytes in all.
//
// Each file's modification time is its last use: Get touches it, and
// eviction removes the oldest first. (Access times are not used: most
// file systems are mounted relatime or noatime.)
//
// Several processes may share Dir: files are written to a temporary name
// and renamed into place, so a reader sees a whole file or none, and a
// file removed by one process while another reads it stays readable to
// that reader. Every access goes through an os.Root, which refuses to
// follow a symlink out of Dir; eviction touches only regular files with
// the cache's own names.
type Cache struct {
	Dir      string
	MaxBytes int64
}

// key is the file name of url's entry.
func key(url string) string {
	sum := sha256.Sum256([]byte(url))
	return hex.EncodeToString(sum[:]) + entrySuffix
}

// open opens Dir as a root, making it if it does not exist.
func (c Cache) open() (*os.Root, error) {
	if c.Dir == "" {
		return nil, errors.New("image cache: no directory given")
	}
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("image cache: make %s: %w", c.Dir, err)
	}
	r, err := os.OpenRoot(c.Dir)
	if err != nil {
		return nil, fmt.Errorf("image cache: open %s: %w", c.Dir, err)
	}
	return r, nil
}

// Get returns the bytes kept for url, and false if there are none. An
// entry that is not a regular file (a planted symlink) is not read.
func (c Cache) Get(url string) ([]byte, bool, error) {
	r, err := c.open()
	if err != nil {
		return nil, false, err
	}
	defer r.Close()
	name := key(url)
	fi, err := r.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("image cache: %w", err)
	}
	if !fi.Mode().IsRegular() || fi.Size() > MaxImage {
		return nil, false, nil
	}
	data, err := readEntry(r, name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil // evicted by another process meanwhile
	}
	if err != nil {
		return nil, false, fmt.Errorf("image cache: read %s: %w", name, err)
	}
	now := time.Now()
	_ = r.Chtimes(name, now, now) // a failed touch only makes the entry older
	return data, true, nil
}

// readEntry reads at most MaxImage bytes of name in r.
func readEntry(r *os.Root, name string) ([]byte, error) {
	f, err := r.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, MaxImage))
}

// Put keeps data for url, then evicts the least recently used entries
// until the cache fits MaxBytes. Data larger than MaxImage, or than the
// whole cache, is not kept.
func (c Cache) Put(url string, data []byte) error {
	if int64(len(data)) > min(c.maxBytes(), MaxImage) {
		return nil
	}
	r, err := c.open()
	if err != nil {
		return err
	}
	defer r.Close()
	if err := writeAtomic(r, key(url), data); err != nil {
		return fmt.Errorf("image cache: keep %s in %s: %w", url, c.Dir, err)
	}
	if err := c.evict(r); err != nil {
		return fmt.Errorf("image cache: trim %s: %w", c.Dir, err)
	}
	return nil
}

func (c Cache) maxBytes() int64 {
	if c.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return c.MaxBytes
}

// writeAtomic writes data to a new temporary file and renames it to
// name, so no reader ever sees half an image. O_EXCL refuses a name that
// exists, a planted symlink included.
func writeAtomic(r *os.Root, name string, data []byte) error {
	tmp := tempPrefix + rand.Text()
	f, err := r.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		_ = r.Remove(tmp)
		return err
	}
	if err := r.Rename(tmp, name); err != nil {
		_ = r.Remove(tmp)
		return err
	}
	return nil
}

// entry is one cached file as eviction sees it.
type entry struct {
	name string
	size int64
	used time.Time
}

// evict removes the least recently used entries until the rest fit
// MaxBytes, and temporary files left over by a crash. Another process
// may remove the same files at once: a file already gone is no error.
func (c Cache) evict(r *os.Root) error {
	entries, total, err := scan(r)
	if err != nil {
		return err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].used.Before(entries[j].used) })
	for _, e := range entries {
		if total <= c.maxBytes() {
			break
		}
		if err := r.Remove(e.name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		total -= e.size
	}
	return nil
}

// scan lists the cache's entries and their total size, removing stale
// temporary files on the way. Anything else in Dir (a symlink, a
// directory, another program's file) is neither counted nor touched.
func scan(r *os.Root) ([]entry, int64, error) {
	d, err := r.Open(".")
	if err != nil {
		return nil, 0, err
	}
	defer d.Close()
	des, err := d.ReadDir(-1)
	if err != nil {
		return nil, 0, err
	}
	var out []entry
	var total int64
	for _, de := range des {
		fi, err := de.Info() // Lstat: a symlink is seen as one
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		name := de.Name()
		switch {
		case strings.HasPrefix(name, tempPrefix) && time.Since(fi.ModTime()) > staleTemp:
			_ = r.Remove(name)
		case strings.HasSuffix(name, entrySuffix) && len(name) == 64+len(entrySuffix):
			out = append(out, entry{name: name, size: fi.Size(), used: fi.ModTime()})
			total += fi.Size()
		}
	}
	return out, total, nil
}
