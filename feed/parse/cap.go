package parse

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/net/html/charset"
)

// A feed document is at most 16 MiB (the fetcher's cap), but gofeed makes
// a structure of every item, link, category and extension element in it,
// hundreds of bytes each, and the smallest of them take a few bytes of
// document: 16 MiB of `{},` is 5.6 million JSON Feed items, 4 GB once
// parsed. So before gofeed runs, a cheap pass over the document cuts out
// what would be kept of no use: the items after the first maxItems,
// and every part of the document's structure after the first
// maxParts. gofeed never sees what is cut, and the memory of a parse
// is bounded whatever the document holds.
//
// A part is an XML element, or a JSON array element or object member.
// Text is not structure: the markup inside a title, a description or an
// Atom content element is read as one string, so it is not counted. The
// cuts keep the document well formed: whole elements go, or the tail of a
// JSON array or object, so the items kept are the first in document order
// and each is whole (but for the one, if any, during which the parts run
// out).
const (
	maxItems = 1000
	maxParts = 100_000
)

// The notes Parse gives when it cut a document.
var (
	noteItems = boundsOf(maxItems, maxParts).itemsNote
	noteParts = boundsOf(maxItems, maxParts).partsNote
)

// bounds counts the items and parts of one document against its caps
// (maxItems and maxParts but in tests) and keeps the notes.
type bounds struct {
	maxItems, maxParts   int
	items, parts         int
	itemsNote, partsNote string
	notes                []string
}

func boundsOf(items, parts int) bounds {
	return bounds{
		maxItems: items, maxParts: parts,
		itemsNote: fmt.Sprintf("feed has more than %d items: the first %d kept", items, items),
		partsNote: fmt.Sprintf("feed has more than %d elements: the rest dropped", parts),
	}
}

// take counts an item or other part of the document that makes parts
// parts, and says whether it is kept: not if the items or the parts are
// all taken (the note says which).
func (c *bounds) take(item bool, parts int) bool {
	switch {
	case item && c.items >= c.maxItems:
		c.note(c.itemsNote)
	case c.parts+parts > c.maxParts:
		c.note(c.partsNote)
	default:
		c.parts += parts
		if item {
			c.items++
		}
		return true
	}
	return false
}

func (c *bounds) note(n string) {
	if !slices.Contains(c.notes, n) {
		c.notes = append(c.notes, n)
	}
}

// cutter copies a document without the ranges cut from it, which
// come in order and do not overlap.
type cutter struct {
	doc  []byte
	out  []byte // nil until the first cut
	last int    // doc[last:] is not yet copied to out
}

// cut leaves doc[start:end] out, and the white space between it and the
// last cut (which means nothing between elements; a million cut items
// would otherwise leave a million line ends).
func (c *cutter) cut(start, end int) {
	start = max(start, c.last) // (only a malformed document would overlap)
	if between := c.doc[c.last:start]; c.last == 0 || len(bytes.TrimSpace(between)) > 0 {
		c.out = append(c.out, between...)
	}
	c.last = end
}

// result returns the document without the cuts; doc itself if none.
func (c *cutter) result() []byte {
	if c.last == 0 {
		return c.doc
	}
	return append(c.out, c.doc[c.last:]...)
}

// dropControlBytes removes the C0 control bytes but tab, newline and
// carriage return from an XML document, as gofeed's reader does before
// its XML decoder sees them: so the capping pass and gofeed read the same
// elements (the decoder refuses these bytes, and the pass would stop).
func dropControlBytes(doc []byte) []byte {
	dropped := func(c byte) bool { return c < 0x20 && c != '\t' && c != '\n' && c != '\r' }
	i := slices.IndexFunc(doc, dropped)
	if i < 0 {
		return doc
	}
	out := make([]byte, i, len(doc))
	copy(out, doc[:i])
	for _, c := range doc[i:] {
		if !dropped(c) {
			out = append(out, c)
		}
	}
	return out
}

// ---- XML ----

// The namespaces whose elements gofeed reads as RSS (also RSS 1.0 and
// 0.9, "rss" and "rdf" as undeclared prefixes) and as Atom; any other
// element is an extension, which gofeed reads into a tree, children and
// all, text elements included.
var (
	rssSpaces = []string{"", "rss", "rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
		"http://purl.org/rss/1.0/", "http://channel.netscape.com/rdf/simple/0.9/", "http://my.netscape.com/rdf/simple/0.9/"}
	atomSpaces = []string{"", "http://www.w3.org/2005/Atom", "http://purl.org/atom/ns#"}
)

