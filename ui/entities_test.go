package ui

import (
	"os"
	"slices"
	"time"

	"github.com/charmbracelet/x/ansi"
	"regexp"
	"strings"
	"testing"

	"tidings/articles"
	"tidings/articles/articlestest"
	"tidings/feed/parse"
)

// piecesFeed is the feed of items whose entities are made of pieces: an
// '&' and a "#27;" apart, joined once an empty element between them
// vanishes, or an entity in an image's alt text.
const piecesFeed = "../feed/testdata/entities/split.xml"

func piecesItems(t testing.TB) []articles.Article {
	t.Helper()
	data, err := os.ReadFile(piecesFeed)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := parse.Parse(data, "http://x.example/feed", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(parsed.Items) < 9 {
		t.Fatalf("%s: %d items, want at least 9", piecesFeed, len(parsed.Items))
	}
	return parsed.Items
}

// osc8Target finds the target of every OSC 8 hyperlink.
var osc8Target = regexp.MustCompile("\x1b\\]8;[^;\x07\x1b]*;([^\x07\x1b]*)")

// TestGlamourShowsNoEntityMadeOfPieces renders each such item the way the
// reader does, and checks what Glamour makes of it before any frame filter:
// no escape sequence but styling and the article's own links.
func TestGlamourShowsNoEntityMadeOfPieces(t *testing.T) {
	for _, a := range piecesItems(t) {
		for _, style := range []string{"dark", "notty"} {
			doc, err := renderArticle(a, renderKey{id: a.ID, width: 80, style: style, isDark: true}, testHeader())
			if err != nil {
				t.Fatal(err)
			}
			out := strings.Join(doc.lines, "\n")
			if what, bad := articlestest.UnsafeInFrame(out); bad {
				t.Errorf("%s (%s): Glamour wrote %q", a.Title, style, what)
			}
			for _, m := range osc8Target.FindAllStringSubmatch(out, -1) {
				if m[1] != "" && m[1] != a.Link && !strings.HasPrefix(m[1], "http://x.example/") {
					t.Errorf("%s (%s): a hyperlink to %q", a.Title, style, m[1])
				}
			}
			text := strings.ReplaceAll(stripANSI(out), "\u2060", "")
			if strings.Contains(a.Title, "split") && !strings.Contains(text, "before &#27;[31;5;7mX&#27;[0m after") {
				t.Errorf("%s (%s): the text does not show as written:\n%s", a.Title, style, text)
			}
		}
	}
}

// TestStoredEntitiesDefusedWhenRendered covers bodies stored before the
// converter checked the whole markdown: the reader checks it again.
func TestStoredEntitiesDefusedWhenRendered(t *testing.T) {
	a := articles.Article{ID: "old", Title: "t", Body: "a &#27;[2J b `&#x1b;]52;c;eA==&#7;` ~~&#27;[5m~~ &Tab;"}
	doc, err := renderArticle(a, renderKey{id: a.ID, width: 80, style: "dark", isDark: true}, testHeader())
	if err != nil {
		t.Fatal(err)
	}
	out := strings.Join(doc.lines, "\n") // as Glamour made it, before the frame filter
	for _, bad := range []string{"\x1b[2J", "\x1b]52", "\x1b[5m", "\t"} {
		if strings.Contains(out, bad) {
			t.Errorf("%q reached the output: %q", bad, out)
		}
	}
}

// TestFrameAllowsOnlyItsOwnLinks hands the reader, through a store that
// skips sanitising, text with a hyperlink of its own and SGR that blinks
// and conceals: the frame filter must drop them, while the article's own
// links stay clickable.
func TestFrameAllowsOnlyItsOwnLinks(t *testing.T) {
	raw := articles.Article{
		ID:        "phish",
		Title:     "Your \x1b]8;;https://phish.example/t\x07bank\x1b]8;;\x07 \x1b[5mblinks\x1b[0m \x1b[8mhidden\x1b[0m",
		Link:      "https://news.example/story",
		Published: testNow,
		Body: "Log in \x1b]8;;https://phish.example/login\x1b\\here\x1b]8;;\x1b\\ or read " +
			"[the story](https://news.example/more) \x1b[1;5;31mnow\x1b[0m",
	}
	store := rawStore{articlestest.NewMemStore(raw), raw}
	m := drive(t, New(testOptions(store)), 120, 30, "enter")
	frame := m.frame()
	if what, bad := articlestest.UnsafeInFrame(frame); bad {
		t.Errorf("%q reached the screen", what)
	}
	var targets []string
	for _, t := range osc8Target.FindAllStringSubmatch(frame, -1) {
		if t[1] != "" {
			targets = append(targets, t[1])
		}
	}
	for _, target := range targets {
		if strings.Contains(target, "phish") {
			t.Errorf("a hyperlink the program did not make reached the screen: %q", target)
		}
	}
	for _, want := range []string{"https://news.example/story", "https://news.example/more"} {
		if !strings.Contains(strings.Join(targets, " "), want) {
			t.Errorf("the article's own link %s is not clickable; links: %q", want, targets)
		}
	}
	if !strings.Contains(stripANSI(frame), "here") {
		t.Error("the text of a dropped hyperlink is gone")
	}
}

func testHeader() header {
	return header{styles: NewStyles(true), location: testNow.Location()}
}

// TestHeaderWrapsWhole: at 80 columns the reader header breaks a link at
// its separators, keeps the date whole rather than leaving "UTC" alone on
// a line, and shows the date with ordinary spaces.
func TestHeaderWrapsWhole(t *testing.T) {
	// "World Wire · Thursday 26 November 2026, 11:00" is 46 columns: at
	// 47, "UTC" would be left alone on the next line.
	a := articles.Article{ID: "h", Title: "t", Source: "World Wire", Published: time.Date(2026, 11, 26, 11, 0, 0, 0, time.UTC),
		Link: "https://news.example/2026/11/26/world/europe/a-very-long-slug-for-an-article-about-talks?utm_source=feed&utm_medium=rss"}
	h := testHeader()
	h.location = time.UTC
	lines := headerLines(a, 47+glamourMargin, h)
	plainLines := make([]string, len(lines))
	for i, l := range lines {
		plainLines[i] = strings.TrimSpace(ansi.Strip(l))
	}
	text := strings.Join(plainLines, "\n")
	if !strings.Contains(text, "Thursday 26 November 2026, 11:00 UTC") || strings.Contains(text, "\u00a0") {
		t.Errorf("the date is broken or keeps its no-break spaces:\n%s", text)
	}
	for _, l := range plainLines {
		if l == "UTC" {
			t.Errorf("UTC alone on a line:\n%s", text)
		}
	}
	first := slices.IndexFunc(plainLines, func(l string) bool { return strings.HasPrefix(l, "https://") })
	if first < 0 || first+3 > len(plainLines) {
		t.Fatalf("no link in the header:\n%s", text)
	}
	linkLines := plainLines[first : first+3]
	if got := strings.Join(linkLines, ""); !strings.HasPrefix(a.Link, strings.TrimSuffix(got, "…")) {
		t.Errorf("the link's lines %q do not make the link", linkLines)
	}
	for _, l := range linkLines[:2] {
		if c := l[len(l)-1]; !strings.ContainsRune("/?&=#-_.", rune(c)) {
			t.Errorf("the link broke inside a word: %q", l)
		}
	}
	url := wrapURL(strings.Repeat("https://x.example/"+strings.Repeat("abcdefgh/", 10), 3), 40)
	if n := strings.Count(url, "\n") + 1; n != maxURLLines || !strings.HasSuffix(url, "…") {
		t.Errorf("a very long link: %d lines, ends %q", n, url[len(url)-10:])
	}
}
