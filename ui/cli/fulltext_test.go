package cli

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
)

// pageServer serves a feed of one summary whose link is a news page, and
// a 404 for another; it counts the page's fetches.
func pageServer(t *testing.T, pageFetches *atomic.Int32) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Planet</title>
<item><title>Harbour reopens</title><guid>h1</guid><link>%[1]s/story</link><description>Two lines.</description></item>
<item><title>Gone story</title><guid>h2</guid><link>%[1]s/gone</link><description>Two more.</description></item>
</channel></rss>`, srv.URL)
	})
	mux.HandleFunc("/story", func(w http.ResponseWriter, r *http.Request) {
		pageFetches.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<html><body><nav>NAVIGATION</nav><article>`)
		for i := range 6 {
			fmt.Fprintf(w, "<p>Paragraph %d: the harbour reopened after the storm and the fishermen took their boats out at dawn, as the mayor said.</p>", i)
		}
		io.WriteString(w, `</article><footer>FOOTER</footer></body></html>`)
	})
	mux.HandleFunc("/gone", http.NotFound)
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestReadFull(t *testing.T) {
	var fetches atomic.Int32
	srv := pageServer(t, &fetches)
	e, out, _ := testEnv(t)
	ctx := t.Context()
	if err := e.Add(ctx, srv.URL+"/feed"); err != nil {
		t.Fatal(err)
	}
	if err := e.Fetch(ctx); err != nil {
		t.Fatal(err)
	}
	id := articleID(t, e, "Harbour reopens")
	out.Reset()
	if err := e.ReadFull(ctx, id); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "Paragraph 5: the harbour reopened") || strings.Contains(s, "NAVIGATION") ||
		strings.Contains(s, "Two lines.") || !strings.Contains(s, "Harbour reopens") {
		t.Errorf("read --full printed:\n%s", s)
	}
	// Kept: a second read, even offline, fetches nothing.
	e.Offline = true
	out.Reset()
	if err := e.ReadFull(ctx, id); err != nil || !strings.Contains(out.String(), "Paragraph 5") || fetches.Load() != 1 {
		t.Errorf("read --full again: %v, %d fetches:\n%s", err, fetches.Load(), out)
	}
	// The feed's text is still what read prints.
	out.Reset()
	if err := e.Read(ctx, id); err != nil || !strings.Contains(out.String(), "Two lines.") {
		t.Errorf("read after read --full: %v\n%s", err, out)
	}
}

func TestReadFullFailure(t *testing.T) {
	var fetches atomic.Int32
	srv := pageServer(t, &fetches)
	e, out, _ := testEnv(t)
	ctx := t.Context()
	if err := e.Add(ctx, srv.URL+"/feed"); err != nil {
		t.Fatal(err)
	}
	if err := e.Fetch(ctx); err != nil {
		t.Fatal(err)
	}
	id := articleID(t, e, "Gone story")
	out.Reset()
	err := e.ReadFull(ctx, id)
	if err == nil || !strings.Contains(err.Error(), "404 Not Found") || !strings.Contains(err.Error(), srv.URL+"/gone") {
		t.Errorf("read --full of a missing page: %v", err)
	}
	e.Offline = true
	if err := e.ReadFull(ctx, articleID(t, e, "Harbour reopens")); err == nil || !strings.Contains(err.Error(), "--offline") {
		t.Errorf("read --full offline, nothing kept: %v", err)
	}
}

// articleID is the ID list prints for the article of that title.
func articleID(t *testing.T, e Env, title string) string {
	t.Helper()
	var b strings.Builder
	e.Stdout = &b
	if err := e.List(t.Context(), ListOptions{Limit: 50}); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(b.String(), "\n") {
		if strings.Contains(line, title) {
			return strings.Fields(line)[0]
		}
	}
	t.Fatalf("no %q in the list:\n%s", title, b.String())
	return ""
}

// TestFetchFullTextFeeds: a feed with full_text = true has the pages of
// its new articles fetched by the refresh, at most fillLimit of them,
// once; another feed's are not.
func TestFetchFullTextFeeds(t *testing.T) {
	var fetches atomic.Int32
	srv := pageServer(t, &fetches)
	mux := http.NewServeMux()
	var many *httptest.Server
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Many</title>`)
		for i := range 30 {
			fmt.Fprintf(w, `<item><title>Item %d</title><guid>m%d</guid><link>%s/story</link></item>`, i, i, srv.URL)
		}
		io.WriteString(w, `</channel></rss>`)
	})
	many = httptest.NewServer(mux)
	t.Cleanup(many.Close)

	e, _, _ := testEnv(t)
	ctx := t.Context()
	if err := e.Add(ctx, srv.URL+"/feed"); err != nil { // full_text is off: no page fetched
		t.Fatal(err)
	}
	if err := e.Fetch(ctx); err != nil {
		t.Fatal(err)
	}
	if n := fetches.Load(); n != 0 {
		t.Fatalf("a feed without full_text had %d pages fetched", n)
	}
	config := fmt.Sprintf("[[feeds]]\nurl = %q\nfull_text = true\n\n[[feeds]]\nurl = %q\nfull_text = true\n", srv.URL+"/feed", many.URL+"/feed")
	if err := os.WriteFile(e.ConfigPath, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := e.Fetch(ctx); err != nil {
		t.Fatal(err)
	}
	// The first feed brought nothing new; the second 30 items, of which
	// the newest 20 have their page fetched.
	if n := fetches.Load(); n != 20 {
		t.Errorf("%d pages fetched on refresh, want 20 (the newest of the new articles)", n)
	}
	e.Offline = true
	var out strings.Builder
	e.Stdout = &out
	if err := e.ReadFull(ctx, articleID(t, e, "Item 29")); err != nil || !strings.Contains(out.String(), "Paragraph 5") {
		t.Errorf("the full text fetched on refresh is not kept: %v\n%s", err, out.String())
	}
	e.Offline = false
	if err := e.Fetch(ctx); err != nil {
		t.Fatal(err)
	}
	if n := fetches.Load(); n != 20 {
		t.Errorf("a refresh with nothing new fetched pages again: %d in all", n)
	}
}
