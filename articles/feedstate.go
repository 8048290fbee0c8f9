package articles

import "time"

// FeedState is what a store knows of one feed: how its last fetch went and
// how many articles it holds.
type FeedState struct {
	URL          string
	Title        string
	ETag         string // as the server sent it, for the next conditional GET
	LastModified string
	LastFetch    time.Time // last attempt; zero if never fetched
	LastOK       time.Time // last success
	LastError    string    // of the last attempt; empty when it succeeded
	Gone         bool      // the server said 410: not polled again
	RetryAfter   time.Time // not polled before this
	Total        int
	Unread       int
}

// FeedUpdate is the outcome of one refresh of one feed, saved in one
// transaction.
type FeedUpdate struct {
	URL          string // the feed's key: the URL it was fetched at
	NewURL       string // the URL to use from now on, when it moved for good
	Title        string
	ETag         string
	LastModified string
	NotModified  bool      // nothing new since the last fetch
	Items        []Article // newest first or not: the store sorts
	Err          string    // why the fetch failed; empty on success
	Gone         bool
	RetryAfter   time.Time
	At           time.Time // when the fetch ran
}
