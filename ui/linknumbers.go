package ui

import (
	"bytes"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// linkRef is one numbered link of an article's body: where it leads, the
// text it is shown with and its host, which the links view shows beside
// the text (found once here, not for every frame).
type linkRef struct {
	url, text, host string
}

func newLinkRef(link, text string) linkRef {
	r := linkRef{url: link, text: text}
	if u, err := url.Parse(link); err == nil {
		r.host = u.Host
	}
	return r
}

// parseMarkdown parses body as Glamour parses it (GitHub Flavored Markdown
// and definition lists), so that the two agree on what is a link.
func parseMarkdown(src []byte) ast.Node {
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.DefinitionList))
	return md.Parser().Parse(text.NewReader(src))
}

// numberLinks writes a number after the text of every link of body that
// the reader opens (http and https: CheckLink), "[3]", and returns the
// numbered markdown with the links in the order of their numbers, link i
// numbered i+1. A link met again keeps its first number. The numbers are
// written into the markdown before it is rendered, so the body shows
// exactly the numbers the links view lists.
//
// A body the numbers would change the meaning of (markdown that parses
// otherwise once numbered) is returned as it was, with its links still
// listed: a list without numbers in the text is better than numbers that
// lead elsewhere.
func numberLinks(body string) (string, []linkRef) {
	md, refs, _ := numberedLinks(body)
	return md, refs
}

// numberedLinks is numberLinks that also returns every link of the
// markdown it returns (bodyLinks), found by the parses numbering makes
// anyway: the reader needs both, and parsing is a tenth of rendering.
func numberedLinks(body string) (string, []linkRef, []string) {
	src := []byte(body)
	var refs []linkRef
	numbers := map[string]int{}
	var edits []edit
	var checked []string // every checked link, in order, to compare with the numbered body's
	var all []string     // every link
	_ = ast.Walk(parseMarkdown(src), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		dest, ok := linkDest(n, src)
		if ok {
			all = append(all, dest)
		}
		if !ok || CheckLink(dest) != nil {
			return ast.WalkContinue, nil
		}
		checked = append(checked, dest)
		num, seen := numbers[dest]
		if !seen {
			refs = append(refs, newLinkRef(dest, linkText(n, src)))
			num = len(refs)
			numbers[dest] = num
		}
		if e, ok := numberEdit(n, src, num); ok {
			edits = append(edits, e)
		}
		return ast.WalkContinue, nil
	})
	if len(refs) == 0 {
		return body, nil, all
	}
	numbered := applyEdits(src, edits)
	numberedAll := bodyLinks(numbered)
	if !slices.Equal(onlyChecked(numberedAll), checked) {
		return body, refs, all
	}
	return numbered, refs, numberedAll
}

// keptNumbering returns numbered if it has the links of body, checked, in
// the same order, else body: numbers that would change what the body
// links to are dropped.
func keptNumbering(body, numbered string, checked []string) string {
	if !slices.Equal(checkedLinks(numbered), checked) {
		return body
	}
	return numbered
}

// linkDest returns the destination of n when it is a link or an
// autolink.
func linkDest(n ast.Node, src []byte) (string, bool) {
	switch n := n.(type) {
	case *ast.Link:
		return string(n.Destination), true
	case *ast.AutoLink:
		return string(n.URL(src)), true
	}
	return "", false
}

// linkText is the text a link is shown with: an autolink's URL as written.
func linkText(n ast.Node, src []byte) string {
	if a, ok := n.(*ast.AutoLink); ok {
		return string(a.Label(src))
	}
	return plainText(n, src)
}

// checkedLinks returns, in order, the destinations of the links of body
// that pass CheckLink.
func checkedLinks(body string) []string {
	return onlyChecked(bodyLinks(body))
}

// onlyChecked returns the links that pass CheckLink, in order.
func onlyChecked(links []string) []string {
	var out []string
	for _, l := range links {
		if CheckLink(l) == nil {
			out = append(out, l)
		}
	}
	return out
}

// edit replaces src[at:at+cut] with insert.
type edit struct {
	at, cut int
	insert  string
}

func applyEdits(src []byte, edits []edit) string {
	slices.SortStableFunc(edits, func(a, b edit) int { return a.at - b.at })
	var b strings.Builder
	b.Grow(len(src) + 8*len(edits))
	done := 0
	for _, e := range edits {
		if e.at < done {
			continue // overlapping: cannot happen with links that do not nest
		}
		b.Write(src[done:e.at])
		b.WriteString(e.insert)
		done = e.at + e.cut
	}
	b.Write(src[done:])
	return b.String()
}

