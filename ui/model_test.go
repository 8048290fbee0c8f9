package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"tidings/articles"
	"tidings/articles/articlestest"
)

func synthetic(n int) *articlestest.MemStore {
	return articlestest.NewMemStore(articlestest.Articles(n, 30)...)
}

func TestListNavigationBounds(t *testing.T) {
	tests := []struct {
		keys       string
		n          int
		cursor     int
		top        int
		wantLoaded bool
	}{
		{"", 50, 0, 0, true},
		{"k k up", 50, 0, 0, true},
		{"j j down", 50, 3, 0, true},
		{"G", 50, 49, 28, true},
		{"end j", 50, 49, 28, true},
		{"G g", 50, 0, 0, true},
		{"G home", 50, 0, 0, true},
		{"pgdown", 50, 22, 1, true},
		{"pgdown pgdown pgdown pgup", 50, 27, 27, true},
		{"ctrl+d", 50, 11, 0, true},
		{"ctrl+d ctrl+d ctrl+u", 50, 11, 1, true},
		{"j j j", 2, 1, 0, true},
		{"G", 1000, 999, 978, true},
		{"G k", 1000, 998, 978, true},
		{"j", 0, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d/%s", tt.n, tt.keys), func(t *testing.T) {
			m := drive(t, New(testOptions(synthetic(tt.n))), 80, 24, tt.keys)
			if m.list.cursor != tt.cursor || m.list.top != tt.top {
				t.Errorf("cursor %d top %d, want %d %d", m.list.cursor, m.list.top, tt.cursor, tt.top)
			}
			if tt.n > 0 {
				if _, ok := m.list.selected(); !ok {
					t.Errorf("selected row %d is not loaded", m.list.cursor)
				}
			}
		})
	}
}

// TestListLoadsOnlyPages checks that the list never holds more than a page
// of rows, wherever the cursor goes.
func TestListLoadsOnlyPages(t *testing.T) {
	m := drive(t, New(testOptions(synthetic(5000))), 80, 24, "G pgup pgup")
	if n := len(m.list.page.Rows); n > pageSize {
		t.Errorf("list holds %d rows, want at most %d", n, pageSize)
	}
	sel, ok := m.list.selected()
	if !ok || sel.ID != fmt.Sprintf("synthetic-%06d", 4999-44) {
		t.Errorf("selected %q (%v), want the 45th from the end", sel.ID, ok)
	}
	out := plain(t, m)
	if strings.Contains(out, "…\n") && strings.Count(out, "  …") > 0 {
		t.Errorf("placeholder rows on screen after loading:\n%s", out)
	}
}

func TestSearchFilters(t *testing.T) {
	tests := []struct {
		keys    string
		editing bool
		terms   []string
		total   int
		input   string
	}{
		{"/ putin", true, []string{"putin"}, 1, "putin"},
		{"/ putin enter", false, []string{"putin"}, 1, "putin"},
		{"/ putin esc", false, nil, 2, ""},
		{"/ putin enter esc", false, nil, 2, ""},
		{"/ PUTIN space xi", true, []string{"putin", "xi"}, 1, "PUTIN xi"},
		{"/ putin space zebra", true, []string{"putin", "zebra"}, 0, "putin zebra"},
		{"/ putin backspace backspace", true, []string{"put"}, 1, "put"},
		{"/ putin ctrl+u", true, nil, 2, ""},
		{"/ putin space harbin ctrl+w", true, []string{"putin"}, 1, "putin "},
		{"/ welcome enter /", true, []string{"welcome"}, 2, "welcome"},
		// Keys typed into the search line are text, never commands.
		{"/ q j k ? g G n o enter", false, []string{"qjk", "ggno"}, 0, "qjk?gGno"},
	}
	for _, tt := range tests {
		t.Run(tt.keys, func(t *testing.T) {
			m := drive(t, New(testOptions(bundledStore(t))), 80, 24, tt.keys)
			if m.search.editing != tt.editing || m.search.input != tt.input ||
				strings.Join(m.list.query.Terms, ",") != strings.Join(tt.terms, ",") || m.list.page.Total != tt.total {
				t.Errorf("editing %v input %q terms %q total %d, want %v %q %q %d",
					m.search.editing, m.search.input, m.list.query.Terms, m.list.page.Total,
					tt.editing, tt.input, tt.terms, tt.total)
			}
		})
	}
}

