package ui

import (
	"fmt"

	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// helpModel is the help overlay: every binding of the KeyMap, scrollable
// when the terminal is too short to show them all.
type helpModel struct {
	open bool
	yoff int
}

func (m *Model) handleHelpKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Quit, k.QuitAll):
		return tea.Quit
	case key.Matches(msg, k.Help, k.Back):
		m.help = helpModel{}
	case key.Matches(msg, k.Down):
		m.help.scroll(1, m.helpLines(), m.bodyHeight())
	case key.Matches(msg, k.Up):
		m.help.scroll(-1, m.helpLines(), m.bodyHeight())
	}
	return nil
}

// scroll moves the help by delta lines, within its lines.
func (h *helpModel) scroll(delta int, lines []string, height int) {
	h.yoff = max(0, min(h.yoff+delta, len(lines)-height))
}

// helpCloses names the keys that close the help: "? or esc closes".
func (m Model) helpCloses() string {
	return fmt.Sprintf("%s or %s closes", key1(m.keys.Help), key1(m.keys.Back))
}

// mouseHelp says what the mouse does, and how to leave it to the terminal.
const mouseHelp = "Mouse: wheel scrolls, click selects or opens; --no-mouse frees it"

// helpLines lays the groups of bindings out in as many columns as fit:
// all of them, three, two or one.
func (m Model) helpLines() []string {
	groups := append(m.keys.helpGroups(), querySyntax())
	groups = append(groups, m.commandHelp()) // last: the keys keep their places
	cols := make([]string, len(groups))
	for i, g := range groups {
		cols[i] = m.helpColumn(g)
	}
	// All in one row where they fit, else three a row, a row that
	// overflows split where it does.
	block := gridLayout(cols, len(cols), 0)
	if lipgloss.Width(block)+4 > m.width {
		block = gridLayout(cols, 3, m.width-4)
	}
	box := m.styles.HelpBox.Render(block + "\n" + m.styles.Faint.Render(m.helpCloses()+" this help\n"+mouseHelp))
	if lipgloss.Width(box) > m.width || lipgloss.Height(box) > m.bodyHeight() {
		// No room for the frame: plain lines scroll better.
		box = block
	}
	placed := lipgloss.PlaceHorizontal(m.width, lipgloss.Center, box)
	return strings.Split(placed, "\n")
}

// querySyntax is the query language in short, as a group of the help:
// what can be typed after / (and in saved searches and rules).
func querySyntax() helpGroup {
	rows := [][2]string{
		{"word wor", "every word, by its start"},
		{`"a phrase"`, "these words in this order"},
		{"-word", `without it; -"…", -title:x too`},
		{"a OR b", "either; OR binds first"},
		{"( … )", "a group"},
		{"title: author:", "in that field"},
		{"feed: tag:", "feed title or URL; tag"},
		{"link:", "host or start of URL"},
		{"is:unread", "is:read, is:starred"},
		{"since:7d", "before:2026-11-01"},
		{"age:<2h", "age:>1w; units m h d w"},
	}
	g := helpGroup{title: "Query"}
	for _, r := range rows {
		g.keys = append(g.keys, key.NewBinding(key.WithHelp(r[0], r[1])))
	}
	return g
}

// gridLayout puts up to perRow columns side by side, row under row. A
// row wider than width (when width > 0) is split where it overflows, so
// that one wide group (the query syntax) takes a row of its own instead
// of pushing every other row into one column.
func gridLayout(cols []string, perRow, width int) string {
	gap := lipgloss.NewStyle().PaddingRight(2)
	var rows, row []string
	join := func(cols []string) string { return lipgloss.JoinHorizontal(lipgloss.Top, padEach(gap, cols)...) }
	for _, c := range cols {
		if len(row) == perRow || len(row) > 0 && width > 0 && lipgloss.Width(join(append(row, c))) > width {
			rows, row = append(rows, join(row)), nil
		}
		row = append(row, c)
	}
	if len(row) > 0 {
		rows = append(rows, join(row))
	}
	return lipgloss.JoinVertical(lipgloss.Left, rows...)
}

func (m Model) helpColumn(g helpGroup) string {
	keyWidth := 0
	for _, b := range g.keys {
		keyWidth = max(keyWidth, lipgloss.Width(b.Help().Key))
	}
	lines := []string{m.styles.Title.Render(g.title)}
	for _, b := range g.keys {
		h := b.Help()
		lines = append(lines, m.styles.HelpKey.Width(keyWidth+2).Render(h.Key)+m.styles.HelpDesc.Render(h.Desc))
	}
	return strings.Join(lines, "\n") + "\n"
}

func padEach(s lipgloss.Style, cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		if i < len(cols)-1 {
			c = s.Render(c)
		}
		out[i] = c
	}
	return out
}

// helpView is the body of the screen while the help is open.
func (m Model) helpView(height int) []string {
	lines := m.helpLines()
	if len(lines) < height {
		top := (height - len(lines)) / 2
		return append(make([]string, top), lines...)
	}
	y := min(m.help.yoff, len(lines)-height)
	return lines[y : y+height]
}
