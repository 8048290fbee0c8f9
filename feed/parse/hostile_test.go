package parse

import (
	"bytes"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"tidings/articles"
)

// The hostile corpus, testdata/hostile/, holds small documents that attack
// a terminal news reader: escape sequences in every field, hostile HTML,
// bidi and zero-width characters, broken and malicious XML, lying
// charsets, odd dates and repeated identities. Its README.md lists what
// each file tries and what tidings makes of it; corpusWants below is the
// same list as a test. Documents whose size is the point (deep nesting, a
// 1 MB title, 50,000 items, 20 MB, millions of tiny items or elements)
// are made by the tests below and in parsecap_test.go instead.

// corpusFeedURL is the URL every corpus document is parsed as coming from.
const corpusFeedURL = "https://hostile.example/feed"

// corpusWant is what Parse must make of one corpus file.
type corpusWant struct {
	err     string   // the error contains this; "" when the document parses
	items   int      // how many articles
	title   string   // the feed's title
	titles  []string // if set, every article's title, in order
	links   []string // if set, every article's link, in order
	authors []string // if set, every article's author, in order
	bodyHas []string // each in some article's body (U+2060 ignored: see corpusShown)
	bodyNot []string // in no article's body
	// literal: the document's escape sequences are character references
	// inside CDATA, which XML makes literal text ("&#27;[2J"): shown as
	// written, harmless, so the remnant check does not apply.
	literal bool
}

