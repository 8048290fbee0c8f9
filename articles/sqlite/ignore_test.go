package sqlite

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"tidings/articles"
	"tidings/articles/articlestest"
)

// unIgnoreSQL takes a store of schema 10 back to schema 9, before ignore
// rules (unIgnore takes it to 10 first).
const unIgnoreSQL = `DROP INDEX articles_ignored; DROP INDEX articles_lead; DROP INDEX articles_lead_unread;
DROP TRIGGER articles_count_insert; DROP TRIGGER articles_count_delete; DROP TRIGGER articles_count_update;
ALTER TABLE articles DROP COLUMN ignored;
CREATE INDEX articles_lead ON articles (published DESC, id DESC) WHERE story IS NULL OR story = id;
CREATE INDEX articles_lead_unread ON articles (read, published DESC, id DESC) WHERE story IS NULL OR story = id;
CREATE TRIGGER articles_count_insert AFTER INSERT ON articles BEGIN
	UPDATE feeds SET total = total + 1, unread = unread + (NOT NEW.read), starred = starred + NEW.starred
	WHERE id = NEW.feed_id;
END;
CREATE TRIGGER articles_count_delete AFTER DELETE ON articles BEGIN
	UPDATE feeds SET total = total - 1, unread = unread - (NOT OLD.read), starred = starred - OLD.starred
	WHERE id = OLD.feed_id;
END;
CREATE TRIGGER articles_count_update AFTER UPDATE OF read, starred ON articles BEGIN
	UPDATE feeds SET unread = unread - (NOT OLD.read) + (NOT NEW.read), starred = starred - OLD.starred + NEW.starred
	WHERE id = NEW.feed_id;
END;
PRAGMA user_version = 9;`

func unIgnore(t testing.TB, s *Store) {
	t.Helper()
	unBody(t, s) // back to schema 10 first
	if _, err := s.db.Exec(unIgnoreSQL); err != nil {
		t.Fatal(err)
	}
}

const ignoreFeed = "https://news.example/feed"

func ignoreRules(t *testing.T, s *Store, texts ...string) {
	t.Helper()
	var rules []articles.Query
	for _, text := range texts {
		rules = append(rules, articles.MustParseQuery(text))
	}
	if err := s.SetIgnoreRules(t.Context(), rules); err != nil {
		t.Fatal(err)
	}
}

func saveItems(t *testing.T, s *Store, url string, items ...articles.Article) {
	t.Helper()
	if _, err := s.SaveFeed(t.Context(), articles.FeedUpdate{URL: url, Title: "News", Items: items, At: t0}); err != nil {
		t.Fatal(err)
	}
}

