package ui

import (
	"context"
	"image"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"tidings/articles"
	"tidings/articles/articlestest"
	"tidings/feed"
	"tidings/ui/notify"
)

// memFinder finds news in a MemStore, whose IDs are not ordered: a mark
// is the set of IDs stored when it was taken.
type memFinder struct {
	store *articlestest.MemStore
	marks []map[string]bool
}

func (f *memFinder) LastID(ctx context.Context) (int64, error) {
	p, err := f.store.Page(ctx, articles.Query{}, 0, 1<<20)
	seen := make(map[string]bool, len(p.Rows))
	for _, r := range p.Rows {
		seen[r.ID] = true
	}
	f.marks = append(f.marks, seen)
	return int64(len(f.marks) - 1), err
}

// NewArticles says there are too many, for Check to ask NewMatches.
func (f *memFinder) NewArticles(context.Context, int64, int) ([]articles.Article, []string, bool, error) {
	return nil, nil, false, nil
}

func (f *memFinder) NewMatches(ctx context.Context, q articles.Query, after int64) (int, string, error) {
	q.UnreadOnly = true
	p, err := f.store.Page(ctx, q, 0, 1<<20)
	n, first := 0, ""
	for _, r := range p.Rows {
		if !f.marks[after][r.ID] {
			if n == 0 {
				first = r.Title
			}
			n++
		}
	}
	return n, first, err
}

// newsOptions are the saved searches' options with a refresh that brings
// a Geneva story and a [[notify]] rule of the same query as the saved
// search "Geneva talks".
func newsOptions(t *testing.T, rules ...string) Options {
	s := fetchedStore(t)
	opts := savedOptions(t, s)
	opts.Refresher = &fakeRefresher{store: s,
		add:     []articles.Article{{ID: "w9", Feed: worldURL, Source: "World Wire", Title: "Geneva \x1b[31msummit\x1b[0m opens", Published: testNow}},
		results: []feed.Result{{URL: worldURL, Title: "World Wire", New: 1}}}
	opts.News = &News{Finder: &memFinder{store: s}, Rules: rules}
	return opts
}

// TestNewsViews: a refresh that brings a match says so in the status
// line, and marks the saved search of the rule's query until it is
// opened.
func TestNewsViews(t *testing.T) {
	m := drive(t, New(newsOptions(t, "GENEVA", "volcano")), 80, 24, "R")
	t.Run("status_80x24", func(t *testing.T) { golden.RequireEqual(t, plain(t, m)) })
	m = press(t, m, "F")
	t.Run("mark_80x24", func(t *testing.T) { golden.RequireEqual(t, plain(t, m)) })
	if got := m.searchCount(0); got != "1 new · 2 unread" {
		t.Errorf("Geneva talks shows %q, want the mark", got)
	}
	if got := m.searchCount(2); got != "no unread" {
		t.Errorf("Volcanoes shows %q: a rule that found nothing marks nothing", got)
	}
	m = press(t, m, "j enter esc F")
	if got := m.searchCount(0); got != "2 unread" {
		t.Errorf("after opening it, Geneva talks shows %q, want the mark gone", got)
	}
}

// TestNewsNoMatchSaysNothing: a refresh whose articles match no rule
// leaves the refresh's own summary.
func TestNewsNoMatchSaysNothing(t *testing.T) {
	m := drive(t, New(newsOptions(t, "volcano")), 80, 24, "R")
	if got := m.status.text; !strings.HasPrefix(got, "Refreshed 1 feed: 1 new") {
		t.Errorf("status = %q, want the refresh's summary", got)
	}
}

// raws runs cmd and the batches it holds, and returns what it would
// write to the terminal raw. notify_command is not set, so nothing runs.
func raws(cmd tea.Cmd) []string {
	if cmd == nil {
		return nil
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		var out []string
		for _, c := range msg {
			out = append(out, raws(c)...)
		}
		return out
	case tea.RawMsg:
		return []string{msg.Msg.(string)}
	}
	return nil
}

// TestNewsDesktopNotification: the sequence goes out, its text cleaned,
// to a terminal that named itself kitty; none to tmux, and none from a
// snapshot, whatever the terminal's name.
func TestNewsDesktopNotification(t *testing.T) {
	news := newsMsg{news: notify.News{Count: 2, First: "Big\x1b]0;owned\x07 news",
		Rules: []notify.Match{{Query: "geneva", Count: 2}}}}
	for _, tc := range []struct {
		terminal string
		live     bool
		want     []string
	}{
		{"kitty(0.35.2)", true, []string{"\x1b]9;tidings: 2 new articles: Big news\x07"}},
		{"foot(1.18.0)", true, []string{"\x1b]777;notify;tidings: 2 new articles;Big news\x07"}},
		{"tmux 3.3a", true, nil},
		{"", true, nil},
		{"kitty(0.35.2)", false, nil}, // a snapshot
	} {
		opts := newsOptions(t, "geneva")
		opts.Terminal = tc.live
		m := New(opts)
		next, _ := m.Update(tea.TerminalVersionMsg{Name: tc.terminal})
		m = next.(Model)
		got := raws(m.onNews(news))
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%q (terminal %v) got %q, want %q", tc.terminal, tc.live, got, tc.want)
		}
	}
}

// TestNewsAsksVersionOnce: the reader asks the terminal's name once, and
// not when the probe for pictures asks it, nor in a snapshot.
func TestNewsAsksVersionOnce(t *testing.T) {
	opts := newsOptions(t, "geneva")
	opts.Terminal = true
	m := New(opts)
	if m.askVersion() == nil || m.askVersion() != nil {
		t.Error("want one question, then none")
	}
	opts.Pictures = func(context.Context, string, int, int) (img image.Image, err error) { return nil, nil }
	m = New(opts)
	if m.askVersion() != nil {
		t.Error("asked again beside the probe for pictures, which asks it")
	}
	opts.Pictures, opts.Terminal = nil, false
	m = New(opts)
	if m.askVersion() != nil {
		t.Error("a snapshot asked the terminal")
	}
}
