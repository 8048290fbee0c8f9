package htmlmd

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// urlAttrs are the attributes whose values are URLs that can end up as
// link targets.
var urlAttrs = map[string]bool{"href": true, "src": true}

// encodeURL trims u and percent-encodes its control characters (C0, DEL,
// C1), bidi controls, inner whitespace and invalid UTF-8 bytes, so that
// what the reader shows and what a browser opens are the same visible URL.
func encodeURL(u string) string {
	u = strings.TrimSpace(u)
	if strings.IndexFunc(u, urlUnsafe) < 0 && utf8.ValidString(u) {
		return u
	}
	var b strings.Builder
	for i := 0; i < len(u); {
		r, n := utf8.DecodeRuneInString(u[i:])
		if r == utf8.RuneError && n == 1 || urlUnsafe(r) {
			for _, c := range []byte(u[i : i+n]) {
				fmt.Fprintf(&b, "%%%02X", c)
			}
		} else {
			b.WriteString(u[i : i+n])
		}
		i += n
	}
	return b.String()
}

// urlUnsafe reports whether r must be percent-encoded in a URL.
func urlUnsafe(r rune) bool {
	return r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f ||
		unicode.Is(unicode.Bidi_Control, r) || unicode.IsSpace(r)
}

// defuseEntities puts a word joiner (U+2060, invisible, no break) after
// every '&' in text that could start an entity, or that ends it, so that text which reads
// like one ("&#27;", "&lt;", "&copy") shows as written: Glamour decodes
// entities in the text it shows, code spans included.
func defuseEntities(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		if s[i] == '&' && (i+1 == len(s) || entityStart(s[i+1])) {
			b.WriteString(wordJoiner)
		}
	}
	return b.String()
}

// wordJoiner is invisible and has no width: it breaks an entity without
// changing what the reader sees.
const wordJoiner = "\u2060"

func entityStart(c byte) bool {
	return c == '#' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
