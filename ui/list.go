package ui

import (
	"context"
	"fmt"
	"slices"
	"sync"

	tea "charm.land/bubbletea/v2"

	"tidings/articles"
)

// pageSize is how many rows the list asks the store for at a time: a few
// screens around the cursor, never every article.
const pageSize = 200

// listModel is the list pane: a cursor over every article the query
// selects, of which it holds only the page around the cursor.
type listModel struct {
	query   articles.Query
	page    articles.Page // the rows loaded, with the match counts
	loaded  bool          // a page for query has arrived
	cursor  int           // index of the selection among all matches
	top     int           // index of the first visible row
	height  int           // visible rows
	seq     int           // number of the newest page request
	pending int           // offset of the request in flight, or -1
	keep    string        // ID the cursor follows when a reload comes
}

// pageMsg carries a page of rows the list asked for.
type pageMsg struct {
	seq   int
	query articles.Query
	page  articles.Page
	err   error
	// all: the page is of every article (the first page at start), so its
	// counts are the top bar's too.
	all bool
}

// FirstPage starts reading the list's first page from s (every article,
// newest first, as the model asks at start) and returns what waits for
// it, for Options.FirstPage. The reader calls it as soon as the store is
// open: the query then runs while the program is still being set up,
// instead of after the model has started.
func FirstPage(s articles.Store) func() (articles.Page, error) {
	type result struct {
		page articles.Page
		err  error
	}
	done := make(chan result, 1)
	go func() {
		p, err := readFirstPage(s)
		done <- result{p, err}
	}()
	return sync.OnceValues(func() (articles.Page, error) {
		r := <-done
		return r.page, r.err
	})
}

func readFirstPage(s articles.Store) (articles.Page, error) {
	return s.Page(context.Background(), articles.Query{}, 0, pageSize)
}

// loadFirstPage is the command of the first page: Options.FirstPage's,
// else read now. It is of every article, so the same query gives the top
// bar's counts; at start no second query competes with it for the store.
func loadFirstPage(s articles.Store, first func() (articles.Page, error), seq int) tea.Cmd {
	return func() tea.Msg {
		var p articles.Page
		var err error
		if first != nil {
			p, err = first()
		} else {
			p, err = readFirstPage(s)
		}
		if err != nil {
			err = fmt.Errorf("load articles: %w", err)
		}
		return pageMsg{seq: seq, page: p, err: err, all: true}
	}
}

func loadPage(s articles.Store, q articles.Query, offset, seq int) tea.Cmd {
	return func() tea.Msg {
		p, err := s.Page(context.Background(), q, offset, pageSize)
		if err != nil {
			err = fmt.Errorf("load articles: %w", err)
		}
		return pageMsg{seq: seq, query: q, page: p, err: err}
	}
}

// take applies a page. It reports false for a stale page, one answering a
// request that a newer one replaced.
func (l *listModel) take(msg pageMsg) bool {
	if msg.seq != l.seq {
		return false
	}
	l.page, l.loaded, l.pending = msg.page, true, -1
	if l.keep != "" {
		for j, r := range l.page.Rows {
			if r.ID == l.keep {
				l.cursor = l.page.Offset + j
			}
		}
		l.keep = ""
	}
	l.moveTo(l.cursor) // the number of matches may have changed
	return true
}

// reload reads the page around the cursor again, for articles that came
// or changed; the cursor stays on the selected article, or at the top if
// it was there and stayTop: new articles arriving then come into view.
func (l *listModel) reload(s articles.Store, stayTop bool) tea.Cmd {
	if sel, ok := l.selected(); ok && !(stayTop && l.cursor == 0) {
		l.keep = sel.ID
	}
	return l.request(s, max(0, l.cursor-pageSize/2))
}

// update changes the loaded row of one article, on a copy: earlier models
// share the old rows.
func (l *listModel) update(id string, f func(*articles.Row)) {
	l.page.Rows = slices.Clone(l.page.Rows)
	for i := range l.page.Rows {
		if l.page.Rows[i].ID == id {
			f(&l.page.Rows[i])
		}
	}
}

// setQuery starts showing the matches of q from the first one.
func (l *listModel) setQuery(s articles.Store, q articles.Query) tea.Cmd {
	l.query, l.cursor, l.top, l.loaded = q, 0, 0, false
	return l.request(s, 0)
}

func (l *listModel) request(s articles.Store, offset int) tea.Cmd {
	l.seq++
	l.pending = offset
	return loadPage(s, l.query, offset, l.seq)
}

// ensureLoaded asks for the page around the cursor when the visible rows
// are not all loaded and no request for them is in flight.
func (l *listModel) ensureLoaded(s articles.Store) tea.Cmd {
	if !l.loaded {
		return nil // the first page is on its way
	}
	first, last := l.top, min(l.top+l.height, l.page.Total)
	if covers(l.page.Offset, len(l.page.Rows), first, last) {
		return nil
	}
	offset := max(0, l.cursor-pageSize/2)
	if l.pending >= 0 && covers(l.pending, pageSize, first, last) {
		return nil
	}
	return l.request(s, offset)
}

func covers(offset, n, first, last int) bool {
	return first >= offset && last <= offset+n
}

func (l *listModel) setHeight(h int) {
	l.height = max(h, 1)
	l.moveTo(l.cursor)
}

func (l *listModel) move(delta int) { l.moveTo(l.cursor + delta) }

// moveTo puts the cursor on row i, clamped, and scrolls just enough to
// show it.
func (l *listModel) moveTo(i int) {
	l.cursor = max(0, min(i, l.page.Total-1))
	if l.cursor < l.top {
		l.top = l.cursor
	}
	if l.cursor >= l.top+l.height {
		l.top = l.cursor - l.height + 1
	}
	l.top = max(0, min(l.top, l.page.Total-l.height))
}

// row returns the i-th match if it is loaded.
func (l listModel) row(i int) (articles.Row, bool) {
	j := i - l.page.Offset
	if j < 0 || j >= len(l.page.Rows) {
		return articles.Row{}, false
	}
	return l.page.Rows[j], true
}

func (l listModel) selected() (articles.Row, bool) {
	if !l.loaded || l.page.Total == 0 {
		return articles.Row{}, false
	}
	return l.row(l.cursor)
}
