package images

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/image/draw"
)

// gradient is a w × h picture with some detail, so encoders do real work.
func gradient(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x ^ y) & 0xff), 0xff})
		}
	}
	return img
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngChunk appends one PNG chunk with its length and CRC.
func pngChunk(b []byte, typ string, data []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	return binary.BigEndian.AppendUint32(b, crc.Sum32())
}

// bombPNG is a valid PNG header claiming w × h RGBA pixels, followed by
// a few KB of compressed zero rows: what a decompression bomb starts as.
func bombPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	b := []byte("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA, deflate, no filter, no interlace
	b = pngChunk(b, "IHDR", ihdr)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 4<<20))
	zw.Close()
	b = pngChunk(b, "IDAT", z.Bytes())
	return pngChunk(b, "IEND", nil)
}

func TestDecodeRefusesBombBeforeDecoding(t *testing.T) {
	bomb := bombPNG(t, 50_000, 50_000)
	if len(bomb) > 16<<10 {
		t.Fatalf("the bomb is %d bytes; meant to be a few KB", len(bomb))
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Decode(bomb, 800, 600)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "50000 × 50000") {
		t.Fatalf("Decode(50,000 × 50,000 PNG) = %v, want the size refused", err)
	}
	// Decoding would take 10 GB; reading the header takes some KB.
	if got := after.TotalAlloc - before.TotalAlloc; got > 4<<20 {
		t.Errorf("refusing the bomb allocated %d bytes, want under 4 MB", got)
	}
}

func TestDecodeSizeCaps(t *testing.T) {
	for _, c := range []struct {
		w, h int
		ok   bool
	}{{8192, 2000, true}, {8193, 1, false}, {1, 8193, false}, {6000, 4000, true}, {5000, 5000, false}} {
		err := checkSize(c.w, c.h)
		if (err == nil) != c.ok {
			t.Errorf("checkSize(%d, %d) = %v, want ok %v", c.w, c.h, err, c.ok)
		}
	}
	if _, err := Decode(bombPNG(t, 8193, 1), 800, 600); err == nil {
		t.Error("a PNG 8,193 pixels wide was decoded")
	}
}

func TestDecodeTruncated(t *testing.T) {
	img := gradient(64, 48)
	for name, data := range map[string][]byte{"jpeg": encodeJPEG(t, img), "png": encodePNG(t, img)} {
		for _, cut := range []int{len(data) / 2, len(data) - 3, 40} {
			got, err := Decode(data[:cut], 800, 600)
			if err == nil || got != nil {
				t.Errorf("%s cut at %d of %d bytes: got %v, %v; want no image and an error", name, cut, len(data), got, err)
			}
		}
	}
}

func TestDecodeNotAnImage(t *testing.T) {
	for _, data := range []string{"<svg xmlns='http://www.w3.org/2000/svg'/>", "<html><body>404</body></html>", "", "BM\x00\x00"} {
		if _, err := Decode([]byte(data), 80, 60); err == nil {
			t.Errorf("Decode(%q) decoded", data)
		}
	}
}

