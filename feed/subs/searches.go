package subs

import (
	"fmt"
	"strings"

	"tidings/articles"
	"tidings/articles/termsafe"
)

// The rules of config.toml, each a query in the reader's search language:
//
//	notify_command = ["notify-send", "tidings"]   # run without a shell
//
//	[[searches]]          # a saved search, listed with the feeds
//	name = "Climate"
//	query = "climate OR warming -sport"
//
//	[[ignore]]            # matching articles are hidden
//	query = "feed:example.org title:sponsored"
//
//	[[notify]]            # a refresh that brings a match says so
//	query = "title:earthquake"
//
// notify_command is an array, the program and then its arguments, never
// one string: a string reads like a shell command line, and the user
// would expect quotes, $VARIABLES and ~ to work as a shell makes them
// work, which nothing here does. An array says which words are which.

// Search is one [[searches]] entry: a query the feeds view lists by its
// name, with its unread count, and opens like a feed.
type Search struct {
	Name  string `toml:"name"`
	Query string `toml:"query"`
	// Where is "config.toml:7", the line of the entry, for messages.
	Where string `toml:"-"`
}

// Rule is one [[ignore]] or [[notify]] entry.
type Rule struct {
	Query string `toml:"query"`
	Where string `toml:"-"`
}

type rawSearch struct {
	Name  any `toml:"name"`
	Query any `toml:"query"`
}

type rawRule struct {
	Query any `toml:"query"`
}

// CheckQuery is the one place where a query of the file (or one about to
// be written to it) is checked against the search language. The error
// says what is wrong and where in the query (a column), not where in the
// file: its callers add that.
func CheckQuery(text string) error {
	if strings.TrimSpace(text) == "" {
		return fmt.Errorf("the query is empty: write what to find, e.g. title:climate")
	}
	_, err := articles.ParseQuery(text)
	return err
}

// FindSearch returns the index of the saved search called name, compared
// without regard to case or surrounding blanks (names are typed by hand
// on the command line), or -1.
func (c Config) FindSearch(name string) int {
	name = strings.TrimSpace(name)
	for i, s := range c.Searches {
		if strings.EqualFold(s.Name, name) {
			return i
		}
	}
	return -1
}

// AddSearch appends a saved search. It refuses an empty name, a query
// that does not parse, and a name already taken (whatever its case):
// replacing it would lose a query the user may have written by hand.
func (c *Config) AddSearch(name, query string) error {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return fmt.Errorf("a saved search needs a name")
	case c.FindSearch(name) >= 0:
		return fmt.Errorf("a saved search is already called %q: choose another name, or edit it in config.toml", termsafe.Line(c.Searches[c.FindSearch(name)].Name))
	}
	if err := CheckQuery(query); err != nil {
		return fmt.Errorf("search %q: %w", termsafe.Line(name), err)
	}
	c.Searches = append(c.Searches, Search{Name: name, Query: strings.TrimSpace(query)})
	return nil
}

// AddIgnore appends an [[ignore]] rule; it reports false when the same
// query is there already.
func (c *Config) AddIgnore(query string) (bool, error) {
	query = strings.TrimSpace(query)
	if err := CheckQuery(query); err != nil {
		return false, err
	}
	for _, r := range c.Ignore {
		if strings.TrimSpace(r.Query) == query {
			return false, nil
		}
	}
	c.Ignore = append(c.Ignore, Rule{Query: query})
	return true, nil
}

// lineIn is the line of the first key of the i-th [[table]] entry, or of
// the entry itself: where a message about that key points.
func (c *checker) lineIn(table string, i int, key string) int {
	entries := c.pos.entries[table]
	if i >= len(entries) {
		return 0
	}
	end := 1 << 30
	if i+1 < len(entries) {
		end = entries[i+1]
	}
	for _, l := range c.pos.keys[table+"."+key] {
		if l >= entries[i] && l < end {
			return l
		}
	}
	return entries[i]
}

