package ui

import (
	"context"
	"fmt"
	"strconv"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark/ast"

	"tidings/articles/termsafe"
)

// bodyLinks returns the targets of the links Glamour will make of body:
// the destinations of its links and the URLs it finds in the text (GFM's
// autolinks). The frame filter lets a hyperlink through only to one of
// these, so a hyperlink that reached the screen any other way (through a
// bug, or a renderer decoding something it should not) is shown as text.
func bodyLinks(body string) []string {
	src := []byte(body)
	var links []string
	_ = ast.Walk(parseMarkdown(src), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if dest, ok := linkDest(n, src); ok {
			links = append(links, dest)
		}
		return ast.WalkContinue, nil
	})
	return links
}

// linksModel is the links view: the article's links, numbered, one a row.
type linksModel struct {
	open   bool
	cursor int
	top    int // first row shown
}

// linkEntry is a row of the links view: the article's own link, number
// 0, then its body's links from 1, as numbered in the body.
type linkEntry struct {
	num int
	linkRef
}

// linkEntries returns the rows of the links view for doc, the rendering
// of the selected article.
func (m Model) linkEntries(doc document) []linkEntry {
	var out []linkEntry
	if CheckLink(doc.link) == nil {
		out = append(out, linkEntry{num: 0, linkRef: newLinkRef(doc.link, "this article")})
	}
	for i, r := range doc.refs {
		out = append(out, linkEntry{num: i + 1, linkRef: r})
	}
	return out
}

// linkNumber returns link n of doc, as the body and the links view number
// it, or else says why there is none.
func (m Model) linkNumber(doc document, n int) (linkEntry, string) {
	entries := m.linkEntries(doc)
	for _, e := range entries {
		if e.num == n {
			return e, ""
		}
	}
	switch {
	case len(entries) == 0:
		return linkEntry{}, "This article has no links"
	case len(doc.refs) == 0:
		return linkEntry{}, fmt.Sprintf("No link %d: this article has only its own link, 0", n)
	}
	return linkEntry{}, fmt.Sprintf("No link %d: this article's links are numbered %d to %d (%s lists them)",
		n, entries[0].num, len(doc.refs), key1(m.keys.Links))
}

// syncLinks closes the links view, saying why, when the rendering it
// waited for has no link to show.
func (m *Model) syncLinks() {
	if !m.links.open {
		return
	}
	r, ok := m.renders.get(m.readerKey())
	if ok && r.err == nil && len(m.linkEntries(r.doc)) == 0 {
		m.links = linksModel{}
		m.status = statusMessage{text: "This article has no links"}
	}
}

// openLinks opens the links view on the selected article. Its rendering
// may still be on its way: the view waits for it (syncReader asks for it).
func (m *Model) openLinks() tea.Cmd {
	if _, ok := m.list.selected(); !ok {
		return nil
	}
	if doc := m.readerDoc(); len(doc.lines) > 0 && len(m.linkEntries(doc)) == 0 {
		m.status = statusMessage{text: "This article has no links"}
		return nil
	}
	m.links = linksModel{open: true}
	return nil
}

func (m *Model) handleLinksKey(msg tea.KeyPressMsg) tea.Cmd {
	k, l := m.keys, &m.links
	entries := m.linkEntries(m.readerDoc())
	rows := m.linkRows()
	switch {
	case key.Matches(msg, k.Back, k.Quit, k.Links):
		m.links = linksModel{}
	case key.Matches(msg, k.Down):
		l.cursor++
	case key.Matches(msg, k.Up):
		l.cursor--
	case key.Matches(msg, k.Top):
		l.cursor = 0
	case key.Matches(msg, k.Bottom):
		l.cursor = len(entries) - 1
	case key.Matches(msg, k.PageDown, k.HalfDown, k.Space):
		l.cursor += max(rows-1, 1)
	case key.Matches(msg, k.PageUp, k.HalfUp):
		l.cursor -= max(rows-1, 1)
	case key.Matches(msg, k.CopyLink):
		return m.copyArticleLink()
	case len(entries) == 0:
		return nil
	case key.Matches(msg, k.Open, k.OpenLink):
		return m.openURL(entries[min(l.cursor, len(entries)-1)].url)
	case key.Matches(msg, k.CopySelectedLink):
		return m.copyLink(entries[min(l.cursor, len(entries)-1)].url)
	}
	l.cursor = max(0, min(l.cursor, len(entries)-1))
	l.top = linksTop(l.top, l.cursor, rows)
	return nil
}

