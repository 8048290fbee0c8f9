package articles

import (
	"context"
	"errors"
)

// ErrNotFound is returned by Store.Article for an unknown ID.
var ErrNotFound = errors.New("article not found")

// Query selects articles. The zero Query selects every article.
type Query struct {
	// Terms are lower-case search words; an article matches when every
	// term is a prefix of some word of its title, source or body.
	Terms []string
}

// ParseQuery splits what the user typed into search terms with the same
// rules that split article text into words, so that "Sino-Russian" finds
// "sino" and "russian".
func ParseQuery(s string) Query {
	return Query{Terms: Words(s)}
}

// Empty reports whether q selects every article.
func (q Query) Empty() bool { return len(q.Terms) == 0 }

// Page is a window of the articles a Query selects, newest first.
type Page struct {
	Offset int   // index of Rows[0] among all matches
	Rows   []Row // at most the limit asked for
	Total  int   // number of matches
	Unread int   // number of unread matches
}

// Store is where the UI reads articles from. Implementations are safe for
// concurrent use: the UI calls them from commands, off its update loop.
type Store interface {
	// Page returns up to limit rows matching q, starting at offset.
	Page(ctx context.Context, q Query, offset, limit int) (Page, error)
	// Article returns one article with its body, or ErrNotFound.
	Article(ctx context.Context, id string) (Article, error)
}
