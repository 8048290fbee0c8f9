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
	cols := make([]string, len(groups))
	for i, g := range groups {
		cols[i] = m.helpColumn(g)
	}
	var block string
	for _, perRow := range []int{len(cols), 3, 2, 1} {
		block = gridLayout(cols, perRow)
		if lipgloss.Width(block)+4 <= m.width {
			break
		}
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

// gridLayout puts perRow columns side by side, row under row.
func gridLayout(cols []string, perRow int) string {
	gap := lipgloss.NewStyle().PaddingRight(2)
	var rows []string
	for i := 0; i < len(cols); i += perRow {
		row := cols[i:min(i+perRow, len(cols))]
		rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, padEach(gap, row)...))
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
