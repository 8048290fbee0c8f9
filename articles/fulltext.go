package articles

import (
	"context"
	"time"

	"tidings/articles/termsafe"
)

// FullText is an article's web page as fetched for its main text: the
// text as markdown, or why there was none.
type FullText struct {
	Body    string    // markdown; empty when the fetch failed
	Err     string    // why the fetch failed, one line; empty on success
	Fetched time.Time // when the page was fetched
}

// OK reports whether the fetch gave a text.
func (f FullText) OK() bool { return f.Err == "" && f.Body != "" }

// Sanitized returns f made safe for a terminal, as Article.Sanitized does.
func (f FullText) Sanitized() FullText {
	f.Body = termsafe.Text(CutBody(f.Body))
	f.Err = termsafe.Line(f.Err)
	return f
}

// FullTextStore keeps the full texts of articles, fetched on demand, with
// the articles (they go when their article goes). Stores that can keep
// them implement it besides Store.
type FullTextStore interface {
	// FullText returns the full text kept for the article with that ID;
	// ok is false when none is.
	FullText(ctx context.Context, id string) (ft FullText, ok bool, err error)
	// SaveFullText keeps ft for the article, replacing what was kept.
	SaveFullText(ctx context.Context, id string, ft FullText) error
}
