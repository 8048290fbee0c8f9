package greader

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"tidings/feed/remote"
)

// fails sets every API call but the token to answer with status and body.
func (f *fake) fails(endpoint string, status int, header, body string) {
	f.override[endpoint] = func(w http.ResponseWriter, r *http.Request) {
		if k, v, ok := strings.Cut(header, ": "); ok {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
}

func wantError(t *testing.T, err error, want string) *remote.Error {
	t.Helper()
	var e *remote.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %T %v, want a *remote.Error", err, err)
	}
	if err.Error() != want {
		t.Fatalf("got  %q\nwant %q", err.Error(), want)
	}
	return e
}

func TestLoginRefused(t *testing.T) {
	f, srv := newFake(t)
	c, _ := New(Options{URL: srv.URL, Username: "ann", Password: "wrong", HTTP: srv.Client()})
	_, err := c.Feeds(ctx)
	e := wantError(t, err, "greader at "+srv.URL+": log in: 401 unauthorized: "+authHint)
	if !e.Unauthorized() || f.logins != 1 || len(f.calls) != 0 {
		t.Fatalf("unauthorized %v after %d logins, calls %v", e.Unauthorized(), f.logins, f.calls)
	}
	f.override = nil
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "Bad Request!", http.StatusBadRequest) // FreshRSS, to a username it cannot have
	})
	_, err = c.Feeds(ctx)
	wantError(t, err, "greader at "+srv.URL+": log in: 400 bad request: "+authHint)
}

func TestUnauthorizedMidSessionLogsInOnce(t *testing.T) {
	f, srv := newFake(t)
	f.addEntries(1, 3, 1_764_000_000_000)
	c := f.client(t, srv)
	if err := c.Mark(ctx, []string{"1"}, remote.Mark{Kind: remote.Read, On: true}); err != nil {
		t.Fatal(err)
	}
	f.expire() // the server restarted with new tokens
	if _, err := c.Feeds(ctx); err != nil || f.logins != 2 {
		t.Fatalf("after the session expired: %v, %d logins", err, f.logins)
	}
	f.expire()
	if err := c.Mark(ctx, []string{"2"}, remote.Mark{Kind: remote.Read, On: true}); err != nil || f.logins != 3 || f.tokens != 2 || !f.entry(2).read {
		t.Fatalf("a POST after the session expired: %v, %d logins, %d tokens", err, f.logins, f.tokens)
	}
	f.fails("subscription/list", http.StatusUnauthorized, "", "Unauthorized!")
	_, err := c.Feeds(ctx)
	wantError(t, err, "greader at "+srv.URL+": list feeds: 401 unauthorized: "+authHint)
	if f.logins != 4 {
		t.Fatalf("%d logins, want one more, not a loop", f.logins)
	}
}

func TestStatuses(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		status      int
		header, msg string
		until       time.Time
	}{
		{403, "", "403 forbidden: " + authHint, time.Time{}},
		{429, "Retry-After: 120", "429 too many requests: the server asks to wait until 10:02:00", now.Add(2 * time.Minute)},
		{429, "Retry-After: Tue, 01 Dec 2026 10:00:30 GMT", "429 too many requests: the server asks to wait until 10:00:30", now.Add(30 * time.Second)},
		{503, "Retry-After: 5", "503 service unavailable: the server asks to wait until 10:00:05", now.Add(5 * time.Second)},
		{500, "", "500 internal server error: the server failed; marks wait here until it answers", time.Time{}},
		{400, "", "400 bad request", time.Time{}},
	}
	for _, cs := range cases {
		f, srv := newFake(t)
		f.fails("stream/items/ids", cs.status, cs.header, "Oops")
		c := f.client(t, srv)
		c.now = func() time.Time { return now }
		_, err := c.Entries(ctx, "", nil, func([]remote.Entry) error { return nil })
		e := wantError(t, err, "greader at "+srv.URL+": list entries: "+cs.msg)
		if e.Status != cs.status || !e.RetryAfter.Equal(cs.until) {
			t.Errorf("%d: status %d, retry after %v", cs.status, e.Status, e.RetryAfter)
		}
	}
}

