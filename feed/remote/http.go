package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MaxResponse bounds one response of a server: a page of entries is a few
// MB at most; a server sending more is broken or hostile, and the sync
// stops with an error rather than holding it in memory.
const MaxResponse = 32 << 20

// Timeout bounds one request, headers and body.
const Timeout = 60 * time.Second

// NewHTTPClient is the HTTP client of a server: a whole request is bounded
// in time, every response body to MaxResponse bytes (so that a client
// library decoding straight from the body is bounded too), redirects stay
// on http and https, and cookies are not kept.
func NewHTTPClient() *http.Client {
	return &http.Client{
		Timeout:   Timeout,
		Transport: cappedTransport{http.DefaultTransport},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("too many redirects")
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirect to a %s: URL refused", req.URL.Scheme)
			}
			return nil
		},
	}
}

// ErrTooLarge is the error of reading past MaxResponse bytes of a body.
var ErrTooLarge = fmt.Errorf("response larger than %d MB", MaxResponse>>20)

// cappedTransport bounds every response body it returns.
type cappedTransport struct{ next http.RoundTripper }

func (t cappedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &cappedBody{rc: resp.Body, left: MaxResponse}
	return resp, nil
}

// cappedBody fails with ErrTooLarge once more than its cap is read.
type cappedBody struct {
	rc   io.ReadCloser
	left int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, ErrTooLarge
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n, ErrTooLarge
	}
	return n, err
}

func (b *cappedBody) Close() error { return b.rc.Close() }

// ReadBody reads a response body of at most MaxResponse bytes.
func ReadBody(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxResponse+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxResponse {
		return nil, ErrTooLarge
	}
	return b, nil
}

// StatusError is the Error of a response whose status is not a success.
// authHint is the way out of a 401 or 403, e.g. "check the token".
func StatusError(server, op string, resp *http.Response, authHint string, now time.Time) *Error {
	e := &Error{Server: server, Op: op, Status: resp.StatusCode}
	code := fmt.Sprintf("%d %s", resp.StatusCode, strings.ToLower(http.StatusText(resp.StatusCode)))
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		e.Msg = code + ": " + authHint
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable:
		e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), now)
		e.Msg = code + ": the server asks to wait"
		if !e.RetryAfter.IsZero() {
			e.Msg += " until " + e.RetryAfter.Format("15:04:05")
		}
	case resp.StatusCode >= 500:
		e.Msg = code + ": the server failed; marks wait here until it answers"
	default:
		e.Msg = code
	}
	return e
}

// NetError is the Error of a request that got no answer: the server is
// down, unreachable or too slow. The marks made meanwhile wait here.
func NetError(server, op string, err error) *Error {
	msg := "no answer"
	var ne net.Error
	switch {
	case errors.Is(err, context.Canceled):
		msg = "cancelled"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		msg = "timed out"
	case isRefused(err):
		msg = "connection refused: is the server running?"
	}
	return &Error{Server: server, Op: op, Msg: msg, Err: err}
}

func isRefused(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// parseRetryAfter reads Retry-After, in seconds or as an HTTP date;
// zero if absent or unreadable. A wait over a day is taken as a day.
func parseRetryAfter(v string, now time.Time) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	var t time.Time
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		t = now.Add(time.Duration(secs) * time.Second)
	} else if d, err := http.ParseTime(v); err == nil {
		t = d
	} else {
		return time.Time{}
	}
	if t.After(now.Add(24 * time.Hour)) {
		t = now.Add(24 * time.Hour)
	}
	return t
}

// Clock keeps how far a server's clock is from this machine's, read from
// the Date header of its answers, so that its times of change compare
// with marks made here even when one of the clocks is wrong.
type Clock struct {
	mu   sync.Mutex
	skew time.Duration
}

// Wrap returns client with its answers' dates read into c.
func (c *Clock) Wrap(client *http.Client) *http.Client {
	next := client.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	wrapped := *client
	wrapped.Transport = clockTransport{next: next, clock: c}
	return &wrapped
}

// Skew is the server's clock minus this machine's, to the second; zero
// before any answer with a date.
func (c *Clock) Skew() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.skew
}

type clockTransport struct {
	next  http.RoundTripper
	clock *Clock
}

func (t clockTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		t.clock.mu.Lock()
		t.clock.skew = d.Sub(time.Now().Truncate(time.Second))
		t.clock.mu.Unlock()
	}
	return resp, nil
}
