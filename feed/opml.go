package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/html/charset"

	"tidings/articles"
)

// opmlMaxSize caps how much of an OPML document ReadOPML reads.
const opmlMaxSize = 16 << 20

// ImportResult counts what an import did.
type ImportResult struct {
	Added      int // subscriptions appended to the config
	Duplicates int // subscriptions whose URL was already there (or repeated in the import)
	Skipped    int // outlines without an xmlUrl that are not folders, or with a bad URL
}

// ReadOPML parses an OPML 1.0 or 2.0 document from r; name is the file name
// used in errors, which look like "subs.opml:12: …".
//
// Every outline with an http or https xmlUrl becomes a Subscription. Its
// title is the "title" attribute, else "text" (a title equal to the URL is
// dropped). An outline without xmlUrl that contains outlines is a folder: its
// text (or title) becomes a tag of every feed below it, outermost folder
// first. A feed's "category" attribute adds more tags: it is a
// comma-separated list whose entries may be paths like "/news/world", of
// which the last segment is taken. Tags are deduplicated.
//
// Outlines with another kind of xmlUrl and outlines without xmlUrl that are
// not folders are left out (see [Config.ImportOPML] for a count of them).
// Duplicate URLs are kept; [Config.Import] counts them. A document whose root
// element is not <opml> is an error. The declared encoding is honoured.
func ReadOPML(r io.Reader, name string) ([]Subscription, error) {
	subs, _, err := opmlRead(r, name)
	return subs, err
}

// ImportOPML reads an OPML document with [ReadOPML] and merges it into c with
// [Config.Import]. Unlike calling the two separately, the result's Skipped
// also counts the outlines ReadOPML left out. On error c is not changed.
func (c *Config) ImportOPML(r io.Reader, name string) (ImportResult, error) {
	subs, skipped, err := opmlRead(r, name)
	if err != nil {
		return ImportResult{}, err
	}
	res := c.Import(subs)
	res.Skipped += skipped
	return res, nil
}

// Import merges subs into c in order. Subscriptions whose URL is already in
// c (by [NormalizeURL]), or repeats an earlier one in subs, are not added and
// count as Duplicates; those whose URL would not pass [LoadConfig]'s
// validation count as Skipped.
func (c *Config) Import(subs []Subscription) ImportResult {
	var res ImportResult
	for _, s := range subs {
		if configCheckURL(s.URL) != nil {
			res.Skipped++
			continue
		}
		s.Tags = slices.Clone(s.Tags)
		if c.Add(s) {
			res.Added++
		} else {
			res.Duplicates++
		}
	}
	return res
}

// opmlFrame is one open element while reading an OPML document.
type opmlFrame struct {
	name     string
	line     int
	outline  bool   // an <outline> inside <body>
	feed     bool   // an outline with an xmlUrl
	tag      string // folder name, for outlines without xmlUrl
	children bool   // an outline was seen inside this one
}

