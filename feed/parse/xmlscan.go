package parse

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"
)

// xmlScanner reads the markup of a feed document in one pass, for the
// streaming decoder (see stream.go). It accepts only what it is sure
// encoding/xml inside gofeed reads the same way: well-formed XML with
// ASCII names, quoted attribute values, end tags that match their start
// tags, no DOCTYPE (so no declared entities), and nesting at most
// scanMaxDepth deep. Anything else makes it decline (ok == false), and
// the document goes the way of gofeed, which knows every quirk.
type xmlScanner struct {
	doc   []byte
	pos   int
	seen  int       // elements and attributes read: at least what capXML counts
	limit int       // the most of them it reads before it declines
	attrs []xmlAttr // reused by every tag
	names [][]byte  // the open elements inside skip
}

// xmlAttr is an attribute as written: its name, prefix and all, and its
// value between the quotes, undecoded.
type xmlAttr struct{ name, val []byte }

// xmlTag is a start or end tag. Its attrs are valid until the next tag
// is read.
type xmlTag struct {
	name  []byte
	attrs []xmlAttr
	end   bool // an end tag
	empty bool // a start tag that ends itself: <x/>
}

const (
	scanMaxDepth = 256 // real feeds nest a few dozen levels
	scanMaxAttrs = 64  // real elements have a few attributes
)

// prolog reads what comes before the root element: white space, an XML
// declaration that says UTF-8 (decode made it so), comments and
// processing instructions. It stops at the root's '<'.
func (s *xmlScanner) prolog() bool {
	if bytes.HasPrefix(s.doc, []byte("<?xml")) && len(s.doc) > 5 && isSpace(s.doc[5]) {
		end := bytes.Index(s.doc, []byte("?>"))
		if end < 0 || !declOK(s.doc[5:end]) {
			return false
		}
		s.pos = end + 2
	}
	return s.misc()
}

// misc skips white space, comments and processing instructions (before
// the root, or after it), and says whether it stopped at a tag or the end.
func (s *xmlScanner) misc() bool {
	for {
		for s.pos < len(s.doc) && isSpace(s.doc[s.pos]) {
			s.pos++
		}
		rest := s.doc[s.pos:]
		switch {
		case len(rest) == 0:
			return true
		case bytes.HasPrefix(rest, []byte("<!--")), bytes.HasPrefix(rest, []byte("<?")):
			if !s.skipMarkup() {
				return false
			}
		default:
			return rest[0] == '<' && len(rest) > 1 && isNameStart(rest[1])
		}
	}
}

// declOK says whether the pseudo-attributes of an XML declaration are
// ones encoding/xml takes without a charset reader: version 1.0 and
// encoding UTF-8, or none.
func declOK(decl []byte) bool {
	d := string(decl)
	if v, ok := pseudoAttr(d, "version"); ok && v != "1.0" {
		return false
	}
	v, ok := pseudoAttr(d, "encoding")
	return !ok || strings.EqualFold(v, "utf-8")
}

// pseudoAttr returns the value of name="value" in an XML declaration.
func pseudoAttr(decl, name string) (string, bool) {
	i := strings.Index(decl, name)
	if i < 0 {
		return "", false
	}
	rest := strings.TrimLeft(decl[i+len(name):], " \t\r\n")
	if !strings.HasPrefix(rest, "=") {
		return "", true // something odd: not a value anyone can trust
	}
	rest = strings.TrimLeft(rest[1:], " \t\r\n")
	if rest == "" || rest[0] != '"' && rest[0] != '\'' {
		return "", true
	}
	end := strings.IndexByte(rest[1:], rest[0])
	if end < 0 {
		return "", true
	}
	return rest[1 : 1+end], true
}

// skipMarkup skips the comment, processing instruction or CDATA section
// at s.pos, declining any that encoding/xml would refuse or read
// differently: "--" inside a comment, a later XML declaration, an
// unterminated section.
func (s *xmlScanner) skipMarkup() bool {
	rest := s.doc[s.pos:]
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		end := bytes.Index(rest[4:], []byte("-->"))
		if end < 0 {
			return false
		}
		body := rest[4 : 4+end]
		if bytes.Contains(body, []byte("--")) || bytes.HasPrefix(body, []byte("-")) || bytes.HasSuffix(body, []byte("-")) {
			return false
		}
		s.pos += 4 + end + 3
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		end := bytes.Index(rest[9:], []byte("]]>"))
		if end < 0 {
			return false
		}
		s.pos += 9 + end + 3
	case bytes.HasPrefix(rest, []byte("<?")):
		n := nameLen(rest[2:])
		if n == 0 || strings.EqualFold(string(rest[2:2+n]), "xml") {
			return false
		}
		end := bytes.Index(rest, []byte("?>"))
		if end < 0 {
			return false
		}
		s.pos += end + 2
	default:
		return false // a DOCTYPE or other declaration
	}
	return true
}

