package fetch

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tidings/feed/parse"
)

// fetchTestServer starts a loopback server closed when the test ends.
func fetchTestServer(t testing.TB, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// fetchTestStop is closed when the test ends, before its servers close, so
// handlers that block until then let the servers shut down.
func fetchTestStop(t testing.TB) <-chan struct{} {
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	return stop
}

func fetchTestCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// fetchWantErr checks that err names url and contains each of wants.
func fetchWantErr(t *testing.T, err error, url string, wants ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("fetch %s: no error, want one containing %q", url, wants)
	}
	msg := err.Error()
	if !strings.Contains(msg, url) {
		t.Errorf("error %q does not name the URL %s", msg, url)
	}
	for _, w := range wants {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not contain %q", msg, w)
		}
	}
}

// fetchWantStatus checks that err is a *StatusError for code naming url.
func fetchWantStatus(t *testing.T, err error, url string, code int) *StatusError {
	t.Helper()
	var se *StatusError
	if !errors.As(err, &se) {
		t.Fatalf("fetch %s: error %v (%T), want a *StatusError", url, err, err)
	}
	if se.Code != code || se.URL != url {
		t.Errorf("StatusError{Code: %d, URL: %q}, want %d, %q", se.Code, se.URL, code, url)
	}
	fetchWantErr(t, err, url, strconv.Itoa(code)+" "+http.StatusText(code))
	return se
}

func TestFetchOK(t *testing.T) {
	t.Parallel()
	var got http.Header
	srv := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Header().Set("ETag", `"abc"`)
		w.Header().Set("Last-Modified", "Mon, 02 Jan 2006 15:04:05 GMT")
		fmt.Fprint(w, "<rss/>")
	})
	f := New(Options{Timeout: time.Second})
	res, err := f.Fetch(fetchTestCtx(t), Request{URL: srv.URL + "/feed"})
	if err != nil {
		t.Fatal(err)
	}
	want := Response{URL: srv.URL + "/feed", ETag: `"abc"`, LastModified: "Mon, 02 Jan 2006 15:04:05 GMT",
		ContentType: "application/rss+xml; charset=utf-8", Body: []byte("<rss/>")}
	if res.URL != want.URL || res.Moved || res.NotModified || res.ETag != want.ETag ||
		res.LastModified != want.LastModified || res.ContentType != want.ContentType || !bytes.Equal(res.Body, want.Body) {
		t.Errorf("got %+v\nwant %+v", res, want)
	}
	if ua := got.Get("User-Agent"); ua != defaultUserAgent {
		t.Errorf("User-Agent %q, want %q", ua, defaultUserAgent)
	}
	if a := got.Get("Accept"); a != accept {
		t.Errorf("Accept %q", a)
	}
	if got.Get("If-None-Match") != "" || got.Get("If-Modified-Since") != "" {
		t.Errorf("unconditional request sent validators: %v", got)
	}
	if ae := got.Get("Accept-Encoding"); ae != "gzip" { // set by the transport, not by us
		t.Errorf("Accept-Encoding %q, want the transport's gzip", ae)
	}
}

func TestFetchUserAgent(t *testing.T) {
	t.Parallel()
	var ua atomic.Value
	srv := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) { ua.Store(r.UserAgent()) })
	const mine = "tidings/1.2.3 (+https://example.invalid/tidings)"
	f := New(Options{Timeout: time.Second, UserAgent: mine})
	if _, err := f.Fetch(fetchTestCtx(t), Request{URL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	if got := ua.Load(); got != mine {
		t.Errorf("server saw User-Agent %q, want %q", got, mine)
	}
}

func TestFetchGzip(t *testing.T) {
	t.Parallel()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	fmt.Fprint(zw, "<feed>compressed</feed>")
	zw.Close()
	srv := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Write(gz.Bytes())
	})
	res, err := New(Options{Timeout: time.Second}).Fetch(fetchTestCtx(t), Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Body) != "<feed>compressed</feed>" {
		t.Errorf("body %q, want it decompressed", res.Body)
	}
}

