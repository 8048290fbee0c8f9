package ui

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"tidings/articles"
	"tidings/articles/termsafe"
)

// View draws the whole screen: top bar, panes, status line. Every line is
// cut and padded to the width, so that no content can garble the layout.
func (m Model) View() tea.View {
	v := tea.NewView(m.frame())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	if m.opts.NoMouse {
		v.MouseMode = tea.MouseModeNone
	}
	return v
}

// frame returns the screen as styled text, exactly height lines of width
// cells. It is what View shows and what the snapshot command prints.
//
// Every string in it was sanitised where it came in; termsafe.Frame
// checks the whole once more, so that no bug between a feed and the
// screen can let an escape sequence other than the program's own through.
func (m Model) frame() string {
	return termsafe.FramePictures(m.unfilteredFrame(), m.frameLinks(), m.frameRows())
}

// frameLinks are the hyperlink targets the frame may hold: those of the
// article in the reader pane, when it is on screen.
func (m Model) frameLinks() []string {
	if !m.readerVisible() {
		return nil
	}
	return m.readerDoc().links
}

func (m Model) unfilteredFrame() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	lines := make([]string, 0, m.height)
	if m.height >= 3 {
		lines = append(lines, m.fitPane([]string{fit(m.topBar(), m.width)}, m.width)...)
	}
	lines = append(lines, m.body(m.bodyHeight())...)
	lines = append(lines, m.fitPane([]string{fit(m.statusBar(), m.width)}, m.width)...)
	return strings.Join(lines, "\n")
}

// bodyHeight is the number of lines between the top bar and the status
// line.
func (m Model) bodyHeight() int {
	if m.height >= 3 {
		return m.height - 2
	}
	return max(m.height-1, 0)
}

func (m Model) wide() bool { return m.width >= wideLayout }

// listWidth is the list pane's width: two fifths of a wide screen, the
// whole of a narrow one.
func (m Model) listWidth() int {
	if !m.wide() {
		return m.width
	}
	// Titles need some 45 columns to be read in the list; the reader
	// keeps at least minReaderWidth, a comfortable measure for prose.
	return max(min(m.width*9/20, maxListWidth, m.width-minReaderWidth), 36)
}

// The bounds of the panes side by side: at 120 columns the list gets 54,
// at 160 the most, 72.
const (
	maxListWidth   = 72
	minReaderWidth = 59
)

func (m Model) readerWidth() int {
	if !m.wide() {
		return m.width
	}
	return m.width - m.listWidth() - 1 // the border between the panes
}

// body returns the panes: exactly height lines of exactly the width.
func (m Model) body(height int) []string {
	switch {
	case height <= 0:
		return nil
	case m.help.open:
		return m.fitPane(fitLines(m.helpView(height), m.width, height), m.width)
	case m.links.open:
		return m.fitPane(fitLines(m.linksView(m.width, height), m.width, height), m.width)
	case m.focus == focusFeeds:
		return m.fitPane(fitLines(m.feedsView(height), m.width, height), m.width)
	case !m.wide() && m.focus == focusReader:
		return m.fitPane(fitLines(m.readerView(m.width, height), m.width, height), m.width)
	case !m.wide():
		return m.fitPane(fitLines(m.listView(m.width, height), m.width, height), m.width)
	}
	list := m.fitPane(fitLines(m.listView(m.listWidth(), height), m.listWidth(), height), m.listWidth())
	reader := m.fitPane(m.readerView(m.readerWidth(), height), m.readerWidth())
	border := m.styles.Border.Render("│")
	out := make([]string, height)
	for i := range out {
		out[i] = list[i] + border + reader[i]
	}
	return out
}

// topBar shows the counts and every filter in force.
func (m Model) topBar() string {
	s := m.styles
	counts := countsText(m.all)
	if m.focus == focusFeeds {
		counts += " · feeds"
	}
	if m.links.open {
		counts += " · links"
	}
	var parts []string
	if m.filter.unreadOnly {
		parts = append(parts, "unread only")
	}
	if m.filter.starredOnly {
		parts = append(parts, "starred only")
	}
	var label, search string // the parts that can be long: cut first
	if m.filter.feedLabel != "" {
		label = m.filter.feedLabel
	}
	if m.search.input != "" && !m.search.editing {
		search = m.search.input
	}
	matches := ""
	if (len(parts) > 0 || label != "" || search != "") && m.list.loaded && m.focus != focusFeeds {
		matches = matchCount(m.list.page)
	}
	badge := s.Badge.Render("tidings")
	room := m.width - ansi.StringWidth(badge) - 1
	bar := fitTopBarIn(room, m.inLine, counts, parts, label, search, matches)
	return badge + " " + s.TopBar.Render(bar)
}

