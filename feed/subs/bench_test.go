package subs

import (
	"path/filepath"
	"strings"
	"testing"

	"tidings/feed/feedtest"
)

// BenchmarkLoad1000 loads the config an import of 1,000 feeds writes:
// decode, key positions, URL checks and the duplicate check.
func BenchmarkLoad1000(b *testing.B) {
	var c Config
	if _, err := c.ImportOPML(b.Context(), strings.NewReader(feedtest.ManyOPML(1000)), "many.opml"); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "config.toml")
	if err := c.Save(path); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		cfg, _, _, err := Load(path)
		if err != nil || len(cfg.Feeds) != 1000 {
			b.Fatalf("Load: %d feeds, %v", len(cfg.Feeds), err)
		}
	}
}

// BenchmarkReadOPML1000 reads an OPML document of 1,000 feeds in folders.
func BenchmarkReadOPML1000(b *testing.B) {
	doc := feedtest.ManyOPML(1000)
	for b.Loop() {
		subs, err := ReadOPML(strings.NewReader(doc), "many.opml")
		if err != nil || len(subs) != 1000 {
			b.Fatalf("ReadOPML: %d feeds, %v", len(subs), err)
		}
	}
}
