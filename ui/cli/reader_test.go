package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tidings/articles/sqlite"
	"tidings/ui"
)

// TestOfflineListsEverySubscription: with --offline the feeds view lists
// every subscription, while only the local files are fetched.
func TestOfflineListsEverySubscription(t *testing.T) {
	e, _, _ := testEnv(t)
	ctx := t.Context()
	local := filepath.Join(t.TempDir(), "local.xml")
	if err := os.WriteFile(local, []byte(rss("Local", 1, 0)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"https://a.example/feed", "https://b.example/feed", local} {
		if err := e.Add(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	e.Offline = true
	st, err := e.load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(ctx, e.DBPath, sqlite.Options{Now: e.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	opts := e.readerOptions(ctx, s, st, opened{})
	statuses, err := opts.Feeds(ctx)
	if err != nil || len(statuses) != 3 {
		t.Errorf("the feeds view lists %d subscriptions (%v), want all 3", len(statuses), err)
	}
	r, ok := opts.Refresher.(*uiRefresher)
	var picked []string
	if ok {
		subs, _ := r.pick(nil)
		for _, s := range subs {
			picked = append(picked, s.URL)
		}
	}
	if len(picked) != 1 || picked[0] != local {
		t.Errorf("offline refresher %+v, want only the local file", opts.Refresher)
	}
}

// TestQuitStopsTheRefresh: when the reader's context ends (it quit, or a
// signal stopped tidings), a refresh under way stops, and wait returns,
// so the store can close with no write on its way.
func TestQuitStopsTheRefresh(t *testing.T) {
	hang := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select { // never answers, until the test ends
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(hang)
	e, _, _ := testEnv(t)
	ctx := t.Context()
	if err := e.Add(ctx, srv.URL+"/slow"); err != nil {
		t.Fatal(err)
	}
	st, err := e.load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(ctx, e.DBPath, sqlite.Options{Now: e.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	readerCtx, quit := context.WithCancel(ctx)
	opts := e.readerOptions(readerCtx, s, st, opened{})
	r := opts.Refresher.(*uiRefresher)
	_, results, err := r.Start(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	quit()
	done := make(chan struct{})
	go func() { r.wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second): // the fetch's own deadline is 20 s
		t.Fatal("the refresh went on after the reader quit")
	}
	for res := range results {
		if res.Err == nil {
			t.Errorf("a feed that never answered: %+v", res)
		}
	}
}

// TestSnapshotCopiesNothing: y in a snapshot writes no clipboard sequence
// and says what it would have copied.
func TestSnapshotCopiesNothing(t *testing.T) {
	e, out, _ := testEnv(t)
	feed := filepath.Join(t.TempDir(), "linked.xml")
	os.WriteFile(feed, []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>L</title><item><title>Linked</title>`+
		`<link>https://news.example/a</link><guid>1</guid><pubDate>`+now.Format(time.RFC1123Z)+`</pubDate>`+
		`<description>x</description></item></channel></rss>`), 0o644)
	e.Feeds = []string{feed}
	keys, err := ui.ParseInput("y")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Snapshot(t.Context(), SnapshotOptions{Width: 100, Height: 12, Keys: keys}); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "Would copy https://news.example/a (a snapshot copies nothing)") || strings.Contains(s, "\x1b]52") {
		t.Errorf("snapshot after y:\n%s", s)
	}
}
