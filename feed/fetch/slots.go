package fetch

import (
	"context"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"
)

// hostSlots limits the requests in flight to one host; refs counts the
// fetches holding or waiting for a slot, so idle hosts are forgotten.
type hostSlots struct {
	ch   chan struct{}
	refs int
}

// acquire takes a slot for host, then one of the shared slots (host
// first, so a request waiting on a busy host does not hold a shared slot).
// The ticket steps aside after the patience; the caller must release it.
func (f *Fetcher) acquire(ctx context.Context, host string) (*ticket, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f.mu.Lock()
	h := f.hosts[host]
	if h == nil {
		h = &hostSlots{ch: make(chan struct{}, f.perHost)}
		f.hosts[host] = h
	}
	h.refs++
	f.mu.Unlock()
	forget := func() {
		f.mu.Lock()
		if h.refs--; h.refs == 0 {
			delete(f.hosts, host)
		}
		f.mu.Unlock()
	}
	select {
	case h.ch <- struct{}{}:
	case <-ctx.Done():
		forget()
		return nil, ctx.Err()
	}
	select {
	case f.all <- struct{}{}:
	case <-ctx.Done():
		<-h.ch
		forget()
		return nil, ctx.Err()
	}
	t := &ticket{f: f, host: func() { <-h.ch; forget() }}
	t.mu.Lock()
	t.timer = time.AfterFunc(f.patience, t.stepAside)
	t.mu.Unlock()
	return t, nil
}

// ticket is what one request holds: its host's slot, and a shared
// slot or, once it has run longer than the patience, a place aside.
type ticket struct {
	f    *Fetcher
	host func() // gives the host's slot back

	mu    sync.Mutex
	timer *time.Timer // calls stepAside
	aside bool        // holds a place aside instead of a shared slot
	need  int64       // bytes its body may take once the read under way is done
	held  int64       // bytes of asideBytes it holds, aside
	done  bool
}

// stepAside trades the shared slot for a place aside and room for the
// body so far, or, with no place or room, tries again a patience later.
func (t *ticket) stepAside() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done || t.aside {
		return
	}
	select {
	case t.f.aside <- struct{}{}:
		if t.f.reserve(t.need) {
			<-t.f.all
			t.aside, t.held = true, t.need
			return
		}
		<-t.f.aside
	default:
	}
	t.timer.Reset(t.f.patience)
}

// grow lets the body take need bytes: aside while the bodies aside have
// room, else under a shared slot, which it waits for. Only the request's
// own goroutine calls it.
func (t *ticket) grow(ctx context.Context, need int64) error {
	t.mu.Lock()
	t.need = need
	if !t.aside {
		t.mu.Unlock()
		return nil
	}
	if need <= t.held || t.f.reserve(need-t.held) {
		t.held = max(t.held, need)
		t.mu.Unlock()
		return nil
	}
	t.mu.Unlock()
	select { // stepAside leaves a request aside alone: nothing changes meanwhile
	case t.f.all <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	t.mu.Lock()
	<-t.f.aside
	t.f.unreserve(t.held)
	t.aside, t.held = false, 0
	t.timer.Reset(t.f.patience)
	t.mu.Unlock()
	return nil
}

// release gives every slot back.
func (t *ticket) release() {
	t.mu.Lock()
	t.done = true
	t.timer.Stop()
	if t.aside {
		<-t.f.aside
		t.f.unreserve(t.held)
	} else {
		<-t.f.all
	}
	t.mu.Unlock()
	t.host()
}

// reserve takes n bytes of the room for bodies aside, if there is.
func (f *Fetcher) reserve(n int64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.asideHeld+n > f.asideMax {
		return false
	}
	f.asideHeld += n
	return true
}

func (f *Fetcher) unreserve(n int64) {
	f.mu.Lock()
	f.asideHeld -= n
	f.mu.Unlock()
}

// ticketReader reads a body, growing its ticket before each read by
// what the read may bring.
type ticketReader struct {
	ctx context.Context
	r   io.Reader
	t   *ticket
	n   int64
}

func (p *ticketReader) Read(b []byte) (int, error) {
	if err := p.t.grow(p.ctx, p.n+int64(len(b))); err != nil {
		return 0, err
	}
	n, err := p.r.Read(b)
	p.n += int64(n)
	return n, err
}

// hostKey is the URL's host, lower-cased, with the scheme's default port
// when none is given (so https://x and https://x:443 share their slots).
func hostKey(u *url.URL) string {
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return net.JoinHostPort(host, port)
}
