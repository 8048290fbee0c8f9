package parse

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	gofeedjson "github.com/mmcdole/gofeed/json"
	"github.com/mmcdole/gofeed/rss"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"

	"tidings/articles"
	"tidings/articles/termsafe"
	"tidings/feed/htmlmd"
)

// Parsed is a feed document read into articles.
type Parsed struct {
	Title string             // the feed's title, sanitised (termsafe.Line); may be empty
	Link  string             // the feed's web site, resolved, http(s) only, else ""
	Items []articles.Article // in document order, the first of each GUID
	// Notes say what of the document was left out, and why: e.g. "feed has
	// more than 1000 items: the first 1000 kept". A refresh reports them
	// with the feed.
	Notes []string
}

// The errors Parse returns for documents that are no feed at all.
var (
	errEmpty    = errors.New("empty document")
	errHTMLPage = errors.New("not a feed: got an HTML page")
)

// parserError is a parser's error with "parse feed: " before it, as
// fmt.Errorf("parse feed: %w", err) would make it, but with its message
// made safe to show: parsers quote the document in their errors (element
// names, entities), and the document is a stranger's.
type parserError struct{ err error }

func (e *parserError) Error() string { return "parse feed: " + Shorten(e.err.Error(), 200) }
func (e *parserError) Unwrap() error { return e.err }

// titleMax is how many characters of an untitled item's text make its title.
const titleMax = 80

// titleStoredMax and nameMax are the most characters, "…"
// included, of a title (the feed's or an item's) and of an author. They
// are one line in the list and the reader's heading; a feed that puts a
// whole article, or a megabyte, in one is cut.
const (
	titleStoredMax = 1000
	nameMax        = 200
)

// maxDepth is how deeply the elements of a document may nest. gofeed
// parses extension elements recursively, a call per level, and a 16 MiB
// document (the fetcher's cap) of <x:a> nests 3 million deep: that
// exhausts the goroutine's stack, a fatal error that no recover catches,
// and takes the whole program down. Real feeds nest a few dozen levels;
// x/net/html refuses HTML nested deeper than 512.
const maxDepth = 1000

// Parse reads an RSS 0.9x/1.0/2.0, Atom or JSON Feed 1.x document.
// feedURL is where it was fetched from (or a file path/URL for local files); it resolves relative links.
// contentType is the HTTP Content-Type header, "" if none; its charset wins over the XML declaration.
//
// The document is decoded to UTF-8 first (see decode). Only its first
// 1,000 items, and 100,000 elements of structure, are read, so that its
// memory is bounded whatever it holds (see maxItems); Notes says when
// more were left out. An HTML page, an empty document and anything
// neither XML nor JSON give an error that says so; a malformed feed, or
// one nested deeper than maxDepth or with an element of more than
// maxAttrs attributes, gives "parse feed: " and the reason. No input
// makes Parse panic.
func Parse(body []byte, feedURL, contentType string) (parsed Parsed, err error) {
	return parse(body, feedURL, contentType, true)
}

// parse is Parse; stream says whether the streaming decoder may read the
// document (the tests compare it with gofeed's way).
func parse(body []byte, feedURL, contentType string, stream bool) (parsed Parsed, err error) {
	defer func() {
		if r := recover(); r != nil {
			parsed, err = Parsed{}, &parserError{fmt.Errorf("internal error: %v", r)}
		}
	}()

	doc := decode(body, contentType)
	sniff := sniffDoc(doc)
	switch sniff.kind {
	case kindEmpty:
		return Parsed{}, errEmpty
	case kindHTML:
		return Parsed{}, errHTMLPage
	case kindXML:
		if p, ok := parseStream(doc, sniff.name, feedURL, stream); ok {
			return p, nil
		}
	}
	doc, notes, err := capDoc(doc, sniff.kind)
	if err != nil {
		return Parsed{}, &parserError{err}
	}
	f, orig, err := runSniffed(doc, sniff)
	if err != nil {
		return Parsed{}, err
	}
	parsed = convert(f, orig, feedURL)
	parsed.Notes = notes
	return parsed, nil
}

