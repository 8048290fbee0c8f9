package ui

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"slices"
	"time"

	tea "charm.land/bubbletea/v2"

	"tidings/articles"
	"tidings/articles/termsafe"
	"tidings/feed"
)

// Refresher refreshes feeds in the background: the feeds at urls, or every
// subscription when urls is empty. It returns the URLs of the feeds it
// fetches, reports each as it finishes and closes the channel at the end.
// With no channel, the error says why nothing started (another process
// refreshes the same feeds); with a channel, an error is a warning the
// status line shows at the end (the subscriptions file could not be read
// again).
type Refresher interface {
	Start(ctx context.Context, urls []string) ([]string, <-chan feed.Result, error)
}

// Syncer is a Refresher that also syncs with a feed server: among the
// URLs Start returns, SyncURL stands for the sync, which the progress line
// names as such.
type Syncer interface {
	Refresher
	SyncURL() string
}

// refreshState is a refresh under way, for the status line.
type refreshState struct {
	running bool
	total   int
	done    int
	added   int
	failed  int
	offline int // failures that are the network's, not the feed's
	frame   int // of the spinner
	warning string
	pending map[string]bool // the feeds not done yet, to name the last few
	server  string          // the feed server synced with, if any
	syncURL string          // the feed server's URL while its sync runs, if any
	// serverErr is why the sync with the feed server failed: one calm
	// line, which the summary leads with.
	serverErr string
	watch     newsWatch // for the [[notify]] rules, checked at the end
}

type (
	refreshStartedMsg struct {
		feeds   []string
		results <-chan feed.Result
		err     error
		watch   newsWatch
	}
	feedResultMsg struct {
		result  feed.Result
		results <-chan feed.Result
	}
	refreshDoneMsg struct{}
	spinnerMsg     struct{}
)

// spinnerFrames turn while feeds are fetched.
const spinnerFrames = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"

// startRefresh refreshes urls (all feeds when empty) unless a refresh is
// already under way.
func (m *Model) startRefresh(urls []string) tea.Cmd {
	switch {
	case m.refresh.running:
		m.status = statusMessage{text: "Already refreshing"}
		return nil
	case m.opts.Refresher == nil:
		m.status = statusMessage{text: m.opts.NoRefresh}
		return nil
	}
	m.refresh = refreshState{running: true}
	return tea.Batch(startCmd(m.opts.Refresher, m.opts.News, urls), spin())
}

// startCmd starts the refresh, the watermark of news taken first.
func startCmd(r Refresher, news *News, urls []string) tea.Cmd {
	return func() tea.Msg {
		watch := watchNews(news)
		feeds, results, err := r.Start(context.Background(), urls)
		return refreshStartedMsg{feeds: feeds, results: results, err: err, watch: watch}
	}
}

func waitResult(results <-chan feed.Result) tea.Cmd {
	return func() tea.Msg {
		res, ok := <-results
		if !ok {
			return refreshDoneMsg{}
		}
		return feedResultMsg{result: res, results: results}
	}
}

func spin() tea.Cmd {
	return tea.Tick(100*time.Millisecond, func(time.Time) tea.Msg { return spinnerMsg{} })
}

// onRefresh follows a refresh: each finished feed may bring articles, so
// the list and the counts are read again as they come.
func (m *Model) onRefresh(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case refreshStartedMsg:
		return m.onRefreshStarted(msg)
	case feedResultMsg:
		return m.onFeedResult(msg)
	case refreshDoneMsg:
		m.refresh.running = false
		m.status = m.refresh.summary(key1(m.keys.Feeds))
		news := checkNews(m.opts.News, m.refresh.watch, m.opts.Now())
		if m.focus == focusFeeds {
			return tea.Batch(m.loadFeeds(), news)
		}
		return news
	case spinnerMsg:
		if !m.refresh.running {
			return nil
		}
		m.refresh.frame++
		return spin()
	}
	return nil
}

// onRefreshStarted sets up the progress line for the feeds a refresh
// fetches, or says why none started.
func (m *Model) onRefreshStarted(msg refreshStartedMsg) tea.Cmd {
	if msg.results == nil {
		m.refresh.running = false
		m.status = statusMessage{text: sentence(msg.err)}
		return nil
	}
	if msg.err != nil {
		m.refresh.warning = msg.err.Error()
	}
	m.refresh.watch = msg.watch
	m.refresh.total = len(msg.feeds)
	m.refresh.pending = make(map[string]bool, len(msg.feeds))
	for _, u := range msg.feeds {
		m.refresh.pending[u] = true
	}
	if s, ok := m.opts.Refresher.(Syncer); ok && m.refresh.pending[s.SyncURL()] {
		m.refresh.syncURL = s.SyncURL()
	}
	return waitResult(msg.results)
}

