package greader

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tidings/feed/remote"
)

const (
	// idsPage is how many IDs one stream/items/ids call asks for: the
	// most Miniflux gives in one answer (FreshRSS has no limit); 10,000
	// IDs are about 200 KB of JSON.
	idsPage = 10000
	// contentsBatch is how many entries one stream/items/contents call
	// asks for, and so the size of a page handed to the sync: 100 entries
	// are a few MB at most, far below remote.MaxResponse and the 998
	// items FreshRSS reads in one query.
	contentsBatch = 100
	// maxListed stops a listing that never ends (a server sending the
	// same page forever with new continuations).
	maxListed = 1_000_000
)

// The streams and states of the API, as every server reads them.
const (
	readingList = "user/-/state/com.google/reading-list"
	readTag     = "user/-/state/com.google/read"
	starredTag  = "user/-/state/com.google/starred"
)

// Entries calls page with the entries of the reading list that known does
// not have, fetched a batch at a time, and returns as the next cursor the
// newest crawl time the server gave (milliseconds, by its own clock).
//
// The listing does not filter on the cursor (the API's ot parameter):
// Miniflux applies ot to the published date, not the crawl time, so it
// would hide the back catalogue of a feed subscribed since the last sync,
// and entries whose date is old or wrong; and a server whose clock moved
// back would hide new entries behind the cursor. Listing every ID (200 KB
// per 10,000 entries) and skipping those known here costs little and
// misses nothing. The read and starred state of entries already here comes
// from States, as the API gives no time of a change.
func (c *Client) Entries(ctx context.Context, cursor string, known func(id string) bool, page func([]remote.Entry) error) (string, error) {
	newest, _ := strconv.ParseInt(cursor, 10, 64)
	q := url.Values{"s": {readingList}}
	err := c.listIDs(ctx, "list entries", q, maxListed, func(ids []string) error {
		fresh := make([]string, 0, len(ids))
		for _, id := range ids {
			if known == nil || !known(id) {
				fresh = append(fresh, id)
			}
		}
		for len(fresh) > 0 {
			batch := fresh[:min(contentsBatch, len(fresh))]
			fresh = fresh[len(batch):]
			crawl, err := c.fetchBatch(ctx, batch, page)
			if err != nil {
				return err
			}
			newest = max(newest, crawl)
		}
		return nil
	})
	if err != nil {
		var pe errPage
		if errors.As(err, &pe) {
			return cursor, pe.err
		}
		return cursor, err
	}
	if newest <= 0 {
		return cursor, nil
	}
	return strconv.FormatInt(newest, 10), nil
}

// fetchBatch fetches the contents of ids and gives them to page. A batch
// whose answer is over remote.MaxResponse is fetched again in halves, so
// that a few huge entries (a body of inline images) do not stop every
// sync at the same batch; one entry over it alone is skipped: no client
// can hold it.
func (c *Client) fetchBatch(ctx context.Context, ids []string, page func([]remote.Entry) error) (int64, error) {
	entries, newest, err := c.contents(ctx, ids)
	if errors.Is(err, remote.ErrTooLarge) {
		if len(ids) == 1 {
			return 0, nil
		}
		half := len(ids) / 2
		n1, err := c.fetchBatch(ctx, ids[:half], page)
		if err != nil {
			return 0, err
		}
		n2, err := c.fetchBatch(ctx, ids[half:], page)
		return max(n1, n2), err
	}
	if err != nil || len(entries) == 0 {
		return newest, err
	}
	if err := page(entries); err != nil {
		return 0, errPage{err}
	}
	return newest, nil
}

// errPage carries the error of the page callback out of the listing as is.
type errPage struct{ err error }

func (e errPage) Error() string { return e.err.Error() }

type idsAnswer struct {
	ItemRefs []struct {
		ID text `json:"id"`
	} `json:"itemRefs"`
	Continuation text `json:"continuation"`
}

// listIDs calls each with the normalised IDs of the stream q names, a page
// at a time, following continuations; more than limit IDs is an error.
func (c *Client) listIDs(ctx context.Context, op string, q url.Values, limit int, each func(ids []string) error) error {
	q.Set("n", strconv.Itoa(idsPage))
	q.Set("output", "json")
	cont, listed := "", 0
	for {
		b, err := c.get(ctx, op, "stream/items/ids", q)
		if err != nil {
			return err
		}
		var a idsAnswer
		if err := json.Unmarshal(b, &a); err != nil {
			return c.badAnswer(op, err)
		}
		if listed += len(a.ItemRefs); listed > limit {
			return &remote.Error{Server: c.name, Op: op,
				Msg: fmt.Sprintf("the server lists more than %d entries; tidings stops rather than hold them all: mark older entries read, or unstar them, on the server", limit)}
		}
		ids := make([]string, 0, len(a.ItemRefs))
		for _, r := range a.ItemRefs {
			if id, ok := normID(string(r.ID)); ok {
				ids = append(ids, id)
			}
		}
		if err := each(ids); err != nil {
			return err
		}
		next := string(a.Continuation)
		if next == "" || next == cont || len(a.ItemRefs) == 0 {
			return nil
		}
		cont = next
		q.Set("c", cont)
	}
}

