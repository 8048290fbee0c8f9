package fetch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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
// when there is a place, keeps its shared slot when there is none, grows
// its body aside while there is room for it, takes a shared slot back when
// there is not, and gives everything back at the end.
func TestFetchTicketStepsAside(t *testing.T) {
	t.Parallel()
	f := New(Options{MaxParallel: 1, MaxAside: 1, Patience: time.Hour})
	f.asideMax = 100
	ctx := fetchTestCtx(t)
	a, err := f.acquire(ctx, "a:80")
	if err != nil {
		t.Fatal(err)
	}
	a.stepAside()
	fetchTestSlots(t, f, 0, 1)
	b, err := f.acquire(ctx, "b:80") // the shared slot a gave up
	if err != nil {
		t.Fatal(err)
	}
	b.stepAside() // no place aside: b keeps its slot
	fetchTestSlots(t, f, 1, 1)

	if err := a.grow(ctx, 60); err != nil || f.asideHeld != 60 {
		t.Errorf("grow to 60 of 100 bytes aside: %v, %d bytes held; want it aside", err, f.asideHeld)
	}
	fetchTestSlots(t, f, 1, 1)
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if err := a.grow(short, 200); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("grow past the room aside with every shared slot taken: %v, want it to wait until its context ends", err)
	}
	b.release()
	if err := a.grow(ctx, 200); err != nil {
		t.Fatal(err)
	}
	fetchTestSlots(t, f, 1, 0)
	a.stepAside() // its body does not fit aside: it stays
	fetchTestSlots(t, f, 1, 0)
	a.release()
	fetchTestSlots(t, f, 0, 0)
	if len(f.hosts) != 0 || f.asideHeld != 0 {
		t.Errorf("%d hosts still tracked, %d bytes aside held", len(f.hosts), f.asideHeld)
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
	f := New(Options{Timeout: 5 * time.Second, MaxParallel: 1, Patience: 20 * time.Millisecond})
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
// body than the room aside (lowered to 64 KiB here) before it has a shared
// slot again, with the body's length declared or not: so the shared slots
// and that room bound the memory bodies take.
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
			f := New(Options{Timeout: 5 * time.Second, MaxParallel: 1, MaxAside: 1, Patience: 20 * time.Millisecond})
			f.asideMax = 64 << 10
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

// TestFetchSlowBodyStaysAside fetches a feed that comes fast for 100 KiB and
// then a byte at a time, with a single shared slot: the request steps aside
// with its body and a fetch from another host gets the slot meanwhile.
func TestFetchSlowBodyStaysAside(t *testing.T) {
	t.Parallel()
	stop := fetchTestStop(t)
	release := make(chan struct{})
	drip := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("x"), 100<<10))
		for {
			if _, err := w.Write([]byte("x")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-release:
				return
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	})
	good := fetchTestServer(t, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<rss/>")) })
	f := New(Options{Timeout: 5 * time.Second, MaxParallel: 1, Patience: 20 * time.Millisecond})
	ctx := fetchTestCtx(t)
	dripDone := make(chan error, 1)
	go func() {
		res, err := f.Fetch(ctx, Request{URL: drip.URL})
		if err == nil && len(res.Body) <= 100<<10 {
			err = fmt.Errorf("%d bytes", len(res.Body))
		}
		dripDone <- err
	}()
	for deadline := time.Now().Add(5 * time.Second); len(f.aside) == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			close(release)
			t.Fatalf("the dripping fetch never stepped aside: %v", <-dripDone)
		}
	}
	if _, err := f.Fetch(ctx, Request{URL: good.URL}); err != nil {
		t.Errorf("good feed: %v", err)
	}
	close(release)
	if err := <-dripDone; err != nil {
		t.Errorf("dripping feed: %v", err)
	}
	fetchTestSlots(t, f, 0, 0)
}
