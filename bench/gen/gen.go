// Package gen makes the synthetic feeds the benchmarks read: realistic
// news items (RSS 2.0 and Atom, 1–5 KB HTML bodies with paragraphs, links,
// lists and code, unique GUIDs, dates spread over weeks), the same bytes on
// every run, and a Site that serves them on loopback with ETags, so that a
// second refresh is all 304s.
package gen

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Epoch is the publication time of the newest item of any feed.
var Epoch = time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC)

// words is the vocabulary of titles and bodies: common English and news
// words, so that searches find realistic numbers of matches.
var words = strings.Fields(`the of and to in a is that for on was with as by at from it an be this are has
have said will its after over more than new about which their year government minister talks trade energy
market election court police city president country people week report officials agreement support crisis
plan economy growth inflation bank rates climate summit border security health hospital schools workers
strike union budget parliament vote coalition opposition protest ceasefire talks envoy sanctions exports
imports oil gas prices harvest drought flood storm wildfire earthquake rescue survivors museum festival
film music championship final league season coach players record science research study space telescope
satellite launch vaccine virus researchers university students teachers housing rent mortgage tax reform
pension court ruling judge appeal verdict investigation inquiry report committee hearing senator governor
mayor council district region province capital villages farmers fishermen port shipping rail airline
airport tourism visitors hotel restaurant company shares profits losses merger startup software chips
factory jobs unemployment wages consumers retail sales data figures survey poll analysts forecast`)

// Feed returns feed number n of a site at base (an absolute URL without a
// trailing slash), with items items: RSS 2.0 for even n, Atom for odd.
func Feed(base string, n, items int) []byte {
	f := feed{base: base, n: n, rng: rand.New(rand.NewPCG(uint64(n), 7))}
	if n%2 == 1 {
		return f.atom(items)
	}
	return f.rss(items)
}

type feed struct {
	base string
	n    int
	rng  *rand.Rand
	b    strings.Builder
}

// published spreads a feed's items over about 40 days, newest first, each
// feed on its own rhythm.
func (f *feed) published(i int) time.Time {
	step := time.Duration(20+f.n%50) * time.Minute
	return Epoch.Add(-time.Duration(f.n%97)*time.Minute - time.Duration(i)*step)
}

func (f *feed) rss(items int) []byte {
	fmt.Fprintf(&f.b, `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>%s</title><link>%s/site/%d/</link><description>Synthetic news %d</description>
`, f.title(3), f.base, f.n, f.n)
	for i := range items {
		link := fmt.Sprintf("%s/site/%d/story/%d", f.base, f.n, i)
		fmt.Fprintf(&f.b, "<item><title>%s</title><link>%s</link><guid isPermaLink=\"false\">bench-%d-%d</guid><pubDate>%s</pubDate><author>desk%d@bench.example (%s)</author><description><![CDATA[",
			f.title(8), link, f.n, i, f.published(i).Format(time.RFC1123Z), f.n%20, f.title(2))
		f.body()
		f.b.WriteString("]]></description></item>\n")
	}
	f.b.WriteString("</channel></rss>\n")
	return []byte(f.b.String())
}

func (f *feed) atom(items int) []byte {
	fmt.Fprintf(&f.b, `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>%s</title><id>urn:bench:%d</id><link href="%s/site/%d/"/><updated>%s</updated>
`, f.title(3), f.n, f.base, f.n, f.published(0).Format(time.RFC3339))
	for i := range items {
		fmt.Fprintf(&f.b, "<entry><title>%s</title><id>urn:bench:%d:%d</id><link href=\"%s/site/%d/story/%d\"/><published>%s</published><updated>%s</updated><author><name>%s</name></author><content type=\"html\">",
			f.title(8), f.n, i, f.base, f.n, i, f.published(i).Format(time.RFC3339), f.published(i).Format(time.RFC3339), f.title(2))
		var body strings.Builder
		f.b, body = body, f.b // write the body apart, then escape it
		f.body()
		f.b, body = body, f.b
		f.b.WriteString(escapeXML(body.String()))
		f.b.WriteString("</content></entry>\n")
	}
	f.b.WriteString("</feed>\n")
	return []byte(f.b.String())
}