// parseStream reads an RSS 2.0 or Atom 1.0 document of the common kind
// with the streaming decoder (see stream.go), which does in one pass
// what capDoc and gofeed do in two and many allocations; ok is false
// when the decoder declines it, or stream is false.
func parseStream(doc []byte, root, feedURL string, stream bool) (parsed Parsed, ok bool) {
	if !stream || root != "rss" && root != "feed" {
		return Parsed{}, false
	}
	f, orig, notes, ok := streamDecode(dropControlBytes(doc), root)
	if !ok {
		return Parsed{}, false
	}
	parsed = convert(f, orig, feedURL)
	parsed.Notes = notes
	return parsed, true
}

// capDoc cuts what is past the item and element caps before any parser
// builds it (see maxItems), and notes what it cut.
func capDoc(doc []byte, kind docKind) ([]byte, []string, error) {
	if kind == kindJSON {
		doc, notes := capJSON(doc)
		return doc, notes, nil
	}
	// Also for kindOther: gofeed finds a root element after text.
	return capXML(dropControlBytes(doc))
}

// runSniffed runs the parsers on doc, a document of the kind sniffed,
// and says why when it is no feed.
func runSniffed(doc []byte, sniff sniffed) (f *gofeed.Feed, orig any, err error) {
	f, orig, err = run(doc)
	if errors.Is(err, errPanicked) && sniff.kind == kindJSON {
		// gofeed dereferences the entries of JSON arrays unchecked, so
		// "items": [null] panics; a null entry says nothing, so drop them.
		if clean, ok := dropJSONNulls(doc); ok {
			f, orig, err = run(clean)
		}
	}
	if errors.Is(err, gofeed.ErrFeedTypeNotDetected) && sniff.kind == kindXML {
		// gofeed detects the format in the first 4 KB only, and gives up
		// if that much does not tokenise; a long comment or many processing
		// instructions push the root further. When there is a feed's root
		// element, run that format's parser, which has no such limit: the
		// feed is read, or if it is broken the error says where.
		f, orig, err = runAs(sniff.name, doc)
	}
	switch {
	case errors.Is(err, gofeed.ErrFeedTypeNotDetected):
		if sniff.kind == kindXML {
			return nil, nil, fmt.Errorf("not a feed: root element is <%s>, not <rss>, <rdf:RDF> or <feed>",
				Shorten(sniff.name, 40))
		}
		return nil, nil, errors.New("not a feed: neither XML nor JSON")
	case err != nil:
		return nil, nil, &parserError{err}
	}
	if jf, ok := orig.(*gofeedjson.Feed); ok && !strings.Contains(jf.Version, "jsonfeed.org/version/") && len(jf.Items) == 0 {
		// encoding/json reads any object into a json.Feed, and many
		// objects have a "version" ("1.0.0" in a package.json).
		return nil, nil, errors.New("not a feed: a JSON document that is not a JSON Feed")
	}
	return f, orig, nil
}

// errPanicked is wrapped by the error of a parser that panicked.
var errPanicked = errors.New("parser panicked")

// run runs gofeed on doc, turning a panic in it into an error. It
// returns gofeed's feed and the format's own (*rss.Feed, *atom.Feed or
// *json.Feed), which knows more about content types.
func run(doc []byte) (f *gofeed.Feed, orig any, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, orig, err = nil, nil, fmt.Errorf("%w: %v", errPanicked, r)
		}
	}()
	p := gofeed.NewParser()
	p.KeepOriginalFeed = true
	p.RSSTranslator = rssTranslator
	if f, err = p.Parse(bytes.NewReader(doc)); err != nil {
		return nil, nil, err
	}
	return f, f.OriginalFeed(), nil
}

// rssTranslator is gofeed's, without the search for a first image in
// every item's HTML (a full HTML parse each, and the image is not used).
var rssTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}

