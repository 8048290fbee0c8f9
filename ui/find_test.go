package ui

import (
	"strings"
	"testing"
)

// TestFindInArticle: / in the reader searches the article as it is typed,
// ignoring case; n and N go through the matches by position, wrapping,
// scrolling the reader to each; esc clears the search, then goes back.
func TestFindInArticle(t *testing.T) {
	tests := []struct {
		keys   string
		hit    int // index of the current match, -1 for none
		status string
	}{
		{"j j enter / harbour", 0, "match 1 of 9"},
		{"j j enter / HARBOUR enter", 0, "match 1 of 9"},
		{"j j enter / harbour enter n", 1, "match 2 of 9"},
		{"j j enter / harbour enter N", 8, "match 9 of 9"},
		{"j j enter / harbour enter n n n n n n n n", 8, "match 9 of 9"},
		{"j j enter / harbour enter n n n n n n n n n", 0, "match 1 of 9"},
		{"j j enter / harbour enter n N N", 8, "match 9 of 9"},
		{"j j enter / harbour down down", 2, "match 3 of 9"},
		{"j j enter / harbour space master", 0, "match 1 of 9"},
		{"j j enter / the space tide", 0, "match 1 of 24"}, // of 27, three broken across lines
		{"j j enter / zebra", -1, "no match"},
		// After G, n goes from the top line: to the first match on screen.
		{"j j enter / harbour enter G n", 5, "match 6 of 9"},
		{"j j enter / harbour enter G N", 4, "match 5 of 9"},
		{"j j enter / harbour enter n j", -1, "9 matches"}, // scrolled by hand: by position again
		{"j j enter G / harbour", 5, "match 6 of 9"},       // from where the search began
	}
	for _, tt := range tests {
		t.Run(tt.keys, func(t *testing.T) {
			m := drive(t, New(testOptions(linksStore())), 80, 24, tt.keys)
			f := m.reader.find
			if f.hit != tt.hit || f.status() != tt.status {
				t.Fatalf("match %d %q, want %d %q", f.hit, f.status(), tt.hit, tt.status)
			}
			if !strings.Contains(lastLine(plain(t, m)), tt.status) {
				t.Errorf("the status line does not say %q: %q", tt.status, lastLine(plain(t, m)))
			}
			if f.hit < 0 {
				return
			}
			if line := f.matches[f.hit].line; line < m.reader.yoff || line >= m.reader.yoff+m.bodyHeight() {
				t.Errorf("the current match, line %d, is off screen (top line %d)", line, m.reader.yoff)
			}
		})
	}
}

// TestFindKeys: esc clears the search of the article and stays in the
// reader, a second esc goes back; in the list, / searches the list as
// before; another article starts without the search.
func TestFindKeys(t *testing.T) {
	m := drive(t, New(testOptions(linksStore())), 80, 24, "j j enter / harbour enter esc")
	if m.reader.find.active() || m.focus != focusReader {
		t.Errorf("esc: search %q, focus %v; want it cleared, in the reader", m.reader.find.input, m.focus)
	}
	if m = drive(t, m, 80, 24, "esc"); m.focus != focusList {
		t.Errorf("a second esc left the focus on %v", m.focus)
	}
	m = drive(t, New(testOptions(linksStore())), 80, 24, "j j enter / harbour esc")
	if m.reader.find.active() || m.reader.find.editing || m.focus != focusReader {
		t.Errorf("esc while typing: search %q editing %v focus %v", m.reader.find.input, m.reader.find.editing, m.focus)
	}
	m = drive(t, New(testOptions(linksStore())), 120, 24, "/ harbour")
	if !m.search.editing || m.reader.find.editing || m.list.page.Total != 2 {
		t.Errorf("/ in the list: list search %v, article search %v, %d articles, want 2", m.search.editing, m.reader.find.editing, m.list.page.Total)
	}
	m = drive(t, New(testOptions(linksStore())), 80, 24, "j j enter / harbour enter J")
	if m.reader.find.active() {
		t.Errorf("the next article kept the search %q", m.reader.find.input)
	}
	m = drive(t, New(testOptions(linksStore())), 80, 24, "j j enter / harbour enter q")
	if m.focus != focusList {
		t.Errorf("q with a search kept: focus %v, want the list", m.focus)
	}
}

// TestFindHighlights: the matches on screen are styled as the list's,
// the current one underlined besides, at their cells.
func TestFindHighlights(t *testing.T) {
	m := drive(t, New(testOptions(linksStore())), 80, 24, "j j enter / harbour enter n")
	doc := m.readerDoc()
	f := m.reader.find
	cur := f.matches[f.hit]
	ranges := m.findRanges(doc, cur.line)
	if len(ranges) != 1 {
		t.Fatalf("%d ranges on the current match's line, want 1", len(ranges))
	}
	r := ranges[0]
	if got := doc.plain[cur.line][r.Start:r.End]; got != "Harbour" {
		t.Errorf("the range marks %q, want Harbour", got)
	}
	if !r.Style.GetUnderline() || r.Style.GetBackground() != m.styles.Match.GetBackground() {
		t.Error("the current match is not marked as the list marks a match, underlined")
	}
	other := f.matches[0]
	if rs := m.findRanges(doc, other.line); len(rs) != 1 || rs[0].Style.GetUnderline() {
		t.Errorf("another match: %d ranges, underlined %v", len(rs), len(rs) > 0 && rs[0].Style.GetUnderline())
	}
}

// TestIndexFold: matches ignore case, and their offsets are those of the
// text searched, whatever lower-casing does to its length.
func TestIndexFold(t *testing.T) {
	tests := []struct {
		s, query   string
		start, end int
	}{
		{"in ZÜRICH today", "zürich", 3, 10},
		{"İstanbul", "istanbul", 0, 9},
		{"a ǅemal", "ǆemal", 2, 8},
		{"none here", "zebra", -1, -1},
		{"abc", "", -1, -1},
		{"ab", "abc", -1, -1},
	}
	for _, tt := range tests {
		start, end := indexFold(tt.s, []rune(lowerRunes(tt.query)))
		if start != tt.start || end != tt.end {
			t.Errorf("indexFold(%q, %q) = %d, %d, want %d, %d", tt.s, tt.query, start, end, tt.start, tt.end)
		}
	}
}