func TestFetchConditional(t *testing.T) {
	t.Parallel()
	// Validators as a server might send them: a weak ETag, odd inner spacing.
	const etag = `W/"x  y"`
	const lastMod = "Mon,  02 Jan 2006 15:04:05  GMT"
	var mu sync.Mutex
	var seen []http.Header
	srv := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		if r.Header.Get("If-None-Match") == etag {
			if r.URL.Path == "/newtag" {
				w.Header().Set("ETag", `"v2"`)
			}
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastMod)
		fmt.Fprint(w, "body")
	})
	f := New(Options{Timeout: time.Second})
	ctx := fetchTestCtx(t)
	first, err := f.Fetch(ctx, Request{URL: srv.URL + "/feed"})
	if err != nil {
		t.Fatal(err)
	}
	if first.ETag != etag || first.LastModified != lastMod {
		t.Fatalf("validators %q %q, want %q %q", first.ETag, first.LastModified, etag, lastMod)
	}
	second, err := f.Fetch(ctx, Request{URL: srv.URL + "/feed", ETag: first.ETag, LastModified: first.LastModified})
	if err != nil {
		t.Fatal(err)
	}
	if !second.NotModified || second.Body != nil || second.ETag != etag || second.LastModified != lastMod || second.URL != srv.URL+"/feed" {
		t.Errorf("304 response %+v", second)
	}
	mu.Lock()
	h := seen[1]
	mu.Unlock()
	if got := h.Get("If-None-Match"); got != etag {
		t.Errorf("server saw If-None-Match %q, want %q", got, etag)
	}
	if got := h.Get("If-Modified-Since"); got != lastMod {
		t.Errorf("server saw If-Modified-Since %q, want %q", got, lastMod)
	}
	// A 304 carrying a new ETag wins over the request's.
	third, err := f.Fetch(ctx, Request{URL: srv.URL + "/newtag", ETag: etag, LastModified: lastMod})
	if err != nil {
		t.Fatal(err)
	}
	if !third.NotModified || third.ETag != `"v2"` || third.LastModified != lastMod {
		t.Errorf("304 with new ETag: %+v", third)
	}
}

// fetchRedirectServer serves /r/C1/C2/...: redirect with status C1 to
// /r/C2/..., and "final" at /r.
func fetchRedirectServer(t *testing.T) *httptest.Server {
	return fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.Path, "/r")
		if !ok {
			http.NotFound(w, r)
			return
		}
		rest = strings.TrimPrefix(rest, "/")
		if rest == "" {
			fmt.Fprint(w, "final")
			return
		}
		code, next, _ := strings.Cut(rest, "/")
		n, _ := strconv.Atoi(code)
		http.Redirect(w, r, strings.TrimSuffix("/r/"+next, "/"), n)
	})
}

func TestFetchRedirects(t *testing.T) {
	t.Parallel()
	srv := fetchRedirectServer(t)
	f := New(Options{Timeout: time.Second})
	for _, tc := range []struct {
		chain string
		moved bool
	}{
		{"301", true},
		{"308", true},
		{"302", false},
		{"303", false},
		{"307", false},
		{"301/302", false},
		{"302/301", false},
		{"301/301", true},
		{"308/301/308", true},
	} {
		t.Run(strings.ReplaceAll(tc.chain, "/", "-"), func(t *testing.T) {
			u := srv.URL + "/r/" + tc.chain
			res, err := f.Fetch(fetchTestCtx(t), Request{URL: u})
			if err != nil {
				t.Fatal(err)
			}
			want := u
			if tc.moved {
				want = srv.URL + "/r"
			}
			if res.Moved != tc.moved || res.URL != want || string(res.Body) != "final" {
				t.Errorf("Moved %v URL %q body %q, want %v %q final", res.Moved, res.URL, res.Body, tc.moved, want)
			}
		})
	}
}

func TestFetchRedirectLoop(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, "/loop", http.StatusMovedPermanently)
	})
	u := srv.URL + "/loop"
	_, err := New(Options{Timeout: time.Second}).Fetch(fetchTestCtx(t), Request{URL: u})
	fetchWantErr(t, err, u, "fetch "+u+": too many redirects (more than 5)")
	if n := hits.Load(); n != 6 {
		t.Errorf("server hit %d times, want 6 (the request and 5 redirects)", n)
	}
}

