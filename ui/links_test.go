package ui

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"tidings/articles"
	"tidings/articles/articlestest"
	"tidings/feed/subs"
)

// councilBody links five pages, one of them twice, finds a sixth in its
// text, and holds a javascript: and a mailto: link, which the reader
// neither numbers nor opens.
const councilBody = "The council met on Tuesday to debate the [harbour plan](https://city.example/plans/harbour) " +
	"and its [budget](https://city.example/budget.pdf). Residents can read [the minutes](https://city.example/minutes?id=7) " +
	"or watch <https://video.example/council/2026-11-24>.\n\n" +
	"Critics, led by [Ana Ruiz](https://blog.example/ruiz), say the [plan](javascript:alert(1)) ignores " +
	"the [harbour plan](https://city.example/plans/harbour) of 2019; write to [the clerk](mailto:clerk@city.example) " +
	"before Friday. More at https://news.example/harbour-followup.\n"

// councilLinks are the links of councilBody in the order of their numbers.
var councilLinks = []string{
	"https://city.example/plans/harbour",
	"https://city.example/budget.pdf",
	"https://city.example/minutes?id=7",
	"https://video.example/council/2026-11-24",
	"https://blog.example/ruiz",
	"https://news.example/harbour-followup",
}

// manyLinksBody has n links, one a line of a list.
func manyLinksBody(n int) string {
	var b strings.Builder
	b.WriteString("Every source of this report:\n\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "- [Source number %d](https://src%d.example/page/%d)\n", i, i%7, i)
	}
	return b.String()
}

// harbourBody says "harbour" nine times, in three cases, over some screens.
func harbourBody() string {
	filler := "The tide came in and went out again, as it does twice a day, and nobody on the quay paid it any mind."
	var b strings.Builder
	for i, word := range []string{"harbour", "Harbour", "HARBOUR", "harbour", "harbour", "Harbour", "harbour", "harbour", "harbour"} {
		fmt.Fprintf(&b, "Paragraph %d. %s The %s master spoke. %s\n\n", i+1, strings.TrimSpace(strings.Repeat(filler+" ", 1+i%3)), word, filler)
	}
	return b.String()
}

// linksStore holds an article of each kind the links view must handle.
func linksStore() *articlestest.MemStore {
	at := func(h int) time.Time { return testNow.Add(-time.Duration(h) * time.Hour) }
	return articlestest.NewMemStore(
		articles.Article{ID: "council", Title: "Council debates the harbour plan", Source: "City News",
			Link: "https://news.example/story", Published: at(1), Body: councilBody},
		articles.Article{ID: "many", Title: "Fifty sources", Source: "Desk",
			Link: "https://news.example/sources", Published: at(2), Body: manyLinksBody(50)},
		articles.Article{ID: "harbour", Title: "At the quay", Source: "Coast",
			Link: "https://coast.example/tides", Published: at(3), Body: harbourBody()},
		articles.Article{ID: "own", Title: "Only its own link", Source: "Desk",
			Link: "https://news.example/own", Published: at(4), Body: "No link in this text."},
		articles.Article{ID: "none", Title: "No link at all", Source: "Desk",
			Published: at(5), Body: "Nothing to follow here."},
		articles.Article{ID: "script", Title: "A script for a link", Source: "Desk",
			Link: "javascript:alert(1)", Published: at(6), Body: "Click [here](javascript:alert(2)) or [there](https://ok.example/)."},
	)
}

// TestLinkViews keeps golden files of the links view, of the numbers in
// the body and of a search inside an article, at two sizes.
func TestLinkViews(t *testing.T) {
	tests := []struct {
		name string
		w, h int
		keys string
	}{
		{"links_80x24", 80, 24, "L"},
		{"links_120x40", 120, 40, "enter L j j"},
		{"links_scrolled_80x24", 80, 24, "j L pgdown pgdown j"},
		{"links_own_only_80x24", 80, 24, "j j j L"},
		{"numbers_80x24", 80, 24, "enter"},
		{"numbers_120x40", 120, 40, "enter"},
		{"number_typed_80x24", 80, 24, "enter 3"},
		{"find_typing_80x24", 80, 24, "j j enter / harb"},
		{"find_80x24", 80, 24, "j j enter / harbour enter n"},
		{"find_120x40", 120, 40, "j j enter / harbour enter n"},
		{"find_scrolled_80x24", 80, 24, "j j enter / harbour enter n n n n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := drive(t, New(testOptions(linksStore())), tt.w, tt.h, tt.keys)
			checkFrame(t, m.frame(), tt.w, tt.h)
			golden.RequireEqual(t, plain(t, m))
		})
	}
}

