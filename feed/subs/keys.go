package subs

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"tidings/articles/termsafe"
)

// Keys is the optional [keys] table: the actions the user rebinds, each
// with the keys it takes instead of its defaults:
//
//	[keys]
//	down = ["j", "down", "ctrl+n"]
//
// Which actions exist and which names are keys is the reader's knowledge
// (package ui checks both, and that no key serves two actions); here the
// table is plain strings, each binding with where it was written.
type Keys struct {
	Bindings []KeyBinding // in the order of the file
}

// KeyBinding is one line of [keys].
type KeyBinding struct {
	Action string   // as written: "down", "refresh_all"
	Keys   []string // key names as written: "j", "ctrl+n", "pgdown"
	Where  string   // "config.toml:7", for messages
}

// Map returns the bindings by action.
func (k Keys) Map() map[string][]string {
	out := make(map[string][]string, len(k.Bindings))
	for _, b := range k.Bindings {
		out[b.Action] = b.Keys
	}
	return out
}

// keys checks the shape of [keys]: each action takes an array of key
// names (or one name as a string), at least one, none of them empty.
func (c *checker) keys(raw map[string]any) *Keys {
	if raw == nil {
		return nil
	}
	k := &Keys{}
	for _, action := range sortedByLine(c, "keys.", raw) {
		line := c.keyLine("keys." + action)
		if line == 0 {
			line = c.keyLine("keys")
		}
		where := c.where(line)
		names, ok := keyNames(raw[action])
		switch {
		case !ok:
			c.fail("%s: keys.%s must be an array of key names, e.g. %s = [\"j\", \"down\"], not %s", where, termsafe.Line(action), termsafe.Line(action), typeName(raw[action]))
		case len(names) == 0:
			c.fail("%s: keys.%s names no key: give it at least one, e.g. %s = [\"j\", \"down\"], or remove the line to keep its default", where, termsafe.Line(action), termsafe.Line(action))
		case hasBlank(names):
			c.fail("%s: keys.%s has an empty key name: write the key, e.g. \"ctrl+n\" or \"space\"", where, termsafe.Line(action))
		default:
			k.Bindings = append(k.Bindings, KeyBinding{Action: action, Keys: names, Where: where})
		}
	}
	return k
}

// keyNames reads a string or an array of strings.
func keyNames(v any) ([]string, bool) {
	switch v := v.(type) {
	case string:
		return []string{v}, true
	case []any:
		names := make([]string, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			names = append(names, s)
		}
		return names, true
	}
	return nil, false
}

func hasBlank(names []string) bool {
	for _, n := range names {
		if strings.TrimSpace(n) == "" {
			return true
		}
	}
	return false
}

// sortedByLine returns the keys of a table in the order of the file
// (by name where no line is known), so that messages follow the file.
func sortedByLine(c *checker, prefix string, raw map[string]any) []string {
	names := make([]string, 0, len(raw))
	for n := range raw {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		li, lj := c.keyLine(prefix+names[i]), c.keyLine(prefix+names[j])
		if li != lj {
			return li < lj
		}
		return names[i] < names[j]
	})
	return names
}

// keysTable is [keys] as Save writes it.
func (k *Keys) table() map[string][]string {
	if k == nil || len(k.Bindings) == 0 {
		return nil
	}
	return k.Map()
}

// String lists the bindings for messages: "down = j, ctrl+n".
func (b KeyBinding) String() string {
	return fmt.Sprintf("%s = %s", b.Action, strings.Join(b.Keys, ", "))
}

// encodeLooks writes [keys] and [theme], which Encode leaves out, after
// the rest of the file.
func (c Config) encodeLooks(w io.Writer) error {
	looks := struct {
		Keys  map[string][]string `toml:"keys,omitempty"`
		Theme map[string]any      `toml:"theme,omitempty"`
	}{c.Keys.table(), c.Theme.table()}
	if looks.Keys == nil && looks.Theme == nil {
		return nil
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return err
	}
	enc := toml.NewEncoder(w)
	enc.Indent = ""
	return enc.Encode(looks)
}
