package parse

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed/rss"

	"tidings/bench/gen"
	"tidings/feed/internal/floodtest"
)

// streamFeedURL is where the documents of these tests come from.
const streamFeedURL = "https://stream.example/feed/index.xml"

// streamDocs returns every document of the parse tests: the fixtures, the
// hostile corpus, the fuzz corpora, the benchmarks' feeds, and the cases
// of streamCases.
func streamDocs(t testing.TB) map[string][]byte {
	t.Helper()
	docs := map[string][]byte{}
	for n, b := range testFixtures(t) {
		docs["parse/"+n] = b
	}
	for n, b := range corpusFiles(t) {
		docs["hostile/"+n] = b
	}
	for _, dir := range []string{"../testdata/entities", "../testdata/fuzz/*", "testdata/fuzz/*"} {
		names, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, n := range names {
			b, err := os.ReadFile(n)
			if err != nil {
				t.Fatal(err)
			}
			if v, ok := streamFuzzInput(b); ok {
				b = v
			}
			docs[n] = b
		}
	}
	docs["bench"] = testBenchDoc()
	for i := range 6 {
		docs[fmt.Sprintf("gen/%d", i)] = gen.Feed("https://gen.example", i, 50)
	}
	docs["plain 1500"] = corpusRSS(1500, corpusPlainItem)
	for n, s := range streamCases {
		docs["case/"+n] = []byte(s)
	}
	return docs
}

// streamFuzzInput returns the first []byte or string argument of a file
// of a Go fuzz corpus.
func streamFuzzInput(b []byte) ([]byte, bool) {
	lines := strings.Split(string(b), "\n")
	if len(lines) < 2 || lines[0] != "go test fuzz v1" {
		return nil, false
	}
	arg := lines[1]
	arg = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(arg, "[]byte("), "string("), ")")
	v, err := strconv.Unquote(arg)
	return []byte(v), err == nil
}

// streamRSS and streamAtom wrap items in a feed for streamCases.
func streamRSS(ns, items string) string {
	return `<?xml version="1.0" encoding="utf-8"?>` + "\n<rss version=\"2.0\"" + ns + "><channel><title>Cases</title><link>https://stream.example/</link>" + items + "</channel></rss>\n"
}

func streamAtom(ns, entries string) string {
	return `<feed xmlns="http://www.w3.org/2005/Atom"` + ns + `><title type="text">Cases &amp; more</title><link href="https://stream.example/"/><author><name>Desk</name></author>` + entries + "</feed>"
}

const (
	nsContent = ` xmlns:content="http://purl.org/rss/1.0/modules/content/"`
	nsDC      = ` xmlns:dc="http://purl.org/dc/elements/1.1/"`
	nsMedia   = ` xmlns:media="http://search.yahoo.com/mrss/"`
	nsITunes  = ` xmlns:itunes="http://www.itunes.com/DTDs/PodCast-1.0.dtd"`
	nsAtom    = ` xmlns:atom="http://www.w3.org/2005/Atom"`
)

