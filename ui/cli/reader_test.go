package cli

import (
	"os"
	"path/filepath"
	"testing"

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
	opts := e.readerOptions(ctx, s, st.subs, readerStore{})
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
