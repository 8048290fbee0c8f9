package termsafe_test

import (
	"strings"
	"testing"
	"unsafe"

	"tidings/articles/articlestest"
	"tidings/articles/termsafe"
)

// frameLinks are the links the tests' frames were drawn with.
var frameLinks = []string{"https://example.com/a?b=c", "HTTP://x.example", "https://a.example", "https://x.example"}

func TestFrame(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "hello\nworld", "hello\nworld"},
		{"sgr", "\x1b[1;38;5;203mred\x1b[0m \x1b[38:2::1:2:3mx\x1b[m", "\x1b[1;38;5;203mred\x1b[0m \x1b[38:2::1:2:3mx\x1b[m"},
		{"own hyperlink", "\x1b]8;;https://example.com/a?b=c\x1b\\link\x1b]8;;\x1b\\", "\x1b]8;;https://example.com/a?b=c\x1b\\link\x1b]8;;\x1b\\"},
		{"hyperlink with id and BEL", "\x1b]8;id=1;HTTP://x.example\x07l\x1b]8;;\x07", "\x1b]8;id=1;HTTP://x.example\x07l\x1b]8;;\x07"},
		// The end of a link (an empty target) is harmless on its own.
		{"file hyperlink", "\x1b]8;;file:///etc/passwd\x1b\\l\x1b]8;;\x1b\\", "l\x1b]8;;\x1b\\"},
		{"javascript hyperlink", "\x1b]8;;javascript:alert(1)\x07l", "l"},
		{"hyperlink with space", "\x1b]8;;https://a b\x07l", "l"},
		{"unterminated hyperlink", "a\x1b]8;;https://x.example", "a"},
		{"clipboard", "a\x1b]52;c;aGFja2Vk\x07b", "ab"},
		{"title", "a\x1b]0;pwned\x1b\\b\x1b]2;x\x07c", "abc"},
		{"title report", "a\x1b[21tb\x1b[14t", "ab"},
		{"cursor and clear", "\x1b[2J\x1b[H\x1b[?1049lA\x1b[10;10H", "A"},
		{"dcs decrqss", "a\x1bP$qm\x1b\\b", "ab"},
		{"sixel", "a\x1bPq#0;2;0;0;0#0~~@@vv@@~~$-\x1b\\b", "ab"},
		{"apc pm sos", "a\x1b_Gf=100;AAAA\x1b\\b\x1b^pm\x1b\\c\x1bXsos\x1b\\d", "abcd"},
		{"8-bit csi", "a\u009b31mb\u009d0;t\u009cc", "abc"},
		{"two-byte escapes", "a\x1bcb\x1b7c\x1b(Bd", "abcd"},
		{"sgr with private marker", "a\x1b[?25lb\x1b[>4;2m", "ab"},
		{"controls", "a\x07b\x08c\rd\x00e\x7ff\u0085g", "abcdefg"},
		{"tab", "a\tb", "a b"},
		{"bidi", "a\u202egnp.exe\u202c\u2066b\u2069", "agnp.exeb"},
		{"invalid utf-8", "a\xffb\xc3", "a\ufffdb\ufffd"},
		{"lone esc", "a\x1b", "a"},
		{"wide and combining kept", "新闻 📰 é\u0301 \u200b", "新闻 📰 é\u0301 \u200b"},
		// Only the links the program put on the screen may be hyperlinks.
		{"unexpected hyperlink", "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\", "click\x1b]8;;\x1b\\"},
		{"blink and conceal", "\x1b[5mA\x1b[6mB\x1b[8mC\x1b[0m", "ABC\x1b[0m"},
		{"blink among others", "\x1b[1;5;31mA\x1b[05;7mB", "\x1b[1;31mA\x1b[7mB"},
		{"colours that look like blink", "\x1b[38;5;5m\x1b[48;2;8;5;6m\x1b[38:5:8m\x1b[58;5;8;1m", "\x1b[38;5;5m\x1b[48;2;8;5;6m\x1b[38:5:8m\x1b[58;5;8;1m"},
		{"colour then blink", "\x1b[38;5;1;5mA", "\x1b[38;5;1mA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := termsafe.Frame(tt.in, frameLinks)
			if got != tt.want {
				t.Errorf("Frame(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if what, bad := articlestest.UnsafeInFrame(got); bad {
				t.Errorf("Frame(%q) left %q", tt.in, what)
			}
		})
	}
}

