package articles

import (
	"time"

	"tidings/articles/termsafe"
)

// Synced is an article that came from a feed server rather than from a
// feed tidings fetched: the article (Feed is its feed's URL; Read and
// Starred are the server's state), the server's ID of it, and when its
// state last changed there.
type Synced struct {
	Article
	Remote string // the server's ID of the entry: its identity across syncs
	// Changed is when its state last changed on the server, on this
	// machine's clock; zero when the server does not say. A mark made
	// here later than that wins over the server's state.
	Changed time.Time
	// StateOnly says that only the state is given (Remote, Read,
	// Starred, Changed): the article is stored already.
	StateOnly bool
}

// RemoteFeed is a subscription on a feed server.
type RemoteFeed struct {
	Remote   string // the server's ID of the feed
	URL      string
	Title    string
	Category string // a folder or label on the server; empty if none
	Error    string // why the server's last fetch of it failed; empty if it worked
}

// PendingMark is a mark made here that the feed server has not been told
// of yet.
type PendingMark struct {
	Remote  string    // the server's ID of the entry
	Starred bool      // a star or unstar; false: read or unread
	On      bool      // read, or starred
	At      time.Time // when it was made
}

// SyncState is what a store remembers of the syncs with a feed server.
type SyncState struct {
	Account   string    `json:"account"`          // which server and user: another one starts afresh
	Cursor    string    `json:"cursor,omitempty"` // the server's mark of the last sync's end
	LastOK    time.Time `json:"last_ok,omitzero"`
	LastTry   time.Time `json:"last_try,omitzero"`
	LastError string    `json:"last_error,omitempty"`
}

// Sanitized returns f with every field made safe for a terminal.
func (f RemoteFeed) Sanitized() RemoteFeed {
	f.Remote = termsafe.Line(f.Remote)
	f.URL = termsafe.Line(f.URL)
	f.Title = termsafe.Line(f.Title)
	f.Category = termsafe.Line(f.Category)
	f.Error = termsafe.Line(f.Error)
	return f
}
