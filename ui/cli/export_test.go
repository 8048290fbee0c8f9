package cli

import (
	"strings"
	"testing"
)

// TestExportGivesFetchedTitles checks that a feed added by URL alone is
// exported with the title its last fetch gave, and one that never
// fetched with its URL.
func TestExportGivesFetchedTitles(t *testing.T) {
	srv := newServer(t)
	e, out, _ := testEnv(t)
	ctx := t.Context()
	if err := e.Export(ctx); err != nil {
		t.Fatalf("export with no database: %v", err)
	}
	for _, p := range []string{"/world", "/missing"} {
		if err := e.Add(ctx, srv.URL+p); err != nil {
			t.Fatal(err)
		}
	}
	e.Fetch(ctx) //nolint:errcheck // /missing fails on purpose
	out.Reset()
	if err := e.Export(ctx); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		`<outline type="rss" text="World" title="World" xmlUrl="` + srv.URL + `/world"/>`,
		`<outline type="rss" text="` + srv.URL + `/missing" xmlUrl="` + srv.URL + `/missing"/>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("export lacks %s:\n%s", want, got)
		}
	}
}
