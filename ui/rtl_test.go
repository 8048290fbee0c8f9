package ui

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"tidings/articles"
	"tidings/articles/articlestest"
	"tidings/feed/subs"
)

// rtlArticles are an Arabic article with a number and links, a Hebrew one
// with English words, and an English one with a Hebrew word. Their text
// carries the bidi overrides and isolates of a Trojan-source attack, which
// the sanitiser removes before anything is stored.
func rtlArticles() []articles.Article {
	at := func(h int) time.Time { return testNow.Add(-time.Duration(h) * time.Hour) }
	return []articles.Article{
		{
			ID: "ar", Source: "الجزيرة", Title: "العدد 123 في تقرير\u202e اليوم عن الطقس", Link: "https://example.org/ar/1",
			Published: at(1),
			Body: "يعرض التقرير العدد 123 في https://example.org مع تفاصيل أخرى عن الطقس في المنطقة خلال الأسبوع القادم.\n\n" +
				"قال المتحدث إن [الموقع الرسمي](https://example.org/ar/site) سينشر البيانات \u2067كاملة\u2069 بحلول الساعة 10:30 صباحا.\n\n" +
				"- البند الأول (مهم)\n- البند الثاني\n",
		},
		{
			ID: "he", Source: "הארץ", Title: "שלום world: גרסה 2.5 של Linux יצאה", Link: "https://example.org/he/2",
			Published: at(2),
			Body:      "הגרסה החדשה של Linux כוללת 42 שינויים ו־open source רבים.\n\nמשפט שני עם מילה באנגלית: kernel.\n",
		},
		{
			ID: "en", Source: "Example", Title: "The word שלום means peace", Link: "https://example.org/en/3",
			Published: at(3),
			Body:      "An English paragraph where the Hebrew word שלום and the Arabic العدد 7 appear.\n",
		},
	}
}

func rtlOptions(t testing.TB, reorder bool) Options {
	t.Helper()
	opts := testOptions(articlestest.NewMemStore(rtlArticles()...))
	opts.ReorderRTL = reorder
	opts.Feeds = func(context.Context) ([]subs.Status, error) {
		return []subs.Status{
			{Subscription: subs.Subscription{URL: "https://example.org/ar.xml", Title: "الجزيرة"}, State: articles.FeedState{Total: 1, Unread: 1}},
			{Subscription: subs.Subscription{URL: "https://example.org/he.xml", Title: "הארץ"}, State: articles.FeedState{Total: 1, Unread: 1}},
			{Subscription: subs.Subscription{URL: "https://example.org/en.xml", Title: "Example"}, State: articles.FeedState{Total: 1}},
		}, nil
	}
	return opts
}

// TestRTLViews keeps golden views of right-to-left text: an Arabic
// article, a Hebrew one, the list of their titles, and with bidi =
// "terminal" the same in logical order. No frame holds a bidi control,
// nor anything else unsafe.
func TestRTLViews(t *testing.T) {
	tests := []struct {
		name    string
		w, h    int
		keys    string
		reorder bool
	}{
		{"rtl_list_80x24", 80, 24, "", true},
		{"rtl_arabic_80x24", 80, 24, "enter", true},
		{"rtl_arabic_120x40", 120, 40, "", true},
		{"rtl_hebrew_120x40", 120, 40, "j", true},
		{"rtl_mixed_english_80x24", 80, 24, "j j enter", true},
		{"rtl_search_120x40", 120, 40, "/ linux enter tab n", true},
		{"rtl_feeds_80x24", 80, 24, "F", true},
		{"rtl_feed_filter_120x40", 120, 40, "F j j enter", true},
		{"rtl_no_match_80x24", 80, 24, "/ שלום space עולם enter", true},
		{"rtl_terminal_120x40", 120, 40, "", false},
		{"rtl_terminal_hebrew_80x24", 80, 24, "j enter", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := drive(t, New(rtlOptions(t, tt.reorder)), tt.w, tt.h, tt.keys)
			frame := m.frame()
			checkFrame(t, frame, tt.w, tt.h)
			if what, bad := articlestest.UnsafeInFrame(frame); bad {
				t.Errorf("unsafe in the frame: %q", what)
			}
			golden.RequireEqual(t, plain(t, m))
		})
	}
}

// TestRTLReaderOrder: the reader shows the Arabic article's mixed line
// in visual order, right-aligned, digits and link in their own order; with
// reordering off it shows the stored order.
func TestRTLReaderOrder(t *testing.T) {
	visual := "https://example.org [1] " + rev("في") + " 123 " + rev("العدد") // [1]: the link's number
	m := drive(t, New(rtlOptions(t, true)), 120, 40, "")
	screen := ansi.Strip(m.frame())
	if !strings.Contains(screen, visual) {
		t.Errorf("no %q in the reordered reader:\n%s", visual, screen)
	}
	// Right-aligned: the title's first word ends the pane's line two
	// cells from its edge, as left-to-right text starts two cells in.
	title := rev("العدد") + "  \n"
	if !strings.Contains(screen, title) {
		t.Errorf("the Arabic title is not right-aligned:\n%s", screen)
	}
	m = drive(t, New(rtlOptions(t, false)), 120, 40, "")
	screen = ansi.Strip(m.frame())
	if !strings.Contains(screen, "العدد 123 في https://example.org") || strings.Contains(screen, visual) || strings.Contains(screen, title) {
		t.Errorf("bidi = terminal: the reader does not keep the logical order:\n%s", screen)
	}
}

