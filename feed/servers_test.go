package feed_test

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"tidings/feed"
	"tidings/feed/fetch"
	"tidings/feed/subs"
)

// hostileTimeout is the fetch deadline in these tests: long enough for a
// loaded machine to serve a good feed (and 16 MiB of a bomb), short enough
// that the slow servers give up quickly. The drip sends a byte a second, so
// an idle timeout of this length would never fire: only a deadline on the
// whole exchange does. It is 2 s, and longer under the race detector
// (race_test.go), which makes reading 16 MiB of a bomb several times
// slower.

// rawServer is a loopback listener that writes raw bytes, so it can break
// HTTP in ways net/http's server never would. It answers one request per
// connection and then closes it.
type rawServer struct {
	URL  string
	ln   net.Listener
	stop chan struct{}
	wg   sync.WaitGroup
	once sync.Once

	mu    sync.Mutex
	conns map[net.Conn]bool
}

// rawServe answers one connection. r is the request read from it, nil when
// the case is silent (the request is left unread). Serving functions that
// wait must stop when stop is closed.
type rawServe func(c net.Conn, r *http.Request, stop <-chan struct{})

// startRaw starts a rawServer, closed when the test ends if not before.
func startRaw(t testing.TB, silent bool, serve rawServe) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &rawServer{URL: "http://" + ln.Addr().String(), ln: ln, stop: make(chan struct{}), conns: map[net.Conn]bool{}}
	t.Cleanup(s.Close)
	s.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns[c] = true
			s.mu.Unlock()
			s.wg.Go(func() {
				defer s.forget(c)
				var r *http.Request
				if !silent {
					if r, err = http.ReadRequest(bufio.NewReader(c)); err != nil {
						return
					}
				}
				serve(c, r, s.stop)
			})
		}
	})
	return s
}

