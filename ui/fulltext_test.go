package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"tidings/articles"
	"tidings/articles/articlestest"
	"tidings/feed/fullpage"
)

// summaryArticle is an item of a feed that carries two lines and a link.
func summaryArticle() articles.Article {
	return articles.Article{
		ID: "s1", Feed: "https://news.example/feed", GUID: "s1", Source: "Daily Planet",
		Title: "Harbour reopens after storm", Link: "https://news.example/harbour",
		Published: testNow.Add(-3600e9),
		Body:      "The harbour reopened on Tuesday. [Read more](https://news.example/harbour)",
	}
}

const fullStory = "The harbour of the town reopened on Tuesday after the storm, and the fishermen, " +
	"who had waited a week, took their boats out at dawn.\n\nThe mayor said the repairs to the quay " +
	"would take the rest of the month. **Full story** paragraph two."

// pages is a fake page fetcher that counts its fetches.
type pages struct {
	calls int
	md    string
	err   error
}

func (p *pages) fetch(_ context.Context, link string) (string, error) {
	p.calls++
	return p.md, p.err
}

func fullOptions(s articles.Store, p *pages) Options {
	o := testOptions(s)
	o.FullPage = p.fetch
	return o
}

func TestFullTextToggles(t *testing.T) {
	s := articlestest.NewFullTextMemStore(summaryArticle())
	p := &pages{md: fullStory}
	m := drive(t, New(fullOptions(s, p)), 80, 24, "enter")
	t.Run("hint_80x24", func(t *testing.T) {
		checkFrame(t, m.frame(), 80, 24)
		golden.RequireEqual(t, plain(t, m))
	})
	if out := plain(t, m); !strings.Contains(out, "Only a summary? f fetches the full article") {
		t.Fatalf("a summary with a link shows no hint that f exists:\n%s", out)
	}

	m = drive(t, m, 80, 24, "f")
	t.Run("full_80x24", func(t *testing.T) {
		checkFrame(t, m.frame(), 80, 24)
		golden.RequireEqual(t, plain(t, m))
	})
	out := plain(t, m)
	if !strings.Contains(out, "took their boats out") || strings.Contains(out, "Read more") || p.calls != 1 {
		t.Fatalf("after f (%d fetches), the full text is not shown:\n%s", p.calls, out)
	}

	m = drive(t, m, 80, 24, "f")
	out = plain(t, m)
	if !strings.Contains(out, "Read more") || strings.Contains(out, "took their boats out") ||
		!strings.Contains(out, "The feed's text · f shows the full article") {
		t.Fatalf("f again does not go back to the feed's text:\n%s", out)
	}
	m = drive(t, m, 80, 24, "f")
	if out := plain(t, m); !strings.Contains(out, "took their boats out") || p.calls != 1 {
		t.Errorf("f a third time: %d fetches, want the kept text shown without fetching again:\n%s", p.calls, out)
	}
}

func TestFullTextInTheWideLayout(t *testing.T) {
	s := articlestest.NewFullTextMemStore(summaryArticle())
	p := &pages{md: fullStory}
	m := drive(t, New(fullOptions(s, p)), 160, 48, "f")
	checkFrame(t, m.frame(), 160, 48)
	golden.RequireEqual(t, plain(t, m))
	if m.focus != focusList {
		t.Errorf("f in the wide list moved the focus")
	}
}

func TestFullTextFromTheNarrowListOpensTheReader(t *testing.T) {
	s := articlestest.NewFullTextMemStore(summaryArticle())
	p := &pages{md: fullStory}
	m := drive(t, New(fullOptions(s, p)), 80, 24, "f")
	if out := plain(t, m); m.focus != focusReader || !strings.Contains(out, "took their boats out") {
		t.Errorf("f in the list: focus %v, want the reader showing the full text:\n%s", m.focus, out)
	}
}

func TestFullTextKeptAcrossModels(t *testing.T) {
	s := articlestest.NewFullTextMemStore(summaryArticle())
	drive(t, New(fullOptions(s, &pages{md: fullStory})), 80, 24, "enter f")
	// A new reader, offline: the kept text opens, nothing is fetched.
	o := testOptions(s)
	o.NoRefresh = "Offline (--offline): not fetching"
	m := drive(t, New(o), 80, 24, "enter")
	if out := plain(t, m); !strings.Contains(out, "took their boats out") || !strings.Contains(out, "Full article, from its web page") {
		t.Errorf("a kept full text is not what the article opens on:\n%s", out)
	}
}

