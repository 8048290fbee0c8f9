package parse

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"tidings/feed/internal/floodtest"
)

func capTestSame(s string) func(int) string { return func(int) string { return s } }

// capTestParse parses doc, checks that the parse stayed under
// floodtest.MaxPeak and that it noted want, and returns the result.
func capTestParse(t *testing.T, doc []byte, want string) Parsed {
	t.Helper()
	var got Parsed
	var err error
	peak := floodtest.PeakHeap(func() { got, err = Parse(doc, corpusFeedURL, "") })
	t.Logf("%d bytes: %d articles, peak heap +%d MB, notes %q", len(doc), len(got.Items), peak>>20, got.Notes)
	if err != nil {
		t.Fatal(err)
	}
	if peak > floodtest.MaxPeak {
		t.Errorf("parse took %d MB of heap, want at most %d MB", peak>>20, floodtest.MaxPeak>>20)
	}
	if !slices.Contains(got.Notes, want) {
		t.Errorf("notes %q, want %q", got.Notes, want)
	}
	return got
}

// TestHostileItemFloods: a 16 MiB document of millions of tiny items (a
// JSON Feed of 5.59 million empty items is 16 KB gzipped) is read in
// bounded memory: only the first 1,000 items are decoded, and the feed
// says so.
func TestHostileItemFloods(t *testing.T) {
	if testing.Short() {
		t.Skip("16 MiB documents")
	}
	t.Run("JSON Feed of empty items", func(t *testing.T) {
		doc := floodtest.Fill(`{"version":"https://jsonfeed.org/version/1.1","title":"Flood","items":[{}`, capTestSame(",{}"), "]}")
		got := capTestParse(t, doc, noteItems)
		// Empty items have one identity, so one article.
		if len(got.Items) != 1 || got.Items[0].Title != "(untitled)" {
			t.Errorf("%d articles, want 1 (untitled)", len(got.Items))
		}
	})
	t.Run("JSON Feed of numbered items", func(t *testing.T) {
		doc := floodtest.Fill(`{"version":"https://jsonfeed.org/version/1.1","items":[`,
			func(i int) string { return fmt.Sprintf(`{"id":"%d"},`, i) }, `{"id":"last"}]}`)
		capTestCheckFirst(t, capTestParse(t, doc, noteItems))
	})
	t.Run("RSS of items with a guid", func(t *testing.T) {
		doc := floodtest.Fill(`<rss version="2.0"><channel><title>Flood</title>`,
			func(i int) string { return fmt.Sprintf("<item><guid>%d</guid></item>", i) }, "</channel></rss>")
		capTestCheckFirst(t, capTestParse(t, doc, noteItems))
	})
	t.Run("RSS 1.0", func(t *testing.T) {
		doc := floodtest.Fill(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel><title>Flood</title></channel>`,
			func(i int) string { return fmt.Sprintf(`<item rdf:about="%d"><title>%d</title></item>`, i, i) }, "</rdf:RDF>")
		got := capTestParse(t, doc, noteItems)
		if len(got.Items) != maxItems || got.Items[999].Title != "999" {
			t.Errorf("%d articles, want %d", len(got.Items), maxItems)
		}
	})
	t.Run("Atom", func(t *testing.T) {
		doc := floodtest.Fill(`<feed xmlns="http://www.w3.org/2005/Atom"><title>Flood</title>`,
			func(i int) string { return fmt.Sprintf("<entry><id>%d</id></entry>", i) }, "</feed>")
		capTestCheckFirst(t, capTestParse(t, doc, noteItems))
	})
}

// capTestCheckFirst checks that got holds the first 1,000 items, whose
// GUIDs are their numbers from 0, in order.
func capTestCheckFirst(t *testing.T, got Parsed) {
	t.Helper()
	if len(got.Items) != maxItems {
		t.Fatalf("%d articles, want %d", len(got.Items), maxItems)
	}
	for i, a := range got.Items {
		if want := fmt.Sprintf("guid:%d", i); a.GUID != want {
			t.Fatalf("article %d: GUID %q, want %q", i, a.GUID, want)
		}
	}
}

// TestHostileStructureFloods: millions of tiny elements, array elements
// or object members anywhere gofeed makes a structure of them (extension
// elements, categories, links, authors, attachments, tags) are read in
// bounded memory too: the document's structure is read up to 100,000
// parts, and the feed says so.
func TestHostileStructureFloods(t *testing.T) {
	if testing.Short() {
		t.Skip("16 MiB documents")
	}
	rss := `<rss version="2.0" xmlns:x="https://x.example/"><channel><title>t</title>`
	atom := `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>1</id>`
	jsonItem := `{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1",`
	for _, c := range []struct {
		name, head string
		unit       any // a string, or a func(i int) string
		tail       string
		items      int
	}{
		// 1.1 GB before: gofeed keeps every extension element.
		{"channel extensions", rss, "<x:a/>", "<item><guid>1</guid></item></channel></rss>", 0},
		{"item extensions", rss + "<item><guid>1</guid>", "<x:a/>", "</item></channel></rss>", 1},
		{"nested extensions", rss + "<item><guid>1</guid><x:a>", "<x:b><x:c/></x:b>", "</x:a></item></channel></rss>", 1},
		{"categories", rss + "<item><guid>1</guid>", "<category/>", "</item></channel></rss>", 1},
		{"enclosures", rss + "<item><guid>1</guid>", "<enclosure/>", "</item></channel></rss>", 1},
		{"atom links", atom, "<link/>", "</entry></feed>", 1},
		{"atom authors", atom, "<author/>", "</entry></feed>", 1},
		{"json attachments", jsonItem + `"attachments":[{}`, ",{}", "]}]}", 1},
		{"json authors", jsonItem + `"authors":[{}`, ",{}", "]}]}", 1},
		{"json tags", jsonItem + `"tags":[""`, `,""`, "]}]}", 1},
		// A null item makes Parse decode the whole document generically,
		// where every member of every object is kept.
		{"json members after a null item", `{"version":"https://jsonfeed.org/version/1.1","items":[null,{"id":"1","x":{"a":0`,
			func(i int) string { return fmt.Sprintf(`,"%d":0`, i) }, "}}]}", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			unit, ok := c.unit.(func(int) string)
			if !ok {
				unit = capTestSame(c.unit.(string))
			}
			got := capTestParse(t, floodtest.Fill(c.head, unit, c.tail), noteParts)
			if len(got.Items) != c.items {
				t.Errorf("%d articles, want %d", len(got.Items), c.items)
			}
		})
	}
}

// capTestItems returns head, then item(i) for i < n, then tail.
func capTestItems(head string, n int, item func(i int) string, tail string) []byte {
	var b bytes.Buffer
	b.WriteString(head)
	for i := range n {
		b.WriteString(item(i))
	}
	b.WriteString(tail)
	return b.Bytes()
}

func capTestRSSItem(i int) string { return fmt.Sprintf("<item><guid>%d</guid></item>\n", i) }

// TestParseCapShapes: wherever and however a format puts its items,
// the first 1,000 in document order are kept and the rest never reach
// the parser; elements that are not items do not count as items.
func TestParseCapShapes(t *testing.T) {
	rss, end := `<?xml version="1.0"?><rss version="2.0" xmlns:x="https://x.example/"><channel><title>T</title>`, "</channel></rss>"
	rdf := `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel><title>T</title><items><rdf:Seq>` +
		strings.Repeat(`<rdf:li resource="x"/>`, 3000) + `</rdf:Seq></items></channel>`
	jsonHead := `{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[`
	jsonItem := func(i int) string { return fmt.Sprintf(`{"id":"%d","title":"a]\"},{\\"}, `, i) }
	huge := `{"id":"0","content_html":"` + strings.Repeat("word ", 1<<19) + `"},`
	for _, c := range []struct {
		name  string
		doc   []byte
		items int    // articles; GUIDs count from 0 in order
		title string // the feed's title
		note  bool   // the items note
		err   string
	}{
		{"rss 1000", capTestItems(rss, 1000, capTestRSSItem, end), 1000, "T", false, ""},
		{"rss 1001", capTestItems(rss, 1001, capTestRSSItem, end), 1000, "T", true, ""},
		{"rss, comments and text between", capTestItems(rss, 3000, func(i int) string { return "<!-- c -->text" + capTestRSSItem(i) }, end), 1000, "T", true, ""},
		{"rss, title after the items", capTestItems(`<rss version="2.0"><channel>`, 3000, capTestRSSItem, "<title>Late</title>"+end), 1000, "Late", true, ""},
		{"rss, upper case", capTestItems(rss, 3000, func(i int) string { return fmt.Sprintf("<ITEM><guid>%d</guid></ITEM>", i) }, end), 1000, "T", true, ""},
		{"rss, undeclared rss prefix", capTestItems(rss, 3000, func(i int) string { return fmt.Sprintf("<rss:item><guid>%d</guid></rss:item>", i) }, end), 1000, "T", true, ""},
		{"rss, made-up default namespace", capTestItems(`<rss version="2.0" xmlns="urn:made-up"><channel><title>T</title>`, 3000, capTestRSSItem, end), 1000, "T", true, ""},
		{"rss, unclosed element in items", capTestItems(rss, 3000, func(i int) string { return fmt.Sprintf("<item><guid>%d</guid><b></item>", i) }, end), 1000, "T", true, ""},
		{"rss, extension elements named item", capTestItems(rss, 3000, func(i int) string { return "<x:item/>" }, capTestRSSItem(0)+capTestRSSItem(1)+end), 2, "T", false, ""},
		{"rss, items inside an extension", capTestItems(rss+"<x:wrap>", 3000, capTestRSSItem, "</x:wrap>"+capTestRSSItem(0)+end), 1, "T", false, ""},
		{"rss, truncated", capTestItems(rss, 3000, capTestRSSItem, "")[:len(rss)+2500*26], 0, "", false, "parse feed"},
		{"rss 1.0", capTestItems(rdf, 3000, func(i int) string {
			return fmt.Sprintf(`<item rdf:about="https://e.example/%d"><link>https://e.example/%d</link></item>`, i, i)
		}, "</rdf:RDF>"), 1000, "T", true, ""},
		{"atom", capTestItems(`<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>`, 3000, func(i int) string { return fmt.Sprintf("<entry><id>%d</id></entry>", i) }, "</feed>"), 1000, "T", true, ""},
		{"atom, prefixed", capTestItems(`<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>T</a:title>`, 3000, func(i int) string { return fmt.Sprintf("<a:entry><a:id>%d</a:id></a:entry>", i) }, "</a:feed>"), 1000, "T", true, ""},
		{"json 1000", capTestItems(jsonHead, 999, jsonItem, `{"id":"999"}]}`), 1000, "T", false, ""},
		{"json 1001", capTestItems(jsonHead, 1000, jsonItem, `{"id":"1000"}]}`), 1000, "T", true, ""},
		{"json, brackets in strings", capTestItems(jsonHead, 3000, jsonItem, `{"id":"last"}]}`), 1000, "T", true, ""},
		{"json, huge content", capTestItems(jsonHead+huge, 3000, func(i int) string { return fmt.Sprintf(`{"id":"%d"},`, i+1) }, `{"id":"last"}]}`), 1000, "T", true, ""},
		{"json, escaped key", capTestItems(`{"version":"https://jsonfeed.org/version/1.1","title":"T","\u0069tems":[`, 3000, jsonItem, `{"id":"last"}]}`), 1000, "T", true, ""},
		{"json, upper-case key", capTestItems(`{"version":"https://jsonfeed.org/version/1.1","title":"T","ITEMS":[`, 3000, jsonItem, `{"id":"last"}]}`), 1000, "T", true, ""},
		{"json, items in an item", capTestItems(jsonHead+`{"id":"0","items":[`, 3000, func(int) string { return "{}," }, `{}]}]}`), 1, "T", false, ""},
		{"json, truncated", capTestItems(jsonHead, 3000, jsonItem, "")[:len(jsonHead)+2500*30], 0, "", false, "parse feed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := Parse(c.doc, corpusFeedURL, "")
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Errorf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Items) != c.items || got.Title != c.title {
				t.Fatalf("%d articles, title %q; want %d, %q", len(got.Items), got.Title, c.items, c.title)
			}
			for i, a := range got.Items {
				if want := fmt.Sprintf("%d", i); !strings.HasSuffix(a.GUID, ":"+want) && !strings.HasSuffix(a.GUID, "/"+want) {
					t.Fatalf("article %d: GUID %q, want one ending in %s", i, a.GUID, want)
				}
			}
			if note := slices.Contains(got.Notes, noteItems); note != c.note || len(got.Notes) > 1 {
				t.Errorf("notes %q, want the items note: %v", got.Notes, c.note)
			}
		})
	}
}

// TestParseCapCutsBeforeParsing: the items past the cap are cut out of
// the document before any parser sees it, and the rest stays as written.
func TestParseCapCutsBeforeParsing(t *testing.T) {
	rss := capTestItems(`<rss version="2.0"><channel><title>T</title>`, 50_000, capTestRSSItem, "<ttl>60</ttl></channel></rss>")
	out, notes, err := capXML(rss)
	// (The white space after the last item stays.)
	want := string(capTestItems(`<rss version="2.0"><channel><title>T</title>`, 1000, capTestRSSItem, "\n<ttl>60</ttl></channel></rss>"))
	if err != nil || string(out) != want || !slices.Equal(notes, []string{noteItems}) {
		t.Errorf("RSS: %d bytes, notes %q, err %v; want %d bytes, the first 1000 items", len(out), notes, err, len(want))
	}
	jsonItem := func(i int) string { return fmt.Sprintf(`{"id":"%d"}, `, i) }
	doc := capTestItems(`{"items":[`, 50_000, jsonItem, `{"id":"last"} ], "title":"T"}`)
	out, notes = capJSON(doc)
	want = strings.TrimSuffix(string(capTestItems(`{"items":[`, 1000, jsonItem, "")), ", ") + `], "title":"T"}`
	if string(out) != want || !slices.Equal(notes, []string{noteItems}) {
		t.Errorf("JSON: %d bytes, notes %q; want %d bytes, the first 1000 items", len(out), notes, len(want))
	}
}

// TestParseCapLeavesFeedsAlone: a feed within the caps is given to the
// parser as it is, not copied, and without notes.
func TestParseCapLeavesFeedsAlone(t *testing.T) {
	docs := testFixtures(t)
	for name, doc := range corpusFiles(t) {
		docs[name] = doc
	}
	for name, doc := range docs {
		var out []byte
		var notes []string
		if sniffDoc(doc).kind == kindJSON {
			out, notes = capJSON(doc)
		} else {
			var err error
			if out, notes, err = capXML(doc); err != nil {
				out = doc // too deep: refused, as it should be
			}
		}
		if len(notes) != 0 || len(out) != len(doc) || len(doc) > 0 && &out[0] != &doc[0] {
			t.Errorf("%s: %d bytes of %d, notes %q; want the document itself", name, len(out), len(doc), notes)
		}
	}
}

// TestParseCapText: markup inside text (an Atom XHTML body, an RSS
// description written as raw markup) is one string to the parser and does
// not count against the element cap; an extension's children do.
func TestParseCapText(t *testing.T) {
	const n = maxParts + 10
	for _, c := range []struct {
		name, head, unit, tail string
		note                   bool
	}{
		{"atom xhtml", `<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><id>1</id><content type="xhtml"><div>`, "<br/>", "<b>end</b></div></content></entry></feed>", false},
		{"rss description", `<rss version="2.0"><channel><title>T</title><item><guid>1</guid><description>`, "<br/>", "<b>end</b></description></item></channel></rss>", false},
		{"rss extension", `<rss version="2.0" xmlns:x="https://x.example/"><channel><title>T</title><item><guid>1</guid><description><b>end</b></description><x:a>`, "<br/>", "</x:a></item></channel></rss>", true},
		{"description in an extension", `<rss version="2.0" xmlns:x="https://x.example/"><channel><title>T</title><item><guid>1</guid><x:a><description><b>end</b>`, "<br/>", "</description></x:a></item></channel></rss>", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, notes, err := capXML([]byte(c.head + strings.Repeat(c.unit, n) + c.tail))
			if err != nil || slices.Contains(notes, noteParts) != c.note {
				t.Errorf("notes %q, err %v; want the elements note: %v", notes, err, c.note)
			}
		})
	}
}

