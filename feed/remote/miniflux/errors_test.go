package miniflux

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tidings/feed/remote"
)

// ops are the calls each bad case is tried on: one through the library,
// one through this package's own decoding, one that writes.
var ops = []struct {
	name string
	run  func(s *Server) error
}{
	{"list feeds", func(s *Server) error { _, err := s.Feeds(context.Background()); return err }},
	{"list changed entries", func(s *Server) error {
		_, err := s.Entries(context.Background(), "", nil, func([]remote.Entry) error { return nil })
		return err
	}},
	{"mark 1 entry read", func(s *Server) error {
		return s.Mark(context.Background(), []string{"1"}, remote.Mark{Kind: remote.Read, On: true})
	}},
}

// checkNoSecret fails if a secret shows in err or anything it wraps.
func checkNoSecret(t *testing.T, err error, secrets ...string) {
	t.Helper()
	for e := err; e != nil; e = errors.Unwrap(e) {
		for _, s := range secrets {
			if strings.Contains(e.Error(), s) || strings.Contains(fmt.Sprintf("%+v", e), s) {
				t.Errorf("error %q shows a secret", e.Error())
			}
		}
	}
}

func TestBadAnswers(t *testing.T) {
	huge := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"total":1,"entries":[{"id":1,"title":"`)
		chunk := strings.Repeat("a", 1<<20)
		for range 50 {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
		io.WriteString(w, `"}]}`)
	}
	status := func(code int, header, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if header != "" {
				w.Header().Set("Retry-After", header)
			}
			w.WriteHeader(code)
			io.WriteString(w, body)
		}
	}
	cases := []struct {
		name    string
		handler http.HandlerFunc
		status  int
		msg     string
	}{
		{"401", status(401, "", `{"error_message":"Access Unauthorized"}`), 401,
			"401 unauthorized: check the token (Miniflux: Settings, API Keys)"},
		{"403", status(403, "", ""), 403, "403 forbidden: check the token (Miniflux: Settings, API Keys)"},
		{"500", status(500, "", `{"error_message":"store: unable to fetch entries: pq: \u001b[31mbroken"}`), 500,
			"500 internal server error: store: unable to fetch entries: pq: [31mbroken"},
		{"502 from a proxy", status(502, "", "<html><body>Bad Gateway</body></html>"), 502,
			"502 bad gateway: the server failed; marks wait here until it answers"},
		{"400 echoing the token", status(400, "", `{"error_message":"bad key `+testToken+`"}`), 400, "400 bad request: bad key …"},
		{"malformed JSON", status(200, "", `{"total": 1, "entries": [{"id": 1,`), 0,
			"the answer is not what a Miniflux server sends: is the URL right?"},
		{"an HTML page", status(200, "", "<!doctype html><title>Login</title>"), 0,
			"the answer is not what a Miniflux server sends: is the URL right?"},
		{"50 MB", huge, 0, "the answer is larger than 32 MB: is the URL that of a Miniflux server?"},
	}
	for _, c := range cases {
		for _, op := range ops {
			t.Run(c.name+"/"+op.name, func(t *testing.T) {
				srv := httptest.NewServer(c.handler)
				defer srv.Close()
				s, _ := New(Options{URL: srv.URL, Token: testToken})
				err := op.run(s)
				if op.name == "mark 1 entry read" && c.status == 0 {
					// A mark's answer is not read: a 200 is success.
					if err != nil {
						t.Errorf("marking, answered 200: %v", err)
					}
					return
				}
				var re *remote.Error
				if !errors.As(err, &re) {
					t.Fatalf("error %v (%T), want a *remote.Error", err, err)
				}
				want := "miniflux at " + srv.URL + ": " + op.name + ": " + c.msg
				if err.Error() != want {
					t.Errorf("error\n%q, want\n%q", err.Error(), want)
				}
				if re.Status != c.status {
					t.Errorf("status %d, want %d", re.Status, c.status)
				}
				checkNoSecret(t, err, testToken)
			})
		}
	}
}

func TestRetryAfter(t *testing.T) {
	at := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	for _, c := range []struct {
		code   int
		header string
		want   func(before, after time.Time) (time.Time, time.Time)
	}{
		{429, "120", func(b, a time.Time) (time.Time, time.Time) { return b.Add(120 * time.Second), a.Add(120 * time.Second) }},
		{429, at.Format(http.TimeFormat), func(time.Time, time.Time) (time.Time, time.Time) { return at, at }},
		{503, "30", func(b, a time.Time) (time.Time, time.Time) { return b.Add(30 * time.Second), a.Add(30 * time.Second) }},
	} {
		for _, op := range ops {
			t.Run(fmt.Sprint(c.code, " ", c.header, " ", op.name), func(t *testing.T) {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("Retry-After", c.header)
					w.WriteHeader(c.code)
				}))
				defer srv.Close()
				s, _ := New(Options{URL: srv.URL, Token: testToken})
				before := time.Now()
				err := op.run(s)
				after := time.Now()
				var re *remote.Error
				if !errors.As(err, &re) || re.Status != c.code {
					t.Fatalf("error %v, want a %d", err, c.code)
				}
				lo, hi := c.want(before.Truncate(time.Second), after.Add(time.Second))
				if re.RetryAfter.Before(lo) || re.RetryAfter.After(hi) {
					t.Errorf("RetryAfter %v, want within [%v, %v]", re.RetryAfter, lo, hi)
				}
				if !strings.Contains(err.Error(), ": the server asks to wait until "+re.RetryAfter.Format("15:04:05")) {
					t.Errorf("error %q does not say until when", err)
				}
			})
		}
	}
}

