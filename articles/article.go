// Package articles holds what tidings reads: the Article type, the articles
// bundled with the program, and the Store the UI reads pages of rows and
// search results from.
//
// The UI never holds every article: it asks a Store for the rows it shows
// (a Page) and for one article's body when it renders it. That keeps the list
// instant with 100,000 articles whatever the backing store is.
package articles

import (
	"time"

	"tidings/articles/termsafe"
)

// Article is one news item with its markdown body.
type Article struct {
	ID        string
	Feed      string // URL of the feed it came from; empty for bundled articles
	GUID      string // identity within its feed: the item's GUID, else link, else title and date
	Source    string // the feed or publication it came from; empty if unknown
	Title     string
	Link      string // empty if the article has no web page
	Author    string
	Published time.Time // zero if unknown
	Body      string    // markdown
	Read      bool
	Starred   bool
	// AlsoIn names the other feeds that have the same story (see
	// StoryKeys), by title, a comma between two: "Feed A, Feed B"; empty
	// when no other feed has it. A string, so that Articles compare.
	AlsoIn string
}

// BundledFeed is the feed the bundled articles belong to in a store. It is
// not a URL anyone can subscribe to or refresh.
const BundledFeed = "tidings:bundled"

// Row is what the list shows of an article: everything but the body.
type Row struct {
	ID        string
	Feed      string
	Source    string
	Title     string
	Published time.Time
	Read      bool
	Starred   bool
}

// Row returns the list row of a.
func (a Article) Row() Row {
	return Row{
		ID:        a.ID,
		Feed:      a.Feed,
		Source:    a.Source,
		Title:     a.Title,
		Published: a.Published,
		Read:      a.Read,
		Starred:   a.Starred,
	}
}

// Sanitized returns a with every field made safe for a terminal by the one
// sanitiser: stores call it on everything they take in.
func (a Article) Sanitized() Article {
	a.ID = termsafe.Line(a.ID)
	a.Feed = termsafe.Line(a.Feed)
	a.GUID = termsafe.Line(a.GUID)
	a.Source = termsafe.Line(a.Source)
	a.Title = termsafe.Line(a.Title)
	a.Link = termsafe.Line(a.Link)
	a.Author = termsafe.Line(a.Author)
	a.Body = termsafe.Text(a.Body)
	a.AlsoIn = termsafe.Line(a.AlsoIn)
	return a
}
