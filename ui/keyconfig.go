package ui

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"

	"tidings/articles/termsafe"
	"tidings/feed/subs"
)

// keyContext is where a binding works. Two actions may share a key only
// when they never work in the same place: enter opens an article and
// keeps a search.
type keyContext int

const (
	ctxBrowse keyContext = 1 << iota // the list, the reader, the feeds view, the help
	ctxSearch                        // typing a search
	ctxAll    = ctxBrowse | ctxSearch
)

// keyAction is one action of [keys] in config.toml: its name there, the
// KeyMap field it sets and where it works.
type keyAction struct {
	name string
	b    *key.Binding
	ctx  keyContext
}

// actions names every binding of k as [keys] names it: the field's name
// in snake_case. A new KeyMap field needs one row here, and
// TestKeyActionsNameEveryField fails until it has one.
func (k *KeyMap) actions() []keyAction {
	return []keyAction{
		{"down", &k.Down, ctxAll}, // the arrow moves the list while searching
		{"up", &k.Up, ctxAll},
		{"top", &k.Top, ctxBrowse},
		{"bottom", &k.Bottom, ctxBrowse},
		{"page_down", &k.PageDown, ctxBrowse},
		{"page_up", &k.PageUp, ctxBrowse},
		{"half_down", &k.HalfDown, ctxBrowse},
		{"half_up", &k.HalfUp, ctxBrowse},
		{"open", &k.Open, ctxBrowse},
		{"back", &k.Back, ctxBrowse},
		{"next_article", &k.NextArticle, ctxBrowse},
		{"prev_article", &k.PrevArticle, ctxBrowse},
		{"focus", &k.Focus, ctxBrowse},
		{"space", &k.Space, ctxBrowse},
		{"open_link", &k.OpenLink, ctxBrowse},
		{"search", &k.Search, ctxBrowse},
		{"next_match", &k.NextMatch, ctxBrowse},
		{"prev_match", &k.PrevMatch, ctxBrowse},
		{"refresh", &k.Refresh, ctxBrowse},
		{"refresh_all", &k.RefreshAll, ctxBrowse},
		{"feeds", &k.Feeds, ctxBrowse},
		{"toggle_read", &k.ToggleRead, ctxBrowse},
		{"star", &k.Star, ctxBrowse},
		{"unread_only", &k.UnreadOnly, ctxBrowse},
		{"starred_only", &k.StarredOnly, ctxBrowse},
		{"mark_all_read", &k.MarkAllRead, ctxBrowse},
		{"help", &k.Help, ctxBrowse},
		{"quit", &k.Quit, ctxBrowse},
		{"quit_all", &k.QuitAll, ctxBrowse},
		{"force_quit", &k.ForceQuit, ctxAll},
		{"search_keep", &k.SearchKeep, ctxSearch},
		{"search_clear", &k.SearchClear, ctxSearch},
		{"search_delete_word", &k.SearchDeleteWord, ctxSearch},
		{"search_delete_input", &k.SearchDeleteInput, ctxSearch},
		{"full_text", &k.FullText, ctxBrowse},
		{"links", &k.Links, ctxBrowse},
		{"copy_link", &k.CopyLink, ctxBrowse},
		{"copy_selected_link", &k.CopySelectedLink, ctxBrowse},
		{"command", &k.Command, ctxBrowse},
	}
}

// ActionNames lists the actions [keys] can rebind, in the help's order.
func ActionNames() []string {
	var k KeyMap
	var names []string
	for _, a := range k.actions() {
		names = append(names, a.name)
	}
	return names
}

// NewKeyMap returns the default bindings with those of [keys] in their
// place. An unknown action, a name that is no key, and a key that two
// actions working in the same place would share are errors naming the
// file and line; all of them are reported at once.
func NewKeyMap(cfg *subs.Keys) (KeyMap, error) {
	k := DefaultKeyMap()
	if cfg == nil {
		return k, nil
	}
	acts := k.actions()
	byName := make(map[string]keyAction, len(acts))
	for _, a := range acts {
		byName[a.name] = a
	}
	var errs []error
	where := map[string]string{} // action -> "file:line" of its override
	for _, b := range cfg.Bindings {
		a, ok := byName[b.Action]
		if !ok {
			errs = append(errs, fmt.Errorf("%s: keys.%s: no such action; the actions are %s", b.Where, termsafe.Line(b.Action), strings.Join(ActionNames(), ", ")))
			continue
		}
		if err := checkKeyNames(a, b.Keys); err != nil {
			errs = append(errs, fmt.Errorf("%s: keys.%s: %w", b.Where, b.Action, err))
			continue
		}
		a.b.SetKeys(b.Keys...)
		a.b.SetHelp(helpKeyLabel(b.Keys), a.b.Help().Desc)
		where[a.name] = b.Where
	}
	errs = append(errs, keyClashes(acts, where)...)
	if len(errs) > 0 {
		return DefaultKeyMap(), errors.Join(errs...)
	}
	return k, nil
}