// streamCases are documents made to reach each rule of the streaming
// decoder: what it reads, and what it must leave to gofeed.
var streamCases = map[string]string{
	"content encoded":      streamRSS(nsContent, `<item><title>A</title><description>short</description><content:encoded><![CDATA[<p>long <a href="/x">x</a></p>]]></content:encoded><guid>1</guid></item>`),
	"content other prefix": streamRSS(` xmlns:c="http://purl.org/rss/1.0/modules/content/"`, `<item><guid>1</guid><description>short</description><c:encoded>&lt;p&gt;long&lt;/p&gt;</c:encoded></item>`),
	"content made-up ns":   streamRSS(` xmlns:content="https://made.up/"`, `<item><guid>1</guid><description>short</description><content:encoded>long</content:encoded></item>`),
	"content undeclared":   streamRSS("", `<item><guid>1</guid><description>short</description><content:encoded>long</content:encoded></item>`),
	"dc creator":           streamRSS(nsDC, `<item><title>A</title><dc:creator>Jane &amp; Joe</dc:creator><guid>1</guid></item><item><title>B</title><author>x@y.example (Xavier)</author><dc:creator><![CDATA[Other]]></dc:creator><guid>2</guid></item>`),
	"dc date":              streamRSS(nsDC, `<item><title>A</title><dc:date>2025-03-04T05:06:07Z</dc:date></item><item><title>B</title><pubDate>Tue, 04 Mar 2025 05:06:07 +0100</pubDate><dc:date>2024-01-01T00:00:00Z</dc:date></item>`),
	"dc title nested":      streamRSS(nsDC, `<item><dc:title><b>x</b></dc:title><guid>1</guid></item>`),
	"dc made-up":           streamRSS(` xmlns:dc="https://made.up/"`, `<item><guid>1</guid><dc:creator>Who</dc:creator></item>`),
	"itunes":               streamRSS(nsITunes, `<item><guid>1</guid><itunes:author>Pod Person</itunes:author><itunes:summary>Show notes</itunes:summary><itunes:duration>12:00</itunes:duration><enclosure url="https://stream.example/a.mp3?x=1&amp;y=2" length="1234567" type="audio/mpeg"/></item>`),
	"media inline ns":      streamRSS("", `<item><guid>1</guid><title>M</title><media:content xmlns:media="http://search.yahoo.com/mrss/" url="https://stream.example/i.jpg" medium="image"><media:title>t</media:title></media:content></item>`),
	"media":                streamRSS(nsMedia, `<item><guid>1</guid><title>M</title><media:thumbnail url="https://stream.example/t.jpg"/><media:group><media:content url="x"/></media:group></item>`),
	"atom in rss":          streamRSS(nsAtom, `<atom:link href="https://stream.example/feed" rel="self"/><item><guid>1</guid><atom:link href="/x"/><title>L</title></item>`),
	"atom summary in rss":  streamRSS(nsAtom, `<item><guid>1</guid><atom:summary>From Atom</atom:summary></item>`),
	"no channel title":     `<rss version="2.0"` + nsDC + `><channel><dc:title>DC title</dc:title><link>https://stream.example/</link><item><guid>1</guid></item></channel></rss>`,
	"no channel link":      `<rss version="2.0"` + nsAtom + `><channel><title>T</title><atom:link href="https://stream.example/site" rel="alternate"/><item><guid>1</guid><description>d</description></item></channel></rss>`,
	"link href":            streamRSS("", `<item><guid>1</guid><link href="https://stream.example/a b"/></item><item><link>https://stream.example/1</link><link>https://stream.example/2</link></item>`),
	"guid permalink":       streamRSS("", `<item><guid isPermaLink="true">https://stream.example/p/1</guid><title>P</title></item><item><guid isPermaLink="false">tag:x</guid></item>`),
	"no guid no link":      streamRSS("", `<item><title>Only a title</title><pubDate>Mon, 02 Jan 2006 15:04:05 GMT</pubDate></item><item><description>&lt;p&gt;Only &amp;amp; a &lt;b&gt;body&lt;/b&gt;&lt;/p&gt;</description></item>`),
	"dates":                streamRSS("", `<item><guid>1</guid><pubDate>Mon, 2 Jan 2006 15:04:05 EST</pubDate></item><item><guid>2</guid><pubDate>2006-01-02</pubDate></item><item><guid>3</guid><pubDate>not a date</pubDate></item><item><guid>4</guid><pubDate>Mon, 02 Jan 2006 15:04:05 UTC</pubDate><pubDate>junk</pubDate></item><item><guid>5</guid><pubDate> 2006-01-02T15:04:05.123+02:00 </pubDate></item>`),
	"entities":             streamRSS("", `<item><guid>&#49;&#x32;</guid><title>Caf&eacute; &amp;amp; &copy; &#169; &nbsp;x &bogus; AT&T</title><description>a &lt; b &gt; c &quot;d&quot; &apos;e&apos; &#8212;</description></item>`),
	"cdata mixed":          streamRSS("", `<item><guid>1</guid><title>Before <![CDATA[<b>in</b>]]> after &amp; <![CDATA[ again]]></title><description>a]]&gt;b</description></item>`),
	"cdata unterminated":   streamRSS("", `<item><guid>1</guid><description><![CDATA[unterminated?</description></item>`),
	"html in description":  streamRSS("", `<item><guid>1</guid><description><p>Raw <b>markup</b> <br/> here</p></description></item>`),
	"mismatched":           streamRSS("", `<item><guid>1</guid><description><p>Raw <b>markup</p></b></description></item>`),
	"unquoted attr":        streamRSS("", `<item><guid>1</guid><enclosure url=https://x.example/a length=1/></item>`),
	"doctype":              `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "y">]><rss version="2.0"><channel><title>&x;</title><item><guid>1</guid></item></channel></rss>`,
	"xml base":             `<rss version="2.0" xml:base="https://base.example/dir/"><channel><title>B</title><item><guid>1</guid><link>rel</link><description>&lt;a href="x"&gt;x&lt;/a&gt;</description></item></channel></rss>`,
	"default ns on rss":    `<rss version="2.0" xmlns="https://made.up/"><channel><title>B</title><item><guid>1</guid></item></channel></rss>`,
	"rss 1.0":              `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel><title>R</title></channel><item><title>I</title><link>https://stream.example/i</link></item></rdf:RDF>`,
	"comments and pis":     "<?xml version=\"1.0\"?>\n<?xml-stylesheet href=\"s.xsl\"?>\n<!-- c -->\n<rss version=\"2.0\"><!-- c --><channel><title>T<!-- x --></title><?pi x?><item><guid>1</guid></item></channel></rss>\n<!-- after -->\n",
	"garbage after root":   streamRSS("", `<item><guid>1</guid></item>`) + "<x>",
	"latin1 declared":      `<?xml version="1.0" encoding="x-unknown-label"?><rss version="2.0"><channel><title>T</title><item><guid>1</guid></item></channel></rss>`,
	"upper case names":     `<rss version="2.0"><Channel><Title>T</Title><Item><Title>I</Title><PubDate>Mon, 02 Jan 2006 15:04:05 +0000</PubDate><GUID>g</GUID></Item></Channel></rss>`,
	"second channel":       `<rss version="2.0"><channel><title>One</title></channel><channel><title>Two</title><item><guid>1</guid></item></channel></rss>`,
	"empty elements":       `<rss version="2.0"><channel><title/><link/><item/><item><guid/><title/></item></channel></rss>`,
	"empty channel":        `<rss version="2.0"><channel/></rss>`,
	"ref to control":       streamRSS("", `<item><guid>1</guid><title>bad &#1; ref</title></item>`),
	"cr lf":                "<rss version=\"2.0\"><channel>\r\n<title>T\r\nU</title>\r\n<item><guid>1</guid><description>a\r\nb</description><enclosure url=\"https://x.example/a\r\nb\" type=\"t\"/></item></channel></rss>",
	"atom html":            streamAtom("", `<entry><title type="html">A &amp;amp; B &lt;i&gt;it&lt;/i&gt;</title><id>urn:x:1</id><link href="/entry/1"/><updated>2025-01-02T03:04:05Z</updated><content type="html">&lt;p&gt;Hello &lt;a href="/rel"&gt;rel&lt;/a&gt;&lt;/p&gt;</content></entry>`),
	"atom text":            streamAtom("", `<entry><title>Plain &lt;b&gt; text</title><id>tag:stream.example,2025:1</id><summary type="text">Sum &amp; mary</summary><published>2025-01-02T03:04:05+02:00</published></entry>`),
	"atom cdata":           streamAtom("", `<entry><title><![CDATA[CDATA <b>title</b>]]></title><id>2</id><content type="html"><![CDATA[<p>body</p>]]></content></entry>`),
	"atom xhtml":           streamAtom("", `<entry><id>3</id><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>x</p></div></content></entry>`),
	"atom html elements":   streamAtom("", `<entry><id>4</id><content type="html"><div><p>x</p></div></content></entry>`),
	"atom base64":          streamAtom("", `<entry><id>5</id><content type="image/png">aGVsbG8=</content><summary>s</summary></entry>`),
	"atom odd type":        streamAtom("", `<entry><id>6</id><content type="TEXT">t &amp; u</content></entry><entry><id>7</id><content type="text/markdown">*md*</content></entry><entry><id>8</id><content type="application/xml">&lt;x/&gt;</content></entry>`),
	"atom links":           streamAtom("", `<entry><id>9</id><link rel="self" href="https://stream.example/self"/><link rel="enclosure" href="https://stream.example/a.ogg" type="audio/ogg" length="99999"/><link rel="alternate" href="https://stream.example/alt?a=1&amp;b=2"/></entry><entry><id>10</id><link rel="related" href="https://stream.example/rel"/></entry>`),
	"atom authors":         streamAtom("", `<entry><id>11</id><author><email>e@stream.example</email></author><author><name>Second</name></author></entry><entry><id>12</id><contributor><name>C</name></contributor></entry>`),
	"atom extensions":      streamAtom(nsMedia+` xmlns:x="https://x.example/"`, `<x:meta>m</x:meta><entry><id>13</id><media:thumbnail url="u"/><x:entry>not an entry</x:entry><title>T</title></entry>`),
	"atom id url":          streamAtom("", `<entry><id> https://stream.example/a b?c=d#e </id><title>T</title></entry><entry><id>%zz</id></entry>`),
	"atom dates":           streamAtom("", `<entry><id>14</id><updated>Mon, 02 Jan 2006 15:04:05 PST</updated></entry><entry><id>15</id><issued>2004-01-01T00:00:00Z</issued><modified>bad</modified></entry>`),
	"atom 0.3 mode":        streamAtom("", `<entry><id>16</id><content mode="escaped" type="text/html">&lt;p&gt;x&lt;/p&gt;</content></entry>`),
	"atom no ns":           `<feed><title>No ns</title><entry><id>1</id><title>T</title></entry></feed>`,
	"atom prefixed":        `<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>P</a:title><a:entry><a:id>1</a:id></a:entry></a:feed>`,
	"atom item":            streamAtom("", `<item><title>odd</title></item><entry><id>1</id></entry>`),
	"duplicate guids":      streamRSS("", `<item><guid>same</guid><title>First</title></item><item><guid>same</guid><title>Second</title></item>`),
	"attr twice":           streamRSS("", `<item><guid>1</guid><enclosure url="https://x.example/1" url="https://x.example/2" type="a/b"/></item>`),
	"prefixed attr":        streamRSS(` xmlns:x="https://x.example/"`, `<item><guid>1</guid><enclosure x:url="https://x.example/1" type="a/b"/></item>`),
	"deep":                 streamRSS("", `<item><guid>1</guid><description>`+strings.Repeat("<b>", 300)+"x"+strings.Repeat("</b>", 300)+`</description></item>`),
}

