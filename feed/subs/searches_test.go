package subs

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

const rulesConfig = `notify_command = ["notify-send", "--app-name", "tidings"]

[[feeds]]
url = "https://a.example/feed"

[[searches]]
name = "Climate"
query = "climate OR warming -sport"

[[searches]]
query = "title:earthquake"
name = "Quakes"

[[ignore]]
query = "feed:example.org title:sponsored"

[[notify]]
query = "title:earthquake"
`

func TestConfigRules(t *testing.T) {
	path := writeTemp(t, "config.toml", rulesConfig)
	cfg, _, warnings, err := Load(path)
	if err != nil || len(warnings) > 0 {
		t.Fatalf("load: %v %q", err, warnings)
	}
	wantSearches := []Search{
		{Name: "Climate", Query: "climate OR warming -sport", Where: path + ":6"},
		{Name: "Quakes", Query: "title:earthquake", Where: path + ":10"},
	}
	if !reflect.DeepEqual(cfg.Searches, wantSearches) {
		t.Errorf("searches: got %+v\nwant %+v", cfg.Searches, wantSearches)
	}
	if want := []Rule{{Query: "feed:example.org title:sponsored", Where: path + ":14"}}; !reflect.DeepEqual(cfg.Ignore, want) {
		t.Errorf("ignore: got %+v, want %+v", cfg.Ignore, want)
	}
	if want := []Rule{{Query: "title:earthquake", Where: path + ":17"}}; !reflect.DeepEqual(cfg.Notify, want) {
		t.Errorf("notify: got %+v, want %+v", cfg.Notify, want)
	}
	if want := []string{"notify-send", "--app-name", "tidings"}; !reflect.DeepEqual(cfg.NotifyCommand, want) {
		t.Errorf("notify_command: got %q, want %q", cfg.NotifyCommand, want)
	}
}

// What tidings add does: load, add a feed, save. The rules must survive.
func TestSaveKeepsRules(t *testing.T) {
	path := writeTemp(t, "config.toml", rulesConfig)
	cfg, _, _, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Add(Subscription{URL: "https://b.example/rss"})
	if err := cfg.Save(path); err != nil {
		t.Fatal(err)
	}
	again, _, warnings, err := Load(path)
	if err != nil || len(warnings) > 0 {
		data, _ := os.ReadFile(path)
		t.Fatalf("reload: %v %q\n%s", err, warnings, data)
	}
	strip := func(c Config) Config {
		for i := range c.Searches {
			c.Searches[i].Where = ""
		}
		for _, rs := range [][]Rule{c.Ignore, c.Notify} {
			for i := range rs {
				rs[i].Where = ""
			}
		}
		return c
	}
	if got, want := strip(again), strip(cfg); !reflect.DeepEqual(got, want) {
		t.Errorf("after a save:\n%+v\nwant\n%+v", got, want)
	}
}

func TestSaveRulesFormat(t *testing.T) {
	path := writeTemp(t, "config.toml", "")
	cfg := Config{NotifyCommand: []string{"notify-send", "tidings"}, Feeds: []Subscription{{URL: "https://a.example/feed"}}}
	if err := cfg.AddSearch("Climate", `title:"sea ice"`); err != nil {
		t.Fatal(err)
	}
	if added, err := cfg.AddIgnore("feed:https://spam.example/rss"); !added || err != nil {
		t.Fatalf("AddIgnore: %v %v", added, err)
	}
	if added, _ := cfg.AddIgnore(" feed:https://spam.example/rss "); added {
		t.Error("the same ignore rule was added twice")
	}
	if err := cfg.Save(path); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	want := fileHeader + `notify_command = ["notify-send", "tidings"]

[[feeds]]
url = "https://a.example/feed"

[[searches]]
name = "Climate"
query = "title:\"sea ice\""

[[ignore]]
query = "feed:https://spam.example/rss"
`
	if string(data) != want {
		t.Errorf("saved file:\n%s\nwant:\n%s", data, want)
	}
}

func TestAddSearchRefuses(t *testing.T) {
	cfg := Config{Searches: []Search{{Name: "Climate", Query: "climate"}}}
	for _, tt := range []struct{ name, query, want string }{
		{"climate", "x", `a saved search is already called "Climate"`},
		{"  ", "x", "needs a name"},
		{"Other", "  ", "the query is empty"},
	} {
		if err := cfg.AddSearch(tt.name, tt.query); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("AddSearch(%q, %q) = %v, want %q", tt.name, tt.query, err, tt.want)
		}
	}
	if len(cfg.Searches) != 1 {
		t.Errorf("searches after refusals: %+v", cfg.Searches)
	}
	if i := cfg.FindSearch(" CLIMATE "); i != 0 {
		t.Errorf("FindSearch ignores case and blanks: got %d", i)
	}
}

func TestConfigRulesErrors(t *testing.T) {
	tests := []struct{ toml, want string }{
		{"[[searches]]\nquery = \"x\"\n", ":1: search 1: name is missing"},
		{"[[searches]]\nname = \"A\"\n", ":1: search 1: query is missing"},
		{"[[searches]]\nname = \"A\"\nquery = 3\n", ":1: search 1: query must be a string, not an integer"},
		{"[[searches]]\nname = \"A\"\n\nquery = \"  \"\n", ":1: search 1: query is empty"},
		{"[[searches]]\nname = \"A\"\nquery = \"a\"\n\n[[searches]]\nname = \"a\"\nquery = \"b\"\n",
			":5: search \"a\": the name is taken by search 1 at line 1"},
		{"[[ignore]]\nquery = \"\"\n", ":1: ignore 1: query is empty"},
		{"[[notify]]\nfoo = \"x\"\n", ":1: notify 1: query is missing"},
		{"[[notify]]\nquery = [\"x\"]\n", ":1: notify 1: query must be a string, not an array"},
		{"notify_command = \"notify-send -a tidings\"\n", `:1: notify_command must be an array: the program, then its arguments, run without a shell, e.g. notify_command = ["notify-send", "-a", "tidings"]`},
		{"notify_command = []\n", ":1: notify_command names no program"},
		{"notify_command = [\"x\", 3]\n", ":1: notify_command must be an array of strings"},
		{"\nnotify_command = 3\n", ":2: notify_command must be an array of strings"},
	}
	for _, tt := range tests {
		path := writeTemp(t, "config.toml", tt.toml)
		_, _, _, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), path+tt.want) {
			t.Errorf("%q: got %v, want %q", tt.toml, err, tt.want)
		}
	}
}

// An unknown key in an entry is a warning on its line, as in [[feeds]].
func TestConfigRulesUnknownKey(t *testing.T) {
	path := writeTemp(t, "config.toml", "[[searches]]\nname = \"A\"\nquery = \"a\"\nqeury = \"b\"\n")
	_, _, warnings, err := Load(path)
	if err != nil || len(warnings) != 1 || !strings.Contains(warnings[0], path+":4: unknown key \"searches.qeury\"") {
		t.Errorf("got %v %q", err, warnings)
	}
}

// A file of rules alone, no feeds, keeps them through a save.
func TestSaveRulesWithoutFeeds(t *testing.T) {
	path := writeTemp(t, "config.toml", "")
	cfg := Config{Searches: []Search{{Name: "A", Query: "a"}}}
	if err := cfg.Save(path); err != nil {
		t.Fatal(err)
	}
	again, _, _, err := Load(path)
	if err != nil || len(again.Searches) != 1 {
		data, _ := os.ReadFile(path)
		t.Errorf("reload: %v %+v\n%s", err, again.Searches, data)
	}
}
