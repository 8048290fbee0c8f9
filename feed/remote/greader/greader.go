// Package greader is the client of a feed server speaking the Google Reader
// API: FreshRSS, Miniflux, Inoreader, The Old Reader and others. No
// maintained Go client exists, so it is written by hand on net/http and
// encoding/json, and uses only the calls those servers share.
//
// The URL to give is the API's base:
//   - FreshRSS: https://host/api/greader.php
//   - Miniflux: https://host (its API lives under /reader/api/0/ and its
//     login at /accounts/ClientLogin, below the host and any base path)
//
// A URL ending in /reader/api/0 or /accounts/ClientLogin is taken too.
// The username and password are those of the server's Google Reader API,
// which both FreshRSS and Miniflux set apart from the web login, in their
// settings, where the API is switched on.
package greader

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"tidings/feed/remote"
)

// Options say which server and account to speak to.
type Options struct {
	URL      string // the API base (see the package comment)
	Username string
	Password string
	// HTTP is the client used for every request; remote.NewHTTPClient()
	// when nil. Every body read is capped at remote.MaxResponse anyway.
	HTTP *http.Client
}

// authHint is the way out of a refused login.
const authHint = "check the username and password (those of the server's Google Reader API, set where the API is switched on in its settings)"

// Client is one account on a Google Reader API server. Like every
// remote.Server, it is for one goroutine at a time: it keeps the session's
// tokens between calls.
type Client struct {
	name string // "greader at <base>"
	base string // the API base, without a trailing slash
	user string
	pass string
	hc   *http.Client
	now  func() time.Time // for Retry-After
	// stateLimit bounds each list of States (maxStateIDs).
	stateLimit int
	auth       string // the ClientLogin token; empty until logged in
	token      string // the T token of POSTs; empty until asked for
}

var _ remote.Server = (*Client)(nil)

// New returns the client of the server at o.URL. It does not contact the
// server: the first call logs in.
func New(o Options) (*Client, error) {
	base, err := apiBase(o.URL)
	if err != nil {
		return nil, err
	}
	if o.Username == "" || o.Password == "" {
		return nil, fmt.Errorf("greader at %s: a username and a password are needed: set them in the [sync] table", base)
	}
	hc := o.HTTP
	if hc == nil {
		hc = remote.NewHTTPClient()
	}
	return &Client{
		name: "greader at " + base,
		base: base,
		user: o.Username,
		pass: o.Password,
		hc:   hc,
		now:  time.Now,

		stateLimit: maxStateIDs,
	}, nil
}

// apiBase is the API base of the URL a user gives: without user info,
// query, fragment, trailing slash, or a tail naming an endpoint.
func apiBase(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		// The URL is not repeated: it may hold a password.
		return "", errors.New("greader: the sync URL is not an http or https URL: give the server's address, e.g. https://rss.example.org/api/greader.php")
	}
	u.User, u.RawQuery, u.Fragment, u.RawFragment = nil, "", "", ""
	p := strings.TrimRight(u.Path, "/")
	for _, tail := range []string{"/reader/api/0", "/accounts/ClientLogin"} {
		p = strings.TrimSuffix(p, tail)
	}
	u.Path, u.RawPath = strings.TrimRight(p, "/"), ""
	return u.String(), nil
}

// Name says which server, for messages; it holds no secret.
func (c *Client) Name() string { return c.name }

// form is a POST body whose fields keep their order: PHP servers
// (FreshRSS) read at most max_input_vars fields, so the few that matter
// (T, a, r, s…) go before the many item IDs.
type form [][2]string

func (f form) add(k, v string) form { return append(f, [2]string{k, v}) }

func (f form) encode() string {
	var b strings.Builder
	for i, kv := range f {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(kv[0]) + "=" + url.QueryEscape(kv[1]))
	}
	return b.String()
}

// get calls the API endpoint path (e.g. "subscription/list") with query.
func (c *Client) get(ctx context.Context, op, path string, query url.Values) ([]byte, error) {
	return c.call(ctx, op, http.MethodGet, path, query, nil)
}

// post calls the API endpoint path with the form, adding the T token.
func (c *Client) post(ctx context.Context, op, path string, f form) ([]byte, error) {
	return c.call(ctx, op, http.MethodPost, path, nil, f)
}

// call logs in when needed, sends the request, and on a 401 from a session
// that worked before (its token expired, the server restarted) logs in
// again once and retries.
func (c *Client) call(ctx context.Context, op, method, path string, query url.Values, f form) ([]byte, error) {
	loggedIn := c.auth != ""
	body, status, err := c.attempt(ctx, op, method, path, query, f)
	if status == http.StatusUnauthorized && loggedIn {
		c.auth, c.token = "", ""
		body, _, err = c.attempt(ctx, op, method, path, query, f)
	}
	return body, err
}

