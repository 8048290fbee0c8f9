package greader

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// fake is an in-memory Google Reader API server, shaped on what Miniflux
// and FreshRSS answer: ClientLogin, a T token checked on every POST,
// offset continuations, long item IDs in contents, decimal ones in lists,
// user/<n>/state/… categories.
type fake struct {
	mu      sync.Mutex
	user    string
	pass    string
	auth    string // the current Auth token; changed by expire
	token   string
	prefix  string // the API base's path ("" for Miniflux, /api/greader.php for FreshRSS)
	maxPage int    // the most IDs one ids answer holds (0: as asked)
	// freshrss shapes the answers as FreshRSS's: continuations are the
	// last ID, n is 20 when absent, states are user/-/…, an item has its
	// body in summary only and its crawl time is its ID (µs).
	freshrss bool
	feeds    []fakeFeed
	entries  []*fakeEntry // newest first, the order of the listings
	override map[string]http.HandlerFunc

	logins   int
	tokens   int
	calls    map[string]int        // by endpoint
	contents [][]string            // the i= of each contents call
	edits    []map[string][]string // the forms of each edit-tag call
	lastBody string                // the body of the last request
}

type fakeFeed struct {
	id              int
	url, site, name string
	category        string
}

type fakeEntry struct {
	id            int64
	feed          int
	title, link   string
	author, body  string
	published     int64 // seconds
	crawlMs       int64
	read, starred bool
	vanished      bool // listed, but gone from contents
}

