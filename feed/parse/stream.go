package parse

import (
	"bytes"
	"slices"
	"strings"

	"github.com/mmcdole/gofeed"
)

// The streaming decoder reads the common case of RSS 2.0 and Atom 1.0 in
// one pass over the document, instead of the capping pass, gofeed's
// token-by-token decoding and the structures it builds of every element.
// It makes the same rss.Feed or atom.Feed that gofeed's parsers make, as
// far as the articles are concerned, and hands it to gofeed's translator,
// so convert sees what it would have seen. It keeps the first maxItems
// items and notes the rest, as capDoc does; it reads no more than that
// into memory.
//
// It declines whatever it is not sure of (RSS 1.0, a DOCTYPE, xml:base,
// undeclared prefixes, namespace declarations below the root, Atom xhtml
// or base64 content, extensions gofeed reads into an article's fields in
// forms it does not handle, more than maxParts elements, markup
// encoding/xml would read leniently) and Parse then takes gofeed's way.

// streamDecode decodes doc, a UTF-8 document whose root element sniffDoc
// named root, or declines (ok == false).
func streamDecode(doc []byte, root string) (f *gofeed.Feed, orig any, notes []string, ok bool) {
	if bytes.Contains(doc, []byte("xml:base")) {
		return nil, nil, nil, false // gofeed resolves against it: not handled here
	}
	s := &streamer{xmlScanner: xmlScanner{doc: doc, limit: maxParts}, bounds: boundsOf(maxItems, maxParts)}
	if !s.prolog() {
		return nil, nil, nil, false
	}
	t, ok := s.next()
	if !ok || t.end || t.empty || string(t.name) != root || !s.rootSpaces(t) {
		return nil, nil, nil, false
	}
	switch root {
	case "rss":
		orig, ok = s.rss()
		if ok {
			f, ok = translate(rssTranslator, orig)
		}
	case "feed":
		orig, ok = s.atom()
		if ok {
			f, ok = translate(&gofeed.DefaultAtomTranslator{}, orig)
		}
	}
	if !ok || !s.misc() || s.pos != len(doc) {
		return nil, nil, nil, false
	}
	return f, orig, s.notes, true
}

func translate(tr gofeed.Translator, orig any) (*gofeed.Feed, bool) {
	f, err := tr.Translate(orig)
	return f, err == nil
}

// streamer is the state of streamDecode.
type streamer struct {
	xmlScanner
	bounds
	prefixes []string // the prefixes the root declares, in order
	spaces   []string // and their namespaces
	atomRoot bool
}

// rootSpaces reads the namespace declarations of the root element: an
// RSS root declares no default namespace, an Atom root Atom 1.0's.
func (s *streamer) rootSpaces(t xmlTag) bool {
	s.atomRoot = string(t.name) == "feed"
	defaultNS := ""
	for _, a := range t.attrs {
		prefix, local := splitName(a.name)
		switch {
		case prefix == "xmlns":
			v, ok := xmlUnescape(a.val)
			if !ok || v == "" || strings.TrimSpace(v) != v {
				return false
			}
			s.prefixes, s.spaces = append(s.prefixes, local), append(s.spaces, v)
		case prefix == "" && local == "xmlns":
			defaultNS = string(a.val)
		}
	}
	if s.atomRoot {
		return defaultNS == atomNS
	}
	return defaultNS == ""
}

const (
	atomNS    = "http://www.w3.org/2005/Atom"
	atom03NS  = "http://purl.org/atom/ns#"
	contentNS = "http://purl.org/rss/1.0/modules/content/"
)

// canonicalPrefixes are gofeed's prefixes for the namespaces whose
// elements it reads into an article's fields. (gofeed has a canonical
// prefix for many more namespaces; none of the others is one of these.)
var canonicalPrefixes = map[string]string{
	atomNS: "atom", atom03NS: "atom03", contentNS: "content",
	"http://purl.org/dc/elements/1.1/":           "dc",
	"http://www.itunes.com/DTDs/PodCast-1.0.dtd": "itunes",
	"http://example.com/DTDs/PodCast-1.0.dtd":    "itunes",
	"http://search.yahoo.com/mrss":               "media",
	"http://search.yahoo.com/mrss/":              "media",
}

// readPrefixes are the prefixes under which gofeed's translator reads
// extension elements into the fields convert uses.
var readPrefixes = []string{"dc", "itunes", "atom", "atom10", "atom03", "content"}

// child is an element inside the root, with its namespace resolved.
type child struct {
	xmlTag
	local  string // its local name in lower case, as gofeed switches on it
	name   string // as written
	space  string // its namespace: "" for none
	prefix string // what gofeed files its extension under
}

// resolve finds the namespace of an element below the root. It declines
// undeclared prefixes, and declarations on the element but for its own
// (as <media:content xmlns:media="...">) or a default one.
func (s *streamer) resolve(t xmlTag) (child, bool) {
	prefix, local := splitName(t.name)
	c := child{xmlTag: t, local: strings.ToLower(local), name: local}
	space, declared := s.lookup(prefix)
	own := false // declared on the element itself
	for _, a := range t.attrs {
		p, l := splitName(a.name)
		switch {
		case p == "xmlns" && l == prefix, p == "" && l == "xmlns" && prefix == "":
			v, ok := xmlUnescape(a.val)
			if !ok || v == "" || strings.TrimSpace(v) != v {
				return c, false
			}
			space, declared, own = v, true, true
		case p == "xmlns" || p == "xml":
			return c, false
		}
	}
	if !declared || prefix == "xml" {
		return c, false
	}
	c.space = space
	c.prefix = s.prefixFor(space, prefix, own)
	return c, true
}

// lookup returns the namespace the root binds prefix to ("" is the
// default namespace, Atom's in an Atom feed and none in RSS).
func (s *streamer) lookup(prefix string) (string, bool) {
	if prefix == "" {
		if s.atomRoot {
			return atomNS, true
		}
		return "", true
	}
	if i := lastIndex(s.prefixes, prefix); i >= 0 {
		return s.spaces[i], true
	}
	return "", false
}

// lastIndex is the index of the last v in list, -1 if none.
func lastIndex(list []string, v string) int {
	for i := len(list) - 1; i >= 0; i-- {
		if list[i] == v {
			return i
		}
	}
	return -1
}

// prefixFor is gofeed's PrefixForNamespace for an element of namespace
// space written with prefix used (declared on the element itself if
// own): the canonical prefix of the namespace, else the innermost
// prefix declared for it, else the namespace itself. Where gofeed's
// fuller table of canonical prefixes might give another answer that
// matters (a made-up namespace bound to "dc"), it gives "?".
func (s *streamer) prefixFor(space, used string, own bool) string {
	if p, ok := canonicalPrefixes[space]; ok {
		return p
	}
	declared := ""
	switch i := lastIndex(s.spaces, space); {
	case own:
		declared = used
	case i >= 0:
		declared = s.prefixes[i]
	}
	if slices.Contains(readPrefixes, declared) {
		return "?"
	}
	if declared != "" {
		return declared
	}
	return space
}