// onFeedResult counts one feed's result and reads the list again when it
// brought articles.
func (m *Model) onFeedResult(msg feedResultMsg) tea.Cmd {
	m.refresh.done++
	res := msg.result
	delete(m.refresh.pending, res.URL)
	if res.Server {
		m.refresh.server = res.Title
		if res.Err != nil {
			m.refresh.serverErr = res.Err.Error()
		}
	}
	switch {
	case res.Err != nil:
		m.refresh.failed++
		if isNetworkError(res.Err) {
			m.refresh.offline++
		}
	case res.New > 0:
		m.refresh.added += res.New
	}
	cmds := []tea.Cmd{waitResult(msg.results)}
	if res.New > 0 {
		cmds = append(cmds, m.reload()...)
	}
	if m.focus == focusFeeds {
		cmds = append(cmds, m.loadFeeds())
	}
	return tea.Batch(cmds...)
}

// summary is the calm line a finished refresh leaves in the status line,
// and what went wrong reading the subscriptions again.
func (r refreshState) summary(feedsKey string) statusMessage {
	msg := r.counts(feedsKey)
	if r.warning != "" {
		msg = statusMessage{text: r.warning + ": refreshed the subscriptions read before. " + msg.text, isErr: true}
	}
	return msg
}

// sentence is err's message with a capital, for the status line.
func sentence(err error) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	if s != "" && s[0] >= 'a' && s[0] <= 'z' {
		s = string(s[0]-'a'+'A') + s[1:]
	}
	return s
}

func (r refreshState) counts(feedsKey string) statusMessage {
	if r.server != "" {
		return r.syncCounts(feedsKey)
	}
	switch {
	case r.total == 0:
		return statusMessage{text: "No feeds to refresh"}
	case r.offline == r.total:
		return statusMessage{text: "No network: showing the articles already here"}
	case r.failed > 0:
		return statusMessage{text: fmt.Sprintf("Refreshed %s: %d new, %d failed (%s shows why)",
			articles.Count(r.total, "feed"), r.added, r.failed, feedsKey)}
	}
	return statusMessage{text: fmt.Sprintf("Refreshed %s: %d new", articles.Count(r.total, "feed"), r.added)}
}

// syncCounts is the summary of a refresh that synced with a feed server:
// a server that failed leads, in its own words; the marks wait.
func (r refreshState) syncCounts(feedsKey string) statusMessage {
	feeds := r.total - 1
	if r.serverErr != "" {
		text := termsafe.Line(r.serverErr) + ": showing the articles already here; marks wait for the next sync"
		if feeds > 0 {
			text += fmt.Sprintf(" (refreshed %s: %d new)", articles.Count(feeds, "other feed"), r.added)
		}
		return statusMessage{text: text, isErr: true}
	}
	text := fmt.Sprintf("Synced with %s: %d new", termsafe.Line(r.server), r.added)
	if feeds > 0 {
		text = fmt.Sprintf("Synced with %s and refreshed %s: %d new", termsafe.Line(r.server), articles.Count(feeds, "feed"), r.added)
	}
	if r.failed > 0 {
		text += fmt.Sprintf(", %d failed (%s shows why)", r.failed, feedsKey)
	}
	return statusMessage{text: text}
}

// progress is the spinner and count for the status line; when only a few
// feeds are left, it names what the refresh is waiting on.
func (r refreshState) progress() string {
	if !r.running {
		return ""
	}
	frames := []rune(spinnerFrames)
	spinner := frames[r.frame%len(frames)]
	if r.syncURL != "" && r.pending[r.syncURL] {
		// A sync is one step however many pages it takes: say what it is.
		line := fmt.Sprintf("%c syncing with %s", spinner, feedHost(r.syncURL))
		if feeds := r.total - 1; feeds > 0 {
			line += fmt.Sprintf(" · fetching %d/%d", r.done, feeds)
		}
		return line
	}
	line := fmt.Sprintf("%c fetching %d/%d", spinner, r.done, r.total)
	if left := len(r.pending); left > 0 && left <= waitingShown && r.done > 0 {
		hosts := make([]string, 0, left)
		for u := range r.pending {
			hosts = append(hosts, feedHost(u))
		}
		slices.Sort(hosts)
		line += " · waiting on " + hosts[0]
		if left > 1 {
			line += fmt.Sprintf(", %d more", left-1)
		}
	}
	return line
}

// waitingShown is how few feeds must be left for progress to name them:
// then the wait is for a slow server, which the user may want to know.
const waitingShown = 5

// feedHost names a feed by its host, or a local feed by its file name.
func feedHost(u string) string {
	if p, err := url.Parse(u); err == nil && p.Host != "" {
		return termsafe.Line(p.Hostname())
	}
	return termsafe.Line(filepath.Base(u))
}

// isNetworkError tells a machine without network from a broken feed.
func isNetworkError(err error) bool {
	var dns *net.DNSError
	var op *net.OpError
	return errors.As(err, &dns) || errors.As(err, &op) && op.Op == "dial"
}
