package termsafe

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Placeholder is the kitty graphics protocol's Unicode placeholder: a
// terminal that draws pictures shows, in a cell holding it, one cell of
// the picture its colour names, at the row and column its combining marks
// name. Text never holds it: Text, Line and Frame remove it.
const Placeholder = '\U0010EEEE'

// maxPlaceholderMarks bounds the combining marks after a placeholder: a
// row, a column and the top byte of the picture's id.
const maxPlaceholderMarks = 3

// PictureRow reports whether row is a row of a picture as the program
// draws it, and nothing else: a 24-bit foreground colour (the picture's
// id), then one or more placeholders each followed by two or three
// combining marks, then the default foreground again.
//
//	ESC [ 38;2;R;G;B m ( U+10EEEE Mn Mn [Mn] )+ ESC [ 39 m
func PictureRow(row string) bool {
	rest, ok := strings.CutPrefix(row, "\x1b[38;2;")
	if !ok {
		return false
	}
	for n := range 3 {
		sep := byte(';')
		if n == 2 {
			sep = 'm'
		}
		k := 0
		for k < len(rest) && k < 3 && rest[k] >= '0' && rest[k] <= '9' {
			k++
		}
		if k == 0 || k >= len(rest) || rest[k] != sep {
			return false
		}
		rest = rest[k+1:]
	}
	body, ok := strings.CutSuffix(rest, "\x1b[39m")
	return ok && placeholderCells(body)
}

// placeholderCells reports whether s is one or more placeholders, each
// followed by two or three combining marks.
func placeholderCells(s string) bool {
	cells, marks := 0, 0
	for _, r := range s {
		switch {
		case r == Placeholder:
			if cells > 0 && marks < 2 {
				return false
			}
			cells, marks = cells+1, 0
		case cells > 0 && r != utf8.RuneError && unicode.Is(unicode.Mn, r) && marks < maxPlaceholderMarks:
			marks++
		default:
			return false
		}
	}
	return cells > 0 && marks >= 2
}

// validRows returns the entries of rows that are picture rows.
func validRows(rows []string) []string {
	var out []string
	for _, r := range rows {
		if PictureRow(r) {
			out = append(out, r)
		}
	}
	return out
}

// pictureRowAt returns the length of the allowed row s starts with, or 0.
// Most frames have no picture rows, and those that do compare them only at
// an escape that starts a 24-bit colour.
func pictureRowAt(s string, rows []string) int {
	if len(rows) == 0 || !strings.HasPrefix(s, "\x1b[38;2;") {
		return 0
	}
	for _, r := range rows {
		if strings.HasPrefix(s, r) {
			return len(r)
		}
	}
	return 0
}

// KittyGraphics reports whether seq is one kitty graphics command as the
// program writes them, and nothing else: ESC _ G, keys of one letter with
// values of letters and digits joined by commas, optionally ; and a
// payload of base64, then ESC \ (never BEL, never the 8-bit ST).
func KittyGraphics(seq string) bool {
	rest, ok := strings.CutPrefix(seq, "\x1b_G")
	if !ok {
		return false
	}
	rest, ok = strings.CutSuffix(rest, "\x1b\\")
	if !ok {
		return false
	}
	keys, payload, _ := strings.Cut(rest, ";")
	return kittyKeys(keys) && base64Text(payload)
}

// kittyKeys reports whether s is k=v pairs joined by commas, k one ASCII
// letter and v one or more ASCII letters or digits (a minus sign allowed
// first, for negative offsets).
func kittyKeys(s string) bool {
	if s == "" {
		return false
	}
	for pair := range strings.SplitSeq(s, ",") {
		k, v, ok := strings.Cut(pair, "=")
		if !ok || len(k) != 1 || !asciiLetter(k[0]) {
			return false
		}
		v = strings.TrimPrefix(v, "-")
		if v == "" {
			return false
		}
		for i := 0; i < len(v); i++ {
			if !asciiLetter(v[i]) && (v[i] < '0' || v[i] > '9') {
				return false
			}
		}
	}
	return true
}

// base64Text reports whether s holds only the standard base64 alphabet.
func base64Text(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !asciiLetter(c) && (c < '0' || c > '9') && c != '+' && c != '/' && c != '=' {
			return false
		}
	}
	return true
}

func asciiLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
