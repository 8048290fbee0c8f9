package ui

import (
	"slices"
	"strings"
	"testing"

	"tidings/articles"
	"tidings/articles/articlestest"
	"tidings/articles/termsafe"
	"tidings/feed/htmlmd"
)

// FuzzHTMLToFrame takes an item's HTML body the whole way to the screen:
// converted to markdown, rendered by Glamour in the reader, framed. The
// frame holds no escape sequence but SGR and the program's OSC 8 links,
// and is exactly as large as the terminal.
func FuzzHTMLToFrame(f *testing.F) {
	f.Add(`<p>Hello <b>world</b> <a href="https://example.com/">link</a></p><ul><li>one</li></ul><pre>code</pre>`)
	f.Add(`<p>&#27;]52;c;aGk=&#7; &amp;#27;[2J <a href="javascript:x">j</a> <img src="data:x"></p><table><tr><td>&#x9b;</td></tr></table>`)
	f.Add("<h1>\x1b[31mred</h1><blockquote>\u202equote</blockquote><code>&amp;lt;</code>")
	f.Add("<a href=\"https://x.example/\x1b]8;;file:///\x07\">x</a> # not a heading\n\n* list")
	f.Fuzz(func(t *testing.T, html string) {
		body := htmlmd.Convert(html, "https://example.com/")
		store := articlestest.NewMemStore(articles.Article{ID: "f", Title: "t", Body: body, Published: testNow})
		m := drive(t, New(testOptions(store)), 80, 24, "enter")
		frame := m.frame()
		if what, bad := articlestest.UnsafeInFrame(frame); bad {
			t.Fatalf("%q reached the screen from %q", what, html)
		}
		if lines := strings.Count(frame, "\n") + 1; lines != 24 {
			t.Fatalf("%d lines, want 24", lines)
		}
	})
}

// FuzzHTMLToGlamour checks the converter against what Glamour makes of its
// markdown, with no frame filter after it: for any item HTML, Glamour's
// own decoding of entities (in text, code spans, strikethrough) yields no
// control character, and every hyperlink it writes goes to a link of the
// article. This is the invariant the converter and the reader's entity
// check keep; the frame filter is a further layer, left out here.
func FuzzHTMLToGlamour(f *testing.F) {
	f.Add(`<p>&amp;<b></b>#27;[31;5;7mX</p><img src="http://x.example/i.png" alt="&amp;#27;]52;c;eA==&amp;#7;">`)
	f.Add(`<ul><li>&amp;<!-- c -->#x1b;[2J</li></ul><table><tr><td>&amp;<span></span>#27;]0;t&amp;<i></i>#7;</td></tr></table>`)
	f.Add(`<p><code>&amp;<b></b>#27;[5m</code> <del>&amp;<i></i>#27;[8m</del> &amp;<em></em>Tab; <a href="http://x.example/?a=1&amp;#27;">l</a></p>`)
	f.Add(`<h2>&amp;<script>x</script>#27;[31m</h2><blockquote>&amp;<img src="">#x1b;]8;;http://evil.example/&amp;<a name=x></a>#7;</blockquote>`)
	f.Fuzz(func(t *testing.T, html string) {
		body := htmlmd.Convert(html, "https://example.com/")
		if !termsafe.EntitiesSafe(body) {
			t.Fatalf("markdown %q of %q holds an entity that decodes to a control", body, html)
		}
		a := articles.Article{ID: "f", Title: "t", Body: body, Published: testNow}
		doc, err := renderArticle(a, renderKey{id: "f", width: 60, style: "dark", isDark: true}, testHeader())
		if err != nil {
			t.Fatal(err)
		}
		out := strings.Join(doc.lines, "\n")
		if what, bad := articlestest.UnsafeInFrame(out); bad {
			t.Fatalf("Glamour wrote %q for %q (markdown %q)", what, html, body)
		}
		for _, m := range osc8Target.FindAllStringSubmatch(out, -1) {
			if m[1] != "" && !slices.Contains(doc.links, m[1]) {
				t.Fatalf("Glamour linked to %q, not a link of the article %q", m[1], html)
			}
		}
	})
}

// FuzzParseKeys checks the snapshot command's --keys parser: any input
// gives keys or an error, and keys (and mouse events) drive the model
// without a panic.
func FuzzParseKeys(f *testing.F) {
	for _, s := range []string{"j j enter", "/ putin enter n N", "ctrl+c", "alt+x shift+tab f12", "? esc q", "G g pgdown", "ctrl+", "f13", "é 日本", "click@5,3 wheeldown@70,10 click@70,4"} {
		f.Add(s)
	}
	store := articlestest.NewMemStore(articlestest.Articles(30, 40)...)
	f.Fuzz(func(t *testing.T, s string) {
		keys, err := ParseInput(s)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\x1b\x07") {
				t.Fatalf("error quotes raw input: %q", err)
			}
			return
		}
		if len(keys) > 200 {
			keys = keys[:200]
		}
		final, err := Snapshot(New(testOptions(store)), 80, 24, keys)
		if err != nil {
			t.Fatal(err)
		}
		if what, bad := articlestest.UnsafeInFrame(final.(Model).frame()); bad {
			t.Fatalf("%q on screen after keys %q", what, s)
		}
	})
}