// BenchmarkParseCap50Items is the capping pass alone on the document of
// BenchmarkParse50Items: what the caps add to a normal feed's parse.
func BenchmarkParseCap50Items(b *testing.B) {
	data := testBenchDoc()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := capXML(data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestHostileAttributeFlood: an element with millions of attributes, which
// encoding/xml would read into one slice (400 MB for 16 MiB), is refused
// before any XML decoder reads it.
func TestHostileAttributeFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("a 16 MiB document")
	}
	doc := floodtest.Fill(`<rss version="2.0" xmlns:x="https://x.example/"><channel><title>t</title><item><guid>1</guid><x:a`,
		func(i int) string { return fmt.Sprintf(` a%d=""`, i) }, "/></item></channel></rss>")
	var err error
	peak := floodtest.PeakHeap(func() { _, err = Parse(doc, corpusFeedURL, "") })
	if want := "parse feed: an element has more than 1000 attributes"; err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
	if peak > floodtest.MaxPeak {
		t.Errorf("parse took %d MB of heap, want at most %d MB", peak>>20, floodtest.MaxPeak>>20)
	}
}

// TestParseCapAttributes: 1,000 attributes are allowed and 1,001 are not,
// however they are written; what only looks like attributes (in CDATA, a
// comment, a quoted value) does not count; and attributes count against
// the element cap.
func TestParseCapAttributes(t *testing.T) {
	attrs := func(n int, format string) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, format, i)
		}
		return b.String()
	}
	wrap := func(s string) []byte {
		return []byte(`<rss version="2.0" xmlns:x="https://x.example/"><channel><title>t</title><item><guid>1</guid>` + s + `</item></channel></rss>`)
	}
	for _, c := range []struct {
		name string
		doc  []byte
		err  bool
	}{
		{"1000", wrap("<x:a" + attrs(1000, ` a%d="v"`) + "/>"), false},
		{"1001", wrap("<x:a" + attrs(1001, ` a%d="v"`) + "/>"), true},
		{"1001 without values", wrap("<x:a" + attrs(1001, ` a%d`) + "/>"), true},
		{"1001 unquoted, spaced", wrap("<x:a" + attrs(1001, "\na%d = v") + "/>"), true},
		{"in CDATA", wrap("<description><![CDATA[<b" + attrs(2000, ` a%d="v"`) + ">]]></description>"), false},
		{"in a comment", wrap("<!-- <b" + attrs(2000, ` a%d="v"`) + "> -->"), false},
		{"in a value", wrap(`<x:a v="` + attrs(2000, ` a%d=v`) + `"/>`), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse(c.doc, corpusFeedURL, "")
			if got := err != nil && strings.Contains(err.Error(), "attributes"); got != c.err {
				t.Errorf("err = %v, want an error about attributes: %v", err, c.err)
			}
		})
	}
	// 200 extension elements of 999 attributes each are 200,000 parts.
	doc := wrap(strings.Repeat("<x:a"+attrs(999, ` a%d=""`)+"/>", 200))
	got, err := Parse(doc, corpusFeedURL, "")
	if err != nil || !slices.Equal(got.Notes, []string{noteParts}) {
		t.Errorf("notes %q, err %v; want the elements note", got.Notes, err)
	}
}

