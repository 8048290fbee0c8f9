package ui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"tidings/articles"
	"tidings/articles/sqlite"
)

const (
	storyA = "https://science.example/feed"
	storyB = "https://wire.example/feed"
	storyC = "https://zh.example/feed"
)

// storyStore holds one story from three feeds, under three GUIDs and
// with tracking parameters on two of the links, and an article of feed
// B's own. Feed B's title carries an escape sequence, feed C's is long.
func storyStore(t testing.TB) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "tidings.db"), sqlite.Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	story := func(guid, link string) articles.Article {
		return articles.Article{GUID: guid, Title: "Rivers rise across the northern plains", Link: link, Source: "",
			Published: testNow.Add(-time.Hour), Body: "The water came up overnight.\n"}
	}
	for _, u := range []articles.FeedUpdate{
		{URL: storyA, Title: "Loopback Science Notes", Items: []articles.Article{
			story("guid:sci-2026-rivers-0001", "https://news.example/rivers?utm_source=rss&utm_medium=feed")}},
		{URL: storyB, Title: "Evening Wire\x1b]0;pwned\x07", Items: []articles.Article{
			story("guid:tag:wire.example,2026:77", "https://www.news.example/rivers/?fbclid=abc#more"),
			{GUID: "guid:wire-own-00000001", Title: "Wire's own report", Link: "https://wire.example/own", Published: testNow.Add(-2 * time.Hour), Body: "Own."}}},
		{URL: storyC, Title: "中文新闻 Daily International Edition of the Far Eastern Gazette", Items: []articles.Article{
			story("guid:zh-0000000000042", "http://news.example/rivers")}},
	} {
		u.At = testNow
		if _, err := s.SaveFeed(t.Context(), u); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// TestAlsoInViews: the story is one row of the list; its reader header
// names the other feeds, sanitised, cut to the width with an ellipsis.
func TestAlsoInViews(t *testing.T) {
	for _, tt := range []struct {
		name string
		w, h int
	}{{"also_in_100x30", 100, 30}, {"also_in_narrow_60x20", 60, 20}} {
		t.Run(tt.name, func(t *testing.T) {
			m := drive(t, New(testOptions(storyStore(t))), tt.w, tt.h, "enter")
			checkFrame(t, m.frame(), tt.w, tt.h)
			out := plain(t, m)
			if !strings.Contains(out, "also in: Evening Wire") || strings.Contains(out, "pwned\x07") {
				t.Errorf("no sanitised also-in line:\n%s", out)
			}
			golden.RequireEqual(t, out)
		})
	}
}

// TestReadOnceReadsEveryCopy: opening the story in the list of all feeds
// reads it in each feed's own list.
func TestReadOnceReadsEveryCopy(t *testing.T) {
	s := storyStore(t)
	m := drive(t, New(testOptions(s)), 100, 30, "enter")
	if m.all.Total != 2 {
		t.Errorf("all: %d articles, want 2 (the story once)", m.all.Total)
	}
	for _, feed := range []string{storyA, storyB, storyC} {
		p, err := s.Page(t.Context(), articles.Query{Feeds: []string{feed}, UnreadOnly: true}, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Rows {
			if r.Title == "Rivers rise across the northern plains" {
				t.Errorf("the story is still unread in %s", feed)
			}
		}
	}
}
