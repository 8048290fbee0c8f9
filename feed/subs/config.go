package subs

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
)

// Subscription is one feed the user follows.
type Subscription struct {
	URL   string   `toml:"url"`
	Title string   `toml:"title,omitempty"`
	Tags  []string `toml:"tags,omitempty"`
	// FullText: fetch the web page of each new article on refresh, for
	// feeds that carry a summary and a link.
	FullText bool `toml:"full_text,omitempty"`
}

// Config is the subscriptions file.
type Config struct {
	// NotifyCommand runs when a refresh brings articles that a [[notify]]
	// rule matches: the program, then its arguments (searches.go).
	NotifyCommand []string       `toml:"notify_command,omitempty"`
	Retention     *Retention     `toml:"retention,omitempty"`
	Reader        *Reader        `toml:"reader,omitempty"`
	Sync          *Sync          `toml:"sync,omitempty"`
	Feeds         []Subscription `toml:"feeds"`
	// Searches, Ignore and Notify are the [[searches]], [[ignore]] and
	// [[notify]] tables (searches.go).
	Searches []Search `toml:"searches,omitempty"`
	Ignore   []Rule   `toml:"ignore,omitempty"`
	Notify   []Rule   `toml:"notify,omitempty"`
	// Keys and Theme are written by Save after the feeds (see keys.go,
	// theme.go): the encoder cannot write their tables from these types.
	Keys  *Keys  `toml:"-"`
	Theme *Theme `toml:"-"`
}

// Sync is the optional [sync] table: a feed server that holds the
// subscriptions and the read and starred state, for several devices.
type Sync struct {
	// Kind is the server's API: "miniflux" (its REST API) or "greader"
	// (the Google Reader API: FreshRSS, Miniflux, Inoreader…).
	Kind string `toml:"kind"`
	// URL is the server's address; for "greader", where its API lives
	// (FreshRSS: https://host/api/greader.php).
	URL string `toml:"url"`
	// Token is Miniflux's API key. Better kept out of the file:
	// TIDINGS_SYNC_TOKEN or SecretCommand.
	Token string `toml:"token,omitempty"`
	// Username and Password log in to a Google Reader API (and to
	// Miniflux without an API key). The password is better kept out of
	// the file: TIDINGS_SYNC_PASSWORD or SecretCommand.
	Username string `toml:"username,omitempty"`
	Password string `toml:"password,omitempty"`
	// SecretCommand prints the token or password on its first line
	// ("pass show miniflux"); it runs without a shell.
	SecretCommand string `toml:"secret_command,omitempty"`
	// Line is where [sync] is in the file, for messages.
	Line int `toml:"-"`
}

// Sync kinds.
const (
	SyncMiniflux = "miniflux"
	SyncGReader  = "greader"
)

// UsesToken reports whether the account logs in with an API token rather
// than a username and password.
func (s Sync) UsesToken() bool { return s.Kind == SyncMiniflux && s.Username == "" }

// HoldsSecret reports whether the file itself holds a token or password.
func (s Sync) HoldsSecret() bool { return s.Token != "" || s.Password != "" }

// Reader is the optional [reader] table: how the reader behaves.
type Reader struct {
	// Mouse: false leaves the mouse to the terminal, so that text can be
	// selected with it (default true: the wheel scrolls, a click selects).
	Mouse *bool `toml:"mouse,omitempty"`
	// Bidi: how right-to-left text (Arabic, Hebrew) is shown. "auto"
	// (the default) reorders it for display unless the terminal is known
	// to do so itself; "terminal" leaves it to the terminal; "reorder"
	// always reorders.
	Bidi string `toml:"bidi,omitempty"`
	// Images: "auto" (the default) shows an article's pictures inline
	// where the terminal is found to draw them; "off" keeps them as links
	// and never asks the terminal.
	Images string `toml:"images,omitempty"`
}

// ImagesAuto is [reader] images' default.
const ImagesAuto = "auto"

// ImagesMode is [reader] images: "auto" or "off".
func (c Config) ImagesMode() string {
	if c.Reader == nil || c.Reader.Images == "" {
		return ImagesAuto
	}
	return c.Reader.Images
}