// runAs runs the parser for the root element root (rss, rdf:RDF or
// feed; any prefix) on doc and translates its result as gofeed.Parser
// would. Other roots give gofeed.ErrFeedTypeNotDetected.
func runAs(root string, doc []byte) (f *gofeed.Feed, orig any, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, orig, err = nil, nil, fmt.Errorf("%w: %v", errPanicked, r)
		}
	}()
	var tr gofeed.Translator
	switch strings.ToLower(root[strings.IndexByte(root, ':')+1:]) {
	case "rss", "rdf":
		orig, err = (&rss.Parser{}).Parse(bytes.NewReader(doc))
		tr = rssTranslator
	case "feed":
		orig, err = (&atom.Parser{}).Parse(bytes.NewReader(doc))
		tr = &gofeed.DefaultAtomTranslator{}
	default:
		return nil, nil, gofeed.ErrFeedTypeNotDetected
	}
	if err != nil {
		return nil, nil, err
	}
	if f, err = tr.Translate(orig); err != nil {
		return nil, nil, err
	}
	return f, orig, nil
}

// dropJSONNulls returns the JSON document doc without the nulls in
// its arrays, or ok == false if doc does not decode.
func dropJSONNulls(doc []byte) (clean []byte, ok bool) {
	d := json.NewDecoder(bytes.NewReader(doc))
	d.UseNumber() // numbers come out as they came in
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, false
	}
	clean, err := json.Marshal(dropNulls(v))
	return clean, err == nil
}

// dropNulls removes the nulls from every array in v. (encoding/json
// refuses documents nested over 10,000 deep, which bounds the recursion.)
func dropNulls(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = dropNulls(e)
		}
	case []any:
		kept := v[:0]
		for _, e := range v {
			if e != nil {
				kept = append(kept, dropNulls(e))
			}
		}
		return kept
	}
	return v
}

// ---- Decoding ----

// decode returns body as UTF-8. The encoding comes from, in order:
//
//   - a byte order mark (UTF-8, UTF-16 LE/BE), or without one a first
//     '<' or '{' in UTF-16: bytes laid out as UTF-16 cannot be anything
//     else, whatever a header claims;
//   - the charset of contentType;
//   - the encoding in the XML declaration;
//   - else UTF-8, the default of XML and the only encoding of JSON.
//
// A label nobody knows is skipped. Afterwards the XML declaration, if any,
// is made to say UTF-8, so encoding/xml inside gofeed does not decode a
// second time; invalid UTF-8 becomes U+FFFD rather than failing the feed.
func decode(body []byte, contentType string) []byte {
	var enc encoding.Encoding
	switch {
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		body = body[3:]
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		enc = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		enc = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
	case len(body) >= 4 && (body[0] == '<' || body[0] == '{') && body[1] == 0 && body[3] == 0:
		enc = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	case len(body) >= 4 && body[0] == 0 && (body[1] == '<' || body[1] == '{') && body[2] == 0:
		enc = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	default:
		var known bool
		enc, known = lookupCharset(contentTypeCharset(contentType))
		if !known {
			enc, _ = lookupCharset(declaredEncoding(body))
		}
	}
	if enc != nil {
		if dec, err := enc.NewDecoder().Bytes(body); err == nil {
			body = dec
		}
	}
	body = bytes.TrimPrefix(body, []byte("\uFEFF"))
	return fixControls(fixUTF8(rewriteDeclaration(body)))
}

// contentTypeCharset returns the charset parameter of a Content-Type
// header, "" if there is none.
func contentTypeCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return params["charset"]
}

// declRe matches an XML declaration at the start of a document, with
// its encoding pseudo-attribute (group 2 is the value).
var declRe = regexp.MustCompile(`^[ \t\r\n]*<\?xml\s[^>]*?(encoding\s*=\s*["']([^"']*)["'])`)

// declaredEncoding returns the encoding named by the XML declaration
// at the start of body, "" if there is none.
func declaredEncoding(body []byte) string {
	head := body[:min(len(body), 512)] // the declaration is short and first
	if m := declRe.FindSubmatch(head); m != nil {
		return string(m[2])
	}
	return ""
}

