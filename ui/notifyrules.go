package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"tidings/articles"
	"tidings/ui/notify"
)

// News is how the reader tells what a refresh brought that the [[notify]]
// rules match: in the status line, with a mark on the saved searches
// whose query is a rule's, through the terminal's desktop notification
// where it shows them, and through notify_command.
type News struct {
	Finder  notify.Finder
	Rules   []string // the rules' queries
	Command []string // notify_command; nil for none
	// Tags gives the feeds of a tag, for the rules' tag: terms.
	Tags func(tag string) []string
}

func (n *News) on() bool { return n != nil && n.Finder != nil && len(n.Rules) > 0 }

// newsWatch is the store's last article ID before a refresh: the
// articles above it are the refresh's.
type newsWatch struct {
	mark int64
	on   bool
}

type (
	newsMsg struct {
		news notify.News
		err  error
	}
	notifyRanMsg struct{ err error }
)

// watchNews takes the watermark, in the command that starts the refresh,
// before anything is stored. When it cannot be read the refresh goes on,
// unwatched.
func watchNews(n *News) newsWatch {
	if !n.on() {
		return newsWatch{}
	}
	mark, err := n.Finder.LastID(context.Background())
	return newsWatch{mark: mark, on: err == nil}
}

// checkNews runs the rules once, after the whole refresh, off the update
// loop.
func checkNews(n *News, w newsWatch, now time.Time) tea.Cmd {
	if !w.on || !n.on() {
		return nil
	}
	return func() tea.Msg {
		news, err := notify.Check(context.Background(), n.Finder, n.Rules, n.Tags, now, w.mark)
		return newsMsg{news: news, err: err}
	}
}

// askVersion asks the terminal its name (XTVERSION) once, for the desktop
// notification, when there are rules and nobody asked yet: the probe for
// pictures asks it too, and its answer serves both (onProbeReply keeps
// it).
func (m *Model) askVersion() tea.Cmd {
	if m.newsAsked || !m.opts.News.on() || !m.opts.Terminal || m.probeEnabled() {
		return nil
	}
	m.newsAsked = true
	return tea.RequestTerminalVersion
}

// onNews tells what the rules found: the status line (unless it holds
// what went wrong with the refresh, which matters more), the marks, the
// desktop notification and notify_command, run once for all the rules.
func (m *Model) onNews(msg newsMsg) tea.Cmd {
	if msg.err != nil {
		m.status = statusMessage{text: "Notify rules not checked: " + msg.err.Error(), isErr: true}
		return nil
	}
	news := msg.news
	if news.Count == 0 {
		return nil
	}
	if !m.status.isErr {
		m.status = statusMessage{text: fmt.Sprintf("%d new: %s", news.Count, news.First)}
	}
	m.searches.markNews(news.Rules)
	var cmds []tea.Cmd
	if m.opts.Terminal { // a snapshot or a headless run has no terminal to notify
		if seq := notify.Sequence(notify.ProtocolFor(m.detect.version), news.Count, news.First); seq != "" {
			cmds = append(cmds, tea.Raw(seq))
		}
	}
	if argv := m.opts.News.Command; len(argv) > 0 {
		cmds = append(cmds, func() tea.Msg {
			return notifyRanMsg{notify.Run(context.Background(), argv, news.Count, news.First)}
		})
	}
	return tea.Batch(cmds...)
}

// onNotifyRan shows a failed notify_command as a warning: the refresh
// itself worked.
func (m *Model) onNotifyRan(msg notifyRanMsg) {
	if msg.err != nil {
		m.status = statusMessage{text: msg.err.Error() + " (the refresh worked; fix notify_command in config.toml)", isErr: true}
	}
}

// markNews marks the saved searches whose query is a rule's that found
// something: the same query once parsed, and without regard to case
// (the search language's words ignore it), so that blanks and case do
// not matter. Only those are marked, not every saved search with
// new matches: most refreshes bring something to most searches, and a
// mark on each would say nothing; a rule is the user saying "tell me".
func (s *searchesModel) markNews(found []notify.Match) {
	for _, f := range found {
		fq, err := articles.ParseQuery(f.Query)
		if err != nil {
			continue
		}
		for i, ss := range s.list {
			if q, err := articles.ParseQuery(ss.query); err == nil && strings.EqualFold(q.Expr.String(), fq.Expr.String()) {
				s.list[i].news += f.Count
			}
		}
	}
}