// searches checks [[searches]]: each has a name and a query, both
// strings, the names all different (whatever their case) and the query
// one the search language reads.
func (c *checker) searches(raw []rawSearch) []Search {
	var out []Search
	seen := map[string]int{} // lower-case name -> index in raw
	for i, rs := range raw {
		entry := c.where(c.lineIn("searches", i, ""))
		prefix := fmt.Sprintf("%s: search %d", entry, i+1)
		name, okName := c.ruleString(prefix, "name", rs.Name)
		query, okQuery := c.ruleString(prefix, "query", rs.Query)
		if !okName || !okQuery {
			continue
		}
		prefix = fmt.Sprintf("%s: search %q", entry, termsafe.Line(name))
		if j, dup := seen[strings.ToLower(name)]; dup {
			c.fail("%s: the name is taken by search %d at line %d: give each saved search its own name", prefix, j+1, c.lineIn("searches", j, ""))
			continue
		}
		seen[strings.ToLower(name)] = i
		if !c.query(c.lineIn("searches", i, "query"), "search "+fmt.Sprintf("%q", termsafe.Line(name)), query) {
			continue
		}
		out = append(out, Search{Name: name, Query: query, Where: entry})
	}
	return out
}

// rules checks [[ignore]] or [[notify]] (table): each a query.
func (c *checker) rules(table string, raw []rawRule) []Rule {
	var out []Rule
	for i, rr := range raw {
		entry := c.where(c.lineIn(table, i, ""))
		query, ok := c.ruleString(fmt.Sprintf("%s: %s %d", entry, table, i+1), "query", rr.Query)
		if !ok || !c.query(c.lineIn(table, i, "query"), fmt.Sprintf("%s %d", table, i+1), query) {
			continue
		}
		out = append(out, Rule{Query: query, Where: entry})
	}
	return out
}

// ruleString type-checks a required string of an entry: present, a
// string, not blank. It is trimmed.
func (c *checker) ruleString(prefix, key string, v any) (string, bool) {
	switch v := v.(type) {
	case nil:
		c.fail("%s: %s is missing", prefix, key)
	case string:
		if s := strings.TrimSpace(v); s != "" {
			return s, true
		}
		c.fail("%s: %s is empty", prefix, key)
	default:
		c.fail("%s: %s must be a string, not %s", prefix, key, typeName(v))
	}
	return "", false
}

// query checks a query of the file, at line, through CheckQuery.
func (c *checker) query(line int, what, text string) bool {
	if err := CheckQuery(text); err != nil {
		c.fail("%s: %s: query %q: %v", c.where(line), what, termsafe.Line(text), err)
		return false
	}
	return true
}

// notifyCommand checks notify_command: an array of strings, the program
// first, not empty.
func (c *checker) notifyCommand(raw any) []string {
	if raw == nil {
		return nil
	}
	where := c.where(c.keyLine("notify_command"))
	if s, ok := raw.(string); ok {
		c.fail("%s: notify_command must be an array: the program, then its arguments, run without a shell, e.g. notify_command = %s", where, suggestArgs(s))
		return nil
	}
	args, ok := keyNames(raw)
	switch {
	case !ok:
		c.fail("%s: notify_command must be an array of strings, the program then its arguments, e.g. notify_command = [\"notify-send\", \"tidings\"], not %s", where, typeName(raw))
	case len(args) == 0 || strings.TrimSpace(args[0]) == "":
		c.fail("%s: notify_command names no program: give it first, e.g. notify_command = [\"notify-send\", \"tidings\"], or remove the line", where)
	default:
		return args
	}
	return nil
}

// suggestArgs writes a string command as the array it probably means,
// for the message that refuses it; with quotes in it, whose meaning a
// guess would get wrong, it gives the usual example instead.
func suggestArgs(s string) string {
	words := strings.Fields(s)
	if len(words) == 0 || strings.ContainsAny(s, `"'\`) {
		return `["notify-send", "tidings"]`
	}
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = fmt.Sprintf("%q", termsafe.Line(w))
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// holdsRules reports whether c has any of the settings of this file, for
// Save, which writes nothing but the header for an empty config.
func (c Config) holdsRules() bool {
	return len(c.Searches) > 0 || len(c.Ignore) > 0 || len(c.Notify) > 0 || len(c.NotifyCommand) > 0
}
