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
	"context"
	"fmt"
	"image"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"tidings/articles"
	"tidings/feed/subs"
)

// Options are what the model needs from outside. Tests pass a fixed clock,
// a fixed location and a fake opener.
type Options struct {
	Store articles.Store
	// Prerender renders the articles around the cursor while the user is
	// idle, so that opening one shows it at once (prerender.go). Off for
	// snapshots, which would render seven articles for each key.
	Prerender bool
	Now       func() time.Time
	Location  *time.Location // for dates in the reader header
	// Style is a Glamour style name; "auto" (or "") picks dark or light
	// from the terminal's background.
	Style   string
	NoColor bool // NO_COLOR is set: plain Glamour style, no colours
	// NoMouse leaves the mouse to the terminal (--no-mouse, or mouse =
	// false in config.toml), so that text can be selected with it.
	NoMouse bool
	// Terminal: the model draws a real terminal, which measures text per
	// code point unless it reports grapheme clustering (mode 2027). Off
	// for snapshots, which measure by grapheme clusters.
	Terminal bool
	// ReorderRTL shows right-to-left text (Arabic, Hebrew) in reading
	// order on a terminal that does no bidi itself: see ReorderBidi.
	ReorderRTL bool
	// OpenURL opens an http or https link in the user's browser.
	OpenURL func(url string) error
	// NoClipboard: nothing is copied (a snapshot, which has no terminal to
	// write to); y and Y say what would have been.
	NoClipboard bool
	// Refresher refreshes feeds in the background; nil when nothing may be
	// refreshed (a snapshot, --offline), and NoRefresh then says why.
	Refresher Refresher
	NoRefresh string
	// RefreshOnStart refreshes every feed at launch.
	RefreshOnStart bool
	// Feeds lists the subscriptions with their state, for the feeds view.
	Feeds func(context.Context) ([]subs.Status, error)
	// ReadOnly: the store may not be written (another tidings holds it);
	// read and starred state cannot change, and NoRefresh says why.
	ReadOnly bool
	// Notice is shown in the status bar until something replaces it: what
	// happened at start that the user must know (a damaged database set
	// aside).
	Notice string
	// Check, if set, checks the store in the background at start; an
	// error stays in the status bar.
	Check func(context.Context) error
	// FullPage fetches the web page at a link and returns its main text
	// as markdown, for f; nil when nothing may be fetched (NoRefresh says
	// why), which still shows the full texts the store keeps.
	FullPage func(ctx context.Context, link string) (string, error)
	// Watch, if set, reports whether another process changed the store
	// (or the subscriptions) since it was last asked; the reader asks
	// about once a second. Snapshots leave it nil: they never wait.
	Watch func(context.Context) (bool, error)
	// Keys are the bindings, [keys] of config.toml over the defaults
	// (NewKeyMap); nil for the defaults.
	Keys *KeyMap
	// Theme is the look, [theme] of config.toml (NewTheme); nil for the
	// default. Its Glamour style stands in for Style "auto", unless
	// NoColor.
	Theme *Theme
	// Searches are the saved searches, [[searches]] of config.toml: the
	// feeds view lists them above the feeds. ReadSearches, if set, reads
	// them again (when config.toml changed) each time the feeds are.
	Searches     []subs.Search
	ReadSearches func() ([]subs.Search, error)
	// EditConfig reads config.toml, lets edit change it and writes it
	// back (:save, :ignore); nil when nothing may be written (a snapshot,
	// --feed sources), NoEdit then saying why.
	EditConfig func(edit func(*subs.Config) error) error
	NoEdit     string
	// Pictures loads an article's picture for the reader to draw inline,
	// where the terminal is found to draw pictures; nil keeps pictures as
	// links and asks the terminal nothing (images = "off", a snapshot).
	Pictures PictureLoader
	// InTmux: the reader runs inside tmux, which turns kitty's graphics
	// query into the pane's title; it is not sent, and pictures stay links.
	InTmux bool
	// ProbeTimeout is how long the terminal has to answer the probe for
	// pictures; 0 for two seconds.
	ProbeTimeout time.Duration
	// PictureIDBase is where the ids of pictures sent to the terminal
	// start; 0 for 0x100000. A random base keeps two programs in one
	// terminal from sharing ids.
	PictureIDBase uint32
	// News, if set, tells what a refresh brings that the [[notify]]
	// rules match (notifyrules.go).
	News *News
	// FirstPage, if set, gives the list's first page, read ahead by
	// FirstPage(Store) while the program starts; nil reads it when the
	// model starts.
	FirstPage func() (articles.Page, error)
}