// fitTopBar joins the top bar's parts within room cells. What a narrow
// screen must lose goes first, with an ellipsis: the search's words, then
// the feed's name; the counts and the number of matches stay.
func fitTopBar(room int, counts string, parts []string, label, search, matches string) string {
	return fitTopBarIn(room, func(s string) string { return s }, counts, parts, label, search, matches)
}

// fitTopBarIn is fitTopBar with the feed's name and the search shown
// through show, each on its own: right-to-left words are put in visual
// order apart from the numbers beside them.
func fitTopBarIn(room int, show func(string) string, counts string, parts []string, label, search, matches string) string {
	join := func(label, search string) string {
		all := []string{counts}
		if label != "" {
			all = append(all, show(label))
		}
		all = append(all, parts...)
		if search != "" {
			all = append(all, "search “"+show(search)+"”")
		}
		if matches != "" {
			all = append(all, matches)
		}
		return strings.Join(all, " · ")
	}
	bar := join(label, search)
	for over := ansi.StringWidth(bar) - room; over > 0; over = ansi.StringWidth(bar) - room {
		switch {
		case ansi.StringWidth(search) > 1:
			search = ansi.Truncate(search, max(ansi.StringWidth(search)-over, 1), "…")
		case ansi.StringWidth(label) > 1:
			label = ansi.Truncate(label, max(ansi.StringWidth(label)-over, 1), "…")
		default:
			return ansi.Truncate(bar, max(room, 0), "…")
		}
		bar = join(label, search)
	}
	return bar
}

// listView draws the rows from the top of the list pane.
func (m Model) listView(width, height int) []string {
	l := m.list
	switch {
	case !l.loaded:
		return []string{"", m.styles.Faint.Render("  Loading articles…")}
	case l.page.Total == 0 && l.query.Empty():
		return m.emptyView("No articles yet.", "Add a feed with: tidings add URL",
			fmt.Sprintf("then press %s to fetch it. Press %s for the keys.", key1(m.keys.RefreshAll), key1(m.keys.Help)))
	case l.page.Total == 0 && m.search.input != "":
		return m.emptyView(fmt.Sprintf("No article matches “%s”.", m.search.input),
			fmt.Sprintf("Press %s to clear the search.", key1(m.keys.Back)))
	case l.page.Total == 0 && m.filter.search != "" && !m.filter.unreadOnly && !m.filter.starredOnly:
		return m.emptyView(fmt.Sprintf("No article matches the saved search %s yet.", m.filter.feedLabel),
			fmt.Sprintf("%s shows every feed.", key1(m.keys.Back)))
	case l.page.Total == 0 && m.filter.feedLabel != "" && !m.filter.unreadOnly && !m.filter.starredOnly:
		return m.emptyView(fmt.Sprintf("No article from %s yet.", m.filter.feedLabel),
			fmt.Sprintf("%s fetches the feeds; %s shows how each fetch went;", key1(m.keys.RefreshAll), key1(m.keys.Feeds)),
			fmt.Sprintf("%s shows every feed.", key1(m.keys.Back)))
	case l.page.Total == 0:
		return m.emptyView("No article here.",
			fmt.Sprintf("%s and %s switch the unread and starred filters;", key1(m.keys.UnreadOnly), key1(m.keys.StarredOnly)),
			fmt.Sprintf("%s shows every feed.", key1(m.keys.Back)))
	}
	lines := make([]string, 0, height)
	for i := l.top; i < l.page.Total && len(lines) < height; i++ {
		lines = append(lines, m.rowView(i, width))
	}
	return lines
}

func (m Model) emptyView(lines ...string) []string {
	out := []string{""}
	for _, l := range lines {
		out = append(out, "  "+m.styles.Faint.Render(m.inLine(l)))
	}
	return out
}

// titleRoom is the width of title a row keeps before it shows a source.
const titleRoom = 44

// rowView draws one row: selection bar, unread dot, title, source, age.
func (m Model) rowView(i, width int) string {
	row, ok := m.list.row(i)
	if !ok {
		return m.styles.Faint.Render("  …")
	}
	st := m.styles.rows[rowNormal]
	if i == m.list.cursor {
		st = m.styles.rows[rowSelected]
		if m.focus == focusReader {
			st = m.styles.rows[rowBlurred]
		}
	}
	dot, star := st.blank, st.blank
	if !row.Read {
		dot = st.dot
	}
	if row.Starred {
		star = st.star
	}
	// The source column has one width for every row, so that the ages
	// line up. A pane too narrow for it and a title of titleRoom leaves
	// it out: beside the reader, whose header names the source, the title
	// matters more.
	srcWidth := min(width/4, 14)
	if width-4-srcWidth-7 < titleRoom {
		srcWidth = 0
	}
	right := fmt.Sprintf(" %4s ", age(m.opts.Now(), row.Published))
	if srcWidth > 0 {
		src := fit(ansi.Truncate(m.shown(row.Source), srcWidth, "…"), srcWidth)
		if m.opts.ReorderRTL {
			src = visualLine(src, textDir(row.Source))
		}
		right = " " + src + right
		srcWidth++
	}
	titleWidth := max(width-4-srcWidth-6, 1)
	title := fit(ansi.Truncate(m.shown(row.Title), titleWidth, "…"), titleWidth)
	title = lipgloss.StyleRanges(st.text.Render(" "+title), matchRanges(" "+title, m.list.query.Terms, m.styles.Match)...)
	if m.opts.ReorderRTL {
		// A right-to-left title (and source) is right-aligned in its
		// column: its start, what the eye looks for, then lines up from row
		// to row as the start of left-to-right titles does on the left.
		title = visualLine(title, textDir(row.Title))
	}
	return st.bar + dot + star + title + st.faint.Render(right)
}

