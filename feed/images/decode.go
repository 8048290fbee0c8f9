package images

import (
	"bytes"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

// MaxSide and MaxPixels bound an image's dimensions before it is
// decoded. A 6,000 × 4,000 camera photo (24 megapixels) still passes, and
// a few-KB PNG claiming 50,000 × 50,000 (10 GB of pixels) does not; a
// single side past 8,192 is a banner or a bomb. What an image at the cap
// costs to decode depends on its format: a baseline JPEG 1.5 bytes a
// pixel (35 MB measured for 6,000 × 4,000, scaled to 800 wide), an RGBA
// PNG 4, a 16-bit PNG 8, and a progressive JPEG about 7.5, since the
// standard decoder keeps every coefficient as an int32 between scans:
// some 180 MB at worst, for one image, freed once it is scaled.
const (
	MaxSide   = 8192
	MaxPixels = 24_000_000
)

// codec is how one format reads its header and its pixels.
type codec struct {
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

// codecs are called directly, not through image.Decode's registry, so
// no other package's registered format is ever read here. gif.Decode
// returns after the first frame without reading the rest.
var codecs = map[format]codec{
	"png":  {png.DecodeConfig, png.Decode},
	"jpeg": {jpeg.DecodeConfig, jpeg.Decode},
	"gif":  {gif.DecodeConfig, gif.Decode},
	"webp": {webp.DecodeConfig, webp.Decode},
}

// Decode decodes data, a PNG, JPEG, GIF (its first frame) or WebP, and
// scales it down to fit maxW × maxH pixels, keeping its aspect ratio; a
// smaller image is returned at its own size. Its dimensions are checked
// against MaxSide and MaxPixels before any pixel is decoded. A truncated
// file is an error: the standard decoders return none of a partial image.
func Decode(data []byte, maxW, maxH int) (image.Image, error) {
	return decodeWith(data, maxW, maxH, draw.ApproxBiLinear)
}

// decodeWith is Decode with the scaler given, for the benchmark that
// chose it.
func decodeWith(data []byte, maxW, maxH int, s draw.Scaler) (img image.Image, err error) {
	// The bytes come from anyone on the web: a decoder bug that panics
	// on them must cost this picture, not the reader.
	defer func() {
		if p := recover(); p != nil {
			img, err = nil, fmt.Errorf("decode image: the decoder failed on this file: %v", p)
		}
	}()
	if maxW <= 0 || maxH <= 0 {
		return nil, fmt.Errorf("decode image: the size to fit, %d × %d, must be positive", maxW, maxH)
	}
	f, err := sniff(data)
	if err != nil {
		return nil, fmt.Errorf("decode image: %w", err)
	}
	c := codecs[f]
	cfg, err := c.config(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode image: read the %s header: %w", f, err)
	}
	if err := checkSize(cfg.Width, cfg.Height); err != nil {
		return nil, fmt.Errorf("decode image: %w", err)
	}
	img, err = c.decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode image: the %s is damaged or cut short: %w", f, err)
	}
	return scale(img, maxW, maxH, s), nil
}

// checkSize refuses dimensions that are empty or too large to decode.
func checkSize(w, h int) error {
	switch {
	case w <= 0 || h <= 0:
		return fmt.Errorf("the image is %d × %d pixels: empty", w, h)
	case w > MaxSide || h > MaxSide || int64(w)*int64(h) > MaxPixels:
		return fmt.Errorf("the image is %d × %d pixels: larger than %d per side or %d megapixels, not decoded",
			w, h, MaxSide, MaxPixels/1_000_000)
	}
	return nil
}

// fit returns the size of a w × h image scaled down to fit maxW × maxH,
// keeping its aspect ratio, never larger than w × h nor smaller than 1.
func fit(w, h, maxW, maxH int) (int, int) {
	if w <= maxW && h <= maxH {
		return w, h
	}
	// Scale by the tighter of the two ratios, in integers: w/maxW > h/maxH.
	if int64(w)*int64(maxH) > int64(h)*int64(maxW) {
		return maxW, max(1, int(int64(h)*int64(maxW)/int64(w)))
	}
	return max(1, int(int64(w)*int64(maxH)/int64(h))), maxH
}

// scale draws img with s at the size fit gives. Decode uses
// ApproxBiLinear: decoding a 2,000 × 1,500 JPEG and scaling it to 800
// wide takes about 40 ms and 6.5 MB with it, against 120 to 150 ms and
// 45 MB with CatmullRom (BenchmarkDecodeScale, 2 shared cores), and at
// the size of terminal cells the sharper filter does not show.
func scale(img image.Image, maxW, maxH int, s draw.Scaler) image.Image {
	b := img.Bounds()
	w, h := fit(b.Dx(), b.Dy(), maxW, maxH)
	if w == b.Dx() && h == b.Dy() {
		return img
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	s.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}
