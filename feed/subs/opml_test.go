package subs

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestReadOPMLFixtures(t *testing.T) {
	tests := []struct {
		file        string
		want        []Subscription
		wantSkipped int
	}{
		{
			file: "nested.opml",
			want: []Subscription{
				{URL: "https://feeds.bbci.co.uk/news/world/rss.xml", Title: "BBC World", Tags: []string{"News", "World"}},
				{URL: "https://rss.dw.com/rdf/rss-en-world", Title: "Deutsche Welle", Tags: []string{"News", "World", "europe", "tech", "b"}},
				{URL: "https://feeds.npr.org/1004/rss.xml", Title: "NPR World", Tags: []string{"News"}},
				{URL: "https://feeds.bbci.co.uk/news/world/rss.xml", Title: "BBC again", Tags: []string{"Tech"}},
				{URL: "https://example.org/feed?a=1&b=2", Title: "Top level & loose"},
			},
			wantSkipped: 3, // gopher: URL, a type="link" outline, an empty folder
		},
		{
			file: "feedly-like.opml",
			want: []Subscription{
				{URL: "https://feeds.arstechnica.com/arstechnica/index", Title: "Ars Technica", Tags: []string{"tech"}},
				{URL: "https://go.dev/blog/feed.atom", Title: "The Go Blog", Tags: []string{"tech"}},
				{URL: "https://www.aljazeera.com/xml/rss/all.xml", Title: "Al Jazeera – English", Tags: []string{"world"}},
				{URL: "https://go.dev/blog/feed.atom", Title: "The Go Blog", Tags: []string{"world"}},
			},
		},
		{
			file: "minimal.opml",
			want: []Subscription{
				{URL: "http://example.com/rss", Title: "Example"},
				{URL: "http://example.net/atom.xml", Title: "Other"},
			},
		},
		{
			file: "latin1.opml",
			want: []Subscription{
				{URL: "https://www.lemonde.fr/economie/rss_full.xml", Title: "Le Monde économie", Tags: []string{"actualités"}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "opml", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := ReadOPML(bytes.NewReader(data), tt.file)
			if err != nil {
				t.Fatalf("ReadOPML: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ReadOPML:\n got %+v\nwant %+v", got, tt.want)
			}
			doc, err := readOPML(t.Context(), bytes.NewReader(data), tt.file)
			if err != nil || doc.skipped != tt.wantSkipped {
				t.Errorf("skipped = %d (err %v), want %d", doc.skipped, err, tt.wantSkipped)
			}
		})
	}
}

// The latin1 fixture must really be ISO-8859-1; an editor "fixing" it to
// UTF-8 would make the test above meaningless.
func TestLatin1FixtureIsLatin1(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "opml", "latin1.opml"))
	if err != nil {
		t.Fatal(err)
	}
	if utf8.Valid(data) || !bytes.Contains(data, []byte("\xe9conomie")) ||
		!bytes.Contains(data, []byte(`encoding="ISO-8859-1"`)) {
		t.Fatal("testdata/opml/latin1.opml is not ISO-8859-1 encoded with an é and a declared encoding")
	}
}