// textElements are the elements of RSS and Atom whose content gofeed
// reads as a string, markup and all.
var textElements = map[string]bool{
	"title": true, "description": true, "summary": true, "content": true, "subtitle": true, "rights": true,
}

// xmlFrame is an open element during capXML.
type xmlFrame struct {
	local   string // the local name, in lower case
	start   int    // the offset of its start tag
	item    bool   // an RSS item or Atom entry
	channel bool   // an RSS channel
	cut     bool   // cut out whole
	text    bool   // inside a text element: nothing is counted
	foreign bool   // inside an extension element: everything is counted
}

// xmlCapper is the state of capXML.
type xmlCapper struct {
	stack    []xmlFrame
	strict   []string // the namespaces gofeed surely reads natively
	lenient  []string // those it may (the root's own namespace too)
	cutDepth int      // the depth of the element being cut, 0 if none
	cutter
	bounds
}

// capXML returns doc with the items after the first maxItems and
// the elements after the first maxParts cut out (see maxItems),
// and the notes that say so. It reads doc as gofeed does (encoding/xml,
// not strict, namespaces resolved, end tags that do not match closing the
// elements they skip), so both see the same elements. It returns an error
// if the elements nest deeper than maxDepth, or an element has more
// than maxAttrs attributes. At a syntax error it
// stops, where gofeed's parse fails too, and cuts the rest if it was
// cutting.
func capXML(doc []byte) ([]byte, []string, error) {
	return capXMLWith(doc, boundsOf(maxItems, maxParts))
}

// capXMLWith is capXML with the caps of caps.
func capXMLWith(doc []byte, caps bounds) ([]byte, []string, error) {
	if err := checkAttrs(doc); err != nil {
		return nil, nil, err
	}
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = false
	d.CharsetReader = charset.NewReaderLabel
	c := &xmlCapper{cutter: cutter{doc: doc}, bounds: caps}
	for {
		before := int(d.InputOffset())
		tok, err := d.Token()
		if err != nil {
			if c.cutDepth > 0 {
				c.cut(c.stack[c.cutDepth-1].start, len(doc))
			}
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(c.stack) >= maxDepth {
				return nil, nil, fmt.Errorf("elements nested more than %d deep", maxDepth)
			}
			c.start(t.Name, len(t.Attr), before)
		case xml.EndElement:
			c.end(before, int(d.InputOffset()))
		}
		if len(c.stack) == 0 && c.parts > 0 {
			break // the root is closed: gofeed reads no further
		}
	}
	return c.result(), c.notes, nil
}

// start handles the start tag, at offset at, of an element named name
// with attrs attributes.
func (c *xmlCapper) start(name xml.Name, attrs, at int) {
	f := xmlFrame{local: strings.ToLower(name.Local), start: at}
	depth := len(c.stack) + 1
	if depth == 1 {
		c.setRoot(f.local, name.Space)
	}
	var parent xmlFrame
	if depth > 1 {
		parent = c.stack[depth-2]
	}
	if c.cutDepth > 0 || parent.text {
		f.text = parent.text
		c.stack = append(c.stack, f)
		return
	}
	f.item = c.isItem(f.local, name.Space, depth)
	f.channel = depth == 2 && f.local == "channel" && slices.Contains(c.lenient, name.Space)
	native := slices.Contains(c.strict, name.Space) && !parent.foreign
	f.foreign = !native
	f.text = native && depth > 1 && textElements[f.local]
	c.count(&f, depth, 1+attrs)
	c.stack = append(c.stack, f)
}

// isItem says whether an element is an RSS item or an Atom entry: a child
// of the root or of an RSS channel, that gofeed may read natively.
func (c *xmlCapper) isItem(local, space string, depth int) bool {
	if local != "item" && local != "entry" || !slices.Contains(c.lenient, space) {
		return false
	}
	return depth == 2 || depth == 3 && c.stack[1].channel
}

// count counts the element f as parts parts (itself and its attributes,
// which gofeed keeps in a map for an extension element), or marks it cut
// if the items or the parts are all taken.
func (c *xmlCapper) count(f *xmlFrame, depth, parts int) {
	if !c.take(f.item, parts) {
		f.cut = true
		c.cutDepth = depth
	}
}

