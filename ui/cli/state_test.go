package cli

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tidings/articles"
	"tidings/articles/sqlite"
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
	s, err := e.openStore(ctx, writable, sqlite.DefaultRetention())
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
	s, err = fresh.openStore(ctx, readOnly, sqlite.DefaultRetention())
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
	s, err := e.openStore(ctx, writable, sqlite.DefaultRetention())
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

	s, rd, err := e.openForReader(ctx, sqlite.DefaultRetention())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if rd.readOnly || !strings.Contains(rd.notice, "truncated") || !strings.Contains(rd.notice, e.DBPath+".damaged-") {
		t.Errorf("notice %q", rd.notice)
	}
	if !strings.Contains(stderr.String(), rd.notice) {
		t.Errorf("stderr %q lacks the notice", stderr)
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
	s, err = e.openStore(ctx, readOnly, sqlite.DefaultRetention())
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
