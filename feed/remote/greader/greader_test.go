package greader

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"tidings/feed/remote"
)

var ctx = context.Background()

func TestNameAndBase(t *testing.T) {
	cases := []struct{ in, name string }{
		{"https://rss.example.org", "greader at https://rss.example.org"},
		{"https://rss.example.org/", "greader at https://rss.example.org"},
		{"https://ann:pw@rss.example.org/api/greader.php?x=1#f", "greader at https://rss.example.org/api/greader.php"},
		{"https://rss.example.org/api/greader.php/reader/api/0/", "greader at https://rss.example.org/api/greader.php"},
		{"https://rss.example.org/mf/accounts/ClientLogin", "greader at https://rss.example.org/mf"},
	}
	for _, c := range cases {
		cl, err := New(Options{URL: c.in, Username: "ann", Password: "pw"})
		if err != nil || cl.Name() != c.name {
			t.Errorf("%q: got %v %v, want %q", c.in, cl, err, c.name)
		}
	}
	for _, bad := range []string{"", "rss.example.org", "ftp://rss.example.org", "https://"} {
		if _, err := New(Options{URL: bad, Username: "ann", Password: "pw"}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	for _, withPassword := range []string{"ftp://ann:hunter2@rss.example.org", "https://ann:hunter2@rss.example.org:port/", "ann:hunter2@rss.example.org"} {
		if _, err := New(Options{URL: withPassword, Username: "ann", Password: "pw"}); err == nil || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%q: %v", withPassword, err)
		}
	}
	if _, err := New(Options{URL: "https://x", Username: "ann"}); err == nil {
		t.Error("no password: no error")
	}
}

func TestNormID(t *testing.T) {
	cases := []struct{ in, want string }{
		{"tag:google.com,2005:reader/item/000000000000048c", "1164"},
		{"tag:google.com,2005:reader/item/2f2", "754"},
		{"000000000000048c", "1164"},
		{"1164", "1164"},
		{" 1164 ", "1164"},
		{"1700000000123456", "1700000000123456"}, // FreshRSS: 16 decimal digits stay decimal
		{"-8975923591249829367", "-8975923591249829367"},
		{"tag:google.com,2005:reader/item/836f1d0cdc816209", "-8975923591249829367"},
		{"9470820482459722249", "-8975923591249829367"},
		{"836f1d0cdc816209", "-8975923591249829367"},
	}
	for _, c := range cases {
		if got, ok := normID(c.in); !ok || got != c.want {
			t.Errorf("normID(%q) = %q %v, want %q", c.in, got, ok, c.want)
		}
	}
	for _, bad := range []string{"", "abc", "tag:google.com,2005:reader/item/", "tag:google.com,2005:reader/item/xyz", "1.5"} {
		if got, ok := normID(bad); ok {
			t.Errorf("normID(%q) = %q, want refused", bad, got)
		}
	}
	for _, id := range []string{"1164", "-8975923591249829367", "1700000000123456"} {
		l, ok := longID(id)
		if back, ok2 := normID(l); !ok || !ok2 || back != id || len(l) != len(longPrefix)+16 {
			t.Errorf("longID(%q) = %q, back %q", id, l, back)
		}
	}
}

func TestFeeds(t *testing.T) {
	f, srv := newFake(t)
	f.feeds = []fakeFeed{{id: 3, url: "https://a.example/feed", site: "https://a.example", name: "A", category: "News"}}
	got, err := f.client(t, srv).Feeds(ctx)
	want := []remote.Feed{{ID: "feed/3", URL: "https://a.example/feed", SiteURL: "https://a.example", Title: "A", Category: "News"}}
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("got %+v %v", got, err)
	}
	if f.logins != 1 || f.tokens != 0 {
		t.Errorf("%d logins, %d tokens: want 1 login, no token for a GET", f.logins, f.tokens)
	}
}