// TestStreamMatchesGofeed: for every document of the parse tests, the
// streaming decoder gives exactly what the capping pass and gofeed give,
// or declines; and it does not decline the common feeds.
func TestStreamMatchesGofeed(t *testing.T) {
	docs := streamDocs(t)
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range docs {
			if !yield(n) {
				return
			}
		}
	})
	taken := 0
	for _, name := range names {
		if streamCompare(t, name, docs[name]) {
			taken++
		}
	}
	t.Logf("%d of %d documents read by the streaming decoder", taken, len(docs))
	for _, name := range []string{"bench", "gen/0", "gen/1", "plain 1500", "parse/rss2.xml", "hostile/esc_atom.xml",
		"case/content encoded", "case/dc creator", "case/itunes", "case/atom html", "case/atom links", "case/entities", "case/cdata mixed"} {
		if !streamTaken(docs[name]) {
			t.Errorf("%s: the streaming decoder declined it", name)
		}
	}
}

// streamCompare parses doc both ways and fails if the results differ;
// it says whether the streaming decoder read it.
func streamCompare(t *testing.T, name string, doc []byte) bool {
	t.Helper()
	fast, fastErr := parse(doc, streamFeedURL, "", true)
	slow, slowErr := parse(doc, streamFeedURL, "", false)
	if fmt.Sprint(fastErr) != fmt.Sprint(slowErr) {
		t.Errorf("%s: error %v, gofeed's way %v", name, fastErr, slowErr)
		return false
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Errorf("%s: streaming decoder and gofeed differ:\n%s", name, streamDiff(fast, slow))
	}
	return streamTaken(doc)
}

