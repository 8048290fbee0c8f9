package remote

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestStatusError(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		code  int
		retry string
		want  string
		auth  bool
		until time.Time
	}{
		{401, "", "miniflux at https://x: list feeds: 401 unauthorized: check the token", true, time.Time{}},
		{403, "", "miniflux at https://x: list feeds: 403 forbidden: check the token", true, time.Time{}},
		{429, "120", "miniflux at https://x: list feeds: 429 too many requests: the server asks to wait until 10:02:00", false, now.Add(2 * time.Minute)},
		{503, "Tue, 01 Dec 2026 10:00:30 GMT", "miniflux at https://x: list feeds: 503 service unavailable: the server asks to wait until 10:00:30", false, now.Add(30 * time.Second)},
		{429, "999999999", "miniflux at https://x: list feeds: 429 too many requests: the server asks to wait until 10:00:00", false, now.Add(24 * time.Hour)},
		{500, "", "miniflux at https://x: list feeds: 500 internal server error: the server failed; marks wait here until it answers", false, time.Time{}},
		{404, "", "miniflux at https://x: list feeds: 404 not found", false, time.Time{}},
	}
	for _, c := range cases {
		resp := &http.Response{StatusCode: c.code, Header: http.Header{}}
		if c.retry != "" {
			resp.Header.Set("Retry-After", c.retry)
		}
		e := StatusError("miniflux at https://x", "list feeds", resp, "check the token", now)
		if e.Error() != c.want || e.Unauthorized() != c.auth || !e.RetryAfter.Equal(c.until) {
			t.Errorf("%d %q: got %q auth %v until %v", c.code, c.retry, e.Error(), e.Unauthorized(), e.RetryAfter)
		}
	}
}

func TestReadBodyCapped(t *testing.T) {
	if _, err := ReadBody(bytes.NewReader(make([]byte, MaxResponse+1))); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("a body over the cap: %v", err)
	}
	b, err := ReadBody(strings.NewReader("ok"))
	if err != nil || string(b) != "ok" {
		t.Fatalf("%q %v", b, err)
	}
}

func TestClientCapsEveryBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("x"), 1<<20)
		for range MaxResponse>>20 + 2 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	resp, err := NewHTTPClient().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if !errors.Is(err, ErrTooLarge) || n > MaxResponse+1 {
		t.Fatalf("read %d bytes, %v", n, err)
	}
}

func TestNetErrorKeepsCause(t *testing.T) {
	cause := errors.New("boom")
	e := NetError("greader at https://x", "", cause)
	if !errors.Is(e, cause) || e.Error() != "greader at https://x: no answer" {
		t.Fatalf("%v", e)
	}
}

// TestClockReadsTheServersDate: a server two hours ahead.
func TestClockReadsTheServersDate(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", time.Now().Add(2*time.Hour).UTC().Format(http.TimeFormat))
	}))
	defer srv.Close()
	var clock Clock
	resp, err := clock.Wrap(NewHTTPClient()).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if d := clock.Skew() - 2*time.Hour; d < -2*time.Second || d > 2*time.Second {
		t.Fatalf("skew %v, want about 2h", clock.Skew())
	}
}