// end handles an end tag read from doc[before:after].
func (c *xmlCapper) end(before, after int) {
	depth := len(c.stack)
	if depth == 0 {
		return
	}
	f := c.stack[depth-1]
	c.stack = c.stack[:depth-1]
	if !f.cut {
		return
	}
	c.cutDepth = 0
	// An end tag that does not match closes this element and then others:
	// the cut ends before it, so the others stay closed.
	if !isEndTagOf(c.doc[before:after], f.local) {
		after = before
	}
	c.cut(f.start, after)
}

// isEndTagOf says whether tag, the bytes of an end tag (after white
// space), is the end tag of an element whose local name is local.
func isEndTagOf(tag []byte, local string) bool {
	tag = bytes.TrimSpace(tag)
	if !bytes.HasPrefix(tag, []byte("</")) {
		return false
	}
	name := bytes.TrimSpace(bytes.TrimSuffix(tag[2:], []byte(">")))
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	return strings.EqualFold(string(name), local)
}

// setRoot chooses the native namespaces by the root element.
func (c *xmlCapper) setRoot(local, space string) {
	switch local {
	case "rss", "rdf":
		c.strict = rssSpaces
	case "feed":
		c.strict = atomSpaces
	}
	// gofeed takes the root's own namespace as native in RSS (some feeds
	// put a made-up one there) unless it is an extension's: to find the
	// items, any element that may be native is taken as one; to leave
	// text uncounted, only one that surely is.
	c.lenient = slices.Concat([]string{space}, rssSpaces, atomSpaces)
}

// maxAttrs is the most attributes an element may have. encoding/xml
// reads a start tag's attributes into one slice, before any count can
// stop it: 16 MiB of ` a1=""` is 2 million attributes, 400 MB to read.
// Real elements have a few.
const maxAttrs = 1000

// checkAttrs returns an error if an element of doc has more than
// maxAttrs attributes. It scans bytes, skipping CDATA sections,
// comments, processing instructions and declarations, and counts in each
// tag the names that follow white space outside quotes: at least the
// attributes encoding/xml would find, which in a decoder that is not
// strict may have no value.
func checkAttrs(doc []byte) error {
	for i := 0; ; {
		j := bytes.IndexByte(doc[i:], '<')
		if j < 0 {
			return nil
		}
		i += j
		if end := markupEnd(doc[i:]); end != "" {
			k := bytes.Index(doc[i+1:], []byte(end))
			if k < 0 {
				return nil
			}
			i += 1 + k + len(end)
			continue
		}
		n, k := countAttrs(doc[i+1:])
		if n > maxAttrs {
			return fmt.Errorf("an element has more than %d attributes", maxAttrs)
		}
		i += 1 + k
	}
}

// markupEnd returns what ends the markup that s starts with, if it is
// a CDATA section, a comment, a processing instruction or a declaration;
// "" if it is a tag.
func markupEnd(s []byte) string {
	switch {
	case bytes.HasPrefix(s, []byte("<![CDATA[")):
		return "]]>"
	case bytes.HasPrefix(s, []byte("<!--")):
		return "-->"
	case bytes.HasPrefix(s, []byte("<?")):
		return "?>"
	case bytes.HasPrefix(s, []byte("<!")):
		return ">"
	}
	return ""
}

// countAttrs counts the attribute names in the tag that tag starts
// (after its "<"), and returns the count and the length of the tag.
func countAttrs(tag []byte) (n, length int) {
	var quote byte
	space := false
	for k, c := range tag {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
			continue
		case c == '>':
			return n, k + 1
		case c == '"' || c == '\'':
			quote = c
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			space = true
			continue
		case space && c != '=' && c != '/':
			n++
		}
		space = false
	}
	return n, len(tag)
}

// ---- JSON ----

// jsonFrame is an open array or object during capJSON.
type jsonFrame struct {
	array    bool
	items    bool // the root object's "items" array
	comma    int  // the offset of the last comma, -1 before the first
	cutStart int  // the offset where the cut begins, -1 if not cutting
	isKey    bool // in an object, the next string is a member's name
}

// jsonCapper is the state of capJSON.
type jsonCapper struct {
	stack    []jsonFrame
	rootKey  string // the name of the root object's current member
	cutDepth int    // the depth of the array or object being cut, 0 if none
	cutter
	bounds
}

// jsonMaxDepth is encoding/json's limit on nesting: a deeper document
// is refused whole, so the pass need not go on.
const jsonMaxDepth = 10_000

