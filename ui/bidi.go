package ui

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/text/unicode/bidi"
)

// Most terminals do no bidi: they show the characters of a line left to
// right in the order they are written, so Arabic and Hebrew come out
// backwards. The reader therefore reorders each line it shows into visual
// order (the Unicode Bidirectional Algorithm, UAX #9), and right-aligns
// the lines of right-to-left paragraphs, at display time only: the store,
// the rendered document and search keep the logical order, and the lines
// are reordered after wrapping, each on its own.
//
// golang.org/x/text/unicode/bidi (v0.43.0) gives each character's bidi
// class, but its Paragraph.Order returns runs in logical order, folds the
// embedding levels into two directions (a number inside Arabic in an
// English line cannot be told from the English around it) and Line
// ignores the paragraph's direction; the levels themselves are not
// exported. The rules needed here are few, because the sanitiser removes
// the bidi embeddings, overrides and isolates from every feed (the
// Trojan-source defence): with no explicit embedding a line is a single
// run of the paragraph's level, and only the weak, neutral and implicit
// rules (W1–W7, N1–N2, I1–I2) and the reordering (L2, with mirrored
// brackets for L4) apply, with the pairs of brackets (N0).

// Bidi modes, the values of [reader] bidi in config.toml.
const (
	BidiAuto     = "auto"     // reorder unless the terminal is known to do bidi
	BidiTerminal = "terminal" // the terminal does bidi: lines stay in logical order
	BidiReorder  = "reorder"  // always reorder
)

// ReorderBidi reports whether the reader reorders right-to-left text for
// the bidi mode given, reading the environment with getenv for "auto".
// The terminals known to do bidi themselves by default, full-screen
// programs included, are mlterm (it sets $MLTERM) and mintty (its
// TERM_PROGRAM; its default Bidi=2 reorders the alternate screen too):
// reordering there as well would turn the text back. Konsole and VTE
// (GNOME Terminal) can do bidi too, but whether it is on cannot be read
// from the environment, so auto reorders there, and bidi = "terminal" is
// the way out for those who see their text backwards.
func ReorderBidi(mode string, getenv func(string) string) bool {
	switch mode {
	case BidiTerminal:
		return false
	case BidiReorder:
		return true
	}
	return getenv("MLTERM") == "" && getenv("TERM_PROGRAM") != "mintty"
}

// Line directions, computed when an article is rendered.
const (
	dirPlain uint8 = iota // left to right, nothing right-to-left in it
	dirMixed              // left-to-right paragraph with right-to-left text
	dirRTL                // a line of a right-to-left paragraph
)

// lineDirs gives each line of plain (rendered, unstyled) its direction.
// A paragraph, lines between blank lines, takes its direction from its
// first strong character, as UAX #9's P2 does for the unwrapped text: a
// wrapped line of Arabic that starts with an English word stays right to
// left.
func lineDirs(plain []string) []uint8 {
	dirs := make([]uint8, len(plain))
	for start := 0; start < len(plain); {
		end := start + 1
		for end < len(plain) && strings.TrimSpace(plain[end]) != "" && strings.TrimSpace(plain[end-1]) != "" {
			end++
		}
		rtl := false
		for _, l := range plain[start:end] {
			if d, ok := firstStrong(l); ok {
				rtl = d
				break
			}
		}
		for i := start; i < end; i++ {
			dirs[i] = lineDir(plain[i], rtl)
		}
		start = end
	}
	return dirs
}

// lineDir is the direction of one line of a paragraph.
func lineDir(plain string, rtl bool) uint8 {
	switch {
	case rtl:
		return dirRTL
	case hasRTL(plain):
		return dirMixed
	}
	return dirPlain
}

// textDir is the direction of a line that is a paragraph of its own, such
// as a title in the list.
func textDir(s string) uint8 {
	rtl, _ := firstStrong(s)
	return lineDir(s, rtl)
}

// firstStrong reports whether the first strong character of s is right to
// left; ok is false when s has none.
func firstStrong(s string) (rtl, ok bool) {
	for _, r := range s {
		if r < 'A' {
			continue
		}
		switch class(r) {
		case bidi.L:
			return false, true
		case bidi.R, bidi.AL:
			return true, true
		}
	}
	return false, false
}

