package articles

import (
	"flag"
	"os"
	"strings"
	"testing"
)

// update is accepted so that "go test ./... -update", which rewrites the
// golden files of the view packages, also runs here.
var _ = flag.Bool("update", false, "rewrite golden files (unused in this package)")

func TestBundledSeedArticleKeptWordForWord(t *testing.T) {
	arts, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	orig, err := os.ReadFile("testdata/000_6372b2c2f04ccbc0.txt")
	if err != nil {
		t.Fatal(err)
	}
	var seed *Article
	for i := range arts {
		if arts[i].ID == "bundled-6372b2c2f04ccbc0" {
			seed = &arts[i]
		}
	}
	if seed == nil {
		t.Fatal("seed article is not bundled")
	}
	if got := seed.Title + "\n\n" + seed.Body; got != string(orig) {
		t.Errorf("seed article differs from its source text:\n%s", got)
	}
	const caption = "Xi Jinping Hosts Vladimir Putin\n"
	if n := strings.Count(seed.Body, caption); n != 2 {
		t.Errorf("caption line appears %d times, want 2", n)
	}
	if seed.Link != "" {
		t.Errorf("seed article has an invented link %q", seed.Link)
	}
}

// TestBundledHaveASource checks that every bundled article names where it
// came from, so that the list's source column is never blank for them.
func TestBundledHaveASource(t *testing.T) {
	arts, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		if a.Source != BundledSource {
			t.Errorf("bundled article %s has source %q, want %q", a.ID, a.Source, BundledSource)
		}
	}
}

func TestParseMarkdownErrorsNameTheLine(t *testing.T) {
	tests := []struct {
		doc, want string
	}{
		{"title: x\n", "line 1: front matter must start with ---"},
		{"---\nid: a\ntitle x\n---\n", "line 3: want key: value"},
		{"---\nid: a\ncolour: red\n---\n", `line 3: unknown key "colour"`},
		{"---\nid: a\npublished: yesterday\n---\n", "line 3: published:"},
		{"---\nid: a\ntitle: t\n", "line 3: front matter is not closed"},
		{"---\ntitle: t\n---\n", "front matter has no id"},
		{"---\nid: a\n---\n", "front matter has no title"},
	}
	for _, tt := range tests {
		_, err := ParseMarkdown(tt.doc)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseMarkdown(%q) error = %v, want %q", tt.doc, err, tt.want)
		}
	}
}

func TestParseMarkdownSanitises(t *testing.T) {
	a, err := ParseMarkdown("---\nid: a\ntitle: \x1b]52;c;aGk=\x07# Hi\x1b[31m\n---\nbody\x1b[2J\n")
	if err != nil {
		t.Fatal(err)
	}
	if a.Title != "# Hi" || a.Body != "body\n" {
		t.Errorf("title %q body %q, want escapes removed", a.Title, a.Body)
	}
}
