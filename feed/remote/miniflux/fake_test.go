package miniflux

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fake is an httptest fake of Miniflux's REST API, as Miniflux 2.3.5
// answers it (internal/api): the calls this client makes, with their
// filters, and a clock of its own.
type fake struct {
	mu       sync.Mutex
	srv      *httptest.Server
	token    string
	user     string
	pass     string
	now      time.Time // the server's clock: changed_at comes from it
	entries  []*fakeEntry
	feeds    []*fakeFeed
	cats     []*fakeCat
	requests []string // "METHOD path?query" of every request, in order
	bodies   []string // the bodies of PUT /v1/entries
	// noStarredField makes PUT /v1/entries refuse the starred field, as
	// a Miniflux older than it does.
	noStarredField bool
	// beforeList, if set, runs (locked) before each GET /v1/entries
	// answer, with how many were answered before.
	beforeList func(n int)
	lists      int
	// override, if set, answers every request instead.
	override http.HandlerFunc
}

type fakeEntry struct {
	ID, FeedID         int64
	Status             string
	Starred            bool
	Title, URL, Author string
	Content, Published string
	Changed            time.Time
	changedRaw         string // sent instead of Changed when set
}

type fakeFeed struct {
	ID       int64
	URL      string
	Title    string
	CatID    int64
	ErrCount int
	ErrMsg   string
}

type fakeCat struct {
	ID    int64
	Title string
}

const testToken = "s3cret-t0ken-value"

func newFake(t *testing.T) *fake {
	f := &fake{
		token: testToken,
		now:   time.Date(2026, 3, 1, 12, 0, 0, 123456000, time.UTC),
		cats:  []*fakeCat{{ID: 1, Title: "All"}},
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// client is a Server of the fake, with the token.
func (f *fake) client(t *testing.T) *Server {
	s, err := New(Options{URL: f.srv.URL, Token: f.token})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// tick advances the server's clock by a bit less than a second, so that
// changes fall in different seconds and sometimes in the same one.
func (f *fake) tick() time.Time {
	f.now = f.now.Add(700 * time.Millisecond)
	return f.now
}

// addEntries adds n unread entries of feed 1, each created at its tick.
func (f *fake) addEntries(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for range n {
		id := int64(len(f.entries) + 1)
		if len(f.entries) > 0 {
			id = f.entries[len(f.entries)-1].ID + 1
		}
		f.entries = append(f.entries, &fakeEntry{
			ID: id, FeedID: 1, Status: "unread",
			Title: fmt.Sprintf("Entry %d", id), URL: fmt.Sprintf("https://example.org/%d", id),
			Author: "Ann", Content: fmt.Sprintf("<p>Body %d</p>", id),
			Published: f.now.Format(time.RFC3339), Changed: f.tick(),
		})
	}
}

func (f *fake) entry(id int64) *fakeEntry {
	for _, e := range f.entries {
		if e.ID == id {
			return e
		}
	}
	return nil
}

// set changes an entry on the server, as the web UI would.
func (f *fake) set(id int64, change func(e *fakeEntry)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	e := f.entry(id)
	change(e)
	e.Changed = f.tick()
}

func (f *fake) requestsLike(prefix string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.requests {
		if strings.HasPrefix(r, prefix) {
			out = append(out, r)
		}
	}
	return out
}

func (f *fake) resetRequests() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests, f.bodies = nil, nil
}

func (f *fake) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+r.URL.RequestURI())
	override := f.override
	f.mu.Unlock()
	if override != nil {
		override(w, r)
		return
	}
	if !f.authorized(r) {
		w.WriteHeader(http.StatusUnauthorized)
		json.NewEncoder(w).Encode(map[string]string{"error_message": "Access Unauthorized"})
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.route(w, r)
}

func (f *fake) authorized(r *http.Request) bool {
	if f.user != "" {
		u, p, ok := r.BasicAuth()
		return ok && u == f.user && p == f.pass
	}
	return r.Header.Get("X-Auth-Token") == f.token
}

func (f *fake) route(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	switch {
	case r.Method == "GET" && path == "/v1/entries":
		f.listEntries(w, r)
	case r.Method == "PUT" && path == "/v1/entries":
		f.updateEntries(w, r)
	case r.Method == "PUT" && strings.HasSuffix(path, "/bookmark"):
		id, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(path, "/v1/entries/"), "/bookmark"), 10, 64)
		e := f.entry(id)
		if e == nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error_message": "store: nothing has been updated"})
			return
		}
		e.Starred = !e.Starred
		e.Changed = f.tick()
		w.WriteHeader(http.StatusNoContent)
	case r.Method == "GET" && path == "/v1/feeds":
		out := []any{}
		for _, fd := range f.feeds {
			out = append(out, f.feedJSON(fd))
		}
		writeJSON(w, http.StatusOK, out)
	case strings.HasPrefix(path, "/v1/feeds/") && path != "/v1/feeds/refresh":
		f.oneFeed(w, r)
	case r.Method == "POST" && path == "/v1/feeds":
		f.createFeed(w, r)
	case r.Method == "PUT" && path == "/v1/feeds/refresh":
		w.WriteHeader(http.StatusNoContent)
	case path == "/v1/categories":
		f.categories(w, r)
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"error_message": "Not Found"})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (f *fake) feedJSON(fd *fakeFeed) map[string]any {
	m := map[string]any{"id": fd.ID, "feed_url": fd.URL, "site_url": "https://site.example/", "title": fd.Title,
		"checked_at": f.now.Format(time.RFC3339), "password": "feed-password-not-ours"}
	if fd.ErrCount > 0 {
		m["parsing_error_count"], m["parsing_error_message"] = fd.ErrCount, fd.ErrMsg
	}
	for _, c := range f.cats {
		if c.ID == fd.CatID {
			m["category"] = map[string]any{"id": c.ID, "title": c.Title}
		}
	}
	return m
}

