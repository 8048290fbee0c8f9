package cli

import (
	"context"
	"os"
	"slices"
	"sync"
	"time"

	"tidings/articles/sqlite"
	"tidings/feed/subs"
)

// subsFile is the reader's view of the subscriptions: read again when the
// file changed (tidings add in another window), so that R fetches the new
// feed and F lists it. With --feed sources there is no file and the list
// is fixed.
type subsFile struct {
	path string // "" with --feed
	// synced: a feed server holds the subscriptions, and the file only
	// the feeds tidings fetches itself: none is none, not the defaults.
	synced bool
	mu     sync.Mutex
	subs   []subs.Subscription
	saved  []subs.Search // [[searches]], read with the feeds
	seen   stamp         // of the file subs was read from
	told   stamp         // of the file the watcher last reported
}

// stamp is what a cheap stat tells of a file: changed when it differs.
type stamp struct {
	exists  bool
	size    int64
	modTime time.Time
}

func statStamp(path string) stamp {
	st, err := os.Stat(path)
	if err != nil {
		return stamp{}
	}
	return stamp{exists: true, size: st.Size(), modTime: st.ModTime()}
}

// newSubsFile starts from feeds, read from the file at path ("" for none).
func newSubsFile(path string, feeds []subs.Subscription) *subsFile {
	f := &subsFile{path: path, subs: feeds}
	if path != "" {
		f.seen = statStamp(path)
		f.told = f.seen
	}
	return f
}

// current returns the subscriptions, reading the file again if it changed
// since. When it cannot be read the subscriptions read before stay, and
// the error (naming file and line) says why.
func (f *subsFile) current() ([]subs.Subscription, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.path == "" {
		return slices.Clone(f.subs), nil
	}
	now := statStamp(f.path)
	if now == f.seen {
		return slices.Clone(f.subs), nil
	}
	cfg, _, _, err := subs.Load(f.path) // warnings were printed at start; the terminal is the reader's now
	if err != nil {
		return slices.Clone(f.subs), err
	}
	f.subs, f.saved, f.seen = cfg.Feeds, cfg.Searches, now
	if len(f.subs) == 0 && !f.synced {
		f.subs = subs.DefaultFeeds()
	}
	return slices.Clone(f.subs), nil
}

// searches returns the saved searches, reading the file again if it
// changed since, as current does.
func (f *subsFile) searches() ([]subs.Search, error) {
	_, err := f.current()
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.saved), err
}

// changed reports whether the file changed since the last call, for the
// watcher: the feeds view then lists it again.
func (f *subsFile) changed() bool {
	if f.path == "" {
		return false
	}
	now := statStamp(f.path)
	f.mu.Lock()
	defer f.mu.Unlock()
	if now == f.told {
		return false
	}
	f.told = now
	return true
}

// moved follows a feed that moved for good in the list held here (the
// file, if any, is rewritten by followMoves and read again).
func (f *subsFile) moved(from, to string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.subs {
		if f.subs[i].URL == from {
			f.subs[i].URL = to
		}
	}
}

// watch is the reader's Options.Watch: whether another process wrote to
// the database or the subscriptions file changed.
func watch(w *sqlite.Watcher, file *subsFile) func(context.Context) (bool, error) {
	return func(ctx context.Context) (bool, error) {
		fileChanged := file.changed()
		if w == nil {
			return fileChanged, nil
		}
		changed, err := w.Changed(ctx)
		return changed || fileChanged, err
	}
}
