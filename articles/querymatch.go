package articles

import (
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The Go side of the query language: one matcher for an article in hand
// (the in-memory store, rules applied as articles arrive) and for the
// SQLite store's checks of the candidates its index found. Both sides
// split text with Words and IndexTokens, so they agree with the index.

// MatchesArticle reports whether q selects a, whose feed has the title
// feedTitle, at the time now (for since: and age:).
func (q Query) MatchesArticle(a Article, feedTitle string, now time.Time) bool {
	if !q.Matches(a.Feed, a.Read, a.Starred) {
		return false
	}
	e := q.Search()
	return e == nil || e.MatchesArticle(a, feedTitle, now)
}

// MatchesArticle reports whether e selects a; see Query.MatchesArticle.
func (e *Expr) MatchesArticle(a Article, feedTitle string, now time.Time) bool {
	switch e.Op {
	case OpAnd:
		for _, x := range e.Args {
			if !x.MatchesArticle(a, feedTitle, now) {
				return false
			}
		}
		return true
	case OpOr:
		for _, x := range e.Args {
			if x.MatchesArticle(a, feedTitle, now) {
				return true
			}
		}
		return false
	case OpNot:
		return !e.Args[0].MatchesArticle(a, feedTitle, now)
	}
	return e.Term.matches(a, feedTitle, now)
}

func (t Term) matches(a Article, feedTitle string, now time.Time) bool {
	switch t.Field {
	case FieldText:
		if t.Phrase {
			return HasPhrase(a.Title, t.Words) || HasPhrase(a.Source, t.Words) || HasPhrase(a.Body, t.Words)
		}
		return HasWords(a.Title+"\n"+a.Source+"\n"+a.Body, t.Words)
	case FieldTitle:
		return t.MatchesText(a.Title)
	case FieldAuthor:
		return t.MatchesText(a.Author)
	case FieldFeed:
		return t.MatchesFeed(a.Feed, feedTitle)
	case FieldTag:
		return containsString(t.Feeds, a.Feed)
	case FieldLink:
		return MatchesLink(t.Text, a.Link)
	case FieldState:
		return t.State == StateUnread && !a.Read || t.State == StateRead && a.Read || t.State == StateStarred && a.Starred
	case FieldTime:
		return t.Time.Holds(a.Published, now)
	}
	return false
}

// MatchesText reports whether the text of one field holds the term: its
// phrase, or each of its words as a prefix of a word of text.
func (t Term) MatchesText(text string) bool {
	if t.Phrase {
		return HasPhrase(text, t.Words)
	}
	return HasWords(text, t.Words)
}

// HasWords reports whether each word is found in text as the full-text
// index finds it: every token of it (TermTokens) the prefix of one of the
// text's (IndexTokens), diacritics aside. No word, or a word with no
// token, finds nothing: a query never selects everything by accident.
func HasWords(text string, words []string) bool {
	if len(words) == 0 {
		return false
	}
	var tokens []string
	for _, w := range words {
		tt := TermTokens(Fold(w))
		if len(tt) == 0 {
			return false
		}
		tokens = append(tokens, tt...)
	}
	have := IndexTokens(Fold(text))
	for _, t := range tokens {
		if !hasPrefixed(have, t) {
			return false
		}
	}
	return true
}

func hasPrefixed(tokens []string, prefix string) bool {
	for _, t := range tokens {
		if strings.HasPrefix(t, prefix) {
			return true
		}
	}
	return false
}

// HasPhrase reports whether text holds words whole, adjacent and in order,
// diacritics aside. A word of CJK characters or a symbol may stand
// inside a run of them, as a search finds it.
func HasPhrase(text string, words []string) bool {
	if len(words) == 0 {
		return false
	}
	if isASCII(text) && isASCII(strings.Join(words, "")) {
		return hasPhraseASCII(text, words)
	}
	phrase := Fold(strings.Join(words, " "))
	hay := " " + Fold(strings.Join(Words(text), " ")) + " "
	first, _ := utf8.DecodeRuneInString(phrase)
	last, _ := utf8.DecodeLastRuneInString(phrase)
	for from := 0; ; {
		i := strings.Index(hay[from:], phrase)
		if i < 0 {
			return false
		}
		i += from
		end := i + len(phrase)
		if (hay[i-1] == ' ' || MatchesInside(string(first))) && (hay[end] == ' ' || MatchesInside(string(last))) {
			return true
		}
		from = i + 1
	}
}

// hasPhraseASCII is HasPhrase for ASCII text and words, without
// allocating: the SQLite store checks every candidate row's body with it.
func hasPhraseASCII(text string, words []string) bool {
	for i := 0; ; {
		start, end := nextASCIIWord(text, i)
		if start < 0 {
			return false
		}
		if end-start == len(words[0]) && strings.EqualFold(text[start:end], words[0]) && followedBy(text, end, words[1:]) {
			return true
		}
		i = end
	}
}

// followedBy reports whether the words of text from i on begin with words.
func followedBy(text string, i int, words []string) bool {
	for _, w := range words {
		start, end := nextASCIIWord(text, i)
		if start < 0 || !strings.EqualFold(text[start:end], w) {
			return false
		}
		i = end
	}
	return true
}

// nextASCIIWord returns the bounds of the first run of letters and digits
// of text from i on; start is -1 when there is none.
func nextASCIIWord(text string, i int) (start, end int) {
	for i < len(text) && !isAlnum(text[i]) {
		i++
	}
	if i == len(text) {
		return -1, -1
	}
	start = i
	for i < len(text) && isAlnum(text[i]) {
		i++
	}
	return start, i
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// MatchesFeed reports whether a feed: term names the feed at feedURL
// titled title: its words begin words of the title, or its text begins the
// URL (the scheme and "www." aside).
func (t Term) MatchesFeed(feedURL, title string) bool {
	if t.MatchesText(title) {
		return true
	}
	v := bareURL(strings.ToLower(strings.TrimSpace(t.Text)))
	return v != "" && strings.HasPrefix(bareURL(strings.ToLower(feedURL)), v)
}

// MatchesLink reports whether link is on the host value names (or one of
// its subdomains), or begins with value, the scheme and "www." aside.
func MatchesLink(value, link string) bool {
	v := bareURL(strings.ToLower(strings.TrimSpace(value)))
	if v == "" || link == "" {
		return false
	}
	l := strings.ToLower(link)
	if strings.HasPrefix(bareURL(l), v) {
		return true
	}
	u, err := url.Parse(l)
	return err == nil && strings.HasSuffix(u.Hostname(), "."+v)
}

// bareURL drops the scheme and a leading "www." from a lower-case URL.
func bareURL(u string) string {
	if _, rest, ok := strings.Cut(u, "://"); ok {
		u = rest
	}
	return strings.TrimPrefix(u, "www.")
}

// Fold removes diacritics from Latin letters and drops combining
// diacritical marks, as the full-text index does (unicode61
// remove_diacritics 2): "Café" and "cafe" are one word. Other scripts are
// left as they are: decomposing Hangul would change its bigrams.
func Fold(s string) string {
	if !strings.ContainsFunc(s, needsFold) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case 0x300 <= r && r <= 0x36f:
			continue
		case isLatinAccented(r):
			base, _ := utf8.DecodeRuneInString(norm.NFD.String(string(r)))
			b.WriteRune(base)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func needsFold(r rune) bool { return 0x300 <= r && r <= 0x36f || isLatinAccented(r) }

func isLatinAccented(r rune) bool {
	return (0xc0 <= r && r <= 0x24f || 0x1e00 <= r && r <= 0x1eff) && unicode.IsLetter(r)
}