func TestSubscribeAndUnsubscribe(t *testing.T) {
	f, srv := newFake(t)
	c := f.client(t, srv)
	got, err := c.Subscribe(ctx, "https://b.example/rss", "Tech")
	want := remote.Feed{ID: "feed/1", URL: "https://b.example/rss", SiteURL: "https://site.example", Title: "Feed https://b.example/rss", Category: "Tech"}
	if err != nil || got != want {
		t.Fatalf("got %+v %v", got, err)
	}
	if got, err = c.Subscribe(ctx, "https://c.example/rss", ""); err != nil || got.Category != "All" || f.calls["subscription/edit"] != 1 {
		t.Fatalf("no category: %+v %v, %d edits", got, err, f.calls["subscription/edit"])
	}
	if err := c.Unsubscribe(ctx, "feed/1"); err != nil {
		t.Fatal(err)
	}
	if len(f.feeds) != 1 || f.feeds[0].id != 2 {
		t.Fatalf("feeds left: %+v", f.feeds)
	}
	_, err = c.Subscribe(ctx, "nowhere", "")
	if err == nil || err.Error() != "greader at "+srv.URL+": subscribe to nowhere: the server said: no feed at nowhere" {
		t.Fatalf("quickadd finding nothing: %v", err)
	}
}

func TestRefreshUnsupported(t *testing.T) {
	f, srv := newFake(t)
	err := f.client(t, srv).Refresh(ctx)
	if !errors.Is(err, remote.ErrUnsupported) {
		t.Fatalf("%v", err)
	}
	if len(f.calls) != 0 || f.logins != 0 {
		t.Errorf("refresh made requests: %v, %d logins", f.calls, f.logins)
	}
}

