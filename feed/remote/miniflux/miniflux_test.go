package miniflux

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"tidings/feed/remote"
)

func TestNameHasNoSecret(t *testing.T) {
	s, err := New(Options{URL: "https://ann:pw@rss.example.org/v1/?token=abc#x", Token: testToken})
	if err != nil {
		t.Fatal(err)
	}
	if s.Name() != "miniflux at https://rss.example.org" {
		t.Errorf("Name() = %q", s.Name())
	}
	if s.endpoint != "https://ann:pw@rss.example.org" {
		t.Errorf("endpoint %q", s.endpoint)
	}
	s, _ = New(Options{URL: "http://127.0.0.1:8080/miniflux/"})
	if s.Name() != "miniflux at http://127.0.0.1:8080/miniflux" || s.endpoint != "http://127.0.0.1:8080/miniflux" {
		t.Errorf("Name() = %q, endpoint %q", s.Name(), s.endpoint)
	}
	for _, bad := range []string{"", "rss.example.org", "ftp://rss.example.org", "https://"} {
		if _, err := New(Options{URL: bad}); err == nil {
			t.Errorf("New(%q) should fail", bad)
		}
	}
	_, err = New(Options{URL: "ftp://ann:hunter2@x"})
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error %v should not show the password", err)
	}
}

