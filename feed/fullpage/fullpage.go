// Package fullpage fetches an article's web page and extracts its main
// text (with go-readability, a port of Firefox's Readability.js), for the
// feeds that carry a summary and a link. The text leaves as markdown made
// by the same gate as a feed's body (htmlmd.Convert), so a page can do no
// more to the terminal than a feed item can.
package fullpage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"

	"tidings/articles"
	"tidings/articles/termsafe"
	"tidings/feed/fetch"
	"tidings/feed/htmlmd"
)

// MaxPage bounds the bytes of a page fetched. News pages weigh some
// hundreds of KB of HTML, scripts included; the parsed tree costs many
// times its source, so a bigger page is refused rather than parsed.
const MaxPage = 4 << 20

// maxElems bounds the elements readability scores: its passes walk the
// tree several times, and a page of a million empty elements is not an
// article.
const maxElems = 100_000

// minText is the least text taken for an article: readability falls
// back to the best block it saw, which on a paywall is "Subscribe to
// read" — the feed's summary says more.
const minText = 200

// accept asks for a web page, not a feed.
const accept = "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"

// ErrNothing is a page whose main text could not be found: a paywall, a
// page built by scripts, or one with no prose.
var ErrNothing = errors.New("no article text found on the page (a paywall, or a page its scripts build?)")

// NewFetcher returns a fetcher for pages: the feeds' caps on time,
// redirects and schemes, and MaxPage on size.
func NewFetcher(userAgent string) *fetch.Fetcher {
	return fetch.New(fetch.Options{UserAgent: userAgent, MaxBody: MaxPage, PerHost: 2, MaxParallel: 4})
}

// Fetch fetches the page at link with f and returns its main text as
// safe markdown. Only http and https pages are fetched (the fetcher would
// read a local path), and only HTML is read: a PDF or an image says so.
func Fetch(ctx context.Context, f *fetch.Fetcher, link string) (string, error) {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("full article %s: only http and https pages are fetched", termsafe.Line(link))
	}
	resp, err := f.Fetch(ctx, fetch.Request{URL: link, Accept: accept})
	if err != nil {
		return "", fmt.Errorf("full article: %w", err)
	}
	if err := checkType(resp); err != nil {
		return "", fmt.Errorf("full article %s: %w", link, err)
	}
	md, err := Extract(resp.Body, resp.ContentType, link)
	if err != nil {
		return "", fmt.Errorf("full article %s: %w", link, err)
	}
	return md, nil
}

// checkType accepts HTML, and a body with no type that looks like it.
func checkType(resp fetch.Response) error {
	ct := resp.ContentType
	if ct == "" {
		ct = http.DetectContentType(resp.Body)
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("the page's type %q is unreadable", termsafe.Line(ct))
	}
	switch {
	case mt == "text/html" || mt == "application/xhtml+xml":
		return nil
	case mt == "application/pdf":
		return errors.New("the page is a PDF, not HTML: open it in the browser")
	case strings.HasPrefix(mt, "image/"):
		return fmt.Errorf("the page is an image (%s), not HTML: open it in the browser", mt)
	}
	return fmt.Errorf("the page is %s, not HTML", termsafe.Line(mt))
}

// Extract finds the main text of page, an HTML document of the given
// Content-Type (its charset is honoured, else sniffed), and returns it as
// markdown through htmlmd.Convert; pageURL resolves relative links.
func Extract(page []byte, contentType, pageURL string) (string, error) {
	base, err := url.Parse(pageURL)
	if err != nil {
		return "", fmt.Errorf("page URL: %w", err)
	}
	r, err := charset.NewReader(bytes.NewReader(page), contentType)
	if err != nil {
		return "", fmt.Errorf("read the page's characters: %w", err)
	}
	doc, err := html.Parse(r)
	if err != nil {
		return "", fmt.Errorf("parse the page: %w", err)
	}
	p := readability.NewParser()
	p.MaxElemsToParse = maxElems
	art, err := p.ParseAndMutate(doc, base)
	if err != nil {
		if strings.Contains(err.Error(), "documents too large") {
			return "", fmt.Errorf("the page has more than %d elements: not read", maxElems)
		}
		return "", ErrNothing
	}
	if art.Node == nil {
		return "", ErrNothing
	}
	var out strings.Builder
	if err := html.Render(&out, art.Node); err != nil {
		return "", fmt.Errorf("render the page's text: %w", err)
	}
	md := strings.TrimSpace(htmlmd.Convert(out.String(), pageURL))
	if utf8.RuneCountInString(md) < minText {
		return "", ErrNothing
	}
	return md, nil
}

// Store is what Fill needs of the article store.
type Store interface {
	articles.FullTextStore
	// WithoutFullText returns up to limit of the newest articles of the
	// feed at feedURL that have a link and no full text kept (nor a
	// failure): their ID and Link.
	WithoutFullText(ctx context.Context, feedURL string, limit int) ([]articles.Article, error)
}

// Fill bounds: the newest articles of a feed whose pages one refresh
// fetches, and how many of its pages are fetched at once (the fetcher's
// own per-host bound applies too).
const (
	fillLimit    = 20
	fillParallel = 2
)

// Fill fetches the pages of the newest articles of the feed at feedURL
// that have no full text yet, a few at a time, and keeps what each gave,
// or why it gave nothing, so that a failing page is not asked again on
// every refresh. It returns how many texts it kept.
func Fill(ctx context.Context, f *fetch.Fetcher, s Store, feedURL string, now func() time.Time) (int, error) {
	todo, err := s.WithoutFullText(ctx, feedURL, fillLimit)
	if err != nil {
		return 0, fmt.Errorf("full texts of %s: %w", feedURL, err)
	}
	var kept atomic.Int32
	var wg sync.WaitGroup
	slots := make(chan struct{}, fillParallel)
	for _, a := range todo {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			md, err := Fetch(ctx, f, a.Link)
			if ctx.Err() != nil {
				return // stopped: not the page's fault
			}
			ft := articles.FullText{Body: md, Fetched: now()}
			if err != nil {
				ft = articles.FullText{Err: err.Error(), Fetched: now()}
			}
			if s.SaveFullText(ctx, a.ID, ft) == nil && err == nil {
				kept.Add(1)
			}
		})
	}
	wg.Wait()
	return int(kept.Load()), nil
}