func (s *rawServer) forget(c net.Conn) {
	c.Close()
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

// Close stops the server and waits for its connections to end.
func (s *rawServer) Close() {
	s.once.Do(func() {
		close(s.stop)
		s.ln.Close()
		s.mu.Lock()
		for c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
}

// rawAnswer writes a whole response: status line, headers, body.
func rawAnswer(c net.Conn, status string, headers []string, body string) {
	var b strings.Builder
	b.WriteString("HTTP/1.1 " + status + "\r\n")
	for _, h := range headers {
		b.WriteString(h + "\r\n")
	}
	b.WriteString("\r\n" + body)
	io.WriteString(c, b.String())
}

// rawOK answers 200 with an RSS document and its length.
func rawOK(c net.Conn, doc string) {
	rawAnswer(c, "200 OK", []string{"Content-Type: application/rss+xml", fmt.Sprintf("Content-Length: %d", len(doc))}, doc)
}

// rawWait blocks until the client hangs up or the server stops, or for 45
// s: past every test's deadline, so a fetcher that waits until the server
// hangs up fails its test (even TestRefreshHostileServers' 30 s context)
// rather than hanging it.
func rawWait(c net.Conn, stop <-chan struct{}) {
	done := make(chan struct{})
	go func() {
		io.Copy(io.Discard, c)
		close(done)
	}()
	select {
	case <-done:
	case <-stop:
	case <-time.After(45 * time.Second):
	}
	c.Close()
	<-done
}

// rawDrip writes s a byte at a time, every interval, until the client
// hangs up or the server stops.
func rawDrip(c net.Conn, s string, interval time.Duration, stop <-chan struct{}) {
	for i := range len(s) {
		if _, err := io.WriteString(c, s[i:i+1]); err != nil {
			return
		}
		select {
		case <-time.After(interval):
		case <-stop:
			return
		}
	}
}

// rawRedirect answers 302 to /hops/N-1, and the feed at /hops/0.
func rawRedirect(c net.Conn, r *http.Request, doc string) {
	var n int
	fmt.Sscanf(r.URL.Path, "/hops/%d", &n)
	if n <= 0 {
		rawOK(c, doc)
		return
	}
	rawAnswer(c, "302 Found", []string{fmt.Sprintf("Location: /hops/%d", n-1), "Content-Length: 0"}, "")
}

// rawRedirectTo answers 302 to loc.
func rawRedirectTo(loc string) rawServe {
	return func(c net.Conn, r *http.Request, stop <-chan struct{}) {
		rawAnswer(c, "302 Found", []string{"Location: " + loc, "Content-Length: 0"}, "")
	}
}

// hostileCase is one misbehaving server and what tidings should make of it.
type hostileCase struct {
	name   string
	path   string // requested; default "/feed"
	silent bool   // accept the connection, never read the request
	serve  rawServe

	fetchErr   string // Fetch: a part of the error, "" for success
	refreshErr string // Refresh: a part of the error, "" for success
	items      int    // Refresh success: articles stored
	notMod     bool   // Refresh success: not modified
	body       string // Fetch success: the body, when it matters
}

// hostileGzipBomb is 32 MiB of zeros in 32 KB: twice the default cap.
var hostileGzipBomb = sync.OnceValue(func() []byte { return gzipBomb(32) })

// hostileCases are the servers: slow, endless, lying, malformed, redirecting
// where they should not, or merely odd (and then their feed loads).
func hostileCases() []hostileCase {
	doc := rssDoc(90, 3, 100)
	bomb := hostileGzipBomb() // made now, not while a client waits
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
	chunk := func(s string) string { return fmt.Sprintf("%x\r\n%s\r\n", len(s), s) }
	return []hostileCase{
		{name: "silent", silent: true, serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) { rawWait(c, stop) },
			fetchErr: "timed out after " + hostileTimeout.String()},
		{name: "slow-headers", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			io.WriteString(c, "HTTP/1.1 200 OK\r\n")
			rawDrip(c, "X-Slow: "+strings.Repeat("a", 100), time.Second, stop)
		}, fetchErr: "timed out after " + hostileTimeout.String()},
		{name: "drip-body", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n")
			rawDrip(c, strings.Repeat("x", 100), time.Second, stop)
		}, fetchErr: "timed out after " + hostileTimeout.String()},
		{name: "infinite-body", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nTransfer-Encoding: chunked\r\n\r\n")
			block := chunk(strings.Repeat("<item/>", 4<<10))
			for {
				if _, err := io.WriteString(c, block); err != nil {
					return
				}
			}
		}, fetchErr: "body exceeds 16 MiB"},
		{name: "gzip-bomb", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			rawAnswer(c, "200 OK", []string{"Content-Encoding: gzip", fmt.Sprintf("Content-Length: %d", len(bomb))}, string(bomb))
		}, fetchErr: "body exceeds 16 MiB once decompressed"},
		{name: "redirect-5-hops", path: "/hops/5", serve: func(c net.Conn, r *http.Request, stop <-chan struct{}) { rawRedirect(c, r, doc) },
			items: 3},
		{name: "redirect-6-hops", path: "/hops/6", serve: func(c net.Conn, r *http.Request, stop <-chan struct{}) { rawRedirect(c, r, doc) },
			fetchErr: "too many redirects (more than 5)"},
		{name: "redirect-loop", serve: rawRedirectTo("/feed"), fetchErr: "too many redirects (more than 5)"},
		{name: "redirect-file", serve: rawRedirectTo("file:///etc/passwd"), fetchErr: "redirect to file:///etc/passwd refused"},
		{name: "redirect-javascript", serve: rawRedirectTo("javascript:alert(1)"), fetchErr: "redirect to javascript:alert(1) refused"},
		{name: "redirect-data", serve: rawRedirectTo("data:application/rss+xml,<rss/>"), fetchErr: "redirect to data:application/rss+xml,<rss/> refused"},
		{name: "redirect-ftp", serve: rawRedirectTo("ftp://127.0.0.1/feed"), fetchErr: "redirect to ftp://127.0.0.1/feed refused"},
		{name: "redirect-bidi-long", serve: rawRedirectTo("javascript:\u202e" + strings.Repeat("a", 4000)), fetchErr: "redirect to javascript:aaaa"},
		{name: "length-over-body", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			rawAnswer(c, "200 OK", []string{"Content-Length: 10000"}, doc[:100])
		}, fetchErr: "server closed the connection mid-body (got 100 of 10000 bytes)"},
		{name: "length-under-body", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			// The extra bytes are never read: the feed is what was declared.
			rawAnswer(c, "200 OK", []string{fmt.Sprintf("Content-Length: %d", len(doc))}, doc+"<script>EXTRA</script>")
		}, items: 3, body: doc},
		{name: "huge-header", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			rawAnswer(c, "200 OK", []string{"X-Huge: " + strings.Repeat("a", 1<<20), fmt.Sprintf("Content-Length: %d", len(doc))}, doc)
		}, fetchErr: "response headers exceed 64 KiB"},
		{name: "header-flood-1xx", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			for {
				if _, err := io.WriteString(c, "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"); err != nil {
					return
				}
			}
		}, fetchErr: "response headers exceed 64 KiB"},
		{name: "reset-mid-body", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			rawAnswer(c, "200 OK", []string{"Content-Length: 10000"}, doc[:100])
			time.Sleep(50 * time.Millisecond) // let the client read the headers first
			c.(*net.TCPConn).SetLinger(0)     // close with RST
		}, fetchErr: "server reset the connection mid-body"},
		{name: "closed-before-answer", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {},
			fetchErr: "server closed the connection without answering"},
		{name: "closed-mid-headers", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n")
		}, fetchErr: "server closed the connection mid-headers"},
		{name: "reset-before-answer", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			c.(*net.TCPConn).SetLinger(0)
		}, fetchErr: "server reset the connection without answering"},
		{name: "status-without-reason", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			rawAnswer(c, "503", []string{"Content-Length: 0"}, "")
		}, fetchErr: ": 503 Service Unavailable"},
		{name: "not-http", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			io.WriteString(c, "\x1b[2J\x1b]0;pwned\x07SSH-2.0-OpenSSH_9.6\r\n\r\n")
		}, fetchErr: "not a valid HTTP response: malformed HTTP"},
		{name: "html-content-type", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			rawAnswer(c, "200 OK", []string{"Content-Type: text/html; charset=utf-8", fmt.Sprintf("Content-Length: %d", len(doc))}, doc)
		}, items: 3},
		{name: "png", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			rawAnswer(c, "200 OK", []string{"Content-Type: image/png", fmt.Sprintf("Content-Length: %d", len(png))}, png)
		}, body: png, refreshErr: "not a feed"},
		{name: "404", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			rawAnswer(c, "404 Not Found", []string{"Content-Length: 9"}, "not found")
		}, fetchErr: ": 404 Not Found"},
		{name: "500", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			rawAnswer(c, "500 Internal Server Error", []string{"Content-Length: 4"}, "boom")
		}, fetchErr: ": 500 Internal Server Error"},
		{name: "503-retry-after", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			rawAnswer(c, "503 Service Unavailable", []string{"Retry-After: 120", "Content-Length: 4"}, "busy")
		}, fetchErr: ": 503 Service Unavailable (retry after "},
		{name: "status-escapes", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			rawAnswer(c, "500 Oops \x1b]52;c;aGk=\x07\x1b[2J"+strings.Repeat("x", 5000), []string{"Content-Length: 0"}, "")
		}, fetchErr: ": 500 Oops xxx"},
		{name: "body-on-304", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			rawAnswer(c, "304 Not Modified", []string{"Content-Length: 22"}, "<rss>not a body</rss>\n")
		}, notMod: true},
		{name: "empty-200", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			rawAnswer(c, "200 OK", []string{"Content-Type: application/rss+xml", "Content-Length: 0"}, "")
		}, refreshErr: "empty document"},
		{name: "http10-close", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			io.WriteString(c, "HTTP/1.0 200 OK\r\nContent-Type: application/rss+xml\r\n\r\n"+doc)
		}, items: 3, body: doc},
		{name: "bad-chunk", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			io.WriteString(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"+chunk(doc[:50])+"zz\r\n")
		}, fetchErr: "malformed chunked body: invalid byte in chunk length (after 50 bytes)"},
		{name: "switching-protocols", serve: func(c net.Conn, _ *http.Request, stop <-chan struct{}) {
			io.WriteString(c, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
			rawWait(c, stop)
		}, fetchErr: ": 101 Switching Protocols"},
	}
}

