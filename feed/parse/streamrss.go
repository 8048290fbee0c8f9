package parse

import (
	"bytes"
	"slices"
	"strings"

	ext "github.com/mmcdole/gofeed/extensions"
	"github.com/mmcdole/gofeed/rss"
)

// rss reads an RSS 2.0 root's content, after its start tag, as gofeed's
// rss.Parser would for what convert uses.
func (s *streamer) rss() (*rss.Feed, bool) {
	var feed *rss.Feed
	for {
		t, ok := s.next()
		if !ok {
			return nil, false
		}
		if t.end {
			if feed == nil {
				feed = &rss.Feed{Items: []*rss.Item{}}
			}
			return feed, string(t.name) == "rss"
		}
		c, ok := s.resolve(t)
		switch {
		case !ok || c.space != "" && slices.Contains(rssSpaces, c.space):
			return nil, false
		case c.space == "" && c.local == "channel" && feed == nil:
			feed, ok = s.channel(c)
		case c.local == "item" || c.local == "entry" || c.local == "channel":
			return nil, false // RSS 0.9/1.0 items, or a second channel
		default:
			_, ok = s.skip(c.xmlTag)
		}
		if !ok {
			return nil, false
		}
	}
}

// channel reads a channel: its title, link and items.
func (s *streamer) channel(c child) (*rss.Feed, bool) {
	feed := &rss.Feed{Items: []*rss.Item{}}
	if c.empty {
		return feed, true
	}
	extensions := false
	for {
		t, ok := s.next()
		switch {
		case !ok:
			return nil, false
		case t.end:
			// The translator takes a title or link from extensions
			// (dc:title, atom:link) when the channel has none.
			ok = bytes.Equal(t.name, c.xmlTag.name) && !(extensions && (feed.Title == "" || feed.Link == ""))
			return feed, ok
		}
		ch, ok := s.resolve(t)
		switch {
		case !ok || ch.prefix == "?" || ch.local == "entry":
			return nil, false
		case ch.space != "":
			extensions = true
			ok = !slices.Contains(rssSpaces, ch.space) && s.skipped(ch)
		case ch.local == "title":
			feed.Title, ok = s.text(ch)
		case ch.local == "link":
			feed.Link, ok = s.rssLink(ch)
		case ch.local == "item":
			ok = s.item(feed, ch)
		default:
			ok = s.skipped(ch)
		}
		if !ok {
			return nil, false
		}
	}
}

// item reads an item into feed, or skips it once maxItems are read.
func (s *streamer) item(feed *rss.Feed, c child) bool {
	if done, ok := s.capped(c); done {
		return ok
	}
	it := &rss.Item{}
	exts := ext.Extensions{}
	for !c.empty {
		t, ok := s.next()
		if !ok {
			return false
		}
		if t.end {
			if !bytes.Equal(t.name, c.xmlTag.name) {
				return false
			}
			break
		}
		ch, ok := s.resolve(t)
		if !ok || !s.itemChild(it, exts, ch) {
			return false
		}
	}
	if len(exts) > 0 {
		it.Extensions = exts
		if v, ok := exts["itunes"]; ok {
			it.ITunesExt = ext.NewITunesItemExtension(v)
		}
		if v, ok := exts["dc"]; ok {
			it.DublinCoreExt = ext.NewDublinCoreExtension(v)
		}
	}
	feed.Items = append(feed.Items, it)
	return true
}

// itemChild reads one element of an item into it.
func (s *streamer) itemChild(it *rss.Item, exts ext.Extensions, c child) bool {
	var ok bool
	switch {
	case c.local == "encoded" && c.prefix == "content":
		it.Content, ok = s.text(c)
		return ok
	case c.prefix == "?":
		return false
	case c.space != "":
		return s.itemExtension(exts, c)
	}
	switch c.local {
	case "title":
		it.Title, ok = s.text(c)
	case "description":
		it.Description, ok = s.text(c)
	case "author":
		it.Author, ok = s.text(c)
	case "link":
		var link string
		if link, ok = s.rssLink(c); ok {
			it.Link, it.Links = link, append(it.Links, link)
		}
	case "guid":
		var v string
		v, ok = s.text(c)
		it.GUID = &rss.GUID{Value: v}
	case "pubdate":
		if it.PubDate, ok = s.text(c); ok {
			if d := gofeedDate(it.PubDate); d != nil {
				it.PubDateParsed = d
			}
		}
	case "enclosure":
		ok = s.enclosure(it, c)
	default:
		ok = s.skipped(c)
	}
	return ok
}

