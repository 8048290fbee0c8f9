package articles

import "strings"

// MaxBody bounds an article's markdown: 256 KB is some 40,000 words,
// longer than any article, and Glamour takes about half a second to render
// that much. A body of 15 MB would take it minutes and gigabytes. The
// converter stops writing at the bound; CutBody applies it to bodies
// stored before it existed.
const MaxBody = 256 << 10

// CutNote ends a body that was cut, as markdown.
const CutNote = `\[cut: the article is longer; o opens it\]`

// CutBody returns md cut to MaxBody, at the last paragraph break before
// the bound where there is one, with CutNote after it; a body within the
// bound is returned as it is.
func CutBody(md string) string {
	if len(md) <= MaxBody {
		return md
	}
	cut := md[:MaxBody]
	if i := strings.LastIndex(cut, "\n\n"); i > MaxBody/2 {
		cut = cut[:i]
	} else if i := strings.LastIndexByte(cut, '\n'); i > MaxBody/2 {
		cut = cut[:i]
	}
	cut = strings.ToValidUTF8(cut, "")
	if n := len(cut) - len(strings.TrimRight(cut, `\`)); n%2 == 1 {
		cut = cut[:len(cut)-1] // a lone backslash would escape the note's newline
	}
	return cut + "\n\n" + CutNote
}
