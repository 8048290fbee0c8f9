package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"
)

// watchInterval is how often an idle reader asks whether another process
// wrote to the store: one cheap question a second (a pragma that reads no
// table), so that articles fetched by cron, marks made in another window
// and new subscriptions show within about a second.
const watchInterval = time.Second

type (
	watchTickMsg struct{}
	watchedMsg   struct {
		changed bool
		err     error
	}
)

func watchTick() tea.Cmd {
	return tea.Tick(watchInterval, func(time.Time) tea.Msg { return watchTickMsg{} })
}

// onWatch asks Options.Watch, in a command, whether the store changed, and
// reads the list and the counts again when it did, the cursor staying on
// its article. During a refresh of its own the model reloads as the feeds
// come in: the question waits for the next tick.
func (m *Model) onWatch(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case watchTickMsg:
		if m.refresh.running {
			return watchTick()
		}
		watch := m.opts.Watch
		return func() tea.Msg {
			changed, err := watch(context.Background())
			return watchedMsg{changed: changed, err: err}
		}
	case watchedMsg:
		cmds := []tea.Cmd{watchTick()}
		if msg.err != nil || !msg.changed {
			// A failed look is tried again at the next tick; the reader
			// still works with what it shows.
			return cmds[0]
		}
		cmds = append(cmds, m.list.reload(m.opts.Store, false), loadCounts(m.opts.Store))
		if m.focus == focusFeeds {
			cmds = append(cmds, m.loadFeeds())
		}
		return tea.Batch(cmds...)
	}
	return nil
}