// corpusWants lists every file of testdata/hostile/ and its outcome.
var corpusWants = map[string]corpusWant{
	// ---- escape sequences ----
	"esc_osc52_clipboard.xml": {title: "Clipboard news", items: 1, titles: []string{"Copy this"},
		links: []string{"https://hostile.example/1"}, authors: []string{"Mallory"},
		bodyHas: []string{"Body with clipboard writes"}},
	"esc_osc_window_title.xml": {title: "Window titles", items: 1, titles: []string{"Set the window title"},
		bodyHas: []string{"Text after"}},
	"esc_csi_reports.xml": {title: "Reports", items: 1, titles: []string{"Report the window size"},
		bodyHas: []string{"Asks the terminal to answer"}},
	"esc_dcs_decrqss.xml": {title: "Device control", items: 1, titles: []string{"Request status string"},
		bodyHas: []string{"DCS in body"}},
	"esc_sixel.xml": {title: "Sixel", items: 1, titles: []string{"Picture here"}, bodyHas: []string{"Inline image"}},
	"esc_apc_pm_sos.xml": {title: "Strings of all kinds", items: 1, titles: []string{"APC PM SOS end"},
		bodyHas: []string{"Kitty privacy start done"}},
	"esc_osc8_hyperlinks.xml": {title: "Hyperlinks", items: 1, titles: []string{"Please click or tap"},
		authors: []string{"click Mallory"}, bodyHas: []string{"Open click and tap now"}},
	// ESC c, ESC 7, ESC 8 in XML: the ESC goes, the letter after it stays
	// (see TestParseControlReferences); the CSI sequences go whole.
	"esc_screen_control.xml": {title: "Screen control", items: 1, titles: []string{"Clear then leave c78the screen"},
		bodyHas: []string{"Body red text"}},
	// U+009B raw and as references: references are decoded the HTML way,
	// where &#x9B; is "›" (windows-1252), so they show as text.
	"esc_c1_utf8.xml": {title: "C1 controls", items: 1, titles: []string{"Eight-bit csi and refs ›2J›H"},
		bodyHas: []string{"Body red ›2J ›?1049l done"}},
	"esc_c1_byte_in_utf8.xml":   {title: "Raw C1 byte", items: 1, titles: []string{"Byte \uFFFD2J here"}},
	"esc_c1_byte_in_latin1.xml": {title: "Raw C1 byte in Latin-1", items: 1, titles: []string{"Byte ›2J here"}},
	"esc_bel_bs_cr.xml": {title: "Bellsand whistles", items: 2,
		titles:  []string{"Totally safe EVIL OVERPRINT", "BackOverspace"},
		authors: []string{"niceevil", ""}, bodyHas: []string{"line one", "OVERPRINT line two", "with CRLF"}},
	"esc_every_field_raw.xml":       corpusEveryField,
	"esc_every_field_decimal.xml":   corpusEveryField,
	"esc_every_field_hex.xml":       corpusEveryField,
	"esc_every_field_cdata_raw.xml": corpusEveryField,
	"esc_every_field_cdata_refs.xml": {title: "Every &#27;]0;PWNED window&#7;field", items: 1,
		titles:  []string{"Item &#27;]52;c;UFdORUQ=&#7;title &#27;[2J&#27;[Hhere"},
		bodyHas: []string{"Content with click and more"}, literal: true},
	// gofeed resolves Atom's href attributes itself, percent-encoding what
	// is not ASCII, so there a sequence's C1 introducer and payload stay
	// in the URL, encoded (harmless: a URL, no control character).
	"esc_atom.xml": {title: "Atom feed", items: 2, titles: []string{"Entry one", "Bold two"},
		links:   []string{"https://hostile.example/e/1%C2%9D8;;file:///etc/passwd?PWNEDclick", ""},
		authors: []string{"Ed Itor", "Feed Author"},
		bodyHas: []string{"Content and js", "Plain text"}},
	"esc_rss1.rdf": {title: "RDF feed", items: 1, titles: []string{"RDF item"},
		links: []string{"https://hostile.example/r1"}, authors: []string{"Rita click"}, bodyHas: []string{"RDF body"}},
	"esc_jsonfeed.json": {title: "JSON feed", items: 2, titles: []string{"JSON item tap", "Second item"},
		links: []string{"https://hostile.example/j1", ""}, authors: []string{"Jay Son", "Feed author"},
		bodyHas: []string{"HTML body and js", "Text only"}},
	"esc_unterminated.xml": {title: "Unterminated", items: 3,
		titles:  []string{"Title then OSC", "CSI cut", "ESC before CDATA end"},
		bodyHas: []string{"Body then DCS", "lone ESC at the end"}},
	"esc_in_markup.xml": {err: "parse feed: XML syntax error on line 2: invalid XML name"},

	// ---- HTML bodies ----
	"html_script_style_iframe.xml": {title: "HTML tags", items: 1, titles: []string{"Scripts"},
		bodyHas: []string{"Visible"}, bodyNot: []string{"alert", "evil.example", "background", "noscript", "template"}},
	"html_event_handlers.xml": {title: "Event handlers", items: 1, titles: []string{"Handlers"},
		bodyHas: []string{"Paragraph", "[image: pic](https://ok.example/a.png)", "[link](https://ok.example/)", "div text"},
		bodyNot: []string{"alert", "onclick", "onerror", "onload"}},
	"html_js_data_vbscript.xml": {title: "Bad schemes", items: 1, titles: []string{"Schemes"},
		bodyHas: []string{"js mixed space tab newline entity hex colon vb data DATA file",
			"[good](https://ok.example/good)", "[image: ok img](https://ok.example/ok.png)"},
		bodyNot: []string{"javascript", "vbscript", "data:", "DATA:", "file:", "alert"}},
	// A link: tabs and newlines are dropped (as browsers do), a space is
	// encoded, one over 2 KB is dropped, a relative one is resolved.
	"html_odd_hrefs.xml": {title: "Odd hrefs", items: 5,
		links: []string{"https://hostile.example/h4", "https://hostile.example/-rf%20/", "https://ok.example/x%20y", "",
			"https://ok.example/line"},
		bodyHas: []string{"[dash](https://hostile.example/-rf%20/)", "[spaces](https://ok.example/a%20b%20c)",
			"empty no href blank long"}},
	// Entity-looking text shows as written.
	"html_entity_text.xml": {title: "Entities &amp; text", items: 2,
		titles:  []string{"&#27; and &lt;script&gt; and &amp;", "&#27; and &lt;script&gt; in CDATA"},
		bodyHas: []string{"&#27; and &lt;script&gt; and &amp;", "&#27; &lt;script&gt; &amp; &lt;script>alert(1)"}},
	// Titles are never rendered: markdown in them is kept as written.
	"html_markdown_looking.xml": {title: "# Markdown **feed**", items: 3,
		titles:  []string{"# x", "**x**", "`x` and [a](javascript:x)"},
		bodyHas: []string{`\# heading?`, `\[ref\]: javascript:alert(1)`}},
	"html_comments.xml": {title: "Comments", items: 2, titles: []string{"HTML comments", "XML comment"},
		bodyHas: []string{"after comment", "conditional", "Textafter"}, bodyNot: []string{"alert"}},
	"html_atom_xhtml.xml": {title: "XHTML", items: 1, titles: []string{"XHTML title"},
		bodyHas: []string{"Para js [ok](https://ok.example/)", "image: inline"}, bodyNot: []string{"alert", "evil.example"}},
	// A JSON Feed title is plain text by the spec, but "<tags>" is taken
	// as markup like in RSS (see the report in README.md).
	"html_jsonfeed.json": {title: "JSON HTML", items: 2, titles: []string{"Title", "Text with"},
		links: []string{"https://hostile.example/jh1", ""}, bodyHas: []string{"Body js data", "stays text"},
		bodyNot: []string{"onerror"}},

	// ---- Unicode ----
	"uni_bidi.xml": {title: "Bidi txt.exe feed", items: 1,
		titles: []string{"Invoice exe.fdp and isolate rtl first LRE RLE LRO"},
		links:  []string{"https://hostile.example/b1"}, authors: []string{"Mallory"},
		bodyHas: []string{"Body esrever and [link x]"}},
	// Zero-width characters cannot reorder or hide other text: kept.
	"uni_zero_width.xml": {title: "Zero\u200bwidth", items: 1,
		titles: []string{"Zero\u200bwidth\ufeffspace\u200c\u200d\u2060here"}},
	"uni_combining_flood.xml": {title: "Combining", items: 1,
		titles: []string{"Z" + strings.Repeat("\u0301\u0336\u0351\u0489\u035c", 100) + "algo"}},
	"uni_wide_cjk_emoji.xml": {title: "世界のニュース 🌍", items: 2,
		titles: []string{"東京で大雪、交通に影響 🚆❄️", "👩‍👩‍👧‍👦 Family 🇺🇦🇯🇵 flags 🏳️‍🌈 and ｆｕｌｌｗｉｄｔｈ"}},
	"uni_rtl.xml": {title: "أخبار اليوم", items: 2, titles: []string{"مرحبا بالعالم 2024", "שלום עולם"}},
	// Cut at a word if there is one in the last half.
	"uni_long_title.xml": {title: strings.Repeat("Long ", 198) + "Long…", items: 2,
		titles: []string{strings.Repeat("word ", 198) + "word…", strings.Repeat("x", 999) + "…"}},

	// ---- XML and encodings ----
	"xml_illegal_controls.xml": {title: "Controls", items: 2,
		titles: []string{"Rawend", "Bad refs " + strings.Repeat("\uFFFD", 7) + " end"}, bodyHas: []string{"Refs end"}},
	"xml_truncated.xml":          {err: "parse feed: XML syntax error on line 8: unexpected EOF"},
	"xml_mismatched_tags.xml":    {title: "Mismatch", items: 1, titles: []string{"One"}, links: []string{""}},
	"xml_garbage_after_root.xml": {title: "Garbage after", items: 1, titles: []string{"Only item"}},
	"xml_html_page.html":         {err: "not a feed: got an HTML page"},
	"xml_html_no_doctype.xml":    {err: "not a feed: got an HTML page"},
	"xml_bom_utf8.xml":           {title: "BOM UTF-8", items: 1, titles: []string{"Café"}},
	"xml_utf16le_bom.xml":        {title: "UTF-16 Ünïcödé", items: 1, titles: []string{"Grüße 東京"}, bodyHas: []string{"€"}},
	"xml_utf16be_bom.xml":        {title: "UTF-16 Ünïcödé", items: 1, titles: []string{"Grüße 東京"}, bodyHas: []string{"€"}},
	"json_bom.json":              {title: "JSON with BOM", items: 1, titles: []string{"Ça marche"}},
	"xml_late_root.xml":          {title: "Late root", items: 1, titles: []string{"Found after 4 KB"}},
	"charset_windows1251.xml":    {title: "Новости дня", items: 1, titles: []string{"Привет, мир"}, bodyHas: []string{"Текст статьи"}},
	"charset_shift_jis.xml":      {title: "ニュース", items: 1, titles: []string{"東京の天気"}, bodyHas: []string{"晴れのち曇り"}},
	"charset_koi8r.xml":          {title: "Известия", items: 1, titles: []string{"Погода в Москве"}, bodyHas: []string{"Снег"}},
	// The declaration is believed: UTF-8 read as Latin-1 is mojibake,
	// Latin-1 read as UTF-8 has U+FFFD for each bad byte.
	"charset_lie_latin1_is_utf8.xml": {title: "CafÃ© says Latin-1", items: 1, titles: []string{"NaÃ¯ve rÃ©sumÃ©"}},
	"charset_lie_utf8_is_latin1.xml": {title: "Caf\uFFFD says UTF-8", items: 1, titles: []string{"Na\uFFFDve r\uFFFDsum\uFFFD"}},
	// Entities declared in the DOCTYPE are never expanded, nor read.
	"xml_billion_laughs.xml":  {title: "Laughs &lol9;", items: 1, titles: []string{"&lol9;"}, bodyHas: []string{"lol9;"}},
	"xml_external_entity.xml": {title: "XXE &xxe;", items: 1, titles: []string{"Passwd: &xxe;"}, bodyNot: []string{"root:"}},
	"xml_deep_nesting.xml":    {err: "parse feed: elements nested more than 1000 deep"},

	// ---- missing, odd and repeated values ----
	"missing_fields.xml": {title: "", items: 3,
		titles: []string{"Only a description, no title, link, guid or date.", "(untitled)", "(untitled)"},
		links:  []string{"", "", "https://hostile.example/permalink"}},
	"dates_odd.xml": {title: "Odd dates", items: 14}, // see TestHostileDates
	// A GUID repeated in one document: the first item is kept.
	"dup_guids.xml": {title: "Duplicate GUIDs", items: 3,
		titles: []string{"First with dup", "Unique", "No guid, same link A"}},
	"dup_ids_atom.xml": {title: "Duplicate ids", items: 1, titles: []string{"Entry 1"}},
	"dup_ids.json":     {title: "Duplicate ids", items: 2, titles: []string{"J1", "Number 7"}},
	"same_link_different_guids.xml": {title: "Same link", items: 2,
		links: []string{"https://hostile.example/story", "https://hostile.example/story"}},
	"whitespace_items.xml": {title: "", items: 1, titles: []string{"(untitled)"}},
	"guid_links.xml": {title: "GUIDs as links", items: 5,
		links: []string{"", "https://hostile.example/p/1", "https://hostile.example/p/2",
			"https://hostile.example/relative/path", ""}},
	"json_null_items.json": {title: "Nulls", items: 3, titles: []string{"After a null", "(untitled)", "Null authors"},
		authors: []string{"", "", "Real Name"}},
	"json_wrong_types.json": {err: "parse feed: json: cannot unmarshal number"},
	"not_feed_json.json":    {err: "not a feed: a JSON document that is not a JSON Feed"},
	"not_feed_svg.xml":      {err: "not a feed: root element is <svg>"},
	"not_feed_text.txt":     {err: "not a feed: neither XML nor JSON"},
	"empty_file.xml":        {err: "empty document"},
}

