package htmlmd

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"tidings/articles"
	"tidings/articles/articlestest"
	"tidings/articles/termsafe"
)

// testTerminalSafe fails if s has a byte below 0x20 other than \n and
// \t, DEL, a C1 control, a bidi override or isolate, or invalid UTF-8.
func testTerminalSafe(t testing.TB, s string) {
	t.Helper()
	if what, bad := articlestest.UnsafeInText(s); bad {
		t.Fatalf("%q unsafe in %q", what, s)
	}
}

func TestConvert(t *testing.T) {
	const base = "https://ex.com/blog/post/"
	tests := []struct {
		name, in, base string
		want           string   // exact, if set
		has, not       []string // substrings
	}{
		{name: "paragraphs", in: "<p>One</p>\n<p>Two</p>", want: "One\n\nTwo"},
		{name: "nested formatting", in: `<p>Two <b>bold <i>it</i></b> <em>em <code>x*y</code></em></p>`, want: "Two **bold *it*** *em `x*y`*"},
		{name: "lists", in: `<ul><li>a</li><li>b<ul><li>c</li></ul></li></ul><p>then</p><ol><li>x</li><li>y</li></ol>`,
			want: "- a\n- b\n\n  - c\n\nthen\n\n1. x\n2. y"},
		{name: "relative and absolute links", base: base,
			in:   `<a href="/root">root</a> <a href="rel">rel</a> <a href="../up">up</a> <a href="https://x.org/a?b=1&amp;c=2">abs</a>`,
			want: "[root](https://ex.com/root) [rel](https://ex.com/blog/post/rel) [up](https://ex.com/blog/up) [abs](https://x.org/a?b=1&c=2)"},
		{name: "relative link without base is text", in: `<a href="/root">root</a> <a href="https://x.org/">abs</a>`,
			want: "root [abs](https://x.org/)"},
		{name: "base that is a file path resolves nothing", base: "/home/me/feed.xml", in: `<a href="/root">root</a>`, want: "root"},
		{name: "javascript link is text", base: base, in: `<p>Click <a href="javascript:alert(1)">here</a> or <a href="JaVaScRiPt:alert(1)">there</a>.</p>`,
			want: "Click here or there."},
		{name: "other schemes are text", base: base, in: `<a href="data:text/html,x">d</a> <a href="file:///etc/passwd">f</a> <a href="ftp://x/y">ftp</a> <a href="vbscript:x">vb</a>`,
			want: "d f ftp vb"},
		{name: "mailto kept", in: `<a href="mailto:ed@example.com">write</a>`, want: "[write](mailto:ed@example.com)"},
		{name: "image with alt", base: base, in: `<p>See <img src="/i.png" alt="A cat"> here</p>`, want: "See [image: A cat](https://ex.com/i.png) here"},
		{name: "image without alt", in: `<img src="https://ex.com/x.png">`, want: "[image](https://ex.com/x.png)"},
		{name: "image alt is escaped", in: `<img src="https://ex.com/x.png" alt="a [b] *c*">`, want: `[image: a \[b\] \*c\*](https://ex.com/x.png)`},
		{name: "image in link", in: `<a href="https://ex.com/big.png"><img src="https://ex.com/small.png" alt="thumb"></a>`, want: "[image: thumb](https://ex.com/big.png)"},
		{name: "data and javascript images", in: `<img src="data:image/png;base64,AAAA" alt="inline"><img src="javascript:alert(1)"><img src="mailto:x@y">`,
			not: []string{"data:", "javascript", "mailto", "!["}, has: []string{"image: inline"}},
		{name: "script style iframe dropped with their text",
			in:   `<script>alert("s")</script><style>p { color: red }</style><iframe src="https://evil.example/">frame</iframe><p>visible</p><object>obj</object><embed src="x.swf"><form><input value="v"><button>btn</button>formtext</form><noscript>nos</noscript><svg><text>svgtext</text></svg>`,
			want: "visible"},
		{name: "table", in: `<table><tr><th>h1</th><th>h2</th></tr><tr><td>1</td><td>2</td></tr></table>`,
			want: "| h1 | h2 |\n| --- | --- |\n| 1 | 2 |"},
		{name: "strikethrough", in: `<del>gone</del> <s>struck</s> <strike>old</strike>`, want: "~~gone~~ ~~struck~~ ~~old~~"},
		{name: "heading code blockquote", in: "<h2>Head</h2><pre><code>a &lt;b&gt;\n  c</code></pre><blockquote><p>quoted</p></blockquote>",
			want: "## Head\n\n```\na <b>\n  c\n```\n\n> quoted"},
		{name: "escape entity is harmless", in: `<p>&#27;[31mred&#27;[0m &#x1b;]52;c;ZXZpbA==&#7;after</p>`, want: "red after"},
		{name: "raw escape is harmless", in: "<p>\x1b[31mred\x1b[0m \x1b]0;title\x07x</p>", want: "red x"},
		{name: "converter marker byte in input", in: "<p>a\x07*b*\x07</p>", want: `a\*b\*`},
		{name: "bidi override removed", in: "<p>abc\u202Etxt.exe</p>", want: "abctxt.exe"},
		{name: "markdown in text is escaped", in: "<p># not a heading</p><p>1. not a list</p><p>*not em*</p>",
			want: "\\# not a heading\n\n1\\. not a list\n\n\\*not em\\*"},
		{name: "plain text paragraphs", in: "First line\nsecond line\n\nNext para &amp; more\r\n\r\nThird", want: "First line  \nsecond line\n\nNext para & more\n\nThird"},
		{name: "plain text with a less-than", in: "a < b and c > d", want: "a &lt; b and c > d"},
		{name: "broken html", in: "<p>unclosed <b>bold <a href='https://x.org/'>link", want: "unclosed **bold [link](https://x.org/)**"},
		{name: "text that reads like entities stays text", in: `<p>a &amp;#27; b &amp;lt;x&amp;gt; c &amp;amp; d&amp;copy e &amp;#x9B; &amp; f</p>`,
			want: "a &\u2060#27; b &\u2060lt;x&\u2060gt; c &\u2060amp; d&\u2060copy e &\u2060#x9B; & f"},
		{name: "entity lookalike in a code span", in: `<p><code>&amp;#27;</code></p>`, want: "`&\u2060#27;`"},
		{name: "entity lookalike in a code block is left alone", in: `<pre>&amp;lt;b&amp;gt;</pre>`, want: "```\n&lt;b&gt;\n```"},
		{name: "plain text entity lookalike", in: "x &amp;#27; y", want: "x &\u2060#27; y"},
		{name: "control characters in a link are percent-encoded", in: `<a href="https://x.org/a&#27;[31mb">l</a> <a href="https://x.org/` + "\x01c\x1b" + `d">m</a>`,
			want: "[l](https://x.org/a%1B%5B31mb) [m](https://x.org/%01c%1Bd)"},
		{name: "c1 and bidi in a link are percent-encoded", in: "<a href=\"https://x.org/\u009b1m\u202egpj\">l</a>",
			want: "[l](https://x.org/%C2%9B1m%E2%80%AEgpj)"},
		{name: "control characters in an image source", in: "<img src=\"https://x.org/i\x07.png\" alt=\"i\">", want: "[image: i](https://x.org/i%07.png)"},
		{name: "over-long link keeps its text", in: `<a href="https://x.org/` + strings.Repeat("a", 3000) + `">long</a> <a href="https://x.org/` + strings.Repeat("b", 2000) + `">ok</a>`,
			has: []string{"long [ok](https://x.org/bbb"}, not: []string{"aaa"}},
		{name: "over-long image source", in: `<img alt="big" src="https://x.org/` + strings.Repeat("a", 3000) + `">`, want: "\\[image: big\\]"},
		{name: "data link with text", in: `<a href="data:text/html;base64,PHNjcmlwdD4=">click</a>`, want: "click"},
		{name: "an embed keeps the text after it", in: `<p>Before</p><embed src="https://x.org/v.swf"><p>After</p>`, want: "Before\n\nAfter"},
		{name: "empty", in: "", want: ""},
		{name: "whitespace", in: " \n\t ", want: ""},
		{name: "only dropped content", in: "<script>x</script>", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Convert(tt.in, tt.base)
			if tt.want != "" || (tt.has == nil && tt.not == nil) {
				if got != tt.want {
					t.Errorf("Convert(%q)\n got: %q\nwant: %q", tt.in, got, tt.want)
				}
			}
			for _, s := range tt.has {
				if !strings.Contains(got, s) {
					t.Errorf("%q does not contain %q", got, s)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(got, s) {
					t.Errorf("%q contains %q", got, s)
				}
			}
			testTerminalSafe(t, got)
			if strings.Contains(got, "![") {
				t.Errorf("%q has an image", got)
			}
		})
	}
}

