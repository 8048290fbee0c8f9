package feed

import (
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"tidings/articles"
)

// mdWrite turns a sanitised HTML tree into markdown in one walk. It knows
// the elements a news item uses (paragraphs, headings, emphasis, links,
// lists, quotes, code, tables, rules) and reads any other element as its
// content. A general converter took about 1 ms an item, three quarters of
// a refresh's conversion time; this walk is a tenth of that.
//
// Text is escaped so that it shows as written: characters markdown reads
// as syntax get a backslash, and an '&' that could start an entity gets a
// word joiner (mdEscape). Every link target has passed mdLinkAllowed.
//
// What it writes is bounded (mdMaxBody, mdMaxLinks, mdMaxTableRows and
// mdMaxTableCols): an item of 15 MB of text, 250,000 links or a table of
// 1,500 × 300 cells would take Glamour minutes and gigabytes to show, and
// no one reads that much in a terminal. The rest is left out with a note.
//
// cut says the HTML was cut before it was parsed, so a note is due even if
// what is left fits.
func mdWrite(doc *html.Node, base *url.URL, cut bool) string {
	w := mdWriter{base: base}
	blocks := w.blocks(doc)
	if w.full || cut {
		blocks = append(blocks, articles.CutNote)
	}
	return strings.Join(blocks, "\n\n")
}

type mdWriter struct {
	base  *url.URL
	size  int  // bytes of text, code and link targets written so far
	links int  // links written so far
	full  bool // size reached mdMaxBody: nothing more is written
}

// The bounds of one article's markdown (articles.MaxBody says why 256
// KB). Glamour's cost grows with links and table cells faster than with
// text (some 0.5 ms a link), hence their own bounds.
const (
	mdMaxBody      = articles.MaxBody
	mdMaxLinks     = 1000
	mdMaxTableRows = 200
	mdMaxTableCols = 16
)

// grow counts n bytes written and reports whether there was room for them.
func (w *mdWriter) grow(n int) bool {
	if w.full {
		return false
	}
	w.size += n
	if w.size > mdMaxBody {
		w.full = true
	}
	return true
}

// mdBlockElems are the elements that start a block of their own.
var mdBlockElems = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Header: true,
	atom.Footer: true, atom.Main: true, atom.Aside: true, atom.Nav: true, atom.Figure: true,
	atom.Figcaption: true, atom.Details: true, atom.Summary: true, atom.Center: true,
	atom.Address: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Pre: true, atom.Blockquote: true, atom.Ul: true,
	atom.Ol: true, atom.Li: true, atom.Hr: true, atom.Table: true, atom.Dl: true,
	atom.Dt: true, atom.Dd: true, atom.Html: true, atom.Body: true, atom.Head: true,
	atom.Tr: true, atom.Td: true, atom.Th: true, atom.Thead: true, atom.Tbody: true,
	atom.Tfoot: true, atom.Caption: true,
}

// blocks renders n's children as markdown blocks: runs of inline content
// become paragraphs, block elements render on their own.
func (w *mdWriter) blocks(n *html.Node) []string {
	var out []string
	var para strings.Builder
	flush := func() {
		if p := mdParagraph(para.String()); p != "" {
			out = append(out, p)
			w.grow(2) // the blank line between blocks
		}
		para.Reset()
	}
	for c := n.FirstChild; c != nil && !w.full; c = c.NextSibling {
		if c.Type == html.ElementNode && mdBlockElems[c.DataAtom] {
			flush()
			if b := w.block(c); b != "" {
				out = append(out, b)
				w.grow(2)
			}
			continue
		}
		w.inline(&para, c)
	}
	flush()
	return out
}

// block renders one block element.
func (w *mdWriter) block(n *html.Node) string {
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		text := mdOneLine(w.inlineOf(n))
		if text == "" {
			return ""
		}
		return strings.Repeat("#", int(n.Data[1]-'0')) + " " + text
	case atom.Pre:
		return mdFence(w.code(n))
	case atom.Blockquote:
		return mdPrefixLines(strings.Join(w.blocks(n), "\n\n"), "> ", ">")
	case atom.Ul, atom.Ol:
		return w.list(n)
	case atom.Hr:
		return "---"
	case atom.Table:
		return w.table(n)
	case atom.Dt:
		if text := mdOneLine(w.inlineOf(n)); text != "" {
			return "**" + text + "**"
		}
		return ""
	}
	return strings.Join(w.blocks(n), "\n\n")
}

// list renders ul or ol: "- " or "N. " items, their other lines indented
// under the text; a list item with several blocks keeps them apart.
func (w *mdWriter) list(n *html.Node) string {
	var items []string
	num := 1
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			if c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" {
				items = append(items, "- "+mdParagraph(mdEscape(c.Data)))
			}
			continue
		}
		marker := "- "
		if n.DataAtom == atom.Ol {
			marker = fmt.Sprintf("%d. ", num)
			num++
		}
		var body string
		switch {
		case c.DataAtom == atom.Li:
			body = strings.Join(w.blocks(c), "\n\n")
		case mdBlockElems[c.DataAtom]: // not valid HTML, but seen
			body = w.block(c)
		default:
			var b strings.Builder
			w.inline(&b, c)
			body = mdParagraph(b.String())
		}
		if body == "" {
			continue
		}
		indent := strings.Repeat(" ", len(marker))
		items = append(items, marker+mdPrefixLines(body, indent, "")[len(indent):])
	}
	return strings.Join(items, "\n")
}

