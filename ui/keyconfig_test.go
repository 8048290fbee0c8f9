package ui

import (
	"reflect"
	"strings"
	"testing"
	"unicode"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/exp/golden"

	"tidings/articles"
	"tidings/feed/subs"
)

// TestKeyActionsNameEveryField: every KeyMap field has an action name in
// [keys], its name in snake_case, so that a new binding can be rebound.
func TestKeyActionsNameEveryField(t *testing.T) {
	var k KeyMap
	named := map[*key.Binding]string{}
	for _, a := range k.actions() {
		if _, dup := named[a.b]; dup {
			t.Errorf("two actions set one field: %s", a.name)
		}
		named[a.b] = a.name
	}
	v := reflect.ValueOf(&k).Elem()
	for i := range v.NumField() {
		f := v.Type().Field(i)
		name, ok := named[v.Field(i).Addr().Interface().(*key.Binding)]
		if !ok {
			t.Errorf("KeyMap.%s has no action name: add a row to KeyMap.actions", f.Name)
			continue
		}
		if want := snakeCase(f.Name); name != want {
			t.Errorf("KeyMap.%s is called %q, want %q", f.Name, name, want)
		}
	}
}

func snakeCase(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestDefaultKeysDoNotClash: no two default actions working in the same
// place share a key, so only a rebinding can make them.
func TestDefaultKeysDoNotClash(t *testing.T) {
	k := DefaultKeyMap()
	where := map[string]string{}
	for _, a := range k.actions() {
		where[a.name] = "config.toml:1"
	}
	if errs := keyClashes(k.actions(), where); len(errs) > 0 {
		t.Errorf("the defaults clash: %v", errs)
	}
}

func keysOf(bs ...subs.KeyBinding) *subs.Keys { return &subs.Keys{Bindings: bs} }

func bind(action string, line int, keys ...string) subs.KeyBinding {
	return subs.KeyBinding{Action: action, Keys: keys, Where: "config.toml:" + string(rune('0'+line))}
}

func TestNewKeyMap(t *testing.T) {
	k, err := NewKeyMap(keysOf(bind("down", 2, "j", "down", "ctrl+n"), bind("refresh_all", 3, "ctrl+r")))
	if err != nil {
		t.Fatal(err)
	}
	if got := k.Down.Help().Key; got != "j/↓/ctrl+n" {
		t.Errorf("down's help names %q", got)
	}
	if got := k.RefreshAll.Keys(); !reflect.DeepEqual(got, []string{"ctrl+r"}) {
		t.Errorf("refresh_all: %q", got)
	}
	if k.Up.Help().Key != "k/↑" {
		t.Errorf("up changed: %q", k.Up.Help().Key)
	}
	opts := testOptions(bundledStore(t))
	opts.Keys = &k
	m := drive(t, New(opts), 80, 24, "ctrl+n")
	if m.list.cursor != 1 {
		t.Errorf("ctrl+n bound to down left the cursor at %d", m.list.cursor)
	}
}

func TestNewKeyMapErrors(t *testing.T) {
	tests := []struct {
		name string
		keys []subs.KeyBinding
		want []string
	}{
		{"unknown action", []subs.KeyBinding{bind("dwon", 2, "j")},
			[]string{"config.toml:2: keys.dwon: no such action; the actions are down, up, top"}},
		{"mistyped key", []subs.KeyBinding{bind("open", 2, "entr")},
			[]string{`config.toml:2: keys.open: "entr" is not a key name: did you mean enter?`}},
		{"not a key", []subs.KeyBinding{bind("open", 3, "return key")},
			[]string{`config.toml:3: keys.open: "return key" is not a key name: give one character or one of enter, esc`}},
		{"badly spelt", []subs.KeyBinding{bind("open", 2, "ctrl+O")},
			[]string{`config.toml:2: keys.open: "ctrl+O" is spelt "ctrl+o"`}},
		{"control character", []subs.KeyBinding{bind("open", 2, "\x01")},
			[]string{`config.toml:2: keys.open: "" is not a key name`}},
		{"given twice", []subs.KeyBinding{bind("open", 2, "x", "x")},
			[]string{`config.toml:2: keys.open: "x" is given twice`}},
		{"typed into the search", []subs.KeyBinding{bind("search_keep", 2, "x")},
			[]string{`config.toml:2: keys.search_keep: "x" would be typed into the search`}},
		{"a default's key", []subs.KeyBinding{bind("top", 4, "j")},
			[]string{`config.toml:4: keys.top: "j" is also the key of down (by default); give one of them another key`}},
		{"two rebound", []subs.KeyBinding{bind("star", 2, "x"), bind("feeds", 5, "x")},
			[]string{`config.toml:5: keys.feeds: "x" is also the key of star (line 2); give one of them another key`}},
		{"several", []subs.KeyBinding{bind("dwon", 2, "j"), bind("open", 3, "entr")},
			[]string{"config.toml:2: keys.dwon", "config.toml:3: keys.open"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewKeyMap(keysOf(tt.keys...))
			if err == nil {
				t.Fatal("no error")
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("errors %q, want %d", lines, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(lines[i], w) {
					t.Errorf("error %q\nwant it to start %q", lines[i], w)
				}
			}
		})
	}
}

// TestNewKeyMapAllowsOtherPlaces: a key may serve two actions that never
// work in the same place: esc clears a search and goes back.
func TestNewKeyMapAllowsOtherPlaces(t *testing.T) {
	if _, err := NewKeyMap(keysOf(bind("search_clear", 2, "esc", "ctrl+g"), bind("back", 3, "esc", "ctrl+g"))); err != nil {
		t.Error(err)
	}
}

// TestWelcomeTableDefaults: with the default keys the Welcome article is
// shown as bundled, and every row of its table is one welcomeBody knows:
// the bundled text and the rows cannot drift apart.
func TestWelcomeTableDefaults(t *testing.T) {
	a := bundledArticle(t, welcomeID)
	if got := welcomeBody(a.Body, DefaultKeyMap()); got != a.Body {
		t.Error("the default keys changed the Welcome article")
	}
	known := map[string]bool{}
	for _, row := range DefaultKeyMap().welcomeRows() {
		cell := "| " + welcomeCell(row) + " |"
		known[cell] = true
		if !strings.Contains(a.Body, cell) {
			t.Errorf("the Welcome article has no row %q", cell)
		}
	}
	for _, line := range strings.Split(a.Body, "\n") {
		if cell, _, ok := strings.Cut(line, " | "); ok && strings.HasPrefix(line, "| `") && !known[cell+" |"] {
			t.Errorf("the Welcome article's row %q follows no binding: add it to KeyMap.welcomeRows", line)
		}
	}
	k, err := NewKeyMap(keysOf(bind("down", 2, "j", "down", "ctrl+n"), bind("quit", 3, "x"), bind("help", 4, "|")))
	if err != nil {
		t.Fatal(err)
	}
	body := welcomeBody(a.Body, k)
	for _, want := range []string{"| `j` `k` or `↓` `↑` or `ctrl+n` |", "| `x` | back from", "| `\\|` | every key"} {
		if !strings.Contains(body, want) {
			t.Errorf("rebound, the table has no %q", want)
		}
	}
}

func bundledArticle(t *testing.T, id string) articles.Article {
	t.Helper()
	arts, err := articles.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		if a.ID == id {
			return a
		}
	}
	t.Fatalf("no bundled article %s", id)
	return articles.Article{}
}

// TestReboundViews keeps golden files of the help and of the Welcome
// article with keys rebound: both name the keys as bound.
func TestReboundViews(t *testing.T) {
	k, err := NewKeyMap(keysOf(bind("down", 2, "j", "down", "ctrl+n"), bind("up", 3, "k", "up", "ctrl+p"),
		bind("help", 4, "f1"), bind("refresh_all", 5, "ctrl+r"), bind("open", 6, "enter", "o"), bind("open_link", 7, "b")))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		w, h int
		keys string
	}{
		{"help_rebound_80x24", 80, 24, "f1"},
		{"welcome_rebound_120x40", 120, 40, "o"},
		{"list_rebound_80x24", 80, 24, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOptions(bundledStore(t))
			opts.Keys = &k
			m := drive(t, New(opts), tt.w, tt.h, tt.keys)
			checkFrame(t, m.frame(), tt.w, tt.h)
			golden.RequireEqual(t, plain(t, m))
		})
	}
}

// BenchmarkWelcomeBody: what following the bindings adds to rendering the
// Welcome article (Glamour takes milliseconds for it).
func BenchmarkWelcomeBody(b *testing.B) {
	arts, err := articles.Bundled()
	if err != nil {
		b.Fatal(err)
	}
	var body string
	for _, a := range arts {
		if a.ID == welcomeID {
			body = a.Body
		}
	}
	k, err := NewKeyMap(keysOf(bind("down", 2, "j", "down", "ctrl+n"), bind("open", 3, "enter", "o"), bind("open_link", 4, "b")))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		welcomeBody(body, k)
	}
}

// BenchmarkNewKeyMap: building the bindings from [keys] at start.
func BenchmarkNewKeyMap(b *testing.B) {
	cfg := keysOf(bind("down", 2, "j", "down", "ctrl+n"), bind("open", 3, "enter", "o"), bind("open_link", 4, "b"))
	for b.Loop() {
		if _, err := NewKeyMap(cfg); err != nil {
			b.Fatal(err)
		}
	}
}