func TestFocusAndLayout(t *testing.T) {
	tests := []struct {
		w, h      int
		keys      string
		focus     focus
		reader    bool // reader pane on screen
		wantTitle string
	}{
		{80, 24, "", focusList, false, "Welcome to tidings"},
		{80, 24, "enter", focusReader, true, "Welcome to tidings"},
		{80, 24, "l", focusReader, true, "Welcome to tidings"},
		{80, 24, "right esc", focusList, false, "Welcome to tidings"},
		{80, 24, "enter h", focusList, false, "Welcome to tidings"},
		{80, 24, "enter left", focusList, false, "Welcome to tidings"},
		{80, 24, "tab", focusReader, true, "Welcome to tidings"},
		{80, 24, "tab tab", focusList, false, "Welcome to tidings"},
		{80, 24, "space", focusReader, true, "Welcome to tidings"},
		{100, 30, "", focusList, true, "Welcome to tidings"},
		{100, 30, "j", focusList, true, "Xi Jinping Hosts"},
		{100, 30, "j enter", focusReader, true, "Xi Jinping Hosts"},
		{100, 30, "j enter esc k", focusList, true, "Welcome to tidings"},
		{99, 30, "", focusList, false, "Welcome to tidings"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%dx%d/%s", tt.w, tt.h, tt.keys), func(t *testing.T) {
			m := drive(t, New(testOptions(bundledStore(t))), tt.w, tt.h, tt.keys)
			if m.focus != tt.focus || m.readerVisible() != tt.reader {
				t.Errorf("focus %v reader visible %v, want %v %v", m.focus, m.readerVisible(), tt.focus, tt.reader)
			}
			if out := plain(t, m); tt.reader && !strings.Contains(out, "  "+tt.wantTitle) {
				t.Errorf("reader does not show %q:\n%s", tt.wantTitle, out)
			}
		})
	}
}

func TestReaderScrollBounds(t *testing.T) {
	tests := []struct {
		keys string
		yoff int
	}{
		{"j enter", 0},
		{"j enter k", 0},
		{"j enter j j", 2},
		{"j enter space", 21},
		{"j enter pgdown pgup", 0},
		{"j enter ctrl+d", 11},
		{"j enter G", -1}, // the end: len(lines) - height
		{"j enter G j", -1},
		{"j enter G g", 0},
		{"j enter space space space space space space", -1},
	}
	for _, tt := range tests {
		t.Run(tt.keys, func(t *testing.T) {
			m := drive(t, New(testOptions(bundledStore(t))), 80, 24, tt.keys)
			want := tt.yoff
			if want < 0 {
				want = len(m.readerDoc().lines) - m.bodyHeight()
			}
			if m.reader.yoff != want {
				t.Errorf("yoff %d, want %d", m.reader.yoff, want)
			}
		})
	}
}

func TestResizeKeepsSelectionAndRerenders(t *testing.T) {
	m := drive(t, New(testOptions(synthetic(300))), 120, 40, "j j j enter")
	narrowed, cmd := m.Update(tea.WindowSizeMsg{Width: 60, Height: 12})
	m2 := narrowed.(Model)
	if sel, _ := m2.list.selected(); sel.ID != "synthetic-000003" {
		t.Errorf("selection after resize = %q", sel.ID)
	}
	if cmd == nil {
		t.Fatal("resize asked for no new rendering")
	}
	// While the new width renders, the old rendering is shown cut to fit.
	checkFrame(t, m2.frame(), 60, 12)
	d := driver{model: m2}
	if err := d.run(cmd); err != nil {
		t.Fatal(err)
	}
	m3 := d.model.(Model)
	if r, ok := m3.renders.docs[m3.readerKey()]; !ok || r.err != nil {
		t.Errorf("no rendering at the new width")
	}
	for _, l := range m3.readerDoc().lines {
		if w := len([]rune(stripANSI(l))); w > 60 {
			t.Errorf("line wider than the pane: %q", l)
		}
	}
	for _, size := range [][2]int{{1, 1}, {2, 2}, {10, 3}, {39, 9}, {40, 10}, {100, 4}, {300, 100}} {
		s, _ := m3.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		checkFrame(t, s.(Model).frame(), size[0], size[1])
	}
}