// hasRTL reports whether s holds a right-to-left character or an Arabic
// digit, the only characters a left-to-right line is reordered for.
func hasRTL(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < utf8.RuneSelf {
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch class(r) {
		case bidi.R, bidi.AL, bidi.AN:
			return true
		}
		i += n - 1
	}
	return false
}

func class(r rune) bidi.Class {
	p, _ := bidi.LookupRune(r)
	return p.Class()
}

// cell is one grapheme cluster of a styled line with the styling it is
// shown in: reordering moves cells, so styles and links stay with their
// characters.
type cell struct {
	text  string
	style int32 // index in the line's styles
}

// cellStyle is the styling of cells: what is in force where they are.
type cellStyle struct {
	sgr  string // the SGR sequences in force since the last reset
	link string // the OSC 8 sequence that opened the link, or ""
}

// splitCells cuts a styled line into cells and the styles they refer to.
// Escape sequences other than SGR and OSC 8 are dropped: the program
// styles with those alone, and the frame filter would drop any other.
func splitCells(line string) ([]cell, []cellStyle) {
	cells := make([]cell, 0, len(line)/4) // styled lines hold more escapes than text
	styles := []cellStyle{{}}
	cur := cellStyle{}
	var state byte
	for len(line) > 0 {
		seq, _, n, newState := ansi.DecodeSequence(line, state, nil)
		state, line = newState, line[n:]
		switch {
		case seq == "":
		case seq[0] != ansi.ESC:
			if cur != styles[len(styles)-1] {
				styles = append(styles, cur)
			}
			cells = append(cells, cell{text: seq, style: int32(len(styles) - 1)})
		case strings.HasPrefix(seq, "\x1b[") && strings.HasSuffix(seq, "m"):
			cur.sgr = addSGR(cur.sgr, seq)
		case strings.HasPrefix(seq, "\x1b]8;"):
			cur.link = seq
			if hyperlinkTarget(seq) == "" {
				cur.link = "" // an empty target ends the link
			}
		}
	}
	return cells, styles
}

// hyperlinkTarget is the target of an OSC 8 sequence (ESC ] 8 ; params ;
// target ST).
func hyperlinkTarget(seq string) string {
	_, rest, _ := strings.Cut(seq[len("\x1b]8;"):], ";")
	return strings.TrimSuffix(strings.TrimSuffix(rest, "\x07"), "\x1b\\")
}

// addSGR adds an SGR sequence to those in force: a reset forgets them.
func addSGR(sgr, seq string) string {
	params := seq[2 : len(seq)-1]
	if params == "" || params == "0" {
		return ""
	}
	if strings.HasPrefix(params, "0;") {
		return seq
	}
	return sgr + seq
}

// joinCells writes cells back as a styled line, each cell in the styling
// and link it had.
func joinCells(styles []cellStyle, parts ...[]cell) string {
	var b strings.Builder
	var cur cellStyle
	for _, part := range parts {
		for _, c := range part {
			st := styles[c.style]
			if st.link != cur.link {
				if cur.link != "" {
					b.WriteString(ansi.ResetHyperlink())
				}
				b.WriteString(st.link)
			}
			if st.sgr != cur.sgr {
				if cur.sgr != "" {
					b.WriteString(ansi.ResetStyle)
				}
				b.WriteString(st.sgr)
			}
			cur = st
			b.WriteString(c.text)
		}
	}
	if cur.link != "" {
		b.WriteString(ansi.ResetHyperlink())
	}
	if cur.sgr != "" {
		b.WriteString(ansi.ResetStyle)
	}
	return b.String()
}

// visualLine returns a styled line in the order a terminal without bidi
// must show it. Its cells keep their styles; the spaces before and after
// its text stay, swapped for a right-to-left paragraph, so that its lines
// are right-aligned with the margins the left-to-right ones have. A line
// whose direction is dirPlain is returned as it is.
func visualLine(line string, dir uint8) string {
	if dir == dirPlain {
		return line
	}
	cells, styles := splitCells(line)
	lead := 0
	for lead < len(cells) && cells[lead].text == " " {
		lead++
	}
	trail := len(cells)
	for trail > lead && cells[trail-1].text == " " {
		trail--
	}
	content := cells[lead:trail]
	reorder(content, dir == dirRTL)
	if dir != dirRTL {
		return joinCells(styles, cells)
	}
	return joinCells(styles, cells[trail:], content, cells[:lead])
}

