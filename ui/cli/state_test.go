package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"tidings/articles"
	"tidings/articles/sqlite"
	"tidings/articles/sqlite/sqlitetest"
	"tidings/articles/termsafe"
)

// TestStateRoundTrip exports the state of one database and imports it into
// a new one: the starred article comes back whole though no feed lists it,
// and the read marks wait for the feed.
func TestStateRoundTrip(t *testing.T) {
	srv := newServer(t)
	e, out, _ := testEnv(t)
	ctx := t.Context()
	if err := e.Add(ctx, srv.URL+"/world"); err != nil {
		t.Fatal(err)
	}
	if err := e.Fetch(ctx); err != nil {
		t.Fatal(err)
	}
	s, _, err := e.openStore(ctx, forWrite, defaultSetup())
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Page(ctx, articles.Query{Feeds: []string{srv.URL + "/world"}}, 0, 10)
	if err != nil || len(p.Rows) != 3 {
		t.Fatalf("page %+v, %v", p, err)
	}
	s.SetStarred(ctx, p.Rows[0].ID, true)
	s.SetRead(ctx, []string{p.Rows[1].ID, p.Rows[2].ID}, true)
	s.Close()

	out.Reset()
	if err := e.ExportState(ctx); err != nil {
		t.Fatal(err)
	}
	var st stateFile
	if err := json.Unmarshal(out.Bytes(), &st); err != nil || st.Format != stateFormat || len(st.Articles) != 3 {
		t.Fatalf("export: %v\n%s", err, out)
	}
	file := filepath.Join(t.TempDir(), "state.json")
	os.WriteFile(file, out.Bytes(), 0o644)

	fresh, out2, _ := testEnv(t)
	if err := fresh.ImportState(ctx, file); err != nil {
		t.Fatal(err)
	}
	if got := out2.String(); !strings.Contains(got, "1 starred article restored") || !strings.Contains(got, "2 read marks kept") {
		t.Errorf("import said %q", got)
	}
	s, _, err = fresh.openStore(ctx, forRead, defaultSetup())
	if err != nil {
		t.Fatal(err)
	}
	starred, _ := s.Page(ctx, articles.Query{StarredOnly: true}, 0, 10)
	s.Close()
	if starred.Total != 1 || starred.Rows[0].Title != p.Rows[0].Title {
		t.Errorf("starred after import: %+v", starred)
	}
}

func TestImportStateErrorsNameTheFile(t *testing.T) {
	e, _, _ := testEnv(t)
	dir := t.TempDir()
	for name, tt := range map[string]struct{ content, want string }{
		"broken.json": {"{\n \"format\": \"tidings state 1\",\n \"articles\": [\n  {\"feed\": \"x\",}\n ]\n}\n", "broken.json:4: "},
		"opml.json":   {"<opml/>", "opml.json:1: "},
		"other.json":  {`{"format": "something else"}`, "other.json: not a tidings state file"},
		"types.json":  {"{\"format\": \"tidings state 1\",\n\"articles\": [{\"read\": \"yes\"}]}", "types.json:2: "},
	} {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(tt.content), 0o644)
		err := e.ImportState(t.Context(), path)
		if err == nil || !strings.Contains(err.Error(), path[:len(path)-len(name)]+tt.want) {
			t.Errorf("%s: %v, want it to start with the file and line %q", name, err, tt.want)
		}
	}
	if _, err := os.Stat(e.DBPath); !errors.Is(err, os.ErrNotExist) {
		t.Error("a failed import created the database")
	}
}

// TestReaderRebuildsDamagedDatabase truncates the database and opens it
// as the reader does: it is set aside, the user is told where, and the
// starred article is still there.
func TestReaderRebuildsDamagedDatabase(t *testing.T) {
	e, _, stderr := testEnv(t)
	ctx := t.Context()
	s, _, err := e.openStore(ctx, forWrite, defaultSetup())
	if err != nil {
		t.Fatal(err)
	}
	p, _ := s.Page(ctx, articles.Query{}, 0, 10)
	s.SetStarred(ctx, p.Rows[0].ID, true)
	s.Close()
	// A copy cut short loses the end of the file; this small database has
	// its schema spread over its pages, so cut only the last one.
	st, _ := os.Stat(e.DBPath)
	os.Truncate(e.DBPath, st.Size()-4096)

	s, rd, err := e.openStore(ctx, forReader, defaultSetup())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if rd.readOnly || !strings.Contains(rd.notice, "rebuilt") || !strings.HasSuffix(rd.notice, e.DBPath+".damaged-20261126-120000") {
		t.Errorf("notice %q", rd.notice)
	}
	if msg := stderr.String(); !strings.Contains(msg, "truncated") || !strings.Contains(msg, "rebuilding it") || !strings.Contains(msg, e.DBPath+".damaged-20261126-120000") {
		t.Errorf("stderr %q does not say what happened and where the file went", msg)
	}
	if got, _ := s.Page(ctx, articles.Query{StarredOnly: true}, 0, 10); got.Total != 1 {
		t.Errorf("%d starred after the rebuild, want 1 (%s)", got.Total, rd.notice)
	}
}

