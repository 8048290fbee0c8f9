package feed_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tidings/articles"
	"tidings/articles/sqlite"
	"tidings/bench/gen"
	"tidings/feed"
	"tidings/feed/fetch"
	"tidings/feed/parse"
	"tidings/feed/subs"
)

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// rssDoc is an RSS 2.0 feed of n items with HTML bodies of about size
// bytes, the same on every call.
func rssDoc(feedNo, n, size int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed %d</title><link>https://feed%d.example/</link>`, feedNo, feedNo)
	para := "<p>Officials met on Tuesday to discuss <a href=\"/story\">trade</a> and energy, and <em>agreed</em> to meet again.</p>\n"
	for i := range n {
		fmt.Fprintf(&b, `<item><title>Story %d of feed %d</title><link>https://feed%d.example/%d</link><guid>feed%d-%d</guid>`, i, feedNo, feedNo, i, feedNo, i)
		fmt.Fprintf(&b, `<pubDate>%s</pubDate><description><![CDATA[`, now.Add(-time.Duration(feedNo*n+i)*time.Minute).Format(time.RFC1123Z))
		for written := 0; written < size; written += len(para) {
			b.WriteString(para)
		}
		b.WriteString(`<ul><li>one</li><li>two</li></ul><pre><code>x := 1</code></pre>]]></description></item>`)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// gzipBomb returns mib MiB of zeros, gzipped: about 1 KB a MiB.
func gzipBomb(mib int) []byte {
	var b bytes.Buffer
	gz := gzip.NewWriter(&b)
	zeros := make([]byte, 1<<20)
	for range mib {
		gz.Write(zeros)
	}
	gz.Close()
	return b.Bytes()
}

func openStore(t testing.TB) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), sqlite.Options{
		Retention: sqlite.DefaultRetention(), Now: func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func refresher(s *sqlite.Store, o fetch.Options) *feed.Refresher {
	return &feed.Refresher{Fetcher: fetch.New(o), Sink: s, Now: func() time.Time { return now }}
}

// TestRefreshGoodAndBrokenFeeds checks that each broken feed gives an
// error naming its URL and why, while the others load.
func TestRefreshGoodAndBrokenFeeds(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/good", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, rssDoc(1, 5, 200)) })
	mux.HandleFunc("/also-good", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, rssDoc(2, 3, 200)) })
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<!DOCTYPE html><html><body>Not a feed</body></html>")
	})
	mux.HandleFunc("/truncated", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, rssDoc(3, 3, 200)[:400]) })
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) })
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, strings.Repeat("x", 64<<10))
	})
	bomb := gzipBomb(64)
	mux.HandleFunc("/bomb", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(bomb)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	s := openStore(t)
	r := refresher(s, fetch.Options{Timeout: 1500 * time.Millisecond, MaxBody: 32 << 10})
	want := map[string]string{
		"/good": "", "/also-good": "", "/html": "HTML", "/truncated": "parse feed", "/500": "500 Internal Server Error",
		"/gone": "410 Gone", "/slow": "timed out", "/huge": "exceeds", "/bomb": "exceeds",
	}
	var feeds []subs.Subscription
	for path := range want {
		feeds = append(feeds, subs.Subscription{URL: srv.URL + path})
	}
	got := map[string]feed.Result{}
	r.Run(t.Context(), feeds, func(res feed.Result) { got[strings.TrimPrefix(res.URL, srv.URL)] = res })
	for path, msg := range want {
		res, ok := got[path]
		switch {
		case !ok:
			t.Errorf("%s: no result", path)
		case msg == "" && (res.Err != nil || res.New == 0):
			t.Errorf("%s: %v, %d new; want articles", path, res.Err, res.New)
		case msg != "" && (res.Err == nil || !strings.Contains(res.Err.Error(), msg) || !strings.Contains(res.Err.Error(), srv.URL+path)):
			t.Errorf("%s: error %v, want one naming the URL and %q", path, res.Err, msg)
		}
	}
	p, err := s.Page(t.Context(), articles.Query{}, 0, 100)
	if err != nil || p.Total != 8 {
		t.Errorf("stored %d articles (%v), want 8", p.Total, err)
	}
	// The gone feed is not polled again; the others are.
	again := map[string]feed.Result{}
	r.Run(t.Context(), feeds, func(res feed.Result) { again[strings.TrimPrefix(res.URL, srv.URL)] = res })
	if again["/gone"].Skipped == "" || again["/good"].Skipped != "" {
		t.Errorf("second refresh: gone %+v, good %+v", again["/gone"], again["/good"])
	}
	if again["/good"].New != 0 {
		t.Errorf("second refresh of an unchanged feed added %d", again["/good"].New)
	}
}

// TestRefreshConditionalAndMoved checks 304 handling and a permanent move.
func TestRefreshConditionalAndMoved(t *testing.T) {
	var conditional atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			conditional.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		io.WriteString(w, rssDoc(1, 4, 100))
	})
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/feed", http.StatusMovedPermanently)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	s := openStore(t)
	r := refresher(s, fetch.Options{})
	var first, second feed.Result
	r.Run(t.Context(), []subs.Subscription{{URL: srv.URL + "/old"}}, func(res feed.Result) { first = res })
	if first.Err != nil || first.New != 4 || first.MovedTo != srv.URL+"/feed" {
		t.Fatalf("first refresh %+v", first)
	}
	r.Run(t.Context(), []subs.Subscription{{URL: srv.URL + "/feed"}}, func(res feed.Result) { second = res })
	if second.Err != nil || !second.NotModified || conditional.Load() != 1 {
		t.Errorf("second refresh %+v, conditional requests %d", second, conditional.Load())
	}
	if p, _ := s.Page(t.Context(), articles.Query{}, 0, 10); p.Total != 4 {
		t.Errorf("stored %d, want 4 (no duplicates after the move)", p.Total)
	}
}

