package subs

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"tidings/articles/termsafe"
)

// Subscription is one feed the user follows.
type Subscription struct {
	URL   string   `toml:"url"`
	Title string   `toml:"title,omitempty"`
	Tags  []string `toml:"tags,omitempty"`
}

// Config is the subscriptions file.
type Config struct {
	Retention *Retention     `toml:"retention,omitempty"`
	Reader    *Reader        `toml:"reader,omitempty"`
	Feeds     []Subscription `toml:"feeds"`
}

// Reader is the optional [reader] table: how the reader behaves.
type Reader struct {
	// Mouse: false leaves the mouse to the terminal, so that text can be
	// selected with it (default true: the wheel scrolls, a click selects).
	Mouse *bool `toml:"mouse,omitempty"`
}

// MouseOn reports whether the reader takes the mouse: unless [reader]
// says mouse = false.
func (c Config) MouseOn() bool {
	return c.Reader == nil || c.Reader.Mouse == nil || *c.Reader.Mouse
}

// Retention is the optional [retention] table: how long articles are kept.
// Starred articles are always kept. A nil field takes the default.
type Retention struct {
	// Days: an article older than this goes once its feed no longer lists
	// it (default 90; 0 keeps them).
	Days *int `toml:"days,omitempty"`
	// PerFeed: at most this many articles a feed (default 1000; 0 for no
	// limit).
	PerFeed *int `toml:"per_feed,omitempty"`
}

// rawConfig mirrors Config for decoding. The per-feed fields are decoded
// as any and type-checked here, so that a value of the wrong type can be
// reported against the feed it belongs to (the toml package only knows the
// position of the last occurrence of "feeds.url" in an array of tables).
type rawConfig struct {
	Retention *struct {
		Days    any `toml:"days"`
		PerFeed any `toml:"per_feed"`
	} `toml:"retention"`
	Reader *struct {
		Mouse any `toml:"mouse"`
	} `toml:"reader"`
	Feeds []rawFeed `toml:"feeds"`
}

type rawFeed struct {
	URL   any `toml:"url"`
	Title any `toml:"title"`
	Tags  any `toml:"tags"`
}

// fileHeader is written at the top of every saved config file.
const fileHeader = "# tidings subscriptions. Each [[feeds]] entry has a url and optionally a title and tags.\n\n"

// Load reads the subscriptions file at path.
//
// A missing file is not an error: it gives an empty Config and exists=false.
// Any other problem gives an error whose message starts with the path, and the
// line when one is known ("config.toml:7: feed 3: url …"); several validation
// problems are joined into one error, one per line. On error cfg is empty.
//
// Unknown keys do not fail the load: each comes back as a warning naming the
// file, the line if known, and the key.
//
// Every feed needs a url, which must pass [CheckURL]: an absolute http or
// https URL, a file:// URL or a local path (absolute, or starting with ./
// or ../), without control, bidi or invisible characters. Surrounding
// whitespace is trimmed from urls; otherwise they are kept as written. Two
// feeds whose urls are the same after [NormalizeURL] are an error naming
// both lines.
func Load(path string) (cfg Config, exists bool, warnings []string, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Config{}, false, nil, nil
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return Config{}, true, nil, fmt.Errorf("%s: %s: %w", path, pe.Op, pe.Err)
		}
		return Config{}, true, nil, fmt.Errorf("%s: %w", path, err)
	}
	cfg, warnings, err = parse(path, data)
	return cfg, true, warnings, err
}

