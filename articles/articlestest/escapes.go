package articlestest

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// escapeStart finds every escape sequence introducer (ESC, and the UTF-8
// encoded C1 introducers CSI, OSC, DCS, SOS, PM, APC) and captures, after
// an ESC, the two kinds a frame may hold: SGR styling, and an OSC 8
// hyperlink that ends a link or goes to an http(s) target. It is written
// apart from termsafe.Frame on purpose, so that each checks the other.
var escapeStart = regexp.MustCompile("\x1b(\\[[0-9;:]*m|\\]8;[!-~]*;((?i:https?://)[!-~]*)?(\x07|\x1b\\\\))?|\u009b|\u009d|\u0090|\u0098|\u009e|\u009f")

// UnsafeInFrame returns the first thing in frame that must never reach a
// terminal: an escape sequence other than SGR and OSC 8 to http(s), an SGR
// that sets blink or conceal, a control character other than \n, a bidi
// override or isolate, or invalid UTF-8. ok is false when there is none.
func UnsafeInFrame(frame string) (what string, ok bool) {
	for _, loc := range escapeStart.FindAllStringSubmatchIndex(frame, -1) {
		if frame[loc[0]] != 0x1b || loc[2] < 0 {
			return excerpt(frame, loc[0]), true
		}
		if seq := frame[loc[0]:loc[1]]; seq[1] == '[' && sgrHidesText(seq[2:len(seq)-1]) {
			return seq, true
		}
	}
	stripped := escapeStart.ReplaceAllString(frame, "")
	for i, r := range stripped {
		switch {
		case r == utf8.RuneError:
			if _, n := utf8.DecodeRuneInString(stripped[i:]); n == 1 {
				return excerpt(stripped, i), true
			}
		case r == '\t' || unsafeRune(r):
			return excerpt(stripped, i), true
		}
	}
	return "", false
}

// UnsafeInText returns the first thing in s, text such as a stored body
// or title, that must never reach a terminal: a control character other
// than \n and \t (an ESC included), a C1 control, a bidi override or
// isolate, or invalid UTF-8. ok is false when there is none.
func UnsafeInText(s string) (what string, ok bool) {
	if !utf8.ValidString(s) {
		return "invalid UTF-8", true
	}
	for i, r := range s {
		if unsafeRune(r) {
			return excerpt(s, i), true
		}
	}
	return "", false
}

// unsafeRune reports whether r must not reach a terminal outside an
// escape sequence the program writes; \t is left to the caller.
func unsafeRune(r rune) bool {
	return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r <= 0x9f ||
		r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

func excerpt(s string, i int) string {
	return s[i:min(i+24, len(s))]
}

// sgrHidesText reports whether SGR parameters set blink (5, 6) or conceal
// (8), skipping the numbers of extended colours (38;5;N, 48;2;R;G;B).
func sgrHidesText(params string) bool {
	p := strings.Split(params, ";")
	for i := 0; i < len(p); i++ {
		switch strings.TrimLeft(p[i], "0") {
		case "38", "48", "58":
			if i+1 < len(p) && p[i+1] == "5" {
				i += 2
			} else if i+1 < len(p) && p[i+1] == "2" {
				i += 4
			}
		case "5", "6", "8":
			return true
		}
	}
	return false
}
