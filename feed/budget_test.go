package feed

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestItemBudget checks the bound on parsed items: a share waits while
// it does not fit, goes in when items are given back, and goes in alone
// however large; settling never waits, and a cancelled wait gives up.
func TestItemBudget(t *testing.T) {
	ctx := t.Context()
	b := newItemBudget(100)
	if err := b.take(ctx, 50); err != nil {
		t.Fatal(err)
	}
	b.settle(50, 90) // a feed of 90 items: over what it took, at once
	got := make(chan error, 1)
	go func() { got <- b.take(ctx, 50) }()
	select {
	case err := <-got:
		t.Fatalf("a share of 50 went in beside 90 of 100 held (err %v)", err)
	case <-time.After(50 * time.Millisecond):
	}
	b.give(90)
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	b.settle(50, 0) // a feed that brought nothing holds nothing
	if b.held != 0 {
		t.Fatalf("held %d after every item was given back, want 0", b.held)
	}
	if err := b.take(ctx, 500); err != nil { // larger than the budget, alone
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if err := b.take(short, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("take beside a full budget: %v, want the context's deadline", err)
	}
}