// table renders a GFM table; the first row is the header.
func (w *mdWriter) table(n *html.Node) string {
	var rows [][]string
	totalRows, totalCols := 0, 0 // the table's size before the bounds
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			if c.DataAtom != atom.Tr {
				walk(c)
				continue
			}
			var row []string
			cells := 0
			for td := c.FirstChild; td != nil; td = td.NextSibling {
				if td.Type == html.ElementNode && (td.DataAtom == atom.Td || td.DataAtom == atom.Th) {
					if cells++; cells <= mdMaxTableCols && len(rows) < mdMaxTableRows {
						row = append(row, mdOneLine(w.inlineOf(td)))
					}
				}
			}
			totalCols = max(totalCols, cells)
			if cells > 0 {
				totalRows++
			}
			if len(row) > 0 {
				rows = append(rows, row)
			}
		}
	}
	walk(n)
	if len(rows) == 0 {
		return ""
	}
	cols := 0
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	var b strings.Builder
	for i, r := range rows {
		for len(r) < cols {
			r = append(r, "")
		}
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
		if i == 0 {
			b.WriteString("|" + strings.Repeat(" --- |", cols) + "\n")
		}
	}
	table := strings.TrimSuffix(b.String(), "\n")
	if totalRows > len(rows) || totalCols > cols {
		table += fmt.Sprintf("\n\n\\[table cut: %d rows × %d columns, the first %d × %d shown\\]", totalRows, totalCols, len(rows), cols)
	}
	return table
}

// inlineOf renders n's children as inline markdown.
func (w *mdWriter) inlineOf(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.inline(&b, c)
	}
	return b.String()
}

// inline writes n as inline markdown. Block elements met here (a list in
// a link, say) give their text, with spaces around it.
func (w *mdWriter) inline(b *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		b.WriteString(w.fit(mdEscape(n.Data)))
		return
	case html.ElementNode:
	default:
		return
	}
	switch n.DataAtom {
	case atom.Br:
		b.WriteString("\n")
	case atom.Strong, atom.B:
		mdWrap(b, w.inlineOf(n), "**")
	case atom.Em, atom.I, atom.Cite, atom.Dfn, atom.Var:
		mdWrap(b, w.inlineOf(n), "*")
	case atom.Del, atom.S, atom.Strike:
		mdWrap(b, w.inlineOf(n), "~~")
	case atom.Code, atom.Kbd, atom.Samp, atom.Tt:
		b.WriteString(mdCodeSpan(w.code(n)))
	case atom.A:
		w.link(b, n)
	default:
		if mdBlockElems[n.DataAtom] {
			b.WriteString(" " + w.inlineOf(n) + " ")
			return
		}
		b.WriteString(w.inlineOf(n))
	}
}

// link writes [text](url) for an http(s) or mailto link, else the text.
func (w *mdWriter) link(b *strings.Builder, n *html.Node) {
	text := mdOneLine(w.inlineOf(n))
	href := strings.TrimSpace(mdAttr(n, "href"))
	target := ""
	if href != "" {
		if strings.HasPrefix(strings.ToLower(href), "mailto:") {
			target = href
		} else {
			target = mdResolve(w.base, href)
		}
	}
	if target == "" || !mdLinkAllowed(target) || w.links >= mdMaxLinks {
		b.WriteString(text)
		return
	}
	if text == "" || !w.grow(len(target)) {
		return
	}
	w.links++
	b.WriteString("[" + text + "](" + mdDestination(target) + ")")
}

// code returns the text of a code element, as far as there is room for it.
func (w *mdWriter) code(n *html.Node) string {
	return w.fit(mdText(n))
}

