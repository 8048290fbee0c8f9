package ui

import (
	"context"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/glamour/v2"
	"github.com/charmbracelet/x/ansi"

	"tidings/articles"
	"tidings/articles/termsafe"
)

// renderKey identifies one rendering of an article: Glamour's output
// depends on the width it wraps to and the style, the header on the
// background.
type renderKey struct {
	id           string
	width        int
	style        string
	isDark       bool
	perCodepoint bool // the terminal measures per code point (width.go)
	// feedText: show the feed's text even when the article's full text
	// is kept (f turned it off).
	feedText bool
}

// document is a rendered article: the lines the reader scrolls through.
type document struct {
	lines []string // styled, each exactly width cells
	plain []string // the same lines without styling, to find search matches
	dirs  []uint8  // each line's direction, for showing right-to-left text (bidi.go)
	width int
	link  string
	// links are the hyperlink targets the program put in lines: the
	// article's link and its body's links. The frame filter allows no other.
	links []string
	full  bool // the body is the full text from the article's web page
	kept  bool // a full text is kept for the article, shown or not
	// refs are the body's links that the reader opens, numbered in lines
	// as they are here: refs[i] is link i+1.
	refs []linkRef
	// pictures are the body's pictures and where they go (images.go).
	pictures []pictureAnchor
}

type renderedMsg struct {
	key     renderKey
	doc     document
	err     error
	skipped bool // the reader had moved on before its turn came
	pre     bool // rendered ahead of need (prerender.go)
}

// renderCache keeps rendered articles so that going back to an article, or
// back to a width, costs nothing. The model shares it between its copies;
// only Update writes to it.
type renderCache struct {
	docs    map[renderKey]renderedMsg
	latest  map[string]renderKey // the newest rendering of each article
	pending map[renderKey]bool
	order   []renderKey // docs' keys, oldest first
	bytes   int         // the size of docs

	// wanted is the rendering the reader shows now. Commands read it when
	// their turn comes, so that holding j through a hundred articles
	// renders the one the reader stops on, not the hundred.
	wanted atomic.Pointer[renderKey]
	// slots bounds the renderings under way at once.
	slots chan struct{}

	// gen counts the user's inputs; a pre-rendering not begun when it
	// changes gives way (prerender.go). idleGen is the generation last
	// found idle, preBusy says a pre-rendering is under way.
	gen     atomic.Uint64
	idleGen uint64
	preBusy bool
}

// maxCacheBytes bounds the cache by the size of what it holds, not by a
// count: an ordinary article renders to some 20 KB, so thousands fit, while
// a few of the longest (over a megabyte each, styled) cannot pile up.
const maxCacheBytes = 16 << 20

func newRenderCache() *renderCache {
	return &renderCache{
		docs:    make(map[renderKey]renderedMsg),
		latest:  make(map[string]renderKey),
		pending: make(map[renderKey]bool),
		slots:   make(chan struct{}, 1),
	}
}

func (c *renderCache) put(msg renderedMsg) {
	delete(c.pending, msg.key)
	if msg.pre {
		c.preBusy = false
	}
	if msg.skipped {
		return
	}
	if old, ok := c.docs[msg.key]; ok {
		c.bytes -= old.doc.size()
	} else {
		c.order = append(c.order, msg.key)
	}
	c.docs[msg.key] = msg
	c.latest[msg.key.id] = msg.key
	c.bytes += msg.doc.size()
	c.evict(msg.key)
}

// evict drops the oldest renderings until the cache is within its bound;
// keep, the one just added, stays whatever its size.
func (c *renderCache) evict(keep renderKey) {
	for c.bytes > maxCacheBytes && len(c.order) > 1 {
		k := c.order[0]
		c.order = c.order[1:]
		if k == keep {
			c.order = append(c.order, k)
			continue
		}
		c.bytes -= c.docs[k].doc.size()
		delete(c.docs, k)
		if c.latest[k.id] == k {
			delete(c.latest, k.id)
		}
	}
	if len(c.order) < cap(c.order)/4 {
		c.order = slices.Clone(c.order) // let the dropped keys' array go
	}
}

