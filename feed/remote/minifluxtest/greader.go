package minifluxtest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html"
)

// enableGoogleReader switches the Google Reader API on for the admin
// account. Miniflux has no REST call for it: this logs in through the web
// form and posts the integrations form, as a person would, keeping every
// other field of that form as the page shows it (the handler saves the whole
// form, so a field left out would switch that integration off).
func (s *Server) enableGoogleReader() error {
	jar, _ := cookiejar.New(nil) // New never fails without options
	web := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	login, err := getForm(web, s.URL+"/", "/login")
	if err != nil {
		return err
	}
	login.Set("username", s.Username)
	login.Set("password", s.Password)
	if err := postForm(web, s.URL+"/login", login); err != nil {
		return err
	}
	form, err := getForm(web, s.URL+"/integrations", "/integration")
	if err != nil {
		return fmt.Errorf("after logging in as %s: %w", s.Username, err)
	}
	form.Set("googlereader_enabled", "1")
	form.Set("googlereader_username", s.GReaderUsername)
	form.Set("googlereader_password", s.GReaderPassword)
	if err := postForm(web, s.URL+"/integration", form); err != nil {
		return err
	}
	// The form answers with a redirect whatever happened; ClientLogin says
	// whether it took.
	if _, err := s.GReaderLogin(); err != nil {
		return fmt.Errorf("switch the Google Reader API on through %s/integrations: %w", s.URL, err)
	}
	return nil
}

// GReaderLogin logs in on the Google Reader API (ClientLogin) and returns
// the token for "Authorization: GoogleLogin auth=<token>" and for T=.
func (s *Server) GReaderLogin() (string, error) {
	form := url.Values{"Email": {s.GReaderUsername}, "Passwd": {s.GReaderPassword}}
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.PostForm(s.URL+"/accounts/ClientLogin", form)
	if err != nil {
		return "", fmt.Errorf("ClientLogin at %s: %w", s.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if err != nil || resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("ClientLogin at %s: %s %v %s", s.URL, resp.Status, err, body)
	}
	for _, line := range strings.Split(string(body), "\n") {
		if tok, ok := strings.CutPrefix(line, "Auth="); ok {
			return strings.TrimSpace(tok), nil
		}
	}
	return "", fmt.Errorf("ClientLogin at %s: no Auth= line in %q", s.URL, body)
}

// getForm fetches page and returns the fields of its form posting to
// action, with the values the page gives them (the CSRF token among them).
func getForm(c *http.Client, page, action string) (url.Values, error) {
	resp, err := c.Get(page)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", page, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("get %s: %s", page, resp.Status)
	}
	doc, err := html.Parse(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", page, err)
	}
	form := findForm(doc, action)
	if form == nil {
		return nil, fmt.Errorf("%s has no form posting to %s", page, action)
	}
	vals := url.Values{}
	formFields(form, vals)
	return vals, nil
}

// postForm posts vals and expects the redirect (or page) Miniflux answers
// a successful form with.
func postForm(c *http.Client, target string, vals url.Values) error {
	resp, err := c.PostForm(target, vals)
	if err != nil {
		return fmt.Errorf("post %s: %w", target, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
		return fmt.Errorf("post %s: %s: %s", target, resp.Status, body)
	}
	return nil
}

// findForm returns the first <form> whose action ends with action.
func findForm(n *html.Node, action string) *html.Node {
	if n.Type == html.ElementNode && n.Data == "form" && strings.HasSuffix(attr(n, "action"), action) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findForm(c, action); f != nil {
			return f
		}
	}
	return nil
}

// formFields adds what a browser would submit for the fields under n:
// inputs (checkboxes and radios only when checked), selects (the selected
// option, else the first) and textareas.
func formFields(n *html.Node, vals url.Values) {
	if n.Type == html.ElementNode && attr(n, "name") != "" {
		name := attr(n, "name")
		switch n.Data {
		case "input":
			typ := strings.ToLower(attr(n, "type"))
			checkable := typ == "checkbox" || typ == "radio"
			if typ != "submit" && typ != "button" && (!checkable || hasAttr(n, "checked")) {
				vals.Add(name, attr(n, "value"))
			}
		case "select":
			if v, ok := selected(n); ok {
				vals.Add(name, v)
			}
		case "textarea":
			if n.FirstChild != nil {
				vals.Add(name, n.FirstChild.Data)
			} else {
				vals.Add(name, "")
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		formFields(c, vals)
	}
}

// selected returns the value of a select's selected option, else of its
// first.
func selected(sel *html.Node) (string, bool) {
	var first *html.Node
	var walk func(*html.Node) *html.Node
	walk = func(n *html.Node) *html.Node {
		if n.Type == html.ElementNode && n.Data == "option" {
			if first == nil {
				first = n
			}
			if hasAttr(n, "selected") {
				return n
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if o := walk(c); o != nil {
				return o
			}
		}
		return nil
	}
	opt := walk(sel)
	if opt == nil {
		opt = first
	}
	if opt == nil {
		return "", false
	}
	if hasAttr(opt, "value") {
		return attr(opt, "value"), true
	}
	if opt.FirstChild != nil {
		return strings.TrimSpace(opt.FirstChild.Data), true
	}
	return "", true
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}
