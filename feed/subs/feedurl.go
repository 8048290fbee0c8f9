package subs

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"tidings/articles/termsafe"
)

// A feed URL is checked and normalised once, where it enters tidings:
// tidings add, an OPML import, a state import, a permanent redirect
// ([NormalizeURL]). The subscriptions file is checked when it is read
// ([CheckURL]). Screens show [DisplayURL].
//
// The URLs come from files and servers someone else controls, and end up in
// config.toml, in exports and on the terminal, so:
//   - controls (C0, DEL, C1), bidi controls and other invisible characters
//     are refused in the scheme, user info and host, and percent-encoded in
//     the path, query and fragment, where a server may have meant them and
//     %XX keeps that meaning while showing every byte;
//   - hosts are kept in their ASCII (punycode) form, lower-cased, so a
//     look-alike host ("аpple.com" in Cyrillic) reads as what it is
//     ("xn--pple-43d.com"); labels that mix directions are refused (IDNA
//     bidi rule);
//   - user info (user:password@) is kept: net/http sends it as Basic
//     authentication, and private feeds rely on that. Screens never show it
//     ([DisplayURL] writes "***@"), so "http://good.example@evil.example/"
//     reads as a feed on evil.example.

// URLError says why a feed URL was refused.
type URLError struct {
	URL     string // as given, trimmed
	Problem string // e.g. `holds a bidi control character (U+202E) in its host`
}

func (e *URLError) Error() string {
	return fmt.Sprintf("url %s %s", urlQuote(e.URL), e.Problem)
}

// urlMaxQuoted caps how much of a refused URL its error quotes.
const urlMaxQuoted = 200

// urlQuote quotes a URL for a message: Go syntax, so that every control or
// invisible character shows as an escape, and at most urlMaxQuoted bytes.
func urlQuote(s string) string {
	if len(s) > urlMaxQuoted {
		cut := urlMaxQuoted
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + "…"
	}
	return strconv.Quote(s)
}

// NormalizeURL checks a feed URL where it enters tidings and returns the
// form to keep: surrounding space trimmed; for http and https, the scheme
// and host lower-cased, the host in ASCII (punycode), an empty port dropped,
// and control, bidi and invisible characters (and spaces, and bytes that are
// not UTF-8) in the path, query and fragment percent-encoded. Everything
// else is kept as written: user info, and the path's case and escapes.
//
// It accepts absolute http and https URLs with a host, file: URLs, and local
// paths (absolute, or starting with ./ or ../), which are only trimmed; those
// and hosts cannot be percent-encoded, so a control, bidi or invisible
// character there is refused. Errors are *URLError.
func NormalizeURL(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	fail := func(format string, a ...any) (string, error) {
		return "", &URLError{URL: s, Problem: fmt.Sprintf(format, a...)}
	}
	if s == "" {
		return "", &URLError{Problem: "is empty"}
	}
	if urlIsLocalPath(s) {
		if i, bad := urlFindHidden(s, false); bad {
			return fail("holds %s in its path", urlDescribe(s, i))
		}
		return s, nil
	}
	colon := strings.IndexByte(s, ':')
	if colon <= 0 || !isScheme(s[:colon]) {
		return fail("is not absolute: want http://, https://, file:// or a path starting with /, ./ or ../")
	}
	switch scheme := strings.ToLower(s[:colon]); scheme {
	case "http", "https":
		return urlNormalizeWeb(s, scheme, s[colon+1:])
	case "file":
		if i, bad := urlFindHidden(s, false); bad {
			return fail("holds %s in its path", urlDescribe(s, i))
		}
		rest := s[colon+1:]
		if rest == "" || rest == "//" {
			return fail("has no path")
		}
		return scheme + ":" + rest, nil
	default:
		return fail("has unsupported scheme %s: want http, https or file", urlQuote(s[:colon]))
	}
}

// CheckURL checks a URL as the subscriptions file holds it: [NormalizeURL]
// must accept it, and, since a URL there was typed or saved by tidings, a
// control, bidi or invisible character anywhere in it is refused rather
// than percent-encoded. The URL itself is kept as written (its articles are
// stored under it).
func CheckURL(raw string) error {
	_, err := urlCheck(raw)
	return err
}