// TestFetchRedirectHops checks the limit exactly: 5 hops are followed, the
// 6th is not.
func TestFetchRedirectHops(t *testing.T) {
	t.Parallel()
	srv := fetchRedirectServer(t)
	f := New(Options{Timeout: time.Second})
	five := srv.URL + "/r/302/307/302/303/302"
	if res, err := f.Fetch(fetchTestCtx(t), Request{URL: five}); err != nil || string(res.Body) != "final" {
		t.Errorf("5 redirects: body %q, %v; want the final body", res.Body, err)
	}
	six := srv.URL + "/r/302/307/302/303/302/302"
	_, err := f.Fetch(fetchTestCtx(t), Request{URL: six})
	fetchWantErr(t, err, six, "fetch "+six+": too many redirects (more than 5)")
}

func TestFetchRedirectRefused(t *testing.T) {
	t.Parallel()
	srv := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", r.URL.Query().Get("to"))
		w.WriteHeader(http.StatusFound)
	})
	f := New(Options{Timeout: time.Second})
	for _, to := range []string{"file:///etc/passwd", "javascript:alert(1)", "ftp://example.invalid/feed", "data:application/rss+xml,<rss/>"} {
		u := srv.URL + "/?to=" + url.QueryEscape(to)
		res, err := f.Fetch(fetchTestCtx(t), Request{URL: u})
		fetchWantErr(t, err, u, "redirect to "+to+" refused")
		if res.Body != nil {
			t.Errorf("refused redirect returned a body: %q", res.Body)
		}
	}
	// The Location is the server's: shown without bidi controls, and short.
	to := "javascript:\u202e" + strings.Repeat("a", 5000)
	u := srv.URL + "/?to=" + url.QueryEscape(to)
	_, err := f.Fetch(fetchTestCtx(t), Request{URL: u})
	fetchWantErr(t, err, u, "redirect to javascript:aaa", "a… refused")
	if msg := strings.TrimPrefix(err.Error(), "fetch "+u+": "); strings.ContainsRune(msg, '\u202e') || len(msg) > 400 {
		t.Errorf("error after the URL is %d bytes: %q", len(msg), msg)
	}
}

func TestFetchStatus(t *testing.T) {
	t.Parallel()
	date := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	srv := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		if ra := r.URL.Query().Get("ra"); ra != "" {
			w.Header().Set("Retry-After", ra)
		}
		code, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/"))
		w.WriteHeader(code)
		fmt.Fprint(w, strings.Repeat("error page ", 1000))
	})
	f := New(Options{Timeout: time.Second})
	ctx := fetchTestCtx(t)

	t.Run("410", func(t *testing.T) {
		u := srv.URL + "/410"
		_, err := f.Fetch(ctx, Request{URL: u})
		if se := fetchWantStatus(t, err, u, 410); !se.Gone() {
			t.Error("Gone() false for 410")
		}
	})
	for _, code := range []int{404, 500, 403, 202} {
		t.Run(strconv.Itoa(code), func(t *testing.T) {
			u := srv.URL + "/" + strconv.Itoa(code)
			_, err := f.Fetch(ctx, Request{URL: u})
			se := fetchWantStatus(t, err, u, code)
			if se.Gone() || !se.RetryAfter.IsZero() {
				t.Errorf("%+v: Gone or RetryAfter set", se)
			}
			if want := "fetch " + u + ": " + strconv.Itoa(code) + " " + http.StatusText(code); err.Error() != want {
				t.Errorf("error %q, want %q", err, want)
			}
		})
	}
	t.Run("429-seconds", func(t *testing.T) {
		u := srv.URL + "/429?ra=120"
		before := time.Now()
		_, err := f.Fetch(ctx, Request{URL: u})
		after := time.Now()
		se := fetchWantStatus(t, err, u, 429)
		if se.RetryAfter.Before(before.Add(120*time.Second)) || se.RetryAfter.After(after.Add(120*time.Second)) {
			t.Errorf("RetryAfter %v, want about now+120s", se.RetryAfter)
		}
		fetchWantErr(t, err, u, "429 Too Many Requests (retry after "+se.RetryAfter.UTC().Format(time.RFC3339)+")")
	})
	t.Run("429-date", func(t *testing.T) {
		u := srv.URL + "/429?ra=" + strings.ReplaceAll(date.Format(http.TimeFormat), " ", "%20")
		_, err := f.Fetch(ctx, Request{URL: u})
		se := fetchWantStatus(t, err, u, 429)
		if !se.RetryAfter.Equal(date) {
			t.Errorf("RetryAfter %v, want %v", se.RetryAfter, date)
		}
		fetchWantErr(t, err, u, "(retry after "+date.Format(time.RFC3339)+")")
	})
	t.Run("503", func(t *testing.T) {
		u := srv.URL + "/503?ra=5"
		_, err := f.Fetch(ctx, Request{URL: u})
		if se := fetchWantStatus(t, err, u, 503); se.RetryAfter.IsZero() || time.Until(se.RetryAfter) > 5*time.Second {
			t.Errorf("RetryAfter %v, want about now+5s", se.RetryAfter)
		}
	})
	t.Run("503-garbage", func(t *testing.T) {
		u := srv.URL + "/503?ra=soon"
		_, err := f.Fetch(ctx, Request{URL: u})
		if se := fetchWantStatus(t, err, u, 503); !se.RetryAfter.IsZero() {
			t.Errorf("RetryAfter %v from garbage, want zero", se.RetryAfter)
		}
	})
}

