package articles

import (
	"context"
	"errors"
	"strings"
)

// ErrNotFound is returned by Store.Article for an unknown ID.
var ErrNotFound = errors.New("article not found")

// Query selects articles. The zero Query selects every article.
type Query struct {
	// Terms are lower-case search words (see Words); an article matches
	// when it holds every term: a term is a prefix of some word of its
	// title, source or body; a term of CJK characters may also be
	// anywhere inside a run of them, and a symbol such as an emoji is
	// found wherever it is. A term with no word in it matches nothing.
	Terms       []string
	UnreadOnly  bool
	StarredOnly bool
	// Feeds, when not empty, keeps the articles of these feed URLs.
	Feeds []string
}

// ParseQuery splits what the user typed into search terms with the same
// rules that split article text into words, so that "Sino-Russian" finds
// "sino" and "russian". When something was typed but holds no word to
// search for ("!?", "->"), the query keeps it as its one term, which
// matches no article: the user sees nothing found rather than the whole
// list.
func ParseQuery(s string) Query {
	terms := Words(s)
	if typed := strings.TrimSpace(s); len(terms) == 0 && typed != "" {
		terms = []string{strings.ToLower(typed)}
	}
	return Query{Terms: terms}
}

// Empty reports whether q selects every article.
func (q Query) Empty() bool {
	return len(q.Terms) == 0 && !q.UnreadOnly && !q.StarredOnly && len(q.Feeds) == 0
}

// Matches reports whether the article fields other than the search terms
// fit q: the filters every Store applies the same way.
func (q Query) Matches(feed string, read, starred bool) bool {
	if q.UnreadOnly && read || q.StarredOnly && !starred {
		return false
	}
	if len(q.Feeds) == 0 {
		return true
	}
	for _, f := range q.Feeds {
		if f == feed {
			return true
		}
	}
	return false
}

// Page is a window of the articles a Query selects, newest first.
type Page struct {
	Offset int   // index of Rows[0] among all matches
	Rows   []Row // at most the limit asked for
	Total  int   // number of matches
	Unread int   // number of unread matches; a store may leave it 0 for a search
}

// Store is where the UI reads articles from and keeps their read and
// starred state. Implementations are safe for concurrent use: the UI calls
// them from commands, off its update loop.
type Store interface {
	// Page returns up to limit rows matching q, starting at offset.
	Page(ctx context.Context, q Query, offset, limit int) (Page, error)
	// Article returns one article with its body, or ErrNotFound.
	Article(ctx context.Context, id string) (Article, error)
	// SetRead marks articles read or unread.
	SetRead(ctx context.Context, ids []string, read bool) error
	// SetStarred stars or unstars an article.
	SetStarred(ctx context.Context, id string, starred bool) error
	// MarkAllRead marks every article q selects as read and returns how
	// many changed.
	MarkAllRead(ctx context.Context, q Query) (int, error)
	// RemoveFeed deletes the articles of the feed with that URL, all in
	// one go, but the starred ones: they stay, with their source (once
	// unstarred, removing the feed again deletes them). An unknown feed
	// is no error.
	RemoveFeed(ctx context.Context, url string) (Removed, error)
}

// Removed is what Store.RemoveFeed did.
type Removed struct {
	Deleted int // articles deleted
	Kept    int // starred articles kept
}