// PictureLoader fetches the image at url and returns it decoded and scaled
// down to fit maxW × maxH pixels.
type PictureLoader func(ctx context.Context, url string, maxW, maxH int) (image.Image, error)

type focus int

const (
	focusList focus = iota
	focusReader
	focusFeeds // the feeds view
)

// wideLayout is the width from which the list and the reader are shown side
// by side; below it one pane fills the screen.
const wideLayout = 100

// Model is the root model of the reader.
type Model struct {
	opts     Options
	keys     KeyMap
	theme    Theme
	styles   Styles
	isDark   bool
	width    int
	height   int
	focus    focus
	help     helpModel
	search   searchModel
	filter   filter
	list     listModel
	reader   readerModel
	feeds    feedsModel
	searches searchesModel
	command  commandModel
	links    linksModel
	refresh  refreshState
	renders  *renderCache // written only by Update
	full     fullState
	status   statusMessage
	alert    string           // shown where the key hints go, until a status replaces it
	all      articles.Page    // counts of every article, for "12 of 340"
	confirm  *markAllQuestion // A asked "Mark N articles read? y/n"; the next key answers
	// perCodepoint: the terminal measures text per code point, not per
	// grapheme cluster (width.go).
	perCodepoint bool
	detect       detection     // what the terminal said about pictures
	pics         *pictureStore // shared by the copies, written only by Update
	// newsAsked: the terminal was asked its name for the desktop
	// notification (askVersion).
	newsAsked bool
}

// checkedMsg carries the result of Options.Check.
type checkedMsg struct{ err error }

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
	if opts.NoRefresh == "" {
		opts.NoRefresh = "Refreshing is off"
	}
	keys := DefaultKeyMap()
	if opts.Keys != nil {
		keys = *opts.Keys
	}
	theme := DefaultTheme()
	if opts.Theme != nil {
		theme = *opts.Theme
	}
	m := Model{
		opts:    opts,
		keys:    keys,
		theme:   theme,
		styles:  theme.Styles(true),
		isDark:  true,
		renders: newRenderCache(),
		full:    fullState{fetching: make(map[string]bool)},
		pics:    newPictureStore(opts.PictureIDBase),
		// Init asks for the first page as request 1.
		list: listModel{seq: 1, pending: 0},
	}
	if opts.ReadOnly {
		m.status = statusMessage{text: opts.NoRefresh}
	}
	m.alert = opts.Notice
	m.searches = newSearches(opts.Searches)
	m.perCodepoint = opts.Terminal // until the terminal says it clusters
	if opts.Prerender {
		m.renders.gen.Store(1) // idle only once the first screen is up (Init)
	}
	// The refresh at start is tracked like any other (Init starts it): its
	// spinner shows, R meanwhile says a refresh is under way instead of
	// starting one, and the watcher waits.
	m.refresh.running = opts.RefreshOnStart && opts.Refresher != nil
	return m
}

// Init loads the first page of articles with the counts, asks the terminal
// for its background colour and, if asked, starts refreshing the feeds.
func (m Model) Init() tea.Cmd {
	cmds := append(m.firstLoad(), tea.RequestBackgroundColor)
	if m.refresh.running { // the refresh at start, which New set going
		cmds = append(cmds, startCmd(m.opts.Refresher, m.opts.News, nil), spin())
	}
	if m.opts.Watch != nil {
		cmds = append(cmds, watchTick())
	}
	if m.opts.Prerender {
		cmds = append(cmds, idleAfter(m.renders.gen.Load()))
	}
	if check := m.opts.Check; check != nil {
		cmds = append(cmds, func() tea.Msg { return checkedMsg{check(context.Background())} })
	}
	return tea.Batch(cmds...)
}

// firstLoad reads the first page of the list and the counts: one query
// when the list shows every article, as it does at start.
func (m Model) firstLoad() []tea.Cmd {
	if !m.list.query.Empty() { // a model started again (tests drive one further)
		return []tea.Cmd{loadPage(m.opts.Store, m.list.query, 0, m.list.seq), loadCounts(m.opts.Store)}
	}
	return []tea.Cmd{loadFirstPage(m.opts.Store, m.opts.FirstPage, m.list.seq)}
}

