package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"

	"tidings/articles"
	"tidings/feed/subs"
)

// filter is what narrows the list besides the search words.
type filter struct {
	unreadOnly  bool
	starredOnly bool
	feeds       []string // feed URLs; none for every feed
	feedLabel   string   // the feed, tag or saved search they came from, for the top bar
	search      string   // the query of the saved search opened, if one is
}

// query is the store query for the search and the filters in force, or
// why the search does not parse. The typed text is parsed alone first, so
// that an error's column is the one the user sees in the search line; a
// saved search opened is then ANDed with it.
func (m Model) query() (articles.Query, error) {
	q, err := articles.ParseQuery(m.search.input)
	if err != nil {
		return q, fmt.Errorf("search: %w", err)
	}
	if m.filter.search != "" {
		if q, err = articles.ParseQuery(m.filter.withSaved(m.search.input)); err != nil {
			return q, fmt.Errorf("saved search %s: %w", m.filter.feedLabel, err)
		}
	}
	q.UnreadOnly, q.StarredOnly, q.Feeds = m.filter.unreadOnly, m.filter.starredOnly, m.filter.feeds
	return q, nil
}

// applyQuery reloads the list when the search or the filters changed. A
// search that does not parse leaves the list on the last one that did,
// and the search line says why: never an empty list, never everything.
func (m *Model) applyQuery() tea.Cmd {
	q, err := m.query()
	m.search.err = err
	if err != nil || q.Same(m.list.query) {
		return nil
	}
	m.reader.match = -1
	if len(q.Tags()) > 0 {
		return resolveTags(m.opts.Feeds, q)
	}
	return m.list.setQuery(m.opts.Store, q)
}

// tagsResolvedMsg carries a query whose tag: terms now stand for the
// feeds with those tags in the subscriptions.
type tagsResolvedMsg struct {
	query articles.Query
	err   error
}

// resolveTags reads the subscriptions (off the update loop) to find the
// feeds of the tags q names. Without subscriptions no feed has a tag.
func resolveTags(feeds func(context.Context) ([]subs.Status, error), q articles.Query) tea.Cmd {
	return func() tea.Msg {
		var list []subs.Status
		var err error
		if feeds != nil {
			list, err = feeds(context.Background())
		}
		return tagsResolvedMsg{query: q.ResolveTags(func(tag string) []string {
			var urls []string
			for _, st := range list {
				if slices.ContainsFunc(st.Tags, func(t string) bool { return strings.EqualFold(t, tag) }) {
					urls = append(urls, st.URL)
				}
			}
			return urls
		}), err: err}
	}
}

func (m *Model) onTagsResolved(msg tagsResolvedMsg) tea.Cmd {
	if q, err := m.query(); err != nil || !q.Same(msg.query) {
		return nil // the search changed meanwhile
	}
	if msg.err != nil {
		m.status = statusMessage{text: fmt.Sprintf("search: read the tags of the subscriptions: %v", msg.err), isErr: true}
	}
	return m.list.setQuery(m.opts.Store, msg.query)
}

// stateMsg reports a change of read or starred state in the store.
type stateMsg struct {
	err    error
	reload bool // the change may touch rows other than the selected one
	text   string
}

// countsMsg carries the counts of every article, for the top bar.
type countsMsg struct {
	page articles.Page
	err  error
}

func loadCounts(s articles.Store) tea.Cmd {
	return func() tea.Msg {
		p, err := s.Page(context.Background(), articles.Query{}, 0, 0)
		return countsMsg{page: p, err: err}
	}
}

// reload reads the list page and the counts again, keeping the selection
// on the same article.
func (m *Model) reload() []tea.Cmd {
	// At the top of the list, not reading: new articles take the top.
	stayTop := m.focus == focusList && !m.search.editing
	return []tea.Cmd{m.list.reload(m.opts.Store, stayTop), loadCounts(m.opts.Store)}
}

// setRead marks the selected article read or unread, at once on screen and
// then in the store.
func (m *Model) setRead(read bool) tea.Cmd {
	row, ok := m.list.selected()
	if !ok || row.Read == read || m.readOnly(readMarkName(read)) {
		return nil
	}
	m.list.update(row.ID, func(r *articles.Row) { r.Read = read })
	if read {
		m.all.Unread--
	} else {
		m.all.Unread++
	}
	s := m.opts.Store
	return func() tea.Msg {
		return stateMsg{err: s.SetRead(context.Background(), []string{row.ID}, read)}
	}
}

