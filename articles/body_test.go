package articles_test

import (
	"strings"
	"testing"

	"tidings/articles"
)

func TestCutBody(t *testing.T) {
	short := "a short body\n\nof two paragraphs"
	if got := articles.CutBody(short); got != short {
		t.Errorf("a short body changed: %q", got)
	}
	para := strings.Repeat("word ", 30) + "\n\n"
	long := strings.Repeat(para, 2*articles.MaxBody/len(para))
	got := articles.CutBody(long)
	if len(got) > articles.MaxBody+len(articles.CutNote)+2 {
		t.Errorf("cut to %d bytes, want at most %d", len(got), articles.MaxBody)
	}
	if !strings.HasSuffix(got, "word \n\n"+articles.CutNote) {
		t.Errorf("not cut at a paragraph break: ends %q", got[len(got)-60:])
	}
	// One paragraph with no break, ending in a multi-byte rune and an escape.
	one := strings.Repeat("é", articles.MaxBody) + `\[`
	if got := articles.CutBody(one); !strings.HasSuffix(got, "é\n\n"+articles.CutNote) {
		t.Errorf("a paragraph without breaks: ends %q", got[len(got)-60:])
	}
}