// corpusEveryField is the outcome of the esc_every_field files: the same
// feed with a different escape sequence in each field, raw, as references
// or in CDATA. Every sequence goes whole, links included.
var corpusEveryField = corpusWant{title: "Every field", items: 1, titles: []string{"Item title here"},
	links: []string{"https://hostile.example/item"}, authors: []string{"Mal lory"},
	bodyHas: []string{"Content with click and more"}}

// corpusRemnants are pieces of the corpus's escape sequences: none may be
// left over in the text of a parsed feed. (Every OSC, DCS, APC, PM and SOS
// payload in the corpus says PWNED, or UFdORUQ=, its base64.) Links are
// URLs, not text: what a sequence leaves there is percent-encoded, and the
// table gives each link exactly.
var corpusRemnants = []string{"PWNED", "UFdORUQ", "[2J", "[?1049", "[21t", "[14t", "[6n", "[31m", "[0m",
	"52;c", "]0;", "]2;", "]8;", "$q", "+q", "Gf=100"}

// corpusFiles returns every document of the corpus by file name.
func corpusFiles(t testing.TB) map[string][]byte {
	t.Helper()
	dir := filepath.Join("..", "testdata", "hostile")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	docs := make(map[string][]byte, len(entries))
	for _, e := range entries {
		if e.Name() == "README.md" {
			continue
		}
		if docs[e.Name()], err = os.ReadFile(filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	return docs
}

func TestHostileCorpus(t *testing.T) {
	docs := corpusFiles(t)
	for _, name := range slices.Sorted(maps.Keys(docs)) {
		doc := docs[name]
		want, ok := corpusWants[name]
		if !ok {
			t.Errorf("%s: not in corpusWants: say what Parse must make of it", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			if len(doc) >= 64<<10 {
				t.Errorf("%d bytes: corpus files stay under 64 KB; make big documents in a test", len(doc))
			}
			got, err := Parse(doc, corpusFeedURL, "")
			corpusCheck(t, got, err, want)
		})
	}
	for name := range corpusWants {
		if _, ok := docs[name]; !ok {
			t.Errorf("%s: in corpusWants but not in feed/testdata/hostile", name)
		}
	}
	if len(docs) < 45 {
		t.Errorf("%d corpus files, want at least 45", len(docs))
	}
}

// corpusCheck compares Parse's result with want, and checks what every
// result must be whatever the document (corpusCheckSafe).
func corpusCheck(t *testing.T, got Parsed, err error, want corpusWant) {
	t.Helper()
	if want.err != "" {
		if err == nil {
			t.Fatalf("no error, want one containing %q; got %d items", want.err, len(got.Items))
		}
		if !strings.Contains(err.Error(), want.err) {
			t.Errorf("error %q, want it to contain %q", err, want.err)
		}
		corpusCheckString(t, "error", err.Error())
		if got.Title != "" || got.Link != "" || len(got.Items) != 0 {
			t.Errorf("a result with the error: %+v", got)
		}
		return
	}
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	corpusCheckSafe(t, got, !want.literal)
	if got.Title != want.title {
		t.Errorf("feed title = %q, want %q", got.Title, want.title)
	}
	if len(got.Items) != want.items {
		t.Fatalf("%d items, want %d: %q", len(got.Items), want.items, corpusTitles(got))
	}
	corpusCheckField(t, "title", got, want.titles, func(a articles.Article) string { return a.Title })
	corpusCheckField(t, "link", got, want.links, func(a articles.Article) string { return a.Link })
	corpusCheckField(t, "author", got, want.authors, func(a articles.Article) string { return a.Author })
	var bodies strings.Builder
	for _, a := range got.Items {
		bodies.WriteString(corpusShown(a.Body) + "\n")
	}
	for _, s := range want.bodyHas {
		if !strings.Contains(bodies.String(), s) {
			t.Errorf("no body contains %q; bodies:\n%s", s, bodies.String())
		}
	}
	for _, s := range want.bodyNot {
		if strings.Contains(bodies.String(), s) {
			t.Errorf("a body contains %q; bodies:\n%s", s, bodies.String())
		}
	}
}

// corpusCheckField compares one field of every article with want, if set.
func corpusCheckField(t *testing.T, field string, got Parsed, want []string, of func(articles.Article) string) {
	t.Helper()
	if want == nil {
		return
	}
	var have []string
	for _, a := range got.Items {
		have = append(have, of(a))
	}
	if !slices.Equal(have, want) {
		t.Errorf("%ss = %q, want %q", field, have, want)
	}
}

func corpusTitles(p Parsed) []string {
	var out []string
	for _, a := range p.Items {
		out = append(out, a.Title)
	}
	return out
}

// corpusShown returns a markdown body as a reader sees its text: the
// converter puts a WORD JOINER (U+2060, invisible) after an '&' that
// would otherwise start an entity, so "&amp;" in a body shows as "&amp;".
func corpusShown(md string) string { return strings.ReplaceAll(md, "\u2060", "") }

// corpusTitleMax is the longest title (feed or article) Parse may return,
// in characters, "…" included.
const corpusTitleMax = 1000

// corpusCheckSafe checks what every parsed result must be: every string
// safe for a terminal, links http(s) or empty, titles of a sane length,
// bodies whose link targets are http(s) or mailto and without raw
// <script>, one article per GUID, and (if remnants) no piece of an
// escape sequence left in the text.
func corpusCheckSafe(t *testing.T, p Parsed, remnants bool) {
	t.Helper()
	all := map[string]string{"feed title": p.Title, "feed link": p.Link}
	text := map[string]string{"feed title": p.Title} // shown as text: not links
	corpusCheckLink(t, "feed link", p.Link)
	corpusCheckTitle(t, "feed title", p.Title)
	guids := map[string]int{}
	for i, a := range p.Items {
		name := func(field string) string { return fmt.Sprintf("item %d %s", i, field) }
		for field, s := range map[string]string{"ID": a.ID, "Feed": a.Feed, "Link": a.Link, "Body": a.Body} {
			all[name(field)] = s
		}
		for field, s := range map[string]string{"GUID": a.GUID, "Source": a.Source, "Title": a.Title, "Author": a.Author} {
			all[name(field)], text[name(field)] = s, s
		}
		corpusCheckLink(t, name("link"), a.Link)
		corpusCheckTitle(t, name("title"), a.Title)
		if a.Feed != corpusFeedURL || a.Source != p.Title {
			t.Errorf("%s: Feed %q Source %q, want %q and the feed's title %q", name(""), a.Feed, a.Source, corpusFeedURL, p.Title)
		}
		if a.Sanitized() != a {
			t.Errorf("%s: changes when sanitised: %+v", name(""), a)
		}
		if j, dup := guids[a.GUID]; dup {
			t.Errorf("items %d and %d have the same GUID %q", j, i, a.GUID)
		}
		guids[a.GUID] = i
		prose := corpusProse(a.Body)
		if strings.Contains(strings.ToLower(prose), "<script") {
			t.Errorf("%s: raw <script in %q", name("body"), a.Body)
		}
		shown := a.Body
		for _, target := range corpusLinkTargets(prose) {
			if !corpusTargetAllowed(target) {
				t.Errorf("%s: link target %q in %q", name("body"), target, a.Body)
			}
			shown = strings.ReplaceAll(shown, target, "")
		}
		text[name("body")] = shown
	}
	for name, s := range all {
		corpusCheckString(t, name, s)
	}
	for name, s := range text {
		for _, r := range corpusRemnants {
			if remnants && strings.Contains(s, r) {
				t.Errorf("%s: %q is left of an escape sequence in %q", name, r, s)
			}
		}
	}
}

// corpusCheckString fails if s is not safe to write to a terminal: a byte
// below 0x20 other than \n and \t, DEL, a C1 control, a bidi embedding,
// override or isolate, or invalid UTF-8.
func corpusCheckString(t *testing.T, name, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s: invalid UTF-8 in %q", name, s)
	}
	for i, r := range s {
		switch {
		case r < 0x20 && r != '\n' && r != '\t', r == 0x7f, r >= 0x80 && r <= 0x9f,
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			t.Errorf("%s: unsafe rune %U at %d in %q", name, r, i, s)
			return
		}
	}
}

// corpusCheckLink fails unless link is empty or an absolute http(s) URL.
func corpusCheckLink(t *testing.T, name, link string) {
	t.Helper()
	if link == "" {
		return
	}
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		t.Errorf("%s: %q is not an absolute http(s) URL", name, link)
	}
}

