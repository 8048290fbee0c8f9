package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tidings/articles"
	"tidings/feed/subs"
)

// listEnv subscribes to World (tagged news) and Tech, fetches both and
// returns the Env.
func listEnv(t *testing.T) (Env, *strings.Builder, string) {
	t.Helper()
	srv := newServer(t)
	e, _, _ := testEnv(t)
	var out strings.Builder
	e.Stdout = &out
	ctx := t.Context()
	for _, p := range []string{"/world", "/tech"} {
		if err := e.Add(ctx, srv.URL+p); err != nil {
			t.Fatal(err)
		}
	}
	cfg, _, _, err := subs.Load(e.ConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Feeds[0].Tags = []string{"news", "daily"}
	if err := cfg.Save(e.ConfigPath); err != nil {
		t.Fatal(err)
	}
	if err := e.Fetch(ctx); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	return e, &out, srv.URL
}

func listTitles(t *testing.T, e Env, out *strings.Builder, o ListOptions) []string {
	t.Helper()
	out.Reset()
	o.JSON, o.Limit = true, 50
	if err := e.List(t.Context(), o); err != nil {
		t.Fatalf("list %+v: %v", o, err)
	}
	var got []listed
	if err := json.Unmarshal([]byte(out.String()), &got); err != nil {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	var titles []string
	for _, l := range got {
		titles = append(titles, l.Title)
	}
	return titles
}

// TestListFilters checks --feed (a stored feed, in the forms the config
// and "tidings feeds" write it), --tag and --starred.
func TestListFilters(t *testing.T) {
	e, out, base := listEnv(t)
	world := []string{"World story 0", "World story 1", "World story 2"}
	for _, arg := range []string{base + "/world", strings.Replace(base, "http://", "HTTP://", 1) + "/world"} {
		f := e
		f.Feeds = []string{arg}
		if got := listTitles(t, f, out, ListOptions{}); strings.Join(got, "|") != strings.Join(world, "|") {
			t.Errorf("list --feed %s: %q, want %q", arg, got, world)
		}
	}
	for _, tag := range []string{"news", "#daily"} {
		if got := listTitles(t, e, out, ListOptions{Tags: []string{tag}}); strings.Join(got, "|") != strings.Join(world, "|") {
			t.Errorf("list --tag %s: %q, want %q", tag, got, world)
		}
	}
	err := e.List(t.Context(), ListOptions{Tags: []string{"sport"}, Limit: 50})
	if err == nil || !strings.Contains(err.Error(), `"sport"`) || !strings.Contains(err.Error(), "news, daily") {
		t.Errorf("list --tag sport: %v, want the tags there are", err)
	}

	s, _, err := e.openStore(t.Context(), forWrite, defaultSetup())
	if err != nil {
		t.Fatal(err)
	}
	p, _ := s.Page(t.Context(), articles.MustParseQuery("tech story 1"), 0, 1)
	err = s.SetStarred(t.Context(), p.Rows[0].ID, true)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if got := listTitles(t, e, out, ListOptions{Starred: true}); len(got) != 1 || got[0] != "Tech story 1" {
		t.Errorf("list --starred: %q", got)
	}
	f := e
	f.Feeds = []string{base + "/world"}
	if got := listTitles(t, f, out, ListOptions{Starred: true}); len(got) != 0 {
		t.Errorf("list --starred --feed world: %q, want none", got)
	}
}

// TestListFeedFile checks that a --feed naming no stored feed is read, and
// its articles alone listed.
func TestListFeedFile(t *testing.T) {
	e, out, _ := listEnv(t)
	file := filepath.Join(t.TempDir(), "local.xml")
	os.WriteFile(file, []byte(rss("Local", 2, 0)), 0o644)
	e.Feeds = []string{file}
	if got := listTitles(t, e, out, ListOptions{}); strings.Join(got, "|") != "Local story 0|Local story 1" {
		t.Errorf("list --feed FILE: %q", got)
	}
}

// TestListBody checks that --body gives the markdown body, in JSON and in
// plain output, and only when asked.
func TestListBody(t *testing.T) {
	e, out, base := listEnv(t)
	e.Feeds = []string{base + "/tech"}
	if err := e.List(t.Context(), ListOptions{JSON: true, Limit: 1}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), `"body"`) {
		t.Errorf("list --json without --body has a body:\n%s", out)
	}
	out.Reset()
	if err := e.List(t.Context(), ListOptions{JSON: true, Body: true, Limit: 1}); err != nil {
		t.Fatal(err)
	}
	var got []listed
	if err := json.Unmarshal([]byte(out.String()), &got); err != nil || len(got) != 1 || got[0].Body == nil ||
		*got[0].Body != "Text 0 about trade and energy." {
		t.Errorf("list --json --body: %v\n%s", err, out)
	}
	out.Reset()
	if err := e.List(t.Context(), ListOptions{Body: true, Limit: 2}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\n")
	if len(lines) != 9 || !strings.HasSuffix(lines[0], "Tech story 0") || lines[2] != "Text 0 about trade and energy." ||
		!strings.HasSuffix(lines[4], "Tech story 1") || lines[6] != "Text 1 about trade and energy." {
		t.Errorf("list --body:\n%s", out)
	}
}