// urlCheck does the work of CheckURL and returns the URL's urlKey.
func urlCheck(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if i, bad := urlFindHidden(s, false); bad {
		return "", &URLError{URL: s, Problem: fmt.Sprintf("holds %s: remove it, or write it percent-encoded", urlDescribe(s, i))}
	}
	return NormalizeURL(s)
}

// DisplayURL is the form of a feed URL to show on screen: [NormalizeURL]'s,
// with any user info replaced by "***" so that the real host is the only
// one to read (and a password is not shown). A URL NormalizeURL refuses is
// shown sanitised.
func DisplayURL(raw string) string {
	n, err := NormalizeURL(raw)
	if err != nil {
		return termsafe.Line(raw)
	}
	scheme, rest, ok := strings.Cut(n, "://")
	if !ok || (scheme != "http" && scheme != "https") {
		return termsafe.Line(n)
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	if at := strings.LastIndexByte(rest[:end], '@'); at >= 0 {
		rest = "***" + rest[at:]
	}
	return scheme + "://" + rest
}

// urlKey is the form two URLs are compared in: the same feed gives the same
// key. URLs NormalizeURL refuses are compared trimmed.
func urlKey(raw string) string {
	if n, err := NormalizeURL(raw); err == nil {
		return n
	}
	return strings.TrimSpace(raw)
}

// urlIsLocalPath reports whether s is a local path rather than a URL.
func urlIsLocalPath(s string) bool {
	return strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") || filepath.IsAbs(s) ||
		(filepath.Separator != '/' && (strings.HasPrefix(s, `.\`) || strings.HasPrefix(s, `..\`)))
}

// urlNormalizeWeb normalises an http or https URL s; rest is what follows
// the scheme's colon.
func urlNormalizeWeb(s, scheme, rest string) (string, error) {
	fail := func(format string, a ...any) (string, error) {
		return "", &URLError{URL: s, Problem: fmt.Sprintf(format, a...)}
	}
	auth, ok := strings.CutPrefix(rest, "//")
	if !ok {
		return fail("has no host")
	}
	tail := ""
	if end := strings.IndexAny(auth, "/?#"); end >= 0 {
		auth, tail = auth[:end], auth[end:]
	}
	userinfo, hostport := "", auth
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		userinfo, hostport = auth[:at+1], auth[at+1:]
	}
	if i, bad := urlFindHidden(userinfo, true); bad {
		return fail("holds %s in its user info", urlDescribe(userinfo, i))
	}
	if i, bad := urlFindHidden(hostport, true); bad {
		return fail("holds %s in its host", urlDescribe(hostport, i))
	}
	host, port := urlSplitPort(hostport)
	if port != "" {
		if _, err := strconv.ParseUint(port, 10, 16); err != nil {
			return fail("has an invalid port %s", urlQuote(port))
		}
		port = ":" + port
	}
	ascii, problem := urlASCIIHost(host)
	if problem != "" {
		return fail("%s", problem)
	}
	out := scheme + "://" + userinfo + ascii + port + urlEscapeHidden(tail)
	// Whatever else net/url objects to (a bad %-escape, a bad user info)
	// the fetcher would trip over later: refuse it now.
	if _, err := urlParse(out); err != nil {
		return fail("is not valid: %v", err)
	}
	return out, nil
}

// urlSplitPort splits "host:port" and "[v6]:port"; port is "" when absent
// or empty.
func urlSplitPort(hostport string) (host, port string) {
	if strings.HasPrefix(hostport, "[") {
		if end := strings.IndexByte(hostport, ']'); end >= 0 {
			host, rest := hostport[:end+1], hostport[end+1:]
			if p, ok := strings.CutPrefix(rest, ":"); ok {
				return host, p
			}
			if rest != "" {
				return hostport, "" // left for urlASCIIHost to refuse
			}
			return host, ""
		}
		return hostport, ""
	}
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 {
		return hostport[:i], hostport[i+1:]
	}
	return hostport, ""
}

// urlASCIIHost returns host lower-cased and in ASCII, or a problem to report.
// Plain ASCII names only need letters, digits, '-', '_' and '.' (feeds do
// live on hosts with underscores, which IDNA would refuse); names with
// non-ASCII or punycode ("xn--") labels go through IDNA's lookup profile,
// which also refuses labels that mix directions.
func urlASCIIHost(host string) (string, string) {
	if host == "" {
		return "", "has no host"
	}
	if strings.HasPrefix(host, "[") {
		inner := strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
		if a, err := netip.ParseAddr(inner); err != nil || !a.Is6() || !strings.HasSuffix(host, "]") {
			return "", fmt.Sprintf("has an invalid IPv6 host %s", urlQuote(host))
		}
		return strings.ToLower(host), ""
	}
	lower := strings.ToLower(host)
	if urlIsASCII(lower) && !strings.HasPrefix(lower, "xn--") && !strings.Contains(lower, ".xn--") {
		for i := 0; i < len(lower); i++ {
			c := lower[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
				return "", fmt.Sprintf("has a host %s with %s in it", urlQuote(host), urlQuote(string(c)))
			}
		}
		return lower, ""
	}
	ascii, err := idna.Lookup.ToASCII(host)
	if err != nil {
		return "", fmt.Sprintf("has a host %s that is not a valid domain name (%s)", urlQuote(host), termsafe.Line(err.Error()))
	}
	return strings.ToLower(ascii), ""
}

func urlIsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// urlHidden reports whether r has no business in a URL as written: a
// control (C0, DEL, C1), a format character (bidi controls, zero-width
// characters, the byte-order mark, U+061C…), a space other than ' ', or
// another character that is drawn as nothing (Hangul fillers, variation
// selectors).
func urlHidden(r rune) bool {
	if ' ' <= r && r < 0x7f {
		return false // printable ASCII, most of every URL: no table to look up
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) ||
		(r != ' ' && unicode.IsSpace(r)) ||
		unicode.In(r, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector)
}

// urlFindHidden returns the byte offset of the first hidden rune or byte
// that is not UTF-8 in s; with space, an ASCII space counts too.
func urlFindHidden(s string, space bool) (int, bool) {
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") {
			return i, true
		}
		if urlHidden(r) || (space && r == ' ') {
			return i, true
		}
	}
	return 0, false
}

// urlDescribe names the character at byte offset i of s for a message.
func urlDescribe(s string, i int) string {
	r, size := utf8.DecodeRuneInString(s[i:])
	switch {
	case r == utf8.RuneError && size <= 1:
		return fmt.Sprintf("a byte that is not UTF-8 (0x%02X)", s[i])
	case r == ' ':
		return "a space"
	case unicode.IsControl(r):
		return fmt.Sprintf("a control character (U+%04X)", r)
	case r == 0x061C || r == 0x200E || r == 0x200F || (0x202A <= r && r <= 0x202E) || (0x2066 <= r && r <= 0x2069):
		return fmt.Sprintf("a bidi control character (U+%04X)", r)
	case unicode.IsSpace(r):
		return fmt.Sprintf("a space character (U+%04X)", r)
	}
	return fmt.Sprintf("an invisible character (U+%04X)", r)
}

// urlEscapeHidden percent-encodes, in the path, query or fragment s, every
// hidden rune, space and byte that is not UTF-8.
func urlEscapeHidden(s string) string {
	if _, bad := urlFindHidden(s, true); !bad {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		invalid := r == utf8.RuneError && size <= 1
		if invalid || urlHidden(r) || r == ' ' {
			for _, c := range []byte(s[i : i+size]) {
				fmt.Fprintf(&b, "%%%02X", c)
			}
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// urlParse is url.Parse with its error unwrapped: callers quote the URL
// themselves.
func urlParse(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	return u, err
}

// URLResolver returns a function for feed URLs that come from outside but
// name feeds tidings may already store, such as those of a state file
// (tidings import --state). It refuses what [NormalizeURL] refuses. A URL
// that matches a subscription of c after NormalizeURL comes back as the
// subscription has it, since its articles are stored under that form (the
// subscriptions file keeps URLs as written); any other comes back in
// NormalizeURL's form. The subscriptions are indexed once, so that a
// large file is resolved in time proportional to its size.
func (c Config) URLResolver() func(raw string) (string, error) {
	known := make(map[string]string, len(c.Feeds))
	for _, s := range c.Feeds {
		if k := urlKey(s.URL); known[k] == "" {
			known[k] = s.URL
		}
	}
	return func(raw string) (string, error) {
		n, err := NormalizeURL(raw)
		if err != nil {
			return "", err
		}
		if u, ok := known[n]; ok {
			return u, nil
		}
		return n, nil
	}
}