// Update handles global messages first (size, colours, loaded data), then
// routes keys by mode.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	idle := m.noteInput(msg)
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.list.setHeight(m.bodyHeight())
		cmd = tea.Batch(m.list.ensureLoaded(m.opts.Store), m.startProbe(), m.askVersion())
	case tea.BackgroundColorMsg:
		m.isDark = msg.IsDark()
		m.styles = m.theme.Styles(m.isDark)
	case refreshStartedMsg, feedResultMsg, refreshDoneMsg, spinnerMsg:
		cmd = m.onRefresh(msg)
	case watchTickMsg, watchedMsg:
		cmd = m.onWatch(msg)
	case tea.ModeReportMsg:
		m.onModeReport(msg)
	case tea.PasteMsg:
		cmd = m.onPaste(msg)
	case tea.MouseWheelMsg:
		cmd = m.handleWheel(msg)
	case tea.MouseClickMsg:
		cmd = m.handleClick(msg)
	case tea.KeyPressMsg:
		m.status = statusMessage{}
		cmd = m.handleKey(msg)
	case pictureMsg:
		cmd = m.onPicture(msg)
	case prerenderIdleMsg: // noteInput took it
	default:
		var ok bool
		if cmd, ok = m.onResult(msg); !ok {
			m.onProbeReply(msg)
		}
	}
	sync := m.syncReader()
	m.syncFind()
	m.syncLinks()
	return m, tea.Batch(cmd, sync, m.countSearches(), m.syncPictures(), idle, m.prerender())
}

// onResult takes what the model's commands bring back: pages, counts,
// marks, renderings, config edits, news. ok is false for any other
// message.
func (m *Model) onResult(msg tea.Msg) (cmd tea.Cmd, ok bool) {
	switch msg := msg.(type) {
	case pageMsg:
		cmd = m.onPage(msg)
	case countsMsg:
		if msg.err == nil {
			m.all = msg.page
		}
		m.searches.stale = true // the counts are read again when articles came or changed
	case stateMsg:
		m.searches.stale = true
		cmd = m.onState(msg)
	case searchCountsMsg:
		m.searches.onCounts(msg)
	case configEditedMsg:
		cmd = m.onConfigEdited(msg)
	case unreadCountMsg:
		cmd = m.onUnreadCount(msg)
	case feedsMsg:
		if msg.searchesRead {
			m.searches.replace(msg.searches)
		}
		m.feeds.onFeeds(msg, m.searches.list)
	case newsMsg:
		cmd = m.onNews(msg)
	case notifyRanMsg:
		m.onNotifyRan(msg)
	case renderedMsg:
		m.renders.put(msg)
	case fullTextMsg:
		cmd = m.onFullText(msg)
	case checkedMsg:
		if msg.err != nil {
			m.alert = fmt.Sprintf("%v: quit and start tidings again to rebuild it from all that can still be read", msg.err)
		}
	case linkOpenedMsg:
		m.status = msg.status()
	case linkCopyMsg:
		cmd = m.onLinkCopy(msg)
	case tagsResolvedMsg:
		cmd = m.onTagsResolved(msg)
	default:
		return nil, false
	}
	return cmd, true
}

func (m *Model) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.ForceQuit):
		return tea.Quit
	case m.confirm != nil:
		return m.handleMarkAllAnswer(msg)
	case m.search.editing:
		return m.handleSearchKey(msg)
	case m.command.editing:
		return m.handleCommandKey(msg)
	case m.reader.find.editing && m.focus == focusReader:
		return m.handleFindKey(msg)
	case m.help.open:
		return m.handleHelpKey(msg)
	case m.links.open:
		if key.Matches(msg, m.keys.QuitAll, m.keys.Help) {
			break // the global keys that mean the same here
		}
		return m.handleLinksKey(msg)
	case m.focus == focusFeeds:
		if key.Matches(msg, m.keys.Quit, m.keys.QuitAll, m.keys.Help, m.keys.RefreshAll, m.keys.Command) {
			break // the global keys that mean the same here
		}
		return m.handleFeedsKey(msg)
	}
	if m.focus == focusReader {
		if cmd, ok := m.handleNumberKey(msg); ok {
			return cmd
		}
	}
	if cmd, ok := m.handleGlobalKey(msg); ok {
		return cmd
	}
	if cmd, ok := m.handleArticleKey(msg); ok {
		return cmd
	}
	if m.focus == focusReader {
		return m.handleReaderKey(msg)
	}
	return m.handleListKey(msg)
}