func escapeXML(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// title returns n words, the first capitalised.
func (f *feed) title(n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = f.word()
	}
	ws[0] = strings.ToUpper(ws[0][:1]) + ws[0][1:]
	return strings.Join(ws, " ")
}

func (f *feed) word() string { return words[f.rng.IntN(len(words))] }

// body writes 1–5 KB of HTML: paragraphs with links and emphasis, and
// now and then a list, a quote or a code block.
func (f *feed) body() {
	target := 1000 + f.rng.IntN(4000)
	start := f.b.Len()
	for f.b.Len()-start < target {
		switch f.rng.IntN(8) {
		case 0:
			f.b.WriteString("<ul>")
			for range 2 + f.rng.IntN(4) {
				fmt.Fprintf(&f.b, "<li>%s</li>", f.title(5))
			}
			f.b.WriteString("</ul>")
		case 1:
			fmt.Fprintf(&f.b, "<pre><code>%s := %d\nfmt.Println(%s)</code></pre>", f.word(), f.rng.IntN(1000), f.word())
		case 2:
			fmt.Fprintf(&f.b, "<blockquote><p>%s.</p></blockquote>", f.title(12))
		default:
			f.paragraph()
		}
	}
}

func (f *feed) paragraph() {
	f.b.WriteString("<p>")
	for s := range 3 + f.rng.IntN(3) {
		if s > 0 {
			f.b.WriteByte(' ')
		}
		f.b.WriteString(f.title(6 + f.rng.IntN(10)))
		switch f.rng.IntN(4) {
		case 0:
			fmt.Fprintf(&f.b, ` <a href="https://news%d.example/%s/%d">%s %s</a>`, f.rng.IntN(50), f.word(), f.rng.IntN(100000), f.word(), f.word())
		case 1:
			fmt.Fprintf(&f.b, " <em>%s</em> %s", f.word(), f.word())
		case 2:
			fmt.Fprintf(&f.b, " <strong>%s</strong>", f.word())
		}
		f.b.WriteByte('.')
	}
	f.b.WriteString("</p>\n")
}

// Site serves feeds 0…Feeds-1 at /feed/N.xml, each of Items items,
// generated on first request and kept. Every feed has an ETag, and a
// request that sends it back gets 304 Not Modified.
type Site struct {
	Feeds, Items int
	docs         []func() []byte
}

// NewSite returns a site of feeds×items served under base.
func NewSite(base string, feeds, items int) *Site {
	s := &Site{Feeds: feeds, Items: items, docs: make([]func() []byte, feeds)}
	for i := range s.docs {
		s.docs[i] = sync.OnceValue(func() []byte { return Feed(base, i, items) })
	}
	return s
}

// Warm generates every feed now, so that a measured refresh does not pay
// for the server's work, on every core: a million articles are 3.7 GB of
// feeds and a minute of one core's work.
func (s *Site) Warm() {
	next := make(chan func() []byte)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for doc := range next {
				doc()
			}
		})
	}
	for _, doc := range s.docs {
		next <- doc
	}
	close(next)
	wg.Wait()
}

// URL returns the address of feed n under base.
func URL(base string, n int) string { return base + "/feed/" + strconv.Itoa(n) + ".xml" }

func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutPrefix(r.URL.Path, "/feed/")
	name, ok2 := strings.CutSuffix(name, ".xml")
	n, err := strconv.Atoi(name)
	if !ok || !ok2 || err != nil || n < 0 || n >= len(s.docs) {
		http.NotFound(w, r)
		return
	}
	etag := fmt.Sprintf(`"bench-%d-%d"`, n, s.Items)
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if n%2 == 1 {
		w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	}
	w.Write(s.docs[n]())
}