func TestFetchRetryAfterParse(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"120":                            now.Add(2 * time.Minute),
		" 0 ":                            now,
		"-5":                             {},
		"":                               {},
		"tomorrow":                       {},
		"Sun, 01 Mar 2026 13:00:00 GMT":  now.Add(time.Hour),
		"Sunday, 01-Mar-26 13:00:00 GMT": now.Add(time.Hour), // RFC 850
		"99999999999999999999":           {},                 // overflows int64
	} {
		if got := parseRetryAfter(in, now); !got.Equal(want) {
			t.Errorf("Retry-After %q: %v, want %v", in, got, want)
		}
	}
	if got := parseRetryAfter("9223372036854775807", now); !got.After(now) {
		t.Errorf("huge delay: %v, want far future", got)
	}
}

func TestFetchTimeoutNoAnswer(t *testing.T) {
	t.Parallel()
	stop := fetchTestStop(t)
	srv := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	})
	u := srv.URL + "/feed"
	start := time.Now()
	_, err := New(Options{Timeout: 300 * time.Millisecond}).Fetch(fetchTestCtx(t), Request{URL: u})
	took := time.Since(start)
	fetchWantErr(t, err, u, "fetch "+u+": timed out after 300ms")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("errors.Is(%v, DeadlineExceeded) false", err)
	}
	if took < 250*time.Millisecond || took > 2*time.Second {
		t.Errorf("took %v, want about 300ms", took)
	}
}

// TestFetchTimeoutDrip checks that Timeout bounds the whole exchange: a
// body that keeps coming, each byte well within the timeout, still ends there.
func TestFetchTimeoutDrip(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ every, timeout time.Duration }{
		{50 * time.Millisecond, 300 * time.Millisecond},
		{time.Second, 1500 * time.Millisecond}, // a byte a second
	} {
		t.Run(tc.every.String(), func(t *testing.T) {
			t.Parallel()
			stop := fetchTestStop(t)
			srv := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", "1000")
				for range 1000 {
					if _, err := w.Write([]byte("x")); err != nil {
						return
					}
					w.(http.Flusher).Flush()
					select {
					case <-time.After(tc.every):
					case <-r.Context().Done():
						return
					case <-stop:
						return
					}
				}
			})
			u := srv.URL + "/drip"
			start := time.Now()
			_, err := New(Options{Timeout: tc.timeout}).Fetch(fetchTestCtx(t), Request{URL: u})
			took := time.Since(start)
			fetchWantErr(t, err, u, "fetch "+u+": timed out after "+tc.timeout.String())
			if took < tc.timeout-50*time.Millisecond || took > tc.timeout+2*time.Second {
				t.Errorf("took %v, want about %v", took, tc.timeout)
			}
		})
	}
}