// opmlRead does the work of ReadOPML and also reports how many outlines it
// skipped.
func opmlRead(r io.Reader, name string) (subs []Subscription, skipped int, err error) {
	data, err := io.ReadAll(io.LimitReader(r, opmlMaxSize+1))
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > opmlMaxSize {
		return nil, 0, fmt.Errorf("%s: file is larger than %d MiB, too big for an OPML subscription list", name, opmlMaxSize>>20)
	}

	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charset.NewReaderLabel
	d.Entity = xml.HTMLEntity // exporters sometimes leave &nbsp; and friends in titles

	var (
		stack  []opmlFrame
		inBody int  // number of <body> elements on the stack
		root   bool // the root element was seen
	)
	for {
		line, _ := d.InputPos()
		tok, err := d.Token()
		if err == io.EOF {
			if !root {
				return nil, 0, fmt.Errorf("%s:1: not an OPML file (no root element)", name)
			}
			// Token reports unclosed elements as a syntax error, so this is
			// not reached with a non-empty stack.
			return subs, skipped, nil
		}
		if err != nil {
			return nil, 0, opmlError(name, d, err, stack)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !root {
				if !strings.EqualFold(t.Name.Local, "opml") {
					return nil, 0, fmt.Errorf("%s:%d: not an OPML file (root element <%s>)", name, line, t.Name.Local)
				}
				root = true
			}
			f := opmlFrame{name: t.Name.Local, line: line}
			switch {
			case strings.EqualFold(t.Name.Local, "body") && len(stack) == 1:
				inBody++
			case strings.EqualFold(t.Name.Local, "outline") && inBody > 0:
				f.outline = true
				if top := &stack[len(stack)-1]; top.outline {
					top.children = true
				}
				if u := opmlAttr(t, "xmlUrl"); u != "" {
					f.feed = true
					if s, ok := opmlFeed(t, u, stack); ok {
						subs = append(subs, s)
					} else {
						skipped++
					}
				} else {
					f.tag = opmlAttr(t, "text")
					if f.tag == "" {
						f.tag = opmlAttr(t, "title")
					}
				}
			}
			stack = append(stack, f)
		case xml.EndElement:
			if len(stack) == 0 {
				continue
			}
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if f.outline && !f.feed && !f.children {
				skipped++ // neither a feed nor a folder
			}
			if strings.EqualFold(f.name, "body") && len(stack) == 1 {
				inBody--
			}
			if len(stack) == 0 {
				// Whatever follows the root element is not our business.
				return subs, skipped, nil
			}
		}
	}
}

// opmlFeed builds the subscription for a feed outline with xmlUrl raw; the
// stack holds its ancestors. It reports false for URLs that are not http or
// https.
func opmlFeed(t xml.StartElement, raw string, stack []opmlFrame) (Subscription, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return Subscription{}, false
	}
	if scheme := strings.ToLower(u.Scheme); scheme != "http" && scheme != "https" {
		return Subscription{}, false
	}
	s := Subscription{URL: raw}
	// Titles and tags come from a file someone else may have written, and
	// end up on screen: they pass the sanitiser like any feed text.
	s.Title = articles.SanitizeLine(opmlAttr(t, "title"))
	if s.Title == "" {
		s.Title = articles.SanitizeLine(opmlAttr(t, "text"))
	}
	if s.Title == raw {
		s.Title = ""
	}
	var tags []string
	for _, f := range stack {
		if f.outline && !f.feed && f.tag != "" {
			tags = append(tags, f.tag)
		}
	}
	for _, c := range strings.Split(opmlAttr(t, "category"), ",") {
		c = strings.TrimSpace(c)
		if i := strings.LastIndexByte(strings.TrimRight(c, "/"), '/'); i >= 0 {
			c = c[i+1:]
		}
		tags = append(tags, strings.Trim(c, "/ \t"))
	}
	s.Tags = opmlCleanTags(tags)
	return s, true
}

// opmlCleanTags trims tags and drops empty and repeated ones, keeping the
// first occurrence. It returns nil when nothing is left.
func opmlCleanTags(tags []string) []string {
	for i, t := range tags {
		tags[i] = articles.SanitizeLine(t)
	}
	var out []string
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// opmlAttr returns the trimmed value of the attribute called name, matched
// case-insensitively because exporters disagree ("xmlUrl", "xmlurl").
func opmlAttr(t xml.StartElement, name string) string {
	val, found := "", false
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return strings.TrimSpace(a.Value)
		}
		if !found && strings.EqualFold(a.Name.Local, name) {
			val, found = a.Value, true
		}
	}
	return strings.TrimSpace(val)
}