// contents fetches the entries with these IDs, skipping those the server
// no longer has, and returns the newest crawl time among them.
func (c *Client) contents(ctx context.Context, ids []string) ([]remote.Entry, int64, error) {
	f := form{{"output", "json"}}
	for _, id := range ids {
		if l, ok := longID(id); ok {
			f = f.add("i", l)
		}
	}
	b, err := c.post(ctx, "get the entries' contents", "stream/items/contents", f)
	if err != nil {
		return nil, 0, err
	}
	entries, newest, err := decodeItems(b, ids)
	if err != nil {
		return nil, 0, c.badAnswer("get the entries' contents", err)
	}
	return entries, newest, nil
}

type item struct {
	ID            text     `json:"id"`
	Title         string   `json:"title"`
	Author        string   `json:"author"`
	Published     number   `json:"published"`
	CrawlTimeMsec number   `json:"crawlTimeMsec"`
	TimestampUsec number   `json:"timestampUsec"`
	Categories    []string `json:"categories"`
	Canonical     []href   `json:"canonical"`
	Alternate     []href   `json:"alternate"`
	Summary       struct {
		Content string `json:"content"`
	} `json:"summary"`
	Content struct {
		Content string `json:"content"`
	} `json:"content"`
	Origin struct {
		StreamID text `json:"streamId"`
	} `json:"origin"`
}

type href struct {
	Href string `json:"href"`
}

// decodeItems reads a stream/items/contents answer, keeping the items
// asked for, once each. An item that cannot be read is skipped like one
// that vanished, rather than failing the whole batch: the next sync asks
// for it again.
func decodeItems(b []byte, asked []string) ([]remote.Entry, int64, error) {
	items, err := unmarshalItems(b)
	if err != nil {
		return nil, 0, err
	}
	want := make(map[string]bool, len(asked))
	for _, id := range asked {
		want[id] = true
	}
	entries := make([]remote.Entry, 0, len(items))
	var newest int64
	for i := range items {
		e, crawl, ok := items[i].entry()
		if !ok || !want[e.ID] {
			continue
		}
		delete(want, e.ID)
		newest = max(newest, crawl)
		entries = append(entries, e)
	}
	return entries, newest, nil
}

// unmarshalItems decodes the items in one pass, and only when an item
// does not fit (a title that is an object…) item by item, dropping those
// that do not: the two passes cost twice the time and half again the
// memory (BenchmarkDecodePage), so they are kept for broken answers.
func unmarshalItems(b []byte) ([]item, error) {
	var all struct {
		Items []item `json:"items"`
	}
	if err := json.Unmarshal(b, &all); err == nil {
		return all.Items, nil
	}
	var raw struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	items := make([]item, 0, len(raw.Items))
	for _, r := range raw.Items {
		var it item
		if json.Unmarshal(r, &it) == nil {
			items = append(items, it)
		}
	}
	return items, nil
}

// entry is the item as an Entry, with its crawl time in milliseconds.
func (it *item) entry() (remote.Entry, int64, bool) {
	id, ok := normID(string(it.ID))
	if !ok {
		return remote.Entry{}, 0, false
	}
	e := remote.Entry{
		ID:        id,
		FeedID:    string(it.Origin.StreamID),
		Title:     it.Title,
		URL:       firstHref(it.Canonical, it.Alternate),
		Author:    it.Author,
		Published: unixSeconds(int64(it.Published)),
		Content:   it.Content.Content,
	}
	if e.Content == "" {
		e.Content = it.Summary.Content
	}
	for _, cat := range it.Categories {
		switch {
		case isState(cat, "read"):
			e.Read = true
		case isState(cat, "starred"):
			e.Starred = true
		}
	}
	crawl := int64(it.CrawlTimeMsec)
	if crawl <= 0 {
		crawl = int64(it.TimestampUsec) / 1000
	}
	return e, crawl, true
}

func firstHref(lists ...[]href) string {
	for _, l := range lists {
		for _, h := range l {
			if h.Href != "" {
				return h.Href
			}
		}
	}
	return ""
}

// unixSeconds is the time of a count of seconds; zero when absent or past
// any plausible date (a server sending milliseconds there).
func unixSeconds(s int64) time.Time {
	if s <= 0 || s > 1e11 {
		return time.Time{}
	}
	return time.Unix(s, 0).UTC()
}

// isState reports whether a category is the state name of the user, in
// either form servers give: user/-/state/com.google/read (FreshRSS) or
// user/42/state/com.google/read (Miniflux).
func isState(cat, name string) bool {
	rest, ok := strings.CutPrefix(cat, "user/")
	if !ok {
		return false
	}
	user, state, ok := strings.Cut(rest, "/state/com.google/")
	return ok && state == name && !strings.Contains(user, "/")
}