// itemExtension reads an extension element of an item: the Dublin Core
// and iTunes ones that the translator reads as an article's author,
// title, description or dates (in their plain form), or none.
func (s *streamer) itemExtension(exts ext.Extensions, c child) bool {
	switch {
	case slices.Contains(rssSpaces, c.space):
		return false
	case c.prefix == "dc" || c.prefix == "itunes":
		inner, ok := s.skip(c.xmlTag)
		if !ok {
			return false
		}
		v, ok := extValue(inner)
		if !ok {
			return false
		}
		if exts[c.prefix] == nil {
			exts[c.prefix] = map[string][]ext.Extension{}
		}
		e := ext.Extension{Name: c.name, Value: v, Attrs: map[string]string{}, Children: map[string][]ext.Extension{}}
		exts[c.prefix][c.name] = append(exts[c.prefix][c.name], e)
		return true
	case c.prefix == "atom" || c.prefix == "atom03":
		// The translator reads an Atom content, summary, author or date
		// in an item; links and categories make no field of an article.
		return (c.local == "link" || c.local == "category") && s.skipped(c)
	}
	return s.skipped(c)
}

// extValue is the value gofeed gives a simple extension element: its
// text and CDATA sections, decoded, trimmed. An element with elements or
// comments in it is declined.
func extValue(inner []byte) (string, bool) {
	var b strings.Builder
	for len(inner) > 0 {
		i := bytes.Index(inner, []byte(cdataStart))
		if i < 0 {
			i = len(inner)
		}
		text, ok := xmlUnescape(inner[:i])
		if !ok || bytes.IndexByte(inner[:i], '<') >= 0 {
			return "", false
		}
		b.WriteString(text)
		if i == len(inner) {
			break
		}
		inner = inner[i+len(cdataStart):]
		end := bytes.Index(inner, []byte(cdataEnd))
		if end < 0 || bytes.IndexByte(inner[:end], '\r') >= 0 {
			return "", false
		}
		b.Write(inner[:end])
		inner = inner[end+len(cdataEnd):]
	}
	return strings.TrimSpace(b.String()), true
}

// rssLink reads an RSS link: its text, else its href attribute (which
// gofeed parses and writes back, as every href).
func (s *streamer) rssLink(c child) (string, bool) {
	href, ok := attrOf(c.attrs, "href")
	if !ok {
		return "", false
	}
	link, ok := s.text(c)
	if link == "" && href != "" {
		link = roundTripURL(href)
	}
	return link, ok
}

// enclosure reads an enclosure's attributes.
func (s *streamer) enclosure(it *rss.Item, c child) bool {
	var e rss.Enclosure
	var ok1, ok2, ok3 bool
	e.URL, ok1 = attrOf(c.attrs, "url")
	e.Length, ok2 = attrOf(c.attrs, "length")
	e.Type, ok3 = attrOf(c.attrs, "type")
	if !ok1 || !ok2 || !ok3 || !s.skipped(c) {
		return false
	}
	it.Enclosure = &e
	it.Enclosures = append(it.Enclosures, &e)
	return true
}

// text reads an element's text as gofeed's ParseText does.
func (s *streamer) text(c child) (string, bool) {
	inner, ok := s.skip(c.xmlTag)
	return gofeedText(inner), ok
}

// skipped skips an element and says whether that went well.
func (s *streamer) skipped(c child) bool {
	_, ok := s.skip(c.xmlTag)
	return ok
}

// attrOf returns the decoded value of the attribute named local, "" if
// there is none. It declines (ok == false) an attribute of that name
// with a prefix, or twice, on which gofeed's lookups differ, and a value
// it cannot decode as encoding/xml does.
func attrOf(attrs []xmlAttr, local string) (string, bool) {
	var found *xmlAttr
	for i := range attrs {
		_, l := splitName(attrs[i].name)
		if l != local {
			continue
		}
		if found != nil || bytes.IndexByte(attrs[i].name, ':') >= 0 {
			return "", false
		}
		found = &attrs[i]
	}
	if found == nil {
		return "", true
	}
	return xmlUnescape(found.val)
}

// capped skips an item or entry once maxItems are read (done true): the
// capping pass would cut it out, so it costs neither memory nor parts.
// While there is room, it counts it and done is false.
func (s *streamer) capped(c child) (done, ok bool) {
	if s.items < s.maxItems {
		s.items++
		return false, true
	}
	s.note(s.itemsNote)
	before := s.seen - 1 - len(c.attrs)
	_, ok = s.skip(c.xmlTag)
	s.seen = before
	return true, ok
}
