package ui

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"tidings/articles"
)

// findModel is the search inside the open article: what is typed, where
// it occurs in the rendered lines and which occurrence is current. It
// lives in the reader's state, so another article starts without one.
type findModel struct {
	editing bool
	input   string
	query   []rune // input, lower-cased: what is looked for
	matches []findMatch
	hit     int // index in matches of the current one, or -1
	origin  int // the top line when the search began: typing searches from there
	// width and lines identify the rendering matches were found in; a new
	// rendering (another width) is searched again.
	width, lines int
}

// findMatch is one occurrence: bytes start to end of plain line line.
type findMatch struct{ line, start, end int }

func (f findModel) active() bool { return len(f.query) > 0 }

// startFind opens the search line of the article on the search in force.
func (m *Model) startFind() {
	f := &m.reader.find
	f.editing = true
	if !f.active() {
		f.origin, f.hit = m.reader.yoff, -1
	}
}

func (m *Model) handleFindKey(msg tea.KeyPressMsg) tea.Cmd {
	k, f := m.keys, &m.reader.find
	switch {
	case key.Matches(msg, k.SearchKeep):
		f.editing = false
		if !f.active() {
			m.reader.find = findModel{hit: -1}
		}
	case key.Matches(msg, k.SearchClear):
		m.reader.find = findModel{hit: -1}
	case key.Matches(msg, k.Down) && msg.Text == "": // the arrow, not a typed j
		m.jumpFind(1)
	case key.Matches(msg, k.Up) && msg.Text == "":
		m.jumpFind(-1)
	case key.Matches(msg, k.SearchDeleteInput):
		m.setFind("")
	case key.Matches(msg, k.SearchDeleteWord):
		m.setFind(deleteWord(f.input))
	case msg.Code == tea.KeyBackspace:
		_, size := utf8.DecodeLastRuneInString(f.input)
		m.setFind(f.input[:len(f.input)-size])
	case msg.Text != "" && msg.Mod&^tea.ModShift == 0:
		m.setFind(f.input + msg.Text)
	}
	return nil
}

// setFind searches the article for input as it is typed, and shows the
// first match from where the search began.
func (m *Model) setFind(input string) {
	f := &m.reader.find
	f.input = input
	f.query = []rune(lowerRunes(input))
	f.width, f.lines = -1, -1 // search again
	m.syncFind()
	f.hit = -1
	if len(f.matches) == 0 {
		return
	}
	m.goToMatch(firstMatchFrom(f.matches, f.origin))
}

// syncFind finds the matches again when the rendering changed (the
// article arrived, or was rendered at a new width).
func (m *Model) syncFind() {
	f := &m.reader.find
	doc := m.readerDoc()
	if !f.active() || f.width == doc.width && f.lines == len(doc.plain) {
		return
	}
	f.matches = findMatches(doc.plain, f.query)
	f.width, f.lines = doc.width, len(doc.plain)
	if f.hit >= len(f.matches) {
		f.hit = -1
	}
}

// jumpFind goes to the next (dir 1) or previous (dir -1) match after the
// current one, or from the top line when there is none, wrapping around.
func (m *Model) jumpFind(dir int) {
	f := &m.reader.find
	if len(f.matches) == 0 {
		m.status = statusMessage{text: fmt.Sprintf("No match for “%s” in this article", f.input)}
		return
	}
	i := f.hit + dir
	if f.hit < 0 {
		i = firstMatchFrom(f.matches, m.reader.yoff)
		if dir < 0 {
			i--
		}
	}
	m.goToMatch((i + len(f.matches)) % len(f.matches))
}

// goToMatch makes match i current, scrolling the reader to it when it is
// not on screen.
func (m *Model) goToMatch(i int) {
	f := m.reader.find
	line, h := f.matches[i].line, m.bodyHeight()
	if line < m.reader.yoff || line >= m.reader.yoff+h {
		m.reader.scrollTo(m.readerDoc(), h, line-2)
	}
	m.reader.find.hit = i
}

// firstMatchFrom returns the index of the first match on line top or
// below, or 0 when there is none below: the search wraps.
func firstMatchFrom(matches []findMatch, top int) int {
	for i, mt := range matches {
		if mt.line >= top {
			return i
		}
	}
	return 0
}

// findMatches returns every occurrence of query in lines, ignoring case,
// in order.
func findMatches(lines []string, query []rune) []findMatch {
	var out []findMatch
	for i, l := range lines {
		for from := 0; from < len(l); {
			start, end := indexFold(l[from:], query)
			if start < 0 {
				break
			}
			out = append(out, findMatch{line: i, start: from + start, end: from + end})
			from += end
		}
	}
	return out
}

// indexFold returns the bytes of the first occurrence of query (lower
// case) in s, ignoring case, or -1. Each rune is compared lower-cased, so
// that offsets stay offsets of s whatever lower-casing does to lengths.
func indexFold(s string, query []rune) (start, end int) {
	if len(query) == 0 {
		return -1, -1
	}
	for i, r := range s {
		if unicode.ToLower(r) != query[0] {
			continue
		}
		if n := prefixFold(s[i:], query); n > 0 {
			return i, i + n
		}
	}
	return -1, -1
}

// prefixFold returns the length in bytes of the start of s that matches
// query, ignoring case, or 0.
func prefixFold(s string, query []rune) int {
	j := 0
	for k, r := range s {
		if unicode.ToLower(r) != query[j] {
			return 0
		}
		j++
		if j == len(query) {
			return k + utf8.RuneLen(r)
		}
	}
	return 0
}

func lowerRunes(s string) string {
	out := []rune(s)
	for i, r := range out {
		out[i] = unicode.ToLower(r)
	}
	return string(out)
}

// findRanges returns the cells of the matches on line i of doc, the
// current one underlined. They are found again in the line shown, so a
// rendering at another width, shown while the new one is on its way,
// is marked right too.
func (m Model) findRanges(doc document, i int) []lipgloss.Range {
	f := m.reader.find
	var current findMatch
	if f.hit >= 0 && f.hit < len(f.matches) && f.width == doc.width {
		current = f.matches[f.hit]
	}
	plain := doc.plain[i]
	var ranges []lipgloss.Range
	cell, done := 0, 0 // cells of plain[:done]
	for _, mt := range findMatches([]string{plain}, f.query) {
		start := cell + ansi.StringWidth(plain[done:mt.start])
		end := start + ansi.StringWidth(plain[mt.start:mt.end])
		style := m.styles.Match
		if current.line == i && current.start == mt.start && current.end > 0 {
			style = style.Underline(true)
		}
		ranges = append(ranges, lipgloss.NewRange(start, end, style))
		cell, done = end, mt.end
	}
	return ranges
}

// findStatus says where the search of the article stands: "match 2 of 9".
func (f findModel) status() string {
	switch {
	case !f.active():
		return ""
	case len(f.matches) == 0:
		return "no match"
	case f.hit < 0:
		return articles.Count(len(f.matches), "match")
	}
	return fmt.Sprintf("match %d of %d", f.hit+1, len(f.matches))
}

// findKept is the status line while a search of the article is kept:
// “harbour” match 2 of 9 · n next · N previous · esc clears.
func (m Model) findKept() string {
	f, k := m.reader.find, m.keys
	return fmt.Sprintf(" “%s” %s · %s next · %s previous · %s clears", f.input, f.status(),
		key1(k.NextMatch), key1(k.PrevMatch), key1(k.SearchClear))
}
