package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"tidings/articles"
	"tidings/articles/termsafe"
	"tidings/feed/subs"
)

// feedsModel is the feeds view: every subscription with its health, and
// the tags, each a filter for the list.
type feedsModel struct {
	items    []feedsItem
	statuses []subs.Status // what the items were built from
	cursor   int
	loaded   bool
	err      error
}

// feedsItem is one line of the feeds view: all articles, a saved search,
// a tag or a feed.
type feedsItem struct {
	label    string
	urls     []string     // the feeds it filters to; none for all articles
	status   *subs.Status // for a feed
	count    int          // feeds under a tag
	isSearch bool         // a saved search, the search-th
	search   int
}

type feedsMsg struct {
	statuses []subs.Status
	err      error
	// searches are the saved searches read again with the feeds, when
	// searchesRead.
	searches     []subs.Search
	searchesRead bool
}

func (m Model) loadFeeds() tea.Cmd {
	list, read := m.opts.Feeds, m.opts.ReadSearches
	if list == nil {
		return func() tea.Msg { return feedsMsg{} }
	}
	return func() tea.Msg {
		st, err := list(context.Background())
		msg := feedsMsg{statuses: st, err: err}
		if read != nil {
			// A file that does not read keeps the searches known: R says
			// what is wrong with it.
			saved, err := read()
			msg.searches, msg.searchesRead = saved, err == nil
		}
		return msg
	}
}

// onFeeds builds the lines of the feeds view, keeping the cursor on the
// same line when the statuses are read again during a refresh.
func (f *feedsModel) onFeeds(msg feedsMsg, searches []savedSearch) {
	f.loaded, f.err, f.statuses = true, msg.err, msg.statuses
	f.build(searches)
}

// build makes the lines: all articles, the saved searches, the tags, the
// feeds.
func (f *feedsModel) build(searches []savedSearch) {
	items := []feedsItem{{label: "All articles"}}
	for i, ss := range searches {
		items = append(items, feedsItem{label: searchMark + termsafe.Line(ss.name), isSearch: true, search: i})
	}
	var tags []string
	byTag := map[string][]string{}
	for _, st := range f.statuses {
		for _, t := range st.Tags {
			t = termsafe.Line(t) // the subscriptions file may come from an OPML import
			if _, seen := byTag[t]; !seen {
				tags = append(tags, t)
			}
			byTag[t] = append(byTag[t], st.URL)
		}
	}
	for _, t := range tags {
		items = append(items, feedsItem{label: "#" + t, urls: byTag[t], count: len(byTag[t])})
	}
	for i := range f.statuses {
		st := &f.statuses[i]
		items = append(items, feedsItem{label: termsafe.Line(st.Title()), urls: []string{st.URL}, status: st})
	}
	f.items = items
	f.cursor = max(0, min(f.cursor, len(items)-1))
}

func (m *Model) handleFeedsKey(msg tea.KeyPressMsg) tea.Cmd {
	k, f := m.keys, &m.feeds
	switch {
	case key.Matches(msg, k.Down):
		f.cursor = min(f.cursor+1, len(f.items)-1)
	case key.Matches(msg, k.Up):
		f.cursor = max(f.cursor-1, 0)
	case key.Matches(msg, k.Top):
		f.cursor = 0
	case key.Matches(msg, k.Bottom):
		f.cursor = max(len(f.items)-1, 0)
	case key.Matches(msg, k.Back, k.Feeds):
		m.focus = focusList
	case key.Matches(msg, k.Refresh):
		if len(f.items) > 0 && f.items[f.cursor].status != nil {
			return m.startRefresh(f.items[f.cursor].urls)
		}
	case key.Matches(msg, k.Open) && len(f.items) > 0:
		return m.openFeedItem()
	}
	return nil
}

// openFeedItem shows the articles of the feed (or tag) under the cursor.
func (m *Model) openFeedItem() tea.Cmd {
	it := m.feeds.items[m.feeds.cursor]
	if it.isSearch {
		return m.openSearch(it.search)
	}
	m.filter.feeds, m.filter.feedLabel, m.filter.search = it.urls, it.label, ""
	if len(it.urls) == 0 {
		m.filter.feedLabel = ""
	}
	m.focus = focusList
	return m.applyQuery()
}

