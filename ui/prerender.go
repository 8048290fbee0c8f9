package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"tidings/articles"
)

// Pre-rendering: while the user is idle, the articles around the list's
// cursor (and the next unread one) are rendered off the update loop into
// the render cache, so that opening one, J, K or a click shows a body
// already rendered instead of waiting some 20-30 ms for Glamour.
//
// Input never waits for it: every key, click, wheel turn or paste starts a
// new generation, and a pre-rendering not yet begun when its generation
// ends gives way (unless it is now the article the reader wants). Only one
// runs at a time, and the next starts only when the last is done and the
// user has been idle for prerenderIdle, so a held key renders nothing in
// passing.

// prerenderAround is how many articles above and below the cursor are
// rendered ahead.
const prerenderAround = 3

// prerenderIdle is how long after the last input pre-rendering starts
// again: longer than the gap between repeated keys, short next to the time
// a reader takes to decide to open an article.
const prerenderIdle = 100 * time.Millisecond

// prerenderIdleMsg says that input generation gen has been idle for
// prerenderIdle.
type prerenderIdleMsg struct{ gen uint64 }

// idleAfter returns the command that reports generation gen idle.
func idleAfter(gen uint64) tea.Cmd {
	return tea.Tick(prerenderIdle, func(time.Time) tea.Msg { return prerenderIdleMsg{gen} })
}

// noteInput starts a new generation when msg is the user's input, so that
// pre-renderings not yet begun give way, and returns the command that
// says when the user is idle again.
func (m *Model) noteInput(msg tea.Msg) tea.Cmd {
	if !m.opts.Prerender {
		return nil
	}
	switch msg := msg.(type) {
	case tea.KeyPressMsg, tea.MouseClickMsg, tea.MouseWheelMsg, tea.PasteMsg:
		return idleAfter(m.renders.gen.Add(1))
	case prerenderIdleMsg:
		if msg.gen == m.renders.gen.Load() {
			m.renders.idleGen = msg.gen
		}
	}
	return nil
}

// prerender starts rendering the next article near the cursor that is
// not rendered yet, when the user is idle and no other rendering is under
// way; nil otherwise.
func (m *Model) prerender() tea.Cmd {
	c := m.renders
	if !m.opts.Prerender || m.width <= 0 || c.preBusy || len(c.pending) > 0 || c.idleGen != c.gen.Load() {
		return nil
	}
	for _, id := range m.prerenderIDs() {
		k := m.readerKey()
		k.id, k.feedText = id, id == m.reader.id && m.reader.feedText
		if _, done := c.docs[k]; done {
			continue
		}
		keys := m.keys
		h := header{styles: m.styles, location: m.opts.Location, fullKey: m.fullKey(), keys: &keys}
		return c.prerender(k, m.opts.Store, h)
	}
	return nil
}

// prerenderIDs lists the articles worth rendering ahead, likeliest first:
// the selected one, its neighbours nearest first, and the next unread one
// below (where space at an article's end goes). Only the rows loaded are
// looked at.
func (m Model) prerenderIDs() []string {
	rows := m.list.page.Rows
	cur := m.list.cursor - m.list.page.Offset
	var ids []string
	add := func(i int) {
		if i >= 0 && i < len(rows) {
			ids = append(ids, rows[i].ID)
		}
	}
	add(cur)
	for d := 1; d <= prerenderAround; d++ {
		add(cur + d)
		add(cur - d)
	}
	for i := max(cur+1, 0); i < len(rows); i++ {
		if !rows[i].Read {
			add(i)
			break
		}
	}
	return ids
}

// prerender returns the command that renders k ahead of need. It gives
// way if input came before its turn, unless k is by then the rendering
// the reader wants (which waits for it rather than starting another).
func (c *renderCache) prerender(k renderKey, s articles.Store, h header) tea.Cmd {
	c.pending[k] = true
	c.preBusy = true
	gen := c.gen.Load()
	return func() tea.Msg {
		if c.gen.Load() != gen {
			if w := c.wanted.Load(); w == nil || *w != k {
				return renderedMsg{key: k, skipped: true, pre: true}
			}
		}
		msg := renderStored(k, s, h)
		msg.pre = true
		return msg
	}
}