func TestFetchCallerCancel(t *testing.T) {
	t.Parallel()
	stop := fetchTestStop(t)
	release := make(chan struct{})
	srv := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		case <-stop:
		}
	})
	f := New(Options{Timeout: 5 * time.Second, PerHost: 1})
	u := srv.URL + "/feed"
	done := make(chan error, 1)
	go func() {
		_, err := f.Fetch(context.Background(), Request{URL: u})
		done <- err
	}()
	// Wait for the first fetch to hold the only slot for the host.
	for deadline := time.Now().Add(2 * time.Second); len(f.all) == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("first fetch never started")
		}
	}
	// A second fetch waits for the slot; its caller gives up first.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := f.Fetch(ctx, Request{URL: u})
	fetchWantErr(t, err, u, "context deadline exceeded")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("errors.Is(%v, DeadlineExceeded) false", err)
	}
	// A caller cancelling in flight gets its cancellation, not "timed out".
	ctx2, cancel2 := context.WithCancel(context.Background())
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	release2 := make(chan struct{})
	srv2 := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		close(release2)
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	})
	go func() { <-release2; cancel2() }()
	_, err = f.Fetch(ctx2, Request{URL: srv2.URL})
	fetchWantErr(t, err, srv2.URL, "context canceled")
	if !errors.Is(err, context.Canceled) {
		t.Errorf("errors.Is(%v, Canceled) false", err)
	}
	f.mu.Lock()
	n := len(f.hosts)
	f.mu.Unlock()
	if n != 0 || len(f.all) != 0 {
		t.Errorf("after all fetches: %d hosts tracked, %d slots held; want 0, 0", n, len(f.all))
	}
}

func TestFetchTooLarge(t *testing.T) {
	t.Parallel()
	srv := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		body := bytes.Repeat([]byte("x"), 10<<10)
		if r.URL.Path == "/chunked" {
			w.(http.Flusher).Flush() // no Content-Length: the size shows only while reading
		}
		w.Write(body)
	})
	f := New(Options{Timeout: time.Second, MaxBody: 1 << 10})
	for _, p := range []string{"/length", "/chunked"} {
		u := srv.URL + p
		res, err := f.Fetch(fetchTestCtx(t), Request{URL: u})
		fetchWantErr(t, err, u, "fetch "+u+": body exceeds 1 KiB")
		if res.Body != nil {
			t.Errorf("%s: body kept on error", p)
		}
	}
	// Exactly MaxBody is fine.
	srv2 := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.(http.Flusher).Flush()
		w.Write(bytes.Repeat([]byte("x"), 1<<10))
	})
	if res, err := f.Fetch(fetchTestCtx(t), Request{URL: srv2.URL}); err != nil || len(res.Body) != 1<<10 {
		t.Errorf("body of exactly MaxBody: %d bytes, %v", len(res.Body), err)
	}
}

// fetchGzipBomb is 100 MiB of zeros gzipped into ~100 KB: 100 gzip members
// of 1 MiB each (a gzip stream may hold several members; Go's reader reads
// them all). Compressing one 100 MiB member instead takes seconds with -race.
var fetchGzipBomb = sync.OnceValue(func() []byte {
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	zw.Write(make([]byte, 1<<20))
	zw.Close()
	return bytes.Repeat(member.Bytes(), 100)
})

func TestFetchGzipBomb(t *testing.T) {
	// Not parallel: it measures the heap.
	bomb := fetchGzipBomb()
	if len(bomb) > 200<<10 {
		t.Fatalf("bomb is %d bytes", len(bomb))
	}
	srv := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "application/xml")
		w.Header().Set("Content-Length", strconv.Itoa(len(bomb)))
		w.Write(bomb)
	})
	f := New(Options{Timeout: 5 * time.Second, MaxBody: 1 << 20})
	u := srv.URL + "/bomb"
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := f.Fetch(fetchTestCtx(t), Request{URL: u})
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	fetchWantErr(t, err, u, "body exceeds 1 MiB once decompressed")
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	total := after.TotalAlloc - before.TotalAlloc
	t.Logf("gzip bomb: refused in %v, heap grew %d KiB, %d KiB allocated", took, heap>>10, total>>10)
	if heap > 32<<20 || total > 32<<20 {
		t.Errorf("heap grew %d bytes, %d allocated; want < 32 MiB", heap, total)
	}
}

func TestFetchShortBody(t *testing.T) {
	t.Parallel()
	srv := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "10000")
		w.Write([]byte("0123456789"))
	})
	u := srv.URL + "/short"
	res, err := New(Options{Timeout: time.Second}).Fetch(fetchTestCtx(t), Request{URL: u})
	fetchWantErr(t, err, u, "fetch "+u+": server closed the connection mid-body (got 10 of 10000 bytes)")
	if res.Body != nil {
		t.Errorf("short body kept: %q", res.Body)
	}
}