// TestFindStyled keeps the styled screen of a search inside an article:
// the matches highlighted as the list's are, the current one underlined.
func TestFindStyled(t *testing.T) {
	m := drive(t, New(testOptions(linksStore())), 80, 24, "j j enter / harbour enter n")
	out, err := Screen(m, true)
	if err != nil {
		t.Fatal(err)
	}
	golden.RequireEqual(t, out)
}

// trickyBody holds the links numbering must not break: reference links of
// the three kinds, emphasis and code in link text, nested brackets, an
// image in a link and alone, a link in a table, autolinks written and
// found, links that are not opened, and "[99]" and "[98]" of the text's own.
const trickyBody = "A [*styled* link](https://a.example/1 \"title\") and [`code]`](https://a.example/2), " +
	"[brackets [inside]](https://a.example/3), <https://a.example/4> and www.a.example/5, " +
	"[![a picture](https://img.example/p.png)](https://a.example/6) ![alone](https://img.example/q.png).\n\n" +
	"[full][r1], [collapsed][] and [shortcut], a footnote-like [99] and \\[98\\], " +
	"[relative](/path), [mail](mailto:a@b.example), [ftp](ftp://a.example/x), [empty]().\n\n" +
	"| where | link |\n|---|---|\n| table | [cell](https://a.example/7) |\n\n" +
	"- a list with [an item](https://a.example/8)\n\n" +
	"# A heading with [a link](https://a.example/9)\n\n" +
	"[r1]: https://a.example/10\n[collapsed]: https://a.example/11\n[shortcut]: https://a.example/12\n"

var numberMark = regexp.MustCompile(`\[(\d+)\]`)

// TestLinkNumbersAgree renders bodies and checks that every number shown
// sits beside the link the list gives that number, and that every listed
// link is shown with its number.
func TestLinkNumbersAgree(t *testing.T) {
	for name, body := range map[string]string{"council": councilBody, "fifty": manyLinksBody(50), "tricky": trickyBody} {
		t.Run(name, func(t *testing.T) {
			a := articles.Article{ID: name, Title: "T", Body: body}
			doc, err := renderArticle(a, renderKey{id: name, width: 400, style: "notty"}, testHeader())
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(doc.plain, "\n")
			seen := map[int]bool{}
			for _, at := range numberMark.FindAllStringSubmatchIndex(text, -1) {
				n, _ := strconv.Atoi(text[at[2]:at[3]])
				if n >= 98 {
					continue // the text's own, not a number
				}
				if n < 1 || n > len(doc.refs) {
					t.Errorf("[%d] shown, but %d links listed: %q", n, len(doc.refs), around(text, at[0]))
					continue
				}
				url := doc.refs[n-1].url
				after, before := strings.TrimPrefix(text[at[1]:], " "), strings.TrimSuffix(text[:at[0]], " ")
				if !strings.HasPrefix(after, url) && !strings.HasSuffix(before, url) {
					t.Errorf("[%d] is not beside %s: %q", n, url, around(text, at[0]))
				}
				seen[n] = true
			}
			for i, r := range doc.refs {
				if !seen[i+1] {
					t.Errorf("link %d (%s) is listed but its number is not shown", i+1, r.url)
				}
				if CheckLink(r.url) != nil {
					t.Errorf("link %d (%s) is listed but would not be opened", i+1, r.url)
				}
			}
		})
	}
}

func around(s string, i int) string {
	return s[max(0, i-60):min(len(s), i+60)]
}

// TestTrickyLinksNumbered lists the links of trickyBody: each link the
// reader opens once, in order, and no other.
func TestTrickyLinksNumbered(t *testing.T) {
	_, refs := numberLinks(trickyBody)
	var got []string
	for _, r := range refs {
		got = append(got, r.url)
	}
	var want []string
	for _, i := range []int{1, 2, 3, 4} {
		want = append(want, fmt.Sprintf("https://a.example/%d", i))
	}
	want = append(want, "http://www.a.example/5", "https://a.example/6", "https://a.example/10",
		"https://a.example/11", "https://a.example/12", "https://a.example/7", "https://a.example/8", "https://a.example/9")
	if !slices.Equal(got, want) {
		t.Errorf("links listed:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if refs[0].text != "styled link" || refs[1].text != "code]" || refs[2].text != "brackets [inside]" {
		t.Errorf("link texts %q %q %q", refs[0].text, refs[1].text, refs[2].text)
	}
}