// readerView draws the visible lines of the article the reader shows:
// exactly height lines of exactly width cells.
func (m Model) readerView(width, height int) []string {
	r, ok := m.renders.get(m.readerKey())
	switch {
	case m.reader.id == "":
		return fitLines(nil, width, height)
	case !ok:
		return fitLines([]string{"", m.styles.Faint.Render("  Rendering…")}, width, height)
	case r.err != nil:
		return fitLines([]string{"", "  " + m.styles.Error.Render(r.err.Error())}, width, height)
	}
	doc := m.withPictures(r.doc)
	y := max(0, min(m.reader.yoff, len(doc.lines)-height))
	lines := make([]string, height)
	for i := range lines {
		switch {
		case y+i >= len(doc.lines):
			lines[i] = strings.Repeat(" ", width)
		case doc.width != width: // an older rendering, until the new one comes
			lines[i] = m.visual(doc, y+i, fit(m.highlight(doc, y+i), width))
		default:
			lines[i] = m.visual(doc, y+i, m.highlight(doc, y+i))
		}
	}
	return lines
}

// inLine shows a line of the interface (the top bar, a message), which
// may quote a feed's name or a search, with any right-to-left words in it
// in visual order. The search being typed stays in the order it is
// typed, its cursor at its end.
func (m Model) inLine(s string) string {
	if !m.opts.ReorderRTL {
		return s
	}
	return visualLine(s, lineDir(s, false))
}

// visual puts line, line i of doc as shown, in visual order when the
// reader reorders right-to-left text: after highlighting, so that the
// matches move with their characters.
func (m Model) visual(doc document, i int, line string) string {
	if !m.opts.ReorderRTL || i >= len(doc.dirs) {
		return line
	}
	return visualLine(line, doc.dirs[i])
}

// highlight marks the search matches on line i of doc: those of the
// search of the article when there is one, else those of the list's.
func (m Model) highlight(doc document, i int) string {
	if m.reader.find.active() {
		return lipgloss.StyleRanges(doc.lines[i], m.findRanges(doc, i)...)
	}
	terms := m.list.query.Terms
	if len(terms) == 0 {
		return doc.lines[i]
	}
	style := m.styles.Match
	if i == m.reader.match {
		style = style.Underline(true)
	}
	return lipgloss.StyleRanges(doc.lines[i], matchRanges(doc.plain[i], terms, style)...)
}

// statusBar shows the search line, a message, the search in force or the
// key hints on the left, and the position on the right.
func (m Model) statusBar() string {
	s := m.styles
	right := m.position()
	left := m.statusLeft()
	room := m.width - ansi.StringWidth(right) - 2
	if room < 10 {
		right, room = "", m.width-1
	}
	left = ansi.Truncate(left, max(room, 0), "…")
	gap := max(m.width-ansi.StringWidth(left)-ansi.StringWidth(right)-1, 0)
	return left + s.Status.Render(strings.Repeat(" ", gap)+right+" ")
}

