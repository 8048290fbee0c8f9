package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"tidings/articles"
)

// TestWidthAgreesWithTheTerminal draws emoji sequences and a script whose
// clusters measure otherwise per code point: on a terminal that has not
// reported grapheme clustering, every line is exactly as wide as the
// screen counted per code point; once it reports mode 2027, counted per
// cluster.
func TestWidthAgreesWithTheTerminal(t *testing.T) {
	title := "Family 👨\u200d👩\u200d👧 day ❤️ 👍🏽 कि 1️⃣ news"
	store := articles.NewMemStore(
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
