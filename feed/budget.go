package feed

import (
	"context"
	"sync"
)

// itemBudget bounds the items fetched and parsed but not yet saved. A
// feed takes a share before it is parsed, when its size in items is not
// known, and settles to its real size after, without waiting: a settle
// that waited could hold every parsed feed back from the writer, which
// is what frees the budget. So the items held may pass the limit by the
// feeds being parsed, while no new feed is let in until they are back
// under it.
type itemBudget struct {
	mu    sync.Mutex
	held  int
	limit int
	freed chan struct{} // closed, and replaced, whenever items are given back
}

func newItemBudget(limit int) *itemBudget {
	return &itemBudget{limit: limit, freed: make(chan struct{})}
}

// take waits until n more items fit, or nothing is held (so that a feed
// larger than the whole budget still goes, alone), or ctx ends.
func (b *itemBudget) take(ctx context.Context, n int) error {
	for {
		b.mu.Lock()
		if b.held == 0 || b.held+n <= b.limit {
			b.held += n
			b.mu.Unlock()
			return nil
		}
		freed := b.freed
		b.mu.Unlock()
		select {
		case <-freed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// settle turns a share of took items into one of now, at once.
func (b *itemBudget) settle(took, now int) {
	if now < took {
		b.give(took - now)
		return
	}
	b.mu.Lock()
	b.held += now - took
	b.mu.Unlock()
}

// give hands n items back and wakes the feeds waiting to be let in.
func (b *itemBudget) give(n int) {
	b.mu.Lock()
	b.held -= n
	close(b.freed)
	b.freed = make(chan struct{})
	b.mu.Unlock()
}
