package ui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"tidings/articles"
)

// readerModel is the reader pane's state: which article it shows and how
// far it is scrolled. The rendered lines live in the render cache.
type readerModel struct {
	id     string // the article shown; empty when there is none
	yoff   int    // first visible line
	match  int    // line of the last match jumped to, or -1
	find   findModel
	number string // the digits of a link number being typed
	// feedText: f asked for the feed's text rather than the full one.
	feedText bool
}

func (r *readerModel) scroll(doc document, height, delta int) {
	r.scrollTo(doc, height, r.yoff+delta)
}

// scrollTo scrolls so that line y is the top line. The current match is
// forgotten: n and N then search from where the reader now is, as a
// cursor moved by hand would.
func (r *readerModel) scrollTo(doc document, height, y int) {
	r.yoff = max(0, min(y, len(doc.lines)-height))
	r.match = -1
	r.find.hit = -1
}

// atEnd reports whether the last line of doc is on screen.
func (r readerModel) atEnd(doc document, height int) bool {
	return r.yoff >= len(doc.lines)-height
}

// percent is how far the reader is scrolled, 100 when all of it is shown.
func (r readerModel) percent(doc document, height int) int {
	room := len(doc.lines) - height
	if room <= 0 {
		return 100
	}
	return min(100, r.yoff*100/room)
}

// readerVisible reports whether the reader pane is on screen.
func (m Model) readerVisible() bool {
	return m.focus != focusFeeds && !m.links.open && (m.wide() || m.focus == focusReader)
}

// readerKey is the rendering the reader pane needs now.
func (m Model) readerKey() renderKey {
	return renderKey{
		id:           m.reader.id,
		width:        m.readerWidth(),
		style:        m.glamourStyle(),
		isDark:       m.isDark,
		perCodepoint: m.perCodepoint,
		feedText:     m.reader.feedText,
	}
}

// readerDoc returns the rendered article the reader shows, or an empty
// document while it is on its way.
func (m Model) readerDoc() document {
	r, ok := m.renders.get(m.readerKey())
	if !ok || r.err != nil {
		return document{}
	}
	return m.withPictures(r.doc)
}

// fullKey names the key that shows full articles, where the store keeps
// them; the header's notes name it.
func (m Model) fullKey() string {
	if _, ok := m.opts.Store.(articles.FullTextStore); !ok {
		return ""
	}
	return key1(m.keys.FullText)
}

// glamourStyle resolves "auto" from NO_COLOR, the theme, and the
// terminal background.
func (m Model) glamourStyle() string {
	switch {
	case m.opts.Style != "auto":
		return m.opts.Style
	case m.opts.NoColor:
		return "notty"
	case m.theme.Glamour != "" && m.theme.Glamour != "auto":
		return m.theme.Glamour
	case m.isDark:
		return "dark"
	default:
		return "light"
	}
}

// syncReader makes the reader follow the list selection and asks for the
// rendering it needs. It runs after every update, so no handler has to
// remember to.
func (m *Model) syncReader() tea.Cmd {
	sel, ok := m.list.selected()
	if !ok {
		m.reader = readerModel{match: -1}
		if m.focus == focusReader {
			m.focus = focusList
		}
		return nil
	}
	if sel.ID != m.reader.id {
		m.reader = readerModel{id: sel.ID, match: -1}
	}
	if !m.readerVisible() && !m.links.open || m.width <= 0 {
		return nil // the links view shows the links of the rendering
	}
	keys := m.keys
	h := header{styles: m.styles, location: m.opts.Location, fullKey: m.fullKey(), keys: &keys}
	return m.renders.request(m.readerKey(), m.opts.Store, h)
}

// jumpMatch goes to the next (dir 1) or previous (dir -1) match of the
// search: in the list, the next matching article (every article the list
// shows matches); in the reader, the next line below the top line (or
// after the current match) that holds one.
func (m *Model) jumpMatch(dir int) tea.Cmd {
	if m.focus == focusReader && m.reader.find.active() {
		m.jumpFind(dir)
		return nil
	}
	terms := m.list.query.Terms
	if len(terms) == 0 {
		m.status = statusMessage{text: fmt.Sprintf("No search to jump through: press %s to search", key1(m.keys.Search))}
		return nil
	}
	if _, ok := m.list.selected(); !ok {
		return nil
	}
	if m.focus != focusReader {
		return m.jumpArticle(dir)
	}
	m.jumpLine(dir)
	return nil
}

// jumpArticle moves the list's selection to the next or previous matching
// article.
func (m *Model) jumpArticle(dir int) tea.Cmd {
	before := m.list.cursor
	m.list.move(dir)
	total := m.list.page.Total
	switch {
	case m.list.cursor == before && dir > 0:
		m.status = statusMessage{text: fmt.Sprintf("No more matches below: article %d of %d matching", before+1, total)}
	case m.list.cursor == before:
		m.status = statusMessage{text: fmt.Sprintf("No more matches above: article 1 of %d matching", total)}
	default:
		m.status = statusMessage{text: fmt.Sprintf("Article %d of %d matching", m.list.cursor+1, total)}
	}
	return m.list.ensureLoaded(m.opts.Store)
}

// jumpLine scrolls the reader to the next or previous line that holds a
// match.
func (m *Model) jumpLine(dir int) {
	terms := m.list.query.Terms
	doc := m.readerDoc()
	if len(doc.lines) == 0 {
		m.status = statusMessage{text: "The article is still loading"}
		return
	}
	lines := matchLines(doc.plain, terms)
	if len(lines) == 0 {
		m.status = statusMessage{text: fmt.Sprintf("No match for %q in this article", m.search.input)}
		return
	}
	i := nextMatch(lines, m.reader.match, m.reader.yoff, dir)
	m.reader.scrollTo(doc, m.bodyHeight(), lines[i]-2)
	m.reader.match = lines[i]
	m.status = statusMessage{text: fmt.Sprintf("Match %d of %d", i+1, len(lines))}
}

// nextMatch picks the index in lines (sorted) of the match after (or
// before) the current one, wrapping around. With no current match it
// starts from the top of the screen.
func nextMatch(lines []int, current, yoff, dir int) int {
	if current < 0 {
		current = yoff - 1
		if dir < 0 {
			current = yoff
		}
	}
	if dir > 0 {
		for i, l := range lines {
			if l > current {
				return i
			}
		}
		return 0
	}
	for i := len(lines) - 1; i >= 0; i-- {
		if lines[i] < current {
			return i
		}
	}
	return len(lines) - 1
}
