package articles

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Search splits text into words, and words into the tokens an index holds.
//
// Words are runs of letters, digits and combining marks, as in most
// scripts. Chinese and Japanese put no spaces between words, and Korean
// attaches particles to nouns ("서울에서", in Seoul), so a run of CJK
// characters is usually a whole phrase or sentence: a word typed in a
// search is rarely the start of one. A CJK run is therefore a word apart
// from the letters beside it, and the index holds its bigrams (each pair
// of adjacent characters) and its last character: "在北京" holds 在北,
// 北京 and 京. A search word of two or more CJK characters then requires
// bigrams that cover it, every other one and the last ("北京大学": 北京
// and 大学; a common bigram is in most articles, and each one more costs
// a walk of its list), and one of a single character is a prefix that
// matches a bigram starting with it or a last character, so that every
// place it occurs is found. The full-text index keeps no positions (see
// the sqlite package), so the bigrams of a term are not required to be
// adjacent: "北京大学" also finds an article holding 北京 and 大学 apart,
// which costs far less than positions and matters little: a search is
// typed until it finds what it looks for.
//
// Symbols such as emoji (Unicode category So) are words of one character
// each: "🚀" finds the articles that hold it. The variation selectors,
// skin tones and joiners that follow one belong to it and are dropped, so
// "👍🏽" finds "👍" of any skin tone.
//
// Text and queries both go through these functions, so a query matches
// exactly what the index holds. Changing how they split text changes the
// index: the SQLite store must then rebuild its index in a migration, or
// it cannot remove what it indexed before.

// runeClass is what a character is to the word splitter.
type runeClass uint8

const (
	separator runeClass = iota
	letter              // letters and digits outside CJK
	cjk                 // Han, kana, Hangul, Bopomofo
	symbol              // So: emoji and other symbols, a word each
	mark                // Mn: part of the word before it
)

func classOf(r rune) runeClass {
	switch {
	case r < utf8.RuneSelf:
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
			return letter
		}
		return separator
	case IsCJK(r):
		return cjk
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		return letter
	case unicode.Is(unicode.Mn, r):
		return mark
	case unicode.Is(unicode.So, r):
		return symbol
	}
	return separator
}

// IsCJK reports whether r is a Chinese, Japanese or Korean letter: text
// runs of them have no spaces between words, and search finds words
// anywhere inside them.
func IsCJK(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case 0x4e00 <= r && r <= 0x9fff, 0xac00 <= r && r <= 0xd7a3, 0x3041 <= r && r <= 0x3096, 0x30a1 <= r && r <= 0x30fa:
		return true // the common ideographs, Hangul syllables, kana: most of the text, looked up fast
	case r == 'ー' || r == 'ｰ': // the kana length mark, in no script of its own
		return true
	}
	return unicode.IsLetter(r) && unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Bopomofo)
}

// isEmojiPart reports whether r, after a symbol, belongs to it: variation
// selectors and other marks, skin tones (Sk), the zero-width joiner and
// the keycap's enclosing mark.
func isEmojiPart(r rune) bool {
	return r == '\u200d' || unicode.In(r, unicode.Mn, unicode.Me, unicode.Sk)
}

// segments calls f with the byte range and class of every word of s in
// order. A symbol's range covers the marks and modifiers that follow it.
func segments(s string, f func(start, end int, c runeClass)) {
	start, cur := -1, separator
	for i, r := range s {
		c := classOf(r)
		switch {
		case cur == symbol && isEmojiPart(r):
			continue
		case c == mark && cur != separator:
			continue // a combining mark stays with what it marks
		case c == mark:
			c = letter
		case c == cur && c != symbol:
			continue
		}
		if cur != separator {
			f(start, i, cur)
		}
		start, cur = i, c
	}
	if cur != separator {
		f(start, len(s), cur)
	}
}

// Words splits s into lower-case words: maximal runs of letters, digits
// and combining marks, a run of CJK characters apart from the letters
// around it, and each symbol (an emoji) alone. Search terms and indexed
// text both go through it.
func Words(s string) []string {
	var words []string
	segments(s, func(start, end int, c runeClass) {
		words = append(words, word(s[start:end], c))
	})
	return words
}

