package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"tidings/articles"
)

// age is how long ago t was, in the list's short form: "now", "5m", "3h",
// "2d", "4mo", "2y". Unknown times have no age.
func age(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d/time.Hour))
	case d < 60*24*time.Hour:
		return fmt.Sprintf("%dd", int(d/(24*time.Hour)))
	case d < 365*24*time.Hour:
		return fmt.Sprintf("%dmo", int(d/(30*24*time.Hour)))
	}
	return fmt.Sprintf("%dy", int(d/(365*24*time.Hour)))
}

// matchRanges returns the cells of s, plain text, that match a search:
// the start of every word that begins with one of terms, and every place
// a term found inside words occurs (a CJK word, an emoji: see
// articles.MatchesInside). Words are split as articles.Words splits them.
func matchRanges(s string, terms []string, style lipgloss.Style) []lipgloss.Range {
	if len(terms) == 0 {
		return nil
	}
	ranges := wordStartRanges(s, terms, style)
	inside := insideRanges(s, terms, style)
	if len(inside) == 0 {
		return ranges
	}
	for _, r := range inside {
		if !slices.ContainsFunc(ranges, func(o lipgloss.Range) bool { return o.Start < r.End && r.Start < o.End }) {
			ranges = append(ranges, r)
		}
	}
	slices.SortFunc(ranges, func(a, b lipgloss.Range) int { return a.Start - b.Start })
	return ranges
}

// insideRanges returns the cells of every occurrence in s of the terms
// that are found inside words.
func insideRanges(s string, terms []string, style lipgloss.Style) []lipgloss.Range {
	var ranges []lipgloss.Range
	for _, t := range terms {
		if t == "" || !articles.MatchesInside(t) {
			continue
		}
		for from := 0; ; {
			i := strings.Index(s[from:], t)
			if i < 0 {
				break
			}
			start := ansi.StringWidth(s[:from+i])
			ranges = append(ranges, lipgloss.NewRange(start, start+ansi.StringWidth(t), style))
			from += i + len(t)
		}
	}
	return ranges
}

// wordStartRanges returns the cells of the starts of words that begin
// with one of terms.
func wordStartRanges(s string, terms []string, style lipgloss.Style) []lipgloss.Range {
	var ranges []lipgloss.Range
	cell, start, startCell := 0, -1, 0
	flush := func(end int) {
		if start < 0 {
			return
		}
		word := strings.ToLower(s[start:end])
		if n := longestPrefix(word, terms); n > 0 {
			w := ansi.StringWidth(s[start : start+prefixBytes(s[start:end], n)])
			ranges = append(ranges, lipgloss.NewRange(startCell, startCell+w, style))
		}
		start = -1
	}
	for i, r := range s {
		if articles.IsWordRune(r) {
			if start < 0 {
				start, startCell = i, cell
			}
		} else {
			flush(i)
		}
		cell += ansi.StringWidth(string(r))
	}
	flush(len(s))
	return ranges
}

// longestPrefix returns how many runes of word the longest matching term
// covers, 0 when none matches.
func longestPrefix(word string, terms []string) int {
	best := 0
	for _, t := range terms {
		if strings.HasPrefix(word, t) {
			best = max(best, len([]rune(t)))
		}
	}
	return best
}

// prefixBytes returns the length in bytes of the first n runes of s.
func prefixBytes(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// matchLines returns the numbers of the lines that hold a match.
func matchLines(plain []string, terms []string) []int {
	var out []int
	for i, l := range plain {
		if len(matchRanges(l, terms, lipgloss.Style{})) > 0 {
			out = append(out, i)
		}
	}
	return out
}

// fit cuts s to width cells and pads it with spaces to exactly width.
func fit(s string, width int) string {
	if width <= 0 {
		return ""
	}
	w := ansi.StringWidth(s)
	if w > width {
		s = ansi.Truncate(s, width, "")
		w = ansi.StringWidth(s)
	}
	if w < width {
		s += strings.Repeat(" ", width-w)
	}
	return s
}

// fitLines makes exactly height lines of exactly width cells.
func fitLines(lines []string, width, height int) []string {
	out := make([]string, height)
	for i := range out {
		if i < len(lines) {
			out[i] = fit(lines[i], width)
		} else {
			out[i] = fit("", width)
		}
	}
	return out
}