func (m Model) statusLeft() string {
	s := m.styles
	switch {
	case m.command.editing:
		return m.commandLine()
	case m.search.editing && m.search.err != nil:
		return s.Prompt.Render(" / ") + s.Message.Render(m.search.input) + s.Cursor.Render(" ") +
			s.Error.Render("  "+m.search.err.Error())
	case m.search.editing:
		n := s.Status.Render(fmt.Sprintf("  %s of %d  ", plainTotal(m.list.page), m.all.Total))
		return s.Prompt.Render(" / ") + s.Message.Render(m.search.input) + s.Cursor.Render(" ") + n +
			s.Status.Render(hints(m.keys.searchHelp()))
	case m.reader.find.editing && m.focus == focusReader:
		f := m.reader.find
		return s.Prompt.Render(" / ") + s.Message.Render(f.input) + s.Cursor.Render(" ") +
			s.Status.Render("  "+f.status()+"  "+hints(m.keys.searchHelp()))
	case m.reader.number != "" && m.focus == focusReader:
		return s.Message.Render(m.numberStatus())
	case m.status.isErr: // errors may quote a server or a feed
		return s.Error.Render(" " + termsafe.Line(m.status.text))
	case m.status.text != "":
		return s.Message.Render(" " + m.inLine(termsafe.Line(m.status.text)))
	case m.fetchingShown():
		return s.Message.Render(" Fetching the full article…")
	case m.alert != "":
		room := m.width - ansi.StringWidth(m.position()) - 3 // as statusBar leaves, less the leading space
		return s.Error.Render(" " + keepPath(termsafe.Line(m.alert), room))
	case m.help.open && len(m.helpLines()) > m.bodyHeight():
		return s.Status.Render(fmt.Sprintf(" Keys · %s/%s scroll · %s", key1(m.keys.Down), key1(m.keys.Up), m.helpCloses()))
	case m.help.open:
		return s.Status.Render(" Keys · " + m.helpCloses())
	case m.links.open:
		return s.Status.Render(" " + hints(m.keys.linksHelp()))
	case m.focus == focusFeeds:
		return s.Status.Render(" " + hints(m.keys.feedsHelp()))
	case m.focus == focusReader && m.reader.find.active():
		return s.Status.Render(m.findKept())
	case m.focus == focusReader:
		return s.Status.Render(" " + hints(m.keys.readerHelp()))
	}
	return s.Status.Render(" " + hints(m.keys.listHelp()))
}

// keepPath fits a notice that ends in a path (where a damaged database
// was set aside) into width by shortening the message before the path:
// the path is what the user needs whole. A notice that does not end in a
// path is left for statusBar to cut at its end.
func keepPath(notice string, width int) string {
	i := strings.LastIndexByte(notice, ' ')
	path := notice[i+1:]
	if i < 0 || ansi.StringWidth(notice) <= width || !strings.ContainsRune(path, '/') {
		return notice
	}
	head := width - ansi.StringWidth(path) - 1
	if head < 1 {
		return "…" + ansi.TruncateLeft(path, ansi.StringWidth(path)-width+1, "") // its end, with the file's name
	}
	msg := strings.TrimRight(notice[:i], " ")
	if ansi.StringWidth(msg) > head {
		msg = strings.TrimRight(ansi.Truncate(msg, head-1, ""), " ") + "…"
	}
	return msg + " " + path
}

// position is the refresh progress, "3/340" for the list and the reader's
// scroll percentage.
func (m Model) position() string {
	parts := []string{}
	if p := m.refresh.progress(); p != "" {
		parts = append(parts, p)
	}
	switch {
	case m.links.open:
		if n := len(m.linkEntries(m.readerDoc())); n > 0 {
			parts = append(parts, fmt.Sprintf("%d/%d", min(m.links.cursor, n-1)+1, n))
		}
		return strings.Join(parts, " · ")
	case m.focus == focusFeeds:
		if n := len(m.feeds.items); n > 0 {
			parts = append(parts, fmt.Sprintf("%d/%d", m.feeds.cursor+1, n))
		}
		return strings.Join(parts, " · ")
	case !m.list.loaded || m.list.page.Total == 0:
		return strings.Join(parts, " · ")
	}
	pos := fmt.Sprintf("%d/%s", m.list.cursor+1, plainTotal(m.list.page))
	if len(parts) > 0 {
		pos = parts[0] + " · " + pos
	}
	if m.readerVisible() && !m.help.open {
		if doc := m.readerDoc(); len(doc.lines) > 0 {
			pos += fmt.Sprintf(" · %d%%", m.reader.percent(doc, m.bodyHeight()))
		}
	}
	return pos
}

func hints(bindings []key.Binding) string {
	parts := make([]string, 0, len(bindings))
	for _, b := range bindings {
		// The first key is enough for a hint; the help lists them all.
		parts = append(parts, b.Keys()[0]+" "+b.Help().Desc)
	}
	return strings.Join(parts, " · ")
}

// matchCount is the number of matches of a page, "1,000+ matches" when
// the store stopped counting.
func matchCount(p articles.Page) string {
	if p.More {
		return p.TotalText() + " matches"
	}
	return articles.Count(p.Total, "match")
}

// plainTotal is the number of matches of a page without separators, with
// a "+" when the store stopped counting.
func plainTotal(p articles.Page) string {
	if p.More {
		return strconv.Itoa(p.Total) + "+"
	}
	return strconv.Itoa(p.Total)
}

// countsText is the top bar's counts of all articles, in thousands as
// every count is: "1,000,001 unread of 1,000,002 articles".
func countsText(all articles.Page) string {
	return articles.Thousands(all.Unread) + " unread of " + articles.Count(all.Total, "article")
}