func corpusCheckTitle(t *testing.T, name, title string) {
	t.Helper()
	if n := utf8.RuneCountInString(title); n > corpusTitleMax {
		t.Errorf("%s: %d characters, want at most %d", name, n, corpusTitleMax)
	}
}

// corpusTargetAllowed reports whether a markdown link target is one
// htmlmd.Convert may write: an absolute http(s) URL, or mailto.
func corpusTargetAllowed(target string) bool {
	u, err := url.Parse(target)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return true
	}
	return false
}

// corpusFenceRe matches a line that opens or closes a fenced code block.
var corpusFenceRe = regexp.MustCompile("^ {0,3}(```|~~~)")

// corpusProse returns md without its fenced code blocks and code spans:
// what they hold, a renderer shows as written, never as a link or HTML.
func corpusProse(md string) string {
	var b strings.Builder
	inFence := false
	for line := range strings.SplitSeq(md, "\n") {
		if corpusFenceRe.MatchString(line) {
			inFence = !inFence
			continue
		}
		if !inFence {
			b.WriteString(line + "\n")
		}
	}
	return corpusWithoutCodeSpans(b.String())
}

// corpusWithoutCodeSpans removes `code spans`: a run of backticks that
// is not escaped opens one, the next run of the same length closes it.
// A run without its closing run is literal.
func corpusWithoutCodeSpans(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			b.WriteString(s[i : i+2])
			i++
		case s[i] == '`':
			n := 1
			for i+n < len(s) && s[i+n] == '`' {
				n++
			}
			closing := corpusFindRun(s[i+n:], n)
			if closing < 0 {
				b.WriteString(s[i : i+n])
				i += n - 1
				continue
			}
			i += n + closing + n - 1
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// corpusFindRun returns where in s a run of exactly n backticks starts, or -1.
func corpusFindRun(s string, n int) int {
	for i := 0; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '`' {
			j++
		}
		if j-i == n {
			return i
		}
		i = j
	}
	return -1
}

