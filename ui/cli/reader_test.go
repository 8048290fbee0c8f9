package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"tidings/articles/sqlite"
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