func TestFeeds(t *testing.T) {
	f := newFake(t)
	f.cats = append(f.cats, &fakeCat{ID: 2, Title: "Tech"})
	f.feeds = []*fakeFeed{
		{ID: 4, URL: "https://a.example/feed", Title: "A", CatID: 2},
		{ID: 5, URL: "https://b.example/feed", Title: "B", CatID: 1, ErrCount: 3, ErrMsg: "unable to parse feed"},
		{ID: 6, URL: "https://c.example/feed", Title: "C", CatID: 1, ErrCount: 1},
	}
	got, err := f.client(t).Feeds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []remote.Feed{
		{ID: "4", URL: "https://a.example/feed", SiteURL: "https://site.example/", Title: "A", Category: "Tech"},
		{ID: "5", URL: "https://b.example/feed", SiteURL: "https://site.example/", Title: "B", Category: "All", Error: "unable to parse feed"},
		{ID: "6", URL: "https://c.example/feed", SiteURL: "https://site.example/", Title: "C", Category: "All", Error: "1 failed fetches"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("feed %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestSubscribeFindsOrMakesTheCategory(t *testing.T) {
	f := newFake(t)
	f.cats = append(f.cats, &fakeCat{ID: 2, Title: "Tech"})
	s := f.client(t)
	ctx := context.Background()

	fd, err := s.Subscribe(ctx, "https://a.example/feed", "tech")
	if err != nil {
		t.Fatal(err)
	}
	if fd.Category != "Tech" || fd.URL != "https://a.example/feed" || fd.ID != "10" {
		t.Errorf("subscribed %+v, want in Tech", fd)
	}
	if n := len(f.requestsLike("POST /v1/categories")); n != 0 {
		t.Errorf("made a category although Tech exists")
	}
	fd, err = s.Subscribe(ctx, "https://b.example/feed", "News")
	if err != nil || fd.Category != "News" || len(f.cats) != 3 {
		t.Errorf("subscribed %+v, %v; want in a new category News", fd, err)
	}
	fd, err = s.Subscribe(ctx, "https://c.example/feed", "")
	if err != nil || fd.Category != "All" {
		t.Errorf("subscribed %+v, %v; want in the default category", fd, err)
	}

	_, err = s.Subscribe(ctx, "https://c.example/feed", "")
	if err == nil || err.Error() != "miniflux at "+f.srv.URL+": subscribe to https://c.example/feed: 400 bad request: This feed already exists." {
		t.Errorf("subscribing twice: %v", err)
	}
	_, err = s.Subscribe(ctx, "https://ann:pw-of-feed@d.example/not-a-feed", "")
	if err == nil || err.Error() != "miniflux at "+f.srv.URL+": subscribe to https://d.example/not-a-feed: 500 internal server error: parser: unable to detect feed format" {
		t.Errorf("subscribing to a page that is no feed: %v", err)
	}
}

// A server answering null where a feed or category should be is an
// error, not a crash.
func TestSubscribeAnsweredNull(t *testing.T) {
	for _, path := range []string{"/v1/feeds/10", "/v1/categories"} {
		f := newFake(t)
		s := f.client(t)
		f.override = func(w http.ResponseWriter, r *http.Request) {
			f.mu.Lock()
			defer f.mu.Unlock()
			if r.URL.Path == path && (r.Method == "POST" || path != "/v1/categories") {
				writeJSON(w, http.StatusOK, nil)
				return
			}
			f.route(w, r)
		}
		_, err := s.Subscribe(context.Background(), "https://a.example/feed", "News")
		if want := "miniflux at " + f.srv.URL + ": subscribe to https://a.example/feed: the answer is not what a Miniflux server sends: is the URL right?"; err == nil || err.Error() != want {
			t.Errorf("%s answering null: %v", path, err)
		}
	}
}

func TestUnsubscribeAndRefresh(t *testing.T) {
	f := newFake(t)
	f.feeds = []*fakeFeed{{ID: 4, URL: "https://a.example/feed", CatID: 1}}
	s := f.client(t)
	ctx := context.Background()
	if err := s.Unsubscribe(ctx, "4"); err != nil || len(f.feeds) != 0 {
		t.Errorf("Unsubscribe: %v, feeds left %d", err, len(f.feeds))
	}
	err := s.Unsubscribe(ctx, "4")
	var re *remote.Error
	if !errors.As(err, &re) || re.Status != 404 {
		t.Errorf("unsubscribing a gone feed: %v", err)
	}
	if err := s.Unsubscribe(ctx, "feed/4"); err == nil {
		t.Error("a feed ID that is not Miniflux's should be refused")
	}
	if err := s.Refresh(ctx); err != nil || len(f.requestsLike("PUT /v1/feeds/refresh")) != 1 {
		t.Errorf("Refresh: %v, requests %q", err, f.requests)
	}
	st, err := s.States(ctx)
	if err != nil || st.Complete {
		t.Errorf("States = %+v, %v; want incomplete", st, err)
	}
}

func idList(from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, strconv.Itoa(i))
	}
	return out
}

func TestMarkBatches(t *testing.T) {
	f := newFake(t)
	f.addEntries(2500)
	s := f.client(t)
	ctx := context.Background()

	if err := s.Mark(ctx, idList(1, 1000), remote.Mark{Kind: remote.Read, On: true}); err != nil {
		t.Fatal(err)
	}
	if n := len(f.requestsLike("PUT /v1/entries")); n != 1 {
		t.Errorf("marking 1,000 read took %d requests, want 1", n)
	}
	f.resetRequests()
	ids := append(idList(1, 2500), "1", "x", "-3", "")
	if err := s.Mark(ctx, ids, remote.Mark{Kind: remote.Starred, On: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(f.bodies, " ") != "1000 1000 500" {
		t.Errorf("starring 2,500 sent batches of %q, want 1000 1000 500", f.bodies)
	}
	if err := s.Mark(ctx, idList(1000, 1001), remote.Mark{Kind: remote.Read, On: false}); err != nil {
		t.Fatal(err)
	}
	for _, e := range f.entries {
		read := e.ID < 1000
		if (e.Status == "read") != read || !e.Starred {
			t.Fatalf("entry %d: %s, starred %v", e.ID, e.Status, e.Starred)
		}
	}
	f.resetRequests()
	if err := s.Mark(ctx, []string{"y"}, remote.Mark{Kind: remote.Read, On: true}); err != nil || len(f.requests) != 0 {
		t.Errorf("marking no valid ID: %v, %d requests", err, len(f.requests))
	}
}

// On a Miniflux that cannot set starred for a list, the client toggles,
// and only the entries whose flag differs: toggling a starred entry would
// unstar it.
func TestMarkStarredTogglesOnOlderServers(t *testing.T) {
	f := newFake(t)
	f.noStarredField = true
	f.addEntries(250)
	for _, id := range []int64{2, 150, 240} {
		f.entries[id-1].Starred = true
	}
	s := f.client(t)
	if err := s.Mark(context.Background(), idList(1, 200), remote.Mark{Kind: remote.Starred, On: true}); err != nil {
		t.Fatal(err)
	}
	for _, e := range f.entries {
		want := e.ID <= 200 || e.ID == 240
		if e.Starred != want {
			t.Errorf("entry %d starred %v, want %v", e.ID, e.Starred, want)
		}
	}
	toggles := len(f.requestsLike("PUT /v1/entries/"))
	lists := len(f.requestsLike("GET /v1/entries"))
	if toggles != 198 || lists != 1 {
		t.Errorf("%d toggles and %d lists, want 198 and 1", toggles, lists)
	}
	if err := s.Mark(context.Background(), []string{"2", "3"}, remote.Mark{Kind: remote.Starred, On: false}); err != nil {
		t.Fatal(err)
	}
	// Starring an entry gone from the server is nothing to retry.
	if err := s.Mark(context.Background(), []string{"9999", "250"}, remote.Mark{Kind: remote.Starred, On: true}); err != nil || !f.entries[249].Starred {
		t.Errorf("starring a gone entry and 250: %v", err)
	}
	if f.entries[1].Starred || f.entries[2].Starred || !f.entries[0].Starred {
		t.Error("unstarring 2 and 3 went wrong")
	}
}