func TestFetchConnReset(t *testing.T) {
	t.Parallel()
	srv := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 5000\r\n\r\n")
		buf.WriteString(strings.Repeat("<item/>", 100))
		buf.Flush()
		if tc, ok := conn.(*net.TCPConn); ok {
			tc.SetLinger(0) // close with RST
		}
		conn.Close()
	})
	u := srv.URL + "/reset"
	_, err := New(Options{Timeout: time.Second}).Fetch(fetchTestCtx(t), Request{URL: u})
	fetchWantErr(t, err, u, "fetch "+u+": server reset the connection mid-body (got ")
}

// TestFetchHugeHeader checks that a response's headers are bounded well
// below http.Transport's default of 10 MB.
func TestFetchHugeHeader(t *testing.T) {
	t.Parallel()
	if got := newTransport(time.Second, 2).MaxResponseHeaderBytes; got != 64<<10 {
		t.Errorf("MaxResponseHeaderBytes %d, want 64 KiB", got)
	}
	srv := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Huge", strings.Repeat("a", 1<<20))
		fmt.Fprint(w, "<rss/>")
	})
	u := srv.URL + "/huge"
	_, err := New(Options{Timeout: time.Second}).Fetch(fetchTestCtx(t), Request{URL: u})
	fetchWantErr(t, err, u, "fetch "+u+": response headers exceed 64 KiB")
}

// TestFetchInfiniteBody checks that an endless body stops at the default
// cap, holding no more than a small multiple of it.
func TestFetchInfiniteBody(t *testing.T) {
	// Not parallel: it measures the heap.
	stop := fetchTestStop(t)
	srv := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		block := bytes.Repeat([]byte("<item/>"), 4<<10)
		for {
			if _, err := w.Write(block); err != nil {
				return
			}
			select {
			case <-stop:
				return
			default:
			}
		}
	})
	u := srv.URL + "/endless"
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := New(Options{Timeout: 5 * time.Second}).Fetch(fetchTestCtx(t), Request{URL: u})
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	fetchWantErr(t, err, u, "fetch "+u+": body exceeds 16 MiB")
	total := after.TotalAlloc - before.TotalAlloc
	t.Logf("endless body: refused in %v, %d MiB allocated", took, total>>20)
	// The buffer doubles up to the cap: about 32 MiB in all, and at most
	// 24 MiB at once (the last copy).
	if total > 40<<20 {
		t.Errorf("%d MiB allocated for a 16 MiB cap", total>>20)
	}
}

// fetchConcurrency counts the handlers running at once; each waits (briefly)
// for want of them to be in flight together, so the maximum reached is want
// unless the limit is broken either way.
type fetchConcurrency struct {
	want      int32
	cur, peak atomic.Int32
}

func (c *fetchConcurrency) handle(w http.ResponseWriter, r *http.Request) {
	n := c.cur.Add(1)
	defer c.cur.Add(-1)
	for p := c.peak.Load(); n > p && !c.peak.CompareAndSwap(p, n); p = c.peak.Load() {
	}
	for deadline := time.Now().Add(300 * time.Millisecond); c.cur.Load() < c.want && time.Now().Before(deadline); {
		time.Sleep(2 * time.Millisecond)
	}
	time.Sleep(10 * time.Millisecond)
	fmt.Fprint(w, "ok")
}

