package subs

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"tidings/articles/termsafe"
)

// parse decodes and validates the contents of a config file; name is
// used in messages. Problems are reported in the order of its steps: the
// types of each feed's fields, [retention], [reader], then each feed's url.
func parse(name string, data []byte) (Config, []string, error) {
	var raw rawConfig
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&raw)
	if err != nil {
		return Config{}, nil, decodeError(name, err)
	}
	c := newChecker(name, scanPositions(string(data)), len(raw.Feeds))
	cfg := Config{Feeds: c.feeds(raw.Feeds)}
	warnings := unknownKeys(name, md, c.pos)
	cfg.Retention = c.retention(raw.Retention)
	cfg.Reader = c.reader(raw.Reader)
	cfg.Sync = c.sync(raw.Sync)
	cfg.Keys = c.keys(raw.Keys)
	cfg.Theme = c.theme(raw.Theme)
	c.urls(cfg.Feeds)
	cfg.NotifyCommand = c.notifyCommand(raw.NotifyCommand)
	cfg.Searches = c.searches(raw.Searches)
	cfg.Ignore = c.rules("ignore", raw.Ignore)
	cfg.Notify = c.rules("notify", raw.Notify)
	if len(c.errs) > 0 {
		return Config{}, warnings, errors.Join(c.errs...)
	}
	return cfg, warnings, nil
}

// decodeError turns the toml package's error into "name:LINE: message".
func decodeError(name string, err error) error {
	var perr toml.ParseError
	if errors.As(err, &perr) {
		// The parser quotes the file, newlines and all: one clean line.
		msg := termsafe.Line(perr.Message)
		if perr.Position.Line < 1 {
			return fmt.Errorf("%s: %s", name, msg)
		}
		return fmt.Errorf("%s:%d: %s", name, perr.Position.Line, msg)
	}
	// Type mismatches outside the feeds (e.g. feeds = 3) are plain errors
	// of the form "toml: line N (last key "k"): msg".
	return plainError(name, err)
}

// checker validates a decoded config and collects every problem, each
// named by file and line, so that one load reports them all.
type checker struct {
	name    string
	pos     positions
	entries []int  // the line of each feed's entry
	urlBad  []bool // the feed's url is not a string (already reported)
	errs    []error
}

func newChecker(name string, pos positions, feeds int) *checker {
	entries := pos.entries["feeds"]
	if len(entries) == 0 {
		// The toml package matches field names case-insensitively.
		for k, v := range pos.entries {
			if strings.EqualFold(k, "feeds") {
				entries = v
				break
			}
		}
	}
	return &checker{name: name, pos: pos, entries: entries, urlBad: make([]bool, feeds)}
}

func (c *checker) fail(format string, a ...any) {
	c.errs = append(c.errs, fmt.Errorf(format, a...))
}

// where is "name:LINE", or the name alone when the line is not known (0).
func (c *checker) where(line int) string {
	if line > 0 {
		return fmt.Sprintf("%s:%d", c.name, line)
	}
	return c.name
}

// entryLine is the line of feed i's entry, or 0.
func (c *checker) entryLine(i int) int {
	if i < len(c.entries) {
		return c.entries[i]
	}
	return 0
}

// feedPrefix starts a message about feed i: "name:LINE: feed 3".
func (c *checker) feedPrefix(i int) string {
	return fmt.Sprintf("%s: feed %d", c.where(c.entryLine(i)), i+1)
}

// lazyPrefix is feedPrefix(i) made only if a message needs it: a config
// of 10,000 feeds spent 7% of its load making prefixes for no message.
func (c *checker) lazyPrefix(i int) func() string {
	return func() string { return c.feedPrefix(i) }
}

// keyLine is the line of the first occurrence of a dotted key, or 0.
func (c *checker) keyLine(key string) int {
	if lines := c.pos.keys[key]; len(lines) > 0 {
		return lines[0]
	}
	return 0
}

// feeds type-checks each feed's fields.
func (c *checker) feeds(raw []rawFeed) []Subscription {
	var out []Subscription
	for i, rf := range raw {
		out = append(out, c.feed(i, rf))
	}
	return out
}

// feed type-checks feed i; its url is trimmed, and checked later by urls.
func (c *checker) feed(i int, rf rawFeed) Subscription {
	var s Subscription
	prefix := c.lazyPrefix(i)
	switch v := rf.URL.(type) {
	case nil:
	case string:
		s.URL = strings.TrimSpace(v)
	default:
		c.urlBad[i] = true
		c.fail("%s: url must be a string, not %s", prefix(), typeName(v))
	}
	switch v := rf.Title.(type) {
	case nil:
	case string:
		s.Title = v
	default:
		c.fail("%s: title must be a string, not %s", prefix(), typeName(v))
	}
	s.Tags = c.tags(prefix, rf.Tags)
	switch v := rf.FullText.(type) {
	case nil:
	case bool:
		s.FullText = v
	default:
		c.fail("%s: full_text must be true or false, not %v", prefix(), v)
	}
	return s
}