// TestImportStateCleansGUIDs imports a state file whose GUIDs carry
// escape sequences: they are cleaned as a feed's are, so the starred and
// read marks land on the articles stored under the cleaned GUIDs, and the
// counts say what changed.
func TestImportStateCleansGUIDs(t *testing.T) {
	e, out, _ := testEnv(t)
	ctx := t.Context()
	s, err := sqlite.Open(ctx, e.DBPath, sqlite.Options{Now: e.Now})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.SaveFeed(ctx, articles.FeedUpdate{URL: "https://a.example/feed", At: now, Items: []articles.Article{
		{GUID: "g1", Title: "Story one", Published: now.Add(-time.Hour)},
		{GUID: "g2", Title: "Story two", Published: now.Add(-2 * time.Hour)},
	}})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.ImportState(ctx, filepath.Join("testdata", "state-escaped-guid.json")); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.Contains(got, ": 2 articles marked, 0 starred articles restored, 0 read marks kept") {
		t.Errorf("import said %q", got)
	}
	s, _, err = e.openStore(ctx, forRead, defaultSetup())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p, err := s.Page(ctx, articles.Query{Feeds: []string{"https://a.example/feed"}}, 0, 10)
	if err != nil || p.Total != 2 {
		t.Fatalf("page %+v, %v: the import added articles", p, err)
	}
	if r := p.Rows[0]; !r.Starred || r.Title != "Story one" {
		t.Errorf("story one after import: %+v, want starred", r)
	}
	if r := p.Rows[1]; !r.Read || r.Title != "Story two" {
		t.Errorf("story two after import: %+v, want read", r)
	}
}

// TestDamagedDatabaseWayOut damages 4 KB in the middle of a database's
// articles: reading the articles prints no control character, an error
// from the damage says what to do about it (not where to find IDs), and
// the next start rebuilds it with all but the damaged articles, saying so
// with the damaged file's path last.
func TestDamagedDatabaseWayOut(t *testing.T) {
	e, out, stderr := testEnv(t)
	ctx := t.Context()
	os.MkdirAll(filepath.Dir(e.DBPath), 0o755)
	if err := sqlitetest.Populate(e.DBPath, 2, 100); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(e.DBPath)
	at := bytes.Index(b, []byte("https://news.example/100"))
	rng := rand.New(rand.NewPCG(9, 9))
	for i := max(at-2048, 0); i < at+2048; i++ {
		b[i] = byte(rng.UintN(256))
	}
	os.WriteFile(e.DBPath, b, 0o644)

	damaged := 0
	for id := 1; id <= 200; id++ {
		out.Reset()
		err := e.Read(ctx, strconv.Itoa(id))
		if strings.ContainsAny(out.String(), "\x1b\x07\x00\u009b") {
			t.Errorf("read %d printed control characters: %q", id, out)
		}
		if errors.Is(err, sqlite.ErrCorrupt) {
			damaged++
			if msg := err.Error(); strings.Contains(msg, "list shows the IDs") || !strings.Contains(msg, "rebuilds it from what can still be read") {
				t.Errorf("read %d: %v: does not name the way out", id, err)
			}
		}
	}
	if damaged == 0 {
		t.Fatal("no read met the damage")
	}
	s, rd, err := e.openStore(ctx, forReader, defaultSetup())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p, _ := s.Page(ctx, articles.Query{Feeds: []string{"https://feed000.example/rss", "https://feed001.example/rss"}}, 0, 1)
	recovered := p.Total
	if recovered < 190 || !strings.Contains(rd.notice, fmt.Sprintf("%d articles recovered, %d lost", recovered, 200-recovered)) ||
		!strings.HasSuffix(rd.notice, e.DBPath+".damaged-20261126-120000") {
		t.Errorf("%d articles after the rebuild; notice %q", recovered, rd.notice)
	}
	if msg := stderr.String(); !strings.Contains(msg, fmt.Sprintf("recovered %d articles", recovered)) || !strings.HasSuffix(msg, rd.notice[strings.LastIndex(rd.notice, " ")+1:]+"\n") {
		t.Errorf("stderr %q", msg)
	}
}

// TestImportStateChecksFeedURLs imports a state file whose feed URLs are
// written differently from the subscription (upper case), hide a bidi
// control in the host, or a C1 control in the path: the first finds its
// article, the second is skipped and counted, the third is kept with the
// control percent-encoded, and no raw control reaches the database.
func TestImportStateChecksFeedURLs(t *testing.T) {
	e, out, _ := testEnv(t)
	ctx := t.Context()
	if err := e.Add(ctx, "https://a.example/feed"); err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(ctx, e.DBPath, sqlite.Options{Now: e.Now})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.SaveFeed(ctx, articles.FeedUpdate{URL: "https://a.example/feed", At: now, Items: []articles.Article{
		{GUID: "g1", Title: "Story one", Published: now.Add(-time.Hour)},
	}})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := e.ImportState(ctx, filepath.Join("testdata", "state-hostile-feeds.json")); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.Contains(got, ": 1 articles marked") || !strings.Contains(got, "1 entries skipped") {
		t.Errorf("import said %q", got)
	}
	s, _, err = e.openStore(ctx, forRead, defaultSetup())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p, err := s.Page(ctx, articles.Query{Feeds: []string{"https://a.example/feed"}}, 0, 10)
	if err != nil || p.Total != 1 || !p.Rows[0].Starred {
		t.Fatalf("page %+v, %v: want story one starred", p, err)
	}
	st, err := s.ExportState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, entry := range st {
		if termsafe.Line(entry.Feed) != entry.Feed || strings.ContainsRune(entry.Feed, 0x202e) {
			t.Errorf("a feed URL kept a control: %q", entry.Feed)
		}
	}
}