// size is roughly the memory a rendering holds: its lines, styled and plain.
func (d document) size() int {
	n := 0
	for i := range d.lines {
		n += len(d.lines[i]) + len(d.plain[i]) + 33 // two string headers, a direction
	}
	for _, l := range d.links {
		n += len(l) + 16
	}
	for _, r := range d.refs {
		n += len(r.url) + len(r.text) + len(r.host) + 48
	}
	return n
}

// forget drops every rendering of the article id, pending or done: its
// text changed (its full text came).
func (c *renderCache) forget(id string) {
	kept := c.order[:0]
	for _, k := range c.order {
		if k.id != id {
			kept = append(kept, k)
			continue
		}
		c.bytes -= c.docs[k].doc.size()
		delete(c.docs, k)
	}
	c.order = kept
	delete(c.latest, id)
	for k := range c.pending {
		if k.id == id {
			delete(c.pending, k)
		}
	}
}

// get returns the rendering for k, or else the newest rendering of the same
// article (at another width, while the new one is on its way).
func (c *renderCache) get(k renderKey) (renderedMsg, bool) {
	if r, ok := c.docs[k]; ok {
		return r, true
	}
	r, ok := c.docs[c.latest[k.id]]
	return r, ok
}

// request marks k as the rendering the reader wants and returns the
// command that renders it, or nil when it is rendered or on its way.
func (c *renderCache) request(k renderKey, s articles.Store, h header) tea.Cmd {
	c.wanted.Store(&k)
	if _, done := c.docs[k]; done || c.pending[k] {
		return nil
	}
	c.pending[k] = true
	return func() tea.Msg {
		c.slots <- struct{}{}
		defer func() { <-c.slots }()
		if w := c.wanted.Load(); w == nil || *w != k {
			return renderedMsg{key: k, skipped: true}
		}
		return renderStored(k, s, h)
	}
}

// renderStored reads the article k names from s and renders it.
func renderStored(k renderKey, s articles.Store, h header) renderedMsg {
	a, err := s.Article(context.Background(), k.id)
	if err != nil {
		return renderedMsg{key: k, err: fmt.Errorf("load article: %w", err)}
	}
	a, note, full, kept := withFullText(s, a, k.feedText, h.fullKey)
	h.note = note
	doc, err := renderArticle(a, k, h)
	doc.full, doc.kept = full, kept
	if len(a.Body) > articles.MaxBody {
		// A body stored before bodies were bounded: tens of megabytes
		// were read to show a part of it. Give them back now rather than
		// at the runtime's next periodic collection, minutes away.
		debug.FreeOSMemory()
	}
	return renderedMsg{key: k, doc: doc, err: err}
}

// header is what the reader header needs besides the article.
type header struct {
	styles   Styles
	location *time.Location
	// fullKey names the key that shows the full article; empty where
	// there is none (the store keeps no full texts, or "tidings read").
	fullKey string
	note    string  // a line under the header: which text is shown, or that f exists
	keys    *KeyMap // the Welcome article's key table shows these; nil: as written
}