// fit returns as much of s as there is room for, counted, cut at a rune
// and not after half an escape.
func (w *mdWriter) fit(s string) string {
	if w.full {
		return ""
	}
	room := mdMaxBody - w.size
	if len(s) <= room {
		w.grow(len(s))
		return s
	}
	s = strings.ToValidUTF8(s[:room], "")
	if n := len(s) - len(strings.TrimRight(s, `\`)); n%2 == 1 {
		s = s[:len(s)-1] // a lone backslash would escape what follows
	}
	w.size, w.full = mdMaxBody, true
	return s
}

// mdDestination makes a URL safe as a link destination: no spaces, no
// parentheses, brackets or angle brackets that would end it early, and no
// '&' that starts an entity decoding to a control character.
func mdDestination(u string) string {
	u = articles.DefuseURLEntities(u)
	if !strings.ContainsAny(u, " ()<>[]") {
		return u
	}
	return mdDestinationEscaper.Replace(u)
}

var mdDestinationEscaper = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", "[", "%5B", "]", "%5D")

// mdWrap writes s between delimiters, with its outer spaces outside them
// (CommonMark does not read "** x**" as emphasis).
func mdWrap(b *strings.Builder, s, delim string) {
	inner := strings.TrimSpace(s)
	if inner == "" {
		b.WriteString(s)
		return
	}
	if (strings.HasPrefix(s, " ") || strings.HasPrefix(s, "\n")) && !strings.HasSuffix(b.String(), " ") {
		b.WriteByte(' ')
	}
	b.WriteString(delim + strings.ReplaceAll(inner, "\n", " ") + delim)
	if strings.HasSuffix(s, " ") || strings.HasSuffix(s, "\n") {
		b.WriteByte(' ')
	}
}

// mdText returns the text of n's subtree as it is.
func mdText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && n.DataAtom == atom.Br:
			b.WriteByte('\n')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// mdFence writes code as a fenced block, the fence longer than any run of
// backticks in it.
func mdFence(code string) string {
	code = strings.Trim(code, "\n")
	if strings.TrimSpace(code) == "" {
		return ""
	}
	fence := strings.Repeat("`", max(3, mdLongestRun(code, '`')+1))
	return fence + "\n" + code + "\n" + fence
}

// mdCodeSpan writes an inline code span that holds s whatever backticks
// it has.
func mdCodeSpan(s string) string {
	s = mdDefuseEntities(strings.Join(strings.Fields(s), " ")) // Glamour decodes code spans too
	if s == "" {
		return ""
	}
	ticks := strings.Repeat("`", mdLongestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return ticks + s + ticks
}

func mdLongestRun(s string, c byte) int {
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

// mdEscapeChars are the characters text escapes wherever they are: they
// start emphasis, code, links or tables. '<', which could start HTML,
// becomes "&lt;" instead, which Glamour shows as '<'. '~' is left alone:
// Glamour shows "\~" with its backslash, and a pair of tildes read as
// strikethrough is rarer than a "~5 km".
const mdEscapeChars = "\\`*_[]|"

// mdEscapeClass says what mdEscape does with an ASCII byte: 0 keeps it,
// 1 puts a backslash before it, 2 writes "&lt;", 3 is whitespace, 4 is
// '&'.
var mdEscapeClass = func() (t [128]byte) {
	for _, c := range mdEscapeChars {
		t[c] = 1
	}
	t['<'] = 2
	t['&'] = 4
	for _, c := range " \t\n\r\f" {
		t[c] = 3
	}
	return t
}()

// mdEscape escapes text for markdown and collapses its whitespace, as
// HTML shows it. It copies runs of plain text whole: it runs on every
// word of every item.
//
// Glamour decodes entities in the text it shows, so an '&' that could
// start one ("&#27;", "&lt;") gets a word joiner after it and shows as
// written. So does an '&' that ends s: the text of the next element may
// begin with "#27;". (articles.DefuseEntities checks the whole markdown
// once more, whatever pieces it was made of.)
func mdEscape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 16)
	done := 0 // s[:done] is written
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || mdEscapeClass[c] == 0 || c == ' ' && (i+1 == len(s) || mdEscapeClass[s[i+1]&0x7f] != 3 || s[i+1] >= 0x80) {
			continue // plain text, or a single space before a non-space
		}
		b.WriteString(s[done:i])
		switch mdEscapeClass[c] {
		case 1:
			b.WriteByte('\\')
			b.WriteByte(c)
		case 2:
			b.WriteString("&lt;")
		case 3:
			for i+1 < len(s) && s[i+1] < 0x80 && mdEscapeClass[s[i+1]] == 3 {
				i++
			}
			b.WriteByte(' ')
		case 4:
			b.WriteByte('&')
			if i+1 == len(s) || mdEntityStart(s[i+1]) {
				b.WriteString(mdWordJoiner)
			}
		}
		done = i + 1
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// mdParagraph trims a paragraph's lines and escapes what would make a line
// start a heading, a quote, a list or a rule.
func mdParagraph(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, mdEscapeLineStart(l))
		}
	}
	return strings.Join(out, "  \n") // a hard line break, as <br> was
}

// mdEscapeLineStart escapes the start of a line that markdown would read
// as a block: #, >, -, +, =, or a number followed by . or ).
func mdEscapeLineStart(l string) string {
	switch l[0] {
	case '#', '>', '-', '+', '=':
		return "\\" + l
	}
	i := 0
	for i < len(l) && i < 9 && l[i] >= '0' && l[i] <= '9' {
		i++
	}
	if i > 0 && i < len(l) && (l[i] == '.' || l[i] == ')') {
		return l[:i] + "\\" + l[i:]
	}
	return l
}

// mdOneLine collapses s to one trimmed line.
func mdOneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// mdPrefixLines puts prefix before every line of s, or blank before an
// empty one.
func mdPrefixLines(s, prefix, blank string) string {
	if s == "" {
		return ""
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if l == "" {
			lines[i] = blank
		} else {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}
