package ui

import (
	"fmt"
	"strings"
	"testing"

	"tidings/articles"
)

// TestRenderCacheBoundedByBytes fills the cache with renderings of
// different sizes: what it holds stays within its bound in bytes, the
// newest rendering stays even when it alone is over the bound, and
// renderings of ordinary size are not evicted by count.
func TestRenderCacheBoundedByBytes(t *testing.T) {
	c := newRenderCache()
	doc := func(kb int) document {
		line := strings.Repeat("x", 1024)
		d := document{lines: make([]string, kb), plain: make([]string, kb)}
		for i := range kb {
			d.lines[i], d.plain[i] = line, ""
		}
		return d
	}
	put := func(id string, kb int) renderKey {
		k := renderKey{id: id, width: 80}
		c.put(renderedMsg{key: k, doc: doc(kb)})
		return k
	}
	for i := range 500 { // 500 ordinary articles: far more than a count of 64
		put(fmt.Sprint("small", i), 20)
	}
	if len(c.docs) != 500 {
		t.Errorf("holds %d ordinary renderings, want all 500", len(c.docs))
	}
	var huge []renderKey
	for i := range 30 {
		huge = append(huge, put(fmt.Sprint("huge", i), 2048))
		if c.bytes > maxCacheBytes {
			t.Fatalf("after %d long articles: %d bytes, bound %d", i+1, c.bytes, maxCacheBytes)
		}
	}
	if _, ok := c.docs[huge[len(huge)-1]]; !ok {
		t.Error("the newest rendering was evicted")
	}
	if _, ok := c.docs[huge[0]]; ok {
		t.Error("the oldest long rendering is still held")
	}
	big := put("bigger than the bound", maxCacheBytes>>10+1024)
	if _, ok := c.docs[big]; !ok || len(c.docs) != 1 {
		t.Errorf("a rendering over the bound: kept %v, %d held, want it alone", ok, len(c.docs))
	}
	total := 0
	for _, r := range c.docs {
		total += r.doc.size()
	}
	if total != c.bytes {
		t.Errorf("counted %d bytes, holds %d", c.bytes, total)
	}
}

// TestStoredHugeBodyRenderedBounded renders a body stored before bodies
// were bounded: the reader cuts it, so Glamour never sees 15 MB.
func TestStoredHugeBodyRenderedBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("renders 256 KB")
	}
	body := strings.Repeat(strings.Repeat("lorem ipsum dolor ", 40)+"\n\n", 15_000_000/722)
	a := articles.Article{ID: "huge", Title: "t", Body: body}
	doc, err := renderArticle(a, renderKey{id: a.ID, width: 80, style: "notty", isDark: true}, testHeader())
	if err != nil {
		t.Fatal(err)
	}
	if doc.size() > 4<<20 {
		t.Errorf("rendered to %d KB", doc.size()>>10)
	}
	if !strings.Contains(doc.plain[len(doc.plain)-1], "[cut: the article is longer; o opens it]") {
		t.Errorf("no note of the cut at the end: %q", doc.plain[len(doc.plain)-1])
	}
}
