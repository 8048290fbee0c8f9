package subs

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/html/charset"

	"tidings/articles/termsafe"
)

// opmlMaxSize caps how much of an OPML document ReadOPML reads.
const opmlMaxSize = 16 << 20

// ImportResult says what an import did.
type ImportResult struct {
	Added      int // subscriptions appended to the config
	Duplicates int // subscriptions whose URL was already there (or repeated in the import)
	Skipped    int // outlines without an xmlUrl that are not folders, or with a URL that is refused

	// Notes says why outlines were left out, in file order: each skipped
	// outline and each repeat of an earlier one in the same import, up to
	// MaxImportNotes; MoreNotes counts the rest. Feeds that were already
	// subscribed are only counted, so that importing a file again stays
	// quiet.
	Notes     []ImportNote
	MoreNotes int
}

// MaxImportNotes caps ImportResult.Notes: a file of 100,000 bad outlines
// gives a count, not 100,000 lines.
const MaxImportNotes = 20

// ImportNote says why one outline was left out.
type ImportNote struct {
	Line   int    // of the outline in the OPML file; 0 when not known
	What   string // its URL, else its title, quoted in Go syntax so that controls show as escapes
	Reason string // reads after What: "repeats line 8", "is not an http or https URL"
}

// String is the note as "line 12: \"https://…\" repeats line 8".
func (n ImportNote) String() string {
	if n.Line > 0 {
		return fmt.Sprintf("line %d: %s %s", n.Line, n.What, n.Reason)
	}
	return n.What + " " + n.Reason
}

// importNotes collects notes up to MaxImportNotes and counts the rest.
type importNotes struct {
	list []ImportNote
	more int
}

func (n *importNotes) add(line int, what, reason string) {
	if len(n.list) >= MaxImportNotes {
		n.more++
		return
	}
	n.list = append(n.list, ImportNote{Line: line, What: what, Reason: reason})
}

// importMergeNotes merges two note lists, each in file order, into the
// first MaxImportNotes of both in file order, and counts the rest. Each
// holds the first notes of its kind, so together they hold the first
// notes of all.
func importMergeNotes(a, b importNotes) ([]ImportNote, int) {
	all := append(slices.Clip(a.list), b.list...)
	slices.SortStableFunc(all, func(x, y ImportNote) int { return x.Line - y.Line })
	more := a.more + b.more
	if len(all) > MaxImportNotes {
		more += len(all) - MaxImportNotes
		all = all[:MaxImportNotes]
	}
	return all, more
}

// importEntry is a subscription to import and the line it comes from (0
// when not known).
type importEntry struct {
	sub  Subscription
	line int
}

// importCheckEvery is how many outlines an import handles between two looks
// at its context.
const importCheckEvery = 1024

// ReadOPML parses an OPML 1.0 or 2.0 document from r; name is the file name
// used in errors, which look like "subs.opml:12: …".
//
// Every outline with an http or https xmlUrl that [NormalizeURL] accepts
// becomes a Subscription, with the URL in NormalizeURL's form. Its
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
	doc, err := readOPML(context.Background(), r, name)
	if err != nil {
		return nil, err
	}
	var subs []Subscription
	for _, e := range doc.entries {
		subs = append(subs, e.sub)
	}
	return subs, nil
}

// ImportOPML reads an OPML document with [ReadOPML] and merges it into c
// like [Config.Import]. Unlike calling the two separately, the result's
// Skipped also counts the outlines ReadOPML left out, and its Notes give
// the line of each outline in the file. It stops with ctx's error once ctx
// is done. On error c is not changed.
func (c *Config) ImportOPML(ctx context.Context, r io.Reader, name string) (ImportResult, error) {
	doc, err := readOPML(ctx, r, name)
	if err != nil {
		return ImportResult{}, err
	}
	res, notes, err := c.importEntries(ctx, doc.entries)
	if err != nil {
		return ImportResult{}, fmt.Errorf("%s: %w", name, err)
	}
	res.Skipped += doc.skipped
	res.Notes, res.MoreNotes = importMergeNotes(doc.notes, notes)
	return res, nil
}