// feedsTop is the first feed the view shows, rows of them fitting above
// the details: the cursor stays in view.
func (m Model) feedsTop(rows int) int {
	return max(0, m.feeds.cursor-rows+1)
}

// feedsView draws the feeds view: the lines, and the details of the feed
// under the cursor at the bottom.
func (m Model) feedsView(height int) []string {
	f, s := m.feeds, m.styles
	switch {
	case !f.loaded:
		return []string{"", s.Faint.Render("  Loading feeds…")}
	case f.err != nil:
		return []string{"", "  " + s.Error.Render(f.err.Error())}
	}
	details := m.feedDetails()
	rows := max(height-len(details)-1, 1)
	top := m.feedsTop(rows)
	var lines []string
	for i := top; i < len(f.items) && len(lines) < rows; i++ {
		lines = append(lines, m.feedsRow(i))
	}
	for len(lines) < rows {
		lines = append(lines, "")
	}
	if len(f.items) == 1 {
		lines[min(1, rows-1)] = s.Faint.Render("  No subscriptions: tidings add URL, or tidings import FILE.opml")
	}
	return append(append(lines, s.Border.Render(strings.Repeat("─", m.width))), details...)
}

func (m Model) feedsRow(i int) string {
	it, s := m.feeds.items[i], m.styles
	st := s.rows[rowNormal]
	if i == m.feeds.cursor {
		st = s.rows[rowSelected]
	}
	var right string
	switch {
	case it.isSearch:
		right = m.searchCount(it.search)
	case it.status != nil:
		state := it.status.State
		right = fmt.Sprintf("%-7s %6d %9s %4s", it.status.Health(), state.Total,
			unreadCount(state.Unread), lastSuccess(m.opts.Now(), state))
	case it.count > 0:
		right = articles.Count(it.count, "feed")
	default:
		right = countsText(m.all)
	}
	right += " "
	titleWidth := max(m.width-2-ansi.StringWidth(right)-1, 1)
	title := fit(ansi.Truncate(m.shown(it.label), titleWidth, "…"), titleWidth)
	if m.opts.ReorderRTL {
		title = visualLine(title, textDir(it.label)) // right-aligned, as in the list
	}
	return st.bar + st.blank + st.text.Render(title+" ") + st.faint.Render(right)
}

// lastSuccess is the age of a feed's last fetch that worked, "-" if none
// did: a failed attempt is not news.
func lastSuccess(now time.Time, st articles.FeedState) string {
	if st.LastOK.IsZero() {
		return "-"
	}
	return age(now, st.LastOK)
}

func unreadCount(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%d unread", n)
}

// feedDetails shows the URL, fetch times and last error of the feed under
// the cursor.
func (m Model) feedDetails() []string {
	s := m.styles
	if len(m.feeds.items) == 0 {
		return nil
	}
	it := m.feeds.items[m.feeds.cursor]
	if it.isSearch {
		return m.searchDetails(it.search)
	}
	if it.status == nil {
		// The keys are in the status line; this says what enter shows.
		what := "every feed"
		if len(it.urls) > 0 {
			what = fmt.Sprintf("the %s of %s", articles.Count(len(it.urls), "feed"), termsafe.Line(it.label))
		}
		return []string{s.Faint.Render("  enter shows the articles of " + what)}
	}
	st := it.status.State
	// The URL as subs.DisplayURL shows it: ASCII host, no user info, safe
	// to print. "fetched" only when a fetch worked: a failed one says so.
	lines := []string{"  " + subs.DisplayURL(it.status.URL), s.Faint.Render("  " + it.status.Fetched(m.ago))}
	if st.LastError != "" {
		msg := termsafe.Line(it.status.Problem())
		for _, l := range strings.Split(ansi.Wordwrap(msg, max(m.width-4, 10), ""), "\n") {
			lines = append(lines, "  "+s.Error.Render(l))
		}
	}
	return lines
}

// ago is age as words: "just now", "5m ago".
func (m Model) ago(t time.Time) string {
	a := age(m.opts.Now(), t)
	if a == "now" {
		return "just now"
	}
	return a + " ago"
}
