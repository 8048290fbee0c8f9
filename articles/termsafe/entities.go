package termsafe

import "strings"

// Glamour decodes HTML entities (html.UnescapeString) in every text
// segment and code span it shows, after the markdown has been parsed. So
// text that reads "&#27;" in the markdown an article holds would reach the
// terminal as a real ESC, however clean each field was when it was stored:
// the five characters can also come together only in the final string,
// from pieces that were harmless apart (an '&' from one HTML element and
// "#27;" from the next, once an empty element between them vanished).
//
// DefuseEntities is therefore applied to the whole markdown, just before
// it is rendered (and when it is stored): every '&' at which some entity
// would decode to a control character, a C1 control or a bidi override
// gets an invisible word joiner (U+2060) after it, which no entity can
// start with, so the text shows as written. Whatever segment the
// markdown parser cuts, a segment that starts at an '&' is a prefix of the
// text from that '&' on; DefuseEntities checks every such prefix, so the
// invariant holds for any cut: Glamour's unescaping of any part of the
// result yields nothing Text would remove, nor a newline or a tab.
//
// An '&' whose entities decode to ordinary text ("&amp;", "&lt;", the '&'
// of a URL's query) is left as it is. A clean string is returned without a
// copy.
func DefuseEntities(md string) string {
	return defuse(md, "&"+wordJoiner)
}

// DefuseURLEntities is DefuseEntities for a link's URL: each such '&' is
// percent-encoded instead, so the URL stays printable ASCII. Glamour
// does not decode a link's destination, but the final markdown is checked
// whole, so a destination must already pass that check ("&#27;" in a URL
// is a hostile URL; an ordinary query string is left as it is).
func DefuseURLEntities(u string) string {
	return defuse(u, "%26")
}

// defuse writes amp in place of each '&' at which an entity would decode
// to an unsafe character.
func defuse(md, amp string) string {
	i := strings.IndexByte(md, '&')
	if i < 0 {
		return md
	}
	var b strings.Builder
	done := 0 // md[:done] is written to b
	for i >= 0 {
		if entityUnsafe(md[i:]) {
			if b.Len() == 0 {
				b.Grow(len(md) + 16)
			}
			b.WriteString(md[done:i])
			b.WriteString(amp)
			done = i + 1
		}
		next := strings.IndexByte(md[i+1:], '&')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	if done == 0 {
		return md
	}
	b.WriteString(md[done:])
	return b.String()
}

// wordJoiner is invisible, has no width and joins what it sits between:
// it changes nothing a reader sees or where a line breaks.
const wordJoiner = "\u2060"

// EntitiesSafe reports whether DefuseEntities would leave md as it is: no
// part of it decodes to a character that must not reach a terminal.
func EntitiesSafe(md string) bool {
	for i := strings.IndexByte(md, '&'); i >= 0; {
		if entityUnsafe(md[i:]) {
			return false
		}
		next := strings.IndexByte(md[i+1:], '&')
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return true
}

// entityUnsafe reports whether some prefix of s, which starts with '&',
// decodes to an unsafe character.
func entityUnsafe(s string) bool {
	if len(s) < 2 {
		return false
	}
	if s[1] == '#' {
		return numericUnsafe(s[2:])
	}
	return namedUnsafe(s)
}

// numericUnsafe reports whether a numeric reference "&#" + s, cut after
// any of its digits, decodes to an unsafe character. The value is
// computed as html.UnescapeString computes it, wrapping like its rune
// arithmetic, so that a run of a thousand digits is judged as it decodes.
func numericUnsafe(s string) bool {
	hex := false
	if s != "" && (s[0] == 'x' || s[0] == 'X') {
		hex = true
		s = s[1:]
	}
	var x rune
	for i := 0; i < len(s); i++ {
		d, ok := digitValue(s[i], hex)
		if !ok {
			return false
		}
		if hex {
			x = 16*x + d
		} else {
			x = 10*x + d
		}
		if unsafeDecoded(numericRune(x)) {
			return true
		}
	}
	return false
}

func digitValue(c byte, hex bool) (rune, bool) {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0'), true
	case hex && c >= 'a' && c <= 'f':
		return rune(c-'a') + 10, true
	case hex && c >= 'A' && c <= 'F':
		return rune(c-'A') + 10, true
	}
	return 0, false
}

// numericRune is what html.UnescapeString makes of the value x: 0x80–0x9F
// are read as Windows-1252, except the five codes that table leaves as
// they are (C1 controls); invalid values become U+FFFD.
func numericRune(x rune) rune {
	switch {
	case x >= 0x80 && x <= 0x9f:
		switch x {
		case 0x81, 0x8d, 0x8f, 0x90, 0x9d:
			return x
		}
		return 0x20ac // some printable character: which one does not matter here
	case x == 0 || x >= 0xd800 && x <= 0xdfff || x > 0x10ffff || x < 0:
		return 0xfffd
	}
	return x
}

// namedUnsafe reports whether a named reference at the start of s decodes
// to an unsafe character. Of the 2,231 names html.UnescapeString knows,
// only two do, both needing their ';' (checked against its table, which is
// the WHATWG list): the others decode to printable text.
func namedUnsafe(s string) bool {
	return strings.HasPrefix(s, "&Tab;") || strings.HasPrefix(s, "&NewLine;")
}

// unsafeDecoded reports whether r, decoded from an entity, must not be
// shown: every C0 control (a decoded newline or tab would break the line
// Glamour is laying out), DEL, C1 controls, and what Text removes.
func unsafeDecoded(r rune) bool {
	return r < 0x20 || r == ctrlDEL || removedRune(r)
}