// TestRTLLinkStaysOnItsText: in the styled frame, the body link's OSC 8
// opens just before its text, moved with it, and closes after it.
func TestRTLLinkStaysOnItsText(t *testing.T) {
	m := drive(t, New(rtlOptions(t, true)), 120, 40, "")
	frame := m.frame()
	opens := regexp.MustCompile("\x1b]8;[^;]*;https://example.org/ar/site\a").FindAllStringIndex(frame, -1)
	var texts []string
	for _, o := range opens {
		rest := frame[o[1]:]
		end := strings.Index(rest, "\x1b]8;;\a")
		if end < 0 {
			t.Fatal("the link is not closed")
		}
		texts = append(texts, ansi.Strip(rest[:end]))
	}
	want := "[2] " + rev("الموقع الرسمي") // its number is part of its text
	if !slices.Contains(texts, want) {
		t.Errorf("the link holds %q, want %q among them", texts, want)
	}
}

// BenchmarkReorderFrame measures the reorder of a 20 KB Arabic article's
// rendered lines, all of them: what scrolling through it costs beyond
// drawing the same lines unreordered.
func BenchmarkReorderFrame(b *testing.B) {
	var body strings.Builder
	for i := 0; body.Len() < 20<<10; i++ {
		fmt.Fprintf(&body, "الفقرة %d: يعرض التقرير العدد %d في https://example.org/%d مع تفاصيل أخرى عن Linux والطقس في المنطقة خلال الأسبوع.\n\n", i, i*7, i)
	}
	a := articles.Article{ID: "ar", Title: "تقرير طويل", Body: body.String()}
	doc, err := renderArticle(a, renderKey{id: "ar", width: 80, style: "dark"}, header{styles: NewStyles(true), location: time.UTC})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for i, l := range doc.lines {
			_ = visualLine(l, doc.dirs[i])
		}
	}
	b.ReportMetric(float64(len(doc.lines)), "lines")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(doc.lines)), "ns/line")
}

// BenchmarkRTLFrame measures a whole 120x40 frame of the reader on a 20 KB
// Arabic article, with its lines reordered and as stored: the difference
// is what reordering costs a frame.
func BenchmarkRTLFrame(b *testing.B) {
	var body strings.Builder
	for i := 0; body.Len() < 20<<10; i++ {
		fmt.Fprintf(&body, "الفقرة %d: يعرض التقرير العدد %d في https://example.org/%d مع تفاصيل أخرى عن Linux والطقس في المنطقة خلال الأسبوع.\n\n", i, i*7, i)
	}
	a := articles.Article{ID: "ar", Title: "تقرير طويل", Body: body.String(), Published: testNow}
	for _, reorder := range []bool{false, true} {
		b.Run(fmt.Sprintf("reorder=%v", reorder), func(b *testing.B) {
			opts := testOptions(articlestest.NewMemStore(a))
			opts.ReorderRTL = reorder
			m := drive(b, New(opts), 120, 40, "tab space")
			for b.Loop() {
				_ = m.frame()
			}
		})
	}
}

// TestRTLSearchHighlightMoves: a match found in the stored order is
// highlighted on its characters wherever reordering puts them, in the
// list's title and in the reader, and nowhere else.
func TestRTLSearchHighlightMoves(t *testing.T) {
	m := drive(t, New(rtlOptions(t, true)), 120, 40, "/ שלום enter")
	bg := strings.TrimPrefix(strings.TrimSuffix(m.styles.Match.Render("x"), "x\x1b[m"), "\x1b[")
	bg = bg[strings.Index(bg, "48;"):strings.LastIndexByte(bg, 'm')]
	word := rev("שלום")
	found := 0
	for _, line := range strings.Split(m.frame(), "\n")[1:] { // the top bar quotes the search, unlit
		cells, styles := splitCells(line)
		var text strings.Builder
		for _, c := range cells {
			text.WriteString(c.text)
		}
		occurrences := regexp.MustCompile(word).FindAllStringIndex(text.String(), -1)
		for i, c := range cells {
			lit := strings.Contains(styles[c.style].sgr, bg)
			inWord := false
			for _, o := range occurrences {
				at := len(cellsText(cells[:i]))
				inWord = inWord || at >= o[0] && at < o[1]
			}
			if lit != inWord {
				t.Errorf("cell %d (%q) highlighted %v, in the match %v: %q", i, c.text, lit, inWord, ansi.Strip(line))
				break
			}
			if lit {
				found++
			}
		}
	}
	if want := 3 * len([]rune(word)); found != want { // the two rows, the reader's title
		t.Errorf("%d cells highlighted, want %d", found, want)
	}
}

func cellsText(cells []cell) string {
	var b strings.Builder
	for _, c := range cells {
		b.WriteString(c.text)
	}
	return b.String()
}