// renderArticle renders a's header and its markdown body at k.width.
func renderArticle(a articles.Article, k renderKey, h header) (document, error) {
	if isWelcome(a) && h.keys != nil {
		a.Body = welcomeBody(a.Body, *h.keys)
	}
	if k.perCodepoint {
		a.Title, a.Source, a.Author = perCodepointText(a.Title), perCodepointText(a.Source), perCodepointText(a.Author)
		a.Body = perCodepointText(a.Body)
	}
	r, err := glamour.NewTermRenderer(
		glamour.WithStylePath(k.style),
		// Glamour counts its own left margin in the wrap width.
		glamour.WithWordWrap(max(k.width-glamourMargin/2, 10)),
		// A link in a table is written in its cell with its number, not
		// in a footnote Glamour numbers its own way.
		glamour.WithInlineTableLinks(true),
		glamour.WithChromaFormatter(chromaFormatter),
	)
	if err != nil {
		return document{}, fmt.Errorf("render %q: %w", a.Title, err)
	}
	// The body was made safe and bounded when it was stored; entities and
	// size are checked again here, because Glamour decodes entities after
	// parsing and a database may hold bodies stored before those checks.
	md, refs, links := numberedLinks(termsafe.DefuseEntities(articles.CutBody(a.Body)))
	body, err := r.Render(md)
	if err != nil {
		return document{}, fmt.Errorf("render %q: %w", a.Title, err)
	}
	head, dirs := headerDirs(a, k.width, h)
	bodyLines, bodyPlain := fitBody(strings.TrimRight(body, "\n "), k.width)
	dirs = append(dirs, lineDirs(bodyPlain)...)
	lines := make([]string, len(head), len(head)+len(bodyLines))
	plain := make([]string, len(head), len(head)+len(bodyLines))
	for i, l := range head {
		plain[i] = ansi.Strip(l)
		lines[i] = fit(l, k.width) // so that frames need not measure them
	}
	lines, plain = append(lines, bodyLines...), append(plain, bodyPlain...)
	if CheckLink(a.Link) == nil {
		links = append(links, a.Link)
	}
	return document{lines: lines, plain: plain, dirs: dirs, width: k.width, link: a.Link, links: links, refs: refs,
		pictures: findPictures(plain, refs)}, nil
}

// glamourMargin is the margin Glamour's styles put on both sides of the
// body; the header uses the same, so that they line up.
const glamourMargin = 4

// headerLines renders title, source, author, date and link. The title is
// text, never markdown: it is styled, not rendered.
func headerLines(a articles.Article, width int, h header) []string {
	lines, _ := headerDirs(a, width, h)
	return lines
}

// headerDirs renders the header as headerLines does, with each line's
// direction: each field is a paragraph of its own.
func headerDirs(a articles.Article, width int, h header) ([]string, []uint8) {
	inner := max(width-glamourMargin, 1)
	var out []string
	var dirs []uint8
	add := func(s, text string) {
		rtl, _ := firstStrong(text)
		for _, l := range fitWidth(strings.Split(s, "\n"), inner) {
			out = append(out, "  "+l)
			dirs = append(dirs, lineDir(ansi.Strip(l), rtl))
		}
	}
	out, dirs = append(out, ""), append(dirs, dirPlain)
	add(h.styles.Title.Width(inner).Render(a.Title), a.Title)
	if meta := metaLine(a, h.location); meta != "" {
		// The date's no-break spaces kept it whole while wrapping; shown,
		// they are spaces again (the source and author, cleaned by
		// termsafe.Line, hold none of their own).
		add(strings.ReplaceAll(h.styles.Meta.Width(inner).Render(meta), "\u00a0", " "), meta)
	}
	if a.AlsoIn != "" { // one line: the names are cut, never wrapped
		also := ansi.Truncate("also in: "+a.AlsoIn, inner, "…")
		add(h.styles.Meta.Render(also), also)
	}
	if a.Link != "" {
		link := h.styles.Link
		if CheckLink(a.Link) == nil {
			link = link.Hyperlink(a.Link) // clickable where the terminal can
		}
		add(link.Render(wrapURL(a.Link, inner)), "")
	}
	add(h.styles.Faint.Render(strings.Repeat("─", inner)), "")
	if h.note != "" {
		add(h.styles.Faint.Width(inner).Render(h.note), h.note)
	}
	return out, dirs
}

func metaLine(a articles.Article, loc *time.Location) string {
	var parts []string
	for _, s := range []string{a.Source, a.Author} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if !a.Published.IsZero() {
		parts = append(parts, formatDate(a.Published.In(loc)))
	}
	return strings.Join(parts, " · ")
}

