package miniflux

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"tidings/feed/remote"
)

// syncOnce runs Entries from cursor, with store as what is stored here,
// and returns what came (stored too), the pages and the next cursor.
func syncOnce(t *testing.T, s *Server, cursor string, store map[string]remote.Entry) ([]remote.Entry, int, string) {
	t.Helper()
	var got []remote.Entry
	pages := 0
	known := func(id string) bool { _, ok := store[id]; return ok }
	next, err := s.Entries(context.Background(), cursor, known, func(p []remote.Entry) error {
		pages++
		if len(p) > PageSize {
			t.Errorf("a page of %d entries, over %d", len(p), PageSize)
		}
		for _, e := range p {
			got = append(got, e)
			store[e.ID] = e
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Entries: %v", err)
	}
	return got, pages, next
}

func ids(es []remote.Entry) string {
	var b []string
	for _, e := range es {
		b = append(b, e.ID)
	}
	return strings.Join(b, ",")
}

func TestEntriesFirstSyncPagesEverything(t *testing.T) {
	f := newFake(t)
	f.addEntries(2*PageSize + 50)
	f.set(7, func(e *fakeEntry) { e.Status = "read"; e.Starred = true })
	s := f.client(t)

	got, pages, cursor := syncOnce(t, s, "", map[string]remote.Entry{})
	if len(got) != 2*PageSize+50 || pages != 3 {
		t.Fatalf("got %d entries in %d pages, want %d in 3", len(got), pages, 2*PageSize+50)
	}
	if n := len(f.requestsLike("GET /v1/entries")); n != 4 {
		t.Errorf("%d requests, want 4 (the newest change, then 3 pages)", n)
	}
	seen := map[string]bool{}
	for _, e := range got {
		if seen[e.ID] {
			t.Errorf("entry %s twice", e.ID)
		}
		seen[e.ID] = true
	}
	e := got[6]
	want := remote.Entry{ID: "7", FeedID: "1", Title: "Entry 7", URL: "https://example.org/7", Author: "Ann",
		Content: "<p>Body 7</p>", Read: true, Starred: true, Changed: f.entry(7).Changed,
		Published: parseCursor(f.entry(7).Published)}
	if e != want {
		t.Errorf("entry 7 =\n%+v, want\n%+v", e, want)
	}
	if cursor != f.entry(7).Changed.Format(time.RFC3339Nano) {
		t.Errorf("cursor %q, want the newest changed_at %s", cursor, f.entry(7).Changed.Format(time.RFC3339Nano))
	}
}

func TestEntriesNextSyncAsksOnlyForChanges(t *testing.T) {
	f := newFake(t)
	f.addEntries(120)
	s := f.client(t)
	store := map[string]remote.Entry{}
	_, _, cursor := syncOnce(t, s, "", store)

	f.set(3, func(e *fakeEntry) { e.Status = "read" })
	f.set(110, func(e *fakeEntry) { e.Starred = true })
	f.addEntries(1)
	f.resetRequests()
	got, _, cursor2 := syncOnce(t, s, cursor, store)
	if ids(got) != "3,110,121" {
		t.Fatalf("second sync brought %q, want 3,110,121", ids(got))
	}
	if !got[0].StateOnly || !got[0].Read || got[0].Title != "" || !got[1].StateOnly || !got[1].Starred {
		t.Errorf("entries stored here should come with their state only: %+v %+v", got[0], got[1])
	}
	if got[2].StateOnly || got[2].Title != "Entry 121" {
		t.Errorf("a new entry should come whole: %+v", got[2])
	}
	for _, r := range f.requestsLike("GET /v1/entries") {
		if !strings.Contains(r, "changed_after="+strconv.FormatInt(parseCursor(cursor).Unix(), 10)) {
			t.Errorf("request %q does not ask for changes after the cursor", r)
		}
	}

	f.resetRequests()
	got, _, cursor3 := syncOnce(t, s, cursor2, store)
	if len(got) != 0 || cursor3 != cursor2 {
		t.Errorf("a sync with nothing new brought %q, cursor %q → %q", ids(got), cursor2, cursor3)
	}
	if n := len(f.requests); n != 1 || !strings.Contains(f.requests[0], "limit=1&") {
		t.Errorf("a sync with nothing new made %d requests %q, want one of one entry", n, f.requests)
	}
}

// A mark-all-as-read gives thousands of entries one changed_at; the sync
// after the one that brought them must not bring them again.
func TestEntriesNothingNewAfterMarkAllIsOneRequest(t *testing.T) {
	f := newFake(t)
	f.addEntries(300)
	s := f.client(t)
	store := map[string]remote.Entry{}
	_, _, cursor := syncOnce(t, s, "", store)
	var all []string
	for i := 1; i <= 300; i++ {
		all = append(all, strconv.Itoa(i))
	}
	if err := s.Mark(context.Background(), all, remote.Mark{Kind: remote.Read, On: true}); err != nil {
		t.Fatal(err)
	}
	got, _, cursor := syncOnce(t, s, cursor, store)
	if len(got) != 300 {
		t.Fatalf("the sync after marking all read brought %d entries, want 300", len(got))
	}
	f.resetRequests()
	got, _, cursor = syncOnce(t, s, cursor, store)
	if len(got) != 0 || len(f.requests) != 1 {
		t.Errorf("the next sync brought %d entries in %d requests, want none in 1", len(got), len(f.requests))
	}
	// A change in the same second as the mark brings that change only.
	f.now = f.now.Add(-650 * time.Millisecond)
	f.set(5, func(e *fakeEntry) { e.Starred = true })
	if f.entry(5).Changed.Unix() != f.entry(6).Changed.Unix() {
		t.Fatal("the fake's clock should have stayed in the same second")
	}
	got, _, _ = syncOnce(t, s, cursor, store)
	if ids(got) != "5" {
		t.Errorf("a change after marking all brought %d entries, want entry 5 only", len(got))
	}
}

// Entries that change or vanish while a sync pages must not make it skip
// others (offset paging would), and a change made meanwhile comes next
// sync.
func TestEntriesChangesWhilePagingSkipNothing(t *testing.T) {
	f := newFake(t)
	f.addEntries(3 * PageSize)
	s := f.client(t)
	gone := PageSize + 51
	f.beforeList = func(n int) {
		if n == 2 { // after the newest change and the first page
			f.entries = f.entries[1:] // entry 1, already sent, is deleted
			e := f.entry(50)          // entry 50, already sent, is read on the web
			e.Status, e.Changed = "read", f.tick()
			f.entries = append(f.entries[:gone-2], f.entries[gone-1:]...) // one not yet sent, too
		}
	}
	store := map[string]remote.Entry{}
	got, _, cursor := syncOnce(t, s, "", store)
	f.beforeList = nil
	if len(got) != 3*PageSize-1 {
		t.Fatalf("got %d entries, want %d (less the one deleted before it was sent)", len(got), 3*PageSize-1)
	}
	for i := 1; i <= 3*PageSize; i++ {
		if _, ok := store[strconv.Itoa(i)]; !ok && i != gone {
			t.Errorf("entry %d skipped", i)
		}
	}
	got, _, _ = syncOnce(t, s, cursor, store)
	if ids(got) != "50" || !got[0].Read {
		t.Errorf("the next sync brought %q, want entry 50, read", ids(got))
	}
}

// The cursor comes from the server's clock: hours ahead of or behind this
// machine's, a sync still asks for exactly what changed after the last.
func TestEntriesCursorFollowsTheServerClock(t *testing.T) {
	for _, skew := range []time.Duration{-9 * time.Hour, 7 * time.Hour} {
		t.Run(skew.String(), func(t *testing.T) {
			f := newFake(t)
			f.now = time.Now().Add(skew)
			f.addEntries(5)
			s := f.client(t)
			store := map[string]remote.Entry{}
			_, _, cursor := syncOnce(t, s, "", store)
			if want := f.entry(5).Changed.Format(time.RFC3339Nano); cursor != want {
				t.Fatalf("cursor %q, want the server's %q", cursor, want)
			}
			f.set(2, func(e *fakeEntry) { e.Starred = true })
			f.resetRequests()
			got, _, _ := syncOnce(t, s, cursor, store)
			if ids(got) != "2" {
				t.Errorf("brought %q, want 2", ids(got))
			}
			want := "changed_after=" + strconv.FormatInt(f.entry(5).Changed.Unix(), 10)
			if r := f.requestsLike("GET /v1/entries"); len(r) == 0 || !strings.Contains(r[0], want) {
				t.Errorf("requests %q, want %s", r, want)
			}
		})
	}
}

func TestEntriesBadDatesDoNotFailThePage(t *testing.T) {
	f := newFake(t)
	f.addEntries(3)
	f.entries[0].Published = "last Tuesday"
	f.entries[1].changedRaw = "soon"
	s := f.client(t)
	got, _, _ := syncOnce(t, s, "", map[string]remote.Entry{})
	if len(got) != 3 {
		t.Fatalf("got %d entries, want 3", len(got))
	}
	if !got[0].Published.IsZero() || !got[1].Changed.IsZero() || got[2].Published.IsZero() {
		t.Errorf("unreadable times should be zero, the others read: %v %v %v", got[0].Published, got[1].Changed, got[2].Published)
	}
}

// Hostile strings are passed on as the server sent them: the sync engine's
// gates sanitise them.
func TestEntriesPassHostileStringsThrough(t *testing.T) {
	f := newFake(t)
	f.addEntries(2)
	title := "\x1b]52;c;ZXZpbA==\x07\x1b[2J" + strings.Repeat("T", 1<<20)
	f.entries[0].Title = title
	f.entries[0].URL = "javascript:alert(1)"
	f.entries[0].Content = `<a href="javascript:alert(1)">x</a><script>alert(2)</script>`
	f.entries[0].Author = "\x1b[31mred\u202e"
	s := f.client(t)
	got, _, _ := syncOnce(t, s, "", map[string]remote.Entry{})
	e := got[0]
	if e.Title != title || e.URL != f.entries[0].URL || e.Content != f.entries[0].Content || e.Author != f.entries[0].Author {
		t.Errorf("hostile strings changed on the way: title %d bytes (want %d), url %q, content %q, author %q",
			len(e.Title), len(title), e.URL, e.Content, e.Author)
	}
}

// Miniflux before 2.2 marked flushed entries "removed": such an entry is
// read if stored here, and not worth downloading if not.
func TestEntriesRemovedStatus(t *testing.T) {
	f := newFake(t)
	f.addEntries(3)
	s := f.client(t)
	store := map[string]remote.Entry{}
	_, _, cursor := syncOnce(t, s, "", store)
	f.set(1, func(e *fakeEntry) { e.Status = "removed" })
	f.addEntries(1)
	f.set(4, func(e *fakeEntry) { e.Status = "removed" })
	got, _, _ := syncOnce(t, s, cursor, store)
	if ids(got) != "1" || !got[0].Read || !got[0].StateOnly {
		t.Errorf("got %+v, want entry 1 only, read", got)
	}
}

func TestEntriesStopWhenPageFails(t *testing.T) {
	f := newFake(t)
	f.addEntries(250)
	s := f.client(t)
	stop := fmt.Errorf("disk full")
	pages := 0
	_, err := s.Entries(context.Background(), "", nil, func([]remote.Entry) error { pages++; return stop })
	if err != stop || pages != 1 {
		t.Errorf("err %v after %d pages, want the page's own error after 1", err, pages)
	}
}

func BenchmarkDecodePage(b *testing.B) {
	body := strings.Repeat("<p>Some words of a body, and a <a href=\"https://example.org/\">link</a>.</p>\n", 5<<10/80)
	var es []any
	for i := range 100 {
		es = append(es, entryJSON(&fakeEntry{ID: int64(i + 1), FeedID: 3, Status: "unread", Title: "A title of an entry",
			URL: "https://example.org/a/long/path", Author: "Ann", Content: body,
			Published: "2026-03-01T12:00:00Z", Changed: time.Date(2026, 3, 1, 12, 0, 0, 5000, time.UTC)}))
	}
	data, _ := json.Marshal(map[string]any{"total": 100, "entries": es})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var p entriesPage
		if err := json.NewDecoder(strings.NewReader(string(data))).Decode(&p); err != nil {
			b.Fatal(err)
		}
		if got, _ := convert(p.Entries, time.Time{}, nil); len(got) != 100 {
			b.Fatal(len(got))
		}
	}
}

// A first sync of 10,000 entries is 42 requests: the newest change, 40
// full pages and the empty one that ends them.
func TestEntriesFirstSyncOf10000IsBounded(t *testing.T) {
	f := newFake(t)
	f.addEntries(10000)
	s := f.client(t)
	got, pages, _ := syncOnce(t, s, "", map[string]remote.Entry{})
	if len(got) != 10000 || pages != 10000/PageSize {
		t.Errorf("got %d entries in %d pages, want 10,000 in %d", len(got), pages, 10000/PageSize)
	}
	if n := len(f.requests); n != 10000/PageSize+2 {
		t.Errorf("%d requests, want %d", n, 10000/PageSize+2)
	}
}

// BenchmarkFirstSync10000 is a first sync of 10,000 entries of 5 KB
// bodies from the fake on loopback: the client's share of the issue's
// figure (the fake answers in memory; a real Miniflux takes longer).
func BenchmarkFirstSync10000(b *testing.B) {
	f := &fake{token: testToken, now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	defer f.srv.Close()
	f.addEntries(10000)
	body := strings.Repeat("<p>Some words of a body, and a <a href=\"https://example.org/\">link</a>.</p>\n", 5<<10/80)
	for _, e := range f.entries {
		e.Content = body
	}
	s, _ := New(Options{URL: f.srv.URL, Token: testToken})
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		_, err := s.Entries(context.Background(), "", nil, func(p []remote.Entry) error { n += len(p); return nil })
		if err != nil || n != 10000 {
			b.Fatal(n, err)
		}
	}
}

// Pages of long entries that overflow the cap on a response are asked
// again shorter, and nothing is lost.
func TestEntriesLongPagesAreAskedShorter(t *testing.T) {
	f := newFake(t)
	f.addEntries(260)
	for _, e := range f.entries {
		e.Content = strings.Repeat("x", 800)
	}
	s := f.client(t)
	s.http.Transport = recorder{next: http.DefaultTransport, max: 64 << 10}
	got, _, _ := syncOnce(t, s, "", map[string]remote.Entry{})
	if len(got) != 260 {
		t.Errorf("got %d entries, want 260", len(got))
	}
	var limits []string
	for _, r := range f.requestsLike("GET /v1/entries") {
		u, _ := url.Parse(strings.TrimPrefix(r, "GET "))
		limits = append(limits, u.Query().Get("limit"))
	}
	if want := "1 250 50 50 50 50 50 50"; strings.Join(limits, " ") != want {
		t.Errorf("asked %q, want %q", strings.Join(limits, " "), want)
	}
}