// lookupCharset returns the decoder for a charset label (nil for
// UTF-8: nothing to do) and whether the label is one to follow: it is not
// when it is unknown, or UTF-16: a document that got this far has no BOM
// and is not laid out as UTF-16, so that label is wrong.
func lookupCharset(label string) (enc encoding.Encoding, known bool) {
	label = strings.TrimSpace(label)
	if label == "" {
		return nil, false
	}
	enc, name := charset.Lookup(label)
	switch {
	case enc == nil || strings.HasPrefix(name, "utf-16"):
		return nil, false
	case name == "utf-8":
		return nil, true
	}
	return enc, true
}

// rewriteDeclaration makes the XML declaration at the start of doc (if
// it names an encoding) say UTF-8, which doc now is.
func rewriteDeclaration(doc []byte) []byte {
	head := doc[:min(len(doc), 512)]
	loc := declRe.FindSubmatchIndex(head)
	if loc == nil {
		return doc
	}
	start, end := loc[2], loc[3] // the whole encoding="..." pseudo-attribute
	out := make([]byte, 0, len(doc))
	out = append(out, doc[:start]...)
	out = append(out, `encoding="UTF-8"`...)
	return append(out, doc[end:]...)
}

// fixUTF8 replaces every byte of doc that is not valid UTF-8, and the
// noncharacters U+FFFE and U+FFFF that encoding/xml refuses, with U+FFFD,
// so a badly encoded feed still reads (its damage stays visible). It returns
// doc itself when there is nothing to replace.
func fixUTF8(doc []byte) []byte {
	if utf8.Valid(doc) && !bytes.Contains(doc, []byte("\uFFFE")) && !bytes.Contains(doc, []byte("\uFFFF")) {
		return doc
	}
	out := make([]byte, 0, len(doc)+16)
	for i := 0; i < len(doc); {
		r, n := utf8.DecodeRune(doc[i:])
		if r == utf8.RuneError || r == 0xFFFE || r == 0xFFFF {
			out = utf8.AppendRune(out, utf8.RuneError)
		} else {
			out = append(out, doc[i:i+n]...)
		}
		i += n
	}
	return out
}

// fixControls rewrites what XML 1.0 forbids but feeds contain: control
// characters, raw or as character references like &#27;. encoding/xml
// rejects the whole document for one such reference, and gofeed drops raw
// control bytes, which would leave the rest of an escape sequence ("[31m")
// behind as text. So an ESC that starts a sequence is rewritten, together
// with the byte after it, into the equivalent 8-bit C1 control (ESC [ into
// U+009B, ESC ] into U+009D, ESC \ into U+009C, ...), which XML allows and
// termsafe.Text removes with its payload exactly as it would the 7-bit
// form; BEL, which ends an OSC, becomes ST (U+009C); other controls are
// removed, as termsafe.Text would remove them; and references to U+FFFE, U+FFFF,
// surrogates or beyond Unicode become U+FFFD. Inside CDATA sections
// references are text and are left alone (the HTML they are part of is
// sanitised later); raw control bytes are rewritten everywhere.
func fixControls(doc []byte) []byte {
	if !bytes.Contains(doc, []byte("&#")) && bytes.IndexByte(doc, 0x1b) < 0 && bytes.IndexByte(doc, 0x07) < 0 {
		return doc
	}
	var out []byte // nil until the first change
	last := 0      // doc[last:] is not yet copied to out
	replace := func(from, to int, with string) {
		if out == nil {
			out = make([]byte, 0, len(doc))
		}
		out = append(out, doc[last:from]...)
		out = append(out, with...)
		last = to
	}
	inCDATA := false
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		switch {
		case c == 0x1b || c == 0x07:
			with, next := controlFor(rune(c), doc[i+1:])
			replace(i, i+1+next, with)
			i += next
		case inCDATA:
			if c == ']' && bytes.HasPrefix(doc[i:], []byte("]]>")) {
				inCDATA = false
				i += 2
			}
		case c == '<' && bytes.HasPrefix(doc[i:], []byte("<![CDATA[")):
			inCDATA = true
			i += len("<![CDATA[") - 1
		case c == '&' && i+1 < len(doc) && doc[i+1] == '#':
			r, n := charRef(doc[i:])
			if n == 0 || xmlChar(r) {
				continue
			}
			with, next := "\uFFFD", 0
			if r < 0x20 {
				with, next = controlFor(r, doc[i+n:])
			}
			replace(i, i+n+next, with)
			i += n + next - 1
		}
	}
	if out == nil {
		return doc
	}
	return append(out, doc[last:]...)
}

