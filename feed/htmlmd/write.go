package htmlmd

import (
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"tidings/articles"
	"tidings/articles/termsafe"
)

// write turns a sanitised HTML tree into markdown in one walk. It knows
// the elements a news item uses (paragraphs, headings, emphasis, links,
// lists, quotes, code, tables, rules) and reads any other element as its
// content. A general converter took about 1 ms an item, three quarters of
// a refresh's conversion time; this walk is a tenth of that.
//
// Text is escaped so that it shows as written: characters markdown reads
// as syntax get a backslash, and an '&' that could start an entity gets a
// word joiner (Escape). Every link target has passed linkAllowed.
//
// What it writes is bounded (maxBody, maxLinks, maxTableRows and
// maxTableCols): an item of 15 MB of text, 250,000 links or a table of
// 1,500 × 300 cells would take Glamour minutes and gigabytes to show, and
// no one reads that much in a terminal. The rest is left out with a note.
//
// cut says the HTML was cut before it was parsed, so a note is due even if
// what is left fits.
func write(doc *html.Node, base *url.URL, cut bool) string {
	w := writer{base: base}
	blocks := w.blocks(doc)
	if w.full || cut {
		blocks = append(blocks, articles.CutNote)
	}
	return strings.Join(blocks, "\n\n")
}

type writer struct {
	base  *url.URL
	size  int  // bytes of text, code and link targets written so far
	links int  // links written so far
	full  bool // size reached maxBody: nothing more is written
}

// The bounds of one article's markdown (articles.MaxBody says why 256
// KB). Glamour's cost grows with links and table cells faster than with
// text (some 0.5 ms a link), hence their own bounds.
const (
	maxBody      = articles.MaxBody
	maxLinks     = 1000
	maxTableRows = 200
	maxTableCols = 16
)

// grow counts n bytes written and reports whether there was room for them.
func (w *writer) grow(n int) bool {
	if w.full {
		return false
	}
	w.size += n
	if w.size > maxBody {
		w.full = true
	}
	return true
}