// handleGlobalKey handles the keys that do the same in the list and the
// reader. ok is false when msg is not one of them.
func (m *Model) handleGlobalKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	switch {
	case key.Matches(msg, m.keys.Quit) && m.focus != focusList:
		m.focus = focusList // q goes back, as in newsboat
		return nil, true
	case key.Matches(msg, m.keys.Quit, m.keys.QuitAll):
		return tea.Quit, true
	case key.Matches(msg, m.keys.Help):
		m.help = helpModel{open: true}
		return nil, true
	case key.Matches(msg, m.keys.Search) && m.focus == focusReader:
		m.startFind() // the reader searches the article it shows
		return nil, true
	case key.Matches(msg, m.keys.Search):
		m.search = m.search.start()
		m.focus = focusList
		return nil, true
	case key.Matches(msg, m.keys.RefreshAll):
		return m.startRefresh(nil), true
	case key.Matches(msg, m.keys.Command):
		return m.startCommand(), true
	case key.Matches(msg, m.keys.Feeds):
		m.focus = focusFeeds
		return m.loadFeeds(), true
	case key.Matches(msg, m.keys.UnreadOnly):
		m.filter.unreadOnly = !m.filter.unreadOnly
		return m.applyQuery(), true
	case key.Matches(msg, m.keys.StarredOnly):
		m.filter.starredOnly = !m.filter.starredOnly
		return m.applyQuery(), true
	case key.Matches(msg, m.keys.MarkAllRead):
		return m.markAllRead(), true
	case key.Matches(msg, m.keys.Focus):
		return m.toggleFocus(), true
	case key.Matches(msg, m.keys.OpenLink):
		return m.openLink(), true
	case key.Matches(msg, m.keys.Links):
		return m.openLinks(), true
	case key.Matches(msg, m.keys.CopyLink):
		return m.copyArticleLink(), true
	case key.Matches(msg, m.keys.CopySelectedLink):
		m.status = statusMessage{text: fmt.Sprintf("No link chosen to copy: type its number then %s, or choose it among the links (%s)",
			key1(m.keys.CopySelectedLink), key1(m.keys.Links))}
		return nil, true
	case key.Matches(msg, m.keys.NextMatch):
		return m.jumpMatch(1), true
	case key.Matches(msg, m.keys.PrevMatch):
		return m.jumpMatch(-1), true
	}
	return nil, false
}

// handleArticleKey handles the keys that act on the selected article. ok is
// false when msg is not one of them.
func (m *Model) handleArticleKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	sel, selected := m.list.selected()
	switch {
	case key.Matches(msg, m.keys.Refresh):
		if !selected || sel.Feed == "" || sel.Feed == articles.BundledFeed {
			m.status = statusMessage{text: fmt.Sprintf("This article has no feed to refresh: %s refreshes them all", key1(m.keys.RefreshAll))}
			return nil, true
		}
		return m.startRefresh([]string{sel.Feed}), true
	case key.Matches(msg, m.keys.ToggleRead):
		return m.setRead(!sel.Read), true
	case key.Matches(msg, m.keys.NextArticle):
		return m.openAdjacent(1), true
	case key.Matches(msg, m.keys.PrevArticle):
		return m.openAdjacent(-1), true
	case key.Matches(msg, m.keys.Star):
		return m.toggleStar(), true
	case key.Matches(msg, m.keys.FullText):
		return m.toggleFullText(), true
	}
	return nil, false
}

// openAdjacent opens the next (dir 1) or previous (dir -1) article of
// the list in the reader, marking it read as opening does.
func (m *Model) openAdjacent(dir int) tea.Cmd {
	before := m.list.cursor
	m.list.move(dir)
	if m.list.cursor == before {
		m.status = statusMessage{text: map[int]string{1: "This is the last article", -1: "This is the first article"}[dir]}
		return nil
	}
	m.focus = focusReader
	return tea.Batch(m.setRead(true), m.list.ensureLoaded(m.opts.Store))
}

// openNextUnread opens the first unread article below the selection, as
// space does at the end of an article. It looks among the rows loaded
// around the cursor, a few screens of them.
func (m *Model) openNextUnread() tea.Cmd {
	rows, off := m.list.page.Rows, m.list.page.Offset
	for i := m.list.cursor + 1 - off; i >= 0 && i < len(rows); i++ {
		if !rows[i].Read {
			m.list.moveTo(off + i)
			m.focus = focusReader
			return tea.Batch(m.setRead(true), m.list.ensureLoaded(m.opts.Store))
		}
	}
	m.status = statusMessage{text: "No unread article below: this is the end"}
	return nil
}

// toggleFocus goes from the list to the reader, which opens the selected
// article and marks it read, and back.
func (m *Model) toggleFocus() tea.Cmd {
	if m.focus == focusReader {
		m.focus = focusList
		return nil
	}
	if _, ok := m.list.selected(); !ok {
		return nil
	}
	m.focus = focusReader
	return m.setRead(true)
}

func (m *Model) handleListKey(msg tea.KeyPressMsg) tea.Cmd {
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
		return m.toggleFocus()
	case key.Matches(msg, k.Back) && m.search.input != "":
		return m.setQuery("")
	case key.Matches(msg, k.Back) && (len(m.filter.feeds) > 0 || m.filter.search != ""):
		m.filter.feeds, m.filter.feedLabel, m.filter.search = nil, "", ""
		return m.applyQuery()
	}
	return m.list.ensureLoaded(m.opts.Store)
}