// attempt logs in if not yet, gets the T token a POST needs, and sends the
// request.
func (c *Client) attempt(ctx context.Context, op, method, path string, query url.Values, f form) ([]byte, int, error) {
	if c.auth == "" {
		if status, err := c.login(ctx); err != nil {
			return nil, status, err
		}
	}
	if method == http.MethodPost && c.token == "" {
		if status, err := c.getToken(ctx); err != nil {
			return nil, status, err
		}
	}
	return c.send(ctx, op, method, path, query, f)
}

// send makes one request of the API and returns the body of a success, or
// the status and error of a failure.
func (c *Client) send(ctx context.Context, op, method, path string, query url.Values, f form) ([]byte, int, error) {
	u := c.base + "/reader/api/0/" + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(append(form{{"T", c.token}}, f...).encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, 0, &remote.Error{Server: c.name, Op: op, Msg: "the request could not be made: check the URL", Err: err}
	}
	req.Header.Set("Authorization", "GoogleLogin auth="+c.auth)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return c.do(req, op, path, authHint)
}

// do sends req and reads the body of a success (at most MaxResponse bytes).
func (c *Client) do(req *http.Request, op, endpoint, hint string) ([]byte, int, error) {
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, 0, c.netError(op, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, resp.StatusCode, c.statusError(op, endpoint, resp, hint)
	}
	b, err := remote.ReadBody(resp.Body)
	if err != nil {
		return nil, resp.StatusCode, c.readError(op, err)
	}
	if string(bytes.TrimSpace(b)) == "[]" {
		// Miniflux answers an endpoint it lacks with an empty JSON list.
		return nil, resp.StatusCode, c.unsupported(op, endpoint, resp.StatusCode)
	}
	return b, resp.StatusCode, nil
}

// statusError says what a failed status means, calmly.
func (c *Client) statusError(op, endpoint string, resp *http.Response, hint string) error {
	switch resp.StatusCode {
	case http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusNotImplemented:
		return c.unsupported(op, endpoint, resp.StatusCode)
	}
	e := remote.StatusError(c.name, op, resp, hint, c.now())
	if resp.StatusCode == http.StatusBadRequest || resp.StatusCode >= 500 {
		if said := c.serverSaid(resp.Body); said != "" {
			e.Msg += ": the server said: " + said
		}
	}
	return e
}

// serverSaid is the error message of a Miniflux error answer
// ({"error_message": "This feed already exists."}), made calm; empty for
// any other body (FreshRSS's "Bad Request!" tells nothing).
func (c *Client) serverSaid(body io.Reader) string {
	b, err := io.ReadAll(io.LimitReader(body, 4096))
	if err != nil {
		return ""
	}
	var m struct {
		Msg string `json:"error_message"`
	}
	if json.Unmarshal(b, &m) != nil {
		return ""
	}
	return c.calm(m.Msg)
}

func (c *Client) unsupported(op, endpoint string, status int) error {
	return &remote.Error{Server: c.name, Op: op, Status: status, Err: remote.ErrUnsupported,
		Msg: "this server does not offer " + endpoint + " (is the URL that of its Google Reader API?)"}
}

// netError is the error of a request that got no answer.
func (c *Client) netError(op string, err error) error {
	if errors.Is(err, remote.ErrTooLarge) {
		return c.readError(op, err)
	}
	return remote.NetError(c.name, op, err)
}

// readError is the error of a body that could not be read whole.
func (c *Client) readError(op string, err error) error {
	var ne interface{ Timeout() bool }
	switch {
	case errors.Is(err, remote.ErrTooLarge):
		return &remote.Error{Server: c.name, Op: op, Err: err,
			Msg: fmt.Sprintf("the answer is larger than %d MB: refused; the server is broken or hostile", remote.MaxResponse>>20)}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return remote.NetError(c.name, op, err)
	}
	return &remote.Error{Server: c.name, Op: op, Err: err,
		Msg: "the connection broke in the middle of the answer; the next sync tries again"}
}

// badAnswer is the error of a body that is not what the API answers.
func (c *Client) badAnswer(op string, err error) error {
	return &remote.Error{Server: c.name, Op: op, Err: err,
		Msg: "the answer is not the Google Reader API's JSON: is " + c.base + " the address of that API?"}
}

// scrub removes the password and tokens from text the server sent, before
// it goes into an error: a hostile server could echo them back.
func (c *Client) scrub(s string) string {
	for _, secret := range []string{c.pass, c.auth, c.token} {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "…")
		}
	}
	return s
}
