package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// StatusError is the error for an HTTP status that is not 200/304.
type StatusError struct {
	URL        string
	Code       int
	Status     string    // e.g. "404 Not Found"
	RetryAfter time.Time // from Retry-After on 429/503 (seconds or HTTP-date), zero if none
}

func (e *StatusError) Error() string {
	s := "fetch " + e.URL + ": " + e.Status
	if !e.RetryAfter.IsZero() {
		s += " (retry after " + e.RetryAfter.UTC().Format(time.RFC3339) + ")"
	}
	return s
}

// Gone reports a 410: the feed is gone for good, stop polling it.
func (e *StatusError) Gone() bool { return e.Code == http.StatusGone }

// opError is every other failure: "op URL: msg", unwrapping to the cause.
type opError struct {
	op, url, msg string
	err          error
}

func (e *opError) Error() string { return e.op + " " + e.url + ": " + e.msg }
func (e *opError) Unwrap() error { return e.err }

// Timeout reports whether the fetch ran out of time.
func (e *opError) Timeout() bool { return errors.Is(e.err, context.DeadlineExceeded) }

var (
	errTimedOut  = errors.New("feed: fetch timed out")
	errTooBig    = errors.New("feed: body too large")
	errRedirects = fmt.Errorf("too many redirects (more than %d)", maxRedirects)
)

// redirectRefused is a redirect to a scheme other than http(s). to is
// the server's Location, so it is kept sanitised and short.
type redirectRefused struct{ to string }

func (e *redirectRefused) Error() string { return "redirect to " + e.to + " refused" }

// urlMax caps, in characters, a URL a server gave that an error quotes.
const urlMax = 100

// why is the message for err, or, once ctx is done, for why it is: its
// cause, which says "stopped by SIGTERM" where ctx.Err says "context canceled".
func why(ctx context.Context, err error) string {
	if ctx.Err() != nil {
		return context.Cause(ctx).Error()
	}
	return err.Error()
}

// explainExchange says in plain words why no response came: Go's
// texts ("EOF", "net/http: HTTP/1.x transport connection broken: …") speak of
// its internals rather than of what the server did.
func explainExchange(err error) string {
	msg := err.Error()
	switch {
	case errors.Is(err, io.EOF):
		return "server closed the connection without answering"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "server closed the connection mid-headers"
	case errors.Is(err, syscall.ECONNRESET):
		return "server reset the connection without answering"
	case strings.Contains(msg, "server response headers exceeded"):
		return "response headers exceed " + formatSize(maxHeaderBytes)
	}
	if _, rest, ok := strings.Cut(msg, "transport connection broken: "); ok {
		return "not a valid HTTP response: " + rest
	}
	return msg
}

// explainBody says in plain words why a body could not be read. got is
// how many bytes came, want the Content-Length or -1 if unknown (as when the
// transport decompresses).
func explainBody(err error, got, want int64) string {
	size := fmt.Sprintf(" (after %d bytes)", got)
	if want >= 0 {
		size = fmt.Sprintf(" (got %d of %d bytes)", got, want)
	}
	msg := err.Error()
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "server closed the connection mid-body" + size
	case errors.Is(err, syscall.ECONNRESET):
		return "server reset the connection mid-body" + size
	case strings.Contains(msg, "chunk"):
		// net/http/internal's chunked reader: "malformed chunked encoding",
		// "invalid byte in chunk length", "http chunk length too large".
		return "malformed chunked body: " + msg + size
	}
	return "reading body: " + msg + size
}

// parseRetryAfter reads Retry-After: delay-seconds from now, or an HTTP-date.
func parseRetryAfter(v string, now time.Time) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return time.Time{}
		}
		n = min(n, math.MaxInt64/int64(time.Second))
		return now.Add(time.Duration(n) * time.Second)
	}
	if t, err := http.ParseTime(v); err == nil {
		return t
	}
	return time.Time{}
}

// formatSize renders a byte count: "16 MiB", "1 KiB", "1500 bytes".
func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