func (f *fake) oneFeed(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(strings.TrimPrefix(r.URL.Path, "/v1/feeds/"), 10, 64)
	for i, fd := range f.feeds {
		if fd.ID != id {
			continue
		}
		if r.Method == "DELETE" {
			f.feeds = slices.Delete(f.feeds, i, i+1)
			w.WriteHeader(http.StatusNoContent)
			return
		}
		writeJSON(w, http.StatusOK, f.feedJSON(fd))
		return
	}
	writeJSON(w, http.StatusNotFound, map[string]string{"error_message": "Not Found"})
}

func (f *fake) createFeed(w http.ResponseWriter, r *http.Request) {
	var req struct {
		FeedURL    string `json:"feed_url"`
		CategoryID int64  `json:"category_id"`
	}
	json.NewDecoder(r.Body).Decode(&req)
	if strings.Contains(req.FeedURL, "not-a-feed") {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error_message": "parser: unable to detect feed format"})
		return
	}
	for _, fd := range f.feeds {
		if fd.URL == req.FeedURL {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error_message": "This feed already exists."})
			return
		}
	}
	if req.CategoryID == 0 {
		req.CategoryID = f.cats[0].ID
	}
	fd := &fakeFeed{ID: int64(len(f.feeds) + 10), URL: req.FeedURL, Title: "Feed of " + req.FeedURL, CatID: req.CategoryID}
	f.feeds = append(f.feeds, fd)
	writeJSON(w, http.StatusCreated, map[string]int64{"feed_id": fd.ID})
}