// controlFor returns what the C0 control r followed by rest becomes
// (see fixControls), and how many bytes of rest that takes along.
func controlFor(r rune, rest []byte) (with string, next int) {
	switch {
	case r == 0x1b && len(rest) > 0 && rest[0] >= 0x40 && rest[0] <= 0x5f &&
		!bytes.HasPrefix(rest, []byte("]]>")): // (not the end of a CDATA section)
		// ESC Fe and the C1 control 0x80+(Fe-0x40) are the same function.
		return string(rune(0x80 + int(rest[0]) - 0x40)), 1
	case r == 0x07:
		return "\u009c", 0
	}
	return "", 0
}

// charRef decodes the character reference (&#N; or &#xH;) at the start
// of s, returning its code point and length, or n == 0 if s does not start
// with a well-formed one.
func charRef(s []byte) (r rune, n int) {
	i, base := 2, 10
	if i < len(s) && (s[i] == 'x' || s[i] == 'X') {
		i, base = 3, 16
	}
	start := i
	var v int64
	for ; i < len(s) && i-start < 10; i++ {
		d := int64(-1)
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			d = int64(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			d = int64(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			d = int64(c-'A') + 10
		}
		if d < 0 {
			break
		}
		v = v*int64(base) + d
	}
	if i == start || i >= len(s) || s[i] != ';' {
		return 0, 0
	}
	if v > utf8.MaxRune {
		v = 0xFFFE // not a character: becomes U+FFFD
	}
	return rune(v), i + 1
}

// xmlChar reports whether XML 1.0 allows r (its Char production).
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// ---- Sniffing ----

type docKind int

const (
	kindOther docKind = iota // text, or markup that is not XML
	kindEmpty                // nothing but whitespace, comments, PIs
	kindXML                  // an XML root element: see name
	kindHTML                 // an HTML page
	kindJSON                 // starts with '{'
)

type sniffed struct {
	kind docKind
	name string // the root element's name, for kindXML
}

// sniffDoc finds what doc is: it skips whitespace, comments, processing
// instructions and a DOCTYPE, wherever they end, and looks at what follows.
func sniffDoc(doc []byte) sniffed {
	i := 0
	for {
		for i < len(doc) && (doc[i] == ' ' || doc[i] == '\t' || doc[i] == '\r' || doc[i] == '\n') {
			i++
		}
		rest := doc[i:]
		switch {
		case len(rest) == 0:
			return sniffed{kind: kindEmpty}
		case rest[0] == '{':
			return sniffed{kind: kindJSON}
		case bytes.HasPrefix(rest, []byte("<!--")):
			end := bytes.Index(rest[4:], []byte("-->"))
			if end < 0 {
				return sniffed{kind: kindOther}
			}
			i += 4 + end + 3
		case bytes.HasPrefix(rest, []byte("<?")):
			end := bytes.Index(rest, []byte("?>"))
			if end < 0 {
				return sniffed{kind: kindOther}
			}
			i += end + 2
		case len(rest) >= 9 && strings.EqualFold(string(rest[:9]), "<!doctype"):
			fields := strings.Fields(string(rest[9:min(len(rest), 64)]))
			if len(fields) > 0 && strings.EqualFold(strings.TrimRight(fields[0], ">"), "html") {
				return sniffed{kind: kindHTML}
			}
			end := doctypeEnd(rest)
			if end < 0 {
				return sniffed{kind: kindOther}
			}
			i += end
		case rest[0] == '<':
			n := 1
			for n < len(rest) && !strings.ContainsRune(" \t\r\n/>", rune(rest[n])) {
				n++
			}
			name := string(rest[1:n])
			local := name[strings.IndexByte(name, ':')+1:]
			if strings.EqualFold(local, "html") || strings.EqualFold(local, "head") || strings.EqualFold(local, "body") {
				return sniffed{kind: kindHTML}
			}
			if name == "" {
				return sniffed{kind: kindOther}
			}
			return sniffed{kind: kindXML, name: name}
		default:
			return sniffed{kind: kindOther}
		}
	}
}

// doctypeEnd returns the length of the DOCTYPE declaration that s
// starts with, internal subset ([...]) included, or -1 if it does not end.
func doctypeEnd(s []byte) int {
	inSubset := false
	var quote byte
	for i := 2; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[':
			inSubset = true
		case c == ']':
			inSubset = false
		case c == '>' && !inSubset:
			return i + 1
		}
	}
	return -1
}

