package subs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"tidings/feed/feedtest"
)

func TestNormalizeURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.org/feed.xml", "https://example.org/feed.xml"},
		{"  HTTPS://Example.ORG/Feed.XML?Q=1#Frag \n", "https://example.org/Feed.XML?Q=1#Frag"},
		{"HTTP://Example.org", "http://example.org"},
		{"https://EXAMPLE.org?x=Y", "https://example.org?x=Y"},
		{"http://example.org:/x", "http://example.org/x"},
		{"http://example.org:8080/x", "http://example.org:8080/x"},
		{"https://my_blog.example.org/rss", "https://my_blog.example.org/rss"},
		{"http://[2001:DB8::1]:8080/feed", "http://[2001:db8::1]:8080/feed"},
		{"http://192.0.2.1/feed", "http://192.0.2.1/feed"},
		// User info is kept as written: a private feed may need it.
		{"http://User:Pass@Example.org:8080/x", "http://User:Pass@example.org:8080/x"},
		{"http://good.example@evil.example/", "http://good.example@evil.example/"},
		// Hosts in ASCII: a look-alike reads as what it is.
		{"https://Bücher.example/Feed", "https://xn--bcher-kva.example/Feed"},
		{"https://\u0430pple.example/", "https://xn--pple-43d.example/"}, // Cyrillic а
		{"https://XN--BCHER-KVA.example/", "https://xn--bcher-kva.example/"},
		{"https://ｅｘａｍｐｌｅ．org/", "https://example.org/"},               // full-width
		{"https://\u05d0\u05d1.example/", "https://xn--4dbc.example/"}, // one direction only
		// Controls, bidi and invisible characters after the host: encoded.
		{"https://example.org/\u009b31m/feed", "https://example.org/%C2%9B31m/feed"},
		{"https://example.org/feed\u202elmx.exe", "https://example.org/feed%E2%80%AElmx.exe"},
		{"https://example.org/feed?a=\u2066b\u2069", "https://example.org/feed?a=%E2%81%A6b%E2%81%A9"},
		{"https://example.org/a\u0085b", "https://example.org/a%C2%85b"},
		{"https://example.org/a\x1b[2Jb", "https://example.org/a%1B[2Jb"},
		{"https://example.org/a\u200bb#c\u00a0d", "https://example.org/a%E2%80%8Bb#c%C2%A0d"},
		{"https://example.org/a b\x7f", "https://example.org/a%20b%7F"},
		{"https://example.org/\xff\xfe", "https://example.org/%FF%FE"},
		{"https://example.org/\u061c\u200e\u200f\ufeff\u3164", "https://example.org/%D8%9C%E2%80%8E%E2%80%8F%EF%BB%BF%E3%85%A4"},
		// Other non-ASCII in the path is left alone.
		{"https://example.org/caf\u00e9/\u65b0\u805e", "https://example.org/caf\u00e9/\u65b0\u805e"},
		{"https://example.org/%E2%80%AE", "https://example.org/%E2%80%AE"},
		// Local feeds are only trimmed.
		{"FILE:///Var/Feeds/A.xml", "file:///Var/Feeds/A.xml"},
		{"./Local/Feed.xml ", "./Local/Feed.xml"},
		{"/Abs/Path.xml", "/Abs/Path.xml"},
		{"../up.xml", "../up.xml"},
	}
	for _, tt := range tests {
		got, err := NormalizeURL(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizeURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			continue
		}
		if again, err := NormalizeURL(got); err != nil || again != got {
			t.Errorf("NormalizeURL(%q) = %q, %v; want it unchanged", got, again, err)
		}
	}
}