// streamTaken says whether the streaming decoder reads doc.
func streamTaken(doc []byte) bool {
	d := decode(doc, "")
	sniff := sniffDoc(d)
	if sniff.kind != kindXML || sniff.name != "rss" && sniff.name != "feed" {
		return false
	}
	_, _, _, ok := streamDecode(dropControlBytes(d), sniff.name)
	return ok
}

// streamDiff describes how two results differ.
func streamDiff(a, b Parsed) string {
	var out strings.Builder
	if a.Title != b.Title || a.Link != b.Link || !slices.Equal(a.Notes, b.Notes) {
		fmt.Fprintf(&out, "feed %q %q %q\n vs  %q %q %q\n", a.Title, a.Link, a.Notes, b.Title, b.Link, b.Notes)
	}
	if len(a.Items) != len(b.Items) {
		fmt.Fprintf(&out, "%d items vs %d\n", len(a.Items), len(b.Items))
	}
	for i := range min(len(a.Items), len(b.Items)) {
		if !reflect.DeepEqual(a.Items[i], b.Items[i]) {
			fmt.Fprintf(&out, "item %d:\n %+v\n vs\n %+v\n", i, a.Items[i], b.Items[i])
			break
		}
	}
	return out.String()
}

// TestStreamMutations: documents damaged at random (cut, bits flipped,
// a '<' put in) still give the same result both ways.
func TestStreamMutations(t *testing.T) {
	docs := streamDocs(t)
	var small []string
	for n, b := range docs {
		if len(b) < 64<<10 {
			small = append(small, n)
		}
	}
	slices.Sort(small)
	r := rand.New(rand.NewPCG(15, 2))
	rounds := 3000
	if testing.Short() {
		rounds = 300
	}
	taken := 0
	for i := range rounds {
		name := small[r.IntN(len(small))]
		if streamCompare(t, fmt.Sprintf("%s, mutation %d", name, i), testMutate(r, docs[name])) {
			taken++
		}
	}
	t.Logf("%d of %d mutated documents read by the streaming decoder", taken, rounds)
}

