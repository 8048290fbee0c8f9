package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"tidings/articles"
	"tidings/articles/sqlite"
)

// update is accepted so that "go test ./... -update" runs here too.
var _ = flag.Bool("update", false, "rewrite golden files (unused in this package)")

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// TestMain runs "tidings fetch" in this process when a test asks for a
// subprocess to kill.
func TestMain(m *testing.M) {
	if os.Getenv("TIDINGS_CLI_FETCH") == "1" {
		e := Env{Stdout: io.Discard, Stderr: os.Stderr, ConfigPath: os.Getenv("TIDINGS_CONFIG"),
			DBPath: os.Getenv("TIDINGS_DB"), Style: "auto", Version: "test", Now: time.Now}
		if err := e.Fetch(context.Background()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func rss(title string, n int, offset int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0"?><rss version="2.0"><channel><title>%s</title>`, title)
	for i := range n {
		fmt.Fprintf(&b, `<item><title>%s story %d</title><guid>%s-%d</guid><pubDate>%s</pubDate><description>&lt;p&gt;Text %d about trade and energy.&lt;/p&gt;</description></item>`,
			title, i+offset, title, i+offset, now.Add(-time.Duration(i+offset)*time.Minute).Format(time.RFC1123Z), i)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

func testEnv(t *testing.T) (Env, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	return Env{Stdout: &out, Stderr: &errOut, ConfigPath: filepath.Join(dir, "config", "config.toml"),
		DBPath: filepath.Join(dir, "data", "tidings.db"), Style: "auto", Version: "test", Now: func() time.Time { return now }}, &out, &errOut
}

func newServer(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/world", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, rss("World", 3, 0)) })
	mux.HandleFunc("/tech", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, rss("Tech", 2, 0)) })
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<!DOCTYPE html><html></html>") })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestSubscribeFetchListRead(t *testing.T) {
	srv := newServer(t)
	e, out, _ := testEnv(t)
	ctx := t.Context()
	for _, path := range []string{"/world", "/tech", "/missing", "/html"} {
		if err := e.Add(ctx, srv.URL+path); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Add(ctx, srv.URL+"/world"); err == nil || !strings.Contains(err.Error(), "already subscribed") {
		t.Errorf("adding twice: %v", err)
	}
	if err := e.Add(ctx, "ftp://x.example/feed"); err == nil {
		t.Error("an ftp feed was accepted")
	}
	out.Reset()
	if err := e.Fetch(ctx); err != nil {
		t.Fatalf("fetch with some good feeds: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("fetch printed %d lines, want one per feed:\n%s", len(lines), out)
	}
	for _, want := range []string{"World (" + srv.URL + "/world): 3 new", "Tech (" + srv.URL + "/tech): 2 new",
		"error  fetch " + srv.URL + "/missing: 404 Not Found", "error  fetch " + srv.URL + "/html: not a feed: got an HTML page"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("fetch output lacks %q:\n%s", want, out)
		}
	}

	out.Reset()
	if err := e.List(ctx, ListOptions{JSON: true, Limit: 50}); err != nil {
		t.Fatal(err)
	}
	var got []listed
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	if len(got) != 7 || !strings.HasSuffix(got[0].Title, "story 0") || !strings.HasPrefix(got[0].Feed, srv.URL) {
		t.Errorf("list --json gave %d articles, first %+v", len(got), got[0])
	}

	out.Reset()
	if err := e.List(ctx, ListOptions{Search: "tech", Limit: 1}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(strings.TrimSpace(out.String()), "\n"); n != 0 || !strings.Contains(out.String(), "Tech story") {
		t.Errorf("list --search tech --limit 1:\n%s", out)
	}

	out.Reset()
	if err := e.Read(ctx, got[0].ID); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, got[0].Title) || !strings.Contains(s, "Text 0 about trade") || strings.ContainsRune(s, 0x1b) {
		t.Errorf("read printed:\n%q", s)
	}
	if err := e.Read(ctx, "9999"); !errors.Is(err, articles.ErrNotFound) {
		t.Errorf("read of a missing ID: %v", err)
	}

	out.Reset()
	if err := e.ListFeeds(ctx); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"World", "ok", "error", "404 Not Found", srv.URL + "/tech"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("feeds lacks %q:\n%s", want, out)
		}
	}
}

func TestFetchAllFailed(t *testing.T) {
	srv := newServer(t)
	e, out, _ := testEnv(t)
	if err := e.Add(t.Context(), srv.URL+"/missing"); err != nil {
		t.Fatal(err)
	}
	if err := e.Fetch(t.Context()); !errors.Is(err, ErrAllFailed) {
		t.Errorf("fetch with every feed failing: %v\n%s", err, out)
	}
}

func TestImportExportRemove(t *testing.T) {
	e, out, _ := testEnv(t)
	opml := filepath.Join(t.TempDir(), "subs.opml")
	os.WriteFile(opml, []byte(`<?xml version="1.0"?><opml version="2.0"><body>
<outline text="News"><outline text="World" xmlUrl="https://world.example/rss"/>
<outline text="World again" xmlUrl="https://world.example/rss"/></outline>
<outline text="Tech" xmlUrl="https://tech.example/atom"/>
</body></opml>`), 0o644)
	if err := e.Import(t.Context(), opml); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "2 added, 1 already there") {
		t.Errorf("import said %q", out)
	}
	if err := e.Remove(t.Context(), "https://tech.example/atom"); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := e.Export(t.Context()); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, `xmlUrl="https://world.example/rss"`) || strings.Contains(s, "tech.example") || !strings.Contains(s, `<outline text="News"`) {
		t.Errorf("export:\n%s", s)
	}
	broken := filepath.Join(t.TempDir(), "broken.opml")
	os.WriteFile(broken, []byte("<opml version=\"2.0\"><body>\n<outline text=\"x\">\n</opml>"), 0o644)
	if err := e.Import(t.Context(), broken); err == nil || !strings.Contains(err.Error(), "broken.opml:3") {
		t.Errorf("import of a broken file: %v", err)
	}
}