func (f *fake) categories(w http.ResponseWriter, r *http.Request) {
	if r.Method == "POST" {
		var req struct {
			Title string `json:"title"`
		}
		json.NewDecoder(r.Body).Decode(&req)
		c := &fakeCat{ID: int64(len(f.cats) + 1), Title: req.Title}
		f.cats = append(f.cats, c)
		writeJSON(w, http.StatusCreated, map[string]any{"id": c.ID, "title": c.Title})
		return
	}
	out := []any{}
	for _, c := range f.cats {
		out = append(out, map[string]any{"id": c.ID, "title": c.Title})
	}
	writeJSON(w, http.StatusOK, out)
}

// listEntries is GET /v1/entries with the filters Miniflux honours:
// order (id, changed_at…), direction, limit (≤ 1,000), offset,
// after_entry_id, changed_after (whole seconds, strict), starred.
func (f *fake) listEntries(w http.ResponseWriter, r *http.Request) {
	if f.beforeList != nil {
		f.beforeList(f.lists)
	}
	f.lists++
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	after, _ := strconv.ParseInt(q.Get("after_entry_id"), 10, 64)
	changedAfter, _ := strconv.ParseInt(q.Get("changed_after"), 10, 64)
	var sel []*fakeEntry
	for _, e := range f.entries {
		switch {
		case after > 0 && e.ID <= after:
		case changedAfter > 0 && !e.Changed.After(time.Unix(changedAfter, 0)):
		case q.Has("starred") && strconv.FormatBool(e.Starred) != q.Get("starred"):
		default:
			sel = append(sel, e)
		}
	}
	f.sortEntries(sel, q.Get("order"), q.Get("direction"))
	offset, _ := strconv.Atoi(q.Get("offset"))
	page := sel[min(offset, len(sel)):]
	page = page[:min(limit, len(page))]
	out := make([]any, 0, len(page))
	for _, e := range page {
		out = append(out, entryJSON(e))
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": len(sel), "entries": out})
}

func (f *fake) sortEntries(sel []*fakeEntry, order, direction string) {
	slices.SortStableFunc(sel, func(a, b *fakeEntry) int {
		c := 0
		switch order {
		case "changed_at":
			c = a.Changed.Compare(b.Changed)
		case "id":
			c = int(a.ID - b.ID)
		default:
			c = strings.Compare(a.Published, b.Published)
		}
		if direction == "desc" {
			c = -c
		}
		return c
	})
}

func entryJSON(e *fakeEntry) map[string]any {
	changed := e.Changed.Format(time.RFC3339Nano)
	if e.changedRaw != "" {
		changed = e.changedRaw
	}
	return map[string]any{
		"id": e.ID, "user_id": 1, "feed_id": e.FeedID, "status": e.Status, "hash": "h",
		"title": e.Title, "url": e.URL, "comments_url": "", "published_at": e.Published,
		"created_at": changed, "changed_at": changed, "content": e.Content, "author": e.Author,
		"share_code": "", "starred": e.Starred, "reading_time": 1, "enclosures": nil, "tags": []string{},
	}
}

// updateEntries is PUT /v1/entries: entry_ids with a status, or (Miniflux
// 2.3) a starred flag.
func (f *fake) updateEntries(w http.ResponseWriter, r *http.Request) {
	var req struct {
		EntryIDs []int64 `json:"entry_ids"`
		Status   string  `json:"status"`
		Starred  *bool   `json:"starred"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.EntryIDs) == 0 {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error_message": "the list of entries cannot be empty"})
		return
	}
	f.bodies = append(f.bodies, fmt.Sprint(len(req.EntryIDs)))
	if req.Status != "read" && req.Status != "unread" && (req.Starred == nil || f.noStarredField) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error_message": `invalid entry status, valid status values are: "read" and "unread"`})
		return
	}
	at := f.tick() // one statement: one changed_at for every entry
	for _, id := range req.EntryIDs {
		if e := f.entry(id); e != nil {
			if req.Status != "" {
				e.Status = req.Status
			}
			if req.Starred != nil {
				e.Starred = *req.Starred
			}
			e.Changed = at
		}
	}
	w.WriteHeader(http.StatusNoContent)
}
