package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tidings/feed/feedtest"
)

// hiddenRunes are characters no feed URL may carry into the config, an
// export or the terminal.
var hiddenRunes = []string{"\u009b", "\u202e", "\u2066", "\u0085", "\u200b", "\t", "\x1b"}

func assertNoHidden(t *testing.T, what, s string) {
	t.Helper()
	for _, r := range hiddenRunes {
		if strings.Contains(s, r) {
			t.Errorf("%s holds %q:\n%s", what, r, s)
		}
	}
}

// The fixture's URLs carry controls, bidi and invisible characters in
// their hosts, paths, queries and fragments, a user-info trick and a
// look-alike host.
func TestImportHostileURLs(t *testing.T) {
	e, out, _ := testEnv(t)
	opml := filepath.Join("..", "..", "feed", "subs", "testdata", "opml", "hostile_urls.opml")
	if err := e.Import(t.Context(), opml); err != nil {
		t.Fatal(err)
	}
	said := out.String()
	assertNoHidden(t, "import output", said)
	for _, want := range []string{
		"7 added, 0 already there, 5 skipped",
		`line 7: "https://lri\u2066.example/feed" holds a bidi control character (U+2066) in its host`,
		`line 9: "https://nel\u0085host.example/" holds a control character (U+0085) in its host`,
		`line 10: "https://zw\u200bsp.example/" holds an invisible character (U+200B) in its host`,
		`line 14: "https://a` + "\u05d0" + `.example/feed" has a host`,
		`line 15: "file:///etc/passwd" is not an http or https URL`,
	} {
		if !strings.Contains(said, want) {
			t.Errorf("import output lacks %q:\n%s", want, said)
		}
	}

	config, err := os.ReadFile(e.ConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	assertNoHidden(t, "config.toml", string(config))
	for _, want := range []string{
		`"https://csi.example/%C2%9B31m/feed"`,
		`"https://rlo.example/feed%E2%80%AElmx.exe"`,
		`"https://nel.example/feed?a=1%C2%85b"`,
		`"https://tab.example/feed#a%09b"`,
		`"https://xn--pple-43d.example/feed"`,
		`"http://good.example@evil.example/feed"`, // kept: it may be a password
	} {
		if !strings.Contains(string(config), want) {
			t.Errorf("config.toml lacks %s:\n%s", want, config)
		}
	}

	out.Reset()
	if err := e.Export(t.Context()); err != nil {
		t.Fatal(err)
	}
	assertNoHidden(t, "export", out.String())
	if !strings.Contains(out.String(), `xmlUrl="https://xn--pple-43d.example/feed"`) {
		t.Errorf("export shows the look-alike host in Unicode:\n%s", out)
	}

	out.Reset()
	if err := e.ListFeeds(t.Context()); err != nil {
		t.Fatal(err)
	}
	feeds := out.String()
	assertNoHidden(t, "feeds", feeds)
	if !strings.Contains(feeds, "http://***@evil.example/feed") || strings.Contains(feeds, "good.example") {
		t.Errorf("feeds does not show the user-info URL with its real host alone:\n%s", feeds)
	}
}

// A feed whose URL holds a C1 control is fetched, and its articles listed,
// under the percent-encoded URL.
func TestHostileURLInListJSON(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, rss("Odd", 1, 0))
	}))
	t.Cleanup(srv.Close)
	e, out, _ := testEnv(t)
	opml := filepath.Join(t.TempDir(), "odd.opml")
	os.WriteFile(opml, []byte(`<opml version="2.0"><body><outline text="Odd" xmlUrl="`+srv.URL+`/&#x9b;31m&#x202e;/feed"/></body></opml>`), 0o644)
	if err := e.Import(t.Context(), opml); err != nil {
		t.Fatal(err)
	}
	if err := e.Fetch(t.Context()); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := e.List(t.Context(), ListOptions{JSON: true, Limit: 5}); err != nil {
		t.Fatal(err)
	}
	var got []struct {
		Feed string `json:"feed"`
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	want := srv.URL + "/%C2%9B31m%E2%80%AE/feed"
	found := false
	for _, a := range got {
		assertNoHidden(t, "list --json feed", a.Feed)
		found = found || a.Feed == want
	}
	if !found {
		t.Errorf("no article of feed %s in:\n%s", want, out)
	}
}

func TestAddNormalises(t *testing.T) {
	e, out, _ := testEnv(t)
	ctx := t.Context()
	if err := e.Add(ctx, " HTTPS://Bücher.Example/Feed "); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Subscribed to https://xn--bcher-kva.example/Feed (") {
		t.Errorf("add said %q", out)
	}
	if err := e.Add(ctx, "https://xn--bcher-kva.example/Feed"); err == nil || !strings.Contains(err.Error(), "already subscribed") {
		t.Errorf("adding the punycode form again: %v", err)
	}
	out.Reset()
	if err := e.Add(ctx, "http://good.example@evil.example/"); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "Subscribed to http://***@evil.example/ (") || strings.Contains(s, "good.example") {
		t.Errorf("add of a user-info URL said %q", s)
	}
	for _, tt := range []struct{ url, want string }{
		{"https://exa\u202emple.org/", `add: url "https://exa\u202emple.org/" holds a bidi control character (U+202E) in its host`},
		{"https://example.org\x1b[31m/", `add: url "https://example.org\x1b[31m/" holds a control character (U+001B) in its host`},
		{"https://user\u2066@example.org/", `holds a bidi control character (U+2066) in its user info`},
		{"gopher://example.org/", `has unsupported scheme "gopher"`},
	} {
		err := e.Add(ctx, tt.url)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Add(%q) = %v, want %s", tt.url, err, tt.want)
		}
		if err != nil {
			assertNoHidden(t, "error", err.Error())
		}
	}
	config, _ := os.ReadFile(e.ConfigPath)
	if n := strings.Count(string(config), "\n[[feeds]]"); n != 2 {
		t.Errorf("%d feeds in config.toml, want 2:\n%s", n, config)
	}
}