func newFake(t *testing.T) (*fake, *httptest.Server) {
	f := &fake{user: "ann", pass: "s3cret-pass", auth: "ann/0123abcd", token: "T0K3N-0123456789",
		calls: map[string]int{}, override: map[string]http.HandlerFunc{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

// client returns a client of the fake, with the fake's credentials.
func (f *fake) client(t *testing.T, srv *httptest.Server) *Client {
	t.Helper()
	c, err := New(Options{URL: srv.URL + f.prefix, Username: f.user, Password: f.pass, HTTP: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// addEntries adds n entries to feed 1, ids from first, newest first.
func (f *fake) addEntries(first int64, n int, crawlMs int64) {
	added := make([]*fakeEntry, n)
	for i := range n {
		id := first + int64(n-1-i)
		added[i] = &fakeEntry{id: id, feed: 1, title: fmt.Sprintf("Entry %d", id),
			link: fmt.Sprintf("https://example.org/%d", id), body: fmt.Sprintf("<p>Body %d</p>", id),
			published: 1_700_000_000 + id, crawlMs: crawlMs + id}
	}
	f.entries = append(added, f.entries...)
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	path, ok := strings.CutPrefix(r.URL.Path, f.prefix)
	if !ok {
		http.NotFound(w, r)
		return
	}
	raw, _ := io.ReadAll(r.Body)
	f.lastBody = string(raw)
	r.Body = io.NopCloser(bytes.NewReader(raw))
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	if path == "/accounts/ClientLogin" && r.Method == http.MethodPost {
		f.logins++
		if r.PostForm.Get("Email") != f.user || r.PostForm.Get("Passwd") != f.pass {
			http.Error(w, "Unauthorized!", http.StatusUnauthorized)
			return
		}
		fmt.Fprintf(w, "SID=%s\nLSID=null\nAuth=%s\n", f.auth, f.auth)
		return
	}
	endpoint, ok := strings.CutPrefix(path, "/reader/api/0/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	f.calls[endpoint]++
	if !f.authorized(r) {
		w.Header().Set("Google-Bad-Token", "true")
		http.Error(w, "Unauthorized!", http.StatusUnauthorized)
		return
	}
	if h := f.override[endpoint]; h != nil {
		h(w, r)
		return
	}
	f.route(w, r, endpoint)
}

// authorized checks the Authorization header, and the T token of a POST.
func (f *fake) authorized(r *http.Request) bool {
	if r.Header.Get("Authorization") != "GoogleLogin auth="+f.auth {
		return false
	}
	if r.URL.Path == f.prefix+"/reader/api/0/token" {
		return true
	}
	return r.Method != http.MethodPost || r.PostForm.Get("T") == f.token
}

// expire makes the session's tokens invalid, as a server restart would.
func (f *fake) expire() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.auth += "x"
	f.token += "x"
}

func (f *fake) route(w http.ResponseWriter, r *http.Request, endpoint string) {
	switch endpoint {
	case "token":
		f.tokens++
		fmt.Fprintln(w, f.token)
	case "subscription/list":
		f.subscriptionList(w)
	case "subscription/quickadd":
		f.quickadd(w, r)
	case "subscription/edit":
		f.subscriptionEdit(w, r)
	case "stream/items/ids":
		f.itemIDs(w, r)
	case "stream/items/contents":
		f.itemContents(w, r)
	case "edit-tag":
		f.editTag(w, r)
	default:
		w.Write([]byte("[]")) // as Miniflux answers what it lacks
	}
}

func (f *fake) subscriptionList(w http.ResponseWriter) {
	var subs []map[string]any
	for _, fd := range f.feeds {
		subs = append(subs, map[string]any{"id": fmt.Sprintf("feed/%d", fd.id), "title": fd.name, "url": fd.url,
			"htmlUrl": fd.site, "categories": []map[string]string{{"id": "user/7/label/" + fd.category, "label": fd.category}}})
	}
	json.NewEncoder(w).Encode(map[string]any{"subscriptions": subs})
}

func (f *fake) quickadd(w http.ResponseWriter, r *http.Request) {
	u := r.PostForm.Get("quickadd")
	if !strings.HasPrefix(u, "http") {
		json.NewEncoder(w).Encode(map[string]any{"numResults": 0, "error": "no feed at " + u})
		return
	}
	fd := fakeFeed{id: len(f.feeds) + 1, url: u, site: "https://site.example", name: "Feed " + u, category: "All"}
	f.feeds = append(f.feeds, fd)
	json.NewEncoder(w).Encode(map[string]any{"numResults": 1, "query": u, "streamId": fmt.Sprintf("feed/%d", fd.id), "streamName": fd.name})
}

func (f *fake) subscriptionEdit(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.Atoi(strings.TrimPrefix(r.PostForm.Get("s"), "feed/"))
	i := slices.IndexFunc(f.feeds, func(fd fakeFeed) bool { return fd.id == id })
	if i < 0 {
		http.Error(w, "Bad Request!", http.StatusBadRequest)
		return
	}
	switch r.PostForm.Get("ac") {
	case "edit":
		f.feeds[i].category = strings.TrimPrefix(r.PostForm.Get("a"), "user/-/label/")
	case "unsubscribe":
		f.feeds = slices.Delete(f.feeds, i, i+1)
	default:
		http.Error(w, "Bad Request!", http.StatusBadRequest)
		return
	}
	w.Write([]byte("OK"))
}

// itemIDs lists a stream's IDs with an offset continuation, as Miniflux.
func (f *fake) itemIDs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var ids []int64
	for _, e := range f.entries {
		if (q.Get("s") == starredTag && !e.starred) || (q.Get("xt") == readTag && e.read) {
			continue
		}
		ids = append(ids, e.id)
	}
	n, err := strconv.Atoi(q.Get("n"))
	if err != nil && f.freshrss {
		n = 20
	}
	if f.maxPage > 0 && (n <= 0 || n > f.maxPage) {
		n = f.maxPage
	}
	off, _ := strconv.Atoi(q.Get("c"))
	if f.freshrss && q.Get("c") != "" {
		c, _ := strconv.ParseInt(q.Get("c"), 10, 64)
		off = slices.Index(ids, c) + 1
	}
	end := min(off+n, len(ids))
	refs := []map[string]string{}
	for _, id := range ids[min(off, end):end] {
		refs = append(refs, map[string]string{"id": strconv.FormatInt(id, 10)})
	}
	ans := map[string]any{"itemRefs": refs}
	switch {
	case end < len(ids) && f.freshrss:
		ans["continuation"] = strconv.FormatInt(ids[end-1], 10)
	case end < len(ids):
		ans["continuation"] = strconv.Itoa(end)
	}
	json.NewEncoder(w).Encode(ans)
}

func (f *fake) itemContents(w http.ResponseWriter, r *http.Request) {
	asked := r.PostForm["i"]
	f.contents = append(f.contents, asked)
	items := []map[string]any{}
	for _, long := range asked {
		id, _ := strconv.ParseInt(strings.TrimPrefix(long, longPrefix), 16, 64)
		for _, e := range f.entries {
			if e.id == id && !e.vanished {
				items = append(items, e.item(f.freshrss))
			}
		}
	}
	json.NewEncoder(w).Encode(map[string]any{"id": readingList, "items": items})
}

// item is the entry as Miniflux, or FreshRSS, writes it.
func (e *fakeEntry) item(freshrss bool) map[string]any {
	user := "user/7/"
	if freshrss {
		user = "user/-/"
	}
	cats := []string{user + "state/com.google/reading-list", user + "label/All"}
	if e.read {
		cats = append(cats, user+"state/com.google/read")
	}
	if e.starred {
		cats = append(cats, user+"state/com.google/starred")
	}
	it := map[string]any{
		"id": fmt.Sprintf("%s%016x", longPrefix, e.id), "title": e.title, "author": e.author,
		"published": e.published, "crawlTimeMsec": strconv.FormatInt(e.crawlMs, 10),
		"timestampUsec": strconv.FormatInt(e.published*1e6, 10), "categories": cats,
		"canonical": []map[string]string{{"href": e.link}}, "alternate": []map[string]string{{"href": e.link, "type": "text/html"}},
		"summary": map[string]string{"content": e.body}, "content": map[string]string{"content": e.body},
		"origin": map[string]string{"streamId": fmt.Sprintf("feed/%d", e.feed), "title": "Feed"},
	}
	if freshrss {
		delete(it, "content")
		it["crawlTimeMsec"] = strconv.FormatInt(e.id/1000, 10)
		it["timestampUsec"] = strconv.FormatInt(e.id, 10)
	}
	return it
}

func (f *fake) editTag(w http.ResponseWriter, r *http.Request) {
	f.edits = append(f.edits, r.PostForm)
	set := func(tag string, on bool) {
		for _, long := range r.PostForm["i"] {
			id, _ := strconv.ParseInt(strings.TrimPrefix(long, longPrefix), 16, 64)
			for _, e := range f.entries {
				if e.id != id {
					continue
				}
				if tag == readTag {
					e.read = on
				} else if tag == starredTag {
					e.starred = on
				}
			}
		}
	}
	set(r.PostForm.Get("a"), true)
	set(r.PostForm.Get("r"), false)
	w.Write([]byte("OK"))
}

// entry returns the entry with this id.
func (f *fake) entry(id int64) *fakeEntry {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, e := range f.entries {
		if e.id == id {
			return e
		}
	}
	return nil
}

func writeJSON(w http.ResponseWriter, v any) {
	if err := json.NewEncoder(w).Encode(v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}
