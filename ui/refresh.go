package ui

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	tea "charm.land/bubbletea/v2"

	"tidings/feed"
)

// Refresher refreshes feeds in the background: the feeds at urls, or every
// subscription when urls is empty. It reports each feed as it finishes and
// closes the channel at the end.
type Refresher interface {
	Start(ctx context.Context, urls []string) (int, <-chan feed.Result)
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
}

type (
	refreshStartedMsg struct {
		total   int
		results <-chan feed.Result
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
	r := m.opts.Refresher
	start := func() tea.Msg {
		total, results := r.Start(context.Background(), urls)
		return refreshStartedMsg{total: total, results: results}
	}
	return tea.Batch(start, spin())
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
		m.refresh.total = msg.total
		return waitResult(msg.results)
	case feedResultMsg:
		m.refresh.done++
		res := msg.result
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
	case refreshDoneMsg:
		m.refresh.running = false
		m.status = m.refresh.summary()
		if m.focus == focusFeeds {
			return m.loadFeeds()
		}
	case spinnerMsg:
		if !m.refresh.running {
			return nil
		}
		m.refresh.frame++
		return spin()
	}
	return nil
}

// summary is the calm line a finished refresh leaves in the status line.
func (r refreshState) summary() statusMessage {
	switch {
	case r.total == 0:
		return statusMessage{text: "No feeds to refresh"}
	case r.offline == r.total:
		return statusMessage{text: "No network: showing the articles already here"}
	case r.failed > 0:
		return statusMessage{text: fmt.Sprintf("Refreshed %s: %d new, %d failed (F shows why)",
			plural(r.total, "feed"), r.added, r.failed)}
	}
	return statusMessage{text: fmt.Sprintf("Refreshed %s: %d new", plural(r.total, "feed"), r.added)}
}

// progress is the spinner and count for the status line.
func (r refreshState) progress() string {
	if !r.running {
		return ""
	}
	frames := []rune(spinnerFrames)
	return fmt.Sprintf("%c fetching %d/%d", frames[r.frame%len(frames)], r.done, r.total)
}

// isNetworkError tells a machine without network from a broken feed.
func isNetworkError(err error) bool {
	var dns *net.DNSError
	var op *net.OpError
	return errors.As(err, &dns) || errors.As(err, &op) && op.Op == "dial"
}