func TestFullTextFailureKeepsTheFeedsText(t *testing.T) {
	s := articlestest.NewFullTextMemStore(summaryArticle())
	p := &pages{err: errors.New("full article: fetch https://news.example/harbour: 404 Not Found")}
	m := drive(t, New(fullOptions(s, p)), 80, 24, "enter f")
	out := plain(t, m)
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	status := lines[len(lines)-1]
	if !strings.Contains(status, "No full article") || !strings.Contains(status, "404") {
		t.Errorf("the status line does not say the fetch failed: %q", status)
	}
	if !strings.Contains(out, "The harbour reopened on Tuesday") {
		t.Errorf("the feed's text is gone after a failed fetch:\n%s", out)
	}
	// Offline, with nothing kept, f says why it fetches nothing.
	o := testOptions(articlestest.NewFullTextMemStore(summaryArticle()))
	o.NoRefresh = "Offline (--offline): not fetching"
	m = drive(t, New(o), 80, 24, "enter f")
	if out := plain(t, m); !strings.Contains(out, "Offline (--offline)") {
		t.Errorf("f offline does not say why nothing is fetched:\n%s", out)
	}
}

func TestFullTextFetchLeavesTheReaderUsable(t *testing.T) {
	s := articlestest.NewFullTextMemStore(summaryArticle())
	m := drive(t, New(fullOptions(s, &pages{md: fullStory})), 80, 24, "enter")
	next, cmd := m.Update(tea.KeyPressMsg{Code: 'f', Text: "f"})
	if cmd == nil {
		t.Fatal("f started no command")
	}
	m = next.(Model)
	if out := plain(t, m); !strings.Contains(out, "Fetching the full article…") {
		t.Errorf("no status line while the page is fetched:\n%s", out)
	}
	next, _ = m.Update(tea.KeyPressMsg{Code: 'j', Text: "j"})
	if out := plain(t, next); !strings.Contains(out, "Fetching the full article…") {
		t.Errorf("a key while fetching lost the status line:\n%s", out)
	}
}

// TestFullTextHostilePage fetches, through the real fetcher and
// extraction, a page full of scripts and escape sequences: nothing unsafe
// reaches the frame.
func TestFullTextHostilePage(t *testing.T) {
	var b strings.Builder
	b.WriteString("<html><head><script>alert('\x1b]52;c;ZXZpbA==\x07')</script></head><body><nav>NAV</nav><article>")
	for i := range 8 {
		fmt.Fprintf(&b, "<p>Paragraph %d \x1b[2J with &#27;]8;;http://evil/&#7; an escape, \x1b]0;title\x07 a title, "+
			"\u202ereversed\u202c and <a href=\"javascript:alert(1)\">a script link</a> in a long sentence of the story.</p>", i)
	}
	b.WriteString("</article></body></html>")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, b.String())
	}))
	defer srv.Close()
	a := summaryArticle()
	a.Link = srv.URL + "/story"
	s := articlestest.NewFullTextMemStore(a)
	f := fullpage.NewFetcher("tidings/test")
	o := testOptions(s)
	o.FullPage = func(ctx context.Context, link string) (string, error) { return fullpage.Fetch(ctx, f, link) }
	m := drive(t, New(o), 100, 30, "enter f")
	frame := m.frame()
	if what, bad := articlestest.UnsafeInFrame(frame); bad {
		t.Errorf("unsafe %s in the frame", what)
	}
	if !strings.Contains(plain(t, m), "Paragraph 1") {
		t.Errorf("the page's text is not shown:\n%s", plain(t, m))
	}
}

// BenchmarkOpenKeptFullText opens (loads and renders, at 80 columns) an
// article whose 20 KB is its feed's text, and one of two lines whose
// 20 KB full text is kept: a kept full article opens as fast as any other.
func BenchmarkOpenKeptFullText(b *testing.B) {
	body := articlestest.Body(20 << 10)
	feedText := articles.Article{ID: "feed", Title: "A long read", Source: "Desk", Body: body}
	short := summaryArticle()
	s := articlestest.NewFullTextMemStore(feedText, short)
	if err := s.SaveFullText(context.Background(), short.ID, articles.FullText{Body: body, Fetched: testNow}); err != nil {
		b.Fatal(err)
	}
	h := header{styles: NewStyles(true), location: testNow.Location(), fullKey: "f"}
	for _, id := range []string{feedText.ID, short.ID} {
		b.Run(id, func(b *testing.B) {
			for b.Loop() {
				k := renderKey{id: id, width: 80, style: "dark", isDark: true}
				msg := newRenderCache().request(k, s, h)().(renderedMsg)
				if msg.err != nil || len(msg.doc.lines) < 100 {
					b.Fatalf("%v, %d lines", msg.err, len(msg.doc.lines))
				}
			}
		})
	}
}