// next reads up to and including the next start or end tag, skipping
// text, comments, CDATA sections and processing instructions. At the end
// of the document it declines: the root is always closed before.
func (s *xmlScanner) next() (xmlTag, bool) {
	if !s.toTag() {
		return xmlTag{}, false
	}
	return s.tag()
}

// toTag moves s.pos to the '<' of the next start or end tag.
func (s *xmlScanner) toTag() bool {
	for {
		i := bytes.IndexByte(s.doc[s.pos:], '<')
		if i < 0 || !textOK(s.doc[s.pos:s.pos+i]) {
			return false
		}
		s.pos += i
		if c := s.at(1); c != '!' && c != '?' {
			return true
		}
		if !s.skipMarkup() {
			return false
		}
	}
}

// at returns the byte k after s.pos, 0 past the end.
func (s *xmlScanner) at(k int) byte {
	if s.pos+k < len(s.doc) {
		return s.doc[s.pos+k]
	}
	return 0
}

// tag reads the start or end tag at s.pos.
func (s *xmlScanner) tag() (xmlTag, bool) {
	t := xmlTag{end: s.at(1) == '/'}
	s.pos++
	if t.end {
		s.pos++
	}
	n := nameLen(s.doc[s.pos:])
	if n == 0 || !qnameOK(s.doc[s.pos:s.pos+n]) {
		return t, false
	}
	t.name = s.doc[s.pos : s.pos+n]
	s.pos += n
	if t.end {
		s.space()
		if s.at(0) != '>' {
			return t, false
		}
		s.pos++
		return t, true
	}
	ok := s.readAttrs(&t)
	s.seen += 1 + len(t.attrs)
	return t, ok && s.seen <= s.limit
}

// readAttrs reads the attributes of a start tag and its end, "/>" or ">".
func (s *xmlScanner) readAttrs(t *xmlTag) bool {
	s.attrs = s.attrs[:0]
	for {
		sp := s.space()
		switch s.at(0) {
		case '>':
			s.pos++
			t.attrs = s.attrs
			return true
		case '/':
			if s.at(1) != '>' {
				return false
			}
			s.pos += 2
			t.attrs, t.empty = s.attrs, true
			return true
		}
		a, ok := s.attr()
		if !ok || !sp || len(s.attrs) >= scanMaxAttrs {
			return false
		}
		s.attrs = append(s.attrs, a)
	}
}

// attr reads one name="value" (or 'value'): a value without quotes or
// an attribute without one is declined.
func (s *xmlScanner) attr() (xmlAttr, bool) {
	n := nameLen(s.doc[s.pos:])
	if n == 0 || !qnameOK(s.doc[s.pos:s.pos+n]) {
		return xmlAttr{}, false
	}
	a := xmlAttr{name: s.doc[s.pos : s.pos+n]}
	s.pos += n
	s.space()
	if s.at(0) != '=' {
		return a, false
	}
	s.pos++
	s.space()
	q := s.at(0)
	if q != '"' && q != '\'' {
		return a, false
	}
	end := bytes.IndexByte(s.doc[s.pos+1:], q)
	if end < 0 {
		return a, false
	}
	a.val = s.doc[s.pos+1 : s.pos+1+end]
	s.pos += end + 2
	return a, bytes.IndexByte(a.val, '<') < 0 && refsOK(a.val)
}

// space skips white space and says whether there was any.
func (s *xmlScanner) space() bool {
	start := s.pos
	for s.pos < len(s.doc) && isSpace(s.doc[s.pos]) {
		s.pos++
	}
	return s.pos > start
}

// skip reads past the end of the element whose start tag t was just
// read, and returns its content as written: what encoding/xml gives as
// its inner XML. Elements inside must nest properly.
func (s *xmlScanner) skip(t xmlTag) (inner []byte, ok bool) {
	if t.empty {
		return nil, true
	}
	start := s.pos
	s.names = append(s.names[:0], t.name)
	for {
		if !s.toTag() {
			return nil, false
		}
		at := s.pos
		u, ok := s.tag()
		if !ok || !s.nest(u) {
			return nil, false
		}
		if len(s.names) == 0 {
			return s.doc[start:at], true
		}
	}
}