// corpusAutolinkRe matches a markdown autolink, <scheme:...>.
var corpusAutolinkRe = regexp.MustCompile(`^<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^<>\s]*)>`)

// corpusLinkTargets returns every target in markdown prose that a
// renderer would make a link of: [text](target) and ![alt](target), with
// brackets matched and backslash escapes honoured; reference definitions
// [label]: target; and autolinks <scheme:...>.
func corpusLinkTargets(prose string) []string {
	var out []string
	var open int // unescaped '[' not yet closed
	for i := 0; i < len(prose); i++ {
		switch prose[i] {
		case '\\':
			i++ // what follows is escaped
		case '[':
			open++
		case ']':
			if open == 0 {
				continue
			}
			open--
			if rest := prose[i+1:]; strings.HasPrefix(rest, "(") || strings.HasPrefix(rest, ":") {
				target, n := corpusTarget(rest[1:])
				if target != "" {
					out = append(out, target)
				}
				i += 1 + n
			}
		case '<':
			if m := corpusAutolinkRe.FindStringSubmatch(prose[i:]); m != nil {
				out = append(out, m[1])
			}
		}
	}
	return out
}

// corpusTarget returns the link destination at the start of s (after the
// "(" or ":"), without its angle brackets, and how many bytes of s it
// takes.
func corpusTarget(s string) (target string, n int) {
	lead := len(s) - len(strings.TrimLeft(s, " \t\n"))
	s = s[lead:]
	if strings.HasPrefix(s, "<") {
		if end := strings.IndexByte(s, '>'); end > 0 {
			return s[1:end], lead + end + 1
		}
	}
	end := strings.IndexAny(s, " \t\n)")
	if end < 0 {
		end = len(s)
	}
	return s[:end], lead + end
}