func TestOpenLink(t *testing.T) {
	store := articlestest.NewMemStore(
		articles.Article{ID: "web", Title: "Web", Link: "https://news.example/a?b=c", Published: testNow},
		articles.Article{ID: "js", Title: "Script", Link: "javascript:alert(1)", Published: testNow.Add(-time.Hour)},
		articles.Article{ID: "none", Title: "No link", Published: testNow.Add(-2 * time.Hour)},
	)
	tests := []struct {
		keys   string
		opened []string
		status string
	}{
		{"o", []string{"https://news.example/a?b=c"}, "Opened https://news.example/a?b=c"},
		{"j o", nil, "only http and https links are opened"},
		{"j j o", nil, "this article has no link"},
	}
	for _, tt := range tests {
		t.Run(tt.keys, func(t *testing.T) {
			var o opened
			opts := testOptions(store)
			opts.OpenURL = o.open
			m := drive(t, New(opts), 80, 24, tt.keys)
			if strings.Join(o.urls, " ") != strings.Join(tt.opened, " ") {
				t.Errorf("opened %q, want %q", o.urls, tt.opened)
			}
			if !strings.Contains(m.status.text, tt.status) {
				t.Errorf("status %q, want %q", m.status.text, tt.status)
			}
		})
	}
}

func TestHelpKeys(t *testing.T) {
	tests := []struct {
		keys string
		open bool
		quit bool
	}{
		{"?", true, false},
		{"? ?", false, false},
		{"? esc", false, false},
		{"? j j k", true, false},
		{"? q", true, true},
	}
	for _, tt := range tests {
		m := drive(t, New(testOptions(bundledStore(t))), 80, 24, tt.keys)
		if m.help.open != tt.open {
			t.Errorf("%q: help open %v, want %v", tt.keys, m.help.open, tt.open)
		}
	}
}

// TestQuitStopsKeys checks that q quits from the list and Q from
// anywhere (the keys after them are not pressed), and that ctrl+c quits
// even while searching.
func TestQuitStopsKeys(t *testing.T) {
	for _, keys := range []string{"q j", "/ abc ctrl+c j", "enter Q j", "F Q j", "? Q j"} {
		m := drive(t, New(testOptions(synthetic(10))), 80, 24, keys)
		if m.list.cursor != 0 {
			t.Errorf("%q: keys after quit moved the cursor to %d", keys, m.list.cursor)
		}
	}
}

// TestQGoesBack: q in the reader or the feeds view goes back to the list,
// as in newsboat; only in the list does it quit.
func TestQGoesBack(t *testing.T) {
	for _, keys := range []string{"enter q j", "F q j", "tab q j"} {
		m := drive(t, New(testOptions(synthetic(10))), 100, 24, keys)
		if m.focus != focusList || m.list.cursor != 1 {
			t.Errorf("%q: focus %v cursor %d, want the list, moved by j", keys, m.focus, m.list.cursor)
		}
	}
}

// TestReadingFlow covers newsboat's reading keys: J and K open the next
// and previous article from the reader, marking them read; space at the
// end of an article opens the next unread one.
func TestReadingFlow(t *testing.T) {
	m := drive(t, New(testOptions(synthetic(10))), 100, 24, "enter J J K")
	if m.focus != focusReader || m.list.cursor != 1 {
		t.Fatalf("after enter J J K: focus %v cursor %d, want the reader on the second article", m.focus, m.list.cursor)
	}
	for i, r := range m.list.page.Rows[:3] {
		if !r.Read {
			t.Errorf("article %d was opened but is not read", i)
		}
	}
	// At the end of an article, space opens the first unread one below,
	// skipping those already read.
	for _, start := range []string{"J G", "esc g enter G"} {
		m = drive(t, m, 100, 24, start)
		want := -1
		for i, r := range m.list.page.Rows {
			if i > m.list.cursor && !r.Read {
				want = i
				break
			}
		}
		if want < 0 || want == m.list.cursor+1 && start == "esc g enter G" {
			t.Fatalf("%q: no read article to skip (next unread %d, cursor %d)", start, want, m.list.cursor)
		}
		m = drive(t, m, 100, 24, "space")
		if m.list.cursor != want || m.focus != focusReader {
			t.Errorf("%q then space: cursor %d focus %v, want the reader on article %d", start, m.list.cursor, m.focus, want)
		}
	}
	m = drive(t, New(testOptions(synthetic(3))), 100, 24, "G enter J")
	if m.list.cursor != 2 || !strings.Contains(m.status.text, "last article") {
		t.Errorf("J on the last article: cursor %d status %q", m.list.cursor, m.status.text)
	}
}

