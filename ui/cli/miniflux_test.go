package cli

// The sync against a real Miniflux (v2.3.5, on a throwaway PostgreSQL
// cluster), through its REST API and its Google Reader API. By hand:
//
//	apt-get install -y postgresql && go install miniflux.app/v2@v2.3.5
//	go test ./ui/cli -run TestSyncWithMiniflux -v
//
// (.ci/run installs both and requires the test; without them a bare go
// test skips it, saying so in one line.)

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	miniflux "miniflux.app/v2/client"

	"tidings/articles"
	"tidings/feed/remote/minifluxtest"
)

func TestSyncWithMiniflux(t *testing.T) {
	for _, kind := range []string{"miniflux", "greader"} {
		t.Run(kind, func(t *testing.T) { syncWithMiniflux(t, kind) })
	}
}

// mfRig is tidings beside a real Miniflux.
type mfRig struct {
	t     *testing.T
	mf    *minifluxtest.Server
	feeds *minifluxtest.FeedServer
	e     Env
	out   *bytes.Buffer
}

func newMFRig(t *testing.T, kind string) *mfRig {
	mf := minifluxtest.Start(t)
	r := &mfRig{t: t, mf: mf, feeds: minifluxtest.NewFeedServer(t)}
	e, out, _ := testEnv(t)
	r.e, r.out = e, out
	env := map[string]string{"TIDINGS_SYNC_TOKEN": mf.APIKey, "TIDINGS_SYNC_PASSWORD": mf.GReaderPassword}
	r.e.Getenv = func(k string) string { return env[k] }
	r.e.Now = time.Now
	table := fmt.Sprintf("[sync]\nkind = %q\nurl = %q\n", kind, mf.URL)
	if kind == "greader" {
		table += fmt.Sprintf("username = %q\n", mf.GReaderUsername)
	}
	if err := os.MkdirAll(filepath.Dir(r.e.ConfigPath), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(r.e.ConfigPath, []byte(table), 0o600); err != nil {
		t.Fatal(err)
	}
	return r
}

// run runs a command of tidings and returns what it printed.
func (r *mfRig) run(cmd func() error) string {
	r.t.Helper()
	r.out.Reset()
	if err := cmd(); err != nil {
		r.t.Fatalf("%v\n%s", err, r.out)
	}
	return r.out.String()
}

// sync is tidings sync, with a fresh Env so that the server is dialled
// again, as each run of tidings does.
func (r *mfRig) sync() string {
	r.t.Helper()
	return r.run(func() error { return r.e.Sync(r.t.Context()) })
}

// entry finds an entry on Miniflux by title.
func (r *mfRig) entry(title string) *miniflux.Entry {
	r.t.Helper()
	res, err := r.mf.Client().Entries(&miniflux.Filter{Search: title, Limit: 10})
	if err != nil {
		r.t.Fatal(err)
	}
	for _, e := range res.Entries {
		if e.Title == title {
			return e
		}
	}
	r.t.Fatalf("no entry %q on Miniflux", title)
	return nil
}

// local finds an article here by title.
func (r *mfRig) local(title string) articles.Article {
	r.t.Helper()
	s, _, err := r.e.openStore(r.t.Context(), forRead, defaultSetup())
	if err != nil {
		r.t.Fatal(err)
	}
	defer s.Close()
	p, err := s.Page(r.t.Context(), articles.Query{}, 0, 1000)
	if err != nil {
		r.t.Fatal(err)
	}
	for _, row := range p.Rows {
		if row.Title == title {
			a, err := s.Article(r.t.Context(), row.ID)
			if err != nil {
				r.t.Fatal(err)
			}
			return a
		}
	}
	r.t.Fatalf("no article %q here (%d stored)", title, p.Total)
	return articles.Article{}
}

// mark marks an article here, as the reader does.
func (r *mfRig) mark(title string, read, star bool) {
	r.t.Helper()
	id := r.local(title).ID
	s, _, err := r.e.openStore(r.t.Context(), forWrite, defaultSetup())
	if err != nil {
		r.t.Fatal(err)
	}
	defer s.Close()
	if read {
		if err := s.SetRead(r.t.Context(), []string{id}, true); err != nil {
			r.t.Fatal(err)
		}
	}
	if star {
		if err := s.SetStarred(r.t.Context(), id, true); err != nil {
			r.t.Fatal(err)
		}
	}
}

func (r *mfRig) count() int {
	r.t.Helper()
	s, _, err := r.e.openStore(r.t.Context(), forRead, defaultSetup())
	if err != nil {
		r.t.Fatal(err)
	}
	defer s.Close()
	p, err := s.Page(r.t.Context(), articles.Query{Feeds: []string{r.feeds.URL("/a.xml"), r.feeds.URL("/b.xml")}}, 0, 1)
	if err != nil {
		r.t.Fatal(err)
	}
	return p.Total
}

func syncWithMiniflux(t *testing.T, kind string) {
	r := newMFRig(t, kind)
	ctx := t.Context()
	// Dated today: older ones would go by retention's age limit.
	day := time.Now().Add(-24 * time.Hour)
	r.feeds.Add("/a.xml", minifluxtest.Item{GUID: "a1", Title: "Harbour reopens", HTML: "<p>Ships <b>return</b>.</p>", Published: day},
		minifluxtest.Item{GUID: "a2", Title: "Rain at last", HTML: "<p>Fields green again.</p>", Published: day.Add(time.Hour)})
	r.feeds.Add("/b.xml", minifluxtest.Item{GUID: "b1", Title: "Bridge opens", HTML: "<p>Ribbon cut.</p>", Published: day})

	// Subscribe through tidings: the feeds are on Miniflux.
	for _, path := range []string{"/a.xml", "/b.xml"} {
		r.run(func() error { return r.e.Add(ctx, r.feeds.URL(path)) })
	}
	feeds, err := r.mf.Client().Feeds()
	if err != nil || len(feeds) != 2 {
		t.Fatalf("Miniflux has %d feeds (%v), want 2", len(feeds), err)
	}

	// Sync: the articles are here, through the same gates as a feed's.
	out := r.sync()
	if !strings.Contains(out, "2 feeds, 3 new articles") {
		t.Fatalf("first sync: %s", out)
	}
	if a := r.local("Harbour reopens"); !strings.Contains(a.Body, "**return**") || a.Source == "" {
		t.Fatalf("article: %+v", a)
	}

	// Read and star here: Miniflux has it after the next sync.
	r.mark("Harbour reopens", true, false)
	r.mark("Bridge opens", false, true)
	r.sync()
	if e := r.entry("Harbour reopens"); e.Status != "read" {
		t.Errorf("read here, %q on Miniflux", e.Status)
	}
	if e := r.entry("Bridge opens"); !e.Starred {
		t.Error("starred here, not on Miniflux")
	}

	// Read on Miniflux: read here after the next sync.
	if err := r.mf.Client().UpdateEntries([]int64{r.entry("Rain at last").ID}, "read"); err != nil {
		t.Fatal(err)
	}
	r.sync()
	if !r.local("Rain at last").Read {
		t.Error("read on Miniflux, unread here after a sync")
	}

	// Miniflux stops: a mark made meanwhile waits, the sync says why in
	// one line, and once Miniflux is back the mark reaches it; nothing
	// appears twice.
	r.mf.Stop()
	r.mark("Bridge opens", true, false)
	r.out.Reset()
	err = r.e.Sync(ctx)
	if !errors.Is(err, ErrAllFailed) || !strings.Contains(r.out.String(), "error  "+kind+" at "+r.mf.URL) {
		t.Fatalf("with Miniflux down: %v\n%s", err, r.out)
	}
	status := r.run(func() error { return r.e.SyncStatus(ctx) })
	if !strings.Contains(status, "Marks waiting for the server: 1") {
		t.Fatalf("status:\n%s", status)
	}
	r.mf.Start()
	r.sync()
	if e := r.entry("Bridge opens"); e.Status != "read" || !e.Starred {
		t.Errorf("the mark made while Miniflux was down: status %q starred %v", e.Status, e.Starred)
	}
	if n := r.count(); n != 3 {
		t.Errorf("%d articles here, want 3", n)
	}

	// A new item: Miniflux fetches it, the next sync brings it.
	r.feeds.Add("/a.xml", minifluxtest.Item{GUID: "a3", Title: "Late news", HTML: "<p>Just in.</p>", Published: time.Now()})
	for _, f := range feeds {
		if err := r.mf.Client().RefreshFeed(f.ID); err != nil {
			t.Fatal(err)
		}
	}
	if out := r.sync(); !strings.Contains(out, "1 new article") {
		t.Errorf("after a new item: %s", out)
	}

	// Unsubscribe through tidings.
	r.run(func() error { return r.e.Remove(ctx, r.feeds.URL("/b.xml")) })
	if feeds, _ := r.mf.Client().Feeds(); len(feeds) != 1 {
		t.Errorf("Miniflux has %d feeds after remove, want 1", len(feeds))
	}
	if out := r.sync(); !strings.Contains(out, "1 feed, 0 new articles") {
		t.Errorf("a sync with nothing new: %s", out)
	}
}