// manyFrames is a GIF of n frames of 100 × 100.
func manyFrames(t *testing.T, n int) []byte {
	t.Helper()
	g := &gif.GIF{}
	for i := range n {
		fr := image.NewPaletted(image.Rect(0, 0, 100, 100), palette.Plan9)
		for j := range fr.Pix {
			fr.Pix[j] = uint8(i + j)
		}
		g.Image = append(g.Image, fr)
		g.Delay = append(g.Delay, 1)
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDecodeGIFFirstFrameOnly(t *testing.T) {
	one, many := manyFrames(t, 1), manyFrames(t, 1000)
	img, err := Decode(many, 800, 600)
	if err != nil || img.Bounds().Dx() != 100 {
		t.Fatalf("Decode(1,000-frame GIF) = %v, %v", img, err)
	}
	// Each frame decoded costs an image and an LZW reader: 1,000 frames
	// would cost thousands of allocations more than one.
	aOne := testing.AllocsPerRun(5, func() { Decode(one, 800, 600) })
	aMany := testing.AllocsPerRun(5, func() { Decode(many, 800, 600) })
	if aMany > aOne+20 {
		t.Errorf("a 1,000-frame GIF took %.0f allocations, one frame %.0f: frames after the first were read", aMany, aOne)
	}
	// The frames after the first are not even read: a GIF cut in its
	// 500th frame still gives its first.
	if _, err := Decode(many[:len(many)/2], 800, 600); err != nil {
		t.Errorf("a GIF cut after its first frame: %v", err)
	}
}

func TestDecodeWebP(t *testing.T) {
	data, err := os.ReadFile("testdata/video-001.lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	img, err := Decode(data, 800, 600)
	if err != nil {
		t.Fatalf("Decode(WebP): %v", err)
	}
	if b := img.Bounds(); b.Dx() != 150 || b.Dy() != 103 {
		t.Errorf("WebP is %v, want 150 × 103", b)
	}
	small, err := Decode(data, 75, 600)
	if err != nil || small.Bounds().Dx() != 75 || small.Bounds().Dy() != 51 {
		t.Errorf("WebP scaled to 75 wide: %v, %v", small.Bounds(), err)
	}
}

func TestFit(t *testing.T) {
	for _, c := range []struct{ w, h, mw, mh, ww, wh int }{
		{2000, 1500, 800, 800, 800, 600},
		{1500, 2000, 800, 800, 600, 800},
		{400, 300, 800, 600, 400, 300}, // never up
		{2000, 10, 100, 100, 100, 1},   // never to nothing
		{1000, 1000, 640, 320, 320, 320},
	} {
		if w, h := fit(c.w, c.h, c.mw, c.mh); w != c.ww || h != c.wh {
			t.Errorf("fit(%d×%d in %d×%d) = %d×%d, want %d×%d", c.w, c.h, c.mw, c.mh, w, h, c.ww, c.wh)
		}
	}
}

func TestDecodeScalesDown(t *testing.T) {
	img, err := Decode(encodeJPEG(t, gradient(2000, 1500)), 800, 800)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 800 || b.Dy() != 600 {
		t.Errorf("2,000 × 1,500 fitted to 800 × 800 is %v, want 800 × 600", b)
	}
	if _, err := Decode(encodePNG(t, gradient(4, 4)), 0, 10); err == nil {
		t.Error("a size of 0 × 10 to fit was accepted")
	}
}

// BenchmarkDecodeScale decodes a 2,000 × 1,500 JPEG and scales it to
// 800 wide, with each scaler.
func BenchmarkDecodeScale(b *testing.B) {
	data := encodeJPEG(b, gradient(2000, 1500))
	for _, s := range []struct {
		name string
		s    draw.Scaler
	}{{"ApproxBiLinear", draw.ApproxBiLinear}, {"CatmullRom", draw.CatmullRom}} {
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := decodeWith(data, 800, 10_000, s.s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// FuzzDecode: no input makes Decode panic, or return an image larger
// than asked for.
func FuzzDecode(f *testing.F) {
	small := gradient(12, 9)
	f.Add(encodePNG(f, small))
	f.Add(encodeJPEG(f, small))
	var g bytes.Buffer
	gif.Encode(&g, small, nil)
	f.Add(g.Bytes())
	if webp, err := os.ReadFile("testdata/video-001.lossy.webp"); err == nil {
		f.Add(webp)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := Decode(data, 40, 30)
		if err == nil && (img.Bounds().Dx() > 40 || img.Bounds().Dy() > 30) {
			t.Errorf("Decode gave %v for a 40 × 30 pane", img.Bounds())
		}
	})
}

// TestDecodeDecoderPanics: a decoder that panics on a hostile file
// costs that picture only.
func TestDecodeDecoderPanics(t *testing.T) {
	saved := codecs["png"]
	t.Cleanup(func() { codecs["png"] = saved })
	codecs["png"] = codec{saved.config, func(io.Reader) (image.Image, error) { panic("index out of range") }}
	img, err := Decode(encodePNG(t, gradient(4, 4)), 40, 30)
	if err == nil || img != nil || !strings.Contains(err.Error(), "index out of range") {
		t.Errorf("Decode with a panicking decoder = %v, %v", img, err)
	}
}