func TestUnauthorizedWithPassword(t *testing.T) {
	f := newFake(t)
	f.user, f.pass = "ann", "hunter2-password"
	s, _ := New(Options{URL: f.srv.URL, Username: "ann", Password: "wrong-hunter3"})
	for _, op := range ops {
		err := op.run(s)
		var re *remote.Error
		if !errors.As(err, &re) || !re.Unauthorized() {
			t.Fatalf("%s: %v, want unauthorized", op.name, err)
		}
		if want := "miniflux at " + f.srv.URL + ": " + op.name + ": 401 unauthorized: check the username and password"; err.Error() != want {
			t.Errorf("error %q, want %q", err, want)
		}
		checkNoSecret(t, err, "wrong-hunter3", "hunter2-password")
	}
	good, _ := New(Options{URL: f.srv.URL, Username: "ann", Password: "hunter2-password"})
	f.addEntries(1)
	for _, op := range ops {
		if err := op.run(good); err != nil {
			t.Errorf("%s with the right password: %v", op.name, err)
		}
	}
}

func TestTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // else the server does not see the client go
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer srv.Close()
	s, _ := New(Options{URL: srv.URL, Token: testToken, HTTP: &http.Client{Timeout: 50 * time.Millisecond}})
	for _, op := range ops {
		err := op.run(s)
		if want := "miniflux at " + srv.URL + ": " + op.name + ": timed out"; err == nil || err.Error() != want {
			t.Errorf("error %v, want %q", err, want)
		}
		checkNoSecret(t, err, testToken)
	}
}

// A body cut by the server mid-way, after a timely start, is said so.
func TestTimeoutMidBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"total":1,"entries":[`)
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer srv.Close()
	s, _ := New(Options{URL: srv.URL, Token: testToken, HTTP: &http.Client{Timeout: 100 * time.Millisecond}})
	err := ops[1].run(s)
	if want := "miniflux at " + srv.URL + ": list changed entries: timed out"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

func TestConnectionResetMidBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
		buf.WriteString(`[{"id":1,"feed_url":"https://a.example/","title":"A"},{"id":2,`)
		buf.Flush()
		conn.Close()
	}))
	defer srv.Close()
	s, _ := New(Options{URL: srv.URL, Token: testToken})
	for _, op := range ops[:2] {
		err := op.run(s)
		want := "miniflux at " + srv.URL + ": " + op.name + ": the connection broke in the middle of the answer; try again"
		if err == nil || err.Error() != want {
			t.Errorf("error %v, want %q", err, want)
		}
	}
}

func TestConnectionRefused(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	s, _ := New(Options{URL: url, Token: testToken})
	for _, op := range ops {
		err := op.run(s)
		if want := "miniflux at " + url + ": " + op.name + ": connection refused: is the server running?"; err == nil || err.Error() != want {
			t.Errorf("error %v, want %q", err, want)
		}
		checkNoSecret(t, err, testToken)
	}
}

// A 50 MB answer is refused once 32 MB are read: the rest is never
// downloaded.
func TestHugeAnswerIsCut(t *testing.T) {
	var written atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bw := bufio.NewWriterSize(w, 64<<10)
		bw.WriteString(`{"total":1,"entries":[{"id":1,"title":"`)
		chunk := strings.Repeat("a", 64<<10)
		for range 50 << 4 {
			n, err := bw.WriteString(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
		bw.WriteString(`"}]}`)
		bw.Flush()
	}))
	defer srv.Close()
	for _, hc := range []*http.Client{nil, {}} { // the default client, and one without a cap
		s, _ := New(Options{URL: srv.URL, Token: testToken, HTTP: hc})
		written.Store(0)
		err := ops[1].run(s)
		if !errors.Is(err, remote.ErrTooLarge) {
			t.Fatalf("error %v, want ErrTooLarge", err)
		}
		srv.CloseClientConnections()
		if n := written.Load(); n >= 48<<20 {
			t.Errorf("the server wrote %d MB: the client read on past the cap", n>>20)
		}
	}
}