// TestCorpusLinkTargets makes sure the link finder the corpus test relies
// on finds links, and does not find escaped or code text.
func TestCorpusLinkTargets(t *testing.T) {
	tests := []struct {
		md   string
		want []string
	}{
		{"[a](https://x.example/) and ![i](javascript:alert(1))", []string{"https://x.example/", "javascript:alert(1"}},
		{`\[a](javascript:x) and [b\](javascript:y)`, nil},
		{"[outer [inner]](data:x)", []string{"data:x"}},
		{"[ref]: javascript:x\n\n[ref]", []string{"javascript:x"}},
		{"<javascript:alert(1)> and \\<vbscript:x>", []string{"javascript:alert(1)"}},
		{"[a]( <data:x> )", []string{"data:x"}},
	}
	for _, tt := range tests {
		if got := corpusLinkTargets(corpusProse(tt.md)); !slices.Equal(got, tt.want) {
			t.Errorf("corpusLinkTargets(%q) = %q, want %q", tt.md, got, tt.want)
		}
	}
	for _, md := range []string{"```\n[a](javascript:x)\n<script>\n```", "`[a](javascript:x)` and ``<script>``"} {
		if p := corpusProse(md); strings.Contains(p, "javascript") || strings.Contains(p, "<script") {
			t.Errorf("corpusProse(%q) = %q: code is not prose", md, p)
		}
	}
}

// TestHostileDates: dates in odd formats, far in the future or before
// 1970 parse without error; what cannot be read is no date (zero). Parse
// has no clock, so a date in the future is kept as the feed says.
func TestHostileDates(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "testdata", "hostile", "dates_odd.xml"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(doc, corpusFeedURL, "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{ // title → published, RFC 3339; "" for none
		"Date: year 9999":    "9999-12-31T23:59:59Z",
		"Date: far future":   "2500-01-01T00:00:00Z",
		"Date: before 1970":  "1969-12-31T23:59:59Z",
		"Date: 1900":         "1900-01-01T00:00:00Z",
		"Date: year 1":       "", // 0001-01-01T00:00:00Z is the zero time
		"Date: year 0":       "0000-01-01T00:00:00Z",
		"Date: iso no zone":  "2024-03-04T05:06:07Z",
		"Date: garbage":      "",
		"Date: unix seconds": "",
		"Date: month 13":     "",
		"Date: rfc850":       "1994-11-06T08:49:37Z",
		"Date: offset +14":   "2006-01-02T01:04:05Z",
		"Date: huge offset":  "",
		"Date: empty":        "",
	}
	if len(got.Items) != len(want) {
		t.Fatalf("%d items, want %d", len(got.Items), len(want))
	}
	for _, a := range got.Items {
		w, ok := want[a.Title]
		if !ok {
			t.Errorf("unexpected item %q", a.Title)
			continue
		}
		var wantTime time.Time
		if w != "" {
			wantTime = testDate(w)
		}
		if !a.Published.Equal(wantTime) || a.Published.Location() != time.UTC {
			t.Errorf("%s: published %v, want %v in UTC", a.Title, a.Published, wantTime)
		}
	}
}