// blockElems are the elements that start a block of their own.
var blockElems = map[atom.Atom]bool{
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
func (w *writer) blocks(n *html.Node) []string {
	var out []string
	var para strings.Builder
	flush := func() {
		if p := paragraph(para.String()); p != "" {
			out = append(out, p)
			w.grow(2) // the blank line between blocks
		}
		para.Reset()
	}
	for c := n.FirstChild; c != nil && !w.full; c = c.NextSibling {
		if c.Type == html.ElementNode && blockElems[c.DataAtom] {
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
func (w *writer) block(n *html.Node) string {
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		text := oneLine(w.inlineOf(n))
		if text == "" {
			return ""
		}
		return strings.Repeat("#", int(n.Data[1]-'0')) + " " + text
	case atom.Pre:
		return fencedBlock(w.code(n))
	case atom.Blockquote:
		return prefixLines(strings.Join(w.blocks(n), "\n\n"), "> ", ">")
	case atom.Ul, atom.Ol:
		return w.list(n)
	case atom.Hr:
		return "---"
	case atom.Table:
		return w.table(n)
	case atom.Dt:
		if text := oneLine(w.inlineOf(n)); text != "" {
			return "**" + text + "**"
		}
		return ""
	}
	return strings.Join(w.blocks(n), "\n\n")
}

// list renders ul or ol: "- " or "N. " items, their other lines indented
// under the text; a list item with several blocks keeps them apart.
func (w *writer) list(n *html.Node) string {
	var items []string
	num := 1
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			if c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" {
				items = append(items, "- "+paragraph(Escape(c.Data)))
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
		case blockElems[c.DataAtom]: // not valid HTML, but seen
			body = w.block(c)
		default:
			var b strings.Builder
			w.inline(&b, c)
			body = paragraph(b.String())
		}
		if body == "" {
			continue
		}
		indent := strings.Repeat(" ", len(marker))
		items = append(items, marker+prefixLines(body, indent, "")[len(indent):])
	}
	return strings.Join(items, "\n")
}

// table renders a GFM table; the first row is the header.
func (w *writer) table(n *html.Node) string {
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
					if cells++; cells <= maxTableCols && len(rows) < maxTableRows {
						row = append(row, oneLine(w.inlineOf(td)))
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
func (w *writer) inlineOf(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.inline(&b, c)
	}
	return b.String()
}

// inline writes n as inline markdown. Block elements met here (a list in
// a link, say) give their text, with spaces around it.
func (w *writer) inline(b *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		b.WriteString(w.fit(Escape(n.Data)))
		return
	case html.ElementNode:
	default:
		return
	}
	switch n.DataAtom {
	case atom.Br:
		b.WriteString("\n")
	case atom.Strong, atom.B:
		wrap(b, w.inlineOf(n), "**")
	case atom.Em, atom.I, atom.Cite, atom.Dfn, atom.Var:
		wrap(b, w.inlineOf(n), "*")
	case atom.Del, atom.S, atom.Strike:
		wrap(b, w.inlineOf(n), "~~")
	case atom.Code, atom.Kbd, atom.Samp, atom.Tt:
		b.WriteString(codeSpan(w.code(n)))
	case atom.A:
		w.link(b, n)
	default:
		if blockElems[n.DataAtom] {
			b.WriteString(" " + w.inlineOf(n) + " ")
			return
		}
		b.WriteString(w.inlineOf(n))
	}
}

// link writes [text](url) for an http(s) or mailto link, else the text.
func (w *writer) link(b *strings.Builder, n *html.Node) {
	text := oneLine(w.inlineOf(n))
	href := strings.TrimSpace(attr(n, "href"))
	target := ""
	if href != "" {
		if strings.HasPrefix(strings.ToLower(href), "mailto:") {
			target = href
		} else {
			target = Resolve(w.base, href)
		}
	}
	if target == "" || !linkAllowed(target) || w.links >= maxLinks {
		b.WriteString(text)
		return
	}
	if text == "" || !w.grow(len(target)) {
		return
	}
	w.links++
	b.WriteString("[" + text + "](" + destination(target) + ")")
}

// code returns the text of a code element, as far as there is room for it.
func (w *writer) code(n *html.Node) string {
	return w.fit(textOf(n))
}

// fit returns as much of s as there is room for, counted, cut at a rune
// and not after half an escape.
func (w *writer) fit(s string) string {
	if w.full {
		return ""
	}
	room := maxBody - w.size
	if len(s) <= room {
		w.grow(len(s))
		return s
	}
	s = strings.ToValidUTF8(s[:room], "")
	if n := len(s) - len(strings.TrimRight(s, `\`)); n%2 == 1 {
		s = s[:len(s)-1] // a lone backslash would escape what follows
	}
	w.size, w.full = maxBody, true
	return s
}

// Link writes a markdown link to target, an http(s) URL Resolve gave, with
// text shown as written: what the converter writes for <a>, for a link
// made elsewhere (an enclosure).
func Link(text, target string) string {
	return "[" + Escape(text) + "](" + destination(target) + ")"
}

// destination makes a URL safe as a link destination: no spaces, no
// parentheses, brackets or angle brackets that would end it early, and no
// '&' that starts an entity decoding to a control character.
func destination(u string) string {
	u = termsafe.DefuseURLEntities(u)
	if !strings.ContainsAny(u, " ()<>[]") {
		return u
	}
	return destinationEscaper.Replace(u)
}

var destinationEscaper = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", "[", "%5B", "]", "%5D")

// wrap writes s between delimiters, with its outer spaces outside them
// (CommonMark does not read "** x**" as emphasis).
func wrap(b *strings.Builder, s, delim string) {
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

// textOf returns the text of n's subtree as it is.
func textOf(n *html.Node) string {
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

// fencedBlock writes code as a fenced block, the fence longer than any run of
// backticks in it.
func fencedBlock(code string) string {
	code = strings.Trim(code, "\n")
	if strings.TrimSpace(code) == "" {
		return ""
	}
	fence := strings.Repeat("`", max(3, longestRun(code, '`')+1))
	return fence + "\n" + code + "\n" + fence
}

// codeSpan writes an inline code span that holds s whatever backticks
// it has.
func codeSpan(s string) string {
	s = defuseEntities(strings.Join(strings.Fields(s), " ")) // Glamour decodes code spans too
	if s == "" {
		return ""
	}
	ticks := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return ticks + s + ticks
}

func longestRun(s string, c byte) int {
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

// escapeChars are the characters text escapes wherever they are: they
// start emphasis, code, links or tables. '<', which could start HTML,
// becomes "&lt;" instead, which Glamour shows as '<'. '~' is left alone:
// Glamour shows "\~" with its backslash, and a pair of tildes read as
// strikethrough is rarer than a "~5 km".
const escapeChars = "\\`*_[]|"

// escapeClass says what Escape does with an ASCII byte: 0 keeps it,
// 1 puts a backslash before it, 2 writes "&lt;", 3 is whitespace, 4 is
// '&'.
var escapeClass = func() (t [128]byte) {
	for _, c := range escapeChars {
		t[c] = 1
	}
	t['<'] = 2
	t['&'] = 4
	for _, c := range " \t\n\r\f" {
		t[c] = 3
	}
	return t
}()

// Escape escapes text for markdown and collapses its whitespace, as
// HTML shows it. It copies runs of plain text whole: it runs on every
// word of every item.
//
// Glamour decodes entities in the text it shows, so an '&' that could
// start one ("&#27;", "&lt;") gets a word joiner after it and shows as
// written. So does an '&' that ends s: the text of the next element may
// begin with "#27;". (termsafe.DefuseEntities checks the whole markdown
// once more, whatever pieces it was made of.)
func Escape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 16)
	done := 0 // s[:done] is written
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || escapeClass[c] == 0 || c == ' ' && (i+1 == len(s) || escapeClass[s[i+1]&0x7f] != 3 || s[i+1] >= 0x80) {
			continue // plain text, or a single space before a non-space
		}
		b.WriteString(s[done:i])
		switch escapeClass[c] {
		case 1:
			b.WriteByte('\\')
			b.WriteByte(c)
		case 2:
			b.WriteString("&lt;")
		case 3:
			for i+1 < len(s) && s[i+1] < 0x80 && escapeClass[s[i+1]] == 3 {
				i++
			}
			b.WriteByte(' ')
		case 4:
			b.WriteByte('&')
			if i+1 == len(s) || entityStart(s[i+1]) {
				b.WriteString(wordJoiner)
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

// paragraph trims a paragraph's lines and escapes what would make a line
// start a heading, a quote, a list or a rule.
func paragraph(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, escapeLineStart(l))
		}
	}
	return strings.Join(out, "  \n") // a hard line break, as <br> was
}

// escapeLineStart escapes the start of a line that markdown would read
// as a block: #, >, -, +, =, or a number followed by . or ).
func escapeLineStart(l string) string {
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

// oneLine collapses s to one trimmed line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// prefixLines puts prefix before every line of s, or blank before an
// empty one.
func prefixLines(s, prefix, blank string) string {
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
