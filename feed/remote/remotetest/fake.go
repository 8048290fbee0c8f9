// Package remotetest holds a feed server in memory for the tests of the
// sync: it keeps feeds, entries and their state, and a clock of its own,
// and answers as a remote.Server, in either protocol's manner.
package remotetest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"tidings/feed/remote"
)

// Fake is a feed server in memory. Its methods are safe for concurrent
// use, by the sync and by the test.
type Fake struct {
	mu      sync.Mutex
	feeds   []remote.Feed
	entries []*fakeEntry
	seq     int // bumped by every change: the cursor
	// Now is the server's clock; time.Now when nil.
	Now func() time.Time
	// WholeStates makes the server answer as the Google Reader API does:
	// no time of change, and the whole state through States; entries
	// already stored come back only when new.
	WholeStates bool
	// PageSize is how many entries a page holds (100 when 0).
	PageSize int
	// Fail, when set, is returned by every call until cleared.
	Fail error
	// Calls counts the calls of each method, e.g. Calls["Mark"].
	Calls map[string]int
	// Marked records every Mark call's IDs.
	Marked [][]string
}

type fakeEntry struct {
	remote.Entry
	seq int
}

// AddFeed adds a subscription and returns it.
func (f *Fake) AddFeed(url, title, category string) remote.Feed {
	f.mu.Lock()
	defer f.mu.Unlock()
	feed := remote.Feed{ID: strconv.Itoa(len(f.feeds) + 1), URL: url, Title: title, Category: category}
	f.feeds = append(f.feeds, feed)
	return feed
}

// SetFeedError sets the server's error fetching the feed of that ID.
func (f *Fake) SetFeedError(id, msg string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.feeds {
		if f.feeds[i].ID == id {
			f.feeds[i].Error = msg
		}
	}
}

// AddEntry adds an entry to a feed and returns its ID.
func (f *Fake) AddEntry(feedID string, e remote.Entry) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	e.ID = strconv.Itoa(len(f.entries) + 1)
	e.FeedID = feedID
	e.Changed = f.now()
	f.entries = append(f.entries, &fakeEntry{Entry: e, seq: f.seq})
	return e.ID
}

// Set changes an entry's state on the server, as another device would.
func (f *Fake) Set(id string, m remote.Mark) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.set(id, m)
}

// State returns an entry's state on the server.
func (f *Fake) State(id string) (read, starred bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, e := range f.entries {
		if e.ID == id {
			return e.Read, e.Starred
		}
	}
	return false, false
}

// Remove deletes an entry, as a server's cleanup does.
func (f *Fake) Remove(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.entries = slices.DeleteFunc(f.entries, func(e *fakeEntry) bool { return e.ID == id })
}

func (f *Fake) set(id string, m remote.Mark) {
	for _, e := range f.entries {
		if e.ID != id {
			continue
		}
		if m.Kind == remote.Read {
			e.Read = m.On
		} else {
			e.Starred = m.On
		}
		f.seq++
		e.seq, e.Changed = f.seq, f.now()
	}
}

func (f *Fake) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return time.Now()
}

// call counts a call and returns the failure set, if any.
func (f *Fake) call(name string) error {
	if f.Calls == nil {
		f.Calls = map[string]int{}
	}
	f.Calls[name]++
	return f.Fail
}

// Name implements remote.Server.
func (f *Fake) Name() string { return "fake at https://server.test" }

// Feeds implements remote.Server.
func (f *Fake) Feeds(ctx context.Context) ([]remote.Feed, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("Feeds"); err != nil {
		return nil, err
	}
	return slices.Clone(f.feeds), nil
}

// Subscribe implements remote.Server.
func (f *Fake) Subscribe(ctx context.Context, url, category string) (remote.Feed, error) {
	f.mu.Lock()
	if err := f.call("Subscribe"); err != nil {
		f.mu.Unlock()
		return remote.Feed{}, err
	}
	f.mu.Unlock()
	return f.AddFeed(url, url, category), nil
}

// Unsubscribe implements remote.Server.
func (f *Fake) Unsubscribe(ctx context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("Unsubscribe"); err != nil {
		return err
	}
	f.feeds = slices.DeleteFunc(f.feeds, func(feed remote.Feed) bool { return feed.ID == id })
	f.entries = slices.DeleteFunc(f.entries, func(e *fakeEntry) bool { return e.FeedID == id })
	return nil
}

// Refresh implements remote.Server.
func (f *Fake) Refresh(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("Refresh"); err != nil {
		return err
	}
	if f.WholeStates {
		return &remote.Error{Server: f.Name(), Msg: "refresh: not supported", Err: remote.ErrUnsupported}
	}
	return nil
}

// Entries implements remote.Server: the entries changed since the
// cursor, in pages.
func (f *Fake) Entries(ctx context.Context, cursor string, known func(string) bool, page func([]remote.Entry) error) (string, error) {
	f.mu.Lock()
	if err := f.call("Entries"); err != nil {
		f.mu.Unlock()
		return cursor, err
	}
	since, _ := strconv.Atoi(cursor)
	var out []remote.Entry
	for _, e := range f.entries {
		if e.seq <= since || f.WholeStates && known(e.ID) {
			continue
		}
		x := e.Entry
		if f.WholeStates {
			x.Changed = time.Time{}
		}
		out = append(out, x)
	}
	next := strconv.Itoa(f.seq)
	size := f.PageSize
	f.mu.Unlock()
	if size == 0 {
		size = 100
	}
	for len(out) > 0 {
		n := min(size, len(out))
		if err := page(out[:n]); err != nil {
			return cursor, err
		}
		out = out[n:]
	}
	return next, nil
}

// States implements remote.Server.
func (f *Fake) States(ctx context.Context) (remote.States, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("States"); err != nil {
		return remote.States{}, err
	}
	if !f.WholeStates {
		return remote.States{}, nil
	}
	st := remote.States{Complete: true}
	for _, e := range f.entries {
		if !e.Read {
			st.Unread = append(st.Unread, e.ID)
		}
		if e.Starred {
			st.Starred = append(st.Starred, e.ID)
		}
	}
	return st, nil
}

// Mark implements remote.Server.
func (f *Fake) Mark(ctx context.Context, ids []string, m remote.Mark) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.call("Mark"); err != nil {
		return err
	}
	f.Marked = append(f.Marked, slices.Clone(ids))
	for _, id := range ids {
		f.set(id, m)
	}
	return nil
}

// Down is the error of a server that does not answer.
func Down(f *Fake) error {
	return remote.NetError(f.Name(), "", fmt.Errorf("dial tcp 127.0.0.1:1: connect: connection refused"))
}
