package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"tidings/ui"
)

func writeConfig(t *testing.T, e Env, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(e.ConfigPath), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.ConfigPath, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

const lookConfig = `[retention]
days = 30

[sync]
kind = "miniflux"
url = "https://rss.example.org"
token = "SECRET-TOKEN-123"

[[feeds]]
url = "https://a.example/feed"

[[feeds]]
url = "https://b.example/feed"

[keys]
down = ["j", "down", "ctrl+n"]
help = "f1"

[theme]
name = "high-contrast"
selection = { light = "#e8e2ff", dark = "#2e2650" }
glamour = "dracula"
`

func TestConfigCheck(t *testing.T) {
	e, out, errOut := testEnv(t)
	e.Getenv = func(string) string { return "" }
	writeConfig(t, e, lookConfig)
	if err := e.ConfigCheck(); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	got := out.String()
	for _, want := range []string{
		e.ConfigPath + " is valid",
		"subscriptions:  2\n",
		"retention:      30 days, at most 1000 a feed",
		"reader:         mouse on",
		"sync:           miniflux at https://rss.example.org; the token in this file",
		"  down                 j down ctrl+n  (changed)\n",
		"  up                   k up\n",
		"  help                 f1  (changed)\n",
		"theme: high-contrast\n",
		"  glamour            dracula",
		"  selection          light #e8e2ff, dark #2e2650  (changed)",
		"  accent             light #0000AF, dark #5FD7FF\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("config check says no %q:\n%s", want, got)
		}
	}
	if strings.Contains(got+errOut.String(), "SECRET-TOKEN") {
		t.Error("config check printed the token")
	}
	e.Getenv = func(k string) string { return map[string]string{"TIDINGS_SYNC_TOKEN": "ENV-SECRET"}[k] }
	out.Reset()
	if err := e.ConfigCheck(); err != nil || !strings.Contains(out.String(), "the token from TIDINGS_SYNC_TOKEN") || strings.Contains(out.String(), "ENV-SECRET") {
		t.Errorf("token from the environment: %v\n%s", err, out)
	}
}

func TestConfigCheckNoFile(t *testing.T) {
	e, out, _ := testEnv(t)
	if err := e.ConfigCheck(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"No config file at", "the 6 default world-news feeds", "90 days", "sync:           none", "  quit                 q\n", "theme: default\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q:\n%s", want, out)
		}
	}
}

func TestConfigCheckInvalid(t *testing.T) {
	tests := []struct {
		name, config string
		want         []string
	}{
		{"shape", "[keys]\nopen = []\n", []string{"config.toml:2: keys.open names no key"}},
		{"meaning", "[keys]\ndwon = [\"j\"]\ntop = \"j\"\n[theme]\nname = \"x\"\nselection = \"purple\"\n", []string{
			"config.toml:2: keys.dwon: no such action",
			`config.toml:3: keys.top: "j" is also the key of down (by default)`,
			`config.toml:5: theme.name: no theme "x"`,
			`config.toml:6: theme.selection: "purple" is not a colour`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, out, errOut := testEnv(t)
			writeConfig(t, e, tt.config)
			err := e.ConfigCheck()
			if !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("error %v, want ErrInvalidConfig", err)
			}
			lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("stderr %q, want %d lines", lines, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(lines[i], "tidings: "+filepath.Dir(e.ConfigPath)) || !strings.Contains(lines[i], w) {
					t.Errorf("line %q, want %q", lines[i], w)
				}
			}
			if out.Len() > 0 {
				t.Errorf("an invalid file printed settings:\n%s", out)
			}
		})
	}
}

// TestSnapshotFollowsLooks: the snapshot (like the reader) takes [keys]
// and [theme]; a bad [keys] stops it with the line.
func TestSnapshotFollowsLooks(t *testing.T) {
	e, out, _ := testEnv(t)
	writeConfig(t, e, "[keys]\nhelp = \"f1\"\n")
	keys, err := ui.ParseInput("f1")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Snapshot(t.Context(), SnapshotOptions{Width: 80, Height: 24, Keys: keys}); err != nil {
		t.Fatal(err)
	}
	if s := out.String(); !strings.Contains(s, "f1      help") || !strings.Contains(s, "f1 or esc closes") {
		t.Errorf("f1 bound to help did not open it:\n%s", s)
	}
	// The Welcome article, as stored, names the keys as bound.
	writeConfig(t, e, "[keys]\nopen = [\"enter\", \"o\"]\nopen_link = \"b\"\n")
	out.Reset()
	if err := e.Snapshot(t.Context(), SnapshotOptions{Width: 120, Height: 40, Keys: []tea.Msg{tea.KeyPressMsg{Code: tea.KeyEnter}}}); err != nil {
		t.Fatal(err)
	}
	// Glamour pads code spans with no-break spaces.
	if s := strings.ReplaceAll(out.String(), "\u00a0", " "); !strings.Contains(s, "Moving around") || !strings.Contains(s, "enter   o ") || strings.Contains(s, "enter   l ") {
		t.Errorf("the Welcome article's table does not follow [keys]:\n%s", s)
	}
	writeConfig(t, e, "[keys]\nhelp = \"entr\"\n")
	if err := e.Snapshot(t.Context(), SnapshotOptions{Width: 80, Height: 24}); err == nil || !strings.Contains(err.Error(), "config.toml:2: keys.help") {
		t.Errorf("a bad [keys]: %v", err)
	}
	writeConfig(t, e, "[theme]\nname = \"nope\"\n")
	if err := e.Snapshot(t.Context(), SnapshotOptions{Width: 80, Height: 24}); err == nil || !strings.Contains(err.Error(), "config.toml:2: theme.name") {
		t.Errorf("a bad [theme]: %v", err)
	}
}
