package ui

import (
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/text/unicode/bidi"

	"tidings/articles/articlestest"
)

// rev reverses s by code point: how a run of Arabic or Hebrew letters,
// stored in reading order, must be sent to a terminal without bidi.
func rev(s string) string {
	r := []rune(s)
	slices.Reverse(r)
	return string(r)
}

// TestVisualLineOrder: mixed lines come out in the order UAX #9 shows
// them: digits and English keep their order inside right-to-left text, and
// right-to-left words inside an English line are turned around on their own.
func TestVisualLineOrder(t *testing.T) {
	for _, tc := range []struct {
		name, logical string
		dir           uint8
		want          string
	}{
		{"arabic, a number and a link", "العدد 123 في https://example.org", dirRTL,
			"https://example.org " + rev("في") + " 123 " + rev("العدد")},
		{"hebrew with english words and a year", "שלום world 2024 עולם", dirRTL,
			rev("עולם") + " world 2024 " + rev("שלום")},
		{"hebrew word in english", "The word שלום means peace", dirMixed,
			"The word " + rev("שלום") + " means peace"},
		{"arabic and its number in english", "see العدد 123 here", dirMixed,
			"see 123 " + rev("العدد") + " here"},
		{"arabic-indic digits keep their order", "العدد ١٢٣ هنا", dirRTL,
			rev("هنا") + " ١٢٣ " + rev("العدد")},
		{"brackets mirrored, percent after a hebrew number", "(שלום) 5%", dirRTL, "5% (" + rev("שלום") + ")"},
		// After Arabic letters a number is an Arabic number (W2), which
		// takes no terminator: the sign is shown on its left.
		{"percent after an arabic number", "(مرحبا) 5%", dirRTL, "%5 (" + rev("مرحبا") + ")"},
		{"english paragraph untouched", "plain (text) 42", dirPlain, "plain (text) 42"},
		// UAX #9's example of N0, "AB(CD[&ef]!)gh" shown "gh(![ef&]DC)BA",
		// with Hebrew letters for its capitals.
		{"paired brackets (N0)", "אב(גד[&ef]!)gh", dirRTL, "gh(![ef&]דג)בא"},
		// Marks stay after the letters they are on: whole clusters move.
		{"arabic with its vowel marks", "مَرْحَبًا بك", dirRTL, "كب " + "ا" + "بً" + "حَ" + "رْ" + "مَ"},
		{"hebrew points", "שָׁלוֹם ok", dirRTL, "ok " + "ם" + "וֹ" + "ל" + "שָׁ"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := visualLine(tc.logical, tc.dir); got != tc.want {
				t.Errorf("visualLine(%q)\n got %q\nwant %q", tc.logical, got, tc.want)
			}
		})
	}
}

// TestVisualLineRightAligns: a right-to-left line keeps its margins,
// swapped, so that it ends where left-to-right lines begin.
func TestVisualLineRightAligns(t *testing.T) {
	got := visualLine("  שלום עולם     ", dirRTL)
	want := "     " + rev("עולם") + " " + rev("שלום") + "  "
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if ansi.StringWidth(got) != 16 {
		t.Errorf("width %d, want 16", ansi.StringWidth(got))
	}
}

// TestVisualLineKeepsStyles: each character keeps its SGR styling and its
// hyperlink wherever it moves, and the link's OSC 8 stays around its text.
func TestVisualLineKeepsStyles(t *testing.T) {
	const link = "\x1b]8;;https://example.org/a\x07"
	line := "\x1b[1mשלום\x1b[0m " + link + "world\x1b]8;;\x07 end"
	got := visualLine(line, dirRTL)
	if plain := ansi.Strip(got); plain != "world end "+rev("שלום") {
		t.Fatalf("text %q", plain)
	}
	bold := strings.Index(got, "\x1b[1m")
	if bold < 0 || !strings.HasPrefix(got[bold+len("\x1b[1m"):], rev("שלום")+"\x1b[m") {
		t.Errorf("bold does not hold exactly the Hebrew word: %q", got)
	}
	if !strings.HasPrefix(got, link+"world"+ansi.ResetHyperlink()+" end") {
		t.Errorf("the link does not surround its text: %q", got)
	}
	if strings.Count(got, "\x1b]8;;\x07") != 1 {
		t.Errorf("the link is not closed once: %q", got)
	}
}

// TestLineDirs: a paragraph takes the direction of its first strong
// character, so that its wrapped lines all read one way.
func TestLineDirs(t *testing.T) {
	plain := []string{
		"  العدد 123 في",
		"  Google والشركات",
		"",
		"  An English line",
		"  with one שלום",
		"",
		"  ───",
	}
	got := lineDirs(plain)
	want := []uint8{dirRTL, dirRTL, dirPlain, dirPlain, dirMixed, dirPlain, dirPlain}
	if !slices.Equal(got, want) {
		t.Errorf("lineDirs = %v, want %v", got, want)
	}
}

