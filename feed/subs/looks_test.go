package subs

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestConfigKeys(t *testing.T) {
	path := writeTemp(t, "config.toml", `[[feeds]]
url = "https://a.example/feed"

[keys]
down = ["j", "down", "ctrl+n"]
quit = "x"
`)
	cfg, _, warnings, err := Load(path)
	if err != nil || len(warnings) > 0 {
		t.Fatalf("load: %v %q", err, warnings)
	}
	want := []KeyBinding{
		{Action: "down", Keys: []string{"j", "down", "ctrl+n"}, Where: path + ":5"},
		{Action: "quit", Keys: []string{"x"}, Where: path + ":6"},
	}
	if cfg.Keys == nil || !reflect.DeepEqual(cfg.Keys.Bindings, want) {
		t.Fatalf("keys: got %+v\nwant %+v", cfg.Keys, want)
	}
	if err := cfg.Save(path); err != nil {
		t.Fatal(err)
	}
	again, _, _, err := Load(path)
	if err != nil || !reflect.DeepEqual(again.Keys.Map(), cfg.Keys.Map()) || len(again.Feeds) != 1 {
		t.Errorf("after a save: %+v, %v", again.Keys, err)
	}
}

func TestConfigKeysErrors(t *testing.T) {
	tests := []struct{ toml, want string }{
		{"[keys]\ndown = []\n", ":2: keys.down names no key: give it at least one"},
		{"[keys]\n\nup = [\"k\", 3]\n", ":3: keys.up must be an array of key names"},
		{"[keys]\nup = 3\n", ":2: keys.up must be an array of key names, e.g. up = [\"j\", \"down\"], not an integer"},
		{"[keys]\nup = [\"k\", \" \"]\n", ":2: keys.up has an empty key name"},
		{"[keys]\nup = { a = 1 }\n", ":2: keys.up must be an array of key names"},
	}
	for _, tt := range tests {
		path := writeTemp(t, "config.toml", tt.toml)
		_, _, _, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), path+tt.want) {
			t.Errorf("%q: got %v, want %q", tt.toml, err, tt.want)
		}
	}
}

func TestConfigTheme(t *testing.T) {
	path := writeTemp(t, "config.toml", `[theme]
name = "high-contrast"
glamour = "dracula"
selection = { light = "#e8e2ff", dark = "#2e2650" }
accent = "magenta"
`)
	cfg, _, warnings, err := Load(path)
	if err != nil || len(warnings) > 0 {
		t.Fatalf("load: %v %q", err, warnings)
	}
	want := &Theme{
		Name: "high-contrast", Glamour: "dracula", glamourWritten: "dracula",
		NameWhere: path + ":2", GlamourWhere: path + ":3",
		Colors: []ThemeColor{
			{Key: "selection", Light: "#e8e2ff", Dark: "#2e2650", Where: path + ":4"},
			{Key: "accent", Light: "magenta", Dark: "magenta", Where: path + ":5"},
		},
	}
	if !reflect.DeepEqual(cfg.Theme, want) {
		t.Fatalf("theme: got %+v\nwant %+v", cfg.Theme, want)
	}
	if err := cfg.Save(path); err != nil {
		t.Fatal(err)
	}
	again, _, _, err := Load(path)
	if err != nil || again.Theme == nil || !reflect.DeepEqual(again.Theme.table(), cfg.Theme.table()) {
		t.Errorf("after a save: %+v, %v", again.Theme, err)
	}
}

func TestConfigThemeErrors(t *testing.T) {
	tests := []struct{ toml, want string }{
		{"[theme]\nname = 3\n", ":2: theme.name must be a name in quotes, not an integer"},
		{"[theme]\nglamour = \"\"\n", ":2: theme.glamour must be a name in quotes, not an empty string"},
		{"[theme]\n\nselection = { light = \"#fff\" }\n", ":3: theme.selection must give a light and a dark colour"},
		{"[theme]\nselection = { light = \"#fff\", dark = \"#000\", dim = \"#111\" }\n", ":2: theme.selection must give a light and a dark colour"},
		{"[theme]\nselection = 7\n", ":2: theme.selection must be a colour in quotes"},
		{"[theme.selection]\nlight = \"#fff\"\n", ":1: theme.selection must give a light and a dark colour"},
	}
	for _, tt := range tests {
		path := writeTemp(t, "config.toml", tt.toml)
		_, _, _, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), path+tt.want) {
			t.Errorf("%q: got %v, want %q", tt.toml, err, tt.want)
		}
	}
}

// TestConfigThemeStyleFile: a style file is found next to the config
// file, or in the home directory, wherever tidings is started.
func TestConfigThemeStyleFile(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	tests := []struct{ glamour, want string }{
		{"dracula", "dracula"},
		{"style.json", "CONFIGDIR/style.json"},
		{"styles/mine.json", "CONFIGDIR/styles/mine.json"},
		{"~/glamour/mine.json", home + "/glamour/mine.json"},
		{"/etc/tidings/style.json", "/etc/tidings/style.json"},
	}
	for _, tt := range tests {
		path := writeTemp(t, "config.toml", "[theme]\nglamour = \""+tt.glamour+"\"\n")
		cfg, _, _, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		want := strings.Replace(tt.want, "CONFIGDIR", filepath.Dir(path), 1)
		if cfg.Theme.Glamour != want {
			t.Errorf("glamour = %q: %q, want %q", tt.glamour, cfg.Theme.Glamour, want)
		}
		if err := cfg.Save(path); err != nil {
			t.Fatal(err)
		}
		if data, _ := os.ReadFile(path); !strings.Contains(string(data), `glamour = "`+tt.glamour+`"`) {
			t.Errorf("saved, glamour = %q became:\n%s", tt.glamour, data)
		}
	}
}