// hostileWantErr checks that err names url and contains want, and that its
// text is safe to print and short: no server can make it long or send
// escapes through it.
func hostileWantErr(t *testing.T, err error, url, want string) {
	t.Helper()
	if err == nil {
		t.Errorf("no error, want one containing %q", want)
		return
	}
	msg := err.Error()
	if !strings.Contains(msg, url) || !strings.Contains(msg, want) {
		t.Errorf("error %q, want it to name %s and contain %q", msg, url, want)
	}
	if strings.ContainsAny(msg, "\x1b\x07\u202e") || !utf8.ValidString(msg) {
		t.Errorf("error %q is not sanitised", msg)
	}
	if n := utf8.RuneCountInString(msg) - len(url); n > 250 {
		t.Errorf("error is %d characters besides the URL: %q", n, msg)
	}
}

// TestFetchHostile fetches from each hostile server on its own: each ends
// within the deadline with the error it deserves, or with its feed.
func TestFetchHostile(t *testing.T) {
	t.Parallel()
	f := fetch.New(fetch.Options{Timeout: hostileTimeout})
	for _, hc := range hostileCases() {
		t.Run(hc.name, func(t *testing.T) {
			t.Parallel()
			srv := startRaw(t, hc.silent, hc.serve)
			u := srv.URL + cmp.Or(hc.path, "/feed")
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			defer cancel()
			start := time.Now()
			res, err := f.Fetch(ctx, fetch.Request{URL: u})
			took := time.Since(start)
			t.Logf("%v: %v", took.Round(time.Millisecond), err)
			if took > hostileTimeout+3*time.Second { // room for a loaded machine
				t.Errorf("took %v, want at most the %v deadline (and a little)", took, hostileTimeout)
			}
			if hc.fetchErr != "" {
				hostileWantErr(t, err, u, hc.fetchErr)
				return
			}
			if err != nil {
				t.Fatalf("error %v, want success", err)
			}
			if hc.body != "" && string(res.Body) != hc.body {
				t.Errorf("body %.80q (%d bytes), want %.80q (%d bytes)", res.Body, len(res.Body), hc.body, len(hc.body))
			}
			if res.NotModified != hc.notMod {
				t.Errorf("NotModified %v, want %v", res.NotModified, hc.notMod)
			}
		})
	}
}