// tags type-checks a feed's tags; on a tag that is not a string it keeps
// those before it.
func (c *checker) tags(prefix func() string, raw any) []string {
	var tags []string
	switch v := raw.(type) {
	case nil:
	case []any:
		for _, t := range v {
			ts, ok := t.(string)
			if !ok {
				c.fail("%s: tags must be strings, not %s", prefix(), typeName(t))
				break
			}
			tags = append(tags, ts)
		}
	default:
		c.fail("%s: tags must be an array of strings, not %s", prefix(), typeName(v))
	}
	return tags
}

// retention checks the [retention] table: whole numbers from 0 up.
func (c *checker) retention(raw *rawRetention) *Retention {
	if raw == nil {
		return nil
	}
	var r Retention
	for _, f := range []struct {
		key string
		v   any
		dst **int
	}{{"days", raw.Days, &r.Days}, {"per_feed", raw.PerFeed, &r.PerFeed}} {
		if f.v == nil {
			continue
		}
		n, ok := f.v.(int64)
		if !ok || n < 0 || n > 1<<31 {
			c.fail("%s: retention.%s must be a whole number from 0 up, not %v", c.where(c.keyLine("retention."+f.key)), f.key, f.v)
			continue
		}
		v := int(n)
		*f.dst = &v
	}
	return &r
}

// reader checks the [reader] table.
func (c *checker) reader(raw *rawReader) *Reader {
	if raw == nil {
		return nil
	}
	var r Reader
	if raw.Mouse != nil {
		on, ok := raw.Mouse.(bool)
		if !ok {
			c.fail("%s: reader.mouse must be true or false, not %v", c.where(c.keyLine("reader.mouse")), raw.Mouse)
		} else {
			r.Mouse = &on
		}
	}
	if raw.Bidi != nil {
		mode, _ := raw.Bidi.(string)
		switch mode {
		case "auto", "terminal", "reorder":
			r.Bidi = mode
		default:
			c.fail("%s: reader.bidi must be \"auto\", \"terminal\" or \"reorder\", not %s", c.where(c.keyLine("reader.bidi")), shownValue(raw.Bidi))
		}
	}
	if raw.Images != nil {
		switch mode, _ := raw.Images.(string); mode {
		case "auto", "off":
			r.Images = mode
		default:
			c.fail("%s: reader.images must be \"auto\" or \"off\", not %s", c.where(c.keyLine("reader.images")), shownValue(raw.Images))
		}
	}
	return &r
}

// shownValue shows a value from the file in an error: a string quoted
// and made safe for the terminal, anything else as it is.
func shownValue(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", termsafe.Line(s))
	}
	return fmt.Sprint(v)
}

// sync checks the [sync] table: a kind tidings speaks, an http(s) URL,
// strings for the rest, and a username where the kind needs one. Whether
// a secret is given is checked when it is needed: it may come from the
// environment.
func (c *checker) sync(raw *rawSync) *Sync {
	if raw == nil {
		return nil
	}
	s := Sync{Line: c.keyLine("sync")}
	for _, f := range []struct {
		key string
		v   any
		dst *string
	}{{"kind", raw.Kind, &s.Kind}, {"url", raw.URL, &s.URL}, {"token", raw.Token, &s.Token}, {"username", raw.Username, &s.Username},
		{"password", raw.Password, &s.Password}, {"secret_command", raw.SecretCommand, &s.SecretCommand}} {
		if f.v == nil {
			continue
		}
		v, ok := f.v.(string)
		if !ok {
			c.fail("%s: sync.%s must be a string, not %s", c.where(c.syncLine(f.key)), f.key, typeName(f.v))
			continue
		}
		*f.dst = strings.TrimSpace(v)
	}
	c.syncValues(&s)
	return &s
}

// syncLine is the line of a key of [sync], else of the table.
func (c *checker) syncLine(key string) int {
	if l := c.keyLine("sync." + key); l > 0 {
		return l
	}
	return c.keyLine("sync")
}