// TestServerSays: Miniflux's error message comes with a 400 or 500.
func TestServerSays(t *testing.T) {
	f, srv := newFake(t)
	f.fails("subscription/quickadd", 500, "Content-Type: application/json", `{"error_message":"This feed already\nexists."}`)
	_, err := f.client(t, srv).Subscribe(ctx, "https://a.example/feed", "")
	wantError(t, err, "greader at "+srv.URL+": subscribe to https://a.example/feed: 500 internal server error: the server failed; marks wait here until it answers: the server said: This feed already exists.")
	f.fails("subscription/edit", 400, "", "Bad Request!")
	err = f.client(t, srv).Unsubscribe(ctx, "feed/9")
	wantError(t, err, "greader at "+srv.URL+": unsubscribe from feed/9: 400 bad request")
}

func TestUnsupported(t *testing.T) {
	for _, cs := range []struct {
		status int
		body   string
	}{{404, "Not Found"}, {405, ""}, {501, "Not Implemented!"}, {200, "[]"}} {
		f, srv := newFake(t)
		f.fails("subscription/quickadd", cs.status, "", cs.body)
		_, err := f.client(t, srv).Subscribe(ctx, "https://a.example/feed", "")
		wantError(t, err, "greader at "+srv.URL+": subscribe to https://a.example/feed: this server does not offer subscription/quickadd (is the URL that of its Google Reader API?)")
		if !errors.Is(err, remote.ErrUnsupported) {
			t.Errorf("%d: not ErrUnsupported", cs.status)
		}
	}
	// No Google Reader API there at all: the login is not found.
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	c, _ := New(Options{URL: srv.URL, Username: "ann", Password: "pw", HTTP: srv.Client()})
	_, err := c.Feeds(ctx)
	if !errors.Is(err, remote.ErrUnsupported) || !strings.Contains(err.Error(), "log in: this server does not offer accounts/ClientLogin") {
		t.Fatalf("%v", err)
	}
}

func TestTimeout(t *testing.T) {
	f, srv := newFake(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	f.override["subscription/list"] = func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}
	hc := srv.Client()
	hc.Timeout = 200 * time.Millisecond
	c, _ := New(Options{URL: srv.URL, Username: f.user, Password: f.pass, HTTP: hc})
	_, err := c.Feeds(ctx)
	wantError(t, err, "greader at "+srv.URL+": list feeds: timed out")
}

// TestResetMidBody cuts the connection (a TCP reset) in the middle of a
// body whose length was announced.
func TestResetMidBody(t *testing.T) {
	f, srv := newFake(t)
	f.override["stream/items/contents"] = func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"items\":[{\"id\":\"1\",")
		buf.Flush()
		conn.(*net.TCPConn).SetLinger(0)
		conn.Close()
	}
	f.addEntries(1, 3, 1_764_000_000_000)
	_, err := f.client(t, srv).Entries(ctx, "", nil, func([]remote.Entry) error { return nil })
	wantError(t, err, "greader at "+srv.URL+": get the entries' contents: the connection broke in the middle of the answer; the next sync tries again")
}

