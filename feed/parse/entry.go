package parse

import (
	"time"

	"tidings/articles"
)

// Entry is an item a feed server gives, out of any document: its fields
// as the server sent them, untrusted.
type Entry struct {
	FeedURL   string // the URL of the feed it belongs to
	Source    string // the feed's title
	Title     string
	Link      string
	Author    string
	HTML      string // the body
	Published time.Time
}

// Convert makes an article of an entry through the gates an item of a
// fetched feed passes: the title made plain text and cut, the link
// resolved against the feed and kept only if http(s), the body HTML made
// terminal-safe markdown, every string sanitised. A server is as
// untrusted as a feed.
func Convert(e Entry) articles.Article {
	base := feedBase(e.FeedURL)
	a := articles.Article{Feed: e.FeedURL, Source: cleanTitle(e.Source)}
	a.Link = resolve(base, e.Link)
	a.Author = Shorten(e.Author, nameMax-1)
	if !e.Published.IsZero() {
		a.Published = e.Published.UTC()
	}
	src := bodySource{content: e.HTML}
	contentBase := a.Link
	if contentBase == "" && base != nil {
		contentBase = base.String()
	}
	a.Body = src.markdown(contentBase)
	a.Title = cleanTitle(e.Title)
	if a.Title == "" {
		a.Title = Shorten(src.plainText(), titleMax)
	}
	if a.Title == "" {
		a.Title = "(untitled)"
	}
	return a
}
