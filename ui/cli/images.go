package cli

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"image"
	"path/filepath"

	"tidings/articles/termsafe"
	"tidings/feed/images"
	"tidings/feed/subs"
	"tidings/ui"
)

// imageCacheBytes bounds the pictures kept on disk.
const imageCacheBytes = images.DefaultMaxBytes

// imageCacheDir is where fetched pictures are kept:
// $XDG_CACHE_HOME/tidings/images, else ~/.cache/tidings/images; "" when
// neither is set (pictures are then fetched each time).
func imageCacheDir(getenv func(string) string) string {
	if dir := getenv("XDG_CACHE_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "tidings", "images")
	}
	if home := getenv("HOME"); filepath.IsAbs(home) {
		return filepath.Join(home, ".cache", "tidings", "images")
	}
	return ""
}

// pictureLoader returns the reader's loader of pictures: from the disk
// cache, else fetched (never with --offline) and kept, then decoded and
// scaled down under feed/images' caps. The bytes are cached, not the
// pixels, so that a picture follows the pane's size; a file that fails to
// decode (a bomb, a truncated JPEG) fails again from the cache without a
// fetch, at the cost of reading its header.
func (e Env) pictureLoader() ui.PictureLoader {
	f := images.NewFetcher("tidings/" + e.Version + " (terminal news reader)")
	cache := images.Cache{Dir: imageCacheDir(e.getenv), MaxBytes: imageCacheBytes}
	offline := e.Offline
	return func(ctx context.Context, url string, maxW, maxH int) (image.Image, error) {
		data, ok := cachedImage(cache, url)
		if !ok {
			if offline {
				return nil, fmt.Errorf("picture %s: not kept, and --offline fetches nothing", termsafe.Line(url))
			}
			var err error
			data, err = images.Fetch(ctx, f, url)
			if err != nil {
				return nil, err
			}
			if cache.Dir != "" {
				_ = cache.Put(url, data) // a picture not kept is fetched again next time
			}
		}
		return images.Decode(data, maxW, maxH)
	}
}

// cachedImage returns the bytes kept for url; a cache that cannot be read
// is no cache.
func cachedImage(c images.Cache, url string) ([]byte, bool) {
	if c.Dir == "" {
		return nil, false
	}
	data, ok, err := c.Get(url)
	return data, ok && err == nil
}

// pictureOptions sets the reader's pictures: with images = "auto" it asks
// the terminal whether it draws them (once, at start) and loads them
// through the loader; with "off" it asks nothing and shows links.
func (e Env) pictureOptions(opts *ui.Options, mode string) {
	if mode == "off" {
		return
	}
	opts.Pictures = e.pictureLoader()
	opts.InTmux = e.getenv("TMUX") != ""
	opts.PictureIDBase = randomIDBase()
}

// randomIDBase picks where the ids of this run's pictures start, so that
// two programs drawing in one terminal do not replace each other's: a
// 24-bit id from 0x100000, with room for a million pictures after it.
func randomIDBase() uint32 {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return 0x100000 + binary.LittleEndian.Uint32(b[:])%0xd00000
}

// imagesSummary says what [reader] images does, for config check.
func imagesSummary(mode string) string {
	if mode == "off" {
		return "off (pictures are shown as links)"
	}
	return subs.ImagesAuto + " (drawn inline where the terminal is found to draw kitty graphics, else links)"
}
