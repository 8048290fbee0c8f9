package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestFeedsSaysWhenAFetchFailed checks that tidings feeds names a failing
// feed's URL once in its error note, gives the reason without the
// fetcher's "fetch URL:", and never shows a failed attempt as the last
// fetch: LAST SUCCESS is "never" for a feed that never worked, and the
// note says when it was tried and when it last worked.
func TestFeedsSaysWhenAFetchFailed(t *testing.T) {
	var broken atomic.Bool
	mux := http.NewServeMux()
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/flaky", func(w http.ResponseWriter, r *http.Request) {
		if broken.Load() {
			http.Error(w, "down", http.StatusInternalServerError)
			return
		}
		w.Write([]byte(rss("Flaky", 1, 0)))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	e, out, _ := testEnv(t)
	ctx := t.Context()
	for _, p := range []string{"/missing", "/flaky"} {
		if err := e.Add(ctx, srv.URL+p); err != nil {
			t.Fatal(err)
		}
	}
	first, later := now, now.Add(3*time.Hour)
	e.Fetch(ctx) //nolint:errcheck // one feed fails on purpose
	broken.Store(true)
	e.Now = func() time.Time { return later }
	e.Fetch(ctx) //nolint:errcheck // both fail now
	out.Reset()
	if err := e.ListFeeds(ctx); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	date := func(t time.Time) string { return t.Local().Format("2006-01-02 15:04") }
	for _, want := range []string{
		"LAST SUCCESS",
		srv.URL + "/missing: 404 Not Found\n  tried " + date(later) + ", failed; never fetched successfully\n",
		"Flaky: 500 Internal Server Error\n  tried " + date(later) + ", failed; last success " + date(first) + "\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("feeds lacks %q:\n%s", want, got)
		}
	}
	for _, line := range strings.Split(got, "\n") {
		if n := strings.Count(line, srv.URL+"/missing"); n > 1 {
			t.Errorf("the URL appears %d times in %q", n, line)
		}
		if strings.HasPrefix(line, srv.URL+"/missing ") && !strings.Contains(line, "never") {
			t.Errorf("a feed that never worked shows a fetch time: %q", line)
		}
	}
}