// ---- Converting ----

// convert turns gofeed's feed into articles; orig is the format's own
// feed (see run).
func convert(f *gofeed.Feed, orig any, feedURL string) Parsed {
	c := newConverter(f, orig, feedURL)
	out := Parsed{Title: c.title, Link: c.link, Items: make([]articles.Article, 0, len(f.Items))}
	seen := make(map[string]bool, len(f.Items)) // GUIDs already taken
	for i, it := range f.Items {
		if it == nil {
			continue
		}
		a := c.article(i, it)
		if seen[a.GUID] {
			// A store keeps one article per GUID of a feed: a feed that
			// repeats one lists the same story twice, the first time where
			// it means it to be.
			continue
		}
		seen[a.GUID] = true
		out.Items = append(out.Items, a)
	}
	return out
}

// converter holds what every item of one feed is converted with.
type converter struct {
	feedURL     string
	base        *url.URL // feedURL, if it is absolute
	title, link string   // the feed's, made safe
	feedAuthor  string   // the author of items that name none
	atomEntries []*atom.Entry
	jsonItems   []*gofeedjson.Item
}

func newConverter(f *gofeed.Feed, orig any, feedURL string) *converter {
	c := &converter{feedURL: feedURL, base: feedBase(feedURL), title: cleanTitle(f.Title)}
	c.link = resolve(c.base, f.Link)
	if f.FeedType == "atom" || f.FeedType == "json" {
		// In Atom and JSON Feed the feed's authors are every entry's
		// authors unless the entry names its own (RFC 4287 §4.2.1).
		c.feedAuthor = personName(f.Authors, f.Author)
	}
	// The format's own items keep what gofeed's lose: an Atom content's
	// type, a JSON Feed item's content_text.
	switch orig := orig.(type) {
	case *atom.Feed:
		c.atomEntries = orig.Entries
	case *gofeedjson.Feed:
		c.jsonItems = orig.Items
	}
	return c
}

// article converts the feed's i-th item, it.
func (c *converter) article(i int, it *gofeed.Item) articles.Article {
	a := articles.Article{Feed: c.feedURL, Source: c.title}
	a.Link = itemLink(c.base, it)
	a.Author = personName(it.Authors, it.Author)
	if a.Author == "" {
		a.Author = c.feedAuthor
	}
	switch {
	case it.PublishedParsed != nil:
		a.Published = it.PublishedParsed.UTC()
	case it.UpdatedParsed != nil:
		a.Published = it.UpdatedParsed.UTC()
	}
	src := c.source(i, it)
	a.Body = src.markdown(c.contentBase(a.Link)) + enclosures(it.Enclosures, c.base)
	a.Title = itemTitle(it, src)
	a.GUID = itemGUID(it, a)
	return a
}