func TestMalformedAnswers(t *testing.T) {
	notAPI := ": the answer is not the Google Reader API's JSON: is %s the address of that API?"
	cases := []struct {
		endpoint, body, op string
	}{
		{"subscription/list", `{"subscriptions": [{"id": "feed/1",`, "list feeds"},
		{"subscription/list", `<html><body>Welcome! Please log in</body></html>`, "list feeds"},
		{"stream/items/ids", `{"itemRefs": {"id": 1}}`, "list entries"},
		{"stream/items/contents", `{"items": "none"}`, "get the entries' contents"},
		{"subscription/quickadd", `OK`, "subscribe to https://a.example/feed"},
		{"token", "<html>\n<p>Log in</p></html>", "get the action token"},
	}
	for _, cs := range cases {
		f, srv := newFake(t)
		f.addEntries(1, 2, 1_764_000_000_000)
		f.fails(cs.endpoint, 200, "", cs.body)
		c := f.client(t, srv)
		var err error
		switch cs.endpoint {
		case "subscription/list":
			_, err = c.Feeds(ctx)
		case "subscription/quickadd", "token":
			_, err = c.Subscribe(ctx, "https://a.example/feed", "")
			if cs.endpoint == "token" {
				cs.op = "get the action token"
			}
		default:
			_, err = c.Entries(ctx, "", nil, func([]remote.Entry) error { return nil })
		}
		wantError(t, err, "greader at "+srv.URL+": "+cs.op+fmt.Sprintf(notAPI, srv.URL))
	}
	// A login answer without its Auth line (a web page, another API), or
	// with one that cannot be a token.
	for _, answer := range []string{"SID=abc\nLSID=null\n", "Auth=a\x00b\n", "Auth=" + strings.Repeat("a", 2000)} {
		f, srv := newFake(t)
		srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, answer)
		})
		_, err := f.client(t, srv).Feeds(ctx)
		wantError(t, err, "greader at "+srv.URL+": log in"+fmt.Sprintf(notAPI, srv.URL))
	}
}