// syncValues checks the values of [sync] that decoded as strings.
func (c *checker) syncValues(s *Sync) {
	switch s.Kind {
	case SyncMiniflux, SyncGReader:
	case "":
		c.fail("%s: sync.kind is missing: \"miniflux\" or \"greader\"", c.where(s.Line))
	default:
		c.fail("%s: sync.kind must be \"miniflux\" or \"greader\", not %q", c.where(c.syncLine("kind")), termsafe.Line(s.Kind))
	}
	if s.URL == "" {
		c.fail("%s: sync.url is missing: the server's address, e.g. https://rss.example.org", c.where(s.Line))
	} else if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		c.fail("%s: sync.url must be an http or https address without a user or password in it, not %q", c.where(c.syncLine("url")), termsafe.Line(s.URL))
	}
	if s.Kind == SyncGReader && s.Username == "" {
		c.fail("%s: sync.username is missing: the Google Reader API logs in with a username and password", c.where(s.Line))
	}
	if s.Kind == SyncGReader && s.Token != "" {
		c.fail("%s: sync.token is for Miniflux's API; the Google Reader API takes username and password", c.where(c.syncLine("token")))
	}
}

// urls checks that every feed has a url that [CheckURL] accepts, and that
// no two are the same after [NormalizeURL]; a duplicate names both lines.
func (c *checker) urls(feeds []Subscription) {
	seen := make(map[string]int) // normalised URL -> index
	for i, s := range feeds {
		prefix := c.lazyPrefix(i)
		if s.URL == "" {
			if !c.urlBad[i] {
				c.fail("%s: missing url", prefix())
			}
			continue
		}
		n, err := urlCheck(s.URL)
		if err != nil {
			c.fail("%s: %w", prefix(), err)
			continue
		}
		if j, dup := seen[n]; dup {
			other := fmt.Sprintf("feed %d", j+1)
			if l := c.entryLine(j); l > 0 {
				other += fmt.Sprintf(" at line %d", l)
			}
			c.fail("%s: url %q duplicates %s", prefix(), s.URL, other)
			continue
		}
		seen[n] = i
	}
}

// typeName names the TOML type of a decoded value for messages.
func typeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	default:
		return "a date/time"
	}
}

// plainError rewrites the toml package's non-parse errors, which look
// like `toml: line 3 (last key "feeds"): msg`, as "name:3: feeds: msg".
func plainError(name string, err error) error {
	msg := err.Error()
	line := 0
	if rest, ok := strings.CutPrefix(msg, "toml: "); ok {
		msg = rest
		if rest, ok := strings.CutPrefix(msg, "line "); ok {
			end := strings.IndexByte(rest, ' ')
			if end > 0 {
				if n, err := strconv.Atoi(rest[:end]); err == nil {
					line = n
					msg = rest[end+1:]
				}
			}
		}
		if strings.HasPrefix(msg, "(last key ") {
			if end := strings.Index(msg, "): "); end > 0 {
				key := strings.TrimPrefix(msg[:end], "(last key ")
				msg = fmt.Sprintf("%s: %s", strings.Trim(key, `"`), msg[end+3:])
			}
		}
	}
	msg = termsafe.Line(msg)
	if line > 0 {
		return fmt.Errorf("%s:%d: %s", name, line, msg)
	}
	return fmt.Errorf("%s: %s", name, msg)
}

// checkedWhole reports whether k is inside a table decoded as a whole
// and checked key by key ([keys], [theme]): the decoder calls what it put
// in an any undecoded, but the checker has read it.
func checkedWhole(k toml.Key) bool {
	return len(k) > 1 && (k[0] == "keys" || k[0] == "theme")
}

// unknownKeys turns the keys the decoder did not use into warnings.
// Only the outermost unknown key of a subtree is reported: an unknown table
// [extra] gives one warning, not one per key inside it.
func unknownKeys(name string, md toml.MetaData, scan positions) []string {
	undecoded := md.Undecoded()
	if len(undecoded) == 0 {
		return nil
	}
	unknown := make(map[string]bool, len(undecoded))
	for _, k := range undecoded {
		unknown[k.String()] = true
	}
	undecoded = slices.DeleteFunc(undecoded, checkedWhole)
	type warning struct {
		line int
		text string
	}
	var ws []warning
	used := make(map[string]int) // occurrences of each key consumed so far
outer:
	for _, k := range undecoded {
		for n := 1; n < len(k); n++ {
			if unknown[k[:n].String()] {
				continue outer
			}
		}
		ks := k.String()
		line := 0
		if lines := scan.keys[ks]; used[ks] < len(lines) {
			line = lines[used[ks]]
		}
		used[ks]++
		if line > 0 {
			ws = append(ws, warning{line, fmt.Sprintf("%s:%d: unknown key %q ignored", name, line, ks)})
		} else {
			ws = append(ws, warning{1 << 30, fmt.Sprintf("%s: unknown key %q ignored", name, ks)})
		}
	}
	sort.SliceStable(ws, func(i, j int) bool { return ws[i].line < ws[j].line })
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.text
	}
	return out
}