// parse decodes and validates the contents of a config file; name is
// used in messages.
func parse(name string, data []byte) (Config, []string, error) {
	var raw rawConfig
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&raw)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			// The parser quotes the file, newlines and all: one clean line.
			msg := termsafe.Line(perr.Message)
			if perr.Position.Line < 1 {
				return Config{}, nil, fmt.Errorf("%s: %s", name, msg)
			}
			return Config{}, nil, fmt.Errorf("%s:%d: %s", name, perr.Position.Line, msg)
		}
		// Type mismatches outside the feeds (e.g. feeds = 3) are plain errors
		// of the form "toml: line N (last key "k"): msg".
		return Config{}, nil, plainError(name, err)
	}

	scan := scanPositions(string(data))
	entryLines := scan.entries["feeds"]
	if len(entryLines) == 0 {
		// The toml package matches field names case-insensitively.
		for k, v := range scan.entries {
			if strings.EqualFold(k, "feeds") {
				entryLines = v
				break
			}
		}
	}
	entryLine := func(i int) int {
		if i < len(entryLines) {
			return entryLines[i]
		}
		return 0
	}
	where := func(line int) string {
		if line > 0 {
			return fmt.Sprintf("%s:%d", name, line)
		}
		return name
	}

	var (
		cfg  Config
		errs []error
	)
	urlBad := make([]bool, len(raw.Feeds))
	for i, rf := range raw.Feeds {
		var s Subscription
		prefix := fmt.Sprintf("%s: feed %d", where(entryLine(i)), i+1)
		switch v := rf.URL.(type) {
		case nil:
		case string:
			s.URL = strings.TrimSpace(v)
		default:
			urlBad[i] = true
			errs = append(errs, fmt.Errorf("%s: url must be a string, not %s", prefix, typeName(v)))
		}
		switch v := rf.Title.(type) {
		case nil:
		case string:
			s.Title = v
		default:
			errs = append(errs, fmt.Errorf("%s: title must be a string, not %s", prefix, typeName(v)))
		}
		switch v := rf.Tags.(type) {
		case nil:
		case []any:
			for _, t := range v {
				ts, ok := t.(string)
				if !ok {
					errs = append(errs, fmt.Errorf("%s: tags must be strings, not %s", prefix, typeName(t)))
					break
				}
				s.Tags = append(s.Tags, ts)
			}
		default:
			errs = append(errs, fmt.Errorf("%s: tags must be an array of strings, not %s", prefix, typeName(v)))
		}
		cfg.Feeds = append(cfg.Feeds, s)
	}

	warnings := unknownKeys(name, md, scan)

	if raw.Retention != nil {
		var r Retention
		for _, f := range []struct {
			key string
			v   any
			dst **int
		}{{"days", raw.Retention.Days, &r.Days}, {"per_feed", raw.Retention.PerFeed, &r.PerFeed}} {
			if f.v == nil {
				continue
			}
			line := 0
			if lines := scan.keys["retention."+f.key]; len(lines) > 0 {
				line = lines[0]
			}
			n, ok := f.v.(int64)
			if !ok || n < 0 || n > 1<<31 {
				errs = append(errs, fmt.Errorf("%s: retention.%s must be a whole number from 0 up, not %v", where(line), f.key, f.v))
				continue
			}
			v := int(n)
			*f.dst = &v
		}
		cfg.Retention = &r
	}
	if raw.Reader != nil {
		var r Reader
		if raw.Reader.Mouse != nil {
			on, ok := raw.Reader.Mouse.(bool)
			if !ok {
				line := 0
				if lines := scan.keys["reader.mouse"]; len(lines) > 0 {
					line = lines[0]
				}
				errs = append(errs, fmt.Errorf("%s: reader.mouse must be true or false, not %v", where(line), raw.Reader.Mouse))
			} else {
				r.Mouse = &on
			}
		}
		cfg.Reader = &r
	}

	seen := make(map[string]int) // normalised URL -> index
	for i, s := range cfg.Feeds {
		line := entryLine(i)
		prefix := fmt.Sprintf("%s: feed %d", where(line), i+1)
		if s.URL == "" {
			if !urlBad[i] {
				errs = append(errs, fmt.Errorf("%s: missing url", prefix))
			}
			continue
		}
		n, err := urlCheck(s.URL)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", prefix, err))
			continue
		}
		if j, dup := seen[n]; dup {
			other := fmt.Sprintf("feed %d", j+1)
			if l := entryLine(j); l > 0 {
				other += fmt.Sprintf(" at line %d", l)
			}
			errs = append(errs, fmt.Errorf("%s: url %q duplicates %s", prefix, s.URL, other))
			continue
		}
		seen[n] = i
	}
	if len(errs) > 0 {
		return Config{}, warnings, errors.Join(errs...)
	}
	return cfg, warnings, nil
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

