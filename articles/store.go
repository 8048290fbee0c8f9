package articles

import (
	"context"
	"errors"
	"slices"
)

// ErrNotFound is returned by Store.Article for an unknown ID.
var ErrNotFound = errors.New("article not found")

// Query selects articles. The zero Query selects every article.
type Query struct {
	// Text is the query as typed; Expr is what ParseQuery made of it, nil
	// when nothing was typed.
	Text string
	Expr *Expr
	// Terms are the lower-case words the query looks for (see Words), for
	// the reader to mark. ParseQuery fills it; a Query built with Terms
	// and no Expr searches for every one of them.
	Terms       []string
	UnreadOnly  bool
	StarredOnly bool
	// Feeds, when not empty, keeps the articles of these feed URLs.
	Feeds []string
	// Ignored selects the articles ignore rules hide, and only them
	// (every copy of a story); every other query leaves them out.
	Ignored bool
}

// Search returns the expression the stores run besides the filters: Expr,
// or the AND of Terms when only they were set; nil selects everything.
func (q Query) Search() *Expr {
	if q.Expr != nil || len(q.Terms) == 0 {
		return q.Expr
	}
	args := make([]*Expr, len(q.Terms))
	for i, t := range q.Terms {
		args[i] = termExpr(Term{Field: FieldText, Text: t, Words: []string{t}})
	}
	if len(args) == 1 {
		return args[0]
	}
	return &Expr{Op: OpAnd, Args: args}
}

// Empty reports whether q selects every article.
func (q Query) Empty() bool {
	return q.Search() == nil && !q.UnreadOnly && !q.StarredOnly && !q.Ignored && len(q.Feeds) == 0
}

// Same reports whether q and o select the same articles the same way.
func (q Query) Same(o Query) bool {
	return q.Text == o.Text && slices.Equal(q.Terms, o.Terms) && slices.Equal(q.Feeds, o.Feeds) &&
		q.UnreadOnly == o.UnreadOnly && q.StarredOnly == o.StarredOnly && q.Ignored == o.Ignored && q.Expr.String() == o.Expr.String()
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
	Total  int   // number of matches; with More, how many at least
	Unread int   // number of unread matches; a store may leave it 0 for a search
	// More reports that there are more matches than Total: a store may
	// stop counting a search past a bound (it then visits every match),
	// and the list shows "1,000+" and pages on without knowing its end.
	// Total then stays past the page asked for, so that the next one can
	// be asked.
	More bool
}

// TotalText is Total with its thousands separated, and a "+" after it
// when the count stopped short (More): "1,000+".
func (p Page) TotalText() string {
	if p.More {
		return Thousands(p.Total) + "+"
	}
	return Thousands(p.Total)
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
