package parse

import (
	"bytes"
	"strings"

	"github.com/mmcdole/gofeed/atom"
)

// atomNative says whether gofeed's atom.Parser reads an element of
// namespace space natively; any other is an extension, which makes no
// field of an article in Atom.
func atomNative(space string) bool {
	return space == "" || space == atomNS || space == atom03NS
}

// atom reads an Atom root's content, after its start tag, as gofeed's
// atom.Parser would for what convert uses.
func (s *streamer) atom() (*atom.Feed, bool) {
	feed := &atom.Feed{Entries: []*atom.Entry{}}
	for {
		t, ok := s.next()
		if !ok {
			return nil, false
		}
		if t.end {
			return feed, string(t.name) == "feed"
		}
		c, ok := s.resolve(t)
		switch {
		case !ok || c.local == "item" || c.local == "entry" && !atomNative(c.space):
			return nil, false // an item, for the capping pass
		case !atomNative(c.space):
			ok = s.skipped(c)
		case c.local == "title":
			feed.Title, ok = s.atomText(c)
		case c.local == "link":
			var l *atom.Link
			if l, ok = s.atomLink(c); ok {
				feed.Links = append(feed.Links, l)
			}
		case c.local == "author":
			var p *atom.Person
			if p, ok = s.person(c); ok {
				feed.Authors = append(feed.Authors, p)
			}
		case c.local == "entry":
			ok = s.entry(feed, c)
		default:
			ok = s.skipped(c)
		}
		if !ok {
			return nil, false
		}
	}
}

// entry reads an entry into feed, or skips it once maxItems are read.
func (s *streamer) entry(feed *atom.Feed, c child) bool {
	if done, ok := s.capped(c); done {
		return ok
	}
	e := &atom.Entry{}
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
		if !ok || !s.entryChild(e, ch) {
			return false
		}
	}
	feed.Entries = append(feed.Entries, e)
	return true
}

// entryChild reads one element of an entry into e.
func (s *streamer) entryChild(e *atom.Entry, c child) bool {
	if !atomNative(c.space) {
		return s.skipped(c)
	}
	var ok bool
	switch c.local {
	case "title":
		e.Title, ok = s.atomText(c)
	case "summary":
		e.Summary, ok = s.atomText(c)
	case "id":
		// gofeed resolves the id, a URI, against the xml:base, of which
		// there is none here: parsed and written back.
		if e.ID, ok = s.atomText(c); ok {
			e.ID = roundTripURL(e.ID)
		}
	case "updated", "modified":
		if e.Updated, ok = s.atomText(c); ok {
			e.UpdatedParsed = gofeedDate(e.Updated)
		}
	case "published", "issued":
		if e.Published, ok = s.atomText(c); ok {
			e.PublishedParsed = gofeedDate(e.Published)
		}
	case "author":
		var p *atom.Person
		if p, ok = s.person(c); ok {
			e.Authors = append(e.Authors, p)
		}
	case "link":
		var l *atom.Link
		if l, ok = s.atomLink(c); ok {
			e.Links = append(e.Links, l)
		}
	case "content":
		var typ string
		if typ, ok = attrOf(c.attrs, "type"); ok {
			var v string
			v, ok = s.atomText(c)
			e.Content = &atom.Content{Type: typ, Value: v}
		}
	default:
		ok = s.skipped(c)
	}
	return ok
}

// person reads an Atom person: its name and e-mail address. gofeed
// reads its children whatever their namespace.
func (s *streamer) person(c child) (*atom.Person, bool) {
	p := &atom.Person{}
	for !c.empty {
		t, ok := s.next()
		if !ok {
			return nil, false
		}
		if t.end {
			return p, bytes.Equal(t.name, c.xmlTag.name)
		}
		ch, ok := s.resolve(t)
		switch {
		case !ok:
		case ch.local == "name":
			p.Name, ok = s.atomText(ch)
		case ch.local == "email":
			p.Email, ok = s.atomText(ch)
		default:
			ok = s.skipped(ch)
		}
		if !ok {
			return nil, false
		}
	}
	return p, true
}

// atomLink reads an Atom link's attributes: gofeed parses its href and
// writes it back, and takes a link without rel as rel="alternate".
func (s *streamer) atomLink(c child) (*atom.Link, bool) {
	l := &atom.Link{}
	var ok [4]bool
	l.Href, ok[0] = attrOf(c.attrs, "href")
	l.Rel, ok[1] = attrOf(c.attrs, "rel")
	l.Type, ok[2] = attrOf(c.attrs, "type")
	l.Length, ok[3] = attrOf(c.attrs, "length")
	if ok != [4]bool{true, true, true, true} || !s.skipped(c) {
		return nil, false
	}
	if l.Href != "" {
		l.Href = roundTripURL(l.Href)
	}
	if l.Rel == "" {
		l.Rel = "alternate"
	}
	return l, true
}

// atomText reads an Atom text construct as gofeed's parseAtomText does,
// for the types it is sure of: text, and HTML that is escaped or in CDATA.
// XHTML, HTML with elements in it (which gofeed reparses), base64 and the
// Atom 0.3 modes are declined.
func (s *streamer) atomText(c child) (string, bool) {
	typ, ok1 := attrOf(c.attrs, "type")
	mode, ok2 := attrOf(c.attrs, "mode")
	inner, ok3 := s.skip(c.xmlTag)
	if !ok1 || !ok2 || !ok3 || mode != "" {
		return "", false
	}
	r := strings.TrimSpace(string(inner))
	lt := strings.ToLower(typ)
	switch {
	case strings.Contains(r, cdataStart):
		return stripCDATA(r), true
	case lt == "text" || strings.HasPrefix(lt, "text/") || lt == "":
		return decodeEntities(r), true
	case strings.Contains(lt, "xhtml"):
		return "", false
	case lt == "html":
		return decodeEntities(r), !strings.Contains(r, "<")
	case lt == "application/octet-stream" || strings.Contains(lt, "/") && !strings.Contains(lt, "xml"):
		return "", false // maybe base64
	}
	return r, true
}
