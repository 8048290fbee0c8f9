package ui

import (
	"strings"
	"testing"
)

func TestParseKeys(t *testing.T) {
	tests := []struct {
		in   string
		want string // the presses' String(), space separated
	}{
		{"", ""},
		{"   ", ""},
		{"j", "j"},
		{"j k enter esc", "j k enter esc"},
		{"/ putin enter", "/ p u t i n enter"},
		{"up down left right pgup pgdown home end tab space backspace delete", "up down left right pgup pgdown home end tab space backspace delete"},
		{"ctrl+d ctrl+U alt+x shift+tab", "ctrl+d ctrl+u alt+x shift+tab"},
		{"ctrl+enter", "ctrl+enter"},
		{"f1 f12", "f1 f12"},
		{"G ? é 新", "G ? é 新"},
		{"c++", "c + +"},
		{"café", "c a f é"},
		{"fish", "f i s h"},
	}
	for _, tt := range tests {
		keys, err := ParseKeys(tt.in)
		if err != nil {
			t.Errorf("ParseKeys(%q) error: %v", tt.in, err)
			continue
		}
		got := make([]string, len(keys))
		for i, k := range keys {
			got[i] = k.String()
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("ParseKeys(%q) = %q, want %q", tt.in, strings.Join(got, " "), tt.want)
		}
	}
}

func TestParseKeysErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ctrl+", `key "ctrl+": ctrl+ needs one character or a key name`},
		{"alt+foo", `key "alt+foo": alt+ needs`},
		{"ctrl+alt+x", `key "ctrl+alt+x": ctrl+ needs`},
		{"shift+a", `key "shift+a": shift goes only with tab`},
		{"f13", `key "f13": function keys go from f1 to f12`},
		{"f0", `key "f0"`},
	}
	for _, tt := range tests {
		_, err := ParseKeys(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseKeys(%q) error = %v, want %q", tt.in, err, tt.want)
		}
	}
}

// TestTypedSpace checks that the space key types a space into the search.
func TestTypedSpace(t *testing.T) {
	m := drive(t, New(testOptions(bundledStore(t))), 80, 24, "/ xi space putin")
	if m.search.input != "xi putin" {
		t.Errorf("input %q, want %q", m.search.input, "xi putin")
	}
}

// TestParseKeysRefusesNearKeys checks that a token that looks like a
// mistyped key name is refused, naming it, the key it likely means and
// how to type it anyway, while ordinary words, those one letter from a
// key name included, are still typed.
func TestParseKeysRefusesNearKeys(t *testing.T) {
	refused := []struct{ in, means string }{
		{"entr", "enter"}, {"ente", "enter"}, {"etner", "enter"}, {"enterr", "enter"}, {"Enter", "enter"}, {"ENTER", "enter"},
		{"pgdwn", "pgdown"}, {"pgdn", "pgdown"}, {"pagedown", "pgdown"}, {"escp", "esc"}, {"escape", "esc"}, {"Esc", "esc"},
		{"rigth", "right"}, {"dwon", "down"}, {"spce", "space"}, {"bakspace", "backspace"}, {"delet", "delete"}, {"return", "enter"},
		{"Ctrl+d", "ctrl+d"}, {"ctl+d", "ctrl+d"}, {"crtl+d", "ctrl+d"}, {"ctrl-d", "ctrl+d"}, {"alt-x", "alt+x"}, {"shft+tab", "shift+tab"},
	}
	for _, tt := range refused {
		_, err := ParseKeys("j " + tt.in + " k")
		want := `unknown key "` + tt.in + `": did you mean ` + tt.means + `?`
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "type:"+tt.in) ||
			!strings.Contains(err.Error(), "pgdown") {
			t.Errorf("ParseKeys(%q) error = %v, want %q, the key names and type:%s", tt.in, err, want, tt.in)
		}
	}
	typed := []string{"putin", "trade", "light", "night", "and", "send", "stab", "tabs", "ends", "pace", "spa", "the",
		"hope", "town", "center", "cleft", "bright", "deleted", "SpaceX", "homer", "lefty", "entry", "sec", "delta",
		"c++", "a+b", "e-mail", "Sino-Russian", "well-known", "xi"}
	for _, w := range typed {
		keys, err := ParseKeys(w)
		if err != nil || len(keys) != len([]rune(w)) {
			t.Errorf("ParseKeys(%q) = %d presses, %v; want it typed", w, len(keys), err)
		}
	}
}

// TestParseKeysTypePrefix checks that type:WORD types WORD, key names and
// near-key words included.
func TestParseKeysTypePrefix(t *testing.T) {
	for in, want := range map[string]string{
		"type:entr":       "e n t r",
		"type:enter":      "e n t e r",
		"/ type:Home tab": "/ H o m e tab",
		"type:type:x":     "t y p e : x",
	} {
		keys, err := ParseKeys(in)
		if err != nil {
			t.Errorf("ParseKeys(%q): %v", in, err)
			continue
		}
		got := make([]string, len(keys))
		for i, k := range keys {
			got[i] = k.String()
		}
		if strings.Join(got, " ") != want {
			t.Errorf("ParseKeys(%q) = %q, want %q", in, strings.Join(got, " "), want)
		}
	}
	if _, err := ParseKeys("type:"); err == nil || !strings.Contains(err.Error(), `key "type:"`) {
		t.Errorf("ParseKeys(type:) error = %v", err)
	}
}