func (m *Model) handleReaderKey(msg tea.KeyPressMsg) tea.Cmd {
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
	case key.Matches(msg, k.Space) && m.reader.atEnd(doc, h):
		return m.openNextUnread()
	case key.Matches(msg, k.PageDown, k.Space):
		m.reader.scroll(doc, h, max(h-1, 1))
	case key.Matches(msg, k.PageUp):
		m.reader.scroll(doc, h, -max(h-1, 1))
	case key.Matches(msg, k.HalfDown):
		m.reader.scroll(doc, h, max(h/2, 1))
	case key.Matches(msg, k.HalfUp):
		m.reader.scroll(doc, h, -max(h/2, 1))
	case key.Matches(msg, k.Back) && m.reader.find.active():
		m.reader.find = findModel{hit: -1} // esc clears the search first
	case key.Matches(msg, k.Back):
		m.focus = focusList
	}
	return nil
}

// onPage takes a page of rows the list asked for.
func (m *Model) onPage(msg pageMsg) tea.Cmd {
	if msg.err != nil {
		m.status = statusMessage{text: msg.err.Error(), isErr: true}
		return nil
	}
	if !m.list.take(msg) {
		return nil
	}
	if msg.all {
		m.all = articles.Page{Total: msg.page.Total, Unread: msg.page.Unread}
		m.searches.stale = true // as after counts: the saved searches' are read with them
	}
	return m.list.ensureLoaded(m.opts.Store)
}

// handleWheel scrolls the pane under the mouse.
func (m *Model) handleWheel(msg tea.MouseWheelMsg) tea.Cmd {
	delta := 3
	if msg.Button == tea.MouseWheelUp {
		delta = -3
	} else if msg.Button != tea.MouseWheelDown {
		return nil
	}
	switch {
	case m.help.open:
		m.help.scroll(delta, m.helpLines(), m.bodyHeight())
		return nil
	case m.links.open:
		n := len(m.linkEntries(m.readerDoc()))
		m.links.cursor = max(0, min(m.links.cursor+delta, n-1))
		m.links.top = linksTop(m.links.top, m.links.cursor, m.linkRows())
		return nil
	case m.focus == focusFeeds:
		m.feeds.cursor = max(0, min(m.feeds.cursor+delta, len(m.feeds.items)-1))
		return nil
	case m.overReader(msg.X):
		m.reader.scroll(m.readerDoc(), m.bodyHeight(), delta)
		return nil
	}
	m.list.move(delta)
	return m.list.ensureLoaded(m.opts.Store)
}

// overReader reports whether column x of the body is the reader's.
func (m Model) overReader(x int) bool {
	return m.readerVisible() && (!m.wide() || x > m.listWidth())
}

// bodyTop is the screen row where the panes start, under the top bar.
func (m Model) bodyTop() int {
	if m.height >= 3 {
		return 1
	}
	return 0
}

// handleClick takes a left click: on a list row it selects the row, or
// opens it when it was selected already; on the reader it focuses the
// reader (opening the article); in the feeds view it does the same for a
// feed.
func (m *Model) handleClick(msg tea.MouseClickMsg) tea.Cmd {
	row := msg.Y - m.bodyTop()
	if msg.Button != tea.MouseLeft || m.help.open || m.links.open || m.search.editing || m.command.editing || m.confirm != nil ||
		row < 0 || row >= m.bodyHeight() {
		return nil
	}
	switch {
	case m.focus == focusFeeds:
		return m.clickFeed(row)
	case m.overReader(msg.X):
		if m.focus != focusReader {
			return m.toggleFocus()
		}
		return nil
	}
	i := m.list.top + row
	switch {
	case i >= m.list.page.Total:
		return nil
	case i == m.list.cursor && m.focus != focusReader:
		return m.toggleFocus()
	}
	m.list.moveTo(i)
	m.focus = focusList
	return m.list.ensureLoaded(m.opts.Store)
}

// clickFeed selects the feed on row of the feeds view, or opens it when
// it was selected already.
func (m *Model) clickFeed(row int) tea.Cmd {
	rows := max(m.bodyHeight()-len(m.feedDetails())-1, 1)
	i := m.feedsTop(rows) + row
	switch {
	case row >= rows || i >= len(m.feeds.items):
		return nil
	case i == m.feeds.cursor:
		return m.openFeedItem()
	}
	m.feeds.cursor = i
	return nil
}