// word is the word a segment of class c makes: a symbol without its
// modifiers, other words in lower case.
func word(seg string, c runeClass) string {
	if c == symbol {
		_, n := utf8.DecodeRuneInString(seg)
		return seg[:n]
	}
	return strings.ToLower(seg)
}

// IndexTokens returns the tokens a search index holds for s: its words,
// each CJK word replaced by its bigrams and its last character.
func IndexTokens(s string) []string {
	var tokens []string
	segments(s, func(start, end int, c runeClass) {
		if c == cjk {
			tokens = appendCJK(tokens, s[start:end], true)
			return
		}
		tokens = append(tokens, word(s[start:end], c))
	})
	return tokens
}

// TermTokens returns the tokens a search term must find in an article,
// each as the prefix of a token IndexTokens gave: for a CJK word bigrams
// that cover it, or its one character. A term with no word in it ("!?")
// gives none: it matches no article.
func TermTokens(term string) []string {
	var tokens []string
	segments(term, func(start, end int, c runeClass) {
		if c == cjk {
			tokens = append(tokens, covering(appendCJK(nil, term[start:end], false))...)
			return
		}
		tokens = append(tokens, word(term[start:end], c))
	})
	return tokens
}

// appendCJK appends the bigrams of the CJK characters of run and, when
// last is true or there is only one, its last character. Marks inside the
// run are left out: both sides leave them out alike.
func appendCJK(tokens []string, run string, last bool) []string {
	eachCJK(run, last, func(t string) { tokens = append(tokens, t) })
	return tokens
}

// covering returns every other of a word's bigrams and the last: they
// hold each of its characters.
func covering(bigrams []string) []string {
	out := bigrams[:0]
	for i, b := range bigrams {
		if i%2 == 0 || i == len(bigrams)-1 {
			out = append(out, b)
		}
	}
	return out
}

// eachCJK calls f with each token appendCJK appends, slices of run where
// the characters are adjacent.
func eachCJK(run string, last bool, f func(string)) {
	prev, prevEnd, n := -1, -1, 0 // the previous CJK character's bytes
	for i, r := range run {
		if !IsCJK(r) {
			continue
		}
		end := i + utf8.RuneLen(r)
		if prev >= 0 {
			if prevEnd == i {
				f(run[prev:end])
			} else {
				f(run[prev:prevEnd] + run[i:end])
			}
		}
		prev, prevEnd = i, end
		n++
	}
	if n > 0 && (last || n == 1) {
		f(run[prev:prevEnd])
	}
}

// SearchText returns s rewritten so that a tokenizer splitting words at
// anything but letters, digits, marks and symbols (SQLite FTS5's unicode61
// with the categories 'L* Nd Mn So') finds in it the tokens IndexTokens
// gives: each CJK run becomes its bigrams and last character, and each
// symbol stands alone without its modifiers. Text with neither comes back
// as it is, at the cost of one scan.
func SearchText(s string) string {
	rewrite := strings.ContainsFunc(s, func(r rune) bool {
		return r >= utf8.RuneSelf && (IsCJK(r) || unicode.Is(unicode.So, r))
	})
	if !rewrite {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	copied := 0
	segments(s, func(start, end int, c runeClass) {
		if c != cjk && c != symbol {
			return
		}
		b.WriteString(s[copied:start])
		b.WriteByte(' ')
		if c == symbol {
			b.WriteString(word(s[start:end], c))
			b.WriteByte(' ')
		} else {
			eachCJK(s[start:end], true, func(t string) {
				b.WriteString(t)
				b.WriteByte(' ')
			})
		}
		copied = end
	})
	b.WriteString(s[copied:])
	return b.String()
}

// MatchesInside reports whether a search term, one of Words', is found
// inside words rather than only at their start: a CJK word, found
// anywhere in a run of CJK characters, or a symbol. Highlighting marks
// every place such a term occurs in the text.
func MatchesInside(term string) bool {
	r, _ := utf8.DecodeRuneInString(term)
	return IsCJK(r) || unicode.Is(unicode.So, r)
}

// IsWordRune reports whether r belongs to a word: search and highlighting
// must split text the same way.
func IsWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}