// Import merges subs into c in order, each URL in [NormalizeURL]'s form.
// Subscriptions whose URL is already in c, or repeats an earlier one in
// subs, are not added and count as Duplicates; those whose URL
// NormalizeURL refuses count as Skipped.
func (c *Config) Import(subs []Subscription) ImportResult {
	var (
		entries []importEntry
		skipped importNotes
		res     ImportResult
	)
	for _, s := range subs {
		u, err := NormalizeURL(s.URL)
		if err != nil {
			res.Skipped++
			skipped.add(0, urlQuote(strings.TrimSpace(s.URL)), importReason(err))
			continue
		}
		s.URL = u
		entries = append(entries, importEntry{sub: s})
	}
	merged, notes, _ := c.importEntries(context.Background(), entries) // never cancelled
	merged.Skipped = res.Skipped
	merged.Notes, merged.MoreNotes = importMergeNotes(skipped, notes)
	return merged
}

// importEntries appends the entries whose URLs (already normalised) are
// new to c. Subscriptions are looked up in a map, so that an import takes
// time in proportion to its size, not to its size times the config's.
// It stops with ctx's error, c unchanged, once ctx is done.
func (c *Config) importEntries(ctx context.Context, entries []importEntry) (ImportResult, importNotes, error) {
	const subscribed = -1 // in seen: the URL was in c before the import
	seen := make(map[string]int, len(c.Feeds)+len(entries))
	for _, s := range c.Feeds {
		if k := urlKey(s.URL); seen[k] == 0 {
			seen[k] = subscribed
		}
	}
	var (
		res   ImportResult
		notes importNotes
	)
	feeds := slices.Clip(c.Feeds) // appending never writes into a caller's array
	for i, e := range entries {
		if i%importCheckEvery == 0 && ctx.Err() != nil {
			return ImportResult{}, importNotes{}, fmt.Errorf("import stopped: %w", context.Cause(ctx))
		}
		key := urlKey(e.sub.URL)
		if first, dup := seen[key]; dup {
			res.Duplicates++
			switch {
			case first > 0:
				notes.add(e.line, urlQuote(DisplayURL(e.sub.URL)), fmt.Sprintf("repeats line %d", first))
			case first == 0:
				notes.add(e.line, urlQuote(DisplayURL(e.sub.URL)), "repeats an earlier entry")
			}
			continue
		}
		seen[key] = e.line
		e.sub.Tags = slices.Clone(e.sub.Tags)
		feeds = append(feeds, e.sub)
		res.Added++
	}
	c.Feeds = feeds
	return res, notes, nil
}

