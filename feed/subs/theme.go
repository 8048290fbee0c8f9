package subs

import (
	"os"
	"path/filepath"
	"strings"

	"tidings/articles/termsafe"
)

// Theme is the optional [theme] table: the reader's colours and the
// Glamour style of article bodies.
//
//	[theme]
//	name = "high-contrast"            # a built-in theme to start from
//	selection = { light = "#e8e2ff", dark = "#2e2650" }
//	accent = "magenta"                # the same for light and dark
//	glamour = "dracula"               # or a JSON style file
//
// Which colour names exist, what a colour may be and which themes are
// built in is the reader's knowledge (package ui checks them); here the
// table is plain strings, each with where it was written.
type Theme struct {
	Name string // a built-in theme; "" for the default
	// Glamour is a Glamour style name or a JSON style file (a path
	// relative to the config file's directory, or ~/…, is resolved); ""
	// for --style.
	Glamour string
	Colors  []ThemeColor
	// NameWhere and GlamourWhere are "config.toml:7", for messages.
	NameWhere, GlamourWhere string
	// glamourWritten is Glamour as the file has it, which Save keeps.
	glamourWritten string
}

// ThemeColor is one colour of [theme], for a light and a dark terminal
// background (the same when the file gives one string).
type ThemeColor struct {
	Key         string // as written: "selection"
	Light, Dark string // as written: "#e8e2ff", "magenta", "212"
	Where       string
}

// theme checks the shape of [theme]: name and glamour are strings, and
// every other key a colour string or a table of light and dark strings.
func (c *checker) theme(raw map[string]any) *Theme {
	if raw == nil {
		return nil
	}
	t := &Theme{}
	for _, key := range sortedByLine(c, "theme.", raw) {
		where := c.where(c.themeLine(key))
		v := raw[key]
		switch key {
		case "name", "glamour":
			s, ok := v.(string)
			if !ok || s == "" {
				c.fail("%s: theme.%s must be a name in quotes, not %s", where, key, describe(v))
				continue
			}
			if key == "name" {
				t.Name, t.NameWhere = s, where
			} else {
				t.Glamour, t.GlamourWhere, t.glamourWritten = c.stylePath(s), where, s
			}
		default:
			if col, ok := c.themeColor(key, v, where); ok {
				t.Colors = append(t.Colors, col)
			}
		}
	}
	return t
}

// stylePath resolves a Glamour style file written relative to the
// config file, or to the home directory (~/), so that it does not depend
// on where tidings is started. A style name ("dracula") is left as it is.
func (c *checker) stylePath(s string) string {
	if !strings.HasSuffix(s, ".json") || filepath.IsAbs(s) {
		return s
	}
	if rest, ok := strings.CutPrefix(s, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
		return s
	}
	return filepath.Join(filepath.Dir(c.name), s)
}

// themeLine is the line of a key of [theme], else of the table.
func (c *checker) themeLine(key string) int {
	if l := c.keyLine("theme." + key); l > 0 {
		return l
	}
	return c.keyLine("theme")
}

// themeColor reads "colour" or { light = "colour", dark = "colour" }.
func (c *checker) themeColor(key string, v any, where string) (ThemeColor, bool) {
	col := ThemeColor{Key: key, Where: where}
	name := termsafe.Line(key)
	switch v := v.(type) {
	case string:
		col.Light, col.Dark = v, v
		return col, true
	case map[string]any:
		light, okL := v["light"].(string)
		dark, okD := v["dark"].(string)
		if !okL || !okD || len(v) != 2 {
			c.fail("%s: theme.%s must give a light and a dark colour, e.g. %s = { light = \"#5a3fc0\", dark = \"#b4a0ff\" }, or one colour for both", where, name, name)
			return col, false
		}
		col.Light, col.Dark = light, dark
		return col, true
	}
	c.fail("%s: theme.%s must be a colour in quotes (\"#5a3fc0\", \"magenta\") or { light = \"…\", dark = \"…\" }, not %s", where, name, typeName(v))
	return col, false
}

// describe names a value for messages: its type, or "an empty string".
func describe(v any) string {
	if s, ok := v.(string); ok && s == "" {
		return "an empty string"
	}
	return typeName(v)
}

// table is [theme] as Save writes it: a colour given once for both
// backgrounds is written once.
func (t *Theme) table() map[string]any {
	if t == nil {
		return nil
	}
	out := map[string]any{}
	if t.Name != "" {
		out["name"] = t.Name
	}
	if t.glamourWritten != "" {
		out["glamour"] = t.glamourWritten
	} else if t.Glamour != "" {
		out["glamour"] = t.Glamour
	}
	for _, col := range t.Colors {
		if col.Light == col.Dark {
			out[col.Key] = col.Light
		} else {
			out[col.Key] = map[string]string{"light": col.Light, "dark": col.Dark}
		}
	}
	return out
}
