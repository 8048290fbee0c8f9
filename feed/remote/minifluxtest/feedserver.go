package minifluxtest

import (
	"encoding/xml"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Item is one entry of a served feed.
type Item struct {
	GUID      string // also the default link's last part
	Title     string
	Link      string // defaults to <feed URL>/<GUID>
	HTML      string // the description, HTML
	Published time.Time
}

// FeedServer serves RSS feeds the test controls, on 127.0.0.1, for Miniflux
// to subscribe to: add items between syncs, then ask Miniflux to refresh.
type FeedServer struct {
	srv    *httptest.Server
	mu     sync.Mutex
	feeds  map[string][]Item // by path, e.g. "/a.xml"; newest last
	broken map[string]int    // paths answering an HTTP error, by status
}

// NewFeedServer starts a feed server, closed at cleanup.
func NewFeedServer(t testing.TB) *FeedServer {
	t.Helper()
	fs := &FeedServer{feeds: map[string][]Item{}, broken: map[string]int{}}
	fs.srv = httptest.NewUnstartedServer(http.HandlerFunc(fs.serve))
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("feed server: listen on 127.0.0.1: %v", err)
	}
	fs.srv.Listener = l
	fs.srv.Start()
	t.Cleanup(fs.srv.Close)
	return fs
}

// URL returns the address of the feed at path (e.g. "/a.xml"), which need
// not exist yet: an unknown path is served as an empty feed.
func (fs *FeedServer) URL(path string) string { return fs.srv.URL + path }

// Add appends items to the feed at path. Items without a date get one a
// minute apart, after the feed's last, so their order is stable.
func (fs *FeedServer) Add(path string, items ...Item) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	list := fs.feeds[path]
	for _, it := range items {
		if it.Published.IsZero() {
			it.Published = time.Date(2026, 1, 1, 0, len(list), 0, 0, time.UTC)
		}
		if it.Link == "" {
			it.Link = fs.srv.URL + path + "/" + it.GUID
		}
		list = append(list, it)
	}
	fs.feeds[path] = list
}

// Break makes the feed at path answer with the HTTP status given, so the
// server records a fetch error for it; status 0 mends it.
func (fs *FeedServer) Break(path string, status int) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if status == 0 {
		delete(fs.broken, path)
		return
	}
	fs.broken[path] = status
}

// serve writes the feed at the request's path as RSS 2.0.
func (fs *FeedServer) serve(w http.ResponseWriter, r *http.Request) {
	fs.mu.Lock()
	items := append([]Item(nil), fs.feeds[r.URL.Path]...)
	status := fs.broken[r.URL.Path]
	fs.mu.Unlock()
	if status != 0 {
		http.Error(w, "broken by the test", status)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	fmt.Fprint(w, rss(fs.srv.URL+r.URL.Path, items))
}

// rss renders a feed, newest item first as most feeds do.
func rss(self string, items []Item) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n<rss version=\"2.0\"><channel>")
	fmt.Fprintf(&b, "<title>%s</title><link>%s</link><description>test feed</description>", esc(self), esc(self))
	for i := len(items) - 1; i >= 0; i-- {
		it := items[i]
		fmt.Fprintf(&b, "\n<item><guid isPermaLink=\"false\">%s</guid><title>%s</title><link>%s</link>"+
			"<description>%s</description><pubDate>%s</pubDate></item>",
			esc(it.GUID), esc(it.Title), esc(it.Link), esc(it.HTML), it.Published.UTC().Format(time.RFC1123Z))
	}
	b.WriteString("\n</channel></rss>\n")
	return b.String()
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // writes to a strings.Builder never fail
	return b.String()
}