// reorder puts cells, one line's text in logical order, into visual
// order (UAX #9 L2), mirroring the brackets shown right to left (L4).
func reorder(cells []cell, rtl bool) {
	chars := make([]rune, len(cells))
	for i, c := range cells {
		chars[i], _ = utf8.DecodeRuneInString(c.text)
	}
	levels := resolveLevels(chars, rtl)
	for i := range cells {
		if levels[i]%2 == 1 {
			if m, ok := mirrors[cells[i].text]; ok {
				cells[i].text = m
			}
		}
	}
	var top uint8
	for _, l := range levels {
		top = max(top, l)
	}
	for lvl := top; lvl >= 1; lvl-- {
		for i := 0; i < len(cells); {
			if levels[i] < lvl {
				i++
				continue
			}
			j := i
			for j < len(cells) && levels[j] >= lvl {
				j++
			}
			reverseRun(cells[i:j], levels[i:j])
			i = j
		}
	}
}

func reverseRun(cells []cell, levels []uint8) {
	for i, j := 0, len(cells)-1; i < j; i, j = i+1, j-1 {
		cells[i], cells[j] = cells[j], cells[i]
		levels[i], levels[j] = levels[j], levels[i]
	}
}

// mirrors are the characters shown mirrored right to left (L4): a
// terminal without bidi draws the glyph as stored.
var mirrors = map[string]string{
	"(": ")", ")": "(", "[": "]", "]": "[", "{": "}", "}": "{",
	"<": ">", ">": "<", "«": "»", "»": "«", "‹": "›", "›": "‹",
}

// resolveLevels gives each character of one line (each cell's first code
// point) its embedding level: the paragraph's (0, or 1 when rtl) raised by
// the implicit rules. The line is one isolating run sequence whose ends
// take the paragraph's direction.
func resolveLevels(chars []rune, rtl bool) []uint8 {
	t := make([]bidi.Class, len(chars))
	for i, r := range chars {
		t[i] = class(r)
	}
	nsm := make([]bool, len(t)) // marks, which follow a bracket's direction in N0
	for i, c := range t {
		nsm[i] = c == bidi.NSM
	}
	e := bidi.L
	if rtl {
		e = bidi.R
	}
	resolveWeak(t, e)
	resolveBrackets(t, chars, nsm, e)
	resolveNeutral(t, e)
	levels := make([]uint8, len(t))
	for i, c := range t {
		switch {
		case !rtl && c == bidi.R:
			levels[i] = 1
		case !rtl && (c == bidi.EN || c == bidi.AN):
			levels[i] = 2
		case rtl && c == bidi.R:
			levels[i] = 1
		case rtl:
			levels[i] = 2 // L, EN, AN
		}
	}
	return levels
}

// resolveWeak applies the weak rules W1–W7 to t in place.
func resolveWeak(t []bidi.Class, e bidi.Class) {
	prev, strong := e, e
	for i, c := range t {
		if c == bidi.NSM { // W1
			c = prev
		}
		switch c {
		case bidi.L, bidi.R, bidi.AL:
			strong = c
		case bidi.EN:
			if strong == bidi.AL { // W2
				c = bidi.AN
			}
		}
		t[i], prev = c, c
	}
	for i, c := range t {
		if c == bidi.AL { // W3
			t[i] = bidi.R
		}
	}
	for i := 1; i+1 < len(t); i++ { // W4
		a, b := t[i-1], t[i+1]
		switch {
		case t[i] == bidi.ES && a == bidi.EN && b == bidi.EN,
			t[i] == bidi.CS && a == bidi.EN && b == bidi.EN:
			t[i] = bidi.EN
		case t[i] == bidi.CS && a == bidi.AN && b == bidi.AN:
			t[i] = bidi.AN
		}
	}
	resolveTerminators(t)
	strong = e
	for i, c := range t {
		switch c {
		case bidi.ES, bidi.ET, bidi.CS: // W6
			t[i] = bidi.ON
		case bidi.L, bidi.R:
			strong = c
		case bidi.EN:
			if strong == bidi.L { // W7
				t[i] = bidi.L
			}
		}
	}
}