func TestMatchJumps(t *testing.T) {
	tests := []struct {
		keys   string
		match  int // line index of the current match, -1 for none, -2 for the last
		status string
	}{
		{"n", -1, "No search to jump through"},
		{"/ putin enter enter n", 1, "Match 1 of"},
		{"/ putin enter enter n n", 6, "Match 2 of"},
		{"/ putin enter enter N", -2, "of"}, // the last match
		{"/ putin enter enter n N", -2, "of"},
		{"/ zebra enter n", -1, ""},
		// n goes by position: after g, the first match below the top
		// line, whatever the match before was.
		{"/ putin enter enter N g n", 1, "Match 1 of"},
		{"/ putin enter enter n n n n G g n", 1, "Match 1 of"},
	}
	for _, tt := range tests {
		t.Run(tt.keys, func(t *testing.T) {
			m := drive(t, New(testOptions(bundledStore(t))), 120, 40, tt.keys)
			lines := matchLines(m.readerDoc().plain, m.list.query.Terms)
			want := tt.match
			if want == -2 {
				want = lines[len(lines)-1]
			}
			if m.reader.match != want || !strings.Contains(m.status.text, tt.status) {
				t.Errorf("match line %d status %q, want %d %q (matches at %v)", m.reader.match, m.status.text, want, tt.status, lines)
			}
		})
	}
}

// TestMatchJumpsAfterScrolling: after scrolling down past matches, n
// finds the first match at or below the top line and N the last above it.
func TestMatchJumpsAfterScrolling(t *testing.T) {
	m := drive(t, New(testOptions(bundledStore(t))), 120, 40, "/ putin enter enter pgdown")
	top := m.reader.yoff
	lines := matchLines(m.readerDoc().plain, m.list.query.Terms)
	i := slices.IndexFunc(lines, func(l int) bool { return l >= top })
	if top == 0 || i <= 0 {
		t.Fatalf("pgdown left the top line at %d, matches at %v: no match above and below it", top, lines)
	}
	if n := drive(t, m, 120, 40, "n"); n.reader.match != lines[i] {
		t.Errorf("n from top line %d: match %d, want %d (matches at %v)", top, n.reader.match, lines[i], lines)
	}
	if p := drive(t, m, 120, 40, "N"); p.reader.match != lines[i-1] {
		t.Errorf("N from top line %d: match %d, want %d (matches at %v)", top, p.reader.match, lines[i-1], lines)
	}
}

// TestMatchJumpsInTheList: in the list, n and N go to the next and the
// previous matching article, and say where the list ends.
func TestMatchJumpsInTheList(t *testing.T) {
	store := articlestest.NewMemStore(articlestest.Articles(30, 40)...)
	m := drive(t, New(testOptions(store)), 100, 30, "/ trade enter")
	total := m.list.page.Total
	if total < 3 {
		t.Fatalf("only %d articles match", total)
	}
	m = drive(t, m, 100, 30, "n n")
	if m.list.cursor != 2 || m.focus != focusList || !strings.HasPrefix(m.status.text, fmt.Sprintf("Article 3 of %d matching", total)) {
		t.Errorf("after n n: cursor %d focus %v status %q", m.list.cursor, m.focus, m.status.text)
	}
	m = drive(t, m, 100, 30, "N N N")
	if m.list.cursor != 0 || !strings.HasPrefix(m.status.text, "No more matches above") {
		t.Errorf("after N N N: cursor %d status %q", m.list.cursor, m.status.text)
	}
}

