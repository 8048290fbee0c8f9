package sqlite

import (
	"slices"
	"testing"
	"time"

	"tidings/articles"
)

const syncFeedURL = "https://server.example/feed"

func entry(remote, title string, read, starred bool) articles.Synced {
	return articles.Synced{
		Article: articles.Article{Feed: syncFeedURL, Title: title, Source: "Server feed", Link: "https://server.example/" + remote,
			Body: "Body of " + title, Published: t0.Add(-time.Hour), Read: read, Starred: starred},
		Remote: remote,
	}
}

func saveSynced(t *testing.T, s *Store, items ...articles.Synced) int {
	t.Helper()
	n, err := s.SaveSynced(t.Context(), items)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func pending(t *testing.T, s *Store) []articles.PendingMark {
	t.Helper()
	m, err := s.PendingMarks(t.Context(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func rowOf(t *testing.T, s *Store, title string) articles.Row {
	t.Helper()
	for _, r := range page(t, s, articles.Query{}).Rows {
		if r.Title == title {
			return r
		}
	}
	t.Fatalf("no article %q", title)
	return articles.Row{}
}

// TestSyncedArticlesKeepTheirIdentity saves the same entries twice, the
// second time changed: one row each, the change applied, the server's
// state with it.
func TestSyncedArticlesKeepTheirIdentity(t *testing.T) {
	s := openTest(t)
	if n := saveSynced(t, s, entry("1", "One", false, false), entry("2", "Two", true, true)); n != 2 {
		t.Fatalf("%d new, want 2", n)
	}
	again := entry("1", "One, corrected", true, false)
	if n := saveSynced(t, s, again, entry("2", "Two", true, true)); n != 0 {
		t.Fatalf("saving again: %d new, want 0", n)
	}
	p := page(t, s, articles.Query{Feeds: []string{syncFeedURL}})
	if p.Total != 2 {
		t.Fatalf("%d articles, want 2: %v", p.Total, titles(p))
	}
	if r := rowOf(t, s, "One, corrected"); !r.Read {
		t.Error("the server's read state was not applied")
	}
	if r := rowOf(t, s, "Two"); !r.Read || !r.Starred {
		t.Errorf("Two: read %v starred %v", r.Read, r.Starred)
	}
	ids, err := s.RemoteIDs(t.Context())
	if err != nil || len(ids) != 2 || !ids["1"] || !ids["2"] {
		t.Fatalf("remote IDs %v, %v", ids, err)
	}
}

// TestMarksOfSyncedArticlesWaitInTheQueue marks synced and fetched
// articles: only the synced ones are queued, the latest mark of each
// kind, and a mark made again after it was read from the queue stays.
func TestMarksOfSyncedArticlesWaitInTheQueue(t *testing.T) {
	s := openTest(t)
	ctx := t.Context()
	save(t, s, "https://own.example/feed", item("x", "Own", time.Hour))
	saveSynced(t, s, entry("1", "One", false, false), entry("2", "Two", false, false))
	one, two, own := rowOf(t, s, "One"), rowOf(t, s, "Two"), rowOf(t, s, "Own")
	if err := s.SetRead(ctx, []string{one.ID, own.ID}, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStarred(ctx, two.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetStarred(ctx, two.ID, false); err != nil {
		t.Fatal(err)
	}
	got := pending(t, s)
	want := []articles.PendingMark{{Remote: "1", On: true, At: t0}, {Remote: "2", Starred: true, At: t0}}
	if !slices.EqualFunc(got, want, func(a, b articles.PendingMark) bool {
		return a.Remote == b.Remote && a.Starred == b.Starred && a.On == b.On && a.At.Equal(b.At)
	}) {
		t.Fatalf("queue %+v, want %+v", got, want)
	}
	// Marked again with another time: sending the first does not drop it.
	later := openTestAt(t, s.Path(), t0.Add(time.Minute))
	if err := later.SetStarred(ctx, two.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := s.MarksSent(ctx, got); err != nil {
		t.Fatal(err)
	}
	left := pending(t, s)
	if len(left) != 1 || left[0].Remote != "2" || !left[0].On {
		t.Fatalf("after sending: %+v", left)
	}
	n, err := s.MarkAllRead(ctx, articles.Query{})
	if err != nil || n != 1 { // Two
		t.Fatalf("mark all read: %d, %v", n, err)
	}
	if q, _ := s.QueueLen(ctx); q != 2 { // Two's star, Two's read; One was read already
		t.Fatalf("queue of %d after mark all, want 2: %+v", q, pending(t, s))
	}
}

// TestNewerChangeWins: a mark made here after the server's change stays
// and waits; a server change after it wins and the mark goes; with no
// time of change from the server, the mark made here wins.
func TestNewerChangeWins(t *testing.T) {
	s := openTest(t)
	ctx := t.Context()
	saveSynced(t, s, entry("1", "One", false, false), entry("2", "Two", false, false), entry("3", "Three", false, false))
	for _, title := range []string{"One", "Two", "Three"} {
		if err := s.SetRead(ctx, []string{rowOf(t, s, title).ID}, true); err != nil { // at t0
			t.Fatal(err)
		}
	}
	older := entry("1", "One", false, false)
	older.Changed, older.StateOnly = t0.Add(-time.Minute), true
	newer := entry("2", "Two", false, false)
	newer.Changed, newer.StateOnly = t0.Add(time.Minute), true
	unknown := entry("3", "Three", false, false)
	unknown.StateOnly = true
	saveSynced(t, s, older, newer, unknown)
	if !rowOf(t, s, "One").Read || rowOf(t, s, "Two").Read || !rowOf(t, s, "Three").Read {
		t.Errorf("read: One %v (want true), Two %v (want false), Three %v (want true)",
			rowOf(t, s, "One").Read, rowOf(t, s, "Two").Read, rowOf(t, s, "Three").Read)
	}
	var waiting []string
	for _, m := range pending(t, s) {
		waiting = append(waiting, m.Remote)
	}
	if !slices.Equal(waiting, []string{"1", "3"}) {
		t.Errorf("waiting marks of %v, want [1 3]", waiting)
	}
}

// TestApplyStatesKeepsWaitingMarks applies the whole sets of a server
// without times of change.
func TestApplyStatesKeepsWaitingMarks(t *testing.T) {
	s := openTest(t)
	ctx := t.Context()
	saveSynced(t, s, entry("1", "One", false, false), entry("2", "Two", false, true), entry("3", "Three", true, false))
	save(t, s, "https://own.example/feed", item("x", "Own", time.Hour))
	if err := s.SetStarred(ctx, rowOf(t, s, "Three").ID, true); err != nil {
		t.Fatal(err)
	}
	// The server: only 3 unread; only 1 starred.
	n, err := s.ApplyStates(ctx, []string{"3"}, []string{"1"})
	if err != nil {
		t.Fatal(err)
	}
	one, two, three, own := rowOf(t, s, "One"), rowOf(t, s, "Two"), rowOf(t, s, "Three"), rowOf(t, s, "Own")
	if !one.Read || !one.Starred || !two.Read || two.Starred || three.Read || !three.Starred || own.Read {
		t.Errorf("one %+v two %+v three %+v own %+v", one, two, three, own)
	}
	if n != 5 { // One read and starred, Two read and unstarred, Three unread; Three's star waits
		t.Errorf("%d changes, want 5", n)
	}
}

// TestSyncFeeds adds, moves and removes the server's feeds; a removed
// feed keeps its starred articles, as tidings remove does.
func TestSyncFeeds(t *testing.T) {
	s := openTest(t)
	ctx := t.Context()
	feeds := []articles.RemoteFeed{
		{Remote: "7", URL: syncFeedURL, Title: "Server feed", Category: "News"},
		{Remote: "8", URL: "https://b.example/feed", Title: "B", Error: "404 not found"},
	}
	if _, err := s.SyncFeeds(ctx, feeds, t0); err != nil {
		t.Fatal(err)
	}
	saveSynced(t, s, entry("1", "One", false, true), entry("2", "Two", false, false))
	feeds[0].URL = "https://server.example/moved"
	removed, err := s.SyncFeeds(ctx, feeds[:1], t0)
	if err != nil || !slices.Equal(removed, []string{"https://b.example/feed"}) {
		t.Fatalf("removed %v, %v", removed, err)
	}
	got, err := s.RemoteFeeds(ctx)
	if err != nil || len(got) != 1 || got[0].URL != "https://server.example/moved" || got[0].Category != "News" {
		t.Fatalf("remote feeds %+v, %v", got, err)
	}
	if p := page(t, s, articles.Query{Feeds: []string{"https://server.example/moved"}}); p.Total != 2 {
		t.Fatalf("moved feed holds %d articles, want 2", p.Total)
	}
	if _, err := s.SyncFeeds(ctx, nil, t0); err != nil {
		t.Fatal(err)
	}
	if p := page(t, s, articles.Query{}); !slices.Contains(titles(p), "One") || slices.Contains(titles(p), "Two") {
		t.Fatalf("after unsubscribing on the server: %v", titles(p))
	}
}

// TestSyncTakesOverFetchedArticles: a feed fetched before the sync, then
// synced: its articles are not stored twice, and a mark made here goes
// to the server.
func TestSyncTakesOverFetchedArticles(t *testing.T) {
	s := openTest(t)
	ctx := t.Context()
	own := item("g1", "Fetched", time.Hour)
	own.Link = "https://server.example/1"
	save(t, s, syncFeedURL, own)
	if err := s.SetRead(ctx, []string{rowOf(t, s, "Fetched").ID}, true); err != nil {
		t.Fatal(err)
	}
	if n := saveSynced(t, s, entry("1", "From the server", false, false)); n != 0 {
		t.Fatalf("%d new, want 0", n)
	}
	p := page(t, s, articles.Query{Feeds: []string{syncFeedURL}})
	if p.Total != 1 || !p.Rows[0].Read {
		t.Fatalf("%v", p.Rows)
	}
	if m := pending(t, s); len(m) != 1 || m[0].Remote != "1" || m[0].Starred || !m[0].On {
		t.Fatalf("queue %+v", m)
	}
}

// TestSyncTakesOverBesideSyncedArticles: in a feed holding articles from
// the server and one fetched before, a page of entries of two feeds takes
// over the fetched one; a new entry with the link of a synced article is
// a new article, the synced one left as it is.
func TestSyncTakesOverBesideSyncedArticles(t *testing.T) {
	s := openTest(t)
	saveSynced(t, s, entry("1", "Synced", false, false))
	own := item("g2", "Fetched", time.Hour)
	own.Link = "https://server.example/2"
	save(t, s, syncFeedURL, own)
	other := entry("9", "Elsewhere", false, false)
	other.Feed = "https://other.example/feed"
	sameLink := entry("3", "Same link", false, false)
	sameLink.Link = "https://server.example/1"
	if n := saveSynced(t, s, other, entry("2", "From the server", false, false), sameLink); n != 2 {
		t.Fatalf("%d new, want 2 (Elsewhere, Same link)", n)
	}
	p := page(t, s, articles.Query{Feeds: []string{syncFeedURL}})
	var titles []string
	for _, r := range p.Rows {
		titles = append(titles, r.Title)
	}
	slices.Sort(titles)
	if want := []string{"From the server", "Same link", "Synced"}; !slices.Equal(titles, want) {
		t.Fatalf("the feed holds %q, want %q", titles, want)
	}
	ids, err := s.RemoteIDs(t.Context())
	if err != nil || len(ids) != 4 || !ids["1"] || !ids["2"] || !ids["3"] || !ids["9"] {
		t.Fatalf("remote IDs %v, %v", ids, err)
	}
}

// TestSyncedTextIsSanitized: what a server sends passes the sanitiser.
func TestSyncedTextIsSanitized(t *testing.T) {
	s := openTest(t)
	e := entry("1\x1b[2J", "Title\x1b]52;c;aGk=\x07 here", false, false)
	e.Body = "Body \x1b[31mred"
	saveSynced(t, s, e)
	r := rowOf(t, s, "Title here")
	a, err := s.Article(t.Context(), r.ID)
	if err != nil || a.Body != "Body red" {
		t.Fatalf("%q %v", a.Body, err)
	}
	if ids, _ := s.RemoteIDs(t.Context()); !ids["1"] {
		t.Fatalf("remote IDs %v", ids)
	}
}

// TestForgetRemote: another account starts afresh; the articles stay.
func TestForgetRemote(t *testing.T) {
	s := openTest(t)
	ctx := t.Context()
	if _, err := s.SyncFeeds(ctx, []articles.RemoteFeed{{Remote: "7", URL: syncFeedURL}}, t0); err != nil {
		t.Fatal(err)
	}
	saveSynced(t, s, entry("1", "One", false, true))
	if err := s.SetRead(ctx, []string{rowOf(t, s, "One").ID}, true); err != nil {
		t.Fatal(err)
	}
	if err := s.ForgetRemote(ctx); err != nil {
		t.Fatal(err)
	}
	ids, _ := s.RemoteIDs(ctx)
	feeds, _ := s.RemoteFeeds(ctx)
	q, _ := s.QueueLen(ctx)
	if len(ids) != 0 || len(feeds) != 0 || q != 0 {
		t.Fatalf("ids %v feeds %v queue %d", ids, feeds, q)
	}
	if r := rowOf(t, s, "One"); !r.Read || !r.Starred {
		t.Fatalf("state lost: %+v", r)
	}
}

// TestSyncStateRoundTrip records and reads the sync state.
func TestSyncStateRoundTrip(t *testing.T) {
	s := openTest(t)
	st, err := s.SyncState(t.Context())
	if err != nil || st != (articles.SyncState{}) {
		t.Fatalf("%+v %v", st, err)
	}
	want := articles.SyncState{Account: "miniflux https://x alice", Cursor: "42", LastOK: t0.UTC(), LastTry: t0.UTC(), LastError: "e"}
	if err := s.SetSyncState(t.Context(), want); err != nil {
		t.Fatal(err)
	}
	if st, err = s.SyncState(t.Context()); err != nil || st != want {
		t.Fatalf("%+v %v", st, err)
	}
}

// openTestAt opens the database at path a second time, with its clock
// at now.
func openTestAt(t *testing.T, path string, now time.Time) *Store {
	t.Helper()
	s, err := Open(t.Context(), path, Options{Retention: DefaultRetention(), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestRetentionSparesSyncedArticles: an old synced article missing from
// a page (which holds what changed) stays; retention would have deleted
// it, and the next sync brought it back.
func TestRetentionSparesSyncedArticles(t *testing.T) {
	s := openTest(t)
	old := entry("1", "Old", false, false)
	old.Published = t0.AddDate(-1, 0, 0)
	saveSynced(t, s, old)
	saveSynced(t, openTestAt(t, s.Path(), t0.Add(time.Hour)), entry("2", "New", false, false))
	if p := page(t, s, articles.Query{Feeds: []string{syncFeedURL}}); p.Total != 2 {
		t.Fatalf("%v", titles(p))
	}
}

// TestPruneSynced: retention's age limit deletes old synced articles but
// the starred ones, after a whole sync, and a later page does not bring
// them back; they count as known, so a sync need not download them.
func TestPruneSynced(t *testing.T) {
	s := openTest(t)
	ctx := t.Context()
	old, starred := entry("1", "Old", true, false), entry("2", "Old but starred", false, true)
	old.Published, starred.Published = t0.AddDate(-1, 0, 0), t0.AddDate(-1, 0, 0)
	saveSynced(t, s, old, starred, entry("3", "New", false, false))
	n, err := s.PruneSynced(ctx)
	if err != nil || n != 1 {
		t.Fatalf("pruned %d, %v", n, err)
	}
	if n := saveSynced(t, s, old); n != 0 {
		t.Fatal("a pruned article came back")
	}
	if p := page(t, s, articles.Query{Feeds: []string{syncFeedURL}}); p.Total != 2 {
		t.Fatalf("%v", titles(p))
	}
	if ids, _ := s.RemoteIDs(ctx); !ids["1"] || len(ids) != 3 {
		t.Fatalf("known %v", ids)
	}
}