// counts returns the all-articles list's total and unread, and the feed's
// own counters.
func counts(t *testing.T, s *Store) (total, unread, feedTotal, feedUnread int) {
	t.Helper()
	p := page(t, s, articles.Query{})
	feeds, err := s.Feeds(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range feeds {
		if f.URL == ignoreFeed {
			feedTotal, feedUnread = f.Total, f.Unread
		}
	}
	return p.Total, p.Unread, feedTotal, feedUnread
}

// TestIgnoreRulesHideNewArticles writes a feed's articles with a rule in
// force: the matching one is in no list or count, shown by Ignored with
// its rule; removing the rule brings it back.
func TestIgnoreRulesHideNewArticles(t *testing.T) {
	s := openTest(t)
	ignoreRules(t, s, "title:sponsored")
	saveItems(t, s, ignoreFeed, item("1", "Real news", time.Hour), item("2", "Sponsored: buy now", 2*time.Hour))
	if total, unread, ft, fu := counts(t, s); total != 1 || unread != 1 || ft != 1 || fu != 1 {
		t.Errorf("counts %d %d, feed %d %d; want 1 1, 1 1", total, unread, ft, fu)
	}
	for _, q := range []articles.Query{{}, {Feeds: []string{ignoreFeed}}, {UnreadOnly: true},
		articles.MustParseQuery("buy"), articles.MustParseQuery("title:sponsored"), articles.MustParseQuery("buy is:unread")} {
		if p := page(t, s, q); slices.Contains(titles(p), "Sponsored: buy now") || (q.Search() != nil && p.Total != 0) {
			t.Errorf("%+v: %q, total %d; want the sponsored article hidden", q, titles(p), p.Total)
		}
	}
	hidden := page(t, s, articles.Query{Ignored: true})
	if got := titles(hidden); !slices.Equal(got, []string{"Sponsored: buy now"}) || hidden.Total != 1 {
		t.Fatalf("Ignored: %q, total %d", got, hidden.Total)
	}
	by, err := s.IgnoredBy(t.Context(), []string{hidden.Rows[0].ID})
	if err != nil || by[hidden.Rows[0].ID] != "title:sponsored" {
		t.Errorf("IgnoredBy = %v, %v; want the rule", by, err)
	}
	ignoreRules(t, s)
	if total, unread, ft, fu := counts(t, s); total != 2 || unread != 2 || ft != 2 || fu != 2 {
		t.Errorf("rule removed: counts %d %d, feed %d %d; want 2 2, 2 2", total, unread, ft, fu)
	}
	if p := page(t, s, articles.Query{Ignored: true}); p.Total != 0 {
		t.Errorf("rule removed: still ignored %q", titles(p))
	}
}

// TestIgnoreRulesJudgeStoredArticles sets a rule over articles stored
// before it; read state changes of a hidden article leave the counters
// right, and a starred article stays.
func TestIgnoreRulesJudgeStoredArticles(t *testing.T) {
	s := openTest(t)
	saveItems(t, s, ignoreFeed, item("1", "Real news", time.Hour), item("2", "Sponsored: buy now", 2*time.Hour),
		item("3", "Sponsored but starred", 3*time.Hour))
	star := rowOf(t, s, "Sponsored but starred")
	if err := s.SetStarred(t.Context(), star.ID, true); err != nil {
		t.Fatal(err)
	}
	ignoreRules(t, s, "feed:nothing.example", "title:sponsored")
	if total, unread, ft, fu := counts(t, s); total != 2 || unread != 2 || ft != 2 || fu != 2 {
		t.Errorf("counts %d %d, feed %d %d; want 2 2, 2 2 (the starred one kept)", total, unread, ft, fu)
	}
	hidden := page(t, s, articles.Query{Ignored: true})
	if len(hidden.Rows) != 1 {
		t.Fatalf("Ignored: %q", titles(hidden))
	}
	if by, _ := s.IgnoredBy(t.Context(), []string{hidden.Rows[0].ID}); by[hidden.Rows[0].ID] != "title:sponsored" {
		t.Errorf("IgnoredBy = %v; want the second rule", by)
	}
	// Read while hidden, then the rule goes: the counters follow.
	if err := s.SetRead(t.Context(), []string{hidden.Rows[0].ID}, true); err != nil {
		t.Fatal(err)
	}
	if _, unread, _, fu := counts(t, s); unread != 2 || fu != 2 {
		t.Errorf("read while hidden: unread %d, feed %d; want 2 2", unread, fu)
	}
	ignoreRules(t, s, "feed:nothing.example")
	if total, unread, ft, fu := counts(t, s); total != 3 || unread != 2 || ft != 3 || fu != 2 {
		t.Errorf("rule removed: counts %d %d, feed %d %d; want 3 2, 3 2", total, unread, ft, fu)
	}
}

// TestIgnoredSyncedArticle: a synced entry a rule matches is hidden and
// nothing is queued for the server: it stays there as it was.
func TestIgnoredSyncedArticle(t *testing.T) {
	s := openTest(t)
	ignoreRules(t, s, "title:sponsored")
	saveSynced(t, s, entry("1", "One", false, false), entry("2", "Sponsored two", false, false))
	if p := page(t, s, articles.Query{Feeds: []string{syncFeedURL}}); !slices.Equal(titles(p), []string{"One"}) || p.Unread != 1 {
		t.Errorf("synced feed: %q, unread %d; want One alone", titles(p), p.Unread)
	}
	if p := page(t, s, articles.Query{Ignored: true}); !slices.Equal(titles(p), []string{"Sponsored two"}) {
		t.Errorf("Ignored: %q", titles(p))
	}
	if m := pending(t, s); len(m) != 0 {
		t.Errorf("marks queued for the server: %v", m)
	}
}

// TestIgnoreAtWriteMatchesTheLists: for each query of the table (but
// those of state, which the fixture sets after writing), the articles a
// rule hides as they are written (judged in Go) are those the query
// finds, and so are those it hides when applied to the stored articles
// (in SQL), starred ones aside.
func TestIgnoreAtWriteMatchesTheLists(t *testing.T) {
	stored := openQueryStore(t)
	for _, tt := range articlestest.QueryCases {
		if strings.Contains(tt.Query, "is:") {
			continue
		}
		rule := articles.MustParseQuery(tt.Query).ResolveTags(articlestest.QueryTags)
		if err := stored.SetIgnoreRules(t.Context(), []articles.Query{rule}); err != nil {
			t.Fatal(err)
		}
		after := ignoredTitles(t, stored)
		atWrite := ignoredTitles(t, writeWithRule(t, rule))
		var want, wantStored []string
		for _, a := range articlestest.QueryArticles() {
			if slices.Contains(tt.Want, a.Title) {
				want = append(want, a.Title)
				if !a.Starred {
					wantStored = append(wantStored, a.Title)
				}
			}
		}
		slices.Sort(want)
		slices.Sort(wantStored)
		if !slices.Equal(atWrite, want) || !slices.Equal(after, wantStored) {
			t.Errorf("rule %q hides %q as written, %q once stored; want %q and %q", tt.Query, atWrite, after, want, wantStored)
		}
	}
}

// writeWithRule writes the query table's articles into a new store with
// rule in force.
func writeWithRule(t *testing.T, rule articles.Query) *Store {
	t.Helper()
	s, err := Open(t.Context(), filepath.Join(t.TempDir(), "tidings.db"), Options{Now: func() time.Time { return articlestest.QueryNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.SetIgnoreRules(t.Context(), []articles.Query{rule}); err != nil {
		t.Fatal(err)
	}
	var us []articles.FeedUpdate
	for _, f := range articlestest.QueryFeeds {
		u := articles.FeedUpdate{URL: f.URL, Title: f.Title, At: articlestest.QueryNow}
		for _, a := range articlestest.QueryArticles() {
			if a.Feed == f.URL {
				a.Read, a.Starred = false, false
				u.Items = append(u.Items, a)
			}
		}
		us = append(us, u)
	}
	if _, errs := s.SaveFeeds(t.Context(), us); errors.Join(errs...) != nil {
		t.Fatal(errors.Join(errs...))
	}
	return s
}

// TestIgnorePrefixesAtWrite: words are prefixes at write time as in the
// lists, and both hide what articles.Query.MatchesArticle selects.
func TestIgnorePrefixesAtWrite(t *testing.T) {
	stored := openQueryStore(t)
	for _, text := range []string{"spons", "trad -spor", "title:spons OR rock", "feed:loop"} {
		rule := articles.MustParseQuery(text)
		if err := stored.SetIgnoreRules(t.Context(), []articles.Query{rule}); err != nil {
			t.Fatal(err)
		}
		var want, wantStored []string
		for _, a := range articlestest.QueryArticles() {
			starred := a.Starred
			a.Read, a.Starred = false, false
			for _, f := range articlestest.QueryFeeds {
				if f.URL == a.Feed && rule.MatchesArticle(a, f.Title, articlestest.QueryNow) {
					want = append(want, a.Title)
					if !starred {
						wantStored = append(wantStored, a.Title)
					}
				}
			}
		}
		slices.Sort(want)
		slices.Sort(wantStored)
		after, atWrite := ignoredTitles(t, stored), ignoredTitles(t, writeWithRule(t, rule))
		if len(want) == 0 || !slices.Equal(atWrite, want) || !slices.Equal(after, wantStored) {
			t.Errorf("rule %q hides %q as written, %q once stored; want %q and %q", text, atWrite, after, want, wantStored)
		}
	}
}

func ignoredTitles(t *testing.T, s *Store) []string {
	t.Helper()
	got := titles(page(t, s, articles.Query{Ignored: true}))
	slices.Sort(got)
	return got
}
