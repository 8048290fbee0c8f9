package images

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tidings/feed/fetch"
)

func serve(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

// answer serves body with the Content-Type ct.
func answer(ct string, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.Write(body)
	}
}

func TestFetchImage(t *testing.T) {
	pngData := encodePNG(t, gradient(20, 10))
	for _, ct := range []string{"image/png", "image/jpeg", "image/jpg", "application/octet-stream", ""} {
		srv := serve(t, answer(ct, pngData))
		got, err := Fetch(ctx(t), NewFetcher("tidings/test"), srv.URL+"/a.png")
		if err != nil || len(got) != len(pngData) {
			t.Errorf("PNG served as %q: %d bytes, %v", ct, len(got), err)
		}
	}
}

func TestFetchRefusesNonImages(t *testing.T) {
	pngData := encodePNG(t, gradient(20, 10))
	for _, c := range []struct {
		ct   string
		body []byte
		want string
	}{
		{"text/html; charset=utf-8", []byte("<html><body>Not found</body></html>"), "text/html"},
		{"text/html", pngData, "text/html"}, // the bytes may be a PNG; the server said otherwise
		{"image/svg+xml", []byte("<svg xmlns='http://www.w3.org/2000/svg'/>"), "image/svg+xml"},
		{"image/png", []byte("<html>an error page labelled PNG</html>"), "not a PNG"},
		{"image/bmp", []byte("BM\x00\x00\x00\x00"), "image/bmp"},
	} {
		srv := serve(t, answer(c.ct, c.body))
		_, err := Fetch(ctx(t), NewFetcher("tidings/test"), srv.URL+"/x")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("served %q %.20q: err %v, want it to say %q", c.ct, c.body, err, c.want)
		}
	}
}

func TestFetchOnlyHTTP(t *testing.T) {
	dir := t.TempDir()
	local := filepath.Join(dir, "a.png")
	if err := os.WriteFile(local, encodePNG(t, gradient(4, 4)), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file://"+local, http.StatusFound)
	})
	for _, link := range []string{local, "file://" + local, "data:image/png;base64,iVBORw0KGgo=", srv.URL + "/moved.png"} {
		if got, err := Fetch(ctx(t), NewFetcher("tidings/test"), link); err == nil {
			t.Errorf("Fetch(%q) read %d bytes, want it refused", link, len(got))
		}
	}
}

func TestFetchTooLarge(t *testing.T) {
	big := append(encodePNG(t, gradient(4, 4)), make([]byte, MaxImage)...)
	srv := serve(t, answer("image/png", big))
	if _, err := Fetch(ctx(t), NewFetcher("tidings/test"), srv.URL+"/big.png"); err == nil {
		t.Error("an image over MaxImage was fetched")
	}
}

// TestFetchSlowImage: a server that sends its headers and then a byte
// now and then is stopped by the caller's deadline. The server is held
// until Fetch has returned, so a Fetch that waited for it would hang.
func TestFetchSlowImage(t *testing.T) {
	release := make(chan struct{})
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG\r\n\x1a\n"))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		// The fetcher's own timeout is an hour: only the caller's
		// deadline can stop this fetch.
		f := fetch.New(fetch.Options{Timeout: time.Hour, MaxBody: MaxImage})
		_, err := Fetch(c, f, srv.URL+"/slow.png")
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("slow image: %v, want the deadline", err)
		}
	case <-time.After(30 * time.Second): // a hang guard, not a timing
		t.Fatal("Fetch went on waiting for the server past the caller's deadline")
	}
}
