package miniflux

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tidings/feed/remote"
)

// MarkBatch is how many IDs one PUT /v1/entries carries. Miniflux sets no
// limit (it updates WHERE id = ANY($ids)); 1,000 IDs are about 10 KB of
// JSON, far under the body limit of any proxy in front of it. Marking
// 1,000 entries read, or starred, is one request.
const MarkBatch = 1000

// Mark sets read or starred on the entries with these IDs. An ID that is
// not a Miniflux entry ID (a positive integer) is left out: no request
// could ever mark it, and it must not hold back the others.
func (s *Server) Mark(ctx context.Context, ids []string, m remote.Mark) error {
	nums := entryIDs(ids)
	var stars starred
	for start := 0; start < len(nums); start += MarkBatch {
		batch := nums[start:min(start+MarkBatch, len(nums))]
		if err := s.markBatch(ctx, batch, m, &stars); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) markBatch(ctx context.Context, batch []int64, m remote.Mark, stars *starred) error {
	op := markOp(m, len(batch))
	if m.Kind == remote.Read {
		status := "unread"
		if m.On {
			status = "read"
		}
		return s.call(ctx, op, func(ctx context.Context) error {
			return s.api.UpdateEntriesContext(ctx, batch, status)
		})
	}
	err := s.call(ctx, op, func(ctx context.Context) error {
		return s.api.UpdateEntriesStarredContext(ctx, batch, m.On)
	})
	var re *remote.Error
	if errors.As(err, &re) && re.Status == http.StatusBadRequest {
		// A Miniflux older than the starred field of PUT /v1/entries
		// refuses it: star one entry at a time, with the toggle.
		return s.toggleStars(ctx, op, batch, m.On, stars)
	}
	return err
}

func markOp(m remote.Mark, n int) string {
	what := map[remote.MarkKind][2]string{remote.Read: {"unread", "read"}, remote.Starred: {"unstarred", "starred"}}[m.Kind]
	on := 0
	if m.On {
		on = 1
	}
	if n == 1 {
		return "mark 1 entry " + what[on]
	}
	return fmt.Sprintf("mark %d entries %s", n, what[on])
}

// entryIDs parses IDs, leaving out duplicates and what is not an ID.
func entryIDs(ids []string) []int64 {
	out := make([]int64, 0, len(ids))
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil || n <= 0 || seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, n)
	}
	return out
}

// starred is the set of starred entries on the server, read once per
// Mark, for toggling only those whose flag differs.
type starred struct {
	ids    map[int64]bool
	loaded bool
}

// toggleStars sets the starred flag of each entry of batch through the
// toggle, PUT /v1/entries/{id}/bookmark: the starred entries are read
// first (a request per 100), and only the entries whose flag differs are
// toggled, since toggling blindly would unstar a starred one. 1,000 stars
// cost the pages of starred entries plus one request per entry to change.
func (s *Server) toggleStars(ctx context.Context, op string, batch []int64, on bool, stars *starred) error {
	if !stars.loaded {
		ids, err := s.starredIDs(ctx, op)
		if err != nil {
			return err
		}
		stars.ids, stars.loaded = ids, true
	}
	for _, id := range batch {
		if stars.ids[id] == on {
			continue
		}
		path := fmt.Sprintf("/v1/entries/%d/bookmark", id)
		err := s.call(ctx, op, func(ctx context.Context) error { return s.put(ctx, path) })
		var re *remote.Error
		if errors.As(err, &re) && strings.Contains(re.Msg, "nothing has been updated") {
			continue // the entry is gone: nothing to star
		}
		if err != nil {
			return err
		}
		stars.ids[id] = on
	}
	return nil
}

// starredIDs lists the IDs of the starred entries, paging by ID.
func (s *Server) starredIDs(ctx context.Context, op string) (map[int64]bool, error) {
	ids := map[int64]bool{}
	var after int64
	for {
		var p entriesPage
		path := entriesQuery(time.Time{}, "id", "asc", after, PageSize) + "&starred=true"
		if err := s.call(ctx, op, func(ctx context.Context) error { return s.getJSON(ctx, path, &p) }); err != nil {
			return nil, err
		}
		last := after
		for _, e := range p.Entries {
			ids[e.ID] = true
			last = max(last, e.ID)
		}
		if len(p.Entries) < PageSize || last <= after {
			return ids, nil
		}
		after = last
	}
}

// put sends a PUT without a body and expects no content back.
func (s *Server) put(ctx context.Context, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, s.endpoint+path, nil)
	if err != nil {
		return err
	}
	s.authorize(req)
	resp, err := s.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}