// TestUncheckedLinksNeverReached: a javascript: link, in the body or as
// the article's own, is neither listed nor numbered, and no key opens or
// copies it.
func TestUncheckedLinksNeverReached(t *testing.T) {
	for _, keys := range []string{
		"G enter 0 enter", "G enter 1 enter", "G enter 2 enter", "G enter 1 Y", "G enter 2 Y", "G enter o", "G enter y",
		"G L enter", "G L o", "G L Y", "G L y", "G L j enter", "G L j Y", "G L G o", "G L G Y",
	} {
		t.Run(keys, func(t *testing.T) {
			var o opened
			opts := testOptions(linksStore())
			opts.OpenURL = o.open
			m := New(opts)
			m, msgs := driveRecording(t, m, 80, 24, keys)
			for _, u := range append(o.urls, clipboardWrites(msgs)...) {
				if u != "https://ok.example/" {
					t.Errorf("%s reached the browser or the clipboard", u)
				}
			}
			screen := strings.Split(plain(t, m), "\n")
			if body := strings.Join(screen[:len(screen)-2], "\n"); m.links.open && strings.Contains(body, "javascript") {
				t.Errorf("the links view lists the javascript: link:\n%s", body)
			}
		})
	}
	m := drive(t, New(testOptions(linksStore())), 80, 24, "G enter")
	doc := m.readerDoc()
	if len(doc.refs) != 1 || doc.refs[0].url != "https://ok.example/" {
		t.Errorf("links listed: %v, want only https://ok.example/", doc.refs)
	}
	if screen := plain(t, m); !strings.Contains(screen, "here javascript:alert(2) or there [1]") {
		t.Errorf("the javascript: link is numbered, or the other is not:\n%s", screen)
	}
	if entries := m.linkEntries(doc); len(entries) != 1 || entries[0].num != 1 {
		t.Errorf("the article's own javascript: link is listed: %v", entries)
	}
}

// driveRecording is drive, keeping every message the commands sent.
func driveRecording(t *testing.T, m Model, w, h int, keys string) (Model, []tea.Msg) {
	t.Helper()
	m = drive(t, m, w, h, "")
	presses, err := ParseKeys(keys)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []tea.Msg
	for _, k := range presses {
		var model tea.Model = m
		model, msgs = runRecording(t, model, k, msgs)
		m = model.(Model)
	}
	return m, msgs
}

// runRecording sends msg to m and runs the commands that follow, as
// Snapshot does, recording their messages.
func runRecording(t *testing.T, m tea.Model, msg tea.Msg, msgs []tea.Msg) (tea.Model, []tea.Msg) {
	t.Helper()
	m, cmd := m.Update(msg)
	var run func(tea.Cmd)
	run = func(cmd tea.Cmd) {
		if cmd == nil {
			return
		}
		switch msg := cmd().(type) {
		case nil, tea.QuitMsg:
		case tea.BatchMsg:
			for _, c := range msg {
				run(c)
			}
		default:
			msgs = append(msgs, msg)
			var next tea.Cmd
			m, next = m.Update(msg)
			run(next)
		}
	}
	run(cmd)
	return m, msgs
}

// clipboardWrites returns what the messages put on the clipboard: Bubble
// Tea's own clipboard command, which writes OSC 52.
func clipboardWrites(msgs []tea.Msg) []string {
	var out []string
	for _, msg := range msgs {
		if fmt.Sprintf("%T", msg) == fmt.Sprintf("%T", tea.SetClipboard("")()) {
			out = append(out, fmt.Sprint(msg))
		}
	}
	return out
}