func TestAge(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{-time.Hour, "now"}, {0, "now"}, {59 * time.Second, "now"}, {time.Minute, "1m"},
		{59 * time.Minute, "59m"}, {3 * time.Hour, "3h"}, {47 * time.Hour, "47h"},
		{48 * time.Hour, "2d"}, {59 * 24 * time.Hour, "59d"}, {90 * 24 * time.Hour, "3mo"},
		{800 * 24 * time.Hour, "2y"},
	}
	for _, tt := range tests {
		if got := age(testNow, testNow.Add(-tt.d)); got != tt.want {
			t.Errorf("age(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
	if got := age(testNow, time.Time{}); got != "" {
		t.Errorf("age(zero) = %q, want empty", got)
	}
}

// TestRenderSkipsWhatTheReaderLeft checks that a rendering whose turn comes
// after the reader moved on is skipped, and the one it moved to is done.
func TestRenderSkipsWhatTheReaderLeft(t *testing.T) {
	c := newRenderCache()
	s := synthetic(3)
	h := header{styles: NewStyles(true), location: time.UTC}
	k1 := renderKey{id: "synthetic-000001", width: 80, style: "dark"}
	k2 := renderKey{id: "synthetic-000002", width: 80, style: "dark"}
	cmd1, cmd2 := c.request(k1, s, h), c.request(k2, s, h)
	if again := c.request(k2, s, h); again != nil {
		t.Error("a pending rendering was asked for twice")
	}
	m1, m2 := cmd1().(renderedMsg), cmd2().(renderedMsg)
	if !m1.skipped || m2.skipped || m2.err != nil || len(m2.doc.lines) == 0 {
		t.Fatalf("skipped %v %v, err %v", m1.skipped, m2.skipped, m2.err)
	}
	c.put(m1)
	c.put(m2)
	if _, ok := c.docs[k1]; ok {
		t.Error("a skipped rendering was cached")
	}
	if r, ok := c.get(k2); !ok || len(r.doc.lines) == 0 {
		t.Error("the wanted rendering was not cached")
	}
	if cmd := c.request(k1, s, h); cmd == nil {
		t.Error("going back to a skipped article asked for no rendering")
	}
}

// TestStoreAlerts checks that a notice given at start and a failed
// background check stay in the status bar.
func TestStoreAlerts(t *testing.T) {
	opts := testOptions(bundledStore(t))
	opts.Notice = "the database was damaged: moved it to /x/tidings.db.damaged-1"
	if out := plain(t, drive(t, New(opts), 100, 10, "j")); !strings.Contains(out, "moved it to /x/tidings.db.damaged-1") {
		t.Errorf("notice missing:\n%s", out)
	}
	opts = testOptions(bundledStore(t))
	opts.Check = func(context.Context) error { return errors.New("/x/tidings.db: the database is damaged (bad page)") }
	out := plain(t, drive(t, New(opts), 200, 10, "j"))
	if !strings.Contains(out, "damaged (bad page): quit and start tidings again") {
		t.Errorf("check result missing:\n%s", out)
	}
}

// TestMarkAllConfirms: A marks at once what fits on one screen, and asks
// first, with the count, when it would change more.
func TestMarkAllConfirms(t *testing.T) {
	unread := func(s *articlestest.MemStore) int {
		p, _ := s.Page(t.Context(), articles.Query{UnreadOnly: true}, 0, 0)
		return p.Total
	}
	s := synthetic(100)
	before := unread(s)
	m := drive(t, New(testOptions(s)), 80, 24, "A")
	if want := fmt.Sprintf("Mark %s articles read? y/n", articles.Thousands(before)); m.status.text != want || unread(s) != before {
		t.Fatalf("A on 100 articles: status %q, %d unread; want %q and nothing marked yet", m.status.text, unread(s), want)
	}
	m = drive(t, New(testOptions(s)), 80, 24, "A n j")
	if unread(s) != before || m.list.cursor != 1 {
		t.Errorf("A n: %d unread (want %d), cursor %d (the key after the answer is a key again)", unread(s), before, m.list.cursor)
	}
	drive(t, New(testOptions(s)), 80, 24, "A y")
	if n := unread(s); n != 0 {
		t.Errorf("A y: %d still unread", n)
	}
	small := synthetic(5)
	drive(t, New(testOptions(small)), 80, 24, "A")
	if n := unread(small); n != 0 {
		t.Errorf("A on one screenful: %d still unread, want all marked at once", n)
	}
	if got := articles.Thousands(4952); got != "4,952" {
		t.Errorf("articles.Thousands(4952) = %q", got)
	}
}