// itemLink returns the item's link, resolved, http(s) only.
func itemLink(base *url.URL, it *gofeed.Item) string {
	link := resolve(base, it.Link)
	if link == "" && len(it.Links) > 0 {
		link = resolve(base, it.Links[0])
	}
	if link == "" && it.Link == "" && len(it.Links) == 0 {
		// An RSS guid is a permalink unless it says otherwise; gofeed
		// keeps no isPermaLink, so take a guid that is an absolute
		// http(s) URL as the link when the item has none.
		link = resolve(nil, it.GUID)
	}
	return link
}

// contentBase returns what relative links in an item's body are relative
// to: the page the item copies, if it names one; else the site, else the
// feed.
func (c *converter) contentBase(link string) string {
	switch {
	case link != "":
		return link
	case c.link != "":
		return c.link
	case c.base != nil:
		return c.base.String()
	}
	return ""
}

// source picks the i-th item's body from the format's own item, which
// says whether it is HTML or text.
func (c *converter) source(i int, it *gofeed.Item) bodySource {
	switch {
	case i < len(c.atomEntries) && c.atomEntries[i] != nil:
		return atomBody(c.atomEntries[i])
	case i < len(c.jsonItems) && c.jsonItems[i] != nil:
		return jsonBody(c.jsonItems[i])
	}
	return rssBody(it)
}

// itemTitle returns the item's title, else the start of its text,
// else "(untitled)".
func itemTitle(it *gofeed.Item, src bodySource) string {
	if t := cleanTitle(it.Title); t != "" {
		return t
	}
	if t := Shorten(src.plainText(), titleMax); t != "" {
		return t
	}
	return "(untitled)"
}

// itemGUID names the item within its feed: its guid or id, else its
// link, else its title and date.
func itemGUID(it *gofeed.Item, a articles.Article) string {
	switch {
	case strings.TrimSpace(it.GUID) != "":
		return "guid:" + termsafe.Line(it.GUID)
	case a.Link != "":
		return "link:" + a.Link
	}
	date := ""
	if !a.Published.IsZero() {
		date = a.Published.Format(time.RFC3339)
	}
	return "title:" + a.Title + "|" + date
}

// enclosures lists an item's media (a podcast's audio, a video) as
// links after its body: the reader cannot play them, the browser can.
// Only http(s) URLs are kept, and the type and size are made safe.
func enclosures(encs []*gofeed.Enclosure, base *url.URL) string {
	var b strings.Builder
	for _, e := range encs {
		if e == nil {
			continue
		}
		u := htmlmd.Resolve(base, e.URL)
		if u == "" {
			continue
		}
		label := "enclosure"
		if t := Shorten(e.Type, 40); t != "" {
			label += ": " + t
		}
		if n, err := strconv.ParseInt(strings.TrimSpace(e.Length), 10, 64); err == nil && n > 0 {
			label += ", " + humanSize(n)
		}
		b.WriteString("\n\n" + htmlmd.Link(label, u))
	}
	return b.String()
}

// humanSize writes n bytes as people read sizes: "12.3 MB".
func humanSize(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	f, prefixes := float64(n), "kMGTPE"
	i := 0
	for f /= unit; f >= unit && i < len(prefixes)-1; f /= unit {
		i++
	}
	return fmt.Sprintf("%.1f %cB", f, prefixes[i])
}

// bodySource is an item's body before conversion: HTML, or text
// known to be plain.
type bodySource struct {
	content string
	text    bool // content is plain text: every character shows as written
}

func (s bodySource) markdown(base string) string {
	if s.text {
		return htmlmd.FromText(s.content)
	}
	return htmlmd.Convert(s.content, base)
}

// plainText returns the body's text on one line, for a title.
func (s bodySource) plainText() string {
	if s.text || !htmlmd.HasTags(s.content) {
		t := s.content
		if !s.text {
			t = html.UnescapeString(t)
		}
		return strings.Join(strings.Fields(t), " ")
	}
	return htmlmd.PlainText(s.content)
}

// rssBody prefers content:encoded to the description; both are HTML
// (htmlmd.Convert treats HTML without tags as text).
func rssBody(it *gofeed.Item) bodySource {
	if strings.TrimSpace(it.Content) != "" {
		return bodySource{content: it.Content}
	}
	return bodySource{content: it.Description}
}

