package ui

import (
	"fmt"
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
func ParseKeys(s string) ([]tea.KeyPressMsg, error) {
	var keys []tea.KeyPressMsg
	for _, tok := range strings.Fields(s) {
		k, isKey, err := parseKey(tok)
		switch {
		case err != nil:
			return nil, err
		case isKey:
			keys = append(keys, k)
		default:
			for _, r := range tok {
				keys = append(keys, charKey(r))
			}
		}
	}
	return keys, nil
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
