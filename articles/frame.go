package articles

import (
	"strings"
	"unicode/utf8"
)

// SafeFrame is the last gate between the program and the terminal. The
// text of a frame has passed Sanitize field by field, and then through
// Glamour, lipgloss and the program's own styling; a bug in any of those
// could let a stranger's escape sequence through. SafeFrame lets through
// only what the program itself means to send: SGR styling (ESC [ … m) and
// OSC 8 hyperlinks to http(s) targets. Every other escape sequence is
// removed with its payload, and so are controls other than \n (\t becomes
// a space), C1 controls and bidi overrides; invalid UTF-8 becomes U+FFFD.
//
// A frame that needs no change is returned as it is, without a copy.
func SafeFrame(s string) string {
	var b *strings.Builder // nil until the first change
	done := 0              // s[:done] has been copied to b
	drop := func(from, to int) {
		if b == nil {
			b = &strings.Builder{}
			b.Grow(len(s))
		}
		b.WriteString(s[done:from])
		done = to
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ctrlESC:
			if n := allowedEscape(s[i:]); n > 0 {
				i += n
				continue
			}
			next := skipEscape(s, i+1)
			drop(i, next)
			i = next
		case c == '\n' || c >= 0x20 && c < ctrlDEL:
			i++
		case c == '\t':
			drop(i, i+1)
			b.WriteByte(' ')
			i++
		case c < utf8.RuneSelf: // other C0 controls and DEL
			drop(i, i+1)
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && n == 1:
				drop(i, i+1)
				b.WriteRune(utf8.RuneError)
				i++
			case r <= 0x9f:
				next := skipC1(s, i+n, r)
				drop(i, next)
				i = next
			case removedRune(r):
				drop(i, i+n)
				i += n
			default:
				i += n
			}
		}
	}
	if b == nil {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// allowedEscape returns the length of the escape sequence at the start of
// s if it is one SafeFrame lets through, else 0.
func allowedEscape(s string) int {
	if len(s) < 2 {
		return 0
	}
	switch s[1] {
	case '[':
		return sgrLength(s)
	case ']':
		return hyperlinkLength(s)
	}
	return 0
}

// sgrLength returns the length of an SGR sequence (ESC [ digits ; : m) at
// the start of s, or 0.
func sgrLength(s string) int {
	for i := 2; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9' || c == ';' || c == ':':
		case c == 'm':
			return i + 1
		default:
			return 0
		}
	}
	return 0
}

// hyperlinkLength returns the length of an OSC 8 hyperlink (ESC ] 8 ;
// params ; target ST) at the start of s whose target is empty (the end of
// a link) or an http(s) URL of printable ASCII, or 0.
func hyperlinkLength(s string) int {
	rest, ok := strings.CutPrefix(s, "\x1b]8;")
	if !ok {
		return 0
	}
	params, rest, ok := strings.Cut(rest, ";")
	if !ok || !printableASCII(params) {
		return 0
	}
	end := strings.IndexAny(rest, "\x1b\x07")
	if end < 0 {
		return 0
	}
	target := rest[:end]
	st := 1 // BEL
	if rest[end] == ctrlESC {
		if !strings.HasPrefix(rest[end:], "\x1b\\") {
			return 0
		}
		st = 2
	}
	if target != "" && !(hasPrefixFold(target, "http://") || hasPrefixFold(target, "https://")) ||
		!printableASCII(target) || strings.Contains(target, " ") {
		return 0
	}
	return len(s) - len(rest) + end + st
}

// printableASCII reports whether s holds only bytes 0x20–0x7E.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= ctrlDEL {
			return false
		}
	}
	return true
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
