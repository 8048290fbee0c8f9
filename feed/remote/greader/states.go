package greader

import (
	"context"
	"net/url"
	"slices"

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
	unread, err := c.stateIDs(ctx, "list unread entries", url.Values{"s": {readingList}, "xt": {readTag}})
	if err != nil {
		return remote.States{}, err
	}
	starred, err := c.stateIDs(ctx, "list starred entries", url.Values{"s": {starredTag}})
	if err != nil {
		return remote.States{}, err
	}
	return remote.States{Complete: true, Unread: unread, Starred: starred}, nil
}

// stateIDs lists every ID of a stream, once each: Miniflux's continuation
// is an offset, so an entry arriving between two pages shifts the next
// one and an ID comes twice. (One leaving the stream between pages, read
// meanwhile, makes the next page skip one: the next sync's States sees
// it again; ten thousand IDs a page make that rare.)
func (c *Client) stateIDs(ctx context.Context, op string, q url.Values) ([]string, error) {
	var ids []string
	pages := 0
	err := c.listIDs(ctx, op, q, c.stateLimit, func(page []string) error {
		ids = append(ids, page...)
		pages++
		return nil
	})
	if err != nil {
		return nil, err
	}
	if pages > 1 {
		seen := make(map[string]bool, len(ids))
		ids = slices.DeleteFunc(ids, func(id string) bool {
			dup := seen[id]
			seen[id] = true
			return dup
		})
	}
	return ids, nil
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
