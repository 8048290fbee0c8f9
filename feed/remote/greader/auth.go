package greader

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"

	"tidings/feed/remote"
)

// maxToken bounds a token the server gives: both FreshRSS's and
// Miniflux's are under 100 characters; a longer one is a page, not a token.
const maxToken = 1024

// login signs in with ClientLogin and keeps the Auth token, returning the
// status of a refusal.
func (c *Client) login(ctx context.Context) (int, error) {
	const op, endpoint = "log in", "accounts/ClientLogin"
	body := form{{"Email", c.user}, {"Passwd", c.pass}}.encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/"+endpoint, strings.NewReader(body))
	if err != nil {
		return 0, &remote.Error{Server: c.name, Op: op, Msg: "the request could not be made: check the URL", Err: err}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	b, status, err := c.do(req, op, endpoint, authHint)
	if status == http.StatusBadRequest {
		// FreshRSS answers 400 to a username it cannot have.
		var e *remote.Error
		if errors.As(err, &e) {
			e.Msg += ": " + authHint
		}
	}
	if err != nil {
		return status, err
	}
	auth := authLine(b)
	if !plausibleToken(auth) {
		return status, c.badAnswer(op, errors.New("no Auth= line in the login answer"))
	}
	c.auth = auth
	return status, nil
}

// authLine finds the value of the Auth= line of a ClientLogin answer.
func authLine(b []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "Auth="); ok {
			return v
		}
	}
	return ""
}

// getToken asks for the T token every POST carries (Miniflux reads the
// session from it; FreshRSS checks it on edits).
func (c *Client) getToken(ctx context.Context) (int, error) {
	const op = "get the action token"
	b, status, err := c.send(ctx, op, http.MethodGet, "token", nil, nil)
	if err != nil {
		return status, err
	}
	t := string(bytes.TrimSpace(b))
	if !plausibleToken(t) || strings.Contains(t, "<") {
		return status, c.badAnswer(op, errors.New("the token answer is not a token"))
	}
	c.token = t
	return status, nil
}

// plausibleToken reports whether s can be a token: short, and without
// spaces or control characters (it goes into a header and a form).
func plausibleToken(s string) bool {
	return s != "" && len(s) <= maxToken && strings.IndexFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) < 0
}