// TestCopyLinks: y copies the article's link, Y the link chosen in the
// links view or by its number, with Bubble Tea's clipboard command, and
// the status line says what was copied.
func TestCopyLinks(t *testing.T) {
	tests := []struct {
		keys   string
		copied string
		status string
	}{
		{"y", "https://news.example/story", "Copied https://news.example/story to the clipboard"},
		{"enter y", "https://news.example/story", "Copied https://news.example/story to the clipboard"},
		{"L j j Y", "https://city.example/budget.pdf", "Copied https://city.example/budget.pdf to the clipboard"},
		{"L j j y", "https://news.example/story", "Copied https://news.example/story"},
		{"enter 3 Y", "https://city.example/minutes?id=7", "Copied https://city.example/minutes?id=7 to the clipboard"},
		{"enter 4 2 Y", "", "No link 42: this article's links are numbered 0 to 6 (L lists them)"},
		{"enter Y", "", "No link chosen to copy"},
		{"j j j j y", "", "This article has no link to copy"},
		{"G y", "", "Not copied: link \"javascript:alert(1)\": only http and https links are opened"},
	}
	for _, tt := range tests {
		t.Run(tt.keys, func(t *testing.T) {
			m, msgs := driveRecording(t, New(testOptions(linksStore())), 80, 24, tt.keys)
			got := clipboardWrites(msgs)
			if tt.copied == "" && len(got) > 0 || tt.copied != "" && !slices.Equal(got, []string{tt.copied}) {
				t.Errorf("copied %q, want %q", got, tt.copied)
			}
			if !strings.HasPrefix(m.status.text, tt.status) {
				t.Errorf("status %q, want %q", m.status.text, tt.status)
			}
		})
	}
}

// TestSnapshotCopiesNothing: with NoClipboard (a snapshot), y and Y send
// no clipboard command and say what they would have copied.
func TestSnapshotCopiesNothing(t *testing.T) {
	for _, keys := range []string{"y", "enter 2 Y", "L j Y"} {
		opts := testOptions(linksStore())
		opts.NoClipboard = true
		m, msgs := driveRecording(t, New(opts), 80, 24, keys)
		if got := clipboardWrites(msgs); len(got) > 0 || !strings.HasPrefix(m.status.text, "Would copy https://") {
			t.Errorf("%q: copied %q, status %q", keys, got, m.status.text)
		}
	}
}

// TestCopyCommand checks the command Y returns: Bubble Tea's own
// clipboard message, holding the link.
func TestCopyCommand(t *testing.T) {
	m := drive(t, New(testOptions(linksStore())), 80, 24, "enter 2")
	_, cmd := m.Update(tea.KeyPressMsg{Code: 'Y', Text: "Y"})
	var found bool
	var walk func(tea.Cmd)
	walk = func(c tea.Cmd) {
		if c == nil {
			return
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			for _, c := range msg {
				walk(c)
			}
		default:
			if msg == tea.SetClipboard("https://city.example/budget.pdf")() {
				found = true
			}
		}
	}
	walk(cmd)
	if !found {
		t.Error("2 Y sent no clipboard command with https://city.example/budget.pdf")
	}
}

// TestLinksViewWithoutLinks: L on an article with no link says so,
// from the list (before its rendering arrived) and from the reader; with
// only its own link, the view lists it and says the text has none.
func TestLinksViewWithoutLinks(t *testing.T) {
	for _, keys := range []string{"j j j j L", "j j j j enter L", "j j j j tab L"} {
		w := 80
		if strings.Contains(keys, "tab") {
			w = 120
		}
		m := drive(t, New(testOptions(linksStore())), w, 24, keys)
		if m.links.open || m.status.text != "This article has no links" {
			t.Errorf("%q: links view open %v, status %q", keys, m.links.open, m.status.text)
		}
	}
	m := drive(t, New(testOptions(linksStore())), 80, 24, "j j j L")
	if screen := plain(t, m); !m.links.open || !strings.Contains(screen, "0  this article") ||
		!strings.Contains(screen, "The text of this article has no links.") {
		t.Errorf("an article with only its own link:\n%s", screen)
	}
}