// nest keeps s.names, the open elements within skip, up to date with the
// tag u, and declines an end tag that does not close the innermost.
func (s *xmlScanner) nest(u xmlTag) bool {
	switch {
	case u.end:
		last := len(s.names) - 1
		if !bytes.Equal(s.names[last], u.name) {
			return false
		}
		s.names = s.names[:last]
	case !u.empty:
		if len(s.names) >= scanMaxDepth {
			return false
		}
		s.names = append(s.names, u.name)
	}
	return true
}

// textOK says whether encoding/xml reads text as written: it refuses
// "]]>" outside a CDATA section and a character reference to a character
// XML forbids (fixControls leaves none, but this pass does not rely on it).
func textOK(b []byte) bool {
	if bytes.Contains(b, []byte("]]>")) {
		return false
	}
	return refsOK(b)
}

// refsOK says whether every numeric character reference in b that
// encoding/xml would decode is to a character XML allows.
func refsOK(b []byte) bool {
	for {
		i := bytes.Index(b, []byte("&#"))
		if i < 0 {
			return true
		}
		b = b[i+2:]
		if r, ok := numRef(b); ok && !xmlChar(r) {
			return false
		}
	}
}

// numRef decodes the reference whose digits start b (after "&#") as
// encoding/xml does: ok is false when it would keep it as text.
func numRef(b []byte) (rune, bool) {
	base, i := 10, 0
	if len(b) > 0 && b[0] == 'x' {
		base, i = 16, 1
	}
	start := i
	for i < len(b) && (b[i] >= '0' && b[i] <= '9' || base == 16 && (b[i]|0x20 >= 'a' && b[i]|0x20 <= 'f')) {
		i++
	}
	if i >= len(b) || b[i] != ';' {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[start:i]), base, 64)
	if err != nil || n > utf8.MaxRune {
		return 0, false
	}
	return rune(n), true
}

// xmlUnescape decodes an attribute value or simple text as encoding/xml
// does, for the values this pass reads: the five predefined entities and
// numeric references. Any other '&', or a carriage return (which
// encoding/xml rewrites), declines.
func xmlUnescape(b []byte) (string, bool) {
	if bytes.IndexByte(b, '\r') >= 0 {
		return "", false
	}
	if bytes.IndexByte(b, '&') < 0 {
		return string(b), true
	}
	var out strings.Builder
	for len(b) > 0 {
		i := bytes.IndexByte(b, '&')
		if i < 0 {
			out.Write(b)
			break
		}
		out.Write(b[:i])
		b = b[i+1:]
		semi := bytes.IndexByte(b, ';')
		if semi < 0 {
			return "", false
		}
		r, ok := entityRune(b[:semi])
		if !ok {
			return "", false
		}
		out.WriteRune(r)
		b = b[semi+1:]
	}
	return out.String(), true
}

// entityRune is the character an entity (its name, between '&' and ';')
// stands for, if it is predefined or a numeric reference.
func entityRune(name []byte) (rune, bool) {
	switch string(name) {
	case "amp":
		return '&', true
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "quot":
		return '"', true
	case "apos":
		return '\'', true
	}
	if len(name) < 2 || name[0] != '#' {
		return 0, false
	}
	r, ok := numRef(append(name[1:len(name):len(name)], ';'))
	return r, ok && xmlChar(r)
}

// nameLen returns the length of the ASCII name b starts with: a letter or
// '_' and then letters, digits and "_.:-". A name that goes on in other
// characters is not one this pass takes: 0.
func nameLen(b []byte) int {
	if len(b) == 0 || !isNameStart(b[0]) {
		return 0
	}
	n := 1
	for n < len(b) && (isNameStart(b[n]) || b[n] >= '0' && b[n] <= '9' || b[n] == '.' || b[n] == ':' || b[n] == '-') {
		n++
	}
	if n < len(b) && b[n] >= utf8.RuneSelf {
		return 0
	}
	return n
}

// qnameOK says whether a name has at most one colon, with a prefix and
// a local part on either side of it, as encoding/xml splits names.
func qnameOK(name []byte) bool {
	i := bytes.IndexByte(name, ':')
	return i < 0 || i > 0 && i < len(name)-1 && bytes.IndexByte(name[i+1:], ':') < 0
}

func isNameStart(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' || c == '_' }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// splitName returns the prefix and local part of a qualified name.
func splitName(name []byte) (prefix, local string) {
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		return string(name[:i]), string(name[i+1:])
	}
	return "", string(name)
}