func (m *Model) toggleStar() tea.Cmd {
	row, ok := m.list.selected()
	if !ok || m.readOnly("The star is") {
		return nil
	}
	starred := !row.Starred
	m.list.update(row.ID, func(r *articles.Row) { r.Starred = starred })
	s := m.opts.Store
	text := "Starred"
	if !starred {
		text = "Unstarred"
	}
	return func() tea.Msg {
		return stateMsg{err: s.SetStarred(context.Background(), row.ID, starred), text: text}
	}
}

// markAllRead marks every article the list shows as read: at once when
// they fit on one screen, else after the user confirms it, knowing how
// many it will change.
func (m *Model) markAllRead() tea.Cmd {
	if m.readOnly("The read marks are") {
		return nil
	}
	q := m.list.query
	if m.list.page.Total <= m.list.height {
		return markAll(m.opts.Store, q)
	}
	return countToMark(m.opts.Store, q)
}

// countToMark counts the unread articles q selects, for the question
// marking them asks when they are many.
func countToMark(s articles.Store, q articles.Query) tea.Cmd {
	return func() tea.Msg {
		uq := q
		uq.UnreadOnly = true
		p, err := s.Page(context.Background(), uq, 0, 0)
		return unreadCountMsg{query: q, n: p.Total, err: err}
	}
}

func markAll(s articles.Store, q articles.Query) tea.Cmd {
	return func() tea.Msg {
		n, err := s.MarkAllRead(context.Background(), q)
		return stateMsg{err: err, reload: true, text: fmt.Sprintf("Marked %s read", articles.Count(n, "article"))}
	}
}

// unreadCountMsg says how many unread articles A would mark.
type unreadCountMsg struct {
	query articles.Query
	n     int
	err   error
}

// markAllQuestion is A's question waiting for its answer.
type markAllQuestion struct {
	query articles.Query
	n     int
}

func (m *Model) onUnreadCount(msg unreadCountMsg) tea.Cmd {
	switch {
	case msg.err != nil:
		m.status = statusMessage{text: msg.err.Error(), isErr: true}
	case msg.n == 0:
		m.status = statusMessage{text: "Nothing to mark: every article shown is read"}
	case msg.n <= m.list.height:
		return markAll(m.opts.Store, msg.query)
	default:
		m.confirm = &markAllQuestion{query: msg.query, n: msg.n}
		m.status = statusMessage{text: fmt.Sprintf("Mark %s articles read? y/n", articles.Thousands(msg.n))}
	}
	return nil
}

// handleMarkAllAnswer takes the key that answers A's question: y marks, any
// other key leaves the articles as they are.
func (m *Model) handleMarkAllAnswer(msg tea.KeyPressMsg) tea.Cmd {
	q := m.confirm
	m.confirm = nil
	if msg.Text == "y" || msg.Text == "Y" {
		return markAll(m.opts.Store, q.query)
	}
	m.status = statusMessage{text: "Nothing marked"}
	return nil
}

func (m *Model) onState(msg stateMsg) tea.Cmd {
	switch {
	case msg.err != nil:
		m.status = statusMessage{text: msg.err.Error(), isErr: true}
		return tea.Batch(m.reload()...) // show the store's state, not ours
	case msg.text != "":
		m.status = statusMessage{text: msg.text}
	}
	if msg.reload {
		return tea.Batch(m.reload()...)
	}
	return nil
}

// readOnly reports, and says in the status line, that state cannot change:
// what (with its verb), the mark the user just made (opening an article included), is not
// kept. Saying nothing would let the user believe it was.
func (m *Model) readOnly(what string) bool {
	if m.opts.ReadOnly {
		m.status = statusMessage{text: what + " not kept: another tidings is using the database, this reader is read-only"}
	}
	return m.opts.ReadOnly
}

func readMarkName(read bool) string {
	if read {
		return "The read mark is"
	}
	return "The unread mark is"
}