// BidiAuto is [reader] bidi's default.
const BidiAuto = "auto"

// BidiMode is [reader] bidi: "auto", "terminal" or "reorder".
func (c Config) BidiMode() string {
	if c.Reader == nil || c.Reader.Bidi == "" {
		return BidiAuto
	}
	return c.Reader.Bidi
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
	NotifyCommand any            `toml:"notify_command"`
	Retention     *rawRetention  `toml:"retention"`
	Reader        *rawReader     `toml:"reader"`
	Sync          *rawSync       `toml:"sync"`
	Feeds         []rawFeed      `toml:"feeds"`
	Searches      []rawSearch    `toml:"searches"`
	Ignore        []rawRule      `toml:"ignore"`
	Notify        []rawRule      `toml:"notify"`
	Keys          map[string]any `toml:"keys"`
	Theme         map[string]any `toml:"theme"`
}

type rawSync struct {
	Kind          any `toml:"kind"`
	URL           any `toml:"url"`
	Token         any `toml:"token"`
	Username      any `toml:"username"`
	Password      any `toml:"password"`
	SecretCommand any `toml:"secret_command"`
}

type rawRetention struct {
	Days    any `toml:"days"`
	PerFeed any `toml:"per_feed"`
}

type rawReader struct {
	Mouse  any `toml:"mouse"`
	Bidi   any `toml:"bidi"`
	Images any `toml:"images"`
}

type rawFeed struct {
	URL      any `toml:"url"`
	Title    any `toml:"title"`
	Tags     any `toml:"tags"`
	FullText any `toml:"full_text"`
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
	if err == nil && cfg.Sync != nil && cfg.Sync.HoldsSecret() {
		warnings = append(warnings, secretWarning(path, cfg.Sync)...)
	}
	return cfg, true, warnings, err
}

// secretWarning warns when a file holding a token or password can be read
// by others than its owner.
func secretWarning(path string, s *Sync) []string {
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm()&0o077 == 0 {
		return nil
	}
	what := "password"
	if s.Token != "" {
		what = "token"
	}
	return []string{fmt.Sprintf("%s:%d: this file holds the sync %s and others can read it (mode %04o): chmod 600 %s, or keep the %s in TIDINGS_SYNC_%s or secret_command",
		path, s.Line, what, fi.Mode().Perm(), path, what, strings.ToUpper(what))}
}

// Save writes c to path atomically: the data goes to a temporary file in the
// same directory, which is synced and then renamed over path, so a crash
// never leaves a truncated file. The directory is created (0o755) if needed
// and the file gets mode 0o644. If path is a symbolic link, the file it
// points to is replaced, not the link.
func (c Config) Save(path string) error {
	var buf bytes.Buffer
	buf.WriteString(fileHeader)
	if len(c.Feeds) > 0 || c.Retention != nil || c.Reader != nil || c.Sync != nil || c.holdsRules() {
		enc := toml.NewEncoder(&buf)
		enc.Indent = ""
		if err := enc.Encode(c); err != nil {
			return fmt.Errorf("%s: encode: %w", path, err)
		}
	}
	if err := c.encodeLooks(&buf); err != nil {
		return fmt.Errorf("%s: encode: %w", path, err)
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
	if err := writeAtomic(target, buf.Bytes(), c.mode(target)); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// mode is the permission a saved file gets: the file's own when it
// exists (a user who made it private keeps it so), else 0o644, or 0o600
// when it holds a secret.
func (c Config) mode(path string) fs.FileMode {
	if fi, err := os.Stat(path); err == nil {
		return fi.Mode().Perm()
	}
	if c.Sync != nil && c.Sync.HoldsSecret() {
		return 0o600
	}
	return 0o644
}

// writeAtomic writes data to a temporary file next to path, syncs it
// and renames it over path, then syncs the directory.
func writeAtomic(path string, data []byte, mode fs.FileMode) (err error) {
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
	if err = f.Chmod(mode); err != nil {
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
