package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"tidings/articles"
	"tidings/articles/articlestest"
)

// TestWidthAgreesWithTheTerminal draws emoji sequences and a script whose
// clusters measure otherwise per code point: on a terminal that has not
// reported grapheme clustering, every line is exactly as wide as the
// screen counted per code point; once it reports mode 2027, counted per
// cluster.
func TestWidthAgreesWithTheTerminal(t *testing.T) {
	title := "Family 👨\u200d👩\u200d👧 day ❤️ 👍🏽 कि 1️⃣ news"
	store := articlestest.NewMemStore(
		articles.Article{ID: "e", Title: title, Source: "Wire 👨\u200d👩\u200d👧", Body: "A " + title + " body.", Published: testNow},
		articles.Article{ID: "f", Title: "Plain", Published: testNow.Add(-1)})
	for _, size := range [][2]int{{80, 12}, {120, 12}} {
		opts := testOptions(store)
		opts.Terminal = true
		m := drive(t, New(opts), size[0], size[1], "enter")
		checkWidths(t, "per code point", m.frame(), size[0], ansi.WcWidth)
		if !strings.Contains(ansi.Strip(m.frame()), "👨👩👧") {
			t.Errorf("%v: the family does not show as its people side by side", size)
		}
		next, _ := m.Update(tea.ModeReportMsg{Mode: ansi.ModeUnicodeCore, Value: ansi.ModeReset})
		m = drive(t, next.(Model), size[0], size[1], "")
		checkWidths(t, "per cluster", m.frame(), size[0], ansi.GraphemeWidth)
	}
}

func checkWidths(t *testing.T, how, frame string, width int, method ansi.Method) {
	t.Helper()
	for i, l := range strings.Split(frame, "\n") {
		if w := method.StringWidth(l); w != width {
			t.Errorf("%s, %d columns: line %d is %d wide: %q", how, width, i, w, ansi.Strip(l))
		}
	}
}

// TestCJKMatchesHighlighted: a CJK word is found inside a run of CJK
// characters, so it is highlighted there too, and n jumps to it; an emoji
// likewise.
func TestCJKMatchesHighlighted(t *testing.T) {
	for _, tt := range []struct{ line, term, want string }{
		{"会谈在北京举行", "北京", "北京"},
		{"Launch 🚀 today", "🚀", "🚀"},
		{"北京 trade", "北京", "北京"},
	} {
		ranges := matchRanges(tt.line, []string{tt.term}, lipgloss.NewStyle())
		if len(ranges) != 1 {
			t.Errorf("%q in %q: %d ranges", tt.term, tt.line, len(ranges))
			continue
		}
		if got := ansi.Cut(tt.line, ranges[0].Start, ranges[0].End); got != tt.want {
			t.Errorf("%q in %q: highlights %q", tt.term, tt.line, got)
		}
	}
	if lines := matchLines([]string{"nothing", "会谈在北京举行", "x"}, []string{"北京"}); len(lines) != 1 || lines[0] != 1 {
		t.Errorf("matchLines finds %v, want [1]", lines)
	}
}
