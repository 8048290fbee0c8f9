package sqlite

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"tidings/articles"
	"tidings/articles/articlestest"
)

const feedA, feedB, feedC = "https://a.example/feed", "https://b.example/feed", "https://c.example/feed"

func linked(guid, title, link string, age time.Duration) articles.Article {
	a := item(guid, title, age)
	a.Link = link
	return a
}

// idIn returns the ID of the article titled so in the list of q.
func idIn(t *testing.T, s *Store, q articles.Query, title string) string {
	t.Helper()
	for _, r := range page(t, s, q).Rows {
		if r.Title == title {
			return r.ID
		}
	}
	t.Fatalf("no %q in %+v", title, q)
	return ""
}

func article(t *testing.T, s *Store, id string) articles.Article {
	t.Helper()
	a, err := s.Article(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// twoFeedsOneStory stores the same story in feeds A and B, under
// different GUIDs and with tracking parameters on one link, beside an
// article of each feed's own.
func twoFeedsOneStory(t *testing.T) *Store {
	t.Helper()
	s := openTest(t)
	save(t, s, feedA, linked("guid:a-7f3e-2026-0001", "Rivers rise across the plains", "https://news.example/2026/rivers?utm_source=rss&utm_medium=feed&id=4", time.Hour),
		linked("guid:a-own", "Alpha own", "https://a.example/own", 2*time.Hour))
	save(t, s, feedB, linked("guid:tag:b.example,2026:991", "Rivers rise across the plains (wire)", "http://WWW.News.example:80/2026/rivers/?id=4&fbclid=xyz#comments", time.Hour),
		linked("guid:b-own", "Beta own", "https://b.example/own", 3*time.Hour))
	return s
}

// TestOneStoryFromTwoFeeds: the story is one row in every list of more
// than one feed, counted once, with each feed's own list showing its own
// copy; the reader names the other feed; reading it once reads both.
func TestOneStoryFromTwoFeeds(t *testing.T) {
	s := twoFeedsOneStory(t)
	all := page(t, s, articles.Query{})
	if got := titles(all); !slices.Equal(got, []string{"Rivers rise across the plains", "Alpha own", "Beta own"}) {
		t.Errorf("all: %q, want the story once (feed A's copy, the first stored)", got)
	}
	if all.Total != 3 || all.Unread != 3 {
		t.Errorf("all: total %d unread %d, want 3 and 3", all.Total, all.Unread)
	}
	tag := articles.Query{Feeds: []string{feedA, feedB}}
	if p := page(t, s, tag); p.Total != 3 || len(p.Rows) != 3 {
		t.Errorf("both feeds: total %d, %d rows, want 3", p.Total, len(p.Rows))
	}
	if p := page(t, s, articles.Query{Feeds: []string{feedB, feedC}}); p.Total != 2 || len(p.Rows) != 2 {
		t.Errorf("feeds B and C: total %d, rows %q: want B's copy and B's own", p.Total, titles(p))
	}
	onlyB := articles.Query{Feeds: []string{feedB}}
	if p := page(t, s, onlyB); p.Total != 2 || len(p.Rows) != 2 || p.Rows[0].Title != "Rivers rise across the plains (wire)" {
		t.Errorf("feed B: %q, total %d: want its own copy", titles(p), p.Total)
	}
	if p := page(t, s, articles.MustParseQuery("rivers")); len(p.Rows) != 1 || p.Total != 1 {
		t.Errorf("search: %q, total %d: want the story once", titles(p), p.Total)
	}

	copyB := idIn(t, s, onlyB, "Rivers rise across the plains (wire)")
	if a := article(t, s, copyB); a.AlsoIn != "Feed "+feedA {
		t.Errorf("B's copy also in %q, want feed A's title", a.AlsoIn)
	}
	lead := all.Rows[0].ID
	if a := article(t, s, lead); a.AlsoIn != "Feed "+feedB {
		t.Errorf("A's copy also in %q, want feed B's title", a.AlsoIn)
	}
	if a := article(t, s, idIn(t, s, onlyB, "Beta own")); a.AlsoIn != "" {
		t.Errorf("an article of one feed also in %q", a.AlsoIn)
	}

	if err := s.SetRead(t.Context(), []string{copyB}, true); err != nil {
		t.Fatal(err)
	}
	if a := article(t, s, lead); !a.Read {
		t.Error("read in feed B, the story is still unread in feed A")
	}
	if p := page(t, s, articles.Query{}); p.Unread != 2 {
		t.Errorf("all unread %d after reading the story, want 2", p.Unread)
	}
	if p := page(t, s, articles.Query{UnreadOnly: true}); slices.Contains(titles(p), "Rivers rise across the plains") || p.Total != 2 {
		t.Errorf("unread: %q, total %d", titles(p), p.Total)
	}
	if err := s.SetStarred(t.Context(), lead, true); err != nil {
		t.Fatal(err)
	}
	if a := article(t, s, copyB); !a.Starred {
		t.Error("starred in feed A, the story is not starred in feed B")
	}
	if p := page(t, s, articles.Query{StarredOnly: true}); p.Total != 1 || len(p.Rows) != 1 {
		t.Errorf("starred: %q, total %d, want the story once", titles(p), p.Total)
	}
	if err := s.Check(t.Context()); err != nil {
		t.Error(err)
	}
}

// TestUnrankedSearchShowsAStoryOnce: a search that is not ranked (CJK
// words, or over rankLimit matches) reads the index alone, and still
// lists and counts a story once.
func TestUnrankedSearchShowsAStoryOnce(t *testing.T) {
	s := openTest(t)
	save(t, s, feedA, linked("guid:a-bj-000001", "北京市发布暴雨红色预警信号", "https://news.example/bj", time.Hour))
	save(t, s, feedB, linked("guid:b-bj-000001", "北京市发布暴雨红色预警信号", "https://news.example/bj?utm_source=x", time.Hour),
		linked("guid:b-sh-000001", "上海暴雨", "https://b.example/sh", time.Hour))
	if p := page(t, s, articles.MustParseQuery("暴雨")); p.Total != 2 || len(p.Rows) != 2 {
		t.Errorf("search: %q, total %d; want the story once and Shanghai", titles(p), p.Total)
	}
}

// TestMarkAllReadReadsEveryCopy: marking feed B read reads the story in
// feed A too, and counts B's rows.
func TestMarkAllReadReadsEveryCopy(t *testing.T) {
	s := twoFeedsOneStory(t)
	n, err := s.MarkAllRead(t.Context(), articles.Query{Feeds: []string{feedB}})
	if err != nil || n != 2 {
		t.Fatalf("MarkAllRead(B) = %d, %v; want 2", n, err)
	}
	if p := page(t, s, articles.Query{UnreadOnly: true}); !slices.Equal(titles(p), []string{"Alpha own"}) {
		t.Errorf("unread after marking B read: %q, want Alpha own alone", titles(p))
	}
	if n, err := s.MarkAllRead(t.Context(), articles.Query{}); err != nil || n != 1 {
		t.Errorf("MarkAllRead(all) = %d, %v; want 1", n, err)
	}
}

// TestRemovingAFeedKeepsTheStory: the story stays under the other feed,
// which leads it now, and "also in" stops naming the one removed; the
// same when retention deletes a copy.
func TestRemovingAFeedKeepsTheStory(t *testing.T) {
	s := twoFeedsOneStory(t)
	save(t, s, feedC, linked("guid:c-1", "Rivers rise across the plains", "https://news.example/2026/rivers?id=4", 30*time.Minute))
	if _, err := s.RemoveFeed(t.Context(), feedA); err != nil {
		t.Fatal(err)
	}
	all := page(t, s, articles.Query{})
	if got := titles(all); !slices.Equal(got, []string{"Rivers rise across the plains (wire)", "Beta own"}) || all.Total != 2 || all.Unread != 2 {
		t.Errorf("after removing A: %q, total %d unread %d; want the story under B, once", got, all.Total, all.Unread)
	}
	if a := article(t, s, all.Rows[0].ID); a.AlsoIn != "Feed "+feedC {
		t.Errorf("also in %q after removing A, want feed C alone", a.AlsoIn)
	}

	// Retention: B keeps one article, its newest, and drops the story.
	s.opts.Retention = Retention{MaxPerFeed: 1}
	save(t, s, feedB, linked("guid:b-new", "Beta newest", "https://b.example/new", 0))
	all = page(t, s, articles.Query{})
	if got := titles(all); !slices.Equal(got, []string{"Beta newest", "Rivers rise across the plains"}) || all.Total != 2 {
		t.Errorf("after retention in B: %q, total %d; want the story under C", got, all.Total)
	}
	if a := article(t, s, idIn(t, s, articles.Query{}, "Rivers rise across the plains")); a.AlsoIn != "" {
		t.Errorf("also in %q when no other feed has it", a.AlsoIn)
	}
	if err := s.Check(t.Context()); err != nil {
		t.Error(err)
	}
}

// TestTitlesGroupOnlyWhenEqualAfterNormalising: the same headline from
// two agencies is one story; a different word, a short title, the same
// title days apart or twice in one feed is not.
func TestTitlesGroupOnlyWhenEqualAfterNormalising(t *testing.T) {
	s := openTest(t)
	save(t, s, feedA, item("a1", "Quake Hits Northern Japan, Thousands Evacuated", time.Hour),
		item("a2", "Update", time.Hour),
		item("a3", "Weekly open thread for all our readers", time.Hour),
		item("a4", "Markets close higher as oil prices fall", time.Hour),
		item("a5", "Markets close higher as oil prices fall", 2*time.Hour))
	save(t, s, feedB, item("b1", "quake hits northern japan — thousands evacuated!", 2*time.Hour),
		item("b2", "Update", time.Hour),
		item("b3", "Weekly open thread for all our readers", 7*24*time.Hour))
	save(t, s, feedC, item("c1", "Quake hits northern Japan; thousands evacuate", time.Hour))
	got := titles(page(t, s, articles.Query{}))
	// Newest first, then last stored first; B's quake is A's.
	want := []string{
		"Quake hits northern Japan; thousands evacuate", "Update", "Markets close higher as oil prices fall",
		"Weekly open thread for all our readers", "Update", "Quake Hits Northern Japan, Thousands Evacuated",
		"Markets close higher as oil prices fall", "Weekly open thread for all our readers",
	}
	if !slices.Equal(got, want) {
		t.Errorf("all:\n got %q\nwant %q", got, want)
	}
}

// TestSyncedCopyReadHereIsQueued: reading the story through a feed
// tidings fetches queues the read for the server's copy; the server's
// copy that arrives after a read story comes in read, and queued.
func TestSyncedCopyReadHereIsQueued(t *testing.T) {
	s := openTest(t)
	e := entry("e1", "Rivers rise across the plains", false, false)
	e.Link = "https://news.example/2026/rivers?utm_campaign=x"
	saveSynced(t, s, e)
	save(t, s, feedA, linked("guid:a-rivers-0001", "Rivers rise across the plains", "https://news.example/2026/rivers", time.Hour))
	own := idIn(t, s, articles.Query{Feeds: []string{feedA}}, "Rivers rise across the plains")
	if err := s.SetRead(t.Context(), []string{own}, true); err != nil {
		t.Fatal(err)
	}
	if m := pending(t, s); len(m) != 1 || m[0].Remote != "e1" || m[0].Starred || !m[0].On {
		t.Errorf("queue after reading the fetched copy: %+v, want e1 read", m)
	}

	save(t, s, feedB, linked("guid:b-clouds-0001", "Clouds gather over the eastern hills", "https://news.example/2026/clouds", time.Hour))
	if err := s.SetRead(t.Context(), []string{idIn(t, s, articles.Query{}, "Clouds gather over the eastern hills")}, true); err != nil {
		t.Fatal(err)
	}
	e2 := entry("e2", "Clouds gather over the eastern hills", false, false)
	e2.Link = "https://news.example/2026/clouds"
	saveSynced(t, s, e2)
	if m := pending(t, s); len(m) != 2 || m[1].Remote != "e2" || !m[1].On {
		t.Errorf("queue after the server's copy of a read story came: %+v, want e2 read", m)
	}
	if p := page(t, s, articles.Query{Feeds: []string{syncFeedURL}, UnreadOnly: true}); p.Total != 0 {
		t.Errorf("server feed unread: %q", titles(p))
	}

	e3 := entry("e3", "Snow closes the mountain passes", false, false)
	e3.Link = "https://news.example/2026/snow"
	saveSynced(t, s, e3)
	save(t, s, feedC, linked("guid:c-snow-000001", "Snow closes the mountain passes", "https://news.example/2026/snow?ref=rss", time.Hour))
	if n, err := s.MarkAllRead(t.Context(), articles.Query{Feeds: []string{feedC}}); err != nil || n != 1 {
		t.Fatalf("MarkAllRead(C) = %d, %v; want 1", n, err)
	}
	if m := pending(t, s); len(m) != 3 || m[2].Remote != "e3" || !m[2].On {
		t.Errorf("queue after marking feed C read: %+v, want e3 read", m)
	}
}

// TestMigrationGroupsStoredArticles takes a store back to the schema
// before stories and opens it again: its articles are grouped as a
// refresh would have, and a story read in one feed is read in both.
func TestMigrationGroupsStoredArticles(t *testing.T) {
	path := t.TempDir() + "/tidings.db"
	s := openTestAt(t, path, t0)
	save(t, s, feedA, linked("guid:a-1111111111", "Rivers rise across the plains", "https://news.example/r?utm_source=a", time.Hour))
	save(t, s, feedB, linked("guid:b-2222222222", "Rivers rise across the plains", "https://news.example/r", time.Hour),
		item("b2", "Beta own", 2*time.Hour))
	if _, err := s.db.Exec(`UPDATE articles SET read = 1 WHERE feed_id = (SELECT id FROM feeds WHERE url = ?)`, feedB); err != nil {
		t.Fatal(err)
	}
	unStory(t, s)
	s.Close()

	s = openTestAt(t, path, t0)
	p := page(t, s, articles.Query{})
	if !slices.Equal(titles(p), []string{"Rivers rise across the plains", "Beta own"}) || p.Total != 2 || p.Unread != 0 {
		t.Errorf("after migrating: %q, total %d unread %d; want the story once, read", titles(p), p.Total, p.Unread)
	}
	if err := s.Check(t.Context()); err != nil {
		t.Error(err)
	}
}

// TestRebuildGroupsStories: a rebuild from a damaged file (salvage,
// here from a sound one) groups the articles it copies.
func TestRebuildGroupsStories(t *testing.T) {
	from := twoFeedsOneStory(t)
	from.Close()
	s := openTest(t)
	got, err := salvage(t.Context(), s, from.path)
	if err != nil || got.err != nil {
		t.Fatal(err, got.err)
	}
	if p := page(t, s, articles.Query{}); p.Total != 3 || len(p.Rows) != 3 {
		t.Errorf("rebuilt: %q, total %d; want the story once", titles(p), p.Total)
	}
}

// unStory takes the store back to the schema before stories: the
// columns, indexes and trigger of the story migration gone.
func unStory(t testing.TB, s *Store) {
	t.Helper()
	unIgnore(t, s)
	for _, q := range []string{
		`DROP TRIGGER articles_story_lead`,
		`DROP INDEX articles_link_key`, `DROP INDEX articles_guid_key`, `DROP INDEX articles_title_key`, `DROP INDEX articles_story`,
		`DROP INDEX articles_lead`, `DROP INDEX articles_lead_unread`,
		`ALTER TABLE articles DROP COLUMN story`, `ALTER TABLE articles DROP COLUMN link_key`,
		`ALTER TABLE articles DROP COLUMN guid_key`, `ALTER TABLE articles DROP COLUMN title_key`,
		`PRAGMA user_version = 8`,
	} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// storyBench builds a database of 100,000 articles in 100 feeds where
// one article in 20, but in the first feed, has the link of an article
// of the feed before (4,950 stories in two feeds), as a refresh writes
// them.
func storyBench(b *testing.B) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "stories.db")
	s, err := Open(b.Context(), path, Options{Retention: Retention{MaxPerFeed: 1000}})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	arts := articlestest.Articles(100_000, 120)
	for i := range arts {
		arts[i].GUID = arts[i].ID
		if i >= 1000 && i%20 == 0 {
			arts[i].Link = arts[i-999].Link
		}
	}
	for f := 0; f < 100; f += 10 {
		var batch []articles.FeedUpdate
		for g := f; g < f+10; g++ {
			batch = append(batch, articles.FeedUpdate{URL: fmt.Sprintf("https://feed%03d.example/rss", g), Title: fmt.Sprintf("Feed %d", g),
				Items: arts[g*1000 : (g+1)*1000], At: articlestest.Epoch})
		}
		if _, errs := s.SaveFeeds(b.Context(), batch); errors.Join(errs...) != nil {
			b.Fatal(errors.Join(errs...))
		}
	}
	return path
}

// BenchmarkMigrateStories100k is the migration that groups a store of
// the schema before stories: 100,000 articles of which 4,950 are second
// copies. Each run migrates the same database again: use -benchtime 1x.
func BenchmarkMigrateStories100k(b *testing.B) {
	path := storyBench(b)
	for b.Loop() {
		b.StopTimer()
		s, err := Open(b.Context(), path, Options{})
		if err != nil {
			b.Fatal(err)
		}
		unStory(b, s)
		s.Close()
		b.StartTimer()
		if s, err = Open(b.Context(), path, Options{}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if p, err := s.Page(b.Context(), articles.Query{}, 0, 0); err != nil || p.Total != 95_050 {
			b.Fatalf("all after migrating: %d, %v; want 95,050", p.Total, err)
		}
		s.Close()
		b.StartTimer()
	}
}

// BenchmarkStoryPages100k reads pages of 100,000 articles of which 4,950
// are second copies, one story once, and the same without the story
// conditions (the queries of the schema before), in turns, on the same
// database.
func BenchmarkStoryPages100k(b *testing.B) {
	s, err := Open(b.Context(), storyBench(b), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if p, err := s.Page(b.Context(), articles.Query{}, 0, 0); err != nil || p.Total != 95_050 {
		b.Fatalf("all: %d, %v; want 95,050", p.Total, err)
	}
	for _, c := range []struct {
		name   string
		q      articles.Query
		offset int
	}{{"first_page", articles.Query{}, 0}, {"deep_page", articles.Query{}, 94_850}, {"unread_first_page", articles.Query{UnreadOnly: true}, 0},
		{"search_t", articles.MustParseQuery("t"), 0}, {"search_trade_market", articles.MustParseQuery("trade market"), 0}} {
		for _, without := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/without_stories=%v", c.name, without), func(b *testing.B) {
				s.noStory = without
				defer func() { s.noStory = false }()
				for b.Loop() {
					if _, err := s.Page(b.Context(), c.q, c.offset, 200); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
