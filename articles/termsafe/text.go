package termsafe

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	ctrlBEL = 0x07
	ctrlESC = 0x1b
	ctrlDEL = 0x7f
)

// Text returns s made safe to show in a terminal, keeping line structure (for bodies).
//
// Escape sequences (CSI, OSC, DCS, SOS, PM, APC and two-byte escapes, in
// their 7-bit ESC form or as the UTF-8 encoded C1 introducers) are removed
// together with their payload, so no half of a sequence is left as text.
// Then C0 controls other than \n and \t, DEL, C1 controls and bidi
// embedding, override and isolate characters are removed. \r\n and lone \r
// become \n. Each invalid UTF-8 byte becomes U+FFFD, so a bad encoding stays
// visible instead of vanishing. Everything else is kept as it is.
func Text(s string) string {
	if terminalSafe(s) {
		return s // the common case: no copy, no allocation
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ctrlESC:
			i = skipEscape(s, i+1)
		case c == '\r':
			// \r would move the cursor back over text already on the line;
			// treat \r\n and a lone \r (old Mac files) as one newline.
			b.WriteByte('\n')
			i++
			if i < len(s) && s[i] == '\n' {
				i++
			}
		case c < utf8.RuneSelf:
			if keptASCII(c) {
				b.WriteByte(c)
			}
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			i += n
			switch {
			case r == utf8.RuneError && n == 1:
				b.WriteRune(utf8.RuneError)
			case r <= 0x9f:
				// A C1 control: the introducers start a sequence like
				// their ESC forms do; the rest are just dropped.
				i = skipC1(s, i, r)
			case !removedRune(r):
				b.WriteString(s[i-n : i])
			}
		}
	}
	return b.String()
}

// Line is Text for one-line fields (title, author, source, link): every run of
// whitespace (including \n, \t, \r, and Unicode spaces like U+00A0, U+2028, U+2029) becomes one
// ASCII space, and the result is trimmed.
func Line(s string) string {
	s = Text(s)
	if !needsCollapse(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	pending := false // a space is owed before the next non-space rune
	for _, r := range s {
		if unicode.IsSpace(r) {
			pending = b.Len() > 0 // no space before the first word: trims the start
			continue
		}
		if pending {
			b.WriteByte(' ')
			pending = false
		}
		b.WriteRune(r)
	}
	return b.String() // a space still pending at the end is dropped: trims the end
}

// terminalSafe reports whether Text would return s unchanged, so the
// common clean string needs no copy. It checks exactly what Text
// removes or rewrites.
func terminalSafe(s string) bool {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if !keptASCII(c) {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || r <= 0x9f || removedRune(r) {
			return false
		}
		i += n
	}
	return true
}

// keptASCII reports whether the ASCII byte c survives: printable
// characters, newline and tab. \r is rewritten by Text, so it is not
// "kept" here.
func keptASCII(c byte) bool {
	return c >= 0x20 && c != ctrlDEL || c == '\n' || c == '\t'
}

// removedRune reports whether the non-ASCII rune r is removed: C1
// controls, and the bidi embeddings, overrides (U+202A–U+202E) and
// isolates (U+2066–U+2069) that can make text display in an order other
// than the one it is stored in. U+200E/U+200F marks and zero-width joiners
// are kept: they cannot reorder other text and some scripts need them.
// The kitty placeholder U+10EEEE is removed too: a terminal draws a
// picture in its place, and only the program chooses where pictures go.
func removedRune(r rune) bool {
	return r >= 0x80 && r <= 0x9f ||
		r >= 0x202a && r <= 0x202e ||
		r >= 0x2066 && r <= 0x2069 ||
		r == Placeholder
}

// skipEscape returns the index just past the escape sequence whose ESC
// ended just before i. If the ESC starts nothing recognisable (it is last,
// or followed by a control or non-ASCII byte), only the ESC is dropped and
// i is returned so the next byte is handled on its own.
func skipEscape(s string, i int) int {
	if i >= len(s) {
		return i
	}
	switch c := s[i]; {
	case c == '[':
		return skipCSI(s, i+1)
	case c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_':
		return skipControlString(s, i+1) // OSC, DCS, SOS, PM, APC
	case c >= 0x20 && c <= 0x2f:
		return skipIntermediates(s, i) // e.g. ESC ( B
	case c >= 0x30 && c <= 0x7e:
		return i + 1 // two-byte escape such as ESC c (reset) or ESC 7
	}
	return i
}

// skipC1 is skipEscape for a UTF-8 encoded C1 rune r ending just before i.
func skipC1(s string, i int, r rune) int {
	switch r {
	case 0x9b: // CSI
		return skipCSI(s, i)
	case 0x9d, 0x90, 0x98, 0x9e, 0x9f: // OSC, DCS, SOS, PM, APC
		return skipControlString(s, i)
	}
	return i
}

// skipCSI skips the parameter and intermediate bytes (0x20–0x3F) and the
// final byte (0x40–0x7E) of a control sequence starting at i. Any other
// byte ends the sequence early without being consumed, as in a terminal,
// so one malformed sequence cannot swallow the text after it.
func skipCSI(s string, i int) int {
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x3f {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipIntermediates skips the intermediate bytes (0x20–0x2F) and final
// byte (0x30–0x7E) of an escape such as ESC ( B, starting at i.
func skipIntermediates(s string, i int) int {
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		i++
	}
	return i
}

// skipControlString skips the payload of an OSC, DCS, SOS, PM or APC
// starting at i, and its terminator: ST (ESC \ or C1 U+009C) or BEL, which
// xterm accepts and which OSC is commonly sent with. Without a terminator
// the string runs to the end of s. Any other ESC ends the string without
// being consumed, as in a terminal: it begins the next sequence.
func skipControlString(s string, i int) int {
	for ; i < len(s); i++ {
		switch s[i] {
		case ctrlBEL:
			return i + 1
		case ctrlESC:
			if i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
			return i
		case 0xc2: // first byte of U+009C, the 8-bit ST
			if i+1 < len(s) && s[i+1] == 0x9c {
				return i + 2
			}
		}
	}
	return i
}

// needsCollapse reports whether Line must rewrite s: it has
// whitespace other than single inner ASCII spaces.
func needsCollapse(s string) bool {
	prevSpace := true // so a leading space counts as a run
	for _, r := range s {
		space := unicode.IsSpace(r)
		if space && (r != ' ' || prevSpace) {
			return true
		}
		prevSpace = space
	}
	return prevSpace && s != "" // a trailing space
}
