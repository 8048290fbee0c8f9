package ui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// Styles holds every style of the reader, built from one fact: whether the
// terminal background is dark. The program rebuilds them when the terminal
// reports its background colour.
type Styles struct {
	Badge    lipgloss.Style // the program name in the top bar
	TopBar   lipgloss.Style
	Status   lipgloss.Style // the status line
	Message  lipgloss.Style // a transient message in the status line
	Error    lipgloss.Style
	Faint    lipgloss.Style
	Prompt   lipgloss.Style // the "/" of the search line
	Cursor   lipgloss.Style // the search line's cursor
	Border   lipgloss.Style // the line between the panes
	Row      lipgloss.Style
	Selected lipgloss.Style // the selected row
	Blurred  lipgloss.Style // the selected row while the reader has focus
	Bar      lipgloss.Style // the selection bar at the left of a row
	Unread   lipgloss.Style
	Star     lipgloss.Style
	Match    lipgloss.Style // a search match in a row or the article
	Title    lipgloss.Style // the article title in the reader header
	Meta     lipgloss.Style // source, author and date in the header
	Link     lipgloss.Style
	HelpKey  lipgloss.Style
	HelpDesc lipgloss.Style
	HelpBox  lipgloss.Style

	// rows holds what a list row of each kind needs, rendered once here
	// rather than for every row of every frame.
	rows [3]rowStyle
}

type rowKind int

const (
	rowNormal rowKind = iota
	rowSelected
	rowBlurred // selected, while the reader has focus
)

type rowStyle struct {
	bar, dot, star, blank string // the selection bar, the unread dot, the star, a space
	text, faint           lipgloss.Style
}

func newRowStyle(s Styles, base lipgloss.Style, selected bool) rowStyle {
	bar := " "
	if selected {
		bar = s.Bar.Render("▌")
	}
	return rowStyle{
		bar:   bar,
		dot:   s.Unread.Inherit(base).Render("•"),
		star:  s.Star.Inherit(base).Render("★"),
		blank: base.Render(" "),
		text:  base,
		faint: s.Faint.Inherit(base),
	}
}

// NewStyles returns the default theme's styles for a dark or a light
// background.
func NewStyles(isDark bool) Styles { return DefaultTheme().Styles(isDark) }

// Styles returns the theme's styles for a dark or a light background.
func (t Theme) Styles(isDark bool) Styles {
	p := t.Palette
	pick := func(c ColorPair) color.Color {
		if isDark {
			return toColor(c.Dark)
		}
		return toColor(c.Light)
	}
	var (
		accent   = pick(p.Accent)
		text     = pick(p.Text)
		title    = pick(p.Title)
		subtle   = pick(p.Subtle)
		line     = pick(p.Border)
		selBg    = pick(p.Selection)
		blurBg   = pick(p.SelectionBlurred)
		matchFg  = pick(p.HighlightText)
		matchBg  = pick(p.Highlight)
		errColor = pick(p.Error)
		statusBg = pick(p.Status)
	)
	s := Styles{
		Badge:    lipgloss.NewStyle().Bold(true).Foreground(pick(p.BadgeText)).Background(pick(p.Badge)).Padding(0, 1),
		TopBar:   lipgloss.NewStyle().Foreground(subtle),
		Status:   lipgloss.NewStyle().Foreground(subtle).Background(statusBg),
		Message:  lipgloss.NewStyle().Foreground(text).Background(statusBg),
		Error:    lipgloss.NewStyle().Foreground(errColor).Background(statusBg),
		Faint:    lipgloss.NewStyle().Foreground(subtle),
		Prompt:   lipgloss.NewStyle().Foreground(accent).Background(statusBg).Bold(true),
		Cursor:   lipgloss.NewStyle().Reverse(true),
		Border:   lipgloss.NewStyle().Foreground(line),
		Row:      lipgloss.NewStyle().Foreground(text),
		Selected: lipgloss.NewStyle().Foreground(text).Background(selBg).Bold(true),
		Blurred:  lipgloss.NewStyle().Foreground(text).Background(blurBg),
		Bar:      lipgloss.NewStyle().Foreground(accent),
		Unread:   lipgloss.NewStyle().Foreground(accent),
		Star:     lipgloss.NewStyle().Foreground(pick(p.Star)),
		Match:    lipgloss.NewStyle().Foreground(matchFg).Background(matchBg),
		Title:    lipgloss.NewStyle().Foreground(title).Bold(true),
		Meta:     lipgloss.NewStyle().Foreground(subtle),
		Link:     lipgloss.NewStyle().Foreground(accent).Underline(true),
		HelpKey:  lipgloss.NewStyle().Foreground(accent).Bold(true),
		HelpDesc: lipgloss.NewStyle().Foreground(text),
		HelpBox:  lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(line).Padding(0, 1),
	}
	s.rows = [3]rowStyle{
		rowNormal:   newRowStyle(s, s.Row, false),
		rowSelected: newRowStyle(s, s.Selected, true),
		rowBlurred:  newRowStyle(s, s.Blurred, true),
	}
	return s
}