// FuzzParseCap runs the capping passes with caps of 2 items and 12 parts,
// so that they cut, on any document: they do not panic, never lengthen it,
// leave one they do not cut as it was, keep valid JSON valid, and leave
// gofeed at most 2 items to read.
func FuzzParseCap(f *testing.F) {
	for _, doc := range testFixtures(f) {
		f.Add(doc)
	}
	f.Add(capTestItems(`<rss version="2.0"><channel><title>T</title>`, 4, capTestRSSItem, "</channel></rss>"))
	f.Add(capTestItems(`{"version":"https://jsonfeed.org/version/1.1","items":[`, 4, func(i int) string { return fmt.Sprintf(`{"id":"%d"},`, i) }, `{"id":"x","tags":["a","b"]}]}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		doc = decode(doc, "")
		caps := boundsOf(2, 12)
		sniff := sniffDoc(doc)
		var out []byte
		var notes []string
		if sniff.kind == kindJSON {
			out, notes = capJSONWith(doc, caps)
			if json.Valid(doc) && !json.Valid(out) {
				t.Fatalf("valid JSON %q cut to invalid %q", doc, out)
			}
		} else {
			var err error
			doc = dropControlBytes(doc)
			if out, notes, err = capXMLWith(doc, caps); err != nil {
				return
			}
		}
		if len(out) > len(doc) || len(notes) == 0 && !bytes.Equal(out, doc) {
			t.Fatalf("%q cut to %q, notes %q", doc, out, notes)
		}
		feed, _, err := run(out)
		if errors.Is(err, gofeed.ErrFeedTypeNotDetected) && sniff.kind == kindXML {
			feed, _, err = runAs(sniff.name, out)
		}
		if err == nil && len(feed.Items) > 2 {
			t.Fatalf("%q cut to %q: %d items", doc, out, len(feed.Items))
		}
	})
}
