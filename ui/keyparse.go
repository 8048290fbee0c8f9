package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
)

// ParseKeys turns the snapshot command's --keys into key presses. Tokens
// are separated by spaces. A key name (enter, esc, up, down, left, right,
// pgup, pgdown, home, end, tab, space, backspace, delete, f1…f12), a
// modified key (ctrl+X, alt+X, shift+tab) or a single character is one
// press; any other token is typed character by character, so
// "/ putin enter" presses /, types putin and presses enter.
//
// A token that looks like a mistyped key name ("entr", "pgdwn", "escp",
// "Enter", "escape", "Ctrl+d", "ctrl-d") is refused with the key it is
// likely to mean, rather than typed: a script that meant a key would
// otherwise type letters and go on. type:WORD types WORD whatever it
// is, key names too ("type:entr", "type:home").
func ParseKeys(s string) ([]tea.KeyPressMsg, error) {
	var keys []tea.KeyPressMsg
	for _, tok := range strings.Fields(s) {
		if word, ok := strings.CutPrefix(tok, typePrefix); ok {
			if word == "" {
				return nil, fmt.Errorf("key %q: type: needs a word after it, e.g. type:enter types the letters e n t e r", tok)
			}
			keys = appendTyped(keys, word)
			continue
		}
		k, isKey, err := parseKey(tok)
		switch {
		case err != nil:
			return nil, err
		case isKey:
			keys = append(keys, k)
		default:
			if name, near := nearKey(tok); near {
				return nil, fmt.Errorf("unknown key %q: did you mean %s? (key names: %s; to type the word %s instead, write %s%s)",
					tok, name, keyNameList, tok, typePrefix, tok)
			}
			keys = appendTyped(keys, tok)
		}
	}
	return keys, nil
}

// typePrefix before a token types it as it is.
const typePrefix = "type:"

// keyNameList is the key names as the error for a mistyped one lists them.
const keyNameList = "enter, esc, up, down, left, right, pgup, pgdown, home, end, tab, space, backspace, delete, ctrl+X, alt+X, shift+tab, f1…f12"

func appendTyped(keys []tea.KeyPressMsg, word string) []tea.KeyPressMsg {
	for _, r := range word {
		keys = append(keys, charKey(r))
	}
	return keys
}

var namedKeys = map[string]rune{
	"enter": tea.KeyEnter, "esc": tea.KeyEscape, "up": tea.KeyUp, "down": tea.KeyDown,
	"left": tea.KeyLeft, "right": tea.KeyRight, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
	"home": tea.KeyHome, "end": tea.KeyEnd, "tab": tea.KeyTab, "space": tea.KeySpace,
	"backspace": tea.KeyBackspace, "delete": tea.KeyDelete,
}

// parseKey reads one token. isKey is false for a word to type.
func parseKey(tok string) (k tea.KeyPressMsg, isKey bool, err error) {
	if utf8.RuneCountInString(tok) == 1 {
		r, _ := utf8.DecodeRuneInString(tok)
		return charKey(r), true, nil
	}
	if code, ok := namedKeys[tok]; ok {
		k := tea.KeyPressMsg{Code: code}
		if code == tea.KeySpace {
			k.Text = " "
		}
		return k, true, nil
	}
	if n, ok := strings.CutPrefix(tok, "f"); ok {
		if num, err := strconv.Atoi(n); err == nil {
			if num < 1 || num > 12 {
				return k, false, fmt.Errorf("key %q: function keys go from f1 to f12", tok)
			}
			return tea.KeyPressMsg{Code: tea.KeyF1 + rune(num-1)}, true, nil
		}
	}
	mod, rest, ok := strings.Cut(tok, "+")
	if !ok || mod != "ctrl" && mod != "alt" && mod != "shift" {
		return k, false, nil // a word, typed as it is, "c++" too
	}
	return modifiedKey(tok, mod, rest)
}

// modifiedKey reads ctrl+X, alt+X and shift+tab.
func modifiedKey(tok, mod, rest string) (tea.KeyPressMsg, bool, error) {
	if mod == "shift" {
		if rest != "tab" {
			return tea.KeyPressMsg{}, false, fmt.Errorf("key %q: shift goes only with tab; give the capital letter instead", tok)
		}
		return tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}, true, nil
	}
	base, isKey, err := parseKey(rest)
	if rest == "" || err != nil || !isKey || base.Mod != 0 {
		return tea.KeyPressMsg{}, false, fmt.Errorf("key %q: %s+ needs one character or a key name after it", tok, mod)
	}
	k := tea.KeyPressMsg{Code: unicode.ToLower(base.Code), Mod: tea.ModAlt}
	if mod == "ctrl" {
		k.Mod = tea.ModCtrl
	}
	return k, true, nil
}