// TestFrameNoCopy checks that a clean frame, the common case, costs
// no copy.
func TestFrameNoCopy(t *testing.T) {
	frame := strings.Repeat("\x1b[1mtitle\x1b[0m  \x1b]8;;https://a.example\x1b\\l\x1b]8;;\x1b\\\n", 40)
	got := termsafe.Frame(frame, frameLinks)
	if unsafe.StringData(got) != unsafe.StringData(frame) {
		t.Error("a clean frame was copied")
	}
	if n := testing.AllocsPerRun(10, func() { termsafe.Frame(frame, frameLinks) }); n != 0 {
		t.Errorf("%v allocations for a clean frame", n)
	}
}

// TestUnsafeInFrame checks the checker the other tests rely on.
func TestUnsafeInFrame(t *testing.T) {
	for _, bad := range []string{"\x1b]52;c;eA==\x07", "\x1b[2J", "\x1bPq\x1b\\", "\u009b1m", "a\x07", "\u202e", "\xff",
		"\x1b]8;;file:///x\x1b\\", "\x1b_x\x1b\\", "\x1b[5m", "\x1b[1;8m", "\x1b[06m"} {
		if _, found := articlestest.UnsafeInFrame("ok " + bad + " ok"); !found {
			t.Errorf("UnsafeInFrame missed %q", bad)
		}
	}
	for _, good := range []string{"\x1b[1;31mx\x1b[0m\n", "\x1b[38;5;5;48;2;5;6;8m", "\x1b]8;;https://x.example/\x1b\\x\x1b]8;;\x1b\\", "新闻"} {
		if what, found := articlestest.UnsafeInFrame(good); found {
			t.Errorf("UnsafeInFrame(%q) found %q", good, what)
		}
	}
}

func FuzzFrame(f *testing.F) {
	f.Add("\x1b[1mx\x1b[0m\x1b]8;;https://x.example\x1b\\l\x1b]8;;\x1b\\")
	f.Add("\x1b]52;c;eA==\x07\u009b2J\x1bP$q\x1b\\\u202e\xff\t")
	f.Fuzz(func(t *testing.T, s string) {
		got := termsafe.Frame(s, frameLinks)
		if what, bad := articlestest.UnsafeInFrame(got); bad {
			t.Fatalf("Frame(%q) = %q, left %q", s, got, what)
		}
		if again := termsafe.Frame(got, frameLinks); again != got {
			t.Fatalf("Frame is not idempotent: %q → %q → %q", s, got, again)
		}
	})
}

// BenchmarkFrame measures the filter every frame passes: a clean frame
// (the common case, which must cost no allocation) and one full of
// sequences it removes.
func BenchmarkFrame(b *testing.B) {
	line := "\x1b[1mtitle\x1b[0m  \x1b[38;5;203m新闻\x1b[m \x1b]8;;https://a.example\x1b\\l\x1b]8;;\x1b\\\n"
	for _, bc := range []struct{ name, frame string }{
		{"clean", strings.Repeat(line, 50)},
		{"hostile", strings.Repeat(line+"\x1b]52;c;eA==\x07\x1b[5m\x1b[2J\u202e\t\x1b]8;;https://evil.example\x07\n", 50)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.frame)))
			b.ReportAllocs()
			for b.Loop() {
				termsafe.Frame(bc.frame, frameLinks)
			}
		})
	}
}
