// Package images is the safe pipeline for an article's pictures: it
// fetches an image over http(s) with tidings' own fetcher, decodes it and
// scales it down to fit a pane, and keeps fetched images in a disk cache
// of bounded size.
//
// What it guarantees:
//   - Only http and https URLs are fetched, redirects included (a local
//     path or a file: URL is refused); a body is at most MaxImage bytes,
//     and the fetch stops when the caller's context ends.
//   - Only PNG, JPEG, GIF and WebP are read, and the bytes decide which:
//     the server's Content-Type is a claim, checked against the sniffed
//     format, never trusted alone.
//   - An image's dimensions are read from its header and checked against
//     MaxSide and MaxPixels before a single pixel is decoded, so a small
//     file that claims to be huge (a decompression bomb) costs nothing.
//   - A GIF gives its first frame only; the frames after it are not read.
//   - A truncated or corrupt file is an error, never a panic.
//   - Images are scaled down to the size asked for, keeping their aspect
//     ratio, and never up.
//   - The cache never reads or writes outside its directory, even
//     through a symlink planted in it.
//
// Nothing this package returns is terminal output: it returns bytes and
// pixels. Turning pixels into a terminal's picture sequences belongs to
// the reader, which alone decides what reaches the screen.
package images

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"

	"tidings/articles/termsafe"
	"tidings/feed/fetch"
)

// MaxImage bounds the bytes of one image fetched or cached. Photos in
// articles weigh some hundreds of KB; 5 MB holds a large camera JPEG.
const MaxImage = 5 << 20

// accept asks for the formats that can be decoded, and nothing else.
const accept = "image/png, image/jpeg, image/gif, image/webp"

// NewFetcher returns a fetcher for images: the feeds' caps on time,
// redirects and schemes, and MaxImage on size. An article may show a
// dozen pictures from one host; PerHost keeps that polite.
func NewFetcher(userAgent string) *fetch.Fetcher {
	return fetch.New(fetch.Options{UserAgent: userAgent, MaxBody: MaxImage, PerHost: 2, MaxParallel: 4})
}

// Fetch fetches the image at link with f (made by NewFetcher) and returns
// its bytes, which are a PNG, JPEG, GIF or WebP by their first bytes.
// Only http and https URLs are fetched: the fetcher alone would read a
// local path.
func Fetch(ctx context.Context, f *fetch.Fetcher, link string) ([]byte, error) {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("image %s: only http and https images are fetched", termsafe.Line(link))
	}
	resp, err := f.Fetch(ctx, fetch.Request{URL: link, Accept: accept})
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	if err := checkType(resp.ContentType, resp.Body); err != nil {
		return nil, fmt.Errorf("image %s: %w", termsafe.Line(link), err)
	}
	return resp.Body, nil
}

// checkType accepts a body whose bytes are one of the four formats and
// whose server did not say it was something else. Servers often send
// images as application/octet-stream, or a PNG labelled image/jpeg; the
// bytes choose the decoder, so those are kept.
func checkType(contentType string, body []byte) error {
	if contentType != "" {
		mt, _, err := mime.ParseMediaType(contentType)
		if err != nil {
			return fmt.Errorf("the server's type %q is unreadable", termsafe.Line(contentType))
		}
		if _, ok := formats[mt]; !ok && mt != "application/octet-stream" && mt != "binary/octet-stream" {
			return fmt.Errorf("the server sent %s, not a PNG, JPEG, GIF or WebP image", termsafe.Line(mt))
		}
	}
	if _, err := sniff(body); err != nil {
		return err
	}
	return nil
}

// format is one of the four decodable formats.
type format string

// formats maps a MIME type to its format.
var formats = map[string]format{
	"image/png":  "png",
	"image/jpeg": "jpeg",
	"image/gif":  "gif",
	"image/webp": "webp",
	"image/jpg":  "jpeg", // not registered, but sent by many servers
}

// ErrFormat is data that is not a PNG, JPEG, GIF or WebP image.
var ErrFormat = errors.New("not a PNG, JPEG, GIF or WebP image (an SVG, an HTML page, or an error?)")

// sniff names data's format from its first bytes.
func sniff(data []byte) (format, error) {
	mt := http.DetectContentType(data)
	if f, ok := formats[mt]; ok {
		return f, nil
	}
	return "", ErrFormat
}
