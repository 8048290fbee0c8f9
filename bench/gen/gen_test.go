package gen_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"tidings/bench/gen"
	"tidings/feed/parse"
)

// TestFeedsParse checks that generated feeds are what the benchmarks
// claim: both formats parse into all their items with unique GUIDs and
// bodies of 1–5 KB of HTML, the same bytes on every call.
func TestFeedsParse(t *testing.T) {
	for n := range 4 {
		doc := gen.Feed("http://127.0.0.1:1", n, 50)
		if !bytes.Equal(doc, gen.Feed("http://127.0.0.1:1", n, 50)) {
			t.Fatalf("feed %d differs between calls", n)
		}
		p, err := parse.Parse(doc, gen.URL("http://127.0.0.1:1", n), "")
		if err != nil {
			t.Fatalf("feed %d: %v", n, err)
		}
		guids := map[string]bool{}
		for _, a := range p.Items {
			guids[a.GUID] = true
			if len(a.Body) < 500 {
				t.Errorf("feed %d: a body of %d bytes of markdown", n, len(a.Body))
			}
		}
		if len(p.Items) != 50 || len(guids) != 50 {
			t.Errorf("feed %d: %d items, %d GUIDs", n, len(p.Items), len(guids))
		}
	}
}

func TestSiteConditional(t *testing.T) {
	srv := httptest.NewServer(gen.NewSite("http://x", 3, 5))
	defer srv.Close()
	res, err := http.Get(gen.URL(srv.URL, 2))
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("%v %v", res, err)
	}
	req, _ := http.NewRequest("GET", gen.URL(srv.URL, 2), nil)
	req.Header.Set("If-None-Match", res.Header.Get("ETag"))
	again, err := http.DefaultClient.Do(req)
	if err != nil || again.StatusCode != http.StatusNotModified {
		t.Errorf("conditional request: %v %v", again, err)
	}
	if res, _ := http.Get(gen.URL(srv.URL, 3)); res.StatusCode != 404 {
		t.Errorf("feed 3 of 3: %d", res.StatusCode)
	}
}