// A hand-edited config with a bidi control in a URL is refused where it
// is, as other config errors are.
func TestConfigWithHostileURL(t *testing.T) {
	e, _, _ := testEnv(t)
	os.MkdirAll(filepath.Dir(e.ConfigPath), 0o755)
	os.WriteFile(e.ConfigPath, []byte("[[feeds]]\nurl = \"https://example.org/a.xml\"\n\n[[feeds]]\nurl = \"https://example.org/\\u202Efeed\"\n"), 0o644)
	err := e.ListFeeds(t.Context())
	want := `config.toml:4: feed 2: url "https://example.org/\u202efeed" holds a bidi control character (U+202E)`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("feeds with a hostile config: %v, want %s", err, want)
	}
}

func TestImportSkipReasons(t *testing.T) {
	e, out, _ := testEnv(t)
	var b strings.Builder
	b.WriteString("<opml version=\"2.0\"><body>\n")                                             // line 1
	b.WriteString("<outline text=\"A\" xmlUrl=\"https://a.example/rss\"/>\n")                   // line 2
	b.WriteString("<outline text=\"Gopher\" xmlUrl=\"gopher://a.example/1\"/>\n")               // line 3
	b.WriteString("<outline text=\"Just a link\" type=\"link\" url=\"https://a.example/\"/>\n") // line 4
	b.WriteString("<outline text=\"A again\" xmlUrl=\"HTTPS://A.EXAMPLE/rss\"/>\n")             // line 5
	b.WriteString("<outline text=\"Path\" xmlUrl=\"/etc/passwd\"/>\n")                          // line 6
	for i := range 25 {
		fmt.Fprintf(&b, "<outline text=\"Bad %d\" xmlUrl=\"https://bad\u202e%d.example/\"/>\n", i, i) // lines 7-31
	}
	b.WriteString("</body></opml>\n")
	opml := filepath.Join(t.TempDir(), "subs.opml")
	os.WriteFile(opml, []byte(b.String()), 0o644)
	if err := e.Import(t.Context(), opml); err != nil {
		t.Fatal(err)
	}
	said := out.String()
	for _, want := range []string{
		"1 added, 1 already there, 28 skipped",
		"  line 3: \"gopher://a.example/1\" is not an http or https URL\n",
		"  line 4: \"Just a link\" is neither a feed (no xmlUrl) nor a folder\n",
		"  line 5: \"https://a.example/rss\" repeats line 2\n",
		"  line 6: \"/etc/passwd\" is not an http or https URL\n",
		"  line 7: \"https://bad\\u202e0.example/\" holds a bidi control character (U+202E) in its host\n",
		"  line 22: \"https://bad\\u202e15.example/\"",
		"  and 9 more\n",
	} {
		if !strings.Contains(said, want) {
			t.Errorf("import output lacks %q:\n%s", want, said)
		}
	}
	if strings.Contains(said, "line 23:") {
		t.Errorf("import output lists more than 20 notes:\n%s", said)
	}
}

// An import whose context is done (Ctrl-C, SIGTERM) saves nothing.
func TestImportCancelled(t *testing.T) {
	e, _, _ := testEnv(t)
	if err := e.Add(t.Context(), "https://kept.example/rss"); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(e.ConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	opml := writeOPML(t, 5000)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err = e.Import(ctx, opml)
	if err == nil || !strings.Contains(err.Error(), "import stopped") || !strings.Contains(err.Error(), "unchanged") {
		t.Errorf("import with a cancelled context: %v", err)
	}
	after, _ := os.ReadFile(e.ConfigPath)
	if string(after) != string(before) {
		t.Errorf("config.toml changed:\n%s", after)
	}
}

// writeOPML writes an OPML file of n feeds, in folders of 100.
func writeOPML(tb testing.TB, n int) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "many.opml")
	if err := os.WriteFile(path, []byte(feedtest.ManyOPML(n)), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// BenchmarkImportOPML times tidings import of a large OPML file into an
// empty config, saving included: go test -bench ImportOPML -benchtime 1x.
func BenchmarkImportOPML(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			opml := writeOPML(b, n)
			for b.Loop() {
				b.StopTimer()
				dir := b.TempDir()
				e := Env{Stdout: io.Discard, Stderr: io.Discard, ConfigPath: filepath.Join(dir, "config.toml"),
					DBPath: filepath.Join(dir, "tidings.db"), Now: func() time.Time { return now }}
				b.StartTimer()
				if err := e.Import(context.Background(), opml); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