// importReason is the part of a URL error that reads after the URL.
func importReason(err error) string {
	var ue *URLError
	if errors.As(err, &ue) {
		return ue.Problem
	}
	return termsafe.Line(err.Error())
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

// opmlDoc is what readOPML found.
type opmlDoc struct {
	entries []importEntry // the feeds, in file order
	skipped int           // outlines left out
	notes   importNotes   // why, for the first of them
}

// readOPML does the work of ReadOPML, and also says which outlines it left
// out and why. It stops with ctx's error once ctx is done.
func readOPML(ctx context.Context, r io.Reader, name string) (opmlDoc, error) {
	data, err := io.ReadAll(io.LimitReader(r, opmlMaxSize+1))
	if err != nil {
		return opmlDoc{}, fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > opmlMaxSize {
		return opmlDoc{}, fmt.Errorf("%s: file is larger than %d MiB, too big for an OPML subscription list", name, opmlMaxSize>>20)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charset.NewReaderLabel
	d.Entity = xml.HTMLEntity // exporters sometimes leave &nbsp; and friends in titles
	p := &opmlReader{name: name, d: d}
	for n := 0; ; n++ {
		if n%importCheckEvery == 0 && ctx.Err() != nil {
			return opmlDoc{}, fmt.Errorf("%s: import stopped: %w", name, context.Cause(ctx))
		}
		done, err := p.next()
		if err != nil {
			return opmlDoc{}, err
		}
		if done {
			return p.doc, nil
		}
	}
}

// opmlReader is the state of reading an OPML document, one token at a
// time.
type opmlReader struct {
	name   string
	d      *xml.Decoder
	doc    opmlDoc
	stack  []opmlFrame
	inBody int  // number of <body> elements on the stack
	root   bool // the root element was seen
}

// next reads one token; done is true at the end of the root element or
// of the input.
func (p *opmlReader) next() (done bool, err error) {
	line, _ := p.d.InputPos()
	tok, err := p.d.Token()
	if err == io.EOF {
		if !p.root {
			return false, fmt.Errorf("%s:1: not an OPML file (no root element)", p.name)
		}
		// Token reports unclosed elements as a syntax error, so this is
		// not reached with a non-empty stack.
		return true, nil
	}
	if err != nil {
		return false, opmlError(p.name, p.d, err, p.stack)
	}
	switch t := tok.(type) {
	case xml.StartElement:
		return false, p.start(t, line)
	case xml.EndElement:
		return p.end(), nil
	}
	return false, nil
}

// start opens an element at line: the root must be <opml>; an outline
// inside <body> is a feed or a folder.
func (p *opmlReader) start(t xml.StartElement, line int) error {
	if !p.root {
		if !strings.EqualFold(t.Name.Local, "opml") {
			return fmt.Errorf("%s:%d: not an OPML file (root element <%s>)", p.name, line, t.Name.Local)
		}
		p.root = true
	}
	f := opmlFrame{name: t.Name.Local, line: line}
	switch {
	case strings.EqualFold(t.Name.Local, "body") && len(p.stack) == 1:
		p.inBody++
	case strings.EqualFold(t.Name.Local, "outline") && p.inBody > 0:
		f.outline = true
		if top := &p.stack[len(p.stack)-1]; top.outline {
			top.children = true
		}
		opmlOutline(&p.doc, &f, t, p.stack)
	}
	p.stack = append(p.stack, f)
	return nil
}

// end closes the innermost element; an outline that turned out to be
// neither a feed nor a folder is skipped, with a note. It reports whether
// that was the root element.
func (p *opmlReader) end() bool {
	if len(p.stack) == 0 {
		return false
	}
	f := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	if f.outline && !f.feed && !f.children {
		p.doc.skipped++
		what := "an outline without text"
		if f.tag != "" {
			what = urlQuote(f.tag)
		}
		p.doc.notes.add(f.line, what, "is neither a feed (no xmlUrl) nor a folder")
	}
	if strings.EqualFold(f.name, "body") && len(p.stack) == 1 {
		p.inBody--
	}
	// Whatever follows the root element is not our business.
	return len(p.stack) == 0
}

// opmlOutline handles the start of an outline in the body: a feed goes to
// doc (or is skipped, with a note), a folder's name goes to f.
func opmlOutline(doc *opmlDoc, f *opmlFrame, t xml.StartElement, stack []opmlFrame) {
	u := opmlAttr(t, "xmlUrl")
	if u == "" {
		f.tag = opmlAttr(t, "text")
		if f.tag == "" {
			f.tag = opmlAttr(t, "title")
		}
		f.tag = termsafe.Line(f.tag)
		return
	}
	f.feed = true
	s, problem := opmlFeed(t, u, stack)
	if problem != "" {
		doc.skipped++
		doc.notes.add(f.line, urlQuote(u), problem)
		return
	}
	doc.entries = append(doc.entries, importEntry{sub: s, line: f.line})
}

// opmlFeed builds the subscription for a feed outline with xmlUrl raw; the
// stack holds its ancestors. It refuses, with the reason, URLs that are not
// http or https (an OPML file from elsewhere has no business naming local
// files) and those NormalizeURL refuses.
func opmlFeed(t xml.StartElement, raw string, stack []opmlFrame) (Subscription, string) {
	scheme, _, _ := strings.Cut(raw, ":")
	if scheme = strings.ToLower(scheme); scheme != "http" && scheme != "https" {
		return Subscription{}, "is not an http or https URL"
	}
	u, err := NormalizeURL(raw)
	if err != nil {
		return Subscription{}, importReason(err)
	}
	s := Subscription{URL: u}
	// Titles and tags come from a file someone else may have written, and
	// end up on screen: they pass the sanitiser like any feed text.
	s.Title = termsafe.Line(opmlAttr(t, "title"))
	if s.Title == "" {
		s.Title = termsafe.Line(opmlAttr(t, "text"))
	}
	if s.Title == raw || s.Title == u {
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
	return s, ""
}

// opmlCleanTags trims tags and drops empty and repeated ones, keeping the
// first occurrence. It returns nil when nothing is left.
func opmlCleanTags(tags []string) []string {
	for i, t := range tags {
		tags[i] = termsafe.Line(t)
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
// title, or the URL when there is none (then title is left out). A feed's
// tags are a path of folders, the inverse of how [ReadOPML] reads nested
// folders: a feed tagged "World", "Sub" goes inside <outline text="World">
// inside which is <outline text="Sub">. Each folder is placed where it first
// appears and holds, in order, its feeds and its own folders; feeds without
// tags stay at the top level. Tags are trimmed and deduplicated first. URLs
// are written in [NormalizeURL]'s form.
//
// ReadOPML gives back the same URLs (after NormalizeURL), titles and tags,
// in the same order, feeds in document order; so writing what it read
// gives the same document again.
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
	opmlTree(subs).write(&b, "    ")
	b.WriteString("  </body>\n")
	b.WriteString("</opml>\n")
	_, err := w.Write(b.Bytes())
	return err
}

// opmlFolder is a folder of an export: its feeds and subfolders in the
// order they first appear.
type opmlFolder struct {
	name    string
	items   []opmlItem
	folders map[string]*opmlFolder
}

// opmlItem is a feed or a folder.
type opmlItem struct {
	feed   *Subscription
	folder *opmlFolder
}

// opmlTree files every feed under the folder path its tags give.
func opmlTree(subs []Subscription) *opmlFolder {
	root := &opmlFolder{}
	for i := range subs {
		f := root
		for _, t := range opmlCleanTags(slices.Clone(subs[i].Tags)) {
			sub := f.folders[t]
			if sub == nil {
				sub = &opmlFolder{name: t}
				if f.folders == nil {
					f.folders = make(map[string]*opmlFolder)
				}
				f.folders[t] = sub
				f.items = append(f.items, opmlItem{folder: sub})
			}
			f = sub
		}
		f.items = append(f.items, opmlItem{feed: &subs[i]})
	}
	return root
}

// write writes f's items at indent, each folder's inside it two spaces
// deeper.
func (f *opmlFolder) write(b *bytes.Buffer, indent string) {
	for _, it := range f.items {
		if it.feed != nil {
			opmlWriteFeed(b, indent, *it.feed)
			continue
		}
		b.WriteString(indent + `<outline text="`)
		opmlEscape(b, it.folder.name)
		b.WriteString(`" title="`)
		opmlEscape(b, it.folder.name)
		b.WriteString("\">\n")
		it.folder.write(b, indent+"  ")
		b.WriteString(indent + "</outline>\n")
	}
}

// opmlWriteFeed writes one feed outline.
func opmlWriteFeed(b *bytes.Buffer, indent string, s Subscription) {
	// The subscriptions file keeps URLs as written; an export gives them
	// in the form an import would (an ASCII host, above all).
	u := urlKey(s.URL)
	b.WriteString(indent)
	b.WriteString(`<outline type="rss" text="`)
	if s.Title != "" {
		opmlEscape(b, s.Title)
		b.WriteString(`" title="`)
		opmlEscape(b, s.Title)
	} else {
		opmlEscape(b, u)
	}
	b.WriteString(`" xmlUrl="`)
	opmlEscape(b, u)
	b.WriteString("\"/>\n")
}

// opmlEscape writes s escaped for use in text and in double-quoted
// attributes (xml.EscapeText also escapes quotes, tabs and newlines, and
// replaces characters XML cannot hold).
func opmlEscape(b *bytes.Buffer, s string) {
	xml.EscapeText(b, []byte(s)) // writing to a bytes.Buffer cannot fail
}
