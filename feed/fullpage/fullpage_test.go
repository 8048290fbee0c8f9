package fullpage

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tidings/articles/articlestest"
	"tidings/feed/fetch"
)

// newsPage is a news page as sites make them: navigation, an ad, the
// article of paras paragraphs, related links, comments, a footer.
func newsPage(paras int, extra string) string {
	var b strings.Builder
	b.WriteString(`<!doctype html><html><head><title>Harbour reopens | Daily Planet</title>
<script>trackEverything()</script><style>body{color:red}</style></head><body>
<header><nav class="site-nav"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/login">Sign in to NAVLINK</a></li></ul></nav></header>
<div class="ad banner sponsor"><a href="https://ads.example/click">BUY ADVERT-TEXT NOW</a></div>
<main><article><h1>Harbour reopens after storm</h1><p class="byline">By A. Writer</p>`)
	for i := range paras {
		fmt.Fprintf(&b, "<p>Paragraph %d of the story: the harbour of the town reopened on Tuesday after the storm, "+
			"and the fishermen, who had waited a week, took their boats out at dawn. The mayor said the "+
			"repairs to the quay would take the rest of the month. <a href=\"/story/%d\">More</a>.</p>\n", i, i)
	}
	b.WriteString(extra)
	b.WriteString(`</article></main>
<aside class="related"><h3>Related</h3><ul><li><a href="/a">RELATED-ONE</a></li><li><a href="/b">RELATED-TWO</a></li></ul></aside>
<section id="comments" class="comments"><h3>Comments</h3><div class="comment"><p>COMMENT-TEXT first!</p></div></section>
<footer class="footer">FOOTER-TEXT © Daily Planet</footer></body></html>`)
	return b.String()
}

func serve(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func testFetcher() *fetch.Fetcher {
	f := NewFetcher("tidings/test")
	return f
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func htmlHandler(page string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}
}

func TestFetchNewsPageKeepsTheArticleOnly(t *testing.T) {
	var accept string
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		accept = r.Header.Get("Accept")
		htmlHandler(newsPage(8, ""))(w, r)
	})
	md, err := Fetch(ctx(t), testFetcher(), srv.URL+"/story")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Paragraph 0 of the story", "Paragraph 7 of the story", "took their boats out", srv.URL + "/story/3"} {
		if !strings.Contains(md, want) {
			t.Errorf("the main text lost %q:\n%s", want, md)
		}
	}
	for _, not := range []string{"NAVLINK", "ADVERT-TEXT", "RELATED-ONE", "COMMENT-TEXT", "FOOTER-TEXT", "trackEverything", "color:red"} {
		if strings.Contains(md, not) {
			t.Errorf("the main text holds %q, which is not the article's:\n%s", not, md)
		}
	}
	if !strings.HasPrefix(accept, "text/html") {
		t.Errorf("the page was asked for with Accept %q, want HTML first", accept)
	}
}

func TestFetchRefusesABigPageQuickly(t *testing.T) {
	big := newsPage(0, strings.Repeat("<p>"+strings.Repeat("word ", 200)+"</p>\n", 5<<20/1007))
	if len(big) < 5<<20 {
		t.Fatalf("page of %d bytes, want 5 MB", len(big))
	}
	srv := serve(t, htmlHandler(big))
	_, err := Fetch(ctx(t), testFetcher(), srv.URL+"/big")
	if err == nil || !strings.Contains(err.Error(), "exceeds") {
		t.Fatalf("a 5 MB page: error %v, want it refused as too big", err)
	}
}

func TestFetchRefusesARedirectToAFile(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	md, err := Fetch(ctx(t), testFetcher(), srv.URL+"/story")
	if err == nil || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("a redirect to file: gave %q, %v; want it refused", md, err)
	}
}

func TestFetchRefusesLocalLinks(t *testing.T) {
	for _, link := range []string{"file:///etc/passwd", "/etc/passwd", "./page.html", "ftp://x/y", ""} {
		if md, err := Fetch(ctx(t), testFetcher(), link); err == nil || !strings.Contains(err.Error(), "only http and https") {
			t.Errorf("Fetch(%q) = %q, %v; want it refused", link, md, err)
		}
	}
}

func TestFetchPageWithScriptsAndEscapesIsSafe(t *testing.T) {
	hostile := "<p>Escape \x1b]52;c;ZXZpbA==\x07 here, and &#27;[2J there, \x1b[31mred\x1b[0m, \u202eevil\u202c.</p>" +
		"<script>document.write('\x1b]0;title\x07')</script><p onclick=\"x()\">A <a href=\"javascript:alert(1)\">js link</a>" +
		" and <a href=\"http://example.com/\x1b[2J\">escaped link</a>.</p><iframe src=\"http://evil/\"></iframe>"
	srv := serve(t, htmlHandler(newsPage(5, hostile)))
	md, err := Fetch(ctx(t), testFetcher(), srv.URL+"/story")
	if err != nil {
		t.Fatal(err)
	}
	if what, bad := articlestest.UnsafeInText(md); bad {
		t.Errorf("unsafe %s in the full text:\n%q", what, md)
	}
	if strings.Contains(md, "javascript:") || strings.Contains(md, "document.write") {
		t.Errorf("a script or a javascript: link came through:\n%s", md)
	}
	if !strings.Contains(md, "Paragraph 4 of the story") {
		t.Errorf("the article's text is gone:\n%s", md)
	}
}

func TestFetchSaysWhatFailed(t *testing.T) {
	cases := []struct {
		name string
		h    http.HandlerFunc
		want string
	}{
		{"404", http.NotFound, "404 Not Found"},
		{"pdf", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/pdf")
			fmt.Fprint(w, "%PDF-1.4\n...")
		}, "a PDF, not HTML"},
		{"image", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "image/png")
			fmt.Fprint(w, "\x89PNG\r\n\x1a\n")
		}, "an image (image/png)"},
		{"nothing", htmlHandler(`<html><body><div class="paywall">Subscribe to read.</div></body></html>`), "no article text"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := serve(t, c.h)
			md, err := Fetch(ctx(t), testFetcher(), srv.URL+"/story")
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), srv.URL+"/story") {
				t.Fatalf("got %q, %v; want an error naming the page and saying %q", md, err, c.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error of more than one line: %q", err)
			}
		})
	}
}

func TestExtractHonoursTheCharset(t *testing.T) {
	page := strings.ReplaceAll(newsPage(6, "<p>Caf\xe9 cr\xe8me.</p>"), "charset=utf-8", "")
	md, err := Extract([]byte(page), "text/html; charset=iso-8859-1", "https://example.com/a")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md, "Café crème") {
		t.Errorf("Latin-1 text misread:\n%s", md)
	}
}

func TestExtractNothing(t *testing.T) {
	_, err := Extract([]byte("<html><body></body></html>"), "text/html", "https://example.com/a")
	if !errors.Is(err, ErrNothing) {
		t.Errorf("an empty page: %v, want ErrNothing", err)
	}
}

// BenchmarkExtract200KB extracts the main text of a 200 KB news page
// (budget: 50 ms).
func BenchmarkExtract200KB(b *testing.B) {
	n := 1
	for len(newsPage(n, "")) < 200<<10 {
		n += 10
	}
	page := []byte(newsPage(n, ""))
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Extract(page, "text/html; charset=utf-8", "https://example.com/story"); err != nil {
			b.Fatal(err)
		}
	}
}