func TestFetchPerHostLimit(t *testing.T) {
	t.Parallel()
	c := &fetchConcurrency{want: 2}
	srv := fetchTestServer(t, c.handle)
	f := New(Options{Timeout: 5 * time.Second})
	ctx := fetchTestCtx(t)
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Go(func() {
			if _, err := f.Fetch(ctx, Request{URL: fmt.Sprintf("%s/feed%d", srv.URL, i)}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if p := c.peak.Load(); p != 2 {
		t.Errorf("at most %d requests at once to one host, want 2 (PerHost default)", p)
	}
}

func TestFetchMaxParallel(t *testing.T) {
	t.Parallel()
	c := &fetchConcurrency{want: 3}
	var urls []string
	for range 3 {
		srv := fetchTestServer(t, c.handle) // different ports: different hosts
		for i := range 4 {
			urls = append(urls, fmt.Sprintf("%s/feed%d", srv.URL, i))
		}
	}
	f := New(Options{Timeout: 5 * time.Second, MaxParallel: 3})
	ctx := fetchTestCtx(t)
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Go(func() {
			if _, err := f.Fetch(ctx, Request{URL: u}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if p := c.peak.Load(); p != 3 {
		t.Errorf("at most %d requests at once overall, want 3 (MaxParallel)", p)
	}
}

func TestFetchLocalFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "x.xml")
	if err := os.WriteFile(path, []byte("<rss/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(wd, path)
	if err != nil {
		t.Fatal(err)
	}
	f := New(Options{MaxBody: 1 << 10})
	ctx := fetchTestCtx(t)
	for _, u := range []string{path, rel, "file://" + path, "file://localhost" + path} {
		res, err := f.Fetch(ctx, Request{URL: u})
		if err != nil {
			t.Errorf("%s: %v", u, err)
			continue
		}
		if string(res.Body) != "<rss/>" || res.URL != u || res.Moved || res.NotModified {
			t.Errorf("%s: %+v", u, res)
		}
		if res.ContentType != "" { // the document's own declaration decides
			t.Errorf("%s: Content-Type %q", u, res.ContentType)
		}
	}

	missing := "./testdata/no-such-feed.xml"
	_, err = f.Fetch(ctx, Request{URL: missing})
	fetchWantErr(t, err, missing, "read "+missing+": ")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("errors.Is(%v, fs.ErrNotExist) false", err)
	}
	missingURL := "file://" + filepath.Join(dir, "nope.xml")
	_, err = f.Fetch(ctx, Request{URL: missingURL})
	fetchWantErr(t, err, missingURL, "no such file")

	big := filepath.Join(dir, "big.xml")
	if err := os.WriteFile(big, make([]byte, 2<<10), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = f.Fetch(ctx, Request{URL: big})
	fetchWantErr(t, err, big, "exceeds 1 KiB")

	remote := "file://example.invalid/etc/passwd"
	_, err = f.Fetch(ctx, Request{URL: remote})
	fetchWantErr(t, err, remote, "not supported")
}

func TestFetchBadURL(t *testing.T) {
	t.Parallel()
	f := New(Options{Timeout: time.Second})
	for _, u := range []string{"ftp://example.invalid/feed", "http:///nohost", "http://[::1"} {
		_, err := f.Fetch(fetchTestCtx(t), Request{URL: u})
		fetchWantErr(t, err, u)
	}
}

// BenchmarkFetch304 measures a conditional GET answered 304 by a loopback
// server (run with -benchtime=1000x for the 1,000 fetches).
func BenchmarkFetch304(b *testing.B) {
	srv := fetchTestServer(b, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		w.WriteHeader(http.StatusNotModified)
	})
	f := New(Options{})
	ctx := context.Background()
	req := Request{URL: srv.URL + "/feed", ETag: `"v1"`, LastModified: "Mon, 02 Jan 2006 15:04:05 GMT"}
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if res, err := f.Fetch(ctx, req); err != nil || !res.NotModified {
				b.Fatal(res, err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if res, err := f.Fetch(ctx, req); err != nil || !res.NotModified {
					b.Error(res, err)
					return
				}
			}
		})
	})
}

// TestFetchLocalFileKeepsItsCharset reads legacy-charset feeds from files:
// with no HTTP header, the charset the document declares must decide.
func TestFetchLocalFileKeepsItsCharset(t *testing.T) {
	f := New(Options{})
	for file, want := range map[string]string{"charset_windows1251.xml": "Привет, мир", "charset_koi8r.xml": "Погода в Москве", "charset_shift_jis.xml": "東京の天気"} {
		path := filepath.Join("..", "testdata", "hostile", file)
		res, err := f.Fetch(fetchTestCtx(t), Request{URL: path})
		if err != nil {
			t.Fatal(err)
		}
		got, err := parse.Parse(res.Body, res.URL, res.ContentType)
		if err != nil || len(got.Items) == 0 || got.Items[0].Title != want {
			t.Errorf("%s: %+v, %v; want the title %q", file, got.Items, err, want)
		}
	}
}