// TestReorderBidi: the setting, and auto's reading of the environment.
func TestReorderBidi(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, tc := range []struct {
		mode string
		env  func(string) string
		want bool
	}{
		{BidiAuto, env(), true},
		{"", env("TERM_PROGRAM", "iTerm.app"), true},
		{BidiAuto, env("MLTERM", "3.9.3"), false},
		{BidiAuto, env("TERM_PROGRAM", "mintty"), false},
		{BidiTerminal, env(), false},
		{BidiReorder, env("MLTERM", "3.9.3"), true},
	} {
		if got := ReorderBidi(tc.mode, tc.env); got != tc.want {
			t.Errorf("ReorderBidi(%q) = %v, want %v", tc.mode, got, tc.want)
		}
	}
}

// TestVisualLineOnlyMoves: whatever the mix of scripts, digits, marks,
// punctuation, styles and links, reordering only moves characters (and
// mirrors brackets): it adds none, bidi controls least of all, and the
// line keeps its width.
func TestVisualLineOnlyMoves(t *testing.T) {
	parts := []string{"שלום", "العدد", "world", "123", "١٢٣", " ", " ", ".", ",", "(", ")", "%", "$", "-", "+", ":", "/",
		"\u200f", "\u200e", "\u061c", "مَ", "é", "世界", "\x1b[1m", "\x1b[m", "\x1b[38;5;30;4m",
		"\x1b]8;;https://example.org/a\x07", "\x1b]8;;\x07"}
	rng := rand.New(rand.NewPCG(13, 6))
	for range 2000 {
		var b strings.Builder
		for range rng.IntN(20) {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		line := b.String()
		for _, dir := range []uint8{dirMixed, dirRTL} {
			got := visualLine(line, dir)
			if what, bad := articlestest.UnsafeInFrame(got); bad {
				t.Fatalf("visualLine(%q) = %q holds %q", line, got, what)
			}
			if ansi.StringWidth(got) != ansi.StringWidth(line) {
				t.Fatalf("visualLine(%q) = %q: width %d, want %d", line, got, ansi.StringWidth(got), ansi.StringWidth(line))
			}
			if a, b := runeCounts(ansi.Strip(line)), runeCounts(ansi.Strip(got)); !maps.Equal(a, b) {
				t.Fatalf("visualLine(%q) = %q: characters %v, want %v", line, got, b, a)
			}
		}
	}
}

// runeCounts counts the characters of s, a bracket and its mirror as one.
func runeCounts(s string) map[rune]int {
	n := map[rune]int{}
	for _, r := range s {
		if m, ok := mirrors[string(r)]; ok && m < string(r) {
			r = []rune(m)[0]
		}
		n[r]++
	}
	return n
}

// TestResolveLevelsAgreesWithXText compares the direction resolveLevels
// gives each character with the runs of x/text's Paragraph.Order, which
// implements the rest of the algorithm, over generated lines of strong,
// weak and neutral characters (no spaces at the ends, which L1 resets and
// the reader strips). Brackets are left out: x/text's Paragraph (v0.43.0)
// never pairs them, as it compares an opening bracket's code point with
// the closing one's, so its N0 does nothing; TestVisualLineOrder checks
// N0 against UAX #9's own example.
func TestResolveLevelsAgreesWithXText(t *testing.T) {
	parts := []string{"ש", "ل", "a", "1", "٣", "۴", " ", ".", ",", ":", "/", "%", "$", "-", "+", "#", "!", "\u200f", "\u200e", "\u061c", "\u064e", "\u05b8", "€"}
	rng := rand.New(rand.NewPCG(6, 13))
	for range 5000 {
		var b strings.Builder
		for range 1 + rng.IntN(16) {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		s := strings.TrimSpace(b.String())
		if s == "" {
			continue
		}
		var p bidi.Paragraph
		p.SetString(s)
		o, err := p.Order()
		if err != nil {
			t.Fatal(err)
		}
		want := make([]bool, 0, len(s))
		for i := range o.NumRuns() {
			r := o.Run(i)
			for range []rune(r.String()) {
				want = append(want, r.Direction() == bidi.RightToLeft)
			}
		}
		runes := []rune(s)
		rtl, _ := firstStrong(s)
		levels := resolveLevels(runes, rtl)
		for i := range runes {
			if levels[i]%2 == 1 != want[i] {
				t.Fatalf("%q (%U): character %d (%U) at level %d, x/text says right to left: %v", s, runes, i, runes[i], levels[i], want[i])
			}
		}
	}
}
