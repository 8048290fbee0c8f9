package articles

import (
	"net/url"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// One story once: the same article reached through several feeds (an
// agency story in three papers, a post in a blog's feed and in a
// planet's) is one story, shown once where more than one feed is listed.
// Two articles of different feeds are the same story when they have the
// same normalised link, the same GUID, or the same normalised title; the
// keys below are what is compared. A store groups only articles of
// different feeds, at most one of each feed: a feed's own items are
// distinct because the feed says so.

// StoryKeys are what an article is matched on; an empty key matches
// nothing.
type StoryKeys struct {
	Link  string // StoryLink of its link
	GUID  string // StoryGUID of its GUID
	Title string // StoryTitle of its title
}

// StoryKeysOf returns a's keys.
func StoryKeysOf(a Article) StoryKeys {
	return StoryKeys{Link: StoryLink(a.Link), GUID: StoryGUID(a.GUID), Title: StoryTitle(a.Title)}
}

// trackingParams are query parameters that say who sent the reader, not
// what they read: dropped before links are compared. Every parameter that
// starts with "utm_" is dropped too.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gclsrc": true, "msclkid": true, "yclid": true,
	"twclid": true, "igshid": true, "mc_cid": true, "mc_eid": true, "ref": true, "ref_src": true,
	"ref_url": true, "_hsenc": true, "_hsmi": true, "mkt_tok": true, "oly_anon_id": true,
	"oly_enc_id": true, "vero_id": true, "wt_mc": true, "spm": true, "ncid": true, "cmpid": true,
	"at_medium": true, "at_campaign": true, "rss": true, "ito": true,
}

// IsTrackingParam reports whether a query parameter is one StoryLink
// drops.
func IsTrackingParam(name string) bool {
	name = strings.ToLower(name)
	return strings.HasPrefix(name, "utm_") || trackingParams[name]
}

// StoryLink returns the form of an http(s) link that two feeds' copies of
// one article share: no scheme (http and https are one), the host in
// lower case without "www." and a default port, no user, no fragment, no
// trailing slash (but the root's), tracking parameters dropped and the
// rest sorted. A site's home page (the root, with no query left) is no
// story's link: feeds that link every item there are common. Anything
// else (no host, another scheme) gives "".
func StoryLink(link string) string {
	u, err := url.Parse(strings.TrimSpace(link))
	if err != nil || u.Host == "" {
		return ""
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	if port := u.Port(); port != "" && port != "80" && port != "443" {
		host += ":" + port
	}
	path := strings.TrimRight(u.EscapedPath(), "/")
	q := u.Query()
	for name := range q {
		if IsTrackingParam(name) {
			delete(q, name)
		}
	}
	if path == "" && len(q) == 0 {
		return "" // the home page
	}
	key := host + path
	if len(q) > 0 {
		key += "?" + q.Encode() // Encode sorts by name
	}
	return key
}

// minGUID is the shortest GUID that is told apart across feeds: shorter
// ones ("42", "post-7") are unique only within their feed.
const minGUID = 10

// StoryGUID returns the form of a GUID that two feeds' copies of one
// article share, or "" when the GUID does not tell a story across feeds:
// a GUID that is a link is compared as StoryLink compares links (so a
// home page is none); another must hold minGUID characters and not be a
// number alone. A GUID a store made up from the item's link or title
// ("link:", "title:" as feed parsing writes them) or from a feed server's
// ID ("remote:") is none: the link and title are compared on their own.
func StoryGUID(guid string) string {
	guid = strings.TrimSpace(guid)
	for _, made := range []string{"link:", "title:", "remote:"} {
		if strings.HasPrefix(guid, made) {
			return ""
		}
	}
	guid = strings.TrimPrefix(guid, "guid:")
	if l := strings.ToLower(guid); strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") {
		return StoryLink(guid)
	}
	if len([]rune(guid)) < minGUID || strings.IndexFunc(guid, func(r rune) bool { return r < '0' || r > '9' }) < 0 {
		return ""
	}
	return guid
}

// A title is matched only when it is long enough to mean something: at
// least minTitleWords words and minTitleLetters letters or digits, a
// Chinese, Japanese or Korean character counting as a word and as two
// letters (a ten-character Chinese headline is a headline).
const (
	minTitleWords   = 4
	minTitleLetters = 20
)

// StoryTitle returns the form of a title that two copies of one headline
// share: compatibility-normalised (NFKC), lower case, punctuation and
// symbols gone (an apostrophe or a full stop joins what it separates:
// "U.S." is "us", "don't" is "dont"; other punctuation separates words),
// words one space apart. A title too short to mean something
// ("Untitled", "Update") gives "".
func StoryTitle(title string) string {
	title = strings.ToLower(norm.NFKC.String(title))
	var b strings.Builder
	words, letters := 0, 0
	inWord := false
	for _, r := range title {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if IsCJK(r) {
				words, letters, inWord = words+1, letters+2, false
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				b.WriteRune(r)
				continue
			}
			if !inWord {
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				words++
				inWord = true
			}
			letters++
			b.WriteRune(r)
		case r == '\'' || r == '’' || r == '.':
			// joins: "U.S.", "don't"
		default:
			inWord = false
		}
	}
	if words < minTitleWords || letters < minTitleLetters {
		return ""
	}
	return b.String()
}
