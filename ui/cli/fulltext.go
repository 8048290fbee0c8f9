package cli

import (
	"context"
	"errors"
	"fmt"

	"tidings/articles"
	"tidings/feed/fullpage"
)

// pages returns the function that fetches an article's page and extracts
// its main text, with a fetcher of its own: pages are fetched one by one,
// as asked, beside the feeds.
func (e Env) pages() func(context.Context, string) (string, error) {
	f := fullpage.NewFetcher("tidings/" + e.Version + " (terminal news reader)")
	return func(ctx context.Context, link string) (string, error) {
		return fullpage.Fetch(ctx, f, link)
	}
}

// ReadFull renders the full text of one article, from its web page: the
// text kept in the database if there is one, else fetched (not with
// --offline) and kept for the next time.
func (e Env) ReadFull(ctx context.Context, id string) error {
	s, st, err := e.openReading(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := readArticle(ctx, s, id)
	if err != nil {
		return err
	}
	if ft, ok, err := s.FullText(ctx, id); err == nil && ok && ft.OK() {
		a.Body = ft.Body
		return e.printArticle(a)
	}
	switch {
	case a.Link == "":
		return fmt.Errorf("read --full %s: the article has no web page to fetch (tidings read %s shows the feed's text)", id, id)
	case e.Offline:
		return fmt.Errorf("read --full %s: its full text was never fetched, and --offline fetches nothing", id)
	}
	md, ferr := e.pages()(ctx, a.Link)
	ft := articles.FullText{Body: md, Fetched: e.Now()}
	if ferr != nil {
		ft = articles.FullText{Err: ferr.Error(), Fetched: e.Now()}
	}
	e.keepFullText(ctx, st, id, ft)
	if ferr != nil {
		return fmt.Errorf("read --full %s: %w (tidings read %s shows the feed's text)", id, ferr, id)
	}
	a.Body = ft.Sanitized().Body
	return e.printArticle(a)
}

// keepFullText saves ft for the article in the user's database. Reading
// opened it read-only; a database another tidings holds, or none (--feed),
// keeps nothing, and the text is printed all the same.
func (e Env) keepFullText(ctx context.Context, st setup, id string, ft articles.FullText) {
	if len(e.Feeds) > 0 {
		return
	}
	s, _, err := e.openStore(ctx, forWrite, st)
	if err == nil {
		err = s.SaveFullText(ctx, id, ft)
		s.Close()
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(e.Stderr, "tidings: the full text of %s was not kept: %v\n", id, err)
	}
}