// collect runs Entries and returns the pages it gave.
func collect(t *testing.T, c *Client, cursor string, known func(string) bool) ([][]remote.Entry, string) {
	t.Helper()
	var pages [][]remote.Entry
	next, err := c.Entries(ctx, cursor, known, func(p []remote.Entry) error {
		pages = append(pages, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return pages, next
}

func TestEntries(t *testing.T) {
	f, srv := newFake(t)
	f.addEntries(1, 3, 1_764_000_000_000)
	e := f.entry(2)
	e.read, e.starred, e.author = true, true, "Bea"
	pages, next := collect(t, f.client(t, srv), "", nil)
	if len(pages) != 1 || len(pages[0]) != 3 {
		t.Fatalf("pages %v", pages)
	}
	got := pages[0][1]
	want := remote.Entry{ID: "2", FeedID: "feed/1", Title: "Entry 2", URL: "https://example.org/2", Author: "Bea",
		Published: time.Unix(1_700_000_002, 0).UTC(), Content: "<p>Body 2</p>", Read: true, Starred: true}
	if got != want {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if pages[0][0].Read || pages[0][0].Starred {
		t.Errorf("entry 3 is neither read nor starred: %+v", pages[0][0])
	}
	if next != "1764000000003" {
		t.Errorf("cursor %q, want the newest crawl time", next)
	}
}

func TestEntriesPagesAndBatches(t *testing.T) {
	f, srv := newFake(t)
	f.maxPage = 70 // the server gives fewer IDs than asked: continuation
	f.addEntries(1, 250, 1_764_000_000_000)
	pages, _ := collect(t, f.client(t, srv), "", nil)
	var ids []string
	for _, p := range pages {
		if len(p) > contentsBatch {
			t.Errorf("a page of %d entries", len(p))
		}
		for _, e := range p {
			ids = append(ids, e.ID)
		}
	}
	if len(ids) != 250 || f.calls["stream/items/ids"] != 4 {
		t.Fatalf("%d entries in %d ID pages, want 250 in 4", len(ids), f.calls["stream/items/ids"])
	}
	slices.Sort(ids)
	if len(slices.Compact(ids)) != 250 {
		t.Error("an entry came twice")
	}
}

func TestEntriesSecondSyncAsksOnlyForNew(t *testing.T) {
	f, srv := newFake(t)
	f.addEntries(1, 5, 1_764_000_000_000)
	c := f.client(t, srv)
	stored := map[string]bool{}
	known := func(id string) bool { return stored[id] }
	store := func(pages [][]remote.Entry) {
		for _, p := range pages {
			for _, e := range p {
				stored[e.ID] = true
			}
		}
	}
	pages, cursor := collect(t, c, "", known)
	store(pages)
	f.addEntries(6, 2, 1_764_000_100_000)
	f.contents = nil
	pages, cursor2 := collect(t, c, cursor, known)
	if len(f.contents) != 1 || !slices.Equal(f.contents[0], []string{longPrefix + "0000000000000007", longPrefix + "0000000000000006"}) {
		t.Fatalf("second sync asked contents of %v, want only 7 and 6", f.contents)
	}
	if len(pages) != 1 || len(pages[0]) != 2 || cursor2 != "1764000100007" {
		t.Fatalf("pages %v, cursor %q", pages, cursor2)
	}
	f.contents = nil
	pages, cursor3 := collect(t, c, cursor2, func(string) bool { return true })
	if len(pages) != 0 || len(f.contents) != 0 || cursor3 != cursor2 {
		t.Fatalf("nothing new: pages %v, contents calls %v, cursor %q", pages, f.contents, cursor3)
	}
}

func TestEntriesPageErrorStops(t *testing.T) {
	f, srv := newFake(t)
	f.addEntries(1, 250, 1_764_000_000_000)
	boom := errors.New("disk full")
	calls := 0
	next, err := f.client(t, srv).Entries(ctx, "42", nil, func([]remote.Entry) error { calls++; return boom })
	if err != boom || calls != 1 || next != "42" || f.calls["stream/items/contents"] != 1 {
		t.Fatalf("err %v after %d pages, %d contents calls, cursor %q", err, calls, f.calls["stream/items/contents"], next)
	}
}

func TestStates(t *testing.T) {
	f, srv := newFake(t)
	f.maxPage = 4
	f.addEntries(1, 10, 1_764_000_000_000)
	for _, id := range []int64{1, 2, 3} {
		f.entry(id).read = true
	}
	for _, id := range []int64{2, 9} {
		f.entry(id).starred = true
	}
	s, err := f.client(t, srv).States(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Complete || !slices.Equal(s.Unread, []string{"10", "9", "8", "7", "6", "5", "4"}) || !slices.Equal(s.Starred, []string{"9", "2"}) {
		t.Fatalf("%+v", s)
	}
}

// TestStatesDeduplicated: an entry arriving between two pages shifts
// Miniflux's offset continuation; the ID it pushes onto the next page
// comes once.
func TestStatesDeduplicated(t *testing.T) {
	f, srv := newFake(t)
	f.maxPage = 3
	f.addEntries(1, 7, 1_764_000_000_000)
	calls := 0
	f.override["stream/items/ids"] = func(w http.ResponseWriter, r *http.Request) {
		if calls++; calls == 2 {
			f.entries = append([]*fakeEntry{{id: 100, feed: 1}}, f.entries...)
		}
		f.itemIDs(w, r)
	}
	s, err := f.client(t, srv).States(ctx)
	if err != nil || !slices.Equal(s.Unread, []string{"7", "6", "5", "4", "3", "2", "1"}) {
		t.Fatalf("%v %v", s.Unread, err)
	}
}

func TestStatesBounded(t *testing.T) {
	f, srv := newFake(t)
	f.maxPage = 40
	f.addEntries(1, 101, 1_764_000_000_000)
	c := f.client(t, srv)
	if c.stateLimit != 100_000 {
		t.Errorf("the bound is %d, want 100,000", c.stateLimit)
	}
	c.stateLimit = 100
	_, err := c.States(ctx)
	if err == nil || err.Error() != "greader at "+srv.URL+": list unread entries: the server lists more than 100 entries; tidings stops rather than hold them all: mark older entries read, or unstar them, on the server" {
		t.Fatalf("%v", err)
	}
}

func TestMarkBatches(t *testing.T) {
	f, srv := newFake(t)
	f.addEntries(1, 1000, 1_764_000_000_000)
	ids := make([]string, 1000)
	for i := range ids {
		ids[i] = strconv.Itoa(i + 1)
	}
	c := f.client(t, srv)
	if err := c.Mark(ctx, ids, remote.Mark{Kind: remote.Read, On: true}); err != nil {
		t.Fatal(err)
	}
	if len(f.edits) != 2 {
		t.Fatalf("1,000 marks in %d requests, want 2", len(f.edits))
	}
	// The few fields first: PHP servers read only the first 1,000.
	if want := "T=" + f.token + "&a=user%2F-%2Fstate%2Fcom.google%2Fread&i=tag%3Agoogle.com%2C2005%3Areader%2Fitem%2F0000000000000"; !strings.HasPrefix(f.lastBody, want) {
		t.Errorf("edit-tag body begins %.120q", f.lastBody)
	}
	for _, e := range f.entries {
		if !e.read {
			t.Fatalf("entry %d not read", e.id)
		}
	}
	for _, m := range []struct {
		mark     remote.Mark
		key, tag string
	}{
		{remote.Mark{Kind: remote.Read}, "r", readTag},
		{remote.Mark{Kind: remote.Starred, On: true}, "a", starredTag},
		{remote.Mark{Kind: remote.Starred}, "r", starredTag},
	} {
		f.edits = nil
		if err := c.Mark(ctx, []string{"5", "not-an-id", "6"}, m.mark); err != nil {
			t.Fatal(err)
		}
		if len(f.edits) != 1 || f.edits[0][m.key][0] != m.tag || len(f.edits[0]["i"]) != 2 {
			t.Errorf("%+v: sent %v", m.mark, f.edits)
		}
	}
	if e := f.entry(5); e.read || e.starred {
		t.Errorf("entry 5 after unread and unstar: %+v", e)
	}
	f.edits = nil
	if err := c.Mark(ctx, nil, remote.Mark{Kind: remote.Read, On: true}); err != nil || len(f.edits) != 0 {
		t.Errorf("no IDs: %v, %d requests", err, len(f.edits))
	}
}

// TestFreshRSSBase speaks to a server whose API lives below a path, as
// FreshRSS's api/greader.php.
func TestFreshRSSBase(t *testing.T) {
	f, srv := newFake(t)
	f.prefix = "/api/greader.php"
	f.addEntries(1, 2, 1_764_000_000_000)
	c := f.client(t, srv)
	if err := c.Mark(ctx, []string{"1"}, remote.Mark{Kind: remote.Starred, On: true}); err != nil {
		t.Fatal(err)
	}
	if !f.entry(1).starred || f.logins != 1 || f.tokens != 1 {
		t.Fatalf("starred %v, %d logins, %d tokens", f.entry(1).starred, f.logins, f.tokens)
	}
	if c.Name() != fmt.Sprintf("greader at %s/api/greader.php", srv.URL) {
		t.Errorf("name %q", c.Name())
	}
}

// TestFreshRSSShapes: FreshRSS's IDs are 16-digit decimals (microseconds
// of arrival) listed with the last ID as continuation, its states are
// user/-/…, its bodies in summary only.
func TestFreshRSSShapes(t *testing.T) {
	f, srv := newFake(t)
	f.prefix, f.freshrss, f.maxPage = "/api/greader.php", true, 2
	const first = 1_764_000_000_000_000
	f.addEntries(first, 5, 0)
	f.entry(first + 1).read = true
	f.entry(first + 3).starred = true
	c := f.client(t, srv)
	pages, next := collect(t, c, "", nil)
	var got []remote.Entry
	for _, p := range pages {
		got = append(got, p...)
	}
	if len(got) != 5 || f.calls["stream/items/ids"] != 3 || next != "1764000000000" {
		t.Fatalf("%d entries, %d ID pages, cursor %q", len(got), f.calls["stream/items/ids"], next)
	}
	e := got[3] // newest first: first+4 … first
	if e.ID != "1764000000000001" || !e.Read || e.Starred || e.Content != "<p>Body 1764000000000001</p>" {
		t.Errorf("%+v", e)
	}
	s, err := c.States(ctx)
	if err != nil || len(s.Unread) != 4 || !slices.Equal(s.Starred, []string{"1764000000000003"}) {
		t.Fatalf("%+v %v", s, err)
	}
	if err := c.Mark(ctx, s.Unread, remote.Mark{Kind: remote.Read, On: true}); err != nil {
		t.Fatal(err)
	}
	for _, e := range f.entries {
		if !e.read {
			t.Errorf("entry %d not read", e.id)
		}
	}
}