// ---- Documents whose size is the point ----

// corpusRSS returns an RSS document with items made by item(i) for i < n.
func corpusRSS(n int, item func(b *bytes.Buffer, i int)) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<rss version="2.0" xmlns:x="https://x.example/"><channel><title>Big</title><link>https://big.example/</link>` + "\n")
	for i := range n {
		item(&b, i)
	}
	b.WriteString("</channel></rss>\n")
	return b.Bytes()
}

// corpusPlainItem writes a short item with a title, link, GUID, date and
// one line of text.
func corpusPlainItem(b *bytes.Buffer, i int) {
	fmt.Fprintf(b, "<item><title>Item %d</title><link>https://big.example/%d</link><guid>g%d</guid>"+
		"<pubDate>Mon, 02 Jan 2006 15:04:05 GMT</pubDate><description>Text of item %d.</description></item>\n", i, i, i, i)
}

// corpusNested returns a document whose elements nest depth deep in all:
// the shape puts the nest where a parser meets it.
func corpusNested(shape string, depth int) []byte {
	open, close := "<x:a>", "</x:a>"
	var head, tail string
	switch shape {
	case "extension elements": // gofeed parses these recursively
		head, tail = `<rss version="2.0" xmlns:x="https://x.example/"><channel><title>t</title><item><guid>1</guid>`, "</item></channel></rss>"
	case "unknown elements": // gofeed skips these
		head, tail = `<rss version="2.0"><channel><title>t</title><item><guid>1</guid>`, "</item></channel></rss>"
		open, close = "<a>", "</a>"
	case "markup in a description": // read as the description's inner XML
		head, tail = `<rss version="2.0"><channel><title>t</title><item><guid>1</guid><description>`, "</description></item></channel></rss>"
		open, close = "<b>", "</b>"
	case "atom xhtml content":
		head = `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>1</id><content type="xhtml">`
		tail = "</content></entry></feed>"
		open, close = "<div>", "</div>"
	case "json arrays":
		head, tail = `{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","x":`, "}]}"
		open, close = "[", "]"
	default:
		panic(shape)
	}
	// The elements head leaves open: each "</" closes one it opened.
	outer := strings.Count(head, "<") - 2*strings.Count(head, "</")
	if open == "[" {
		outer = 3 // the object, its items array and the item
	}
	n := max(depth-outer, 0)
	var b bytes.Buffer
	b.Grow(len(head) + n*(len(open)+len(close)) + len(tail) + 4)
	b.WriteString(head)
	b.WriteString(strings.Repeat(open, n))
	if open == "[" {
		b.WriteString("0")
	} else {
		b.WriteString("deep")
	}
	b.WriteString(strings.Repeat(close, n))
	b.WriteString(tail)
	return b.Bytes()
}

var corpusShapes = []string{"extension elements", "unknown elements", "markup in a description", "atom xhtml content", "json arrays"}

// TestHostileDeepNesting: however deeply a document nests, Parse returns
// (an error), without a stack overflow, which no recover would catch. A
// 16 MiB document (the fetcher's cap) of <x:a> nests 3 million deep.
func TestHostileDeepNesting(t *testing.T) {
	for _, shape := range corpusShapes {
		for _, depth := range []int{10_000, 1_000_000} {
			t.Run(fmt.Sprintf("%s %d", shape, depth), func(t *testing.T) {
				got, err := Parse(corpusNested(shape, depth), corpusFeedURL, "")
				want := "parse feed: elements nested more than 1000 deep"
				if shape == "json arrays" {
					// encoding/json's own limit: 10,000 levels.
					want = "exceeded max depth"
					if depth <= 10_000 {
						want = ""
					}
				}
				switch {
				case want == "" && (err != nil || len(got.Items) != 1):
					t.Errorf("err = %v, %d items; want 1 item", err, len(got.Items))
				case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
					t.Errorf("err = %v, want one containing %q; got %d items", err, want, len(got.Items))
				}
			})
		}
	}
}

// TestHostileNestingAtFetchCap: the deepest document the fetcher lets
// through, 16 MiB of <x:a>, is refused, not a crash. (Without the limit
// gofeed's recursion passes the 1 GB stack limit: "fatal error: stack
// overflow", which ends the program.)
func TestHostileNestingAtFetchCap(t *testing.T) {
	head := `<rss version="2.0" xmlns:x="https://x.example/"><channel><title>t</title><item><guid>1</guid>`
	doc := []byte(head + strings.Repeat("<x:a>", (16<<20-len(head))/len("<x:a>")))
	if _, err := Parse(doc, corpusFeedURL, ""); err == nil || !strings.Contains(err.Error(), "nested more than") {
		t.Errorf("err = %v, want elements nested too deep", err)
	}
}

