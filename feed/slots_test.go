package feed

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"
)

// fetchTestSlots checks how many shared slots and places aside are held.
func fetchTestSlots(t *testing.T, f *Fetcher, all, aside int) {
	t.Helper()
	if len(f.all) != all || len(f.aside) != aside {
		t.Errorf("%d shared slots and %d places aside held, want %d and %d", len(f.all), len(f.aside), all, aside)
	}
}

// TestFetchTicketStepsAside follows one request's slots: it steps aside
// when there is room, keeps its shared slot when there is none, takes one
// back to read a body, and gives everything back at the end.
func TestFetchTicketStepsAside(t *testing.T) {
	t.Parallel()
	f := NewFetcher(FetchOptions{MaxParallel: 1, MaxAside: 1, Patience: time.Hour})
	ctx := fetchTestCtx(t)
	a, err := f.fetchAcquire(ctx, "a:80")
	if err != nil {
		t.Fatal(err)
	}
	a.stepAside()
	fetchTestSlots(t, f, 0, 1)
	b, err := f.fetchAcquire(ctx, "b:80") // the shared slot a gave up
	if err != nil {
		t.Fatal(err)
	}
	b.stepAside() // no room aside: b keeps its slot
	fetchTestSlots(t, f, 1, 1)

	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if err := a.pin(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("pin with every shared slot taken: %v, want it to wait until its context ends", err)
	}
	b.release()
	if err := a.pin(ctx); err != nil {
		t.Fatal(err)
	}
	fetchTestSlots(t, f, 1, 0)
	a.stepAside() // pinned: stays
	fetchTestSlots(t, f, 1, 0)
	a.release()
	fetchTestSlots(t, f, 0, 0)
	if len(f.hosts) != 0 {
		t.Errorf("%d hosts still tracked", len(f.hosts))
	}
}

// TestFetchSlowServerStepsAside fetches from a server that never answers
// with a single shared slot: after the patience the request steps aside,
// and a fetch from another host gets the slot and ends first.
func TestFetchSlowServerStepsAside(t *testing.T) {
	t.Parallel()
	stop := fetchTestStop(t)
	slow := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	})
	good := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<rss/>")) })
	f := NewFetcher(FetchOptions{Timeout: 5 * time.Second, MaxParallel: 1, Patience: 20 * time.Millisecond})
	ctx := fetchTestCtx(t)
	slowCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	slowDone := make(chan error, 1)
	go func() {
		_, err := f.Fetch(slowCtx, Request{URL: slow.URL + "/feed"})
		slowDone <- err
	}()
	for len(f.all) == 0 && len(f.aside) == 0 { // the slow fetch has its slot
		time.Sleep(time.Millisecond)
	}
	if _, err := f.Fetch(ctx, Request{URL: good.URL + "/feed"}); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-slowDone:
		t.Errorf("the slow fetch ended first (%v): it kept its slot", err)
	default:
	}
	cancel()
	if err := <-slowDone; !errors.Is(err, context.Canceled) {
		t.Errorf("the slow fetch: %v, want it cancelled", err)
	}
	fetchTestSlots(t, f, 0, 0)
}

// TestFetchBodyNeedsSharedSlot checks that a request aside reads no more
// than a trickle of body before it has a shared slot again, with the
// body's length declared or not: bodies are read only under the shared
// slots, which so bound the memory they take.
func TestFetchBodyNeedsSharedSlot(t *testing.T) {
	t.Parallel()
	for _, declared := range []bool{true, false} {
		t.Run("declared="+strconv.FormatBool(declared), func(t *testing.T) {
			t.Parallel()
			stop := fetchTestStop(t)
			body := bytes.Repeat([]byte("x"), 1<<20)
			releaseX, releaseY, gotY := make(chan struct{}), make(chan struct{}), make(chan struct{})
			x := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-releaseX:
				case <-stop:
					return
				}
				if declared {
					w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				}
				w.Write(body)
			})
			y := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
				close(gotY)
				select {
				case <-releaseY:
				case <-stop:
				}
			})
			// One shared slot and one place aside: x steps aside, y takes
			// the slot and, with no room aside, keeps it.
			f := NewFetcher(FetchOptions{Timeout: 5 * time.Second, MaxParallel: 1, MaxAside: 1, Patience: 20 * time.Millisecond})
			ctx := fetchTestCtx(t)
			var mu sync.Mutex
			var order []string
			var wg sync.WaitGroup
			fetch := func(name, u string) {
				res, err := f.Fetch(ctx, Request{URL: u})
				if err != nil || len(res.Body) != len(body) && name == "x" {
					t.Errorf("%s: %d bytes, %v", name, len(res.Body), err)
				}
				mu.Lock()
				order = append(order, name)
				mu.Unlock()
			}
			wg.Go(func() { fetch("x", x.URL) })
			for len(f.aside) == 0 {
				time.Sleep(time.Millisecond)
			}
			wg.Go(func() { fetch("y", y.URL) })
			<-gotY
			close(releaseX)
			time.Sleep(100 * time.Millisecond) // time for x to end, were it not waiting
			close(releaseY)
			wg.Wait()
			if len(order) != 2 || order[0] != "y" {
				t.Errorf("fetches ended in the order %q, want y first: x must wait for y's shared slot", order)
			}
			fetchTestSlots(t, f, 0, 0)
		})
	}
}
