package ui

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"tidings/articles"
	"tidings/articles/termsafe"
	"tidings/feed/subs"
)

// savedSearch is one [[searches]] entry with its unread count.
type savedSearch struct {
	name, query string
	unread      int
	more        bool // unread is a lower bound: the store stopped counting
	counted     bool // unread has been read from the store once
	err         error
	// news is what [[notify]] rules of the same query found since the
	// search was last opened (markNews): the mark in the feeds view.
	news int
}

// searchesModel holds the saved searches and their unread counts.
//
// The counts are cached: at 100,000 articles each is a query of the
// store, so they are read only while the feeds view shows them, once
// after something may have changed them (a refresh brought articles, a
// mark changed, another process wrote), never on a frame or a move of
// the cursor. One count runs at a time; changes during it count again
// when it is done.
type searchesModel struct {
	list     []savedSearch
	stale    bool // something changed since the counts were read
	counting bool
	gen      int // bumped when the list changes: a count of an older list is dropped
}

func newSearches(saved []subs.Search) searchesModel {
	s := searchesModel{stale: true}
	for _, ss := range saved {
		s.list = append(s.list, savedSearch{name: ss.Name, query: ss.Query})
	}
	return s
}

// find returns the index of the saved search called name (compared as
// config.toml compares them: case and surrounding blanks aside), or -1.
func (s searchesModel) find(name string) int {
	name = strings.TrimSpace(name)
	for i, ss := range s.list {
		if strings.EqualFold(ss.name, name) {
			return i
		}
	}
	return -1
}

// add appends a search just saved; its count is read with the others'.
func (s *searchesModel) add(name, query string) {
	s.list = append(s.list, savedSearch{name: name, query: query})
	s.gen++
	s.stale = true
}

// searchCountsMsg carries the unread counts of the saved searches.
type searchCountsMsg struct {
	gen    int
	counts []int
	more   []bool // the count stopped short: "1,000+"
	errs   []error
}

// countSearches reads the counts when they are stale and on screen.
func (m *Model) countSearches() tea.Cmd {
	s := &m.searches
	if !s.stale || s.counting || m.focus != focusFeeds || len(s.list) == 0 {
		return nil
	}
	s.stale, s.counting = false, true
	queries := make([]string, len(s.list))
	for i, ss := range s.list {
		queries[i] = ss.query
	}
	return countCmd(m.opts.Store, s.gen, queries)
}

func countCmd(store articles.Store, gen int, queries []string) tea.Cmd {
	return func() tea.Msg {
		msg := searchCountsMsg{gen: gen, counts: make([]int, len(queries)), more: make([]bool, len(queries)), errs: make([]error, len(queries))}
		for i, text := range queries {
			q, err := articles.ParseQuery(text)
			if err == nil {
				q.UnreadOnly = true
				var p articles.Page
				p, err = store.Page(context.Background(), q, 0, 0)
				msg.counts[i], msg.more[i] = p.Total, p.More
			}
			msg.errs[i] = err
		}
		return msg
	}
}

func (s *searchesModel) onCounts(msg searchCountsMsg) {
	s.counting = false
	if msg.gen != s.gen {
		s.stale = true // the list changed meanwhile
		return
	}
	for i := range s.list {
		s.list[i].unread, s.list[i].more, s.list[i].err, s.list[i].counted = msg.counts[i], msg.more[i], msg.errs[i], true
	}
}

// openSearch shows the articles of saved search i, as opening a feed
// shows the feed's: the list is titled by its name, and a search typed
// then looks among its articles.
func (m *Model) openSearch(i int) tea.Cmd {
	m.searches.list[i].news = 0 // seen
	ss := m.searches.list[i]
	m.filter.feeds, m.filter.feedLabel, m.filter.search = nil, termsafe.Line(ss.name), ss.query
	m.focus = focusList
	return m.applyQuery()
}

// withSaved is the query text of the search typed within the saved
// search in force: an article must match both. Each is put in
// parentheses, so that an OR in one does not reach into the other.
func (f filter) withSaved(typed string) string {
	switch {
	case f.search == "":
		return typed
	case strings.TrimSpace(typed) == "":
		return f.search
	}
	return "(" + f.search + ") (" + typed + ")"
}

// searchMark starts a saved search's line in the feeds view, as # starts
// a tag's: / is the search key.
const searchMark = "/ "

// searchCount is the right column of a saved search's line.
func (m Model) searchCount(i int) string {
	ss := m.searches.list[i]
	if ss.news > 0 {
		return fmt.Sprintf("%s new · %s", articles.Thousands(ss.news), m.unreadOf(i))
	}
	return m.unreadOf(i)
}

func (m Model) unreadOf(i int) string {
	ss := m.searches.list[i]
	switch {
	case ss.err != nil:
		return "error"
	case !ss.counted:
		return "…"
	case ss.unread == 0:
		return "no unread"
	}
	return articles.Page{Total: ss.unread, More: ss.more}.TotalText() + " unread"
}

// searchDetails shows the query of saved search i under the feeds, and
// why it cannot be counted when it cannot.
func (m Model) searchDetails(i int) []string {
	s, ss := m.styles, m.searches.list[i]
	lines := []string{"  " + m.shown(termsafe.Line(ss.query)), s.Faint.Render("  saved search: enter shows its articles")}
	if ss.err != nil {
		lines = append(lines, "  "+s.Error.Render(termsafe.Line(ss.err.Error())))
	}
	return lines
}

// replace takes the saved searches as config.toml has them now (edited
// by hand, or by another tidings): a search whose query is unchanged
// keeps its count, and the others are counted.
func (s *searchesModel) replace(saved []subs.Search) {
	same := len(saved) == len(s.list)
	for i := 0; same && i < len(saved); i++ {
		same = saved[i].Name == s.list[i].name && saved[i].Query == s.list[i].query
	}
	if same {
		return
	}
	known := make(map[string]savedSearch, len(s.list))
	for _, ss := range s.list {
		known[ss.query] = ss
	}
	list := make([]savedSearch, len(saved))
	for i, ss := range saved {
		list[i] = savedSearch{name: ss.Name, query: ss.Query}
		if k, ok := known[ss.Query]; ok {
			list[i].unread, list[i].more, list[i].counted, list[i].err, list[i].news = k.unread, k.more, k.counted, k.err, k.news
		}
	}
	s.list = list
	s.gen++
	s.stale = true
}
