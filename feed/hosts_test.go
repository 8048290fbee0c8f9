package feed_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tidings/feed"
	"tidings/feed/fetch"
	"tidings/feed/subs"
)

// hangingServers starts n loopback servers that accept every request and
// never answer it, until the client gives up or the test ends.
func hangingServers(t *testing.T, n int) []*httptest.Server {
	t.Helper()
	stop := make(chan struct{})
	var servers []*httptest.Server
	for range n {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-stop:
			}
		}))
		t.Cleanup(srv.Close)
		servers = append(servers, srv)
	}
	t.Cleanup(func() { close(stop) }) // runs before the servers close
	return servers
}

// goodServer serves rssDoc(i, i+1, 100) at /good/i.
func goodServer(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var i int
		fmt.Sscanf(r.URL.Path, "/good/%d", &i)
		w.Header().Set("Content-Type", "application/rss+xml")
		io.WriteString(w, rssDoc(i, i+1, 100))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestRefreshSlowHostsDoNotStarveOthers refreshes 34 feeds on 17 servers
// that never answer, listed first, and 4 good feeds on another server: the
// good feeds must come in before the first hanging one times out. The
// check is on the order of the results, not on times.
func TestRefreshSlowHostsDoNotStarveOthers(t *testing.T) {
	t.Parallel()
	const timeout = 2 * time.Second
	var feeds []subs.Subscription
	for _, srv := range hangingServers(t, 17) {
		for i := range 2 {
			feeds = append(feeds, subs.Subscription{URL: fmt.Sprintf("%s/hang/%d", srv.URL, i)})
		}
	}
	good := goodServer(t)
	const goods = 4
	for i := range goods {
		feeds = append(feeds, subs.Subscription{URL: fmt.Sprintf("%s/good/%d", good.URL, i)})
	}

	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	r := refresher(openStore(t), fetch.Options{Timeout: timeout, Patience: 50 * time.Millisecond})
	var order []feed.Result
	start := time.Now()
	r.Run(ctx, feeds, func(res feed.Result) {
		t.Logf("%6v %s", time.Since(start).Round(time.Millisecond), res)
		order = append(order, res)
	})
	if len(order) != len(feeds) {
		t.Fatalf("%d results, want %d", len(order), len(feeds))
	}
	seen, timedOut := 0, false
	for _, res := range order {
		switch {
		case strings.HasPrefix(res.URL, good.URL):
			if res.Err != nil {
				t.Errorf("good feed %s: %v", res.URL, res.Err)
			}
			if timedOut {
				t.Errorf("good feed %s came in after a hanging feed timed out", res.URL)
			}
			seen++
		case res.Err == nil || !strings.Contains(res.Err.Error(), "timed out"):
			t.Errorf("hanging feed %s: %v, want a timeout", res.URL, res.Err)
		default:
			timedOut = true
		}
	}
	if seen != goods {
		t.Errorf("%d good feeds reported, want %d", seen, goods)
	}
}