// TestStreamItemCap: the decoder keeps the first maxItems items, notes
// the rest, and does not hold them: a cut item is not even counted
// towards the elements.
func TestStreamItemCap(t *testing.T) {
	doc := corpusRSS(maxItems+500, corpusPlainItem)
	_, _, notes, ok := streamDecode(doc, "rss")
	if !ok || !slices.Equal(notes, []string{noteItems}) {
		t.Fatalf("ok %v, notes %q; want the items note", ok, notes)
	}
	f, _, _, _ := streamDecode(doc, "rss")
	if len(f.Items) != maxItems {
		t.Errorf("%d items, want %d", len(f.Items), maxItems)
	}
}

// TestStreamDates: the dates the decoder parses itself are the ones
// gofeed's parser gives.
func TestStreamDates(t *testing.T) {
	for _, s := range []string{
		"Mon, 02 Jan 2006 15:04:05 -0700", "Mon, 02 Jan 2006 15:04:05 +0000", "Tue, 31 Dec 2024 23:59:59 +1400",
		"Mon, 02 Jan 2006 15:04:05 GMT", "Mon, 02 Jan 2006 15:04:05 UTC", "Mon, 2 Jan 2006 15:04:05 GMT",
		"Mon, 02 Jan 2006 15:04:05 EST", "2006-01-02T15:04:05Z", "2006-01-02T15:04:05.999+05:30",
		"2006-01-02T15:04:05-00:00", "2006-01-02 15:04:05", "Fri, 29 Feb 2023 10:00:00 GMT", "Monday, 02-Jan-06 15:04:05 GMT",
	} {
		want := streamOracleDate(t, s)
		got := gofeedDate(s)
		if (got == nil) != (want == nil) || got != nil && !got.Equal(*want) {
			t.Errorf("%q: %v, gofeed %v", s, got, want)
		}
		if _, quick := quickDate(s); quick && want == nil {
			t.Errorf("%q: parsed here, not by gofeed", s)
		}
	}
}

