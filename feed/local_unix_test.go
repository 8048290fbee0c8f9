//go:build unix

package feed_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"tidings/feed"
	"tidings/feed/fetch"
	"tidings/feed/subs"
)

// TestRefreshLocalNotRegular refreshes a named pipe (and a link to it), a
// directory and a character device as local feeds beside a good file: each
// is refused without being read, and the good feed loads. Opening a pipe
// for reading waits for a writer; should the refresh wait there, a writer
// comes after a while so that the test ends, and it fails.
func TestRefreshLocalNotRegular(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pipe := filepath.Join(dir, "pipe.xml")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	link := filepath.Join(dir, "link.xml")
	if err := os.Symlink(pipe, link); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.xml")
	if err := os.WriteFile(good, []byte(rssDoc(1, 3, 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		pipe:       "read " + pipe + ": not a regular file (a named pipe)",
		link:       "read " + link + ": not a regular file (a named pipe)",
		dir:        "read " + dir + ": not a regular file (a directory)",
		os.DevNull: "read " + os.DevNull + ": not a regular file (a character device)",
	}

	var rescued atomic.Bool
	rescue := time.AfterFunc(20*time.Second, func() {
		rescued.Store(true)
		for range 2 { // the pipe and the link
			if w, err := os.OpenFile(pipe, os.O_WRONLY, 0); err == nil {
				w.Close()
			}
		}
	})
	defer rescue.Stop()

	feeds := []subs.Subscription{{URL: pipe}, {URL: link}, {URL: dir}, {URL: os.DevNull}, {URL: good}}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	results := map[string]feed.Result{}
	refresher(openStore(t), fetch.Options{}).Run(ctx, feeds, func(res feed.Result) { results[res.URL] = res })
	if rescued.Load() {
		t.Error("the refresh waited for a writer on the named pipe")
	}
	if res := results[good]; res.Err != nil || res.New != 3 {
		t.Errorf("good feed: %d new, %v; want 3 new", res.New, res.Err)
	}
	for u, w := range want {
		res := results[u]
		if res.Err == nil || !strings.Contains(res.Err.Error(), w) {
			t.Errorf("%s: %v, want an error containing %q", u, res.Err, w)
		}
	}
}
