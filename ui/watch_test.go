package ui

import (
	"context"
	"errors"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"tidings/articles"
	"tidings/feed"
)

// fakeWatch stands for the store's data version, which tests move.
type fakeWatch struct {
	version, seen int
	asked         int
}

func (f *fakeWatch) watch(context.Context) (bool, error) {
	f.asked++
	changed := f.version != f.seen
	f.seen = f.version
	return changed, nil
}

// afterWatch delivers what the watcher found and runs the loads it
// starts, leaving out the next tick (the first command of the batch),
// which the program would run a second later.
func afterWatch(t *testing.T, m Model, msg watchedMsg) Model {
	t.Helper()
	cmd := m.onWatch(msg)
	batch, ok := cmd().(tea.BatchMsg)
	if !ok {
		t.Fatal("the watcher loaded nothing after a change")
	}
	d := driver{model: m}
	for _, c := range batch[1:] {
		if err := d.run(c); err != nil {
			t.Fatal(err)
		}
	}
	return d.model.(Model)
}

// TestWatchShowsOthersArticles: articles another process stored show
// without a key, the counts follow, and the cursor stays on its article,
// at the top of the list too.
func TestWatchShowsOthersArticles(t *testing.T) {
	for _, keys := range []string{"", "j j"} {
		s := fetchedStore(t)
		fw := &fakeWatch{}
		// Set after start: the headless driver would run the ticks for ever.
		m := drive(t, New(fetchedOptions(t, s)), 120, 40, keys)
		m.opts.Watch = fw.watch
		before, _ := m.list.selected()
		total := m.all.Total
		s.Add(articles.Article{ID: "w9", Feed: worldURL, Source: "World Wire", Title: "Fetched by cron", Published: testNow})
		fw.version++

		msg := m.onWatch(watchTickMsg{})()
		watched, ok := msg.(watchedMsg)
		if !ok || !watched.changed {
			t.Fatalf("keys %q: the watcher answered %#v, want a change", keys, msg)
		}
		m = afterWatch(t, m, watched)
		if after, _ := m.list.selected(); after.ID != before.ID {
			t.Errorf("keys %q: the cursor moved from %q to %q", keys, before.ID, after.ID)
		}
		if m.all.Total != total+1 {
			t.Errorf("keys %q: the header counts %d articles, want %d", keys, m.all.Total, total+1)
		}
		if !strings.Contains(plain(t, m), "Fetched by cron") {
			t.Errorf("keys %q: the new article is not on the screen:\n%s", keys, plain(t, m))
		}
	}
}

// TestWatchQuietWhenNothingChanged: no change reads nothing again, and
// during a refresh of its own the model does not even ask.
func TestWatchQuietWhenNothingChanged(t *testing.T) {
	s := fetchedStore(t)
	fw := &fakeWatch{}
	m := drive(t, New(fetchedOptions(t, s)), 120, 40, "j")
	m.opts.Watch = fw.watch
	seq := m.list.seq
	m.onWatch(watchedMsg{changed: false}) // only the next tick, not run here
	if m.list.seq != seq {
		t.Error("the list was read again though nothing changed")
	}
	m.refresh.running = true
	m.onWatch(watchTickMsg{})
	if fw.asked != 0 {
		t.Error("the watcher asked during the model's own refresh")
	}
}

// TestRefreshRefusedWhileAnotherRuns: R while another process refreshes
// says so in the status line and leaves no refresh running.
func TestRefreshRefusedWhileAnotherRuns(t *testing.T) {
	s := fetchedStore(t)
	opts := fetchedOptions(t, s)
	opts.Refresher = &fakeRefresher{store: s, refuse: errors.New("a refresh is already running (process 42); its articles will appear")}
	m := drive(t, New(opts), 100, 30, "R")
	if want := "A refresh is already running (process 42); its articles will appear"; m.status.text != want || m.refresh.running {
		t.Errorf("status %q, running %v; want %q", m.status.text, m.refresh.running, want)
	}
}

// TestRefreshWarnsOfABrokenSubscriptionsFile: a subscriptions file that
// could not be read again is named in the summary.
func TestRefreshWarnsOfABrokenSubscriptionsFile(t *testing.T) {
	s := fetchedStore(t)
	opts := fetchedOptions(t, s)
	opts.Refresher = &fakeRefresher{store: s, results: []feed.Result{{URL: worldURL}},
		warn: errors.New("config.toml:4: expected ']'")}
	m := drive(t, New(opts), 100, 30, "R")
	if !strings.HasPrefix(m.status.text, "config.toml:4: expected ']': refreshed the subscriptions read before.") || !m.status.isErr {
		t.Errorf("status %q", m.status.text)
	}
}

// TestStartRefreshCounts: the refresh at start counts as running, so R
// meanwhile starts no second one and the watcher waits for it.
func TestStartRefreshCounts(t *testing.T) {
	s := fetchedStore(t)
	opts := fetchedOptions(t, s)
	opts.Refresher = &fakeRefresher{store: s}
	opts.RefreshOnStart = true
	m := New(opts)
	if cmd := m.startRefresh(nil); cmd != nil || m.status.text != "Already refreshing" {
		t.Errorf("R during the refresh at start: status %q", m.status.text)
	}
}
