package feed_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"tidings/bench/gen"
	"tidings/feed/subs"
)

// BenchmarkRefresh200Unchanged is a second refresh of 200 feeds of 50
// items from servers that ignore conditional requests: every feed comes
// back whole (200 OK) and every item is one the store already has,
// unchanged. What it costs is the work a refresh does for nothing; a
// first refresh fills the store, untimed.
func BenchmarkRefresh200Unchanged(b *testing.B) {
	const feeds, items = 200, 50
	srv := httptest.NewServer(nil)
	b.Cleanup(srv.Close)
	site := gen.NewSite(srv.URL, feeds, items)
	site.Warm()
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Del("If-None-Match")
		r.Header.Del("If-Modified-Since")
		site.ServeHTTP(w, r)
	})
	list := make([]subs.Subscription, feeds)
	for i := range list {
		list[i] = subs.Subscription{URL: gen.URL(srv.URL, i)}
	}
	s := openStore(b)
	benchRefresh(b, s, list, 0)
	for b.Loop() {
		benchRefresh(b, s, list, feeds*items)
	}
}
