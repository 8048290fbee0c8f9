// Package ui is the Bubble Tea program of tidings: a list of articles, a
// reader pane that renders the selected one with Glamour, search as you
// type, and a help overlay generated from the key bindings.
//
// The root Model holds a focus (list or reader) and plain-value child
// models. Everything slow (reading the store, rendering markdown, starting
// a browser) runs in commands and comes back as messages, so Update never
// blocks; View is a pure function of the model, which is what lets the
// snapshot command print the same bytes on every run.
package ui

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"tidings/articles"
)

// Options are what the model needs from outside. Tests pass a fixed clock,
// a fixed location and a fake opener.
type Options struct {
	Store    articles.Store
	Now      func() time.Time
	Location *time.Location // for dates in the reader header
	// Style is a Glamour style name; "auto" (or "") picks dark or light
	// from the terminal's background.
	Style   string
	NoColor bool // NO_COLOR is set: plain Glamour style, no colours
	// OpenURL opens an http or https link in the user's browser.
	OpenURL func(url string) error
}

type focus int

const (
	focusList focus = iota
	focusReader
)

// wideLayout is the width from which the list and the reader are shown side
// by side; below it one pane fills the screen.
const wideLayout = 100

// Model is the root model of the reader.
type Model struct {
	opts    Options
	keys    KeyMap
	styles  Styles
	isDark  bool
	width   int
	height  int
	focus   focus
	help    helpModel
	search  searchModel
	list    listModel
	reader  readerModel
	renders *renderCache // written only by Update
	status  statusMessage
	all     articles.Page // counts of every article, for "12 of 340"
}

// statusMessage is a transient line in the status bar, cleared by the next
// key.
type statusMessage struct {
	text  string
	isErr bool
}

// New returns a model reading from opts.Store. It shows nothing until it
// receives the window size.
func New(opts Options) Model {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Location == nil {
		opts.Location = time.Local
	}
	if opts.Style == "" {
		opts.Style = "auto"
	}
	return Model{
		opts:    opts,
		keys:    DefaultKeyMap(),
		styles:  NewStyles(true),
		isDark:  true,
		renders: newRenderCache(),
		// Init asks for the first page as request 1.
		list: listModel{seq: 1, pending: 0},
	}
}

// Init loads the first page of articles and asks the terminal for its
// background colour.
func (m Model) Init() tea.Cmd {
	return tea.Batch(
		loadPage(m.opts.Store, m.list.query, 0, m.list.seq),
		tea.RequestBackgroundColor,
	)
}

// Update handles global messages first (size, colours, loaded data), then
// routes keys by mode.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.list.setHeight(m.bodyHeight())
		cmd = m.list.ensureLoaded(m.opts.Store)
	case tea.BackgroundColorMsg:
		m.isDark = msg.IsDark()
		m.styles = NewStyles(m.isDark)
	case pageMsg:
		cmd = m.onPage(msg)
	case renderedMsg:
		m.renders.put(msg)
	case linkOpenedMsg:
		m.status = msg.status()
	case tea.PasteMsg:
		cmd = m.onPaste(msg)
	case tea.MouseWheelMsg:
		cmd = m.onWheel(msg)
	case tea.KeyPressMsg:
		m.status = statusMessage{}
		m, cmd = m.onKey(msg)
	}
	return m, tea.Batch(cmd, m.syncReader())
}

func (m Model) onKey(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.ForceQuit):
		return m, tea.Quit
	case m.search.editing:
		return m.updateSearch(msg)
	case m.help.open:
		return m.updateHelp(msg)
	}
	if next, cmd, ok := m.updateGlobal(msg); ok {
		return next, cmd
	}
	if m.focus == focusReader {
		return m.updateReader(msg)
	}
	return m.updateList(msg)
}