// heapPeak samples HeapInuse until stop is called, which returns the most seen.
func heapPeak() (stop func() uint64) {
	var peak uint64
	done, quit := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-quit:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() uint64 {
		close(quit)
		<-done
		return peak
	}
}

// TestRefreshHostileServers refreshes ten good feeds together with every
// hostile server into a real store: the good feeds are stored whole, each
// hostile one gets its error (or its feed, when what it does is benign),
// and the refresh ends in time, leaving no goroutine behind and the heap
// bounded although a gzip bomb and an endless body are among the feeds.
func TestRefreshHostileServers(t *testing.T) {
	// Not parallel: it counts goroutines and measures the heap.
	s := openStore(t)
	runtime.GC()
	goroutines := runtime.NumGoroutine()

	const good = 10
	docs := make([]string, good)
	for i := range docs {
		docs[i] = rssDoc(i, 5+i, 300)
	}
	goodSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscanf(r.URL.Path, "/good/%d", &n)
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, docs[n])
	}))
	defer goodSrv.Close()
	var feeds []subs.Subscription
	for i := range good {
		feeds = append(feeds, subs.Subscription{URL: fmt.Sprintf("%s/good/%d", goodSrv.URL, i)})
	}
	cases := map[string]hostileCase{}
	var servers []*rawServer
	for _, hc := range hostileCases() {
		srv := startRaw(t, hc.silent, hc.serve)
		servers = append(servers, srv)
		u := srv.URL + cmp.Or(hc.path, "/feed")
		cases[u] = hc
		feeds = append(feeds, subs.Subscription{URL: u})
	}

	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	r := refresher(s, fetch.Options{Timeout: hostileTimeout})
	peak := heapPeak()
	start := time.Now()
	results := map[string]feed.Result{}
	r.Run(ctx, feeds, func(res feed.Result) { results[res.URL] = res })
	took := time.Since(start)
	heap := peak()
	if ctx.Err() != nil {
		t.Fatalf("refresh ran past its 30s context: %v", ctx.Err())
	}
	t.Logf("refreshed %d feeds in %v, heap in use peaked at %d MiB", len(feeds), took.Round(time.Millisecond), heap>>20)

	for i := range good {
		u := feeds[i].URL
		if res := results[u]; res.Err != nil || res.New != 5+i {
			t.Errorf("good feed %s: %d new, %v; want %d new", u, res.New, res.Err, 5+i)
		}
	}
	for u, hc := range cases {
		res, ok := results[u]
		if !ok {
			t.Errorf("%s: no result", hc.name)
			continue
		}
		line := res.String()
		t.Logf("%-20s %s", hc.name, line)
		if strings.ContainsAny(line, "\x1b\x07\u202e") {
			t.Errorf("%s: fetch line %q not sanitised", hc.name, line)
		}
		want := cmp.Or(hc.refreshErr, hc.fetchErr)
		switch {
		case want != "":
			t.Run(hc.name, func(t *testing.T) { hostileWantErr(t, res.Err, u, want) })
		case res.Err != nil || res.New != hc.items || res.NotModified != hc.notMod:
			t.Errorf("%s: %d new, not modified %v, %v; want %d new, not modified %v", hc.name, res.New, res.NotModified, res.Err, hc.items, hc.notMod)
		}
	}

	states, err := s.Feeds(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]int{}
	for _, st := range states {
		stored[st.URL] = st.Total
		if hc, ok := cases[st.URL]; ok && cmp.Or(hc.refreshErr, hc.fetchErr) != "" &&
			(!strings.Contains(st.LastError, st.URL) || strings.ContainsAny(st.LastError, "\x1b\x07\u202e")) {
			t.Errorf("%s: stored error %q, want it sanitised and naming the URL", hc.name, st.LastError)
		}
	}
	for i := range good {
		if n := stored[feeds[i].URL]; n != 5+i {
			t.Errorf("good feed %d: %d articles stored, want %d", i, n, 5+i)
		}
	}
	for u, hc := range cases {
		if n := stored[u]; n != hc.items {
			t.Errorf("%s: %d articles stored, want %d", hc.name, n, hc.items)
		}
	}

	// Everything the refresh started has ended once the servers are gone:
	// the fetcher's idle connections close with them.
	goodSrv.Close()
	for _, srv := range servers {
		srv.Close()
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if ms.HeapInuse > 200<<20 || heap > 200<<20 {
		t.Errorf("heap in use: %d MiB after GC, peak %d MiB; want under 200 MiB", ms.HeapInuse>>20, heap>>20)
	}
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(2 * time.Second); n > goroutines+5 && time.Now().Before(deadline); n = runtime.NumGoroutine() {
		time.Sleep(20 * time.Millisecond)
	}
	if n > goroutines+5 {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines after the refresh, %d before:\n%s", n, goroutines, buf[:runtime.Stack(buf, true)])
	}
}