// BenchmarkRefresh1000 refreshes 1,000 feeds of 50 items each from a
// loopback server into a new database: the cold refresh of a heavy user.
// benchSite serves the benchmark harness's 1,000 synthetic feeds of 50
// items (bench/gen: RSS and Atom, 1–5 KB HTML bodies) on loopback.
func benchSite(b *testing.B) []subs.Subscription {
	const feeds, items = 1000, 50
	srv := httptest.NewServer(nil)
	site := gen.NewSite(srv.URL, feeds, items)
	site.Warm() // generate the feeds now, not while timed
	srv.Config.Handler = site
	b.Cleanup(srv.Close)
	list := make([]subs.Subscription, feeds)
	for i := range list {
		list[i] = subs.Subscription{URL: gen.URL(srv.URL, i)}
	}
	return list
}

// benchRefresh refreshes feeds into s and reports items/s and the heap.
func benchRefresh(b *testing.B, s *sqlite.Store, feeds []subs.Subscription, items int) {
	start := time.Now()
	failed := 0
	refresher(s, fetch.Options{}).Run(context.Background(), feeds, func(res feed.Result) {
		if res.Err != nil {
			failed++
		}
	})
	elapsed := time.Since(start)
	if failed > 0 {
		b.Fatalf("%d feeds failed", failed)
	}
	if items > 0 {
		b.ReportMetric(float64(items)/elapsed.Seconds(), "items/s")
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "heapMiB")
}

// BenchmarkRefresh1000 is a cold refresh of 1,000 feeds × 50 items into a
// new database (budget: 10 s).
func BenchmarkRefresh1000(b *testing.B) {
	feeds := benchSite(b)
	for b.Loop() {
		b.StopTimer()
		s := openStore(b)
		b.StartTimer()
		benchRefresh(b, s, feeds, len(feeds)*50)
	}
}

// BenchmarkRefresh1000NotModified is a second refresh of the same 1,000
// feeds, every one answering 304 Not Modified (budget: 1 s).
func BenchmarkRefresh1000NotModified(b *testing.B) {
	feeds := benchSite(b)
	s := openStore(b)
	benchRefresh(b, s, feeds, 0)
	for b.Loop() {
		benchRefresh(b, s, feeds, 0)
	}
}

// BenchmarkParseConvertStore50 takes one feed of 50 items through parsing,
// HTML to markdown and saving, as a refresh does for each feed.
func BenchmarkParseConvertStore50(b *testing.B) {
	doc := gen.Feed("https://bench.example", 2, 50)
	s := openStore(b)
	n := 0
	for b.Loop() {
		n++
		url := fmt.Sprintf("https://bench.example/%d", n)
		p, err := parse.Parse(doc, url, "")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.SaveFeed(context.Background(), articles.FeedUpdate{URL: url, Items: p.Items, At: now}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRefreshErrorsAreSanitised checks that a status line with escape
// sequences reaches neither the fetch output nor the store raw.
func TestRefreshErrorsAreSanitised(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			bufio.NewReader(c).ReadString('\n')
			io.WriteString(c, "HTTP/1.1 500 Oops \x1b]52;c;aGk=\x07\x1b[2J\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
			c.Close()
		}
	}()
	s := openStore(t)
	url := "http://" + ln.Addr().String() + "/feed"
	var res feed.Result
	refresher(s, fetch.Options{Timeout: time.Second}).Run(t.Context(), []subs.Subscription{{URL: url}}, func(r feed.Result) { res = r })
	if res.Err == nil || strings.ContainsRune(res.String(), 0x1b) {
		t.Errorf("fetch line %q", res.String())
	}
	states, err := s.Feeds(t.Context())
	if err != nil || len(states) != 1 || strings.ContainsRune(states[0].LastError, 0x1b) || !strings.Contains(states[0].LastError, "500") {
		t.Errorf("stored error %+v, %v", states, err)
	}
}

// TestRefreshMovedToIsSanitised checks that a permanent redirect to a URL
// with a bidi override in its query (which url.URL.String keeps raw) does
// not reach the fetch output, or the subscription it replaces, raw: the
// override is percent-encoded, as in a URL given to tidings add.
func TestRefreshMovedToIsSanitised(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "/feed?x=\u202egpj.exe")
		w.WriteHeader(http.StatusMovedPermanently)
	})
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, rssDoc(1, 2, 100)) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	var res feed.Result
	refresher(openStore(t), fetch.Options{Timeout: 5 * time.Second}).Run(t.Context(),
		[]subs.Subscription{{URL: srv.URL + "/old"}}, func(r feed.Result) { res = r })
	if res.Err != nil || res.MovedTo == "" {
		t.Fatalf("refresh %+v, want a move", res)
	}
	if want := srv.URL + "/feed?x=%E2%80%AEgpj.exe"; res.MovedTo != want {
		t.Errorf("moved to %q, want %q", res.MovedTo, want)
	}
	if line := res.String(); strings.ContainsRune(line, '\u202e') || !strings.Contains(line, "moved to "+srv.URL+"/feed?x=%E2%80%AEgpj.exe") {
		t.Errorf("fetch line %q, want the new URL with its bidi override percent-encoded", line)
	}
}