// numberEdit returns the edit that writes num after the text of the link
// n: inside its brackets for a link, so that it reads "story [3]" before
// Glamour's URL; after it for an autolink, which Glamour shows as its URL.
func numberEdit(n ast.Node, src []byte, num int) (edit, bool) {
	mark := `\[` + strconv.Itoa(num) + `\]`
	switch n := n.(type) {
	case *ast.AutoLink:
		end, ok := autoLinkEnd(n, src)
		return edit{at: end, insert: " " + mark}, ok
	case *ast.Link:
		if n.Pos() < 0 || n.Pos() >= len(src) || src[n.Pos()] != '[' {
			return edit{}, false
		}
		closer := closingBracket(src, n.Pos())
		if closer < 0 {
			return edit{}, false
		}
		if closer > n.Pos()+1 {
			mark = " " + mark
		}
		return referenceEdit(n, src, closer, mark)
	}
	return edit{}, false
}

// referenceEdit writes mark before the link text's closing bracket. A
// shortcut or collapsed reference link ("[label]", "[label][]") is named
// by its text, so it is written out in full ("[label [3]][label]"): the
// number must not change the label.
func referenceEdit(n *ast.Link, src []byte, closer int, mark string) (edit, bool) {
	if n.Reference == nil || n.Reference.Type == ast.ReferenceLinkFull {
		return edit{at: closer, insert: mark}, true
	}
	label := string(n.Reference.Value)
	switch n.Reference.Type {
	case ast.ReferenceLinkShortcut:
		return edit{at: closer, cut: 1, insert: mark + "][" + label + "]"}, true
	case ast.ReferenceLinkCollapsed:
		if !bytes.HasPrefix(src[closer:], []byte("][]")) {
			return edit{}, false
		}
		return edit{at: closer, cut: 3, insert: mark + "][" + label + "]"}, true
	}
	return edit{}, false
}

// autoLinkEnd returns the offset just after an autolink in src: after the
// ">" of "<https://…>", or after a URL found in the text (whose node
// starts at the space before it).
func autoLinkEnd(n *ast.AutoLink, src []byte) (int, bool) {
	pos, label := n.Pos(), n.Label(src)
	if pos < 0 || pos >= len(src) || len(label) == 0 {
		return 0, false
	}
	if src[pos] == '<' {
		end := pos + 1 + len(label)
		return end + 1, end < len(src) && src[end] == '>'
	}
	i := bytes.Index(src[pos:], label)
	if i < 0 || i > 1 {
		return 0, false
	}
	return pos + i + len(label), true
}

// closingBracket returns the offset of the "]" that closes the link text
// opened at src[open], skipping escaped characters, nested brackets and
// code spans as CommonMark does; -1 when there is none.
func closingBracket(src []byte, open int) int {
	depth := 0
	for i := open; i < len(src); i++ {
		switch src[i] {
		case '\\':
			i++
		case '`':
			i = codeSpanEnd(src, i)
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// codeSpanEnd returns the offset of the last backtick of the code span
// that starts at src[i], or of the last backtick of the run when the run
// closes no span.
func codeSpanEnd(src []byte, i int) int {
	run := i
	for run < len(src) && src[run] == '`' {
		run++
	}
	fence := src[i:run]
	for j := run; j < len(src); {
		k := bytes.Index(src[j:], fence)
		if k < 0 {
			break
		}
		end := j + k + len(fence)
		if end == len(src) || src[end] != '`' {
			return end - 1
		}
		for end < len(src) && src[end] == '`' {
			end++
		}
		j = end
	}
	return run - 1
}

// plainText is the text of a link as the links view shows it: its words,
// escapes and entities resolved, on one line.
func plainText(n ast.Node, src []byte) string {
	var b []byte
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b = append(b, c.Segment.Value(src)...)
			if c.SoftLineBreak() || c.HardLineBreak() {
				b = append(b, ' ')
			}
		case *ast.String:
			b = append(b, c.Value...)
		}
		return ast.WalkContinue, nil
	})
	b = util.UnescapePunctuations(b)
	b = util.ResolveNumericReferences(b)
	b = util.ResolveEntityNames(b)
	return strings.Join(strings.Fields(string(b)), " ")
}
