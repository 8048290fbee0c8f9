package articles

import (
	"strings"
	"unicode"
)

// Words splits s into lower-case words: maximal runs of letters, digits and
// combining marks. Search terms and indexed text both go through it, so a
// query matches exactly what the index holds.
func Words(s string) []string {
	var words []string
	start := -1
	for i, r := range s {
		if IsWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			words = append(words, strings.ToLower(s[start:i]))
			start = -1
		}
	}
	if start >= 0 {
		words = append(words, strings.ToLower(s[start:]))
	}
	return words
}

// IsWordRune reports whether r belongs to a word: search and highlighting
// must split text the same way.
func IsWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}
