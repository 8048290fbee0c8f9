package greader

import (
	"context"
	"net/url"

	"tidings/feed/remote"
)

const (
	// maxStateIDs bounds each list of States: 100,000 IDs are a few MB
	// here; a server listing more stops the sync with an error rather
	// than grow without end.
	maxStateIDs = 100_000
	// markBatch is how many IDs one edit-tag call carries: FreshRSS reads
	// at most max_input_vars (1,000 by default) fields of a form and
	// Miniflux, built with Go, at most 10,000; 500 stays under both with
	// room, so 1,000 marks are 2 requests.
	markBatch = 500
)

// States lists every unread entry of the reading list and every starred
// entry, the whole state on the server (the API gives no time of change).
func (c *Client) States(ctx context.Context) (remote.States, error) {
	s := remote.States{Complete: true}
	collect := func(into *[]string) func([]string) error {
		return func(ids []string) error {
			*into = append(*into, ids...)
			return nil
		}
	}
	q := url.Values{"s": {readingList}, "xt": {readTag}}
	if err := c.listIDs(ctx, "list unread entries", q, c.stateLimit, collect(&s.Unread)); err != nil {
		return remote.States{}, err
	}
	q = url.Values{"s": {starredTag}}
	if err := c.listIDs(ctx, "list starred entries", q, c.stateLimit, collect(&s.Starred)); err != nil {
		return remote.States{}, err
	}
	return s, nil
}

// Mark sets read or starred with edit-tag, markBatch IDs a request. An ID
// that is not one of the API's is skipped: no server can have it.
func (c *Client) Mark(ctx context.Context, ids []string, m remote.Mark) error {
	tag, op := readTag, "mark entries read"
	if m.Kind == remote.Starred {
		tag, op = starredTag, "star entries"
	}
	key := "a"
	if !m.On {
		key = "r"
		op = map[string]string{readTag: "mark entries unread", starredTag: "unstar entries"}[tag]
	}
	longs := make([]string, 0, min(len(ids), markBatch))
	flush := func() error {
		if len(longs) == 0 {
			return nil
		}
		f := form{{key, tag}}
		for _, l := range longs {
			f = f.add("i", l)
		}
		longs = longs[:0]
		_, err := c.post(ctx, op, "edit-tag", f)
		return err
	}
	for _, id := range ids {
		if l, ok := longID(id); ok {
			longs = append(longs, l)
		}
		if len(longs) == markBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}
