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
