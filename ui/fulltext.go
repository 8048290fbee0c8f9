package ui

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"

	"tidings/articles"
)

// fullState is what the model knows of full articles: the fetches under
// way, by article ID. The map is shared by the model's copies and written
// only by Update, as the render cache is.
type fullState struct {
	fetching map[string]bool
}

// fullTextMsg is the end of a fetch of an article's full text.
type fullTextMsg struct {
	id  string
	err error
}

// summaryOnly is the length of text, in characters, under which a body
// with a link is taken for a summary, and the reader says f exists.
const summaryOnly = 500

// withFullText returns a with its full text as body when one is kept and
// feedText does not ask for the feed's, and the note the header shows:
// which text this is, or, under a short body, that fullKey fetches the
// rest. full reports that the body is the full text, kept that one is kept.
func withFullText(s articles.Store, a articles.Article, feedText bool, fullKey string) (_ articles.Article, note string, full, kept bool) {
	fts, ok := s.(articles.FullTextStore)
	if !ok || fullKey == "" {
		return a, "", false, false
	}
	ft, ok, err := fts.FullText(context.Background(), a.ID)
	kept = err == nil && ok && ft.OK()
	switch {
	case kept && !feedText:
		a.Body = ft.Body
		return a, fmt.Sprintf("Full article, from its web page · %s shows the feed's text", fullKey), true, true
	case kept:
		return a, fmt.Sprintf("The feed's text · %s shows the full article", fullKey), false, true
	case a.Link != "" && textLength(a.Body) < summaryOnly:
		return a, fmt.Sprintf("Only a summary? %s fetches the full article from its web page", fullKey), false, false
	}
	return a, "", false, false
}

// linkTarget is the target of a markdown link, "](…)", which a reader
// does not read as text.
var linkTarget = regexp.MustCompile(`\]\([^)]*\)`)

// textLength is roughly the characters of text of a markdown body.
func textLength(md string) int {
	return utf8.RuneCountInString(strings.TrimSpace(linkTarget.ReplaceAllString(md, "]")))
}

// toggleFullText is f: from the full text back to the feed's, from the
// feed's to a full text kept, or else it fetches the page.
func (m *Model) toggleFullText() tea.Cmd {
	sel, ok := m.list.selected()
	if !ok {
		return nil
	}
	if r, ok := m.renders.docs[m.readerKey()]; ok && m.reader.id == sel.ID && r.err == nil {
		switch {
		case r.doc.full:
			m.reader.feedText = true
			m.status = statusMessage{text: fmt.Sprintf("The feed's text: %s shows the full article", key1(m.keys.FullText))}
			return nil
		case r.doc.kept:
			m.reader.feedText = false
			m.status = statusMessage{text: "The full article, from its web page"}
			return nil
		}
	}
	if m.full.fetching[sel.ID] {
		return nil // the status line says it is on its way
	}
	fts, ok := m.opts.Store.(articles.FullTextStore)
	if !ok {
		m.status = statusMessage{text: "Full articles cannot be kept here: only the feed's text is shown"}
		return nil
	}
	m.full.fetching[sel.ID] = true
	return fetchFullText(m.opts.Store, fts, m.opts.FullPage, m.opts.NoRefresh, m.opts.Now, sel.ID)
}

// errNoPage is an article with no web page to fetch.
var errNoPage = errors.New("this article has no web page")

// fetchFullText returns the command that gets the full text of the
// article id: the one kept if it is, else fetched with page and kept.
// page is nil when nothing may be fetched, and noFetch then says why.
func fetchFullText(s articles.Store, fts articles.FullTextStore, page func(context.Context, string) (string, error),
	noFetch string, now func() time.Time, id string) tea.Cmd {
	return func() tea.Msg {
		ctx := context.Background()
		if ft, ok, err := fts.FullText(ctx, id); err == nil && ok && ft.OK() {
			return fullTextMsg{id: id}
		}
		a, err := s.Article(ctx, id)
		switch {
		case err != nil:
			return fullTextMsg{id: id, err: fmt.Errorf("load article: %w", err)}
		case a.Link == "":
			return fullTextMsg{id: id, err: errNoPage}
		case page == nil:
			return fullTextMsg{id: id, err: errors.New(noFetch)}
		}
		md, err := page(ctx, a.Link)
		ft := articles.FullText{Body: md, Fetched: now()}
		if err != nil {
			ft = articles.FullText{Err: err.Error(), Fetched: now()}
		}
		if serr := fts.SaveFullText(ctx, id, ft); serr != nil && err == nil {
			err = serr
		}
		if err != nil {
			err = errors.New(reason(err, a.Link))
		}
		return fullTextMsg{id: id, err: err}
	}
}

// reason is what err says of the page at link, without the link: the
// reader's header shows it, and the status bar has one line for why.
func reason(err error, link string) string {
	msg := err.Error()
	for _, prefix := range []string{"full article: ", "full article " + link + ": ", "fetch " + link + ": "} {
		msg = strings.TrimPrefix(msg, prefix)
	}
	return msg
}

// onFullText takes the end of a fetch: the reader shows the full text
// (the renderings of the article's feed text are dropped), or the status
// bar says in one line why not, and the feed's text stays.
func (m *Model) onFullText(msg fullTextMsg) tea.Cmd {
	delete(m.full.fetching, msg.id)
	if msg.err != nil {
		m.status = statusMessage{text: fmt.Sprintf("No full article: %v; the feed's text stays", msg.err), isErr: true}
		return nil
	}
	m.renders.forget(msg.id)
	if m.reader.id != msg.id {
		return nil
	}
	m.reader.feedText = false
	m.status = statusMessage{text: fmt.Sprintf("The full article, from its web page: %s shows the feed's text", key1(m.keys.FullText))}
	if !m.readerVisible() {
		return m.toggleFocus()
	}
	return nil
}

// fetchingShown reports whether the article shown is being fetched.
func (m Model) fetchingShown() bool {
	sel, ok := m.list.selected()
	return ok && m.full.fetching[sel.ID]
}