// resolveTerminators applies W5: terminators (%, $, #…) next to a
// European number take its type.
func resolveTerminators(t []bidi.Class) {
	for i := 0; i < len(t); {
		if t[i] != bidi.ET {
			i++
			continue
		}
		j := i
		for j < len(t) && t[j] == bidi.ET {
			j++
		}
		if i > 0 && t[i-1] == bidi.EN || j < len(t) && t[j] == bidi.EN {
			for k := i; k < j; k++ {
				t[k] = bidi.EN
			}
		}
		i = j
	}
}

// brackets are the paired brackets N0 resolves (UAX #9 BD14, BD15), each
// opening one with its closing one: those a news line holds.
var brackets = map[rune]rune{'(': ')', '[': ']', '{': '}'}

// maxBracketDepth is BD16's bound on open brackets: past it, no more pairs.
const maxBracketDepth = 63

// bracketPairs finds the pairs of brackets of a line (BD16), in the order
// of their opening brackets.
func bracketPairs(t []bidi.Class, chars []rune) [][2]int {
	type open struct {
		closing rune
		at      int
	}
	var stack []open
	var pairs [][2]int
	for i, r := range chars {
		if t[i] != bidi.ON {
			continue
		}
		if c, ok := brackets[r]; ok {
			if len(stack) == maxBracketDepth {
				break
			}
			stack = append(stack, open{c, i})
			continue
		}
		for j := len(stack) - 1; j >= 0; j-- {
			if stack[j].closing == r {
				pairs = append(pairs, [2]int{stack[j].at, i})
				stack = stack[:j]
				break
			}
		}
	}
	slices.SortFunc(pairs, func(a, b [2]int) int { return a[0] - b[0] })
	return pairs
}

// resolveBrackets applies N0: a pair of brackets takes the direction of
// the text it holds when that is the paragraph's, else the direction of
// the text inside when the text before the pair has it too, else the
// paragraph's; marks after a bracket follow it.
func resolveBrackets(t []bidi.Class, chars []rune, nsm []bool, e bidi.Class) {
	for _, p := range bracketPairs(t, chars) {
		inside := bidi.ON // no strong type inside
		for _, c := range t[p[0]+1 : p[1]] {
			if s := strongOf(c); s == e {
				inside = e
				break
			} else if s != bidi.ON {
				inside = s
			}
		}
		dir := inside
		if inside == bidi.ON {
			continue
		}
		if inside != e {
			before := e
			for i := p[0] - 1; i >= 0; i-- {
				if s := strongOf(t[i]); s != bidi.ON {
					before = s
					break
				}
			}
			if before != inside {
				dir = e
			}
		}
		for _, at := range p {
			t[at] = dir
			for i := at + 1; i < len(t) && nsm[i]; i++ {
				t[i] = dir
			}
		}
	}
}

// strongOf is the direction a resolved type counts as for the neutral
// rules: numbers count as right to left; ON for a neutral.
func strongOf(c bidi.Class) bidi.Class {
	switch c {
	case bidi.L:
		return bidi.L
	case bidi.R, bidi.EN, bidi.AN:
		return bidi.R
	}
	return bidi.ON
}

// resolveNeutral applies N1 and N2: a run of neutrals between text of one
// direction (numbers counting as right to left) takes that direction, any
// other the paragraph's.
func resolveNeutral(t []bidi.Class, e bidi.Class) {
	for i := 0; i < len(t); {
		if !neutral(t[i]) {
			i++
			continue
		}
		j := i
		for j < len(t) && neutral(t[j]) {
			j++
		}
		before, after := e, e
		if i > 0 {
			before = strongOf(t[i-1])
		}
		if j < len(t) {
			after = strongOf(t[j])
		}
		dir := e
		if before == after {
			dir = before
		}
		for k := i; k < j; k++ {
			t[k] = dir
		}
		i = j
	}
}

// neutral reports whether c is left for the neutral rules: after the weak
// rules, anything but L, R, EN and AN.
func neutral(c bidi.Class) bool {
	switch c {
	case bidi.L, bidi.R, bidi.EN, bidi.AN:
		return false
	}
	return true
}
