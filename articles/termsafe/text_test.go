package termsafe

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// Escape sequences go with their payload.
		{"plain ESC", "a\x1bb", "a"},
		{"lone ESC at end", "abc\x1b", "abc"},
		{"ESC before newline", "a\x1b\nb", "a\nb"},
		{"ESC before non-ASCII", "a\x1bé", "aé"},
		{"two-byte escape", "a\x1bcb", "ab"},
		{"charset escape", "a\x1b(Bb", "ab"},
		{"CSI colour", "\x1b[31mred\x1b[0m", "red"},
		{"CSI cursor movement", "x\x1b[10;20Hy\x1b[2Az\x1b[?25l", "xyz"},
		{"CSI clear screen", "\x1b[2Jtext", "text"},
		{"CSI with intermediate", "a\x1b[2 qb", "ab"},
		{"CSI aborted by newline", "a\x1b[31\nb", "a\nb"},
		{"CSI unterminated", "a\x1b[31;", "a"},
		{"OSC 52 clipboard", "a\x1b]52;c;aGVsbG8=\x07b", "ab"},
		{"OSC 8 hyperlink", "\x1b]8;;http://evil\x1b\\text\x1b]8;;\x1b\\", "text"},
		{"OSC 0 title BEL", "a\x1b]0;pwned\x07b", "ab"},
		{"OSC 0 title ST", "a\x1b]0;pwned\x1b\\b", "ab"},
		{"OSC 8-bit ST", "a\x1b]0;pwned\u009cb", "ab"},
		{"OSC unterminated", "a\x1b]0;pwned and the rest", "a"},
		{"OSC aborted by CSI", "a\x1b]0;t\x1b[0mb", "ab"},
		{"DCS sixel", "a\x1bPq#0;2;0;0;0#0~~@@vv@@~~@@~~$-\x1b\\b", "ab"},
		{"APC", "a\x1b_Gf=100;AAAA\x1b\\b", "ab"},
		{"PM", "a\x1b^private\x1b\\b", "ab"},
		{"SOS", "a\x1bXstring\x1b\\b", "ab"},
		{"C1 CSI rune", "a\u009b31mb", "ab"},
		{"C1 OSC rune", "a\u009d0;title\u0007b", "ab"},
		{"C1 DCS rune", "a\u0090q#0\u009cb", "ab"},
		{"C1 SOS PM APC runes", "a\u0098x\x07b\u009ey\x07c\u009fz\x07d", "abcd"},
		{"other C1 rune", "a\u0085b\u0084c", "abc"},
		{"raw C1 byte is invalid UTF-8", "\x9b", "\uFFFD"},
		{"raw C1 CSI is not a sequence", "\x9b31m", "\uFFFD31m"},

		// Lone controls.
		{"NUL", "a\x00b", "ab"},
		{"BEL", "a\x07b", "ab"},
		{"backspace", "abc\b\b\bxyz", "abcxyz"},
		{"DEL", "a\x7fb", "ab"},
		{"vertical tab form feed", "a\vb\fc", "abc"},
		{"CRLF", "a\r\nb\r\n", "a\nb\n"},
		{"lone CR", "a\rb\r", "a\nb\n"},
		{"CR CR LF", "a\r\r\nb", "a\n\nb"},
		{"bidi override", "file\u202Eevil\u202Ctxt", "fileeviltxt"},
		{"bidi embeddings", "\u202Aa\u202Bb\u202Dc", "abc"},
		{"bidi isolates", "\u2066a\u2067b\u2068c\u2069", "abc"},

		// Invalid UTF-8 is repaired, not dropped.
		{"invalid byte", "a\xffb", "a\uFFFDb"},
		{"truncated rune", "a\xe6\x96", "a\uFFFD\uFFFD"},
		{"overlong", "\xc0\xaf", "\uFFFD\uFFFD"},

		// Kept exactly.
		{"empty", "", ""},
		{"markdown heading", "# title", "# title"},
		{"markdown bold", "**x**", "**x**"},
		{"backticks", "`code`", "`code`"},
		{"CJK", "新闻", "新闻"},
		{"emoji ZWJ", "👩\u200d👩\u200d👧", "👩\u200d👩\u200d👧"},
		{"combining", "e\u0301", "e\u0301"},
		{"Arabic", "مرحبا بالعالم", "مرحبا بالعالم"},
		{"Hebrew", "שלום עולם", "שלום עולם"},
		{"bidi marks", "a\u200eb\u200fc", "a\u200eb\u200fc"},
		{"tabs and newlines", "a\tb\nc\n\n\td", "a\tb\nc\n\n\td"},
		{"replacement char", "a\uFFFDb", "a\uFFFDb"},
		{"brackets without ESC", "[31m] P X ^ _ \\", "[31m] P X ^ _ \\"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLine(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Hello world", "Hello world"},
		{"empty", "", ""},
		{"only spaces", " \t\n ", ""},
		{"trimmed", "  title  ", "title"},
		{"newlines", "a\nb\n\nc", "a b c"},
		{"tabs", "a\t\tb", "a b"},
		{"CR", "a\r\nb\rc", "a b c"},
		{"NBSP", "a\u00a0\u00a0b", "a b"},
		{"line and paragraph separators", "a\u2028b\u2029c", "a b c"},
		{"ideographic space", "新\u3000闻", "新 闻"},
		{"mixed run", "a \t\u00a0\n b", "a b"},
		{"escape inside", "\x1b[1mBreaking\x1b[0m:\x1b]0;x\x07 news", "Breaking: news"},
		{"escape between words", "a \x1b[31m b", "a b"},
		{"link with OSC 8", "\x1b]8;;http://evil\x1b\\http://good\x1b]8;;\x1b\\", "http://good"},
		{"bidi removed", "\u202Egnp.exe\u202C", "gnp.exe"},
		{"zero-width joiner kept", " 👩\u200d👧 ", "👩\u200d👧"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Line(tt.in); got != tt.want {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestTextCleanNoAlloc checks the fast path: a clean string comes back
// as it is, without a copy.
func TestTextCleanNoAlloc(t *testing.T) {
	s := benchText(false)
	allocs := testing.AllocsPerRun(100, func() {
		if Text(s) != s || Line("a clean title") != "a clean title" {
			t.Fatal("clean string changed")
		}
	})
	if allocs != 0 {
		t.Errorf("clean string: %v allocations, want 0", allocs)
	}
}

// TestTextRandom feeds Text strings built from the bytes that make
// up escape sequences and checks the invariants on every output.
func TestTextRandom(t *testing.T) {
	pieces := []string{
		"\x1b", "[", "]", "\\", "P", "X", "^", "_", "(", ";", "0", "9", "m", "H",
		"\x07", "\x9b", "\u009b", "\u009d", "\u009c", "\u0090", "\xc2",
		"\x00", "\x08", "\r", "\n", "\t", "\x7f", " ", "\u00a0",
		"a", "b", "Z", "é", "新", "\u202e", "\u2066", "\u200d", "\xff",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for range 5000 {
		b.Reset()
		for range rng.IntN(40) {
			if rng.IntN(8) == 0 {
				b.WriteByte(byte(rng.IntN(256))) // any byte at all
			} else {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
		}
		checkSanitized(t, b.String())
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{
		"",
		"plain text",
		"\x1b[31mred\x1b[0m",
		"\x1b]8;;http://evil\x1b\\text\x1b]8;;\x1b\\",
		"\x1b]52;c;aGVsbG8=\x07",
		"\x1bPq#0~~\x1b\\",
		"\u009b31m\u009d0;t\u009c",
		"a\r\nb\rc\x00\x7f\x9b\xff",
		"\u202eevil\u202c\u2066x\u2069",
		"# title **x** `code` 新闻 👩\u200d👩\u200d👧 e\u0301",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkSanitized(t, s)
	})
}

// checkSanitized checks what Text and Line promise for any input.
func checkSanitized(t *testing.T, in string) {
	t.Helper()
	out := Text(in)
	checkSafe(t, in, out)
	if again := Text(out); again != out {
		t.Errorf("Text not idempotent on %q: %q then %q", in, out, again)
	}

	line := Line(in)
	checkSafe(t, in, line)
	if strings.TrimSpace(line) != line || strings.Contains(line, "  ") {
		t.Errorf("Line(%q) = %q: not trimmed and collapsed", in, line)
	}
	for _, r := range line {
		if unicode.IsSpace(r) && r != ' ' {
			t.Errorf("Line(%q) = %q: contains %U", in, line, r)
		}
	}
	if again := Line(line); again != line {
		t.Errorf("Line not idempotent on %q: %q then %q", in, line, again)
	}
}

// checkSafe checks that out holds nothing a terminal would act on.
func checkSafe(t *testing.T, in, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("output for %q is not valid UTF-8: %q", in, out)
	}
	for _, r := range out {
		bad := r < 0x20 && r != '\n' && r != '\t' ||
			r >= 0x7f && r <= 0x9f ||
			r >= 0x202a && r <= 0x202e ||
			r >= 0x2066 && r <= 0x2069
		if bad {
			t.Errorf("output for %q contains %U: %q", in, r, out)
		}
	}
}

// benchText returns about 20 KB of article text, with escape sequences
// sprinkled through it if dirty is set.
func benchText(dirty bool) string {
	para := "Tidings reads the news in a terminal: 新闻, نشرة الأخبار, e\u0301, 👩\u200d👧.\n\t" +
		"# Heading **bold** `code` and a longer sentence to fill the line.\n"
	if dirty {
		para += "\x1b[31mred\x1b[0m \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ \u202eevil\u202c\r\n"
	}
	return strings.Repeat(para, 20*1024/len(para)) // whole paragraphs: no cut rune
}

func BenchmarkText(b *testing.B) {
	for _, bc := range []struct {
		name string
		s    string
	}{
		{"clean", benchText(false)},
		{"escapes", benchText(true)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.s)))
			b.ReportAllocs()
			for b.Loop() {
				Text(bc.s)
			}
		})
	}
}
