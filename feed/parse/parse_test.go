package parse

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"

	"tidings/articles/articlestest"
)

// testFixture returns the bytes of testdata/parse/name.
func testFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "parse", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testItem is what a test expects of one article. Body strings are
// checked for being contained or not.
type testItem struct {
	title, guid, link, author string
	published                 time.Time // zero: the article must have none
	bodyHas, bodyNot          []string
	body                      string // if set, the exact body
}

func testDate(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// testCheck compares got with the expected title, link and items, and
// checks what every article must be: Feed and Source set, no ID, unread,
// every field safe for a terminal.
func testCheck(t *testing.T, got Parsed, feedURL, title, link string, items []testItem) {
	t.Helper()
	if got.Title != title {
		t.Errorf("feed title = %q, want %q", got.Title, title)
	}
	if got.Link != link {
		t.Errorf("feed link = %q, want %q", got.Link, link)
	}
	if len(got.Items) != len(items) {
		t.Fatalf("got %d items, want %d: %+v", len(got.Items), len(items), got.Items)
	}
	for i, w := range items {
		a := got.Items[i]
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			if a.Title != w.title {
				t.Errorf("title = %q, want %q", a.Title, w.title)
			}
			if a.GUID != w.guid {
				t.Errorf("GUID = %q, want %q", a.GUID, w.guid)
			}
			if a.Link != w.link {
				t.Errorf("link = %q, want %q", a.Link, w.link)
			}
			if a.Author != w.author {
				t.Errorf("author = %q, want %q", a.Author, w.author)
			}
			if !a.Published.Equal(w.published) || a.Published.IsZero() != w.published.IsZero() {
				t.Errorf("published = %v, want %v", a.Published, w.published)
			}
			if w.body != "" && a.Body != w.body {
				t.Errorf("body = %q, want %q", a.Body, w.body)
			}
			for _, s := range w.bodyHas {
				if !strings.Contains(a.Body, s) {
					t.Errorf("body %q does not contain %q", a.Body, s)
				}
			}
			for _, s := range w.bodyNot {
				if strings.Contains(a.Body, s) {
					t.Errorf("body %q contains %q", a.Body, s)
				}
			}
			if a.Feed != feedURL || a.Source != title || a.ID != "" || a.Read || a.Starred {
				t.Errorf("Feed=%q Source=%q ID=%q Read=%v Starred=%v, want Feed=%q Source=%q and no ID, unread, unstarred",
					a.Feed, a.Source, a.ID, a.Read, a.Starred, feedURL, title)
			}
			if a.Sanitized() != a {
				t.Errorf("article changes when sanitised: %+v", a)
			}
			testTerminalSafe(t, a.Body)
		})
	}
}

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file, feedURL, contentType string
		title, link                string
		items                      []testItem
	}{
		{
			file: "rss2.xml", feedURL: "https://example.com/feeds/rss.xml",
			title: "Example News & Views", link: "https://example.com/",
			items: []testItem{{
				title: "First post", guid: "guid:post-1", link: "https://example.com/posts/1",
				author: "Jane Doe", published: testDate("2006-01-02T15:04:05Z"),
				body: "Full **content** with an [about link](https://example.com/about).\n\n" +
					"[image: A pic](https://example.com/posts/img/pic.png)\n\n- one\n- two",
				bodyNot: []string{"Short description"},
			}, {
				title: "Second post, no date", guid: "guid:post-2", link: "https://example.com/posts/2",
				author: "Ed Itor",
				body:   "First paragraph of plain text.\n\nSecond paragraph & more.",
			}, {
				title: "Third post, link but no guid", guid: "link:https://example.com/posts/3?a=1&b=2",
				link: "https://example.com/posts/3?a=1&b=2", published: testDate("2100-01-01T00:00:00Z"),
				body: "Escaped *HTML* description.",
			}, {
				title: "Notice without guid or link", guid: "title:Notice without guid or link|2006-01-04T10:00:00Z",
				published: testDate("2006-01-04T10:00:00Z"), body: "Nothing to link to.",
			}, {
				// No title: made from the text; the permalink guid is the link.
				title: "This item has no title, so its title is made from the first eighty characters…",
				guid:  "guid:https://example.com/posts/5", link: "https://example.com/posts/5",
				bodyHas: []string{"cut at a word."},
			}},
		},
		{
			// A local file: relative links resolve to nothing http, so they go.
			file: "rss2.xml", feedURL: "/home/someone/feeds/rss2.xml",
			title: "Example News & Views", link: "",
			items: []testItem{{
				title: "First post", guid: "guid:post-1", link: "",
				author: "Jane Doe", published: testDate("2006-01-02T15:04:05Z"),
				bodyHas: []string{"Full **content** with an about link."},
				bodyNot: []string{"](/about)", "pic.png"},
			}, {
				title: "Second post, no date", guid: "guid:post-2", link: "https://example.com/posts/2", author: "Ed Itor",
			}, {
				title: "Third post, link but no guid", guid: "link:https://example.com/posts/3?a=1&b=2",
				link: "https://example.com/posts/3?a=1&b=2", published: testDate("2100-01-01T00:00:00Z"),
			}, {
				title: "Notice without guid or link", guid: "title:Notice without guid or link|2006-01-04T10:00:00Z",
				published: testDate("2006-01-04T10:00:00Z"),
			}, {
				title: "This item has no title, so its title is made from the first eighty characters…",
				guid:  "guid:https://example.com/posts/5", link: "https://example.com/posts/5",
			}},
		},
		{
			// ISO-8859-1 declared, DOCTYPE, HTML entity in the title.
			file: "rss091.xml", feedURL: "https://old.example.com/rss.xml",
			title: "Old School Café", link: "http://old.example.com/",
			items: []testItem{{
				title: "Hello from 1999", guid: "link:http://old.example.com/1999/hello.html",
				link: "http://old.example.com/1999/hello.html", body: "The web was young.",
			}, {
				title: "Second story", guid: "link:https://old.example.com/story2.html",
				link: "https://old.example.com/story2.html", body: "A relative link.",
			}},
		},
		{
			file: "rss1_rdf.xml", feedURL: "https://rdf.example.org/index.rdf",
			title: "RDF Site Summary", link: "https://rdf.example.org/",
			items: []testItem{{
				title: "RDF item A", guid: "link:https://rdf.example.org/a", link: "https://rdf.example.org/a",
				author: "Rita Rdf", published: testDate("2023-05-06T05:08:09Z"), body: "Item **A** text.",
			}, {
				title: "RDF item B", guid: "link:https://rdf.example.org/b", link: "https://rdf.example.org/b",
				body: "Item B text.",
			}},
		},
		{
			file: "atom.xml", feedURL: "https://example.org/blog/atom.xml",
			title: "Atom & Eve", link: "https://example.org/blog/",
			items: []testItem{{
				// type="html" title: reduced to its text. xml:base resolves
				// the link and the URLs in the content (gofeed does that).
				title: "Atom One", guid: "guid:tag:example.org,2024:one", link: "https://example.org/blog/2024/one",
				author: "Alice", published: testDate("2024-02-01T09:00:00Z"),
				body:    "Entry [notes](https://example.org/blog/notes/x) and [image: One](https://example.org/img/one.png)\n\n[enclosure: audio/mpeg, 123 bytes](https://example.org/blog/one.mp3)",
				bodyNot: []string{"Summary of one"},
			}, {
				// Summary only, updated only, no author: the feed's author.
				title: "Summary only", guid: "guid:tag:example.org,2024:two", link: "https://example.org/two",
				author: "Feed Author", published: testDate("2024-02-02T12:00:00Z"), body: "Only a summary here.",
			}, {
				title: "Three with its own base", guid: "guid:tag:example.org,2024:three",
				link: "https://cdn.example.net/x/three", author: "only-email@example.org",
				published: testDate("2024-02-03T00:00:00Z"),
				body:      "XHTML with a [relative link](https://cdn.example.net/x/rel).",
			}, {
				// type="text": markup is text, shown as written.
				title: "Four is plain text", guid: "guid:tag:example.org,2024:four", link: "https://example.org/four",
				author: "Feed Author", published: testDate("2024-02-04T00:00:00Z"),
				body: "Use &lt;b> for bold.\n\nA \\*second\\* paragraph.",
			}},
		},
		{
			file: "jsonfeed.json", feedURL: "https://json.example.net/feed.json", contentType: "application/feed+json",
			title: "JSON Journal", link: "https://json.example.net/",
			items: []testItem{{
				title: "JSON one", guid: "guid:https://json.example.net/1", link: "https://json.example.net/1",
				author: "Bob", published: testDate("2024-03-01T11:00:00Z"),
				body: "Hello **JSON** [about](https://json.example.net/about).",
			}, {
				// content_text only, no title, no url, date_modified only.
				title: "Line one line two Para two with *stars* and <tags>.", guid: "guid:2",
				author: "Journal Team", published: testDate("2024-03-02T08:00:00Z"),
				body: "Line one  \nline two\n\nPara two with \\*stars\\* and &lt;tags>.",
			}, {
				// A numeric id still identifies; a relative url resolves.
				title: "Numeric id", guid: "guid:3", link: "https://json.example.net/3",
				author: "Journal Team", body: "Only a summary.",
			}},
		},
		{
			file: "bom_utf8.json", feedURL: "https://bom.example/feed.json",
			title: "BOM JSON", link: "",
			items: []testItem{{title: "With a BOM", guid: "guid:bom-1", body: "Body."}},
		},
		{
			file: "windows1252.xml", feedURL: "https://cp.example.com/rss",
			title: "Café €uro", link: "https://cp.example.com/",
			items: []testItem{{
				title: "Prix: 5 € à la cafétéria", guid: "guid:cp-1", body: "Crème brûlée – “quoted”",
			}},
		},
		{
			// The header's charset wins over the declaration.
			file: "windows1252.xml", feedURL: "https://cp.example.com/rss", contentType: "text/xml; charset=ISO-8859-1",
			title: "Café €uro", link: "https://cp.example.com/",
			items: []testItem{{
				title: "Prix: 5 € à la cafétéria", guid: "guid:cp-1", body: "Crème brûlée – “quoted”",
			}},
		},
		{
			file: "utf16.xml", feedURL: "https://u16.example.com/rss",
			title: "UTF-16 Ünïcödé 日本", link: "https://u16.example.com/",
			items: []testItem{{title: "Grüße aus Köln — 東京", guid: "guid:u16-1", body: "Ça va? €"}},
		},
		{
			// A header claiming UTF-8 loses to the BOM.
			file: "utf16.xml", feedURL: "https://u16.example.com/rss", contentType: "application/xml; charset=utf-8",
			title: "UTF-16 Ünïcödé 日本", link: "https://u16.example.com/",
			items: []testItem{{title: "Grüße aus Köln — 東京", guid: "guid:u16-1", body: "Ça va? €"}},
		},
		{
			file: "late_root.xml", feedURL: "https://late.example.com/rss",
			title: "Late Root", link: "https://late.example.com/",
			items: []testItem{{title: "Found me", guid: "guid:late-1", body: "Deep inside."}},
		},
		{
			file: "hostile.xml", feedURL: "https://hostile.example/rss",
			// The ESC sequences go whole; javascript: links go.
			title: "Evil Feed", link: "",
			items: []testItem{{
				// Markdown in titles is kept literally: titles are never rendered.
				title: "# x **x** `code` red", guid: "guid:hostile-1", link: "", author: "Mallory",
				bodyHas: []string{
					"Safe js link, data link, vb link and [good link](https://ok.example/page).",
					"[image: A cat](https://ok.example/cat.png)",
					"image: data image",
					"red and clipboard and",
				},
				bodyNot: []string{
					"script text", "alert", "style text", "color", "iframe text", "object text",
					"input text", "button text", "form text", "javascript", "vbscript", "data:",
					"![", "[31m", "52;", "ZXZpbA", "evil.example",
				},
			}, {
				title: "OSC 52 clipboard txt.exe", guid: "guid:hostile-2", link: "",
				body: "Plain bold? text with a bidi override.",
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file+" "+tt.feedURL+" "+tt.contentType, func(t *testing.T) {
			got, err := Parse(testFixture(t, tt.file), tt.feedURL, tt.contentType)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			testCheck(t, got, tt.feedURL, tt.title, tt.link, tt.items)
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		want string // the error message, or its start when it ends in "…"
	}{
		{"html page", testFixture(t, "html_page.html"), "not a feed: got an HTML page"},
		{"html without doctype", []byte("\n<html><body><p>hi</p></body></html>"), "not a feed: got an HTML page"},
		{"xhtml", []byte(`<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x"><html xmlns="http://www.w3.org/1999/xhtml"></html>`), "not a feed: got an HTML page"},
		{"empty file", testFixture(t, "empty.xml"), "empty document"},
		{"whitespace", []byte(" \n\t\r\n"), "empty document"},
		{"bom only", []byte("\xef\xbb\xbf\n"), "empty document"},
		{"declaration only", []byte(`<?xml version="1.0" encoding="utf-8"?>` + "\n<!-- nothing -->\n"), "empty document"},
		{"truncated", testFixture(t, "truncated.xml"), "parse feed: XML syntax error on line 11: unexpected EOF"},
		{"bad markup", []byte(`<rss version="2.0"><channel><title>a <<< b</title></channel></rss>`), "parse feed: XML syntax error on line 1: expected element name after <"},
		{"broken start of root", []byte(`<rss version="2.0><channel><title>x</title></channel></rss>`), "parse feed: XML syntax error on line 1: …"},
		{"broken late root", []byte("<!--" + strings.Repeat("x", 5000) + "-->\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>x</title><</feed>"), "parse feed: XML syntax error on line 2: …"},
		{"truncated json", []byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1"`), "parse feed: unexpected end of JSON input"},
		{"other xml", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`), "not a feed: root element is <svg>, not <rss>, <rdf:RDF> or <feed>"},
		{"json not a feed", []byte(`{"name": "package.json"}`), "not a feed: a JSON document that is not a JSON Feed"},
		{"json array", []byte(`[1, 2]`), "not a feed: neither XML nor JSON"},
		{"text", []byte("hello, world"), "not a feed: neither XML nor JSON"},
		// Parsers quote the document in errors: what they quote is made safe.
		{"unsafe name in parser error", []byte("<rss version=\"2.0\"><channel></channel></rs\u202es\x1b[31ms>"),
			"parse feed: XML syntax error on line 1: invalid XML name: rsss"},
		{"unsafe root name", []byte("<fo\u202eo\x1b]0;x\x07/>"), "not a feed: root element is <foo>, not <rss>, <rdf:RDF> or <feed>"},
		{"long root name", []byte("<" + strings.Repeat("n", 1000) + "/>"),
			"not a feed: root element is <" + strings.Repeat("n", 40) + "…>, not <rss>, <rdf:RDF> or <feed>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.body, "https://example.com/feed", "")
			if err == nil {
				t.Fatalf("no error; got %+v", got)
			}
			if prefix, ok := strings.CutSuffix(tt.want, "…"); ok {
				if !strings.HasPrefix(err.Error(), prefix) {
					t.Errorf("error %q does not start with %q", err, prefix)
				}
			} else if err.Error() != tt.want {
				t.Errorf("error %q, want %q", err, tt.want)
			}
			if len(got.Items) != 0 || got.Title != "" {
				t.Errorf("got %+v with the error", got)
			}
		})
	}
	// The parser's own error stays reachable.
	_, err := Parse(testFixture(t, "truncated.xml"), "", "")
	var syntax *xml.SyntaxError
	if !errors.As(err, &syntax) {
		t.Errorf("error %v does not wrap the *xml.SyntaxError", err)
	}
}

// TestParseLateRootNeedsFallback makes sure the late_root fixture really
// defeats gofeed's own detection, so TestParseFixtures tests the fallback.
func TestParseLateRootNeedsFallback(t *testing.T) {
	b := testFixture(t, "late_root.xml")
	if i := bytes.Index(b, []byte("<rss")); i <= 4096 {
		t.Fatalf("root at %d, want past 4096", i)
	}
	if _, err := gofeed.NewParser().Parse(bytes.NewReader(b)); !errors.Is(err, gofeed.ErrFeedTypeNotDetected) {
		t.Fatalf("gofeed alone: err = %v, want ErrFeedTypeNotDetected", err)
	}
}

// TestParseFixtureEncodings checks that the encoded fixtures are what their
// names say, not UTF-8 written by an editor.
func TestParseFixtureEncodings(t *testing.T) {
	cp := testFixture(t, "windows1252.xml")
	if utf8.Valid(cp) || !bytes.Contains(cp, []byte("Caf\xe9 \x80uro")) {
		t.Errorf("windows1252.xml is not windows-1252 with é (0xE9) and € (0x80)")
	}
	u16 := testFixture(t, "utf16.xml")
	if !bytes.HasPrefix(u16, []byte{0xFF, 0xFE, '<', 0, '?', 0}) {
		t.Errorf("utf16.xml does not start with a UTF-16 LE BOM and <?: % x", u16[:min(len(u16), 8)])
	}
	if !bytes.HasPrefix(testFixture(t, "bom_utf8.json"), []byte("\xef\xbb\xbf{")) {
		t.Errorf("bom_utf8.json does not start with a UTF-8 BOM")
	}
}

// testEncode returns s encoded with enc.
func testEncode(t *testing.T, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseCharsets(t *testing.T) {
	const feed = `<?xml version="1.0" encoding="%s"?>
<rss version="2.0"><channel><title>%s</title><item><guid>1</guid><title>%s</title><description>%s</description></item></channel></rss>`
	doc := func(decl, title, item, desc string) string { return fmt.Sprintf(feed, decl, title, item, desc) }

	tests := []struct {
		name, contentType string
		doc               []byte
		title, item, body string
	}{
		{
			name:  "koi8-r declared",
			doc:   testEncode(t, charmap.KOI8R, doc("KOI8-R", "Новости", "Привет, мир", "Текст")),
			title: "Новости", item: "Привет, мир", body: "Текст",
		},
		{
			name:  "shift_jis declared",
			doc:   testEncode(t, japanese.ShiftJIS, doc("Shift_JIS", "ニュース", "東京の天気", "晴れ")),
			title: "ニュース", item: "東京の天気", body: "晴れ",
		},
		{
			name: "koi8-r from the header, declaration says utf-8", contentType: "application/rss+xml; charset=koi8-r",
			doc:   testEncode(t, charmap.KOI8R, doc("UTF-8", "Новости", "Привет", "Текст")),
			title: "Новости", item: "Привет", body: "Текст",
		},
		{
			name: "header says utf-8, declaration says windows-1252: the header wins", contentType: "text/xml; charset=UTF-8",
			doc:   []byte(doc("windows-1252", "Café", "Naïve", "Ünïcode")),
			title: "Café", item: "Naïve", body: "Ünïcode",
		},
		{
			// The declaration is followed when there is no header: UTF-8
			// bytes read as windows-1252 come out as mojibake.
			name:  "declaration without header",
			doc:   []byte(doc("windows-1252", "Café", "x", "y")),
			title: "CafÃ©", item: "x", body: "y",
		},
		{
			name: "unknown label: utf-8", contentType: "text/xml; charset=x-no-such-thing",
			doc:   []byte(doc("x-bogus", "Café", "x", "y")),
			title: "Café", item: "x", body: "y",
		},
		{
			name:  "utf-16 label on a utf-8 document is ignored",
			doc:   []byte(doc("UTF-16", "Café", "x", "y")),
			title: "Café", item: "x", body: "y",
		},
		{
			name:  "utf-16 big endian with BOM",
			doc:   testEncode(t, unicode.UTF16(unicode.BigEndian, unicode.UseBOM), doc("UTF-16", "Größe", "日本語", "€")),
			title: "Größe", item: "日本語", body: "€",
		},
		{
			name:  "utf-16 little endian without BOM",
			doc:   testEncode(t, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), doc("UTF-16", "Größe", "日本語", "€")),
			title: "Größe", item: "日本語", body: "€",
		},
		{
			name:  "invalid utf-8 is repaired, not fatal",
			doc:   []byte(doc("UTF-8", "Bad \xff byte", "Also \xc3\x28 bad", "x\xfey")),
			title: "Bad \uFFFD byte", item: "Also \uFFFD( bad", body: "x\uFFFDy",
		},
		{
			name: "json with a BOM and a charset header", contentType: "application/feed+json; charset=utf-8",
			doc:   []byte("\xef\xbb\xbf" + `{"version":"https://jsonfeed.org/version/1.1","title":"Jé","items":[{"id":"1","title":"Ça","content_text":"ü"}]}`),
			title: "Jé", item: "Ça", body: "ü",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.doc, "https://example.com/feed", tt.contentType)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got.Title != tt.title {
				t.Errorf("feed title = %q, want %q", got.Title, tt.title)
			}
			if len(got.Items) != 1 {
				t.Fatalf("got %d items, want 1", len(got.Items))
			}
			if a := got.Items[0]; a.Title != tt.item || a.Body != tt.body {
				t.Errorf("item title %q body %q, want %q and %q", a.Title, a.Body, tt.item, tt.body)
			}
		})
	}
}

// TestParseControlReferences covers references XML 1.0 forbids: they must
// not make the feed fail, and the escape sequences they spell must vanish
// whole.
func TestParseControlReferences(t *testing.T) {
	tests := []struct{ title, want string }{
		{"a&#27;[31mred&#27;[0mb", "aredb"},
		{"a&#x1B;[1;31mX", "aX"},
		{"a&#27;]52;c;ZXZpbA==&#7;b", "ab"},
		{"a&#27;]8;;https://evil.example/&#27;\\link&#27;]8;;&#27;\\b", "alinkb"},
		{"a&#27;cb", "acb"}, // a lone ESC goes, its neighbour stays
		{"a&#0;b&#8;c&#x1f;d", "abcd"},
		{"a&#xFFFE;b&#xD800;c&#1114112;d", "a\uFFFDb\uFFFDc\uFFFDd"},
		{"tab&#9;and&#10;newline", "tab and newline"},
		{"&#8217;quotes&#8217; &amp;#27; stays text", "’quotes’ &#27; stays text"},
		{"raw \x1b[31mred\x1b[0m \x1b]0;title\x07 ok", "raw red ok"},
		{"<![CDATA[cdata &#27; stays]]>", "cdata &#27; stays"},
		{"<![CDATA[cdata \x1b[31mred]]>", "cdata red"},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			doc := `<rss version="2.0"><channel><title>c</title><item><guid>1</guid><title>` + tt.title + `</title></item></channel></rss>`
			got, err := Parse([]byte(doc), "", "")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(got.Items) != 1 || got.Items[0].Title != tt.want {
				t.Errorf("got %+v, want one item titled %q", got.Items, tt.want)
			}
		})
	}
}

// TestParseXMLBase documents what gofeed does with xml:base.
func TestParseXMLBase(t *testing.T) {
	doc := `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="/sub/">
<title>t</title><link href="home/"/>
<entry><id>tag:x,2024:1</id><title>a</title><link href="post"/><content type="html">&lt;a href="x"&gt;x&lt;/a&gt;</content></entry>
<entry><id>tag:x,2024:2</id><title>b</title><link href="https://other.example/abs"/></entry>
</feed>`
	got, err := Parse([]byte(doc), "https://feed.example/f/feed.xml", "")
	if err != nil {
		t.Fatal(err)
	}
	// A relative xml:base resolves against the feed's URL.
	testCheck(t, got, "https://feed.example/f/feed.xml", "t", "https://feed.example/sub/home/", []testItem{
		{title: "a", guid: "guid:tag:x,2024:1", link: "https://feed.example/sub/post", body: "[x](https://feed.example/sub/x)"},
		{title: "b", guid: "guid:tag:x,2024:2", link: "https://other.example/abs"},
	})
}

// testMutate returns a copy of b damaged at random: truncated, with
// bytes flipped, or with '<' inserted.
func testMutate(r *rand.Rand, b []byte) []byte {
	m := bytes.Clone(b)
	for range 1 + r.IntN(4) {
		if len(m) == 0 {
			return append(m, '<')
		}
		switch r.IntN(3) {
		case 0:
			m = m[:r.IntN(len(m))]
		case 1:
			for range 1 + r.IntN(8) {
				if len(m) > 0 {
					m[r.IntN(len(m))] ^= byte(1 << r.IntN(8))
				}
			}
		case 2:
			i := r.IntN(len(m) + 1)
			m = append(m[:i], append([]byte{'<'}, m[i:]...)...)
		}
	}
	return m
}

// testFixtures returns every fixture, for mutation and fuzz seeds.
func testFixtures(t testing.TB) map[string][]byte {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("..", "testdata", "parse", "*"))
	if err != nil || len(names) < 13 {
		t.Fatalf("fixtures: %v %v", names, err)
	}
	out := make(map[string][]byte, len(names))
	for _, n := range names {
		out[filepath.Base(n)] = testFixture(t, filepath.Base(n))
	}
	return out
}

// testNoPanic calls Parse and fails if it panicked or if a panic in
// this package's own code was caught by Parse's last-resort recover (a
// panic in gofeed turned into an error is the designed behaviour). It also
// checks that whatever came out is safe for a terminal.
func testNoPanic(t *testing.T, body []byte) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("Parse panicked on %q: %v", body, r)
		}
	}()
	got, err := Parse(body, "https://example.com/feed.xml", "")
	if err != nil {
		if strings.Contains(err.Error(), "internal error") {
			t.Fatalf("Parse hit a panic in its own code on %q: %v", body, err)
		}
		return
	}
	testTerminalSafe(t, got.Title)
	testTerminalSafe(t, got.Link)
	for _, a := range got.Items {
		if a.Sanitized() != a {
			t.Fatalf("article is not sanitised: %+v", a)
		}
		testTerminalSafe(t, a.Body)
	}
}

func TestParseNeverPanics(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	fixtures := testFixtures(t)
	names := make([]string, 0, len(fixtures))
	for n := range fixtures {
		names = append(names, n)
	}
	slices.Sort(names)
	const rounds = 400
	for i := range rounds {
		name := names[i%len(names)]
		testNoPanic(t, testMutate(r, fixtures[name]))
	}
}

func FuzzParse(f *testing.F) {
	for _, b := range testFixtures(f) {
		f.Add(b)
	}
	for _, b := range corpusFiles(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		testNoPanic(t, body)
	})
}

func TestParseShorten(t *testing.T) {
	tests := []struct{ in, want string }{
		{"short", "short"},
		{strings.Repeat("a", 80), strings.Repeat("a", 80)},
		{strings.Repeat("a", 81), strings.Repeat("a", 80) + "…"},
		{"word " + strings.Repeat("b", 100), "word " + strings.Repeat("b", 75) + "…"},
		{strings.Repeat("é ", 50), strings.TrimSpace(strings.Repeat("é ", 40)) + "…"},
	}
	for _, tt := range tests {
		if got := Shorten(tt.in, 80); got != tt.want {
			t.Errorf("Shorten(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// BenchmarkParse50Items parses an RSS feed of 50 items with 2 KB HTML
// bodies each, converted to markdown.
func BenchmarkParse50Items(b *testing.B) {
	data := testBenchDoc()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		p, err := Parse(data, "https://bench.example/feed.xml", "application/rss+xml; charset=utf-8")
		if err != nil || len(p.Items) != 50 {
			b.Fatalf("Parse: %v, %d items", err, len(p.Items))
		}
	}
}

// testBenchDoc returns the document of BenchmarkParse50Items.
func testBenchDoc() []byte {
	var html strings.Builder
	for html.Len() < 2048 {
		html.WriteString(`<p>Paragraph with <b>bold</b>, <i>italic</i> and <a href="/rel/link">a relative link</a>.</p>
<ul><li>one</li><li>two &amp; three</li></ul><p><img src="/img/x.png" alt="picture"></p>`)
	}
	var doc strings.Builder
	doc.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Bench</title><link>https://bench.example/</link>`)
	for i := range 50 {
		fmt.Fprintf(&doc, `<item><title>Item %d</title><link>https://bench.example/%d</link><guid>id-%d</guid><pubDate>Mon, 02 Jan 2006 15:04:05 GMT</pubDate><content:encoded><![CDATA[%s]]></content:encoded></item>`,
			i, i, i, html.String())
	}
	doc.WriteString(`</channel></rss>`)
	return []byte(doc.String())
}

// TestParseConcurrent runs Parse from several goroutines (the converter and
// policy are shared); run with -race.
func TestParseConcurrent(t *testing.T) {
	fixtures := testFixtures(t)
	done := make(chan struct{})
	for range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for name, b := range fixtures {
				if _, err := Parse(b, "https://example.com/"+name, ""); err != nil && !strings.HasPrefix(err.Error(), "not a feed") &&
					!strings.HasPrefix(err.Error(), "parse feed") && err.Error() != "empty document" {
					t.Errorf("%s: %v", name, err)
				}
			}
		}()
	}
	for range 4 {
		<-done
	}
}

// TestParseEnclosures checks that an item's media are listed as links
// after its body, http(s) only, with type and size made safe.
func TestParseEnclosures(t *testing.T) {
	doc := `<rss version="2.0"><channel><title>Pod</title><link>https://pod.example/</link><item><guid>1</guid><title>Episode</title>
<description>Notes.</description>
<enclosure url="/ep1.mp3" length="12345678" type="audio/mpeg"/>
<enclosure url="javascript:alert(1)" length="1" type="audio/mpeg"/>
<enclosure url="https://pod.example/ep1.txt" length="x" type="text/plain&#27;]52;c;eA==&#7;*[x]*"/>
</item></channel></rss>`
	got, err := Parse([]byte(doc), "https://pod.example/feed.xml", "")
	if err != nil {
		t.Fatal(err)
	}
	want := "Notes.\n\n[enclosure: audio/mpeg, 12.3 MB](https://pod.example/ep1.mp3)\n\n[enclosure: text/plain\\*\\[x\\]\\*](https://pod.example/ep1.txt)"
	if body := got.Items[0].Body; body != want {
		t.Errorf("body %q, want %q", body, want)
	}
}

// testTerminalSafe fails if s has a byte below 0x20 other than \n and
// \t, DEL, a C1 control, a bidi override or isolate, or invalid UTF-8.
func testTerminalSafe(t testing.TB, s string) {
	t.Helper()
	if what, bad := articlestest.UnsafeInText(s); bad {
		t.Fatalf("%q unsafe in %q", what, s)
	}
}