func TestSnapshotWithFeedFile(t *testing.T) {
	e, out, errOut := testEnv(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.xml")
	os.WriteFile(good, []byte(rss("Local", 2, 0)), 0o644)
	e.Feeds = []string{good, filepath.Join(dir, "missing.xml")}
	if err := e.Snapshot(t.Context(), SnapshotOptions{Width: 100, Height: 12}); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "Local story 0") || !strings.Contains(s, "Welcome to tidings") {
		t.Errorf("snapshot:\n%s", s)
	}
	if !strings.Contains(errOut.String(), "missing.xml") {
		t.Errorf("the missing feed was not reported: %q", errOut)
	}
	if _, err := os.Stat(e.DBPath); !os.IsNotExist(err) {
		t.Error("snapshot created the database")
	}
}

// TestFetchKilledMidRefresh kills "tidings fetch" with SIGKILL while it
// writes, again and again, and checks each time that the database is
// intact and every read and starred flag set before is still there.
func TestFetchKilledMidRefresh(t *testing.T) {
	if testing.Short() {
		t.Skip("kills subprocesses")
	}
	const feeds = 60
	var served atomic.Int64
	var round atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		// Every round brings new items, so that each fetch writes.
		io.WriteString(w, rss(strings.Trim(r.URL.Path, "/"), 40, int(round.Load())*40))
	}))
	defer srv.Close()
	e, _, _ := testEnv(t)
	for i := range feeds {
		if err := e.Add(t.Context(), fmt.Sprintf("%s/f%d", srv.URL, i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Fetch(t.Context()); err != nil {
		t.Fatal(err)
	}
	read, starred := markSome(t, e.DBPath)
	for kill := range 5 {
		round.Add(1)
		served.Store(0)
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "TIDINGS_CLI_FETCH=1", "TIDINGS_CONFIG="+e.ConfigPath, "TIDINGS_DB="+e.DBPath)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill it once it has fetched some feeds and is writing them.
		deadline := time.Now().Add(20 * time.Second)
		for served.Load() < int64(10+kill*10) && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		checkIntact(t, e.DBPath, read, starred)
	}
}

// markSome marks some articles read and some starred, and returns them.
func markSome(t *testing.T, path string) (read, starred []string) {
	s, err := sqlite.Open(t.Context(), path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p, err := s.Page(t.Context(), articles.Query{}, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range p.Rows {
		switch i % 3 {
		case 0:
			read = append(read, r.ID)
		case 1:
			starred = append(starred, r.ID)
			if err := s.SetStarred(t.Context(), r.ID, true); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.SetRead(t.Context(), read, true); err != nil {
		t.Fatal(err)
	}
	return read, starred
}

func checkIntact(t *testing.T, path string, read, starred []string) {
	t.Helper()
	s, err := sqlite.Open(t.Context(), path, sqlite.Options{})
	if err != nil {
		t.Fatalf("reopening after the kill: %v", err)
	}
	defer s.Close()
	if err := s.Check(t.Context()); err != nil {
		t.Fatalf("integrity after the kill: %v", err)
	}
	for _, id := range read {
		if a, err := s.Article(t.Context(), id); err != nil || !a.Read {
			t.Fatalf("article %s lost its read flag (%v)", id, err)
		}
	}
	for _, id := range starred {
		if a, err := s.Article(t.Context(), id); err != nil || !a.Starred {
			t.Fatalf("article %s lost its star (%v)", id, err)
		}
	}
}

// TestFeedsListingIsSafe checks that tidings feeds prints titles from the
// subscriptions file (an OPML import may have put anything there) safely.
func TestFeedsListingIsSafe(t *testing.T) {
	e, out, _ := testEnv(t)
	os.MkdirAll(filepath.Dir(e.ConfigPath), 0o755)
	os.WriteFile(e.ConfigPath, []byte("[[feeds]]\nurl = \"https://a.example/feed\"\ntitle = \"Evil \\u001b]52;c;eA==\\u0007\\u202eTitle\"\n"), 0o644)
	if err := e.ListFeeds(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); strings.ContainsAny(got, "\x1b\x07\u202e") || !strings.Contains(got, "Evil Title") {
		t.Errorf("feeds printed %q", got)
	}
}
