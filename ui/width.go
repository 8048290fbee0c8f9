package ui

import (
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// A terminal measures text in one of two ways, and the reader must measure
// as its terminal does, or a line it thinks fits overflows and cuts the
// text beside it. A terminal that reports grapheme clustering (mode 2027,
// which Bubble Tea asks about and then turns on) shows a family emoji
// joined by ZWJs as one 2-cell character; any other (tmux 3.3, many more)
// measures each code point: the same family takes 6 cells. Bubble Tea's
// renderer follows the report; so does the model (Model.perCodepoint).
//
// Per code point, the panes are fitted by that measure (fitPane), and the
// text of feeds is first shown without what only a grapheme-clustering
// terminal joins (perCodepointText), so that an emoji sequence shows as
// its emoji side by side rather than being cut.

// onModeReport takes the terminal's answer about grapheme clustering, as
// Bubble Tea's renderer does: a terminal that knows the mode is put in it.
func (m *Model) onModeReport(msg tea.ModeReportMsg) {
	if msg.Mode != ansi.ModeUnicodeCore {
		return
	}
	switch msg.Value {
	case ansi.ModeSet, ansi.ModeReset, ansi.ModePermanentlySet:
		m.perCodepoint = false
	}
}

// fitPane makes every line exactly width cells as the terminal counts
// them; lines laid out by grapheme clusters already are, unless the
// terminal counts code points.
func (m Model) fitPane(lines []string, width int) []string {
	if !m.perCodepoint {
		return lines
	}
	for i, l := range lines {
		lines[i] = fitCodepoints(l, width)
	}
	return lines
}

func fitCodepoints(s string, width int) string {
	if !widthsMayDiffer(s) {
		return s // laid out per cluster, and every cluster is one code point
	}
	w := ansi.WcWidth.StringWidth(s)
	if w > width {
		s = truncateCodepoints(s, width)
		w = ansi.WcWidth.StringWidth(s)
	}
	if w < width {
		s += strings.Repeat(" ", width-w)
	}
	return s
}

// widthsMayDiffer reports whether s holds a character whose width per code
// point may differ from its width per cluster: an emoji, a joiner, a
// spacing mark of an Indic script. Most lines hold none (Latin, Greek,
// Cyrillic, Hebrew, Arabic, CJK, the program's box drawing), and frames
// are drawn at every key, so those are told apart without measuring.
func widthsMayDiffer(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r < 0x900, // to Arabic: combining marks are zero-width either way
			r >= 0x2010 && r <= 0x2027 && r != 0x200d,              // dashes, quotes, bullets
			r >= 0x2500 && r <= 0x259f,                             // box drawing, blocks
			r >= 0x3000 && r <= 0x9fff, r >= 0xac00 && r <= 0xd7a3, // CJK, Hangul
			r >= 0xff00 && r <= 0xff60:
		default:
			return true
		}
	}
	return false
}

// truncateCodepoints cuts s to width cells counted per code point. Its
// escape sequences are all kept, so the styles after the cut end as they
// would have. (ansi.WcWidth.Truncate counts a cluster by its first code
// point, so it can leave a line wider than its StringWidth allows.)
func truncateCodepoints(s string, width int) string {
	var b strings.Builder
	used := 0
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			n := escapeLen(s[i:])
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if w := ansi.WcWidth.StringWidth(string(r)); used+w <= width {
			b.WriteString(s[i : i+n])
			used += w
		} else {
			used = width + 1 // the line is full: no narrower rune may follow
		}
		i += n
	}
	return b.String()
}

// escapeLen is the length of the escape sequence at the start of s: a
// CSI to its final byte, an OSC to its terminator, else the ESC and the
// byte after it. The frame holds only the program's own sequences.
func escapeLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch s[1] {
	case '[':
		for j := 2; j < len(s); j++ {
			if s[j] >= 0x40 && s[j] <= 0x7e {
				return j + 1
			}
		}
	case ']':
		for j := 2; j < len(s); j++ {
			if s[j] == 0x07 {
				return j + 1
			}
			if s[j] == 0x1b && j+1 < len(s) && s[j+1] == '\\' {
				return j + 2
			}
		}
	default:
		return 2
	}
	return len(s)
}

// perCodepointText drops the code points that only join or restyle other
// characters in a grapheme-clustering terminal: zero width joiners,
// variation selectors, skin tone modifiers and the keycap mark. What is
// left measures the same per code point as per cluster: a ZWJ family
// becomes its people side by side, a red heart the plain one.
func perCodepointText(s string) string {
	if strings.IndexFunc(s, joinsOnlyInClusters) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if joinsOnlyInClusters(r) {
			return -1
		}
		return r
	}, s)
}

func joinsOnlyInClusters(r rune) bool {
	return r == 0x200d || r == 0xfe0e || r == 0xfe0f || r == 0x20e3 || r >= 0x1f3fb && r <= 0x1f3ff
}

// shown is feed text as this terminal can show it: per code point, without
// what only grapheme clustering joins.
func (m Model) shown(s string) string {
	if m.perCodepoint {
		return perCodepointText(s)
	}
	return s
}