// capJSON returns the JSON document doc with the items after the
// first maxItems and the array elements and object members after the
// first maxParts cut out (see maxItems), and the notes that say
// so. It scans bytes: encoding/json, which checks the document whole
// before decoding it, refuses a malformed one later, cut or not.
func capJSON(doc []byte) ([]byte, []string) {
	return capJSONWith(doc, boundsOf(maxItems, maxParts))
}

// capJSONWith is capJSON with the caps of caps.
func capJSONWith(doc []byte, caps bounds) ([]byte, []string) {
	c := &jsonCapper{cutter: cutter{doc: doc}, bounds: caps}
	for i := 0; i < len(doc); i++ {
		switch b := doc[i]; b {
		case ' ', '\t', '\n', '\r':
		case '"':
			end := jsonStringEnd(doc, i)
			c.value(i, end)
			i = end - 1
		case '{', '[':
			c.value(i, i+1)
			if len(c.stack) > jsonMaxDepth {
				return doc, nil
			}
		case '}', ']':
			if c.close(i) {
				return c.result(), c.notes
			}
		case ',':
			if n := len(c.stack); n > 0 {
				f := &c.stack[n-1]
				f.comma, f.isKey = i, !f.array
			}
		case ':':
			if n := len(c.stack); n > 0 {
				c.stack[n-1].isKey = false
			}
		default:
			end := jsonScalarEnd(doc, i)
			c.value(i, end)
			i = end - 1
		}
	}
	if c.cutDepth > 0 {
		c.cut(c.stack[c.cutDepth-1].cutStart, len(doc))
	}
	return c.result(), c.notes
}

// value handles a token doc[start:end]: a scalar, a string (a value or an
// object's member name), or the opening of an array or object.
func (c *jsonCapper) value(start, end int) {
	n := len(c.stack)
	if n > 0 && c.cutDepth == 0 {
		f := &c.stack[n-1]
		if f.array || f.isKey {
			c.begin(f, start, n)
		}
		if !f.array && f.isKey && n == 1 {
			c.rootKey = jsonKey(c.doc[start:end])
		}
	}
	if b := c.doc[start]; b == '{' || b == '[' {
		g := jsonFrame{array: b == '[', comma: -1, cutStart: -1, isKey: b == '{'}
		g.items = g.array && n == 1 && !c.stack[0].array && strings.EqualFold(c.rootKey, "items")
		c.stack = append(c.stack, g)
	}
}

// begin counts the element or member of f (at depth n) that starts at
// start, or begins to cut if the items or parts are all taken: the cut
// runs from the comma before it (or, for the first, from itself) to the
// close of f.
func (c *jsonCapper) begin(f *jsonFrame, start, n int) {
	if c.take(f.items, 1) {
		return
	}
	f.cutStart = start
	if f.comma >= c.last {
		// (In a malformed document the comma may come before the close of
		// an element cut earlier.)
		f.cutStart = f.comma
	}
	c.cutDepth = n
}

// close handles the close of the innermost array or object at offset i;
// it says whether that closed the root.
func (c *jsonCapper) close(i int) bool {
	n := len(c.stack)
	if n == 0 {
		return true
	}
	if f := c.stack[n-1]; f.cutStart >= 0 {
		c.cut(f.cutStart, i)
		c.cutDepth = 0
	}
	c.stack = c.stack[:n-1]
	return n == 1
}

// jsonStringEnd returns the offset after the string that starts at
// doc[i] (a quote), or len(doc) if it does not end.
func jsonStringEnd(doc []byte, i int) int {
	for j := i + 1; j < len(doc); j++ {
		switch doc[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(doc)
}

// jsonKey returns the member name that the JSON string s (quoted)
// stands for, escapes decoded.
func jsonKey(s []byte) string {
	if bytes.IndexByte(s, '\\') < 0 {
		return string(bytes.Trim(s, `"`))
	}
	var k string
	if json.Unmarshal(s, &k) != nil {
		return ""
	}
	return k
}

// jsonScalarEnd returns the offset after the number, true, false or
// null (or stray bytes) that starts at doc[i].
func jsonScalarEnd(doc []byte, i int) int {
	for i++; i < len(doc); i++ {
		switch doc[i] {
		case ' ', '\t', '\n', '\r', ',', ':', '[', ']', '{', '}', '"':
			return i
		}
	}
	return len(doc)
}