// TestHostileNestingLimit: a document nesting exactly as deep as allowed
// parses; one level more is refused, whatever the shape.
func TestHostileNestingLimit(t *testing.T) {
	for _, shape := range corpusShapes[:4] {
		t.Run(shape, func(t *testing.T) {
			if got, err := Parse(corpusNested(shape, maxDepth), corpusFeedURL, ""); err != nil || len(got.Items) != 1 {
				t.Errorf("%d deep: %d items, err %v; want 1 item", maxDepth, len(got.Items), err)
			}
			if _, err := Parse(corpusNested(shape, maxDepth+1), corpusFeedURL, ""); err == nil {
				t.Errorf("%d deep: no error", maxDepth+1)
			}
		})
	}
}

// TestHostileHugeFields: a 1 MB title, feed title or author is cut to a
// sane length with "…"; the article keeps its place and its other fields.
func TestHostileHugeFields(t *testing.T) {
	words := strings.Repeat("lorem ipsum ", 1<<20/12)
	solid := strings.Repeat("x", 1<<20)
	doc := fmt.Sprintf(`<rss version="2.0"><channel><title>%s</title>
<item><guid>1</guid><title>%s</title><author>%s</author><description>d</description></item>
<item><guid>2</guid><title>%s</title></item></channel></rss>`, words, words, solid, solid)
	got, err := Parse([]byte(doc), corpusFeedURL, "")
	if err != nil {
		t.Fatal(err)
	}
	corpusCheckSafe(t, got, true)
	if len(got.Items) != 2 {
		t.Fatalf("%d items, want 2", len(got.Items))
	}
	for name, c := range map[string]struct{ got, from string }{
		"feed title":  {got.Title, words},
		"item title":  {got.Items[0].Title, words},
		"solid title": {got.Items[1].Title, solid},
		"item source": {got.Items[0].Source, words},
		"item author": {got.Items[0].Author, solid},
	} {
		n := utf8.RuneCountInString(c.got)
		prefix := strings.TrimSuffix(c.got, "…")
		if n > corpusTitleMax || n < 100 || !strings.HasSuffix(c.got, "…") || !strings.HasPrefix(c.from, prefix) {
			t.Errorf("%s: %d characters %q…, want at most %d, a prefix of the original, ending in …",
				name, n, c.got[:min(len(c.got), 40)], corpusTitleMax)
		}
	}
	if got.Items[0].Body != "d" {
		t.Errorf("body = %q, want d", got.Items[0].Body)
	}
}

// TestHostile50000Items: one feed of 50,000 items gives its first 1,000
// articles, in order, and says it has more (see BenchmarkParse50000Items
// for the time it takes).
func TestHostile50000Items(t *testing.T) {
	if testing.Short() {
		t.Skip("a 9 MB document")
	}
	const n = 50_000
	got, err := Parse(corpusRSS(n, corpusPlainItem), corpusFeedURL, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != maxItems {
		t.Fatalf("%d items, want %d", len(got.Items), maxItems)
	}
	if want := []string{"feed has more than 1000 items: the first 1000 kept"}; !slices.Equal(got.Notes, want) {
		t.Errorf("notes %q, want %q", got.Notes, want)
	}
	for _, i := range []int{0, 1, maxItems / 2, maxItems - 1} {
		a := got.Items[i]
		if want := fmt.Sprintf("Item %d", i); a.Title != want || a.GUID != fmt.Sprintf("guid:g%d", i) || a.Body != fmt.Sprintf("Text of item %d.", i) {
			t.Errorf("item %d: %q %q %q, want %q", i, a.Title, a.GUID, a.Body, want)
		}
	}
}

// TestHostile20MB: a 20 MB document of items with HTML bodies parses (the
// fetcher stops at 16 MiB; Parse has no limit of its own), its first
// 1,000 items whole.
func TestHostile20MB(t *testing.T) {
	if testing.Short() {
		t.Skip("a 20 MB document")
	}
	// Mostly text: HTML with many tags converts at about 1.5 MB/s, and the
	// point here is the size of the document.
	para := "<p>" + strings.Repeat("A sentence of plain text in a paragraph. ", 50) + `<a href="/rel">a link</a>.</p>`
	item := func(b *bytes.Buffer, i int) {
		fmt.Fprintf(b, "<item><title>Item %d</title><link>https://big.example/%d</link><description><![CDATA[%s]]></description></item>\n", i, i, para)
	}
	n := 20<<20/(len(para)+120) + 1
	doc := corpusRSS(n, item)
	if len(doc) < 20e6 {
		t.Fatalf("document of %d bytes, want 20 MB", len(doc))
	}
	got, err := Parse(doc, corpusFeedURL, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Items) != maxItems {
		t.Fatalf("%d items, want %d", len(got.Items), maxItems)
	}
	if last := got.Items[maxItems-1]; !strings.Contains(last.Body, "[a link](https://big.example/rel)") {
		t.Errorf("last body = %.200q", last.Body)
	}
}

// BenchmarkParse50000Items parses one feed of 50,000 short items, of
// which the first 1,000 are kept.
func BenchmarkParse50000Items(b *testing.B) {
	data := corpusRSS(50_000, corpusPlainItem)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		p, err := Parse(data, "https://big.example/feed.xml", "")
		if err != nil || len(p.Items) != maxItems {
			b.Fatalf("Parse: %v, %d items", err, len(p.Items))
		}
	}
}
