package termsafe_test

import (
	"html"
	"strings"
	"testing"
	"unicode/utf8"

	"tidings/articles/termsafe"
)

func TestDefuseEntities(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "no entity here", "no entity here"},
		{"escape", "a &#27;[2J b", "a &\u2060#27;[2J b"},
		{"hex escape", "&#x1b;]52;c;x&#x7;", "&\u2060#x1b;]52;c;x&\u2060#x7;"},
		{"no semicolon", "&#27[31m", "&\u2060#27[31m"},
		{"leading zeros", "&#0000000000000000000027;", "&\u2060#0000000000000000000027;"},
		// A digit run long enough to wrap the decoder's arithmetic round
		// to 27 is judged as it decodes: 4294967323 = 2^32 + 27.
		{"wrapping digits", "&#4294967323;", "&\u2060#4294967323;"},
		// "&#x9b;" is '›' as Windows-1252, but its prefix "&#x9" is a tab: a
		// segment could end there. Numeric references are defused whenever
		// any prefix is unsafe; the word joiner is invisible.
		{"numeric prefix", "&#x9b; &#233;", "&\u2060#x9b; &\u2060#233;"},
		{"c1 left as is", "&#x9d;&#144;", "&\u2060#x9d;&\u2060#144;"},
		{"bidi override", "&#x202e;", "&\u2060#x202e;"},
		{"named controls", "&Tab; &NewLine;", "&\u2060Tab; &\u2060NewLine;"},
		{"a prefix of a longer number", "&#12", "&\u2060#12"},
		{"safe entities", "&amp; &lt;b> &copy; &nbsp; &Tabx", "&amp; &lt;b> &copy; &nbsp; &Tabx"},
		{"query string", "https://x.example/?a=1&b=2&c", "https://x.example/?a=1&b=2&c"},
		{"nul becomes U+FFFD", "&#0;", "&#0;"},
		{"lone ampersands", "& && &", "& && &"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := termsafe.DefuseEntities(tt.in)
			if got != tt.want {
				t.Errorf("DefuseEntities(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if bad := unsafeDecodedPart(got); bad != "" {
				t.Errorf("DefuseEntities(%q) = %q: %q decodes to a control", tt.in, got, bad)
			}
			if termsafe.EntitiesSafe(tt.in) != (got == tt.in) {
				t.Errorf("EntitiesSafe(%q) = %v, but DefuseEntities changed it: %v", tt.in, termsafe.EntitiesSafe(tt.in), got != tt.in)
			}
		})
	}
}

func TestDefuseEntitiesNoCopy(t *testing.T) {
	s := "Fish &amp; chips, 3 &lt; 4, https://x.example/?a=1&b=2"
	if allocs := testing.AllocsPerRun(100, func() { _ = termsafe.DefuseEntities(s) }); allocs > 0 {
		t.Errorf("a clean string cost %v allocations", allocs)
	}
}

// unsafeDecodedPart returns a part of s, starting at an '&', that
// html.UnescapeString decodes to more control, C1 or bidi characters than
// it holds as written, or "". Any such part could be a text segment
// Glamour decodes on its own.
func unsafeDecodedPart(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] != '&' {
			continue
		}
		for j := i + 2; j <= min(len(s), i+64); j++ {
			if countUnsafe(html.UnescapeString(s[i:j])) > countUnsafe(s[i:j]) {
				return s[i:j]
			}
		}
	}
	return ""
}

func countUnsafe(s string) int {
	n := 0
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 {
			n++
		}
	}
	return n
}

func FuzzDefuseEntities(f *testing.F) {
	for _, s := range []string{"&#27;", "&#x1b;", "&Tab;", "&#4294967323;", "&amp;#27;", "a&b", "&#x9d;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		got := termsafe.DefuseEntities(s)
		if bad := unsafeDecodedPart(got); bad != "" && !strings.Contains(bad, "\u2060") {
			t.Fatalf("DefuseEntities(%q) = %q: %q decodes to a control", s, got, bad)
		}
		if strings.ReplaceAll(got, "\u2060", "") != strings.ReplaceAll(s, "\u2060", "") {
			t.Fatalf("DefuseEntities(%q) = %q changed more than word joiners", s, got)
		}
	})
}

func TestDefuseURLEntities(t *testing.T) {
	for in, want := range map[string]string{
		"https://x.example/?a=1&b=2&c": "https://x.example/?a=1&b=2&c",
		"https://x.example/?a=1&#27;":  "https://x.example/?a=1%26#27;",
		"https://x.example/&Tab;x":     "https://x.example/%26Tab;x",
		"https://x.example/?p=1&#top":  "https://x.example/?p=1&#top",
	} {
		if got := termsafe.DefuseURLEntities(in); got != want {
			t.Errorf("DefuseURLEntities(%q) = %q, want %q", in, got, want)
		}
	}
}
