package articles

import (
	"bufio"
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"tidings/articles/termsafe"
)

// bundledFS holds the articles shipped with tidings, so that a first run
// with no network and no configuration has something to read. Each is a
// markdown file with a front matter of "key: value" lines between "---"
// lines.
//
//go:embed bundled/*.md
var bundledFS embed.FS

// BundledSource is the source of a bundled article whose front matter
// names none: they are shipped with tidings, and the list's source column
// should say so rather than stay blank.
const BundledSource = "tidings"

// Bundled returns the articles shipped with tidings.
func Bundled() ([]Article, error) {
	paths, err := fs.Glob(bundledFS, "bundled/*.md")
	if err != nil {
		return nil, fmt.Errorf("bundled articles: %w", err)
	}
	arts := make([]Article, 0, len(paths))
	for _, p := range paths {
		data, err := bundledFS.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("bundled article %s: %w", p, err)
		}
		a, err := ParseMarkdown(string(data))
		if err != nil {
			return nil, fmt.Errorf("bundled article %s: %w", p, err)
		}
		if a.Source == "" {
			a.Source = BundledSource
		}
		arts = append(arts, a)
	}
	return arts, nil
}

// ParseMarkdown reads an article from markdown with front matter. The keys
// are id, title, source, author, link and published (RFC 3339); id and
// title are required. The body is everything after the front matter, kept
// byte for byte.
func ParseMarkdown(doc string) (Article, error) {
	rest, ok := strings.CutPrefix(doc, "---\n")
	if !ok {
		return Article{}, fmt.Errorf("line 1: front matter must start with ---")
	}
	var a Article
	sc := bufio.NewScanner(strings.NewReader(rest))
	line, consumed := 1, len("---\n")
	for sc.Scan() {
		line++
		text := sc.Text()
		consumed += len(text) + 1
		if text == "---" {
			a.Body = doc[min(consumed, len(doc)):]
			return a, a.validate()
		}
		if err := a.setField(text); err != nil {
			return Article{}, fmt.Errorf("line %d: %w", line, err)
		}
	}
	return Article{}, fmt.Errorf("line %d: front matter is not closed with ---", line)
}

func (a *Article) setField(text string) error {
	key, value, ok := strings.Cut(text, ":")
	if !ok {
		return fmt.Errorf("want key: value, got %q", text)
	}
	value = strings.TrimSpace(value)
	switch strings.TrimSpace(key) {
	case "id":
		a.ID = value
	case "title":
		a.Title = termsafe.Line(value)
	case "source":
		a.Source = termsafe.Line(value)
	case "author":
		a.Author = termsafe.Line(value)
	case "link":
		a.Link = termsafe.Line(value)
	case "published":
		t, err := time.Parse(time.RFC3339, value)
		if err != nil {
			return fmt.Errorf("published: %w", err)
		}
		a.Published = t
	default:
		return fmt.Errorf("unknown key %q", key)
	}
	return nil
}

func (a *Article) validate() error {
	a.Body = termsafe.Text(a.Body)
	switch {
	case a.ID == "":
		return fmt.Errorf("front matter has no id")
	case a.Title == "":
		return fmt.Errorf("front matter has no title")
	}
	return nil
}