func TestNormalizeURLRefuses(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `url "" is empty`},
		{"   ", `url "" is empty`},
		{"feeds/a.xml", `url "feeds/a.xml" is not absolute`},
		{"ftp://example.org/a", `url "ftp://example.org/a" has unsupported scheme "ftp": want http, https or file`},
		{"javascript:alert(1)", `has unsupported scheme "javascript"`},
		{"https:///rss", `url "https:///rss" has no host`},
		{"https:example.org", `url "https:example.org" has no host`},
		{"https://exa\u202emple.org/", `url "https://exa\u202emple.org/" holds a bidi control character (U+202E) in its host`},
		{"https://lri\u2066.example/", `holds a bidi control character (U+2066) in its host`},
		{"https://example.org\u061c/", `holds a bidi control character (U+061C) in its host`},
		{"https://exa\u0085mple.org/", `holds a control character (U+0085) in its host`},
		{"https://exa\u009bmple.org/", `holds a control character (U+009B) in its host`},
		{"https://exa\x7fmple.org/", `holds a control character (U+007F) in its host`},
		{"https://exa\u200dmple.org/", `holds an invisible character (U+200D) in its host`},
		{"https://exa\u00a0mple.org/", `holds a space character (U+00A0) in its host`},
		{"https://exa mple.org/", `holds a space in its host`},
		{"https://exa\xffmple.org/", `holds a byte that is not UTF-8 (0xFF) in its host`},
		{"https://us\u202eer:pw@example.org/", `holds a bidi control character (U+202E) in its user info`},
		{"https://a\u05d0.example/", "has a host \"a\u05d0.example\" that is not a valid domain name"},
		{"https://xn--zz.example/", `has a host "xn--zz.example" that is not a valid domain name`},
		{"https://-a.\u00e9.example/", `is not a valid domain name`},
		{"https://exa!mple.org/", `has a host "exa!mple.org" with "!" in it`},
		{"https://example.org:99999/", `has an invalid port "99999"`},
		{"https://example.org:http/", `has an invalid port "http"`},
		{"http://[::1/", `has an invalid IPv6 host "[::1"`},
		{"http://[example.org]/", `has an invalid IPv6 host "[example.org]"`},
		{"https://example.org/%zz", `is not valid: invalid URL escape "%zz"`},
		{"./feed\u202e.xml", `url "./feed\u202e.xml" holds a bidi control character (U+202E) in its path`},
		{"file:///feed\x1b.xml", `holds a control character (U+001B) in its path`},
		{"file://", `has no path`},
	}
	for _, tt := range tests {
		got, err := NormalizeURL(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("NormalizeURL(%q) = %q, %v; want an error with %s", tt.in, got, err, tt.want)
			continue
		}
		var ue *URLError
		if !errors.As(err, &ue) {
			t.Errorf("NormalizeURL(%q): error %T is not a *URLError", tt.in, err)
		}
		if msg := err.Error(); !utf8.ValidString(msg) || strings.ContainsFunc(msg, urlHidden) {
			t.Errorf("NormalizeURL(%q): error %q holds what it complains of", tt.in, msg)
		}
	}
}

func TestURLErrorQuotesAtMost(t *testing.T) {
	long := "https://exa\u202emple.org/" + strings.Repeat("é", 10_000)
	_, err := NormalizeURL(long)
	if err == nil || len(err.Error()) > 2*urlMaxQuoted || !utf8.ValidString(err.Error()) {
		t.Errorf("error for a long URL: %d bytes, valid UTF-8 %v", len(fmt.Sprint(err)), utf8.ValidString(fmt.Sprint(err)))
	}
}

// A URL in the subscriptions file is kept as written, but one with a
// control, bidi or invisible character anywhere is refused.
func TestCheckURL(t *testing.T) {
	for _, ok := range []string{"https://Bücher.example/Feed", "https://example.org/a b", "HTTPS://EXAMPLE.ORG/", "./x.xml"} {
		if err := CheckURL(ok); err != nil {
			t.Errorf("CheckURL(%q) = %v", ok, err)
		}
	}
	for _, tt := range []struct{ in, want string }{
		{"https://example.org/feed\u202elmx.exe", `url "https://example.org/feed\u202elmx.exe" holds a bidi control character (U+202E): remove it, or write it percent-encoded`},
		{"https://example.org/?q=\u009b", `holds a control character (U+009B)`},
		{"https://a\u05d0.example/", `not a valid domain name`},
		{"ftp://example.org/", `unsupported scheme`},
	} {
		if err := CheckURL(tt.in); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("CheckURL(%q) = %v, want %s", tt.in, err, tt.want)
		}
	}
}

func TestDisplayURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"http://good.example@evil.example/feed", "http://***@evil.example/feed"},
		{"https://user:secret@Example.org/x?a@b", "https://***@example.org/x?a@b"},
		{"https://Bücher.example/f\u202e", "https://xn--bcher-kva.example/f%E2%80%AE"},
		{"https://example.org/a@b", "https://example.org/a@b"},
		{"./local.xml", "./local.xml"},
		{"https://exa\u202emple.org/\x1b[2J", "https://example.org/"}, // refused: sanitised
	}
	for _, tt := range tests {
		if got := DisplayURL(tt.in); got != tt.want {
			t.Errorf("DisplayURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAddFindPunycode(t *testing.T) {
	var c Config
	if !c.Add(Subscription{URL: "https://Bücher.example/feed"}) {
		t.Fatal("Add refused an IDN URL")
	}
	if c.Feeds[0].URL != "https://xn--bcher-kva.example/feed" {
		t.Errorf("Add kept %q", c.Feeds[0].URL)
	}
	if c.Add(Subscription{URL: "https://xn--bcher-kva.example/feed"}) {
		t.Error("Add took the punycode form of a URL already there")
	}
	if c.Add(Subscription{URL: "https://b\u202eücher.example/feed"}) {
		t.Error("Add took a URL with a bidi control in its host")
	}
	// A hand-written config keeps the Unicode form; Find still matches.
	c = Config{Feeds: []Subscription{{URL: "https://bücher.example/feed"}}}
	if c.Find("https://XN--BCHER-KVA.example/feed") != 0 {
		t.Error("Find does not match the punycode form")
	}
}

func TestLoadConfigHostileURLs(t *testing.T) {
	path := filepath.Join("testdata", "config", "hostile.toml")
	_, _, _, err := Load(path)
	if err == nil {
		t.Fatal("a config with a bidi control and a C1 control in its URLs loaded")
	}
	want := []string{
		path + `:4: feed 2: url "https://example.org/feed\u202elmx.exe" holds a bidi control character (U+202E): remove it, or write it percent-encoded`,
		path + `:7: feed 3: url "https://exa\u0085mple.org/" holds a control character (U+0085): remove it, or write it percent-encoded`,
	}
	if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestImportOPMLHostileURLs(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "opml", "hostile_urls.opml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var c Config
	res, err := c.ImportOPML(t.Context(), f, "hostile_urls.opml")
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, s := range c.Feeds {
		urls = append(urls, s.URL)
		if strings.ContainsFunc(s.Title, urlHidden) {
			t.Errorf("title %q kept a hidden character", s.Title)
		}
	}
	wantURLs := []string{
		"https://csi.example/%C2%9B31m/feed",
		"https://rlo.example/feed%E2%80%AElmx.exe",
		"https://nel.example/feed?a=1%C2%85b",
		"https://tab.example/feed#a%09b",
		"http://good.example@evil.example/feed",
		"https://xn--pple-43d.example/feed",
		"https://title.example/feed",
	}
	if !reflect.DeepEqual(urls, wantURLs) {
		t.Errorf("imported:\n%q\nwant:\n%q", urls, wantURLs)
	}
	var lines []int
	for _, n := range res.Notes {
		lines = append(lines, n.Line)
		if strings.ContainsFunc(n.String(), urlHidden) {
			t.Errorf("note %q holds a hidden character", n)
		}
	}
	if res.Skipped != 5 || !reflect.DeepEqual(lines, []int{7, 9, 10, 14, 15}) {
		t.Errorf("skipped %d, notes at lines %v; want 5 at 7, 9, 10, 14, 15", res.Skipped, lines)
	}
}

func TestImportOPMLNotes(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "opml", "nested.opml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c := Config{Feeds: []Subscription{{URL: "https://feeds.npr.org/1004/rss.xml"}}}
	res, err := c.ImportOPML(t.Context(), f, "nested.opml")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range res.Notes {
		got = append(got, n.String())
	}
	// NPR was already subscribed: counted, not noted.
	want := []string{
		`line 16: "https://feeds.bbci.co.uk/news/world/rss.xml" repeats line 9`,
		`line 17: "gopher://example.org/1/feed" is not an http or https URL`,
		`line 18: "Just a link" is neither a feed (no xmlUrl) nor a folder`,
		`line 19: "Empty folder" is neither a feed (no xmlUrl) nor a folder`,
	}
	if !reflect.DeepEqual(got, want) || res.MoreNotes != 0 {
		t.Errorf("notes (%d more):\n%s\nwant:\n%s", res.MoreNotes, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Notes from reading the file and from merging it come out in file order,
// at most MaxImportNotes of them.
func TestImportMergeNotes(t *testing.T) {
	var a, b importNotes
	for i := 1; i <= 30; i++ {
		if i%3 == 0 {
			b.add(i, "b", "")
		} else {
			a.add(i, "a", "")
		}
	}
	notes, more := importMergeNotes(a, b)
	if len(notes) != MaxImportNotes || more != 30-MaxImportNotes {
		t.Fatalf("%d notes, %d more; want %d, %d", len(notes), more, MaxImportNotes, 30-MaxImportNotes)
	}
	for i, n := range notes {
		if n.Line != i+1 {
			t.Fatalf("note %d is for line %d", i, n.Line)
		}
	}
}

// 100,000 outlines import in about a second (it took minutes when each
// new feed was compared with every one before it); BenchmarkImportOPML in
// ui/cli times it.
func TestImportOPMLMany(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 outlines")
	}
	const n = 100_000
	c := Config{Feeds: []Subscription{{URL: "https://HOST5.example/feed/5.xml"}}}
	res, err := c.ImportOPML(t.Context(), strings.NewReader(feedtest.ManyOPML(n)), "many.opml")
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != n-1 || res.Duplicates != 1 || len(c.Feeds) != n {
		t.Errorf("added %d, duplicates %d, %d feeds", res.Added, res.Duplicates, len(c.Feeds))
	}
}

func TestImportOPMLCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	c := Config{Feeds: DefaultFeeds()}
	before := slices.Clone(c.Feeds)
	_, err := c.ImportOPML(ctx, strings.NewReader(feedtest.ManyOPML(3000)), "many.opml")
	if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "many.opml: import stopped") {
		t.Errorf("import with a cancelled context: %v", err)
	}
	if !reflect.DeepEqual(c.Feeds, before) {
		t.Error("a cancelled import changed the config")
	}

	// Cancelled while merging: the config is still unchanged.
	entries := make([]importEntry, 3*importCheckEvery)
	for i := range entries {
		entries[i] = importEntry{sub: Subscription{URL: fmt.Sprintf("https://x.example/%d", i)}, line: i + 1}
	}
	cctx, cancel2 := context.WithCancelCause(t.Context())
	cancel2(errors.New("SIGTERM"))
	if _, _, err := c.importEntries(cctx, entries); err == nil || !strings.Contains(err.Error(), "SIGTERM") {
		t.Errorf("importEntries with a cancelled context: %v", err)
	}
	if !reflect.DeepEqual(c.Feeds, before) {
		t.Error("a cancelled merge changed the config")
	}
}

// FuzzNormalizeURL checks that whatever NormalizeURL returns is free of
// hidden characters, valid UTF-8, and a fixed point.
func FuzzNormalizeURL(f *testing.F) {
	for _, s := range []string{
		"https://example.org/feed", "https://Bücher.example/\u202e?\u0085#\t", "http://a@b@c/",
		"http://[::1]:80/", "./x", "file:///x", "https://exa\u2066mple.org/", "https://example.org/%zz",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := NormalizeURL(in)
		if err != nil {
			if msg := err.Error(); !utf8.ValidString(msg) || strings.ContainsFunc(msg, urlHidden) {
				t.Errorf("error %q holds a hidden character", msg)
			}
			return
		}
		if !utf8.ValidString(out) || strings.ContainsFunc(out, urlHidden) {
			t.Errorf("NormalizeURL(%q) = %q holds a hidden character", in, out)
		}
		if strings.HasPrefix(out, "http") {
			if again, err := NormalizeURL(out); err != nil || again != out {
				t.Errorf("NormalizeURL(%q) = %q, then %q, %v", in, out, again, err)
			}
		}
	})
}

func TestURLResolver(t *testing.T) {
	c := Config{Feeds: []Subscription{{URL: "https://Bücher.example/feed"}, {URL: "https://a.example/x"}}}
	resolve := c.URLResolver()
	for _, tt := range []struct{ in, want, err string }{
		{in: "https://xn--bcher-kva.example/feed", want: "https://Bücher.example/feed"},
		{in: "HTTPS://A.EXAMPLE/x", want: "https://a.example/x"},
		{in: "https://new.example/\u202e", want: "https://new.example/%E2%80%AE"},
		{in: "https://\u0430.example/", want: "https://xn--80a.example/"},
		{in: "https://exa\u202emple.org/", err: "holds a bidi control character (U+202E) in its host"},
	} {
		got, err := resolve(tt.in)
		if got != tt.want || (err == nil) != (tt.err == "") || (err != nil && !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("resolve(%q) = %q, %v; want %q, %s", tt.in, got, err, tt.want, tt.err)
		}
	}
}

// A hand-written Unicode host is exported in ASCII.
func TestWriteOPMLPunycode(t *testing.T) {
	var b strings.Builder
	subs := []Subscription{{URL: "https://Bücher.example/feed", Title: "Bücher"}, {URL: "http://u:p@a.example/x"}}
	if err := WriteOPML(&b, subs, time.Time{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`xmlUrl="https://xn--bcher-kva.example/feed"`, `title="Bücher"`, `xmlUrl="http://u:p@a.example/x"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("export lacks %s:\n%s", want, b.String())
		}
	}
}

// TestURLHiddenASCII checks urlHidden's shortcut for printable ASCII
// against the Unicode tables it skips, over all of ASCII.
func TestURLHiddenASCII(t *testing.T) {
	for r := rune(0); r < 0x80; r++ {
		want := unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || (r != ' ' && unicode.IsSpace(r)) ||
			unicode.In(r, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector)
		if got := urlHidden(r); got != want {
			t.Errorf("urlHidden(%U) = %v, want %v", r, got, want)
		}
	}
}
