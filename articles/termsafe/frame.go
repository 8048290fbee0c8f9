package termsafe

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Frame is the last gate between the program and the terminal. The
// text of a frame has passed Text field by field, and then through
// Glamour, lipgloss and the program's own styling; a bug in any of those
// could let a stranger's escape sequence through. Frame lets through
// only what the program itself means to send, and only as it means it:
//
//   - SGR styling (ESC [ … m), without blink (5, 6) and conceal (8), which
//     the program never uses and which could hide or mimic text;
//   - OSC 8 hyperlinks whose target is one of links, the links the program
//     put on the screen itself after their checks (the article's own link
//     and the links of its body), and the end of a link (an empty target).
//     A hyperlink to any other target loses its escape; its text stays.
//
// Every other escape sequence is removed with its payload, and so are
// controls other than \n (\t becomes a space), C1 controls and bidi
// overrides; invalid UTF-8 becomes U+FFFD.
//
// A frame that needs no change is returned as it is, without a copy.
func Frame(s string, links []string) string {
	return FramePictures(s, links, nil)
}

// FramePictures is Frame for a frame that shows pictures: it also lets
// through each of rows, the picture rows the program drew itself (see
// PictureRow; an entry that is not one is ignored), where it stands whole
// in s. Anywhere else the kitty placeholder U+10EEEE is removed like any
// other escape, so text from a feed can never place a picture.
func FramePictures(s string, links, rows []string) string {
	w := frameWriter{s: s, links: links, rows: validRows(rows)}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ctrlESC:
			i = w.escape(i)
		case c == '\n' || c >= 0x20 && c < ctrlDEL:
			i++
		case c == '\t':
			w.drop(i, i+1)
			w.b.WriteByte(' ')
			i++
		case c < utf8.RuneSelf: // other C0 controls and DEL
			w.drop(i, i+1)
			i++
		default:
			i = w.multibyte(i)
		}
	}
	if w.b == nil {
		return s
	}
	w.b.WriteString(s[w.done:])
	return w.b.String()
}

// frameWriter copies a frame with what Frame removes left out. It copies
// nothing until the first change, so a clean frame costs no allocation.
type frameWriter struct {
	s     string
	links []string
	rows  []string         // the picture rows allowed, all valid
	b     *strings.Builder // nil until the first change
	done  int              // s[:done] has been copied to b
}

// drop leaves s[from:to] out.
func (w *frameWriter) drop(from, to int) {
	if w.b == nil {
		w.b = &strings.Builder{}
		w.b.Grow(len(w.s))
	}
	w.b.WriteString(w.s[w.done:from])
	w.done = to
}

// escape handles the escape sequence at s[i] and returns where the next
// character starts: an allowed one stays, an SGR one loses its forbidden
// attributes, any other goes whole.
func (w *frameWriter) escape(i int) int {
	if n := pictureRowAt(w.s[i:], w.rows); n > 0 {
		return i + n
	}
	n, sgr := allowedEscape(w.s[i:], w.links)
	switch {
	case n > 0 && sgr && sgrForbidden(w.s[i:i+n]):
		w.drop(i, i+n)
		w.b.WriteString(sgrWithout(w.s[i : i+n]))
		return i + n
	case n > 0:
		return i + n
	}
	next := skipEscape(w.s, i+1)
	w.drop(i, next)
	return next
}

// multibyte handles the character of more than one byte (or the invalid
// byte) at s[i] and returns where the next starts: invalid UTF-8 becomes
// U+FFFD, a C1 control goes with its sequence, bidi and other removed
// characters go.
func (w *frameWriter) multibyte(i int) int {
	r, n := utf8.DecodeRuneInString(w.s[i:])
	switch {
	case r == utf8.RuneError && n == 1:
		w.drop(i, i+1)
		w.b.WriteRune(utf8.RuneError)
		return i + 1
	case r <= 0x9f:
		next := skipC1(w.s, i+n, r)
		w.drop(i, next)
		return next
	case removedRune(r):
		w.drop(i, i+n)
	}
	return i + n
}

// allowedEscape returns the length of the escape sequence at the start of
// s if it is one Frame lets through (sgr tells an SGR sequence, which
// may still need rewriting), else 0.
func allowedEscape(s string, links []string) (n int, sgr bool) {
	if len(s) < 2 {
		return 0, false
	}
	switch s[1] {
	case '[':
		return sgrLength(s), true
	case ']':
		return hyperlinkLength(s, links), false
	}
	return 0, false
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
// a link) or one of links, an http(s) URL of printable ASCII, or 0.
func hyperlinkLength(s string, links []string) int {
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
		!printableASCII(target) || strings.Contains(target, " ") ||
		target != "" && !slices.Contains(links, target) {
		return 0
	}
	return len(s) - len(rest) + end + st
}

// sgrForbidden reports whether the SGR sequence seq sets blink (5, 6) or
// conceal (8). Numbers that are part of an extended colour (38;5;N,
// 48;2;R;G;B, and the colon forms) are colours, not attributes. It runs on
// every SGR of every frame, so it allocates nothing.
func sgrForbidden(seq string) bool {
	forbidden := false
	sgrAttributes(seq, func(attr string) {
		forbidden = forbidden || forbiddenAttr(attr)
	})
	return forbidden
}

func forbiddenAttr(attr string) bool {
	attr = strings.TrimLeft(attr, "0")
	return attr == "5" || attr == "6" || attr == "8"
}

// sgrWithout returns seq without its blink and conceal attributes, or ""
// when nothing else is left.
func sgrWithout(seq string) string {
	var kept []string
	sgrAttributes(seq, func(attr string) {
		if !forbiddenAttr(attr) {
			kept = append(kept, attr)
		}
	})
	if len(kept) == 0 {
		return ""
	}
	return "\x1b[" + strings.Join(kept, ";") + "m"
}

// sgrAttributes calls f with each attribute of the SGR sequence seq (ESC
// [ params m): a number, or an extended colour with all its numbers
// ("38;5;203", "48;2;1;2;3", "38:2::1:2:3").
func sgrAttributes(seq string, f func(string)) {
	params := seq[2 : len(seq)-1]
	for params != "" {
		p, rest, _ := strings.Cut(params, ";")
		if p == "38" || p == "48" || p == "58" {
			// A palette index takes two more numbers (5;N), a colour four
			// (2;R;G;B).
			n := 0
			switch next, _, _ := strings.Cut(rest, ";"); next {
			case "5":
				n = 2
			case "2":
				n = 4
			}
			end := len(p)
			for ; n > 0 && end < len(params); n-- {
				if k := strings.IndexByte(params[end+1:], ';'); k >= 0 {
					end += 1 + k
				} else {
					end = len(params)
				}
			}
			p = params[:end]
			rest = strings.TrimPrefix(params[end:], ";")
		}
		f(p)
		params = rest
	}
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