// atomBody prefers the entry's content to its summary, by its type:
// "text" is plain text, "html" and "xhtml" (and HTML media types) are HTML,
// and content without a type (which RFC 4287 says is text) is taken as
// HTML if it has tags, as real feeds mean it. Content of any other media
// type (base64 images, XML) or given by src is skipped.
func atomBody(e *atom.Entry) bodySource {
	if c := e.Content; c != nil && strings.TrimSpace(c.Value) != "" {
		switch t := strings.ToLower(strings.TrimSpace(c.Type)); {
		case t == "text" || t == "text/plain":
			return bodySource{content: c.Value, text: true}
		case t == "", t == "html", t == "xhtml", t == "text/html", strings.HasSuffix(t, "xhtml+xml"):
			return bodySource{content: c.Value}
		}
	}
	return bodySource{content: e.Summary}
}

// jsonBody prefers content_html, then content_text (both are the full
// item), then the summary (text by the spec, but taken as HTML if it has tags).
func jsonBody(it *gofeedjson.Item) bodySource {
	switch {
	case strings.TrimSpace(it.ContentHTML) != "":
		return bodySource{content: it.ContentHTML}
	case strings.TrimSpace(it.ContentText) != "":
		return bodySource{content: it.ContentText, text: true}
	}
	return bodySource{content: it.Summary}
}

// cleanTitle makes a title one safe line of at most
// titleStoredMax characters. Titles are shown literally, never
// rendered, so nothing is markdown-escaped; but a title with HTML tags in
// it (Atom type="html", or an RSS title with escaped markup) is reduced to
// its text.
func cleanTitle(s string) string {
	if htmlmd.HasTags(s) {
		s = htmlmd.PlainText(s)
	}
	return Shorten(s, titleStoredMax-1)
}

// Shorten returns s sanitised on one line and cut to at most max
// characters at a word boundary, with "…" if it was cut.
func Shorten(s string, max int) string {
	s = termsafe.Line(s)
	end, n := 0, 0 // s[:end] is the first n characters
	for end < len(s) && n < max {
		_, size := utf8.DecodeRuneInString(s[end:])
		end += size
		n++
	}
	if end == len(s) {
		return s
	}
	cut := s[:end]
	if sp := strings.LastIndexByte(cut, ' '); sp > max/2 {
		cut = cut[:sp]
	}
	return strings.TrimRight(cut, " ,;:.-") + "…"
}

// personName returns the first person's name, or e-mail address if it
// has no name, sanitised and shortened to nameMax characters.
func personName(people []*gofeed.Person, fallback *gofeed.Person) string {
	if len(people) == 0 {
		people = []*gofeed.Person{fallback}
	}
	for _, p := range people {
		if p == nil {
			continue
		}
		if n := Shorten(p.Name, nameMax-1); n != "" {
			return n
		}
		if e := Shorten(p.Email, nameMax-1); e != "" {
			return e
		}
	}
	return ""
}

// feedBase returns feedURL as a URL to resolve against, nil if it is not
// absolute (a bare file path resolves nothing to http).
func feedBase(feedURL string) *url.URL {
	u, err := url.Parse(strings.TrimSpace(feedURL))
	if err != nil || !u.IsAbs() {
		return nil
	}
	return u
}

// resolve resolves a link against base and keeps it only if it is an
// absolute http(s) URL. The link is sanitised first, so an escape sequence
// in it goes whole, as in every other field, rather than staying in the
// URL percent-encoded; tabs and newlines go first, as the URL standard
// has browsers drop them.
func resolve(base *url.URL, link string) string {
	link = termsafe.Line(urlNoise.Replace(link))
	if link == "" {
		return ""
	}
	return termsafe.Line(htmlmd.Resolve(base, link))
}

// urlNoise removes the ASCII tabs and newlines from a URL.
var urlNoise = strings.NewReplacer("\t", "", "\n", "", "\r", "")