func charKey(r rune) tea.KeyPressMsg {
	if r == ' ' {
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	}
	return tea.KeyPressMsg{Code: r, Text: string(r)}
}

// keyAliases are names other programs give keys, refused with the name
// --keys knows.
var keyAliases = map[string]string{
	"escape": "esc", "return": "enter", "pageup": "pgup", "pagedown": "pgdown", "pgdn": "pgdown",
	"bksp": "backspace", "del": "delete", "spacebar": "space",
}

// nearKey reports whether tok, which is no key, looks like a mistyped
// key name, and which. Only typo shapes that ordinary words rarely have
// count: a key name in other case ("Enter"), an alias ("escape"), one or
// two letters dropped but the first ("entr", "pgdwn"), two letters
// swapped ("etner"), one letter added inside it, or at the end of a
// three-letter name or doubling the last letter ("escp", "enterr"), and
// a modifier misspelt or joined by '-' ("Ctrl+d", "ctl+d", "ctrl-d").
// Letters changed for others make words ("light", "and"), and so do
// letters added in front or as an ending ("send", "tabs", "SpaceX"):
// those are typed.
func nearKey(tok string) (string, bool) {
	if mod, rest, ok := strings.Cut(tok, "+"); ok {
		return nearModifier(mod, rest, "+")
	}
	if mod, rest, ok := strings.Cut(tok, "-"); ok {
		return nearModifier(mod, rest, "-")
	}
	if !isLetters(tok) {
		return "", false
	}
	low := strings.ToLower(tok)
	if name, ok := keyAliases[low]; ok {
		return name, true
	}
	names := make([]string, 0, len(namedKeys))
	for n := range namedKeys {
		names = append(names, n)
	}
	slices.Sort(names) // the same suggestion every run
	for _, n := range names {
		if len(n) >= 3 && typo(low, n) {
			return n, true
		}
	}
	return "", false
}

// nearModifier handles a token with '+' or '-' after mod.
func nearModifier(mod, rest, sep string) (string, bool) {
	if rest == "" || !isLetters(mod) || len(mod) < 3 {
		return "", false // "c++", "a+b", "e-mail"
	}
	low := strings.ToLower(mod)
	for _, m := range []string{"ctrl", "alt", "shift"} {
		if mod == m && sep == "+" {
			return "", false // a valid modifier: parseKey judged it
		}
		if low == m || low == "control" && m == "ctrl" || osa(low, m) <= 1 && low[0] == m[0] {
			return m + "+" + strings.ToLower(rest), true
		}
	}
	return "", false
}

// typo reports whether t (lower case) is name with one of the mistakes
// nearKey describes.
func typo(t, name string) bool {
	d := osa(t, name)
	switch {
	case d == 0:
		return true // other case
	case t[0] != name[0]:
		return false
	case len(t) < len(name):
		return len(t) >= 4 && len(name)-len(t) == d && d <= 2 && isSubsequence(t, name)
	case len(t) == len(name)+1 && d == 1:
		if !strings.HasPrefix(t, name) {
			return true // added inside
		}
		last := t[len(t)-1]
		return last == name[len(name)-1] || len(name) == 3 && !strings.ContainsRune("sdyr", rune(last))
	case len(t) == len(name) && d == 1:
		return len(t) >= 4 && sameLetters(t, name) // swapped, not changed
	}
	return false
}

// osa is the optimal string alignment distance between a and b (bytes):
// insertions, deletions, substitutions and swaps of neighbours.
func osa(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func isSubsequence(short, long string) bool {
	i := 0
	for j := 0; j < len(long) && i < len(short); j++ {
		if short[i] == long[j] {
			i++
		}
	}
	return i == len(short)
}

func sameLetters(a, b string) bool {
	x, y := []byte(a), []byte(b)
	slices.Sort(x)
	slices.Sort(y)
	return string(x) == string(y)
}

// isLetters reports whether s is ASCII letters only: key names are.
func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return s != ""
}