// opmlError turns a decoding error into "name:LINE: message".
func opmlError(name string, d *xml.Decoder, err error, stack []opmlFrame) error {
	line, _ := d.InputPos()
	msg := err.Error()
	var serr *xml.SyntaxError
	if errors.As(err, &serr) {
		line, msg = serr.Line, serr.Msg
		if n := len(stack); n > 0 {
			top := stack[n-1]
			switch {
			case strings.HasPrefix(msg, "element <") && strings.Contains(msg, " closed by "):
				msg += fmt.Sprintf(" (<%s> opened at line %d)", top.name, top.line)
			case msg == "unexpected EOF":
				msg += fmt.Sprintf(" (<%s> opened at line %d is never closed)", top.name, top.line)
			}
		}
	} else {
		msg = strings.TrimPrefix(msg, "xml: ")
	}
	if line < 1 {
		line = 1
	}
	return fmt.Errorf("%s:%d: %s", name, line, msg)
}

// WriteOPML writes subs as an OPML 2.0 document, indented by two spaces.
// The head has the title "tidings subscriptions" and a dateCreated taken from
// now, in the RFC 822 format OPML asks for (with a four-digit year, as in
// RFC 1123), so the output is reproducible.
//
// Each feed is an <outline type="rss" text=… title=… xmlUrl=…/>; text is the
// title, or the URL when there is none (then title is left out). Feeds whose
// first tag is T go inside an <outline text="T" title="T"> folder, placed
// where T first appears; feeds without tags stay at the top level. Tags after
// the first go in the category attribute as "/tag2,/tag3". Tags are trimmed
// and deduplicated first. ReadOPML gives back the same URLs, titles and tag
// sets, provided no tag contains a comma or a slash.
func WriteOPML(w io.Writer, subs []Subscription, now time.Time) error {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<opml version="2.0">` + "\n")
	b.WriteString("  <head>\n")
	b.WriteString("    <title>tidings subscriptions</title>\n")
	b.WriteString("    <dateCreated>")
	opmlEscape(&b, now.Format(time.RFC1123Z))
	b.WriteString("</dateCreated>\n")
	b.WriteString("  </head>\n")
	b.WriteString("  <body>\n")

	tags := make([][]string, len(subs))
	for i, s := range subs {
		tags[i] = opmlCleanTags(s.Tags)
	}
	done := make(map[string]bool)
	for i, s := range subs {
		if len(tags[i]) == 0 {
			opmlWriteFeed(&b, "    ", s, nil)
			continue
		}
		folder := tags[i][0]
		if done[folder] {
			continue
		}
		done[folder] = true
		b.WriteString(`    <outline text="`)
		opmlEscape(&b, folder)
		b.WriteString(`" title="`)
		opmlEscape(&b, folder)
		b.WriteString("\">\n")
		for j := i; j < len(subs); j++ {
			if len(tags[j]) > 0 && tags[j][0] == folder {
				opmlWriteFeed(&b, "      ", subs[j], tags[j][1:])
			}
		}
		b.WriteString("    </outline>\n")
	}
	b.WriteString("  </body>\n")
	b.WriteString("</opml>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// opmlWriteFeed writes one feed outline; extra are its tags after the first.
func opmlWriteFeed(b *bytes.Buffer, indent string, s Subscription, extra []string) {
	b.WriteString(indent)
	b.WriteString(`<outline type="rss" text="`)
	if s.Title != "" {
		opmlEscape(b, s.Title)
		b.WriteString(`" title="`)
		opmlEscape(b, s.Title)
	} else {
		opmlEscape(b, s.URL)
	}
	b.WriteString(`" xmlUrl="`)
	opmlEscape(b, s.URL)
	if len(extra) > 0 {
		b.WriteString(`" category="`)
		for i, t := range extra {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteByte('/')
			opmlEscape(b, t)
		}
	}
	b.WriteString("\"/>\n")
}

// opmlEscape writes s escaped for use in text and in double-quoted
// attributes (xml.EscapeText also escapes quotes, tabs and newlines, and
// replaces characters XML cannot hold).
func opmlEscape(b *bytes.Buffer, s string) {
	xml.EscapeText(b, []byte(s)) // writing to a bytes.Buffer cannot fail
}