// Save writes c to path atomically: the data goes to a temporary file in the
// same directory, which is synced and then renamed over path, so a crash
// never leaves a truncated file. The directory is created (0o755) if needed
// and the file gets mode 0o644. If path is a symbolic link, the file it
// points to is replaced, not the link.
func (c Config) Save(path string) error {
	var buf bytes.Buffer
	buf.WriteString(fileHeader)
	if len(c.Feeds) > 0 || c.Retention != nil || c.Reader != nil {
		enc := toml.NewEncoder(&buf)
		enc.Indent = ""
		if err := enc.Encode(c); err != nil {
			return fmt.Errorf("%s: encode: %w", path, err)
		}
	}

	target := path
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if resolved, err := filepath.EvalSymlinks(path); err == nil {
			target = resolved
		}
	}
	dir := filepath.Dir(target)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := writeAtomic(target, buf.Bytes()); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// writeAtomic writes data to a temporary file next to path, syncs it
// and renames it over path, then syncs the directory.
func writeAtomic(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	// Make the rename itself durable. Not every platform can sync a
	// directory, so a failure here is ignored.
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// Add appends a subscription with its URL in [NormalizeURL]'s form. It
// reports false (and changes nothing) if NormalizeURL refuses the URL or it
// is already there. Each call goes through every subscription: to add many,
// use [Config.Import].
func (c *Config) Add(s Subscription) bool {
	u, err := NormalizeURL(s.URL)
	if err != nil || c.Find(u) >= 0 {
		return false
	}
	s.URL = u
	c.Feeds = append(c.Feeds, s)
	return true
}

// Remove deletes the subscription with that URL (compared after
// [NormalizeURL]); it reports whether one was there.
func (c *Config) Remove(url string) bool {
	i := c.Find(url)
	if i < 0 {
		return false
	}
	c.Feeds = append(c.Feeds[:i:i], c.Feeds[i+1:]...)
	return true
}

// Find returns the index of the subscription whose URL equals url after
// [NormalizeURL], or -1.
func (c Config) Find(url string) int {
	n := urlKey(url)
	for i, s := range c.Feeds {
		if urlKey(s.URL) == n {
			return i
		}
	}
	return -1
}

// isScheme reports whether s is a URL scheme (RFC 3986: a letter
// followed by letters, digits, '+', '-' or '.'). A single letter is not
// taken as a scheme so that Windows paths like C:\feeds stay paths.
func isScheme(s string) bool {
	if len(s) < 2 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
}

// DefaultFeeds is the short list of major world-news feeds used while the
// user has no subscriptions. Each call returns a fresh slice.
//
//   - BBC News – World: https://feeds.bbci.co.uk/news/world/rss.xml
//   - The Guardian – World news: https://www.theguardian.com/world/rss
//   - Al Jazeera English: https://www.aljazeera.com/xml/rss/all.xml
//   - NPR – World: https://feeds.npr.org/1004/rss.xml
//   - Deutsche Welle – World: https://rss.dw.com/rdf/rss-en-world
//   - France 24 – English: https://www.france24.com/en/rss
func DefaultFeeds() []Subscription {
	return []Subscription{
		{URL: "https://feeds.bbci.co.uk/news/world/rss.xml", Title: "BBC News – World", Tags: []string{"world"}},
		{URL: "https://www.theguardian.com/world/rss", Title: "The Guardian – World news", Tags: []string{"world"}},
		{URL: "https://www.aljazeera.com/xml/rss/all.xml", Title: "Al Jazeera English", Tags: []string{"world"}},
		{URL: "https://feeds.npr.org/1004/rss.xml", Title: "NPR – World", Tags: []string{"world"}},
		{URL: "https://rss.dw.com/rdf/rss-en-world", Title: "Deutsche Welle – World", Tags: []string{"world"}},
		{URL: "https://www.france24.com/en/rss", Title: "France 24 – English", Tags: []string{"world"}},
	}
}