// linksTop is the first row shown: it moves only as far as keeps the
// cursor's row in view.
func linksTop(top, cursor, rows int) int {
	return max(0, min(max(top, cursor-rows+1), cursor))
}

// linkRows is how many links the links view shows at once: the body less
// the title above them and the selected link's URL below.
func (m Model) linkRows() int {
	return max(m.bodyHeight()-linksChrome, 1)
}

// linksChrome is the lines of the links view that are not rows: a blank
// line and the title above, a blank line and the selected URL below.
const linksChrome = 5

// linksView draws the links view.
func (m Model) linksView(width, height int) []string {
	s := m.styles
	r, ok := m.renders.get(m.readerKey())
	switch {
	case !ok:
		return []string{"", s.Faint.Render("  Loading the links…")}
	case r.err != nil:
		return []string{"", "  " + s.Error.Render(r.err.Error())}
	}
	entries := m.linkEntries(r.doc)
	if len(entries) == 0 {
		return m.emptyView("This article has no links.", fmt.Sprintf("%s goes back.", key1(m.keys.Back)))
	}
	title := "Links"
	if sel, ok := m.list.selected(); ok {
		title = "Links of “" + m.shown(termsafe.Line(sel.Title)) + "”"
	}
	lines := []string{"", "  " + s.Title.Render(ansi.Truncate(title, max(width-4, 1), "…"))}
	rows := max(height-linksChrome, 1)
	cursor := max(0, min(m.links.cursor, len(entries)-1))
	top := linksTop(m.links.top, cursor, rows)
	numWidth := len(strconv.Itoa(entries[len(entries)-1].num))
	hostWidth := linksHostWidth(entries, width)
	for i := top; i < len(entries) && i < top+rows; i++ {
		lines = append(lines, m.linkRow(entries[i], i == cursor, width, numWidth, hostWidth))
	}
	if len(r.doc.refs) == 0 {
		lines = append(lines, "  "+s.Faint.Render("The text of this article has no links."))
	}
	for len(lines) < height-2 {
		lines = append(lines, "")
	}
	url := ansi.Truncate(entries[cursor].url, max(width-4, 1), "…")
	return append(lines, "", "  "+s.Link.Render(url))
}

// linksHostWidth is the width of the host column: the longest host, up to
// a third of the view.
func linksHostWidth(entries []linkEntry, width int) int {
	w := 0
	for _, e := range entries {
		w = max(w, len(e.host))
	}
	return min(w, width/3)
}

// linkRow draws one row of the links view: selection bar, number, text
// and host.
func (m Model) linkRow(e linkEntry, selected bool, width, numWidth, hostWidth int) string {
	st := m.styles.rows[rowNormal]
	if selected {
		st = m.styles.rows[rowSelected]
	}
	text := e.text
	if text == "" {
		text = e.url
	}
	num := fmt.Sprintf(" %*d  ", numWidth, e.num)
	textWidth := max(width-1-len(num)-1-hostWidth-1, 1)
	text = fit(ansi.Truncate(m.shown(termsafe.Line(text)), textWidth, "…"), textWidth)
	host := fit(ansi.Truncate(e.host, hostWidth, "…"), hostWidth)
	return st.bar + st.text.Render(num+text+" ") + st.faint.Render(host+" ")
}

// openURL opens link with Options.OpenURL, under the rules o follows.
func (m Model) openURL(link string) tea.Cmd {
	open := m.opts.OpenURL
	return func() tea.Msg { return openChecked(open, link) }
}