// checkKeyNames refuses a name no key press is called (key.Matches
// compares names, so such a binding would never fire), a key given twice,
// and a key that types text for an action that works while typing.
func checkKeyNames(a keyAction, names []string) error {
	seen := map[string]bool{}
	for _, n := range names {
		if err := checkKeyName(n); err != nil {
			return err
		}
		if seen[n] {
			return fmt.Errorf("%q is given twice", n)
		}
		seen[n] = true
		if a.ctx == ctxSearch && utf8.RuneCountInString(n) == 1 {
			return fmt.Errorf("%q would be typed into the search, not %s: give a key that types nothing, such as enter, esc or ctrl+…", n, a.name)
		}
	}
	return nil
}

// checkKeyName accepts the names key presses are called by: one
// printable character, a key name or a modified key, spelt as Bubble Tea
// spells them (ctrl+n, not ctrl+N).
func checkKeyName(n string) error {
	if r, size := utf8.DecodeRuneInString(n); size == len(n) && !unicode.IsGraphic(r) {
		return fmt.Errorf("%q is not a key name: write space, tab or enter for those keys", termsafe.Line(n))
	}
	k, isKey, err := parseKey(n)
	switch {
	case err != nil:
		return fmt.Errorf("%w (key names: %s)", err, keyNameList)
	case isKey && k.String() == n:
		return nil
	case isKey:
		return fmt.Errorf("%q is spelt %q", n, k.String())
	}
	if near, ok := nearKey(n); ok {
		return fmt.Errorf("%q is not a key name: did you mean %s? (key names: %s)", termsafe.Line(n), near, keyNameList)
	}
	return fmt.Errorf("%q is not a key name: give one character or one of %s", termsafe.Line(n), keyNameList)
}

// keyClashes finds keys two actions working in the same place share,
// where one of them was rebound (the defaults share none). The message
// stands on the line of the rebinding.
func keyClashes(acts []keyAction, where map[string]string) []error {
	var errs []error
	for i, a := range acts {
		for _, b := range acts[:i] {
			if a.ctx&b.ctx == 0 || where[a.name] == "" && where[b.name] == "" {
				continue
			}
			shared := sharedKey(a.b.Keys(), b.b.Keys())
			if shared == "" {
				continue
			}
			first, second := b, a // report on the line written later
			if where[a.name] == "" || where[b.name] != "" && lineOf(where[b.name]) > lineOf(where[a.name]) {
				first, second = a, b
			}
			errs = append(errs, fmt.Errorf("%s: keys.%s: %q is also the key of %s%s; give one of them another key",
				where[second.name], second.name, shared, first.name, otherPlace(where[first.name])))
		}
	}
	return errs
}

// otherPlace says where the other binding is: " (line 4)" or " (by default)".
func otherPlace(w string) string {
	if w == "" {
		return " (by default)"
	}
	return fmt.Sprintf(" (line %d)", lineOf(w))
}

// lineOf is the line of "file:line", 0 if none.
func lineOf(w string) int {
	i := strings.LastIndexByte(w, ':')
	var n int
	if i >= 0 {
		fmt.Sscanf(w[i+1:], "%d", &n)
	}
	return n
}

func sharedKey(a, b []string) string {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return x
			}
		}
	}
	return ""
}

// keyGlyphs are the arrows the help shows for the arrow keys.
var keyGlyphs = map[string]string{"down": "↓", "up": "↑", "left": "←", "right": "→"}

// helpKeyLabel is how the help names a rebound action's keys: "j/↓/ctrl+n".
func helpKeyLabel(keys []string) string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = keyGlyph(k)
	}
	return strings.Join(out, "/")
}

func keyGlyph(k string) string {
	if g, ok := keyGlyphs[k]; ok {
		return g
	}
	return k
}

// ActionKeys is one action with its keys, as "tidings config check"
// lists them.
type ActionKeys struct {
	Action string
	Keys   []string
}

// Bindings lists every action with its keys.
func (k KeyMap) Bindings() []ActionKeys {
	var out []ActionKeys
	for _, a := range k.actions() {
		out = append(out, ActionKeys{a.name, a.b.Keys()})
	}
	return out
}