// TestOneBadItemSkipped: an item that cannot be read (a title that is an
// object) is skipped like a vanished one; the others come, dates that
// cannot be read (a word, milliseconds) are zero.
func TestOneBadItemSkipped(t *testing.T) {
	f, srv := newFake(t)
	f.addEntries(1, 3, 1_764_000_000_000)
	f.override["stream/items/contents"] = func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"items":[
			{"id":"%[1]s0000000000000003","title":{"x":1},"origin":{"streamId":"feed/1"}},
			{"id":"%[1]s0000000000000002","title":"Two","published":"soon","crawlTimeMsec":null,"timestampUsec":"1764000000002000"},
			{"id":"%[1]s0000000000000001","title":"One","published":1764000000000,"crawlTimeMsec":"x"}]}`, longPrefix)
	}
	pages, next := collect(t, f.client(t, srv), "", nil)
	if len(pages) != 1 || len(pages[0]) != 2 || pages[0][0].Title != "Two" || pages[0][1].Title != "One" {
		t.Fatalf("%+v", pages)
	}
	if !pages[0][0].Published.IsZero() || !pages[0][1].Published.IsZero() || next != "1764000000002" {
		t.Fatalf("published %v %v, cursor %q", pages[0][0].Published, pages[0][1].Published, next)
	}
}

func TestVanishedEntrySkipped(t *testing.T) {
	f, srv := newFake(t)
	f.addEntries(1, 3, 1_764_000_000_000)
	f.entry(2).vanished = true // deleted between the ID list and the contents call
	pages, next := collect(t, f.client(t, srv), "", nil)
	if len(pages) != 1 || len(pages[0]) != 2 || pages[0][0].ID != "3" || pages[0][1].ID != "1" || next != "1764000000003" {
		t.Fatalf("%+v %q", pages, next)
	}
	// A server answering with items not asked for, or one twice: only
	// those asked, once.
	f.override["stream/items/contents"] = func(w http.ResponseWriter, r *http.Request) {
		e := f.entries[0].item(false)
		other := f.entries[0].item(false)
		other["id"] = longPrefix + "00000000000000ff"
		writeJSON(w, map[string]any{"items": []any{e, e, other}})
	}
	pages, _ = collect(t, f.client(t, srv), "", func(id string) bool { return id != "3" })
	if len(pages) != 1 || len(pages[0]) != 1 || pages[0][0].ID != "3" {
		t.Fatalf("%+v", pages)
	}
}

// TestServerClockWrong: the cursor is the server's own crawl time, however
// far it is from this machine's clock, and new entries still come when
// the server's clock goes back behind the cursor.
func TestServerClockWrong(t *testing.T) {
	f, srv := newFake(t)
	ahead := time.Now().Add(7 * time.Hour).UnixMilli()
	f.addEntries(1, 2, ahead)
	c := f.client(t, srv)
	stored := map[string]bool{}
	known := func(id string) bool { return stored[id] }
	pages, cursor := collect(t, c, "", known)
	for _, e := range pages[0] {
		stored[e.ID] = true
	}
	if cursor != fmt.Sprint(ahead+2) {
		t.Fatalf("cursor %q, want the server's time %d", cursor, ahead+2)
	}
	behind := time.Now().Add(-5 * time.Hour).UnixMilli() // the server's clock was set right, and more
	f.addEntries(3, 2, behind)
	pages, cursor2 := collect(t, c, cursor, known)
	if len(pages) != 1 || len(pages[0]) != 2 || pages[0][0].ID != "4" {
		t.Fatalf("entries crawled behind the cursor: %+v", pages)
	}
	if cursor2 != cursor {
		t.Fatalf("cursor went from %q to %q", cursor, cursor2)
	}
	// A first sync with a server behind: its time, not this machine's.
	if _, cursor = collect(t, c, "", func(id string) bool { return id != "4" }); cursor != fmt.Sprint(behind+4) {
		t.Fatalf("cursor %q, want the server's time %d", cursor, behind+4)
	}
}

// TestHostileEntriesPassThrough: escape sequences, javascript: links and a
// 1 MB title come back as the server sent them (the sync's gates sanitise
// them), without loss or panic.
func TestHostileEntriesPassThrough(t *testing.T) {
	f, srv := newFake(t)
	f.addEntries(1, 3, 1_764_000_000_000)
	esc := "\x1b]52;c;ZWNobyBoaQ==\x07\x1b[2J\u009b31m\u202eevil"
	f.entry(1).title, f.entry(1).author, f.entry(1).body = esc, esc, `<p onclick="x()">`+esc+`</p>`
	f.entry(2).link = "javascript:alert(document.cookie)"
	f.entry(2).body = `<a href="javascript:alert(1)">x</a>`
	big := strings.Repeat("Ωx", 1<<19) // 1.5 MB of UTF-8
	f.entry(3).title = big
	pages, _ := collect(t, f.client(t, srv), "", nil)
	got := map[string]remote.Entry{}
	for _, e := range pages[0] {
		got[e.ID] = e
	}
	if e := got["1"]; e.Title != esc || e.Author != esc || e.Content != `<p onclick="x()">`+esc+`</p>` {
		t.Errorf("escapes changed: %q %q %q", e.Title, e.Author, e.Content)
	}
	if e := got["2"]; e.URL != "javascript:alert(document.cookie)" || e.Content != `<a href="javascript:alert(1)">x</a>` {
		t.Errorf("links changed: %q %q", e.URL, e.Content)
	}
	if got["3"].Title != big {
		t.Errorf("the big title came back with %d bytes", len(got["3"].Title))
	}
}

// TestHugeAnswerRefused: a 50 MB answer is cut at remote.MaxResponse,
// with or without the capped transport of remote.NewHTTPClient: the
// client reads no more than that of it.
func TestHugeAnswerRefused(t *testing.T) {
	for _, capped := range []bool{false, true} {
		f, srv := newFake(t)
		f.override["stream/items/ids"] = func(w http.ResponseWriter, r *http.Request) {
			chunk := []byte(strings.Repeat(`{"id":"12345678"},`, 1<<16)) // 1.1 MB
			w.Write([]byte(`{"itemRefs":[`))
			for written := 0; written < 50<<20; written += len(chunk) {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}
		hc := srv.Client()
		if capped {
			hc = remote.NewHTTPClient()
		}
		counter := &countingTransport{next: hc.Transport}
		if counter.next == nil {
			counter.next = http.DefaultTransport
		}
		hc.Transport = counter
		c, _ := New(Options{URL: srv.URL, Username: f.user, Password: f.pass, HTTP: hc})
		_, err := c.States(ctx)
		wantError(t, err, "greader at "+srv.URL+": list unread entries: the answer is larger than 32 MB: refused; the server is broken or hostile")
		if counter.read > remote.MaxResponse+1+4096 { // the login's answer is the 4 KB
			t.Errorf("capped %v: the client read %d bytes of the answers", capped, counter.read)
		}
	}
}

// countingTransport counts the bytes read from the bodies it returns.
type countingTransport struct {
	next http.RoundTripper
	read int64
}

func (t *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err == nil {
		resp.Body = &countingBody{ReadCloser: resp.Body, n: &t.read}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	n *int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	*b.n += int64(n)
	return n, err
}

// TestHugeEntrySkipped: a batch whose answer is over the cap is asked
// again in halves; the one entry over it alone is skipped, the others come.
func TestHugeEntrySkipped(t *testing.T) {
	f, srv := newFake(t)
	f.addEntries(1, 5, 1_764_000_000_000)
	huge := longPrefix + "0000000000000002"
	f.override["stream/items/contents"] = func(w http.ResponseWriter, r *http.Request) {
		if !slices.Contains(r.PostForm["i"], huge) {
			f.itemContents(w, r)
			return
		}
		f.contents = append(f.contents, r.PostForm["i"])
		chunk := []byte(strings.Repeat("x", 1<<20))
		w.Write([]byte(`{"items":[{"title":"`))
		for range remote.MaxResponse>>20 + 1 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
	pages, _ := collect(t, f.client(t, srv), "", nil)
	var ids []string
	for _, p := range pages {
		for _, e := range p {
			ids = append(ids, e.ID)
		}
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"1", "3", "4", "5"}) {
		t.Fatalf("got %v", ids)
	}
	// [5 4 3 2 1] → [5 4] and [3 2 1] → [3] and [2 1] → [2] and [1]
	if len(f.contents) != 7 {
		t.Fatalf("%d contents calls: %v", len(f.contents), f.contents)
	}
}

// TestNoSecretInErrors: whatever fails, the password and the tokens are
// in no error, even when a hostile server echoes them back.
func TestNoSecretInErrors(t *testing.T) {
	f, srv := newFake(t)
	f.addEntries(1, 2, 1_764_000_000_000)
	secrets := []string{f.pass, f.auth, f.token}
	c := f.client(t, srv)
	var errs []error
	_, err := c.Feeds(ctx) // logs in
	errs = append(errs, err)
	f.override["subscription/quickadd"] = func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"numResults": 0, "error": "bad " + f.pass + " " + f.auth + " " + r.PostForm.Get("T")})
	}
	_, err = c.Subscribe(ctx, "https://a.example/feed", "")
	errs = append(errs, err)
	for _, st := range []int{401, 403, 429, 500} {
		f.fails("edit-tag", st, "", f.pass+f.auth+f.token)
		errs = append(errs, c.Mark(ctx, []string{"1"}, remote.Mark{Kind: remote.Read, On: true}))
	}
	f.fails("stream/items/ids", 200, "", "{"+f.pass)
	_, err = c.States(ctx)
	errs = append(errs, err)
	bad, _ := New(Options{URL: srv.URL, Username: f.user, Password: "wrong-" + f.pass, HTTP: srv.Client()})
	_, err = bad.Feeds(ctx)
	errs = append(errs, err)
	for i, err := range errs[1:] {
		if err == nil {
			t.Fatalf("case %d: no error", i+1)
		}
		for e := err; e != nil; e = errors.Unwrap(e) {
			for _, s := range append(secrets, "wrong-"+f.pass) {
				if strings.Contains(e.Error(), s) || strings.Contains(fmt.Sprintf("%+v", e), s) {
					t.Errorf("case %d: a secret in %q", i+1, e.Error())
				}
			}
		}
	}
	if !strings.Contains(errs[1].Error(), "the server said: bad … … …") {
		t.Errorf("the echo was not scrubbed: %q", errs[1].Error())
	}
}
