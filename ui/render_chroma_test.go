package ui

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/formatters"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/charmbracelet/x/ansi"

	"tidings/articles/articlestest"
)

// TestCachedTTYMatchesChroma: the formatter code blocks are highlighted
// with writes what chroma's "terminal256" writes, byte for byte, for every
// style chroma has and code in a few languages, twice (the second time
// from its cache). Where two colours of the palette are equally near a
// style's, chroma picks either from one call to the next (it ranges over
// a map): those styles are compared only where chroma agrees with itself.
func TestCachedTTYMatchesChroma(t *testing.T) {
	code := map[string]string{
		"go":     "package main\n\n// A comment.\nfunc main() { fmt.Println(\"hi\", 42, 'x') }\n",
		"python": "def f(x):\n    \"\"\"Doc.\"\"\"\n    return x ** 2 + 0x1f  # note\n",
		"bash":   "for f in *.go; do echo \"$f\" >&2; done\n",
		"html":   "<p class=\"a\">Hi &amp; <b>there</b></p>\n",
	}
	ours := formatters.Get(chromaFormatter)
	compared, all := 0, 0
	for _, name := range styles.Names() {
		style := styles.Get(name)
		all++
		if !chromaSteady(t, style) {
			continue
		}
		compared++
		for lang, src := range code {
			want := format(t, formatters.TTY256, style, lang, src)
			for round := range 2 {
				if got := format(t, ours, style, lang, src); got != want {
					t.Fatalf("style %s, %s, round %d:\n got %q\nwant %q", name, lang, round, got, want)
				}
			}
		}
	}
	if compared < all/2 {
		t.Errorf("compared %d of %d styles: chroma disagreed with itself on the rest", compared, all)
	}
}

// chromaSteady reports whether chroma's own formatter colours style the
// same way on 40 calls: where a colour ties, it picks each way half the
// time, so a style with a tie shows it with odds of 2^-39 to one.
func chromaSteady(t *testing.T, style *chroma.Style) bool {
	first := ttyTheme(style)
	for range 39 {
		if !maps.Equal(ttyTheme(style), first) {
			return false
		}
	}
	return true
}

func format(t *testing.T, f chroma.Formatter, style *chroma.Style, lang, src string) string {
	t.Helper()
	it, err := chroma.Coalesce(lexers.Get(lang)).Tokenise(nil, src)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := f.Format(&b, style, it); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestNumberedLinksListsBodyLinks: the links numberedLinks returns are
// those of the markdown it returns, numbered or kept as it was.
func TestNumberedLinksListsBodyLinks(t *testing.T) {
	for _, body := range []string{
		councilBody, trickyBody, "no links at all",
		"[a](https://a.example/) and [b](ftp://b.example/) and <https://c.example/>",
		"[x](https://x.example/)\n\n[x]: https://y.example/\n", // a numbering that would change a link
		articlestest.Body(4 << 10),
	} {
		md, refs, links := numberedLinks(body)
		wantMD, wantRefs := numberLinks(body)
		if md != wantMD || !slices.Equal(refs, wantRefs) {
			t.Errorf("numberedLinks numbers %q otherwise than numberLinks", body)
		}
		if want := bodyLinks(md); !slices.Equal(links, want) {
			t.Errorf("links of %q:\n got %q\nwant %q", md, links, want)
		}
	}
}

// TestFitBody: each line comes out exactly width cells wide, with its
// text unstyled beside it; a line too wide is wrapped, one of wide
// characters too.
func TestFitBody(t *testing.T) {
	long := "\x1b[1m" + strings.Repeat("word ", 30) + "\x1b[0m"
	body := strings.Join([]string{"", "  plain", "\x1b[31mred\x1b[0m", long, strings.Repeat("字", 30), "• ünïcode"}, "\n")
	lines, plain := fitBody(body, 40)
	if len(lines) != len(plain) || len(lines) < 8 {
		t.Fatalf("%d lines, %d plain: want the six, two of them wrapped", len(lines), len(plain))
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w != 40 {
			t.Errorf("line %d is %d cells wide: %q", i, w, l)
		}
		if p := strings.TrimRight(ansi.Strip(l), " "); p != strings.TrimRight(plain[i], " ") {
			t.Errorf("line %d: plain %q, shown %q", i, plain[i], p)
		}
	}
	if plain[2] != "red" {
		t.Errorf("plain of a styled line: %q", plain[2])
	}
}
