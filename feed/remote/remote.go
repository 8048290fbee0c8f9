// Package remote keeps tidings in step with a feed server (Miniflux, or
// any server of the Google Reader API: FreshRSS, Inoreader, The Old
// Reader…). The server fetches, stores and keeps read and starred state
// for many devices; tidings is a fast, safe client of it, and works
// offline from its own store.
//
// Server is what a protocol client implements (feed/remote/miniflux,
// feed/remote/greader). Everything a server sends is as untrusted as a
// feed: entry bodies are HTML that pass the same gates as fetched feeds,
// and every string is sanitised before it is stored or shown.
package remote

import (
	"context"
	"errors"
	"time"
)

// Server is one account on a feed server, spoken to through its API.
// Implementations are safe for use by one goroutine at a time; every call
// honours ctx and returns an *Error for what the server said or did.
type Server interface {
	// Name says which server, for messages: "miniflux at
	// https://rss.example.org". It never holds a secret.
	Name() string

	// Feeds lists the account's subscriptions, with their categories and
	// the server's last error fetching each.
	Feeds(ctx context.Context) ([]Feed, error)
	// Subscribe subscribes the account to the feed at url, in category
	// (none when empty), and returns it as the server lists it.
	Subscribe(ctx context.Context, url, category string) (Feed, error)
	// Unsubscribe removes the subscription with the server's feed ID.
	Unsubscribe(ctx context.Context, feedID string) error
	// Refresh asks the server to fetch its feeds now, where the API can:
	// ErrUnsupported otherwise. It does not wait for the fetch to end.
	Refresh(ctx context.Context) error

	// Entries calls page with the entries that are new, or whose read or
	// starred state changed, since the cursor of the last sync (every
	// entry the server keeps when cursor is empty), a page at a time, and
	// returns the cursor for the next sync. known says whether an entry is
	// already stored here, so that a client whose API lists IDs first
	// need not download those entries' contents again: such an entry may
	// come with its state only (Entry.StateOnly). An entry listed but gone
	// when its content is asked for is skipped, not an error. When page
	// returns an error, Entries stops and returns it.
	Entries(ctx context.Context, cursor string, known func(id string) bool, page func([]Entry) error) (next string, err error)
	// States returns the server's whole read and starred state, for an
	// API whose entries carry no time of change (the Google Reader API):
	// the IDs of every unread entry and of every starred one. An API that
	// reports changes of state through Entries returns Complete false.
	States(ctx context.Context) (States, error)
	// Mark sets read or starred on the entries with these IDs, in as few
	// requests as the API allows.
	Mark(ctx context.Context, ids []string, m Mark) error
}

// Feed is one subscription as the server lists it.
type Feed struct {
	ID       string // the server's ID of the feed
	URL      string // the feed's own URL
	SiteURL  string
	Title    string
	Category string // the server's category (a folder, a label); empty if none
	Error    string // why the server's last fetch of the feed failed; empty if it worked
}

// Entry is one article as the server gives it. Every field is untrusted.
type Entry struct {
	ID        string // the server's ID of the entry: its identity here across syncs
	FeedID    string // the server's ID of its feed
	Title     string
	URL       string
	Author    string
	Published time.Time
	Content   string // HTML
	Read      bool
	Starred   bool
	// Changed is when the entry's state last changed on the server, by
	// the server's clock; zero when the API does not say.
	Changed time.Time
	// StateOnly says that only ID, FeedID, Read, Starred and Changed are
	// set: the entry is already stored here (see Server.Entries).
	StateOnly bool
}

// States is the whole read and starred state on the server (see
// Server.States).
type States struct {
	Complete bool     // false: the API reports changes through Entries instead
	Unread   []string // IDs of every unread entry
	Starred  []string // IDs of every starred entry
}

// Mark is a change of state: read or unread, starred or not.
type Mark struct {
	Kind MarkKind
	On   bool // read, or starred; false: unread, or unstarred
}

// MarkKind is what a Mark changes.
type MarkKind int

const (
	Read MarkKind = iota
	Starred
)

// ErrUnsupported is returned (wrapped in an *Error) for a call the
// server's API does not offer.
var ErrUnsupported = errors.New("not supported by this server")

// Error is what went wrong talking to a server, said in one calm line:
// "miniflux at https://rss.example.org: 401 unauthorized: check the
// token". It never holds a secret.
type Error struct {
	Server string // Server.Name()
	Op     string // what was asked, e.g. "list feeds"; may be empty
	Status int    // the HTTP status, 0 if none came
	Msg    string // what happened and the way out
	Err    error  // the cause, if any (ErrUnsupported, a network error…)
	// RetryAfter is when the server asked to be called again (429, 503);
	// zero if it did not say.
	RetryAfter time.Time
}

func (e *Error) Error() string {
	s := e.Server + ": "
	if e.Op != "" {
		s += e.Op + ": "
	}
	return s + e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// Unauthorized reports whether the server refused the credentials (401,
// 403): syncing again will not help until the user fixes them.
func (e *Error) Unauthorized() bool { return e.Status == 401 || e.Status == 403 }
