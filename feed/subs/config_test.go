package subs

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

func TestLoadConfigFixtures(t *testing.T) {
	tests := []struct {
		file         string
		want         []Subscription // checked when no error is wanted
		wantErr      []string       // substrings of the error; nil means no error
		wantWarnings []string       // exact warnings, without the "testdata/config/" prefix
	}{
		{
			file: "good.toml",
			want: []Subscription{
				{URL: "https://example.org/feed.xml", Title: "Example", Tags: []string{"world", "tech"}},
				{URL: "http://blog.example.com/atom.xml"},
				{URL: "./local/feed.xml", Title: `Local "file"`},
				{URL: "../shared/feed.xml"},
				{URL: "/var/lib/feeds/abs.xml"},
				{URL: "file:///var/lib/feeds/file-url.xml"},
			},
		},
		{
			file:    "broken.toml",
			wantErr: []string{"broken.toml:5: "},
		},
		{
			file: "unknown_key.toml",
			want: []Subscription{
				{URL: "https://example.org/a.xml"},
				{URL: "https://example.org/b.xml"},
			},
			wantWarnings: []string{
				`unknown_key.toml:1: unknown key "refresh" ignored`,
				`unknown_key.toml:5: unknown key "feeds.colour" ignored`,
				`unknown_key.toml:9: unknown key "feeds.notes" ignored`,
				`unknown_key.toml:13: unknown key "feeds.colour" ignored`,
				`unknown_key.toml:15: unknown key "display" ignored`,
			},
		},
		{
			file:    "dup.toml",
			wantErr: []string{`dup.toml:8: feed 3: url "HTTPS://EXAMPLE.ORG/feed.xml" duplicates feed 1 at line 1`},
		},
		{
			file:    "nourl.toml",
			wantErr: []string{"nourl.toml:4: feed 2: missing url"},
		},
		{
			file:    "badscheme.toml",
			wantErr: []string{`badscheme.toml:7: feed 3: url "ftp://ftp.example.org/feed.xml" has unsupported scheme "ftp"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "config", tt.file)
			cfg, exists, warnings, err := Load(path)
			if !exists {
				t.Errorf("exists = false, want true")
			}
			for i := range tt.wantWarnings {
				tt.wantWarnings[i] = filepath.Join("testdata", "config", tt.wantWarnings[i])
			}
			if !reflect.DeepEqual(warnings, tt.wantWarnings) {
				t.Errorf("warnings:\n got %q\nwant %q", warnings, tt.wantWarnings)
			}
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("no error, want one containing %q", tt.wantErr)
				}
				if !strings.HasPrefix(err.Error(), path+":") {
					t.Errorf("error %q does not start with %q", err, path+":")
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not contain %q", err, w)
					}
				}
				if len(cfg.Feeds) != 0 {
					t.Errorf("cfg = %+v on error, want empty", cfg)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if !reflect.DeepEqual(cfg.Feeds, tt.want) {
				t.Errorf("feeds:\n got %+v\nwant %+v", cfg.Feeds, tt.want)
			}
		})
	}
}

// writeTemp writes content to a file called name in a new temporary
// directory and returns its path.
func writeTemp(t testing.TB, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadConfigInline(t *testing.T) {
	tests := []struct {
		name         string
		toml         string
		want         []Subscription
		wantErr      []string // substrings after "config.toml"
		wantWarnings []string // each after "config.toml"
	}{
		{
			name: "empty file",
			toml: "",
		},
		{
			name: "comments only",
			toml: "# nothing yet\n",
		},
		{
			name: "inline array of tables",
			toml: "feeds = [\n  {url = \"https://a.example/rss\", title = \"A\"},\n  {url = \"https://b.example/rss\", tags = [\"x\"], extra = 1},\n]\n",
			want: []Subscription{
				{URL: "https://a.example/rss", Title: "A"},
				{URL: "https://b.example/rss", Tags: []string{"x"}},
			},
			wantWarnings: []string{`:3: unknown key "feeds.extra" ignored`},
		},
		{
			name:    "inline entries give their own line",
			toml:    "feeds = [\n  {url = \"https://a.example/rss\"},\n  {url = \"gopher://b.example/\"},\n]\n",
			wantErr: []string{`:3: feed 2: url "gopher://b.example/" has unsupported scheme "gopher"`},
		},
		{
			name: "url is trimmed",
			toml: "[[feeds]]\nurl = \"  https://a.example/rss\\n\"\n",
			want: []Subscription{{URL: "https://a.example/rss"}},
		},
		{
			name:    "url of the wrong type",
			toml:    "[[feeds]]\nurl = \"https://a.example/rss\"\n\n[[feeds]]\nurl = 5\n",
			wantErr: []string{":4: feed 2: url must be a string, not an integer"},
		},
		{
			name:    "tags of the wrong type",
			toml:    "[[feeds]]\nurl = \"https://a.example/rss\"\ntags = \"world\"\n",
			wantErr: []string{":1: feed 1: tags must be an array of strings, not a string"},
		},
		{
			name:    "tag of the wrong type",
			toml:    "[[feeds]]\nurl = \"https://a.example/rss\"\ntags = [\"world\", 3]\n",
			wantErr: []string{":1: feed 1: tags must be strings, not an integer"},
		},
		{
			name:    "feeds is not an array",
			toml:    "# comment\nfeeds = 3\n",
			wantErr: []string{":2: feeds: incompatible types"},
		},
		{
			name:    "relative path without ./",
			toml:    "[[feeds]]\nurl = \"feeds/a.xml\"\n",
			wantErr: []string{`:1: feed 1: url "feeds/a.xml" is not absolute`},
		},
		{
			name:    "http without host",
			toml:    "[[feeds]]\nurl = \"https:///rss\"\n",
			wantErr: []string{`:1: feed 1: url "https:///rss" has no host`},
		},
		{
			name:    "space in the host",
			toml:    "[[feeds]]\nurl = \"https://a b.example/%zz\"\n",
			wantErr: []string{`:1: feed 1: url "https://a b.example/%zz" holds a space in its host`},
		},
		{
			name:    "unparsable url",
			toml:    "[[feeds]]\nurl = \"https://ab.example/%zz\"\n",
			wantErr: []string{`:1: feed 1: url "https://ab.example/%zz" is not valid`},
		},
		{
			name: "several problems are all reported",
			toml: "[[feeds]]\ntitle = \"x\"\n[[feeds]]\nurl = \"ftp://x.example/\"\n",
			wantErr: []string{
				":1: feed 1: missing url",
				"config.toml:3: feed 2: url",
			},
		},
		{
			name: "unknown table and nested keys report the table once",
			toml: "[[feeds]]\nurl = \"https://a.example/rss\"\n\n[ui]\ntheme = \"dark\"\n[ui.colors]\nfg = 1\n",
			want: []Subscription{{URL: "https://a.example/rss"}},
			wantWarnings: []string{
				`:4: unknown key "ui" ignored`,
			},
		},
		{
			name: "dotted and quoted unknown keys",
			toml: "[[feeds]]\nurl = \"https://a.example/rss\"\n\"odd key\".x = 1\n",
			want: []Subscription{{URL: "https://a.example/rss"}},
			wantWarnings: []string{
				`:3: unknown key "feeds.\"odd key\".x" ignored`,
			},
		},
		{
			name: "CRLF line endings and a BOM",
			toml: "\ufeff[[feeds]]\r\nurl = \"https://a.example/rss\"\r\nx = 1\r\n",
			want: []Subscription{{URL: "https://a.example/rss"}},
			wantWarnings: []string{
				`:3: unknown key "feeds.x" ignored`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeTemp(t, "config.toml", tt.toml)
			cfg, exists, warnings, err := Load(path)
			if !exists {
				t.Errorf("exists = false")
			}
			var wantWarnings []string
			for _, w := range tt.wantWarnings {
				wantWarnings = append(wantWarnings, path+w)
			}
			if !reflect.DeepEqual(warnings, wantWarnings) {
				t.Errorf("warnings:\n got %q\nwant %q", warnings, wantWarnings)
			}
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("no error, want %q", tt.wantErr)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not contain %q", err, w)
					}
				}
				for _, line := range strings.Split(err.Error(), "\n") {
					if !strings.HasPrefix(line, path+":") {
						t.Errorf("error line %q does not start with %q", line, path+":")
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if !reflect.DeepEqual(cfg.Feeds, tt.want) {
				t.Errorf("feeds:\n got %+v\nwant %+v", cfg.Feeds, tt.want)
			}
		})
	}
}

func TestLoadConfigMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope", "config.toml")
	cfg, exists, warnings, err := Load(path)
	if err != nil || exists || warnings != nil || len(cfg.Feeds) != 0 {
		t.Errorf("Load(missing) = %+v, %v, %q, %v; want empty, false, nil, nil", cfg, exists, warnings, err)
	}
}

func TestLoadConfigUnreadable(t *testing.T) {
	dir := t.TempDir() // a directory cannot be read as a file
	_, exists, _, err := Load(dir)
	if err == nil {
		t.Fatal("no error reading a directory")
	}
	if !exists {
		t.Error("exists = false for an existing path")
	}
	if !strings.HasPrefix(err.Error(), dir+": ") {
		t.Errorf("error %q does not start with the path", err)
	}
}

func TestSave(t *testing.T) {
	cfg := Config{Feeds: []Subscription{
		{URL: "https://example.org/feed.xml", Title: `Quotes " and \ backslash`, Tags: []string{"world", "tech"}},
		{URL: "./local.xml"},
		{URL: "https://example.net/ünïcode", Title: "Ünïcode – title\nwith newline"},
	}}
	tests := []struct {
		name string
		cfg  Config
		path func(dir string) string
	}{
		{"existing dir", cfg, func(dir string) string { return filepath.Join(dir, "config.toml") }},
		{"missing dirs", cfg, func(dir string) string { return filepath.Join(dir, "a", "b", "tidings", "config.toml") }},
		{"empty config", Config{}, func(dir string) string { return filepath.Join(dir, "config.toml") }},
		{"defaults", Config{Feeds: DefaultFeeds()}, func(dir string) string { return filepath.Join(dir, "config.toml") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := tt.path(dir)
			// Save twice: the second Save replaces the first file.
			if err := (Config{Feeds: []Subscription{{URL: "https://old.example/"}}}).Save(path); err != nil {
				t.Fatalf("first Save: %v", err)
			}
			if err := tt.cfg.Save(path); err != nil {
				t.Fatalf("Save: %v", err)
			}
			got, exists, warnings, err := Load(path)
			if err != nil || !exists || warnings != nil {
				t.Fatalf("reload: exists=%v warnings=%q err=%v", exists, warnings, err)
			}
			if !reflect.DeepEqual(got, tt.cfg) {
				t.Errorf("reloaded config differs:\n got %+v\nwant %+v", got, tt.cfg)
			}
			entries, err := os.ReadDir(filepath.Dir(path))
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 || entries[0].Name() != filepath.Base(path) {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Errorf("directory holds %q, want only %q (no temp files)", names, filepath.Base(path))
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o644 {
				t.Errorf("mode = %v, want 0644", fi.Mode().Perm())
			}
			if runtime.GOOS != "windows" && path != filepath.Join(dir, "config.toml") {
				di, err := os.Stat(filepath.Dir(path))
				if err != nil {
					t.Fatal(err)
				}
				// 0o755 minus whatever the umask removes.
				if di.Mode().Perm()&^0o755 != 0 {
					t.Errorf("created directory mode = %v, want at most 0755", di.Mode().Perm())
				}
			}
		})
	}
}

func TestSaveFormat(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	cfg := Config{Feeds: []Subscription{
		{URL: "https://example.org/feed.xml", Title: "Example", Tags: []string{"world", "tech"}},
		{URL: "https://example.net/rss"},
	}}
	if err := cfg.Save(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := fileHeader + `[[feeds]]
url = "https://example.org/feed.xml"
title = "Example"
tags = ["world", "tech"]

[[feeds]]
url = "https://example.net/rss"
`
	if string(data) != want {
		t.Errorf("saved file:\n%s\nwant:\n%s", data, want)
	}
}

func TestSaveThroughSymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	dir := t.TempDir()
	real := filepath.Join(dir, "dotfiles", "tidings.toml")
	if err := os.MkdirAll(filepath.Dir(real), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "config.toml")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	cfg := Config{Feeds: []Subscription{{URL: "https://example.org/rss"}}}
	if err := cfg.Save(link); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("symlink was replaced (err=%v)", err)
	}
	got, _, _, err := Load(real)
	if err != nil || !reflect.DeepEqual(got, cfg) {
		t.Errorf("link target = %+v, %v; want %+v", got, err, cfg)
	}
}

func TestSaveError(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(blocker, "config.toml") // parent is a file
	err := Config{}.Save(path)
	if err == nil {
		t.Fatal("Save under a regular file succeeded")
	}
	if !strings.HasPrefix(err.Error(), path+": ") {
		t.Errorf("error %q does not start with the path", err)
	}
}

func TestAddRemoveFind(t *testing.T) {
	base := func() Config {
		return Config{Feeds: []Subscription{
			{URL: "https://example.org/a.xml", Title: "A"},
			{URL: "https://example.org/b.xml", Title: "B"},
			{URL: "./local.xml"},
		}}
	}
	tests := []struct {
		name string
		op   func(c *Config) any
		want any
		urls []string // URLs after the operation
	}{
		{"find exact", func(c *Config) any { return c.Find("https://example.org/b.xml") }, 1,
			[]string{"https://example.org/a.xml", "https://example.org/b.xml", "./local.xml"}},
		{"find normalised", func(c *Config) any { return c.Find(" HTTPS://EXAMPLE.ORG/b.xml\t") }, 1,
			[]string{"https://example.org/a.xml", "https://example.org/b.xml", "./local.xml"}},
		{"find path case matters", func(c *Config) any { return c.Find("https://example.org/B.xml") }, -1,
			[]string{"https://example.org/a.xml", "https://example.org/b.xml", "./local.xml"}},
		{"find local path", func(c *Config) any { return c.Find("./local.xml ") }, 2,
			[]string{"https://example.org/a.xml", "https://example.org/b.xml", "./local.xml"}},
		{"find missing", func(c *Config) any { return c.Find("https://example.org/c.xml") }, -1,
			[]string{"https://example.org/a.xml", "https://example.org/b.xml", "./local.xml"}},
		{"add new", func(c *Config) any { return c.Add(Subscription{URL: " https://example.org/c.xml "}) }, true,
			[]string{"https://example.org/a.xml", "https://example.org/b.xml", "./local.xml", "https://example.org/c.xml"}},
		{"add duplicate", func(c *Config) any { return c.Add(Subscription{URL: "https://Example.ORG/a.xml", Title: "dup"}) }, false,
			[]string{"https://example.org/a.xml", "https://example.org/b.xml", "./local.xml"}},
		{"add empty", func(c *Config) any { return c.Add(Subscription{URL: "  "}) }, false,
			[]string{"https://example.org/a.xml", "https://example.org/b.xml", "./local.xml"}},
		{"remove normalised", func(c *Config) any { return c.Remove("HTTPS://example.org/a.xml") }, true,
			[]string{"https://example.org/b.xml", "./local.xml"}},
		{"remove last", func(c *Config) any { return c.Remove("./local.xml") }, true,
			[]string{"https://example.org/a.xml", "https://example.org/b.xml"}},
		{"remove missing", func(c *Config) any { return c.Remove("https://example.org/zzz") }, false,
			[]string{"https://example.org/a.xml", "https://example.org/b.xml", "./local.xml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base()
			orig := c.Feeds
			if got := tt.op(&c); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			var urls []string
			for _, s := range c.Feeds {
				urls = append(urls, s.URL)
			}
			if !reflect.DeepEqual(urls, tt.urls) {
				t.Errorf("URLs after: %q, want %q", urls, tt.urls)
			}
			// Remove must not scribble over a slice the caller may share.
			if orig[0].URL != "https://example.org/a.xml" {
				t.Errorf("original backing array modified: %+v", orig)
			}
		})
	}
}

func TestDefaultFeeds(t *testing.T) {
	feeds := DefaultFeeds()
	if len(feeds) == 0 || len(feeds) > 6 {
		t.Fatalf("DefaultFeeds has %d entries, want 1..6", len(feeds))
	}
	var c Config
	for _, f := range feeds {
		if !strings.HasPrefix(f.URL, "https://") {
			t.Errorf("%q is not https", f.URL)
		}
		if err := CheckURL(f.URL); err != nil {
			t.Errorf("%q: %v", f.URL, err)
		}
		if f.Title == "" {
			t.Errorf("%q has no title", f.URL)
		}
		if !reflect.DeepEqual(f.Tags, []string{"world"}) {
			t.Errorf("%q tags = %q, want [world]", f.URL, f.Tags)
		}
		if !c.Add(f) {
			t.Errorf("%q is listed twice", f.URL)
		}
	}
	// Each call returns fresh data.
	feeds[0].Title = "changed"
	feeds[0].Tags[0] = "changed"
	if again := DefaultFeeds(); again[0].Title == "changed" || again[0].Tags[0] == "changed" {
		t.Error("DefaultFeeds shares state between calls")
	}
}

func FuzzLoadConfig(f *testing.F) {
	for _, name := range []string{"good.toml", "broken.toml", "unknown_key.toml", "dup.toml", "nourl.toml", "badscheme.toml"} {
		data, err := os.ReadFile(filepath.Join("testdata", "config", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add("feeds = [{url = \"https://a.example/\", x = {y = [1, {z = 2}]}}]\n")
	f.Add("[[feeds]]\nurl = '''\nhttps://a.example/'''\n")
	f.Add("[[feeds]]\nurl = 1979-05-27\ntitle = [1]\n")
	f.Fuzz(func(t *testing.T, content string) {
		path := writeTemp(t, "config.toml", content)
		cfg, exists, warnings, err := Load(path)
		if !exists {
			t.Error("exists = false for a file that exists")
		}
		for _, w := range warnings {
			if !strings.HasPrefix(w, path) {
				t.Errorf("warning %q does not start with the file name", w)
			}
		}
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, path) {
					t.Errorf("error line %q does not start with the file name", line)
				}
			}
			return
		}
		// A config that loads can be saved and loads back the same.
		out := filepath.Join(t.TempDir(), "out.toml")
		if err := cfg.Save(out); err != nil {
			t.Fatalf("Save: %v", err)
		}
		again, _, _, err := Load(out)
		if err != nil {
			t.Fatalf("reload after Save: %v", err)
		}
		if !reflect.DeepEqual(again, cfg) {
			t.Errorf("reload differs:\n got %+v\nwant %+v", again, cfg)
		}
	})
}

func TestConfigRetention(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	os.WriteFile(path, []byte("[retention]\ndays = 30\nper_feed = 0\n\n[[feeds]]\nurl = \"https://a.example/rss\"\n"), 0o644)
	cfg, _, _, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Retention == nil || *cfg.Retention.Days != 30 || *cfg.Retention.PerFeed != 0 {
		t.Fatalf("retention %+v", cfg.Retention)
	}
	if err := cfg.Save(path); err != nil {
		t.Fatal(err)
	}
	again, _, _, err := Load(path)
	if err != nil || *again.Retention.Days != 30 || len(again.Feeds) != 1 {
		t.Errorf("after a save: %+v, %v", again, err)
	}
	os.WriteFile(path, []byte("[retention]\ndays = -1\nper_feed = \"many\"\n"), 0o644)
	_, _, _, err = Load(path)
	if err == nil || !strings.Contains(err.Error(), "config.toml:2: retention.days") || !strings.Contains(err.Error(), "config.toml:3: retention.per_feed") {
		t.Errorf("bad retention: %v", err)
	}
}

// TestConfigReaderMouse: mouse = false under [reader] leaves the mouse to
// the terminal, a value of another type is an error naming its line, and
// the table survives a save (tidings add rewrites the file).
func TestConfigReaderMouse(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte("[reader]\nmouse = false\n\n[[feeds]]\nurl = \"https://a.example/feed\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, _, _, err := Load(path)
	if err != nil || cfg.MouseOn() {
		t.Fatalf("mouse = false: on %v, %v", cfg.MouseOn(), err)
	}
	if err := cfg.Save(path); err != nil {
		t.Fatal(err)
	}
	if again, _, _, err := Load(path); err != nil || again.MouseOn() {
		t.Errorf("after a save: on %v, %v", again.MouseOn(), err)
	}
	if (Config{}).MouseOn() != true {
		t.Error("the mouse is off by default")
	}
	if err := os.WriteFile(path, []byte("[reader]\nmouse = \"no\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := Load(path); err == nil || !strings.Contains(err.Error(), "config.toml:2: reader.mouse must be true or false") {
		t.Errorf("mouse = \"no\": %v", err)
	}
}

// TestLoadConfigErrorOrder: one load reports every problem, in the order
// of parse's steps (each feed's field types, [retention], [reader], then
// each feed's url), whatever order the file has them in.
func TestLoadConfigErrorOrder(t *testing.T) {
	path := writeTemp(t, "config.toml", `[reader]
mouse = 1
[retention]
days = -1
[[feeds]]
url = "ftp://a.example/"
[[feeds]]
url = 3
title = 4
`)
	_, _, _, err := Load(path)
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		path + ":7: feed 2: url must be a string, not an integer",
		path + ":7: feed 2: title must be a string, not an integer",
		path + ":4: retention.days must be a whole number from 0 up, not -1",
		path + ":2: reader.mouse must be true or false, not 1",
		path + `:5: feed 1: url "ftp://a.example/" has unsupported scheme "ftp": want http, https or file`,
	}
	if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n got %q\nwant %q", got, want)
	}
}

// TestConfigReaderBidi: bidi under [reader] takes "auto", "terminal" or
// "reorder" (auto when absent) and survives a save; any other value is an
// error naming its line and the values allowed.
func TestConfigReaderBidi(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	for _, mode := range []string{"auto", "terminal", "reorder"} {
		if err := os.WriteFile(path, []byte("[reader]\nbidi = \""+mode+"\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, _, _, err := Load(path)
		if err != nil || cfg.BidiMode() != mode {
			t.Fatalf("bidi = %q: %q, %v", mode, cfg.BidiMode(), err)
		}
		if err := cfg.Save(path); err != nil {
			t.Fatal(err)
		}
		if again, _, _, err := Load(path); err != nil || again.BidiMode() != mode {
			t.Errorf("bidi = %q after a save: %q, %v", mode, again.BidiMode(), err)
		}
	}
	if (Config{}).BidiMode() != "auto" {
		t.Errorf("default bidi %q, want auto", (Config{}).BidiMode())
	}
	for value, want := range map[string]string{
		`"rtl"`: `config.toml:3: reader.bidi must be "auto", "terminal" or "reorder", not "rtl"`,
		`true`:  `config.toml:3: reader.bidi must be "auto", "terminal" or "reorder", not true`,
	} {
		if err := os.WriteFile(path, []byte("[reader]\nmouse = true\nbidi = "+value+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := Load(path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("bidi = %s: %v, want %s", value, err, want)
		}
	}
}

// TestConfigReaderImages: images under [reader] takes "auto" or "off"
// (auto when absent) and survives a save; any other value is an error
// naming its line and the values allowed.
func TestConfigReaderImages(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	for _, mode := range []string{"auto", "off"} {
		if err := os.WriteFile(path, []byte("[reader]\nimages = \""+mode+"\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, _, _, err := Load(path)
		if err != nil || cfg.ImagesMode() != mode {
			t.Fatalf("images = %q: %q, %v", mode, cfg.ImagesMode(), err)
		}
		if err := cfg.Save(path); err != nil {
			t.Fatal(err)
		}
		if again, _, _, err := Load(path); err != nil || again.ImagesMode() != mode {
			t.Errorf("images = %q after a save: %q, %v", mode, again.ImagesMode(), err)
		}
	}
	if (Config{}).ImagesMode() != "auto" {
		t.Errorf("default images %q, want auto", (Config{}).ImagesMode())
	}
	for value, want := range map[string]string{
		`"on"`:  `config.toml:3: reader.images must be "auto" or "off", not "on"`,
		`false`: `config.toml:3: reader.images must be "auto" or "off", not false`,
	} {
		if err := os.WriteFile(path, []byte("[reader]\nmouse = true\nimages = "+value+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := Load(path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("images = %s: %v, want %s", value, err, want)
		}
	}
}