// updateGlobal handles the keys that do the same in the list and the
// reader. ok is false when msg is not one of them.
func (m Model) updateGlobal(msg tea.KeyPressMsg) (Model, tea.Cmd, bool) {
	switch {
	case key.Matches(msg, m.keys.Quit):
		return m, tea.Quit, true
	case key.Matches(msg, m.keys.Help):
		m.help = helpModel{open: true}
		return m, nil, true
	case key.Matches(msg, m.keys.Search):
		m.search = m.search.start(m.list.query)
		m.focus = focusList
		return m, nil, true
	case key.Matches(msg, m.keys.Focus):
		m.toggleFocus()
		return m, nil, true
	case key.Matches(msg, m.keys.OpenLink):
		return m, m.openLink(), true
	case key.Matches(msg, m.keys.NextMatch):
		m.jumpMatch(1)
		return m, nil, true
	case key.Matches(msg, m.keys.PrevMatch):
		m.jumpMatch(-1)
		return m, nil, true
	}
	return m, nil, false
}

func (m *Model) toggleFocus() {
	if m.focus == focusReader {
		m.focus = focusList
		return
	}
	if _, ok := m.list.selected(); ok {
		m.focus = focusReader
	}
}

func (m Model) updateList(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k, h := m.keys, m.list.height
	switch {
	case key.Matches(msg, k.Down):
		m.list.move(1)
	case key.Matches(msg, k.Up):
		m.list.move(-1)
	case key.Matches(msg, k.Top):
		m.list.moveTo(0)
	case key.Matches(msg, k.Bottom):
		m.list.moveTo(m.list.page.Total - 1)
	case key.Matches(msg, k.PageDown):
		m.list.move(h)
	case key.Matches(msg, k.PageUp):
		m.list.move(-h)
	case key.Matches(msg, k.HalfDown):
		m.list.move(max(h/2, 1))
	case key.Matches(msg, k.HalfUp):
		m.list.move(-max(h/2, 1))
	case key.Matches(msg, k.Space) && m.wide():
		m.reader.scroll(m.readerDoc(), m.bodyHeight(), m.bodyHeight()-1)
	case key.Matches(msg, k.Open, k.Space):
		m.toggleFocus()
	case key.Matches(msg, k.Back) && !m.list.query.Empty():
		return m.setQuery("")
	}
	return m, m.list.ensureLoaded(m.opts.Store)
}

func (m Model) updateReader(msg tea.KeyPressMsg) (Model, tea.Cmd) {
	k, h, doc := m.keys, m.bodyHeight(), m.readerDoc()
	switch {
	case key.Matches(msg, k.Down):
		m.reader.scroll(doc, h, 1)
	case key.Matches(msg, k.Up):
		m.reader.scroll(doc, h, -1)
	case key.Matches(msg, k.Top):
		m.reader.scrollTo(doc, h, 0)
	case key.Matches(msg, k.Bottom):
		m.reader.scrollTo(doc, h, len(doc.lines))
	case key.Matches(msg, k.PageDown, k.Space):
		m.reader.scroll(doc, h, max(h-1, 1))
	case key.Matches(msg, k.PageUp):
		m.reader.scroll(doc, h, -max(h-1, 1))
	case key.Matches(msg, k.HalfDown):
		m.reader.scroll(doc, h, max(h/2, 1))
	case key.Matches(msg, k.HalfUp):
		m.reader.scroll(doc, h, -max(h/2, 1))
	case key.Matches(msg, k.Back):
		m.focus = focusList
	}
	return m, nil
}

// onPage takes a page of rows the list asked for.
func (m *Model) onPage(msg pageMsg) tea.Cmd {
	if msg.err != nil {
		m.status = statusMessage{text: msg.err.Error(), isErr: true}
		return nil
	}
	if msg.query.Empty() {
		m.all = msg.page
	}
	if !m.list.take(msg) {
		return nil
	}
	return m.list.ensureLoaded(m.opts.Store)
}

// onWheel scrolls the pane under the mouse.
func (m Model) onWheel(msg tea.MouseWheelMsg) tea.Cmd {
	delta := 3
	if msg.Button == tea.MouseWheelUp {
		delta = -3
	} else if msg.Button != tea.MouseWheelDown {
		return nil
	}
	if m.readerVisible() && (!m.wide() || msg.X > m.listWidth()) {
		m.reader.scroll(m.readerDoc(), m.bodyHeight(), delta)
		return nil
	}
	m.list.move(delta)
	return m.list.ensureLoaded(m.opts.Store)
}