// copyLink puts link on the clipboard (OSC 52, which Bubble Tea writes),
// if it is one the reader would open, and says so.
func (m *Model) copyLink(link string) tea.Cmd {
	if err := CheckLink(link); err != nil {
		m.status = statusMessage{text: fmt.Sprintf("Not copied: %v", err), isErr: true}
		return nil
	}
	if m.opts.NoClipboard {
		m.status = statusMessage{text: "Would copy " + link + " (a snapshot copies nothing)"}
		return nil
	}
	m.status = statusMessage{text: "Copied " + link + " to the clipboard"}
	return tea.SetClipboard(link)
}

// linkCopyMsg carries the selected article's link, read from the store,
// to be copied.
type linkCopyMsg struct {
	link string
	err  error
}

// copyArticleLink copies the selected article's link, which the list
// does not hold: it is read from the store first.
func (m Model) copyArticleLink() tea.Cmd {
	sel, ok := m.list.selected()
	if !ok {
		return nil
	}
	store := m.opts.Store
	return func() tea.Msg {
		a, err := store.Article(context.Background(), sel.ID)
		if err != nil {
			return linkCopyMsg{err: fmt.Errorf("copy link: %w", err)}
		}
		return linkCopyMsg{link: a.Link}
	}
}

func (m *Model) onLinkCopy(msg linkCopyMsg) tea.Cmd {
	switch {
	case msg.err != nil:
		m.status = statusMessage{text: msg.err.Error(), isErr: true}
		return nil
	case msg.link == "":
		m.status = statusMessage{text: "This article has no link to copy"}
		return nil
	}
	return m.copyLink(msg.link)
}

// maxNumberDigits bounds a typed link number: an article has at most some
// thousand links (the converter's bound).
const maxNumberDigits = 5

// handleNumberKey takes the keys that choose a link by its number in the
// reader: digits, then enter (or o) to open it or Y to copy it; esc
// cancels. ok is false for any other key, which cancels the number and
// does what it does.
func (m *Model) handleNumberKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k, r := m.keys, &m.reader
	if isDigit(msg) && !m.keyBound(msg) {
		if len(r.number) < maxNumberDigits {
			r.number += msg.Text
		}
		return nil, true
	}
	if r.number == "" {
		return nil, false
	}
	n, _ := strconv.Atoi(r.number)
	switch {
	case msg.Code == tea.KeyBackspace:
		r.number = r.number[:len(r.number)-1]
		return nil, true
	case key.Matches(msg, k.Back):
		r.number = ""
		return nil, true
	case key.Matches(msg, k.Open, k.OpenLink):
		r.number = ""
		return m.withLink(n, m.openURL), true
	case key.Matches(msg, k.CopySelectedLink):
		r.number = ""
		return m.withLink(n, m.copyLink), true
	}
	r.number = ""
	return nil, false
}

// isDigit reports whether msg types a digit, as a link's number starts.
func isDigit(msg tea.KeyPressMsg) bool {
	return len(msg.Text) == 1 && msg.Text[0] >= '0' && msg.Text[0] <= '9' && msg.Mod&^tea.ModShift == 0
}

// keyBound reports whether msg is bound to an action: a digit [keys] gave
// an action does that action rather than start a link's number.
func (m Model) keyBound(msg tea.KeyPressMsg) bool {
	k := m.keys
	for _, a := range k.actions() {
		if a.ctx&ctxBrowse != 0 && key.Matches(msg, *a.b) {
			return true
		}
	}
	return false
}

// withLink does act with link n of the article in the reader, or says
// why there is no such link.
func (m *Model) withLink(n int, act func(string) tea.Cmd) tea.Cmd {
	doc := m.readerDoc()
	if len(doc.lines) == 0 {
		m.status = statusMessage{text: "The article is still loading"}
		return nil
	}
	e, why := m.linkNumber(doc, n)
	if why != "" {
		m.status = statusMessage{text: why}
		return nil
	}
	return act(e.url)
}

// numberStatus is the status line while a link number is typed.
func (m Model) numberStatus() string {
	return fmt.Sprintf(" Link %s · %s opens · %s copies · %s cancels", m.reader.number,
		key1(m.keys.Open), key1(m.keys.CopySelectedLink), key1(m.keys.Back))
}
