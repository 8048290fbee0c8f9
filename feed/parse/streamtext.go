package parse

import (
	"html"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed/rss"
)

// The streaming decoder must give the strings gofeed gives, so these
// follow gofeed's own (github.com/mmcdole/gofeed/internal/shared, v1.4,
// MIT licence), which its packages do not export. The differential tests
// in stream_test.go hold them to it.

const (
	cdataStart = "<![CDATA["
	cdataEnd   = "]]>"
)

// gofeedText is an element's text as gofeed's ParseText makes it of the
// element's inner XML: trimmed, CDATA sections taken as written and the
// rest entity-decoded (HTML entities included).
func gofeedText(inner []byte) string {
	s := strings.TrimSpace(string(inner))
	if strings.Contains(s, cdataStart) {
		return stripCDATA(s)
	}
	return decodeEntities(s)
}

// stripCDATA takes CDATA sections as written and decodes the text
// between them.
func stripCDATA(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for s != "" {
		start := strings.Index(s, cdataStart)
		if start < 0 {
			b.WriteString(decodeEntities(s))
			break
		}
		b.WriteString(decodeEntities(s[:start]))
		end := strings.Index(s[start+len(cdataStart):], cdataEnd)
		if end < 0 {
			b.WriteString(decodeEntities(s[start:]))
			break
		}
		end += start + len(cdataStart)
		b.WriteString(s[start+len(cdataStart) : end])
		s = s[end+len(cdataEnd):]
	}
	return b.String()
}

// maxEntityLen bounds how far past an '&' its ';' may be.
const maxEntityLen = 64

// decodeEntities decodes the entities of s that end in ';', HTML's
// named ones included; an '&' that starts none stays as written.
func decodeEntities(s string) string {
	if strings.IndexByte(s, '&') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s)) // decoded text is about as long
	for s != "" {
		i := strings.IndexByte(s, '&')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		window := s[:min(len(s), maxEntityLen)]
		end := strings.IndexByte(window, ';')
		if end < 0 && len(window) == len(s) {
			b.WriteString(s)
			break
		}
		if end < 0 || strings.ContainsAny(s[1:end], " \t\r\n") {
			b.WriteByte('&')
			s = s[1:]
			continue
		}
		span := s[:end+1]
		if c, ok := xmlEntity(span); ok {
			// (What the general case below gives for these, without
			// unescaping twice: escaped HTML is made of them.)
			b.WriteByte(c)
			s = s[end+1:]
			continue
		}
		dec := html.UnescapeString(span)
		if dec == html.UnescapeString(span[:len(span)-1])+";" {
			b.WriteByte('&')
			s = s[1:]
			continue
		}
		b.WriteString(dec)
		s = s[end+1:]
	}
	return b.String()
}

// xmlEntity returns the character of one of XML's five predefined
// entities.
func xmlEntity(span string) (byte, bool) {
	switch span {
	case "&lt;":
		return '<', true
	case "&gt;":
		return '>', true
	case "&amp;":
		return '&', true
	case "&quot;":
		return '"', true
	case "&apos;":
		return '\'', true
	}
	return 0, false
}

// roundTripURL is what gofeed does to a URI attribute (href, src, uri,
// scheme) and an Atom id without an xml:base in scope: it parses it and
// writes it back, which normalises it, when it parses.
func roundTripURL(s string) string {
	u, err := url.Parse(strings.TrimLeft(s, " "))
	if err != nil {
		return s
	}
	return u.String()
}

// gofeedDate parses a date as gofeed does, in UTC; nil if gofeed finds
// none. The common forms are parsed here: an RFC 1123 date with a
// numeric zone or GMT/UTC, and RFC 3339. gofeed tries them before any
// other layout that could read them the same way. Any other form is
// handed to gofeed's own parser inside a one-item feed: rare, and exact.
func gofeedDate(s string) *time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if t, ok := quickDate(s); ok {
		t = t.UTC()
		return &t
	}
	if strings.Contains(s, cdataEnd) {
		return nil // no date has "]]>" in it; nor does any gofeed parses
	}
	f, err := (&rss.Parser{}).Parse(strings.NewReader("<rss><channel><item><pubDate>" + cdataStart + s + cdataEnd + "</pubDate></item></channel></rss>"))
	if err != nil || len(f.Items) != 1 {
		return nil
	}
	return f.Items[0].PubDateParsed
}

// quickDate parses the forms that gofeedDate parses itself.
func quickDate(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC1123Z, s); err == nil {
		return t, true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	for _, zone := range []string{" GMT", " UTC"} {
		if head, ok := strings.CutSuffix(s, zone); ok {
			t, err := time.Parse("Mon, 02 Jan 2006 15:04:05", head)
			return t, err == nil
		}
	}
	return time.Time{}, false
}