// streamOracleDate is the date gofeed's RSS parser reads from a pubDate.
func streamOracleDate(t *testing.T, s string) *time.Time {
	t.Helper()
	f, err := (&rss.Parser{}).Parse(bytes.NewReader([]byte("<rss><channel><item><pubDate>" + s + "</pubDate></item></channel></rss>")))
	if err != nil || len(f.Items) != 1 {
		t.Fatalf("%q: %v", s, err)
	}
	return f.Items[0].PubDateParsed
}

// streamBenchDocs are the benchmark harness's feeds (bench/gen) of 50
// items, one RSS and one Atom.
func streamBenchDocs() map[string][]byte {
	return map[string][]byte{"rss": gen.Feed("https://gen.example", 2, 50), "atom": gen.Feed("https://gen.example", 3, 50)}
}

// BenchmarkParseGen50 parses the harness's feeds of 50 items, articles
// and all, with the streaming decoder and gofeed's way.
func BenchmarkParseGen50(b *testing.B) {
	for _, format := range []string{"rss", "atom"} {
		doc := streamBenchDocs()[format]
		for _, stream := range []bool{true, false} {
			b.Run(fmt.Sprintf("%s/stream=%v", format, stream), func(b *testing.B) {
				b.SetBytes(int64(len(doc)))
				for b.Loop() {
					if p, err := parse(doc, streamFeedURL, "", stream); err != nil || len(p.Items) != 50 {
						b.Fatalf("%v, %d items", err, len(p.Items))
					}
				}
			})
		}
	}
}

// BenchmarkDecodeGen50 is the parsing stage alone on the same feeds:
// the streaming decoder, and the capping pass with gofeed.
func BenchmarkDecodeGen50(b *testing.B) {
	for _, format := range []string{"rss", "atom"} {
		doc := streamBenchDocs()[format]
		root := map[string]string{"rss": "rss", "atom": "feed"}[format]
		b.Run(format+"/stream", func(b *testing.B) {
			for b.Loop() {
				if f, _, _, ok := streamDecode(doc, root); !ok || len(f.Items) != 50 {
					b.Fatal("declined")
				}
			}
		})
		b.Run(format+"/gofeed", func(b *testing.B) {
			for b.Loop() {
				capped, _, err := capDoc(doc, kindXML)
				if err != nil {
					b.Fatal(err)
				}
				if f, _, err := runSniffed(capped, sniffed{kind: kindXML, name: root}); err != nil || len(f.Items) != 50 {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestStreamFloods: 16 MiB documents of items, RSS and Atom, are read by
// the streaming decoder, within the memory of one hostile feed, their
// first maxItems items kept and the rest noted.
func TestStreamFloods(t *testing.T) {
	if testing.Short() {
		t.Skip("16 MiB documents")
	}
	for name, doc := range map[string][]byte{
		"rss": floodtest.Fill(`<rss version="2.0"><channel><title>Flood</title>`,
			func(i int) string { return fmt.Sprintf("<item><guid>%d</guid><title>Item %d</title></item>", i, i) }, "</channel></rss>"),
		"atom": floodtest.Fill(`<feed xmlns="http://www.w3.org/2005/Atom"><title>Flood</title>`,
			func(i int) string { return fmt.Sprintf("<entry><id>%d</id><title>Item %d</title></entry>", i, i) }, "</feed>"),
	} {
		t.Run(name, func(t *testing.T) {
			if !streamTaken(doc) {
				t.Fatal("the streaming decoder declined it")
			}
			got := capTestParse(t, doc, noteItems)
			if len(got.Items) != maxItems || got.Items[maxItems-1].Title != fmt.Sprintf("Item %d", maxItems-1) {
				t.Errorf("%d items, the last %+v", len(got.Items), got.Items[len(got.Items)-1])
			}
		})
	}
}

// FuzzStream looks for a document on which the streaming decoder and
// gofeed's way differ (its seeds run with the tests).
func FuzzStream(f *testing.F) {
	for _, b := range streamDocs(f) {
		if len(b) < 64<<10 {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		streamCompare(t, "fuzz input", doc)
	})
}
