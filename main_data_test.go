//go:build linux

package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tidings/articles"
	"tidings/articles/sqlite"
)

// bigFeed is an RSS document of n items with bodies of about 2 KB.
func bigFeed(n int) string {
	var b strings.Builder
	// Words that do not repeat: the store compresses bodies, and a body of
	// one phrase repeated would take almost no room.
	body := func(i int) string {
		var w strings.Builder
		for j := range 40 {
			fmt.Fprintf(&w, "%x ", sha256.Sum256(fmt.Appendf(nil, "%d/%d", i, j)))
		}
		return w.String()
	}
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>`)
	for i := range n {
		fmt.Fprintf(&b, "<item><guid>big-%d</guid><title>Story %d</title><link>https://big.example/%d</link><description>%s</description></item>",
			i, i, i, body(i))
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// dataHome prepares a config with one feed at url and a database with
// one starred article, and returns the arguments that use them.
func dataHome(t *testing.T, url string) (args []string, db string) {
	t.Helper()
	dir := t.TempDir()
	config := filepath.Join(dir, "config.toml")
	db = filepath.Join(dir, "tidings.db")
	os.WriteFile(config, []byte(fmt.Sprintf("[[feeds]]\nurl = %q\n", url)), 0o644)
	s, err := sqlite.Open(t.Context(), db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveFeed(t.Context(), articles.FeedUpdate{URL: "https://kept.example/feed", At: time.Now(),
		Items: []articles.Article{{GUID: "kept", Title: "Kept", Published: time.Now()}}}); err != nil {
		t.Fatal(err)
	}
	p, _ := s.Page(t.Context(), articles.Query{}, 0, 1)
	s.SetStarred(t.Context(), p.Rows[0].ID, true)
	s.Close()
	return []string{"--config", config, "--db", db}, db
}

// checkKept opens the database and checks it is sound, with the starred
// article.
func checkKept(t *testing.T, db string) {
	t.Helper()
	s, err := sqlite.Open(t.Context(), db, sqlite.Options{})
	if err != nil {
		t.Fatalf("the database after the failure: %v", err)
	}
	defer s.Close()
	if err := s.Check(t.Context()); err != nil {
		t.Fatal(err)
	}
	if p, err := s.Page(t.Context(), articles.Query{StarredOnly: true}, 0, 10); err != nil || p.Total != 1 || p.Rows[0].Title != "Kept" {
		t.Fatalf("starred after the failure: %+v, %v", p, err)
	}
}

func runMain(t *testing.T, env []string, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	cmd := mainCommand(args...)
	cmd.Env = append(cmd.Env, env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), out.String(), errOut.String()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, out.String(), errOut.String()
}

// TestFullDisk lets fetch write files of at most 1 MB while the feed needs
// more: the write fails as on a full disk. The message says so, the exit
// status is 1, and the database keeps what it had.
func TestFullDisk(t *testing.T) {
	feed := bigFeed(1000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(feed)) }))
	defer srv.Close()
	args, db := dataHome(t, srv.URL)
	st, _ := os.Stat(db)
	status, out, errOut := runMain(t, []string{fmt.Sprintf("TIDINGS_TEST_FSIZE=%d", st.Size()+1<<20)}, append(args, "fetch")...)
	t.Logf("status %d\nstdout %s\nstderr %s", status, out, errOut)
	if status != 1 || !strings.Contains(out+errOut, "full") {
		t.Errorf("fetch on a full disk: status %d, output %q %q; want 1 and a message that the disk is full", status, out, errOut)
	}
	checkKept(t, db)
	// With room again, the same fetch works.
	if status, out, errOut := runMain(t, nil, append(args, "fetch")...); status != 0 {
		t.Fatalf("fetch with room: status %d %q %q", status, out, errOut)
	}
}

// TestSecondFetchDuringARefresh starts a fetch from a slow server and a
// second one meanwhile: the second stops at once with a message naming the
// first and succeeds (cron stays quiet), the first completes, and nothing
// is lost.
func TestSecondFetchDuringARefresh(t *testing.T) {
	release := make(chan struct{})
	asked := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case asked <- struct{}{}:
		default:
		}
		select {
		case <-release:
		case <-time.After(20 * time.Second):
		}
		w.Write([]byte(bigFeed(20)))
	}))
	defer srv.Close()
	args, db := dataHome(t, srv.URL)
	first := mainCommand(append(args, "fetch")...)
	var firstOut bytes.Buffer
	first.Stdout, first.Stderr = &firstOut, &firstOut
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	<-asked // the first fetch holds the refresh lock while it asks
	status, out, errOut := runMain(t, nil, append(args, "fetch")...)
	want := fmt.Sprintf("a refresh is already running (process %d); its articles will appear", first.Process.Pid)
	if status != 0 || !strings.Contains(out, want) || errOut != "" {
		t.Errorf("second fetch: status %d, stdout %q, stderr %q; want 0 and %q", status, out, errOut, want)
	}
	close(release)
	if err := first.Wait(); err != nil {
		t.Fatalf("first fetch: %v\n%s", err, firstOut.String())
	}
	checkKept(t, db)
}