func TestReadOPMLErrors(t *testing.T) {
	fixture := func(name string) string {
		data, err := os.ReadFile(filepath.Join("testdata", "opml", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	tests := []struct {
		name    string
		input   string
		wantErr []string // substrings; the first is the expected prefix
	}{
		{"broken.opml", fixture("broken.opml"),
			[]string{"broken.opml:9: ", "element <outline> closed by </body>", "(<outline> opened at line 8)"}},
		{"rss_not_opml.xml", fixture("rss_not_opml.xml"),
			[]string{"rss_not_opml.xml:2: not an OPML file (root element <rss>)"}},
		{"html.opml", "<html><body><outline xmlUrl='https://a.example/'/></body></html>",
			[]string{"html.opml:1: not an OPML file (root element <html>)"}},
		{"empty.opml", "", []string{"empty.opml:1: not an OPML file (no root element)"}},
		{"prolog-only.opml", "<?xml version=\"1.0\"?>\n<!-- nothing -->\n", []string{"prolog-only.opml:1: not an OPML file (no root element)"}},
		{"truncated.opml", "<opml version=\"2.0\">\n<body>\n<outline text=\"x\">\n<outline xmlUrl=\"https://a.example/\"/>\n",
			[]string{"truncated.opml:5: ", "unexpected EOF", "(<outline> opened at line 3 is never closed)"}},
		{"badattr.opml", "<opml>\n<body>\n<outline text=x/>\n</body></opml>", []string{"badattr.opml:3: "}},
		{"charset.opml", "<?xml version=\"1.0\" encoding=\"x-no-such-charset\"?>\n<opml/>", []string{"charset.opml:1: ", "x-no-such-charset"}},
		{"entity.opml", "<opml>\n<body>\n<outline text=\"&bogus;\" xmlUrl=\"https://a.example/\"/>\n</body></opml>",
			[]string{"entity.opml:3: "}},
		{"toobig.opml", "<opml><body>" + strings.Repeat(" ", opmlMaxSize) + "</body></opml>",
			[]string{"toobig.opml: file is larger than 16 MiB"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			subs, err := ReadOPML(strings.NewReader(tt.input), tt.name)
			if err == nil {
				t.Fatalf("no error; got %+v", subs)
			}
			if !strings.HasPrefix(err.Error(), tt.wantErr[0]) {
				t.Errorf("error %q does not start with %q", err, tt.wantErr[0])
			}
			for _, w := range tt.wantErr[1:] {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if subs != nil {
				t.Errorf("subs = %+v on error, want nil", subs)
			}
		})
	}
}

type opmlErrReader struct{}

func (opmlErrReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestReadOPMLReadError(t *testing.T) {
	_, err := ReadOPML(opmlErrReader{}, "pipe.opml")
	if err == nil || !strings.HasPrefix(err.Error(), "pipe.opml: ") {
		t.Errorf("err = %v, want one starting with the name", err)
	}
}

func TestReadOPMLLenient(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []Subscription
	}{
		{
			name:  "html entity and odd attribute case",
			input: `<opml version="2.0"><body><outline TEXT="Caf&eacute;&nbsp;News" xmlurl=" https://a.example/rss "/></body></opml>`,
			want:  []Subscription{{URL: "https://a.example/rss", Title: "Café News"}},
		},
		{
			name:  "outlines outside body are ignored",
			input: `<opml><head><outline xmlUrl="https://h.example/"/></head><body><outline xmlUrl="https://b.example/"/></body></opml>`,
			want:  []Subscription{{URL: "https://b.example/"}},
		},
		{
			name:  "text equal to the URL is not a title",
			input: `<opml><body><outline text="https://b.example/" xmlUrl="https://b.example/"/></body></opml>`,
			want:  []Subscription{{URL: "https://b.example/"}},
		},
		{
			name:  "children of a feed outline keep the enclosing folder only",
			input: `<opml><body><outline text="F"><outline text="Feed" xmlUrl="https://a.example/"><outline text="Child" xmlUrl="https://c.example/"/></outline></outline></body></opml>`,
			want: []Subscription{
				{URL: "https://a.example/", Title: "Feed", Tags: []string{"F"}},
				{URL: "https://c.example/", Title: "Child", Tags: []string{"F"}},
			},
		},
		{
			name:  "trailing junk after the root is ignored",
			input: "<opml><body/></opml>\n<junk",
			want:  nil,
		},
		{
			name:  "UTF-8 BOM",
			input: "\ufeff<?xml version=\"1.0\" encoding=\"utf-8\"?><opml><body><outline text=\"A\" xmlUrl=\"http://a.example/\"/></body></opml>",
			want:  []Subscription{{URL: "http://a.example/", Title: "A"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadOPML(strings.NewReader(tt.input), "x.opml")
			if err != nil {
				t.Fatalf("ReadOPML: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestImport(t *testing.T) {
	existing := func() Config {
		return Config{Feeds: []Subscription{{URL: "https://example.org/a.xml", Title: "A"}}}
	}
	tests := []struct {
		name  string
		subs  []Subscription
		want  ImportResult
		feeds int
	}{
		{"nothing", nil, ImportResult{}, 1},
		{"new ones", []Subscription{{URL: "https://example.org/b.xml"}, {URL: "https://example.org/c.xml"}}, ImportResult{Added: 2}, 3},
		{"already there", []Subscription{{URL: "HTTPS://EXAMPLE.ORG/a.xml "}}, ImportResult{Duplicates: 1}, 1},
		{"repeated in the import", []Subscription{{URL: "https://example.org/b.xml"}, {URL: "https://Example.org/b.xml"}}, ImportResult{Added: 1, Duplicates: 1}, 2},
		{"bad URLs", []Subscription{{URL: ""}, {URL: "ftp://example.org/x"}, {URL: "relative/path"}, {URL: "./ok.xml"}}, ImportResult{Added: 1, Skipped: 3}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := existing()
			if got := importCounts(c.Import(tt.subs)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Import = %+v, want %+v", got, tt.want)
			}
			if len(c.Feeds) != tt.feeds {
				t.Errorf("%d feeds after import, want %d", len(c.Feeds), tt.feeds)
			}
		})
	}
}

// importCounts is res without its notes, for comparing counts.
func importCounts(res ImportResult) ImportResult {
	return ImportResult{Added: res.Added, Duplicates: res.Duplicates, Skipped: res.Skipped}
}

func TestImportDoesNotAliasTags(t *testing.T) {
	subs := []Subscription{{URL: "https://example.org/a.xml", Tags: []string{"x"}}}
	var c Config
	c.Import(subs)
	subs[0].Tags[0] = "changed"
	if c.Feeds[0].Tags[0] != "x" {
		t.Error("imported subscription shares its Tags with the input")
	}
}

func TestImportOPML(t *testing.T) {
	npr := []Subscription{{URL: "https://feeds.npr.org/1004/rss.xml"}}
	tests := []struct {
		file  string
		start []Subscription
		want  ImportResult
	}{
		// BBC is listed twice and NPR is already there; a gopher: URL, a
		// link outline and an empty folder are skipped.
		{"nested.opml", npr, ImportResult{Added: 3, Duplicates: 2, Skipped: 3}},
		// The Go Blog is in two folders.
		{"feedly-like.opml", nil, ImportResult{Added: 3, Duplicates: 1}},
		{"minimal.opml", npr, ImportResult{Added: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", "opml", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			c := Config{Feeds: slices.Clone(tt.start)}
			res, err := c.ImportOPML(t.Context(), f, tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if got := importCounts(res); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ImportOPML = %+v, want %+v", got, tt.want)
			}
			if n := len(tt.start) + res.Added; len(c.Feeds) != n {
				t.Errorf("%d feeds after import, want %d", len(c.Feeds), n)
			}
		})
	}

	c := Config{Feeds: DefaultFeeds()}
	before := slices.Clone(c.Feeds)
	if _, err := c.ImportOPML(t.Context(), strings.NewReader("<rss/>"), "x.xml"); err == nil {
		t.Error("ImportOPML of an RSS file succeeded")
	}
	if !reflect.DeepEqual(c.Feeds, before) {
		t.Error("failed ImportOPML changed the config")
	}
}

func TestWriteOPML(t *testing.T) {
	subs := []Subscription{
		{URL: "https://example.org/loose.xml", Title: "Loose"},
		{URL: "https://feeds.bbci.co.uk/news/world/rss.xml", Title: "BBC News – World", Tags: []string{"world", "uk", "news"}},
		{URL: "https://example.org/q?a=1&b=<2>", Title: `Tom & Jerry's "feed"`, Tags: []string{"tech & toys"}},
		{URL: "https://example.org/untitled.xml"},
		{URL: "https://rss.dw.com/rdf/rss-en-world", Title: "DW", Tags: []string{" world ", "", "europe", "europe"}},
		{URL: "https://example.org/tabs", Title: "line\nbreak\tand tab"},
	}
	now := time.Date(2024, time.March, 5, 14, 7, 9, 0, time.FixedZone("CET", 3600))
	var buf bytes.Buffer
	if err := WriteOPML(&buf, subs, now); err != nil {
		t.Fatal(err)
	}
	want := `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head>
    <title>tidings subscriptions</title>
    <dateCreated>Tue, 05 Mar 2024 14:07:09 +0100</dateCreated>
  </head>
  <body>
    <outline type="rss" text="Loose" title="Loose" xmlUrl="https://example.org/loose.xml"/>
    <outline text="world" title="world">
      <outline text="uk" title="uk">
        <outline text="news" title="news">
          <outline type="rss" text="BBC News – World" title="BBC News – World" xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml"/>
        </outline>
      </outline>
      <outline text="europe" title="europe">
        <outline type="rss" text="DW" title="DW" xmlUrl="https://rss.dw.com/rdf/rss-en-world"/>
      </outline>
    </outline>
    <outline text="tech &amp; toys" title="tech &amp; toys">
      <outline type="rss" text="Tom &amp; Jerry&#39;s &#34;feed&#34;" title="Tom &amp; Jerry&#39;s &#34;feed&#34;" xmlUrl="https://example.org/q?a=1&amp;b=&lt;2&gt;"/>
    </outline>
    <outline type="rss" text="https://example.org/untitled.xml" xmlUrl="https://example.org/untitled.xml"/>
    <outline type="rss" text="line&#xA;break&#x9;and tab" title="line&#xA;break&#x9;and tab" xmlUrl="https://example.org/tabs"/>
  </body>
</opml>
`
	if got := buf.String(); got != want {
		t.Errorf("WriteOPML:\n%s\nwant:\n%s", got, want)
	}
}

type opmlFailWriter struct{}

func (opmlFailWriter) Write([]byte) (int, error) { return 0, io.ErrClosedPipe }

func TestWriteOPMLError(t *testing.T) {
	if err := WriteOPML(opmlFailWriter{}, DefaultFeeds(), time.Now()); err == nil {
		t.Error("WriteOPML ignored a write error")
	}
}

func TestOPMLRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		subs []Subscription
	}{
		{"empty", nil},
		{"defaults", DefaultFeeds()},
		{"mixed", []Subscription{
			{URL: "https://a.example/rss", Title: "A", Tags: []string{"x", "y", "z"}},
			{URL: "https://b.example/rss"},
			{URL: "http://c.example/atom?x=1&y=2", Title: `<"quoted" & 'apos'>`, Tags: []string{"y", "x"}},
			{URL: "https://d.example/", Title: "Ünïcode – 日本語", Tags: []string{"ünï", "x", "ünï"}},
			{URL: "https://e.example/", Title: "multi line title", Tags: []string{"a b", "c-d"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteOPML(&buf, tt.subs, time.Unix(0, 0).UTC()); err != nil {
				t.Fatal(err)
			}
			got, err := ReadOPML(&buf, "roundtrip.opml")
			if err != nil {
				t.Fatalf("ReadOPML: %v\n%s", err, buf.String())
			}
			if len(got) != len(tt.subs) {
				t.Fatalf("got %d feeds, want %d", len(got), len(tt.subs))
			}
			// WriteOPML groups by folder, so compare by URL.
			for _, want := range tt.subs {
				i := slices.IndexFunc(got, func(s Subscription) bool { return s.URL == want.URL })
				if i < 0 {
					t.Errorf("%q lost", want.URL)
					continue
				}
				if got[i].Title != want.Title {
					t.Errorf("%q: title %q, want %q", want.URL, got[i].Title, want.Title)
				}
				if g, w := got[i].Tags, opmlCleanTags(slices.Clone(want.Tags)); !reflect.DeepEqual(g, w) {
					t.Errorf("%q: tags %q, want %q", want.URL, g, w)
				}
			}
		})
	}
}

// TestOPMLExportImportFixedPoint checks that nested folders survive an
// export: importing the nested fixture and exporting it gives the golden
// document, folders nested as they were, and importing that and exporting
// again gives it byte for byte.
func TestOPMLExportImportFixedPoint(t *testing.T) {
	export := func(path string) []byte {
		t.Helper()
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var c Config
		if _, err := c.ImportOPML(t.Context(), f, path); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WriteOPML(&buf, c.Feeds, time.Unix(0, 0).UTC()); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	for _, name := range []string{"nested", "deep"} {
		t.Run(name, func(t *testing.T) {
			golden := filepath.Join("testdata", "opml", name+".exported.opml")
			first := export(filepath.Join("testdata", "opml", name+".opml"))
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first, want) {
				t.Errorf("export of %s.opml:\n%s\nwant (%s):\n%s", name, first, golden, want)
			}
			if again := export(golden); !bytes.Equal(again, want) {
				t.Errorf("import and export of %s changed it:\n%s", golden, again)
			}
		})
	}
}

func FuzzReadOPML(f *testing.F) {
	entries, err := os.ReadDir(filepath.Join("testdata", "opml"))
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join("testdata", "opml", e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`<opml><body><outline text="a"><outline text="b" category="/x/y,,/" xmlUrl="https://a.example/"/></outline></body></opml>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		const name = "fuzz.opml"
		subs, err := ReadOPML(bytes.NewReader(data), name)
		if err != nil {
			if !strings.HasPrefix(err.Error(), name+":") {
				t.Errorf("error %q does not start with the file name", err)
			}
			return
		}
		for _, s := range subs {
			if !strings.HasPrefix(strings.ToLower(s.URL), "http://") && !strings.HasPrefix(strings.ToLower(s.URL), "https://") {
				t.Errorf("accepted non-http URL %q", s.URL)
			}
			for _, tag := range s.Tags {
				if tag == "" || strings.TrimSpace(tag) != tag {
					t.Errorf("bad tag %q", tag)
				}
			}
		}
		// Whatever was read can be written and read back.
		var buf bytes.Buffer
		if err := WriteOPML(&buf, subs, time.Unix(0, 0).UTC()); err != nil {
			t.Fatal(err)
		}
		again, err := ReadOPML(&buf, "again.opml")
		if err != nil {
			t.Fatalf("re-reading WriteOPML output: %v\n%s", err, buf.String())
		}
		if len(again) != len(subs) {
			t.Errorf("re-read %d feeds, want %d", len(again), len(subs))
		}
	})
}

// TestReadOPMLSanitises checks that titles and tags from an OPML file lose
// the characters that could act on a terminal.
func TestReadOPMLSanitises(t *testing.T) {
	doc := "<opml version=\"2.0\"><body><outline text=\"Evil\u202e folder\u0085\">" +
		"<outline title=\"Bad\u009b31m \u202etitle\" xmlUrl=\"https://a.example/rss\" category=\"x\u0090y\"/>" +
		"</outline></body></opml>"
	subs, err := ReadOPML(strings.NewReader(doc), "evil.opml")
	if err != nil {
		t.Fatal(err)
	}
	// U+0090 opens a DCS: its payload goes with it.
	if len(subs) != 1 || subs[0].Title != "Bad title" || strings.Join(subs[0].Tags, ",") != "Evil folder,x" {
		t.Errorf("got %+v", subs)
	}
}
