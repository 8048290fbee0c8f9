package miniflux

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
	"unicode"

	"tidings/feed/remote"
)

// The library's errors are strings ("miniflux: status code=429") that
// lose the headers (Retry-After) and the cause (a cap, a reset). So each
// call carries a callState in its context, which the client's transport
// fills with what it saw; call turns that into one calm *remote.Error.

type stateKey struct{}

// callState is what the transport saw of one call's responses.
type callState struct {
	failed  *http.Response // the last response whose status is 400 or more (body read)
	detail  string         // the error_message of its body, if any
	readErr error          // the first error reading a body, other than its end
}

// call runs fn with a fresh callState, and says what went wrong, if
// anything, as a *remote.Error.
func (s *Server) call(ctx context.Context, op string, fn func(ctx context.Context) error) error {
	if s.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.timeout)
		defer cancel()
	}
	st := &callState{}
	err := fn(context.WithValue(ctx, stateKey{}, st))
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		// The library's errors are strings: the context says it is this.
		return remote.NetError(s.name, op, ctx.Err())
	}
	return s.classify(op, st, err)
}

func (s *Server) classify(op string, st *callState, err error) *remote.Error {
	var re *remote.Error
	if errors.As(err, &re) {
		return re
	}
	switch {
	case st.failed != nil:
		e := remote.StatusError(s.name, op, st.failed, s.authHint, time.Now())
		d := s.clean(st.detail)
		switch {
		case d == "" || e.Unauthorized():
		case e.Status >= 500 && e.RetryAfter.IsZero():
			// Miniflux says why: often the feed's fault, not its own
			// ("parser: unable to detect feed format").
			e.Msg = fmt.Sprintf("%d %s: %s", e.Status, strings.ToLower(http.StatusText(e.Status)), d)
		default:
			e.Msg += ": " + d
		}
		return e
	case errors.Is(st.readErr, remote.ErrTooLarge):
		return &remote.Error{Server: s.name, Op: op, Err: remote.ErrTooLarge,
			Msg: "the answer is larger than 32 MB: is the URL that of a Miniflux server?"}
	case st.readErr != nil && !isTimeout(st.readErr):
		return &remote.Error{Server: s.name, Op: op, Err: st.readErr,
			Msg: "the connection broke in the middle of the answer; try again"}
	case st.readErr != nil:
		return remote.NetError(s.name, op, st.readErr)
	case isNet(err):
		return remote.NetError(s.name, op, err)
	}
	return &remote.Error{Server: s.name, Op: op, Err: err,
		Msg: "the answer is not what a Miniflux server sends: is the URL right?"}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) ||
		(errors.As(err, &ne) && ne.Timeout())
}

// isNet reports whether err is the failure of a request to get an answer
// (http.Client.Do wraps those in *url.Error), rather than of reading one.
func isNet(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}

// clean makes the server's own words about an error fit one calm line: no
// control characters, at most 200 characters, and never a secret of ours
// (a hostile server could echo the token back).
func (s *Server) clean(msg string) string {
	for _, secret := range []string{s.opts.Token, s.opts.Password} {
		if secret != "" {
			msg = strings.ReplaceAll(msg, secret, "…")
		}
	}
	msg = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return ' '
		}
		return r
	}, msg)
	msg = strings.Join(strings.Fields(msg), " ")
	if r := []rune(msg); len(r) > 200 {
		msg = string(r[:200]) + "…"
	}
	return msg
}

// recorder is the transport of the server's client: it records, in the
// callState of the request's context, a failed response and the errors
// of reading bodies, and otherwise leaves responses as they are.
type recorder struct {
	next http.RoundTripper
	max  int64 // the cap of a body: remote.MaxResponse
}

// maxDetail bounds what is read of a failed response: its error message.
const maxDetail = 4 << 10

func (r recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	next := r.next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(req)
	st, _ := req.Context().Value(stateKey{}).(*callState)
	if err != nil || st == nil {
		return resp, err
	}
	if resp.StatusCode >= 400 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, maxDetail))
		resp.Body.Close()
		var msg struct {
			ErrorMessage string `json:"error_message"`
		}
		if json.Unmarshal(b, &msg) == nil {
			st.detail = msg.ErrorMessage
		}
		resp.Body = io.NopCloser(bytes.NewReader(b))
		st.failed = resp
		return resp, nil
	}
	resp.Body = &watchedBody{rc: resp.Body, st: st, left: r.max}
	return resp, nil
}

// watchedBody records the first error of reading a body, and fails past
// remote.MaxResponse bytes whatever client the server was given.
type watchedBody struct {
	rc   io.ReadCloser
	st   *callState
	left int64
}

func (b *watchedBody) Read(p []byte) (int, error) {
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		err = remote.ErrTooLarge
	}
	if err != nil && err != io.EOF && b.st.readErr == nil {
		b.st.readErr = err
	}
	return n, err
}

func (b *watchedBody) Close() error { return b.rc.Close() }