// TestConvertBracketsLinear guards against the converter's
// quadratic scan for the ']' of every '[' (see Escape): 200,000
// of them took about 15 s without the fix, and take well under one with it.
// (100,000 escaped fill 200 KB, within the bound of an article.)
func TestConvertBracketsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("slow if it fails")
	}
	const n = 100_000
	start := time.Now()
	got := Convert("<p>"+strings.Repeat("[", n)+"</p>", "")
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("%d brackets took %v", n, d)
	}
	if got != strings.Repeat(`\[`, n) {
		t.Errorf("got %.40q..., want every [ escaped", got)
	}
}

func TestFromText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		// Glamour decodes entities: "&amp;" must reach it defused to show as written.
		{"Use <b> & &amp; as text.", "Use &lt;b> & &\u2060amp; as text."},
		{"a\nb\n\n\n\nc", "a  \nb\n\nc"},
		{"# hash\n- dash", "\\# hash  \n\\- dash"},
	}
	for _, tt := range tests {
		if got := FromText(tt.in); got != tt.want {
			t.Errorf("FromText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPlainText(t *testing.T) {
	got := PlainText(`<p>One<br>two</p><script>x()</script><style>s</style><li>three &amp; four</li>`)
	if want := "One two three & four"; got != want {
		t.Errorf("PlainText = %q, want %q", got, want)
	}
}

func FuzzConvert(f *testing.F) {
	for _, s := range []string{
		"<p>hello <b>world</b></p>",
		`<a href="javascript:alert(1)">x</a><img src="/a.png" alt="a">`,
		"<table><tr><td>1</td></tr></table>",
		"&#27;[31m red \x1b]52;c;x\x07",
		"plain\n\ntext",
		"<pre><code>\x07\uF002</code></pre>",
		"<ul><li><ol><li>deep</li></ol></li></ul>",
		"<p>&amp;<b></b>#27;[2J <img src=\"http://x.example/i\" alt=\"&amp;#x1b;]52;c;x\"></p>",
	} {
		f.Add(s, "https://ex.com/a/")
	}
	f.Fuzz(func(t *testing.T, in, base string) {
		got := Convert(in, base)
		testTerminalSafe(t, got)
		if strings.Contains(got, "\x1b") {
			t.Fatalf("ESC in %q", got)
		}
		if !termsafe.EntitiesSafe(got) {
			t.Fatalf("an entity in %q decodes to a control character (from %q)", got, in)
		}
	})
}

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"plain words here":         "plain words here",
		"  lead\n\tand   trail \n": " lead and trail ",
		"a*b_c`d[e]f|g~h\\i<j>k":   `a\*b\_c\` + "`" + `d\[e\]f\|g~h\\i&lt;j>k`,
		"é  ü\u00a0x":              "é ü\u00a0x",
		"":                         "",
		" ":                        " ",
		"x ":                       "x ",
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLinksWrittenInASCII checks that link targets are ASCII, as a
// terminal hyperlink must be: hosts in punycode, the rest percent-encoded.
func TestLinksWrittenInASCII(t *testing.T) {
	for in, want := range map[string]string{
		`<a href="https://bücher.example/ä?q=&ac;0#ß">x</a>`:  "[x](https://xn--bcher-kva.example/%C3%A4?q=%E2%88%BE0#%C3%9F)",
		`<a href="https://аpple.example/">look-alike</a>`:     "[look-alike](https://xn--pple-43d.example/)",
		`<a href="https://x.example:8080/?a=1&amp;b=2">q</a>`: "[q](https://x.example:8080/?a=1&b=2)",
	} {
		if got := Convert(in, ""); got != want {
			t.Errorf("Convert(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestHugeBodiesBounded converts items that would take Glamour minutes
// and gigabytes: 15 MB of one paragraph, 250,000 links, a table of 1,500
// × 300 cells. Each is cut to the bounds, with a note saying so.
func TestHugeBodiesBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("converts 30 MB of HTML")
	}
	words := "lorem ipsum dolor sit amet consectetur adipiscing elit "
	var links, table strings.Builder
	for i := range 250_000 {
		fmt.Fprintf(&links, `<a href="http://x.example/%d">l%d</a> `, i, i)
	}
	table.WriteString("<table>")
	for r := range 1500 {
		table.WriteString("<tr>")
		for c := range 300 {
			fmt.Fprintf(&table, "<td>%d,%d</td>", r, c)
		}
		table.WriteString("</tr>")
	}
	table.WriteString("</table>")
	for name, in := range map[string]string{
		"paragraph": "<p>" + strings.Repeat(words, 15_000_000/len(words)) + "</p>",
		"code":      "<pre>" + strings.Repeat(words+"\n", 15_000_000/len(words)) + "</pre><p>after</p>",
		"links":     "<p>" + links.String() + "</p>",
		"table":     table.String(),
		"elements":  strings.Repeat("<p>x</p>", 16<<20/8),
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		md := Convert(in, "")
		runtime.ReadMemStats(&after)
		// 16 MB of "<p>x</p>" took 520 MB to convert when it was all parsed.
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 256<<20 {
			t.Errorf("%s: %d MB allocated", name, alloc>>20)
		}
		if len(md) > articles.MaxBody+64<<10 {
			t.Errorf("%s: %d KB of markdown", name, len(md)>>10)
		}
		if n := strings.Count(md, "](http"); n > maxLinks {
			t.Errorf("%s: %d links", name, n)
		}
		if name == "table" {
			// (Its 7 MB of HTML are cut to 2 MB before parsing: 454 rows.)
			if !strings.Contains(md, `\[table cut: 454 rows × 300 columns, the first 200 × 16 shown\]`) {
				t.Errorf("table: no note of the cut, ends %q", md[max(len(md)-120, 0):])
			}
			if rows := strings.Count(md, "\n|"); rows > maxTableRows+1 {
				t.Errorf("table: %d rows", rows)
			}
			continue
		}
		if name != "links" && !strings.HasSuffix(md, articles.CutNote) {
			t.Errorf("%s: no note of the cut, ends %q", name, md[max(len(md)-80, 0):])
		}
		if name == "code" && strings.Count(md, "```")%2 != 0 {
			t.Errorf("code: the fence is left open")
		}
	}
}