// formatDate shows the time of day only when the source gave one. Its
// spaces are no-break spaces, so a narrow header wraps before the date,
// never leaving "UTC" alone on a line; headerLines turns them back.
func formatDate(t time.Time) string {
	layout := "Monday 2 January 2006, 15:04 MST"
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		layout = "Monday 2 January 2006"
	}
	return strings.ReplaceAll(t.Format(layout), " ", "\u00a0")
}

// wrapURL wraps a link to width after its separators ("/", "?", "&"…),
// as one would break it by hand, and cuts a part longer than a line; a
// link that needs more than maxURLLines lines ends with an ellipsis (the
// whole is still what o opens). A link is printable ASCII, one cell a byte.
func wrapURL(link string, width int) string {
	width = max(width, 2)
	var lines []string
	line := ""
	for _, part := range urlParts(link) {
		for len(part) > width { // a part longer than a line is cut
			if line != "" {
				lines, line = append(lines, line), ""
			}
			lines, part = append(lines, part[:width]), part[width:]
		}
		if len(line)+len(part) > width {
			lines, line = append(lines, line), ""
		}
		line += part
	}
	if line != "" {
		lines = append(lines, line)
	}
	if len(lines) > maxURLLines {
		lines = lines[:maxURLLines]
		last := lines[maxURLLines-1]
		lines[maxURLLines-1] = last[:min(len(last), width-1)] + "…"
	}
	return strings.Join(lines, "\n")
}

// urlParts splits a link after each of its separators.
func urlParts(link string) []string {
	var parts []string
	start := 0
	for i := 0; i < len(link); i++ {
		if strings.IndexByte("/?&=#-_.", link[i]) >= 0 {
			parts = append(parts, link[start:i+1])
			start = i + 1
		}
	}
	if start < len(link) {
		parts = append(parts, link[start:])
	}
	return parts
}

// maxURLLines bounds the lines an article's link takes in its header.
const maxURLLines = 3

// fitWidth wraps any line wider than width: Glamour lets long words and code
// run past its wrap width, and the panes must never overlap.
func fitWidth(lines []string, width int) []string {
	out := lines[:0:0]
	for _, l := range lines {
		if ansi.StringWidth(l) <= width {
			out = append(out, l)
			continue
		}
		out = append(out, strings.Split(ansi.Hardwrap(l, width, true), "\n")...)
	}
	return out
}

// fitBody splits Glamour's output into lines of exactly width cells, so
// that frames need not measure them, and returns them with their text
// without styling. A line wider than width is wrapped: Glamour lets long
// words and code run past its wrap width, and the panes must never
// overlap. Each line is stripped and measured once (most are ASCII, whose
// width is their length).
func fitBody(body string, width int) (lines, plain []string) {
	for _, l := range strings.Split(body, "\n") {
		p := ansi.Strip(l)
		if w := textWidth(p); w <= width {
			lines, plain = append(lines, l+strings.Repeat(" ", width-w)), append(plain, p)
			continue
		}
		for _, part := range strings.Split(ansi.Hardwrap(l, width, true), "\n") {
			lines, plain = append(lines, fit(part, width)), append(plain, ansi.Strip(part))
		}
	}
	return lines, plain
}

// textWidth is the width in cells of s, which holds no escape sequences.
func textWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

// RenderArticle renders a as the reader pane shows it, width columns wide,
// for printing: the "tidings read" command. The result has passed the
// reader's frame filter.
func RenderArticle(a articles.Article, width int, style string, isDark bool) (string, error) {
	k := renderKey{id: a.ID, width: width, style: style, isDark: isDark}
	doc, err := renderArticle(a, k, header{styles: NewStyles(isDark), location: time.Local})
	if err != nil {
		return "", err
	}
	lines := make([]string, len(doc.lines))
	for i, l := range doc.lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return termsafe.Frame(strings.Join(lines, "\n")+"\n", doc.links), nil
}
