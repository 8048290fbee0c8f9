package feed_test

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"tidings/articles"
	"tidings/feed"
	"tidings/feed/fetch"
	"tidings/feed/internal/floodtest"
	"tidings/feed/subs"
)

// TestRefreshItemFlood takes the 16 KB gzipped JSON Feed of 5.59 million
// empty items, and a gzipped RSS of 528,000 items, the whole way "tidings
// fetch" does (fetch, gunzip, parse, store) and checks that the refresh
// stays within the memory budget of one hostile feed, keeps the first
// 1,000 items and says so.
func TestRefreshItemFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("16 MiB documents")
	}
	json := floodtest.Fill(`{"version":"https://jsonfeed.org/version/1.1","title":"Flood","items":[{}`,
		func(int) string { return ",{}" }, "]}")
	rss := floodtest.Fill(`<rss version="2.0"><channel><title>Flood</title>`,
		func(i int) string { return fmt.Sprintf("<item><guid>%d</guid></item>", i) }, "</channel></rss>")
	mux := http.NewServeMux()
	for path, doc := range map[string][]byte{"/json": json, "/rss": rss} {
		var gz bytes.Buffer
		w := gzip.NewWriter(&gz)
		w.Write(doc)
		w.Close()
		t.Logf("%s: %d bytes, %d gzipped", path, len(doc), gz.Len())
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(gz.Bytes())
		})
	}
	srv := httptest.NewServer(mux)
	defer srv.Close()
	s := openStore(t)
	r := refresher(s, fetch.Options{})
	// Empty items have one identity: one article.
	want := map[string]int{srv.URL + "/json": 1, srv.URL + "/rss": 1000}
	for url, n := range want {
		var res feed.Result
		peak := floodtest.PeakHeap(func() {
			r.Run(t.Context(), []subs.Subscription{{URL: url}}, func(got feed.Result) { res = got })
		})
		t.Logf("%s: %v, peak heap +%d MB", url, res, peak>>20)
		if res.Err != nil || res.New != n {
			t.Errorf("%s: %v, %d new; want %d", url, res.Err, res.New, n)
		}
		if note := "; feed has more than 1000 items: the first 1000 kept"; !strings.HasSuffix(res.String(), note) {
			t.Errorf("%s: %q, want it to end %q", url, res.String(), note)
		}
		if peak > floodtest.MaxPeak {
			t.Errorf("%s: the refresh took %d MB of heap, want at most %d MB", url, peak>>20, floodtest.MaxPeak>>20)
		}
	}
	p, err := s.Page(t.Context(), articles.Query{}, 0, 10)
	if err != nil || p.Total != 1001 {
		t.Errorf("stored %d articles (%v), want 1001", p.Total, err)
	}
}