// TestLinksViewKeys: the view scrolls through fifty links and keeps the
// selected one in view; o and enter open it as o opens an article's link;
// esc and q go back to where L was pressed.
func TestLinksViewKeys(t *testing.T) {
	tests := []struct {
		keys   string
		cursor int
		opened string
		focus  focus
		open   bool
	}{
		{"j L G", 50, "", focusList, true},
		{"j L G g", 0, "", focusList, true},
		{"j L pgdown pgdown pgdown pgdown k", 49, "", focusList, true},
		{"j L G enter", 50, "https://src1.example/page/50", focusList, true},
		{"j L j j o", 2, "https://src2.example/page/2", focusList, true},
		{"j L o", 0, "https://news.example/sources", focusList, true},
		{"j L esc", 0, "", focusList, false},
		{"j enter L j q", 0, "", focusReader, false},
		{"j enter L L", 0, "", focusReader, false},
	}
	for _, tt := range tests {
		t.Run(tt.keys, func(t *testing.T) {
			var o opened
			opts := testOptions(linksStore())
			opts.OpenURL = o.open
			m := drive(t, New(opts), 80, 24, tt.keys)
			if m.links.open != tt.open || m.focus != tt.focus || tt.open && m.links.cursor != tt.cursor {
				t.Errorf("open %v focus %v cursor %d, want %v %v %d", m.links.open, m.focus, m.links.cursor, tt.open, tt.focus, tt.cursor)
			}
			if strings.Join(o.urls, " ") != tt.opened {
				t.Errorf("opened %q, want %q", o.urls, tt.opened)
			}
			if !tt.open {
				return
			}
			screen := plain(t, m)
			if row := fmt.Sprintf("▌ %2d  ", tt.cursor); !strings.Contains(screen, row) {
				t.Errorf("the selected row %q is not on screen:\n%s", row, screen)
			}
			checkFrame(t, m.frame(), 80, 24)
		})
	}
}

// TestLinkNumbers: digits then enter in the reader open the link of that
// number; a number beyond the links says so; esc cancels; the status line
// shows the digits as they are typed.
func TestLinkNumbers(t *testing.T) {
	tests := []struct {
		keys   string
		opened string
		status string
	}{
		{"enter 3 enter", "https://city.example/minutes?id=7", "Opened https://city.example/minutes?id=7"},
		{"enter 6 o", "https://news.example/harbour-followup", "Opened"},
		{"enter 0 enter", "https://news.example/story", "Opened https://news.example/story"},
		{"enter 1 2 backspace enter", "https://city.example/plans/harbour", "Opened"},
		{"enter 7 enter", "", "No link 7: this article's links are numbered 0 to 6 (L lists them)"},
		{"enter 9 9 9 9 9 9 9 enter", "", "No link 99999:"},
		{"enter 3 esc enter", "", ""},
		{"j j j enter 1 enter", "", "No link 1: this article has only its own link, 0"},
		{"j j j j enter 1 enter", "", "This article has no links"},
	}
	for _, tt := range tests {
		t.Run(tt.keys, func(t *testing.T) {
			var o opened
			opts := testOptions(linksStore())
			opts.OpenURL = o.open
			m := drive(t, New(opts), 80, 24, tt.keys)
			if strings.Join(o.urls, " ") != tt.opened {
				t.Errorf("opened %q, want %q", o.urls, tt.opened)
			}
			if !strings.HasPrefix(m.status.text, tt.status) || tt.status == "" && m.status.text != "" {
				t.Errorf("status %q, want %q", m.status.text, tt.status)
			}
			if m.focus != focusReader || m.reader.number != "" {
				t.Errorf("focus %v, number %q left typed", m.focus, m.reader.number)
			}
		})
	}
	m := drive(t, New(testOptions(linksStore())), 80, 24, "enter 4 2")
	if last := lastLine(plain(t, m)); !strings.HasPrefix(last, " Link 42 · enter opens · Y copies · esc cancels") {
		t.Errorf("status line while typing a number: %q", last)
	}
	// Any other key drops the number and does what it does.
	m = drive(t, New(testOptions(linksStore())), 80, 24, "j j enter 4 j")
	if m.reader.number != "" || m.reader.yoff != 1 {
		t.Errorf("after 4 j: number %q, top line %d, want none and 1", m.reader.number, m.reader.yoff)
	}
}

func lastLine(screen string) string {
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	return lines[len(lines)-1]
}

// TestLinksViewShowsNothingRaw hands the links view, through a store that
// skips sanitising, link text and a title full of escape sequences: none
// reaches the screen, and the view makes no hyperlink of its own.
func TestLinksViewShowsNothingRaw(t *testing.T) {
	raw := articles.Article{
		ID:        "raw",
		Title:     "Title \x1b]52;c;cHduZWQ=\x07 \x1b[5mblink\x1b[0m",
		Link:      "https://news.example/story",
		Published: testNow,
		Body: "Read [the \x1b]8;;https://phish.example/\x07story\x1b]8;;\x07 \x1b[8mnow\x1b[0m](https://news.example/more) " +
			"or [\u202eevil\u202c](https://news.example/rtl)",
	}
	store := rawStore{articlestest.NewMemStore(raw), raw}
	for _, keys := range []string{"L", "L j", "enter L j j", "enter / s t o", "enter 1"} {
		m := drive(t, New(testOptions(store)), 100, 24, keys)
		frame := m.frame()
		if what, bad := articlestest.UnsafeInFrame(frame); bad {
			t.Errorf("%q: %q reached the screen", keys, what)
		}
		if m.links.open && strings.Contains(frame, "\x1b]8;;http") {
			t.Errorf("%q: the links view made a hyperlink", keys)
		}
	}
}

