package cli

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"tidings/ui"
)

// pictureEnv is an Env whose picture cache is in a directory of the test.
func pictureEnv(t *testing.T) Env {
	e, _, _ := testEnv(t)
	cache := t.TempDir()
	e.Getenv = func(k string) string {
		if k == "XDG_CACHE_HOME" {
			return cache
		}
		return ""
	}
	return e
}

// imageServer serves the test images, counting the fetches of each.
func imageServer(t *testing.T, fetches *atomic.Int32, slow chan struct{}) *httptest.Server {
	t.Helper()
	square := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for i := range square.Pix {
		square.Pix[i] = 0xff
	}
	var pngData, jpegData bytes.Buffer
	if err := png.Encode(&pngData, square); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&jpegData, square, nil); err != nil {
		t.Fatal(err)
	}
	serve := map[string][]byte{
		"/square.png": pngData.Bytes(),
		"/bomb.png":   bombPNG(50_000, 50_000),
		"/half.jpg":   jpegData.Bytes()[:jpegData.Len()/2],
		"/frames.gif": manyFrames(t, 1000),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		if r.URL.Path == "/slow.png" {
			w.Header().Set("Content-Type", "image/png")
			w.Write(pngData.Bytes()[:16])
			w.(http.Flusher).Flush()
			select { // the rest never comes, until the test ends
			case <-slow:
			case <-r.Context().Done():
			}
			return
		}
		data, ok := serve[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// bombPNG is a valid PNG header claiming w × h RGBA pixels, then a few KB
// of compressed zero rows: a decompression bomb.
func bombPNG(w, h int) []byte {
	b := []byte("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	b = pngChunk(b, "IHDR", ihdr)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 4<<20))
	zw.Close()
	b = pngChunk(b, "IDAT", z.Bytes())
	return pngChunk(b, "IEND", nil)
}

func pngChunk(b []byte, typ string, data []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	return binary.BigEndian.AppendUint32(b, crc.Sum32())
}

// manyFrames is a GIF of n frames of 100 × 100, the first red.
func manyFrames(t *testing.T, n int) []byte {
	t.Helper()
	g := &gif.GIF{}
	for i := range n {
		frame := image.NewPaletted(image.Rect(0, 0, 100, 100), palette.Plan9)
		c := uint8(i % 256)
		if i == 0 {
			c = uint8(frame.Palette.Index(color.RGBA{R: 255, A: 255}))
		}
		for j := range frame.Pix {
			frame.Pix[j] = c
		}
		g.Image, g.Delay = append(g.Image, frame), append(g.Delay, 1)
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestPictureLoader: the reader's pictures are fetched once and then
// read from the disk cache, scaled down to the size asked for; a bomb
// is refused from its header, without its pixels ever being allocated; a
// truncated JPEG fails; a GIF of 1,000 frames gives its first.
func TestPictureLoader(t *testing.T) {
	var fetches atomic.Int32
	srv := imageServer(t, &fetches, nil)
	e := pictureEnv(t)
	load := e.pictureLoader()
	ctx := t.Context()

	img, err := load(ctx, srv.URL+"/square.png", 32, 400)
	if err != nil || img.Bounds().Dx() != 32 || img.Bounds().Dy() != 32 {
		t.Fatalf("square: %v, %v", img, err)
	}
	if _, err := load(ctx, srv.URL+"/square.png", 640, 400); err != nil || fetches.Load() != 1 {
		t.Errorf("the second load fetched again (%d fetches): %v", fetches.Load(), err)
	}
	if _, err := os.Stat(filepath.Join(e.getenv("XDG_CACHE_HOME"), "tidings", "images")); err != nil {
		t.Errorf("no cache directory: %v", err)
	}

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = load(ctx, srv.URL+"/bomb.png", 640, 400)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "50000 × 50000") {
		t.Errorf("bomb: %v, want refused for its size", err)
	}
	// 50,000² RGBA pixels would be 10 GB; the file and its header are a
	// few KB. The bound is generous: the fetch and the cache allocate too.
	grown := after.TotalAlloc - before.TotalAlloc
	if grown > 8<<20 {
		t.Errorf("refusing the bomb allocated %d bytes", grown)
	}
	t.Logf("refusing the bomb (fetch, cache, header) allocated %d KB", grown>>10)

	if _, err := load(ctx, srv.URL+"/half.jpg", 640, 400); err == nil || !strings.Contains(err.Error(), "jpeg") {
		t.Errorf("truncated JPEG: %v", err)
	}
	img, err = load(ctx, srv.URL+"/frames.gif", 640, 400)
	if err != nil || img.Bounds().Dx() != 100 {
		t.Fatalf("GIF: %v, %v", img, err)
	}
	if r, _, _, _ := img.At(0, 0).RGBA(); r>>8 != 255 {
		t.Errorf("the GIF's first frame is not the one shown: %v", img.At(0, 0))
	}
}

// TestPictureLoaderSlow: a server that sends a few bytes and stops holds
// the load only until the reader leaves the article (its context ends).
func TestPictureLoaderSlow(t *testing.T) {
	var fetches atomic.Int32
	slow := make(chan struct{})
	defer close(slow)
	srv := imageServer(t, &fetches, slow)
	load := pictureEnv(t).pictureLoader()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := load(ctx, srv.URL+"/slow.png", 640, 400)
		done <- err
	}()
	for fetches.Load() == 0 {
		runtime.Gosched()
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("slow picture after leaving: %v, want cancelled", err)
	}
}

// TestPictureLoaderOffline: with --offline a picture not kept is not
// fetched.
func TestPictureLoaderOffline(t *testing.T) {
	var fetches atomic.Int32
	srv := imageServer(t, &fetches, nil)
	e := pictureEnv(t)
	e.Offline = true
	if _, err := e.pictureLoader()(t.Context(), srv.URL+"/square.png", 640, 400); err == nil || fetches.Load() != 0 {
		t.Errorf("offline: %v after %d fetches", err, fetches.Load())
	}
}

// TestPictureOptions: images = "off" leaves the reader without a loader,
// so it asks the terminal nothing; auto gives one, and says tmux.
func TestPictureOptions(t *testing.T) {
	e := pictureEnv(t)
	var off ui.Options
	e.pictureOptions(&off, "off")
	if off.Pictures != nil {
		t.Error("images = off loads pictures")
	}
	e.Getenv = func(k string) string {
		if k == "TMUX" {
			return "/tmp/tmux-0/default,1,0"
		}
		return ""
	}
	var auto ui.Options
	e.pictureOptions(&auto, "auto")
	if auto.Pictures == nil || !auto.InTmux || auto.PictureIDBase < 0x100000 || auto.PictureIDBase >= 0xe00000 {
		t.Errorf("images = auto: loader %v, tmux %v, ids from %#x", auto.Pictures != nil, auto.InTmux, auto.PictureIDBase)
	}
}

// TestImageCacheDir: the cache follows XDG_CACHE_HOME, then HOME.
func TestImageCacheDir(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_CACHE_HOME": "/c", "HOME": "/h"}, "/c/tidings/images"},
		{map[string]string{"XDG_CACHE_HOME": "rel", "HOME": "/h"}, "/h/.cache/tidings/images"},
		{map[string]string{}, ""},
	} {
		if got := imageCacheDir(env(tc.env)); got != tc.want {
			t.Errorf("imageCacheDir(%v) = %q, want %q", tc.env, got, tc.want)
		}
	}
}

// TestConfigCheckImages: tidings config check says what [reader] images
// does.
func TestConfigCheckImages(t *testing.T) {
	for table, want := range map[string]string{
		"":                             "images:         auto (drawn inline where the terminal is found to draw kitty graphics, else links)\n",
		"[reader]\nimages = \"off\"\n": "images:         off (pictures are shown as links)\n",
	} {
		e, out, errOut := testEnv(t)
		if err := os.MkdirAll(filepath.Dir(e.ConfigPath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(e.ConfigPath, []byte(table), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := e.ConfigCheck(); err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		if !strings.Contains(out.String(), want) {
			t.Errorf("%q: config check says no %q:\n%s", table, want, out)
		}
	}
}