// FuzzNumberLinks numbers the links of any markdown: it never panics, the
// numbered body has the same links in the same order, and a body left
// unnumbered (the fallback) still lists its links.
func FuzzNumberLinks(f *testing.F) {
	for _, body := range []string{councilBody, trickyBody, manyLinksBody(3), "[a `b](https://x.example/) `c`", "[x]\n\n[x]: https://x.example/"} {
		f.Add(body)
	}
	f.Fuzz(func(t *testing.T, body string) {
		numbered, refs := numberLinks(body)
		if !slices.Equal(checkedLinks(numbered), checkedLinks(body)) {
			t.Fatalf("numbering changed the links of %q:\n%q", body, numbered)
		}
		if numbered == body {
			return
		}
		for i := range refs {
			if !strings.Contains(numbered, fmt.Sprintf(`\[%d\]`, i+1)) {
				t.Fatalf("link %d of %q is not numbered:\n%q", i+1, body, numbered)
			}
		}
	})
}

// TestNumberingThatChangesLinksDropped: numbers that would make the body
// link elsewhere (here, an edit that breaks a link) are not kept.
func TestNumberingThatChangesLinksDropped(t *testing.T) {
	body := "[a](https://a.example/) and [b](https://b.example/)"
	checked := []string{"https://a.example/", "https://b.example/"}
	if got := keptNumbering(body, "[a \\[1\\]](https://a.example/) and [b \\[2\\]](https://b.example/)", checked); got == body {
		t.Error("a good numbering was dropped")
	}
	for _, broken := range []string{
		"[a \\[1\\]](https://a.example/) and [b \\[2\\](https://b.example/)",  // the second link lost
		"[a \\[1\\]](https://b.example/) and [b \\[2\\]](https://a.example/)", // the links swapped
	} {
		if got := keptNumbering(body, broken, checked); got != body {
			t.Errorf("a numbering that changes the links was kept: %q", got)
		}
	}
}

// TestLinksViewWheel: the wheel moves through the links view, and a click
// there does nothing to the list behind it.
func TestLinksViewWheel(t *testing.T) {
	m := drive(t, New(testOptions(linksStore())), 80, 24, "j L wheeldown@10,5 wheeldown@10,5 wheelup@10,5 click@10,8")
	if !m.links.open || m.links.cursor != 3 || m.list.cursor != 1 {
		t.Errorf("links open %v, cursor %d, list cursor %d; want open, 3, 1", m.links.open, m.links.cursor, m.list.cursor)
	}
}

// TestDigitBoundByKeys: a digit that [keys] binds to an action does that
// action in the reader, and the other digits still make a link's number.
func TestDigitBoundByKeys(t *testing.T) {
	keys, err := NewKeyMap(keysOf(subs.KeyBinding{Action: "top", Keys: []string{"0", "g"}, Where: "config.toml:2"}))
	if err != nil {
		t.Fatal(err)
	}
	var o opened
	opts := testOptions(linksStore())
	opts.Keys, opts.OpenURL = &keys, o.open
	m := drive(t, New(opts), 80, 24, "j j enter G 0")
	if m.reader.yoff != 0 || m.reader.number != "" {
		t.Errorf("0 bound to top: top line %d, number %q; want 0 and none", m.reader.yoff, m.reader.number)
	}
	m = drive(t, New(opts), 80, 24, "enter 3 enter")
	if strings.Join(o.urls, " ") != "https://city.example/minutes?id=7" {
		t.Errorf("3 enter opened %q", o.urls)
	}
}

// TestCouncilLinksInOrder: the council body's links are numbered in the
// order they first appear, each once, javascript: and mailto: left out.
func TestCouncilLinksInOrder(t *testing.T) {
	_, refs := numberLinks(councilBody)
	var got []string
	for _, r := range refs {
		got = append(got, r.url)
	}
	if !slices.Equal(got, councilLinks) {
		t.Errorf("links %q, want %q", got, councilLinks)
	}
}
