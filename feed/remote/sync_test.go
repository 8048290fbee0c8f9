package remote_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tidings/articles"
	"tidings/articles/articlestest"
	"tidings/articles/sqlite"
	"tidings/feed/remote"
	"tidings/feed/remote/remotetest"
)

var t0 = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

type rig struct {
	t      *testing.T
	fake   *remotetest.Fake
	store  *sqlite.Store
	syncer *remote.Syncer
	now    time.Time
}

func newRig(t *testing.T, whole bool) *rig {
	t.Helper()
	r := &rig{t: t, now: t0}
	r.fake = &remotetest.Fake{WholeStates: whole, PageSize: 3, Now: func() time.Time { return r.now }}
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "tidings.db"), sqlite.Options{
		Retention: sqlite.DefaultRetention(), Now: func() time.Time { return r.now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	r.store = s
	r.syncer = &remote.Syncer{Server: r.fake, Store: s, Account: "fake alice", Now: func() time.Time { return r.now }}
	return r
}

func (r *rig) sync() remote.Summary {
	r.t.Helper()
	sum, err := r.syncer.Sync(r.t.Context(), nil)
	if err != nil {
		r.t.Fatal(err)
	}
	return sum
}

func (r *rig) row(title string) articles.Row {
	r.t.Helper()
	p, err := r.store.Page(r.t.Context(), articles.Query{}, 0, 1000)
	if err != nil {
		r.t.Fatal(err)
	}
	for _, row := range p.Rows {
		if row.Title == title {
			return row
		}
	}
	r.t.Fatalf("no article %q", title)
	return articles.Row{}
}

func (r *rig) total() int {
	r.t.Helper()
	p, err := r.store.Page(r.t.Context(), articles.Query{}, 0, 1)
	if err != nil {
		r.t.Fatal(err)
	}
	return p.Total
}

func (r *rig) entries(feedID string, titles ...string) []string {
	var ids []string
	for _, title := range titles {
		ids = append(ids, r.fake.AddEntry(feedID, remote.Entry{Title: title, URL: "https://a.example/" + strings.ReplaceAll(title, " ", "-"),
			Content: "<p>Body of " + title + "</p>", Published: t0.Add(-time.Hour)}))
	}
	return ids
}

// TestSyncBringsFeedsAndEntries: a first sync brings every entry, paged; a
// second with nothing new brings none and stores nothing twice.
func TestSyncBringsFeedsAndEntries(t *testing.T) {
	r := newRig(t, false)
	f := r.fake.AddFeed("https://a.example/feed", "A feed", "News")
	r.entries(f.ID, "One", "Two", "Three", "Four", "Five")
	sum := r.sync()
	if sum.Feeds != 1 || sum.New != 5 || sum.Entries != 5 {
		t.Fatalf("first sync: %+v", sum)
	}
	if sum = r.sync(); sum.New != 0 || sum.Entries != 0 {
		t.Fatalf("second sync: %+v", sum)
	}
	if n := r.total(); n != 5 {
		t.Fatalf("%d articles, want 5", n)
	}
	a, err := r.store.Article(t.Context(), r.row("Three").ID)
	if err != nil || a.Source != "A feed" || a.Feed != "https://a.example/feed" || !strings.Contains(a.Body, "Body of Three") {
		t.Fatalf("%+v %v", a, err)
	}
	st, _ := r.store.SyncState(t.Context())
	if st.LastOK != t0 || st.Cursor == "" || st.LastError != "" {
		t.Fatalf("sync state %+v", st)
	}
}

// TestMarksGoToTheServer: marks made here reach the server, a kind and
// value a request; the queue is empty after.
func TestMarksGoToTheServer(t *testing.T) {
	r := newRig(t, false)
	f := r.fake.AddFeed("https://a.example/feed", "A feed", "")
	ids := r.entries(f.ID, "One", "Two", "Three")
	r.sync()
	ctx := t.Context()
	if err := r.store.SetRead(ctx, []string{r.row("One").ID, r.row("Two").ID}, true); err != nil {
		t.Fatal(err)
	}
	if err := r.store.SetStarred(ctx, r.row("Three").ID, true); err != nil {
		t.Fatal(err)
	}
	sum := r.sync()
	if sum.Sent != 3 || sum.Waiting != 0 || r.fake.Calls["Mark"] != 2 {
		t.Fatalf("%+v, %d mark calls", sum, r.fake.Calls["Mark"])
	}
	if read, _ := r.fake.State(ids[0]); !read {
		t.Error("One is not read on the server")
	}
	if _, starred := r.fake.State(ids[2]); !starred {
		t.Error("Three is not starred on the server")
	}
}

// TestMarkAllSendsFewRequests: marking 1,000 articles read is one group.
func TestMarkAllSendsFewRequests(t *testing.T) {
	r := newRig(t, false)
	f := r.fake.AddFeed("https://a.example/feed", "A feed", "")
	r.fake.PageSize = 250
	var titles []string
	for i := range 1000 {
		titles = append(titles, "Story "+string(rune('A'+i%26))+" "+strings.Repeat("x", i%7)+time.Duration(i).String())
	}
	r.entries(f.ID, titles...)
	r.sync()
	if _, err := r.store.MarkAllRead(t.Context(), articles.Query{Feeds: []string{"https://a.example/feed"}}); err != nil {
		t.Fatal(err)
	}
	sum := r.sync()
	if sum.Sent != 1000 || r.fake.Calls["Mark"] != 1 {
		t.Fatalf("sent %d in %d calls", sum.Sent, r.fake.Calls["Mark"])
	}
}

// TestServerDownKeepsMarks: the server does not answer: one calm error,
// the marks wait, and the next sync that works sends them.
func TestServerDownKeepsMarks(t *testing.T) {
	r := newRig(t, false)
	f := r.fake.AddFeed("https://a.example/feed", "A feed", "")
	ids := r.entries(f.ID, "One")
	r.sync()
	if err := r.store.SetRead(t.Context(), []string{r.row("One").ID}, true); err != nil {
		t.Fatal(err)
	}
	r.fake.Fail = remotetest.Down(r.fake)
	r.now = t0.Add(time.Hour)
	sum, err := r.syncer.Sync(t.Context(), nil)
	if err == nil || err.Error() != "fake at https://server.test: no answer" {
		t.Fatalf("error %v", err)
	}
	if sum.Waiting != 1 || r.fake.Calls["Mark"] != 0 {
		t.Fatalf("%+v, %d mark calls", sum, r.fake.Calls["Mark"])
	}
	st, _ := r.store.SyncState(t.Context())
	if st.LastOK != t0 || st.LastTry != t0.Add(time.Hour) || st.LastError == "" {
		t.Fatalf("sync state %+v", st)
	}
	r.fake.Fail = nil
	if sum = r.sync(); sum.Sent != 1 || sum.Waiting != 0 {
		t.Fatalf("after the server came back: %+v", sum)
	}
	if read, _ := r.fake.State(ids[0]); !read {
		t.Error("the mark made while the server was down never reached it")
	}
}

// TestNewerChangeWinsAcrossDevices: read here at 10:00, unread on the
// server at 10:05: the server's change wins. Unstarred here at 10:10,
// after the server unstarred and starred again at 10:05: the unstar made
// here wins and is sent.
func TestNewerChangeWinsAcrossDevices(t *testing.T) {
	r := newRig(t, false)
	f := r.fake.AddFeed("https://a.example/feed", "A feed", "")
	ids := r.entries(f.ID, "One", "Two")
	r.fake.Set(ids[1], remote.Mark{Kind: remote.Starred, On: true})
	r.sync()
	ctx := t.Context()
	r.now = t0.Add(time.Hour)
	if err := r.store.SetRead(ctx, []string{r.row("One").ID}, true); err != nil {
		t.Fatal(err)
	}
	r.now = t0.Add(time.Hour + 5*time.Minute)
	r.fake.Set(ids[0], remote.Mark{Kind: remote.Read, On: false})
	r.fake.Set(ids[1], remote.Mark{Kind: remote.Starred, On: false})
	r.fake.Set(ids[1], remote.Mark{Kind: remote.Starred, On: true})
	r.now = t0.Add(time.Hour + 10*time.Minute)
	if err := r.store.SetStarred(ctx, r.row("Two").ID, false); err != nil {
		t.Fatal(err)
	}
	r.sync()
	if r.row("One").Read {
		t.Error("One: the older mark made here won over the server's newer one")
	}
	if read, _ := r.fake.State(ids[0]); read {
		t.Error("One: the older mark was sent over the newer change")
	}
	if r.row("Two").Starred {
		t.Error("Two: the newer unstar made here was lost")
	}
	if _, starred := r.fake.State(ids[1]); starred {
		t.Error("Two: the newer unstar was not sent")
	}
}

// TestServerClockWrong: the server's clock runs two hours behind. Its
// change made after a mark here still wins, once its times are moved by
// the skew.
func TestServerClockWrong(t *testing.T) {
	r := newRig(t, false)
	serverNow := func() time.Time { return r.now.Add(-2 * time.Hour) }
	r.fake.Now = serverNow
	r.syncer.Skew = func() time.Duration { return -2 * time.Hour }
	f := r.fake.AddFeed("https://a.example/feed", "A feed", "")
	ids := r.entries(f.ID, "One")
	r.sync()
	if err := r.store.SetRead(t.Context(), []string{r.row("One").ID}, true); err != nil {
		t.Fatal(err)
	}
	r.now = r.now.Add(time.Minute)
	r.fake.Set(ids[0], remote.Mark{Kind: remote.Read, On: false}) // at server time t0-2h+1m
	r.sync()
	if r.row("One").Read {
		t.Error("the server's later change lost to an earlier mark: its clock was not corrected")
	}
}

// TestWholeStates: a server without times of change (the Google Reader
// API) gives the whole state; a mark waiting here wins over it and is sent.
func TestWholeStates(t *testing.T) {
	r := newRig(t, true)
	f := r.fake.AddFeed("https://a.example/feed", "A feed", "")
	ids := r.entries(f.ID, "One", "Two", "Three")
	r.sync()
	r.fake.Set(ids[0], remote.Mark{Kind: remote.Read, On: true})
	r.fake.Set(ids[1], remote.Mark{Kind: remote.Starred, On: true})
	if err := r.store.SetRead(t.Context(), []string{r.row("Three").ID}, true); err != nil {
		t.Fatal(err)
	}
	sum := r.sync()
	if !r.row("One").Read || !r.row("Two").Starred || !r.row("Three").Read {
		t.Errorf("state after sync: %+v %+v %+v", r.row("One"), r.row("Two"), r.row("Three"))
	}
	if read, _ := r.fake.State(ids[2]); !read || sum.Sent != 1 {
		t.Errorf("Three's mark: server read %v, sent %d", read, sum.Sent)
	}
	if r.fake.Calls["Entries"] != 2 || sum.Entries != 0 {
		t.Errorf("entries: %d calls, %d in the second sync", r.fake.Calls["Entries"], sum.Entries)
	}
}

// TestHostileServer: what a server sends passes the same gates as a feed.
func TestHostileServer(t *testing.T) {
	r := newRig(t, false)
	f := r.fake.AddFeed("https://a.example/feed\x1b[2J", "Feed\x1b]0;owned\x07", "")
	r.fake.AddFeed("./local-file.xml", "Not a web feed", "")
	r.fake.AddEntry(f.ID, remote.Entry{
		Title:   strings.Repeat("Huge ", 200_000) + "\x1b]52;c;aGk=\x07",
		URL:     "javascript:alert(1)",
		Author:  "M\x1b[5mallory",
		Content: `<p>x<a href="javascript:alert(1)">click</a>` + "\x1b[31m\x9b2J</p>",
	})
	r.sync()
	p, err := r.store.Page(t.Context(), articles.Query{}, 0, 10)
	if err != nil || p.Total != 1 {
		t.Fatalf("%+v %v", p, err)
	}
	a, err := r.store.Article(t.Context(), p.Rows[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]string{"title": a.Title, "source": a.Source, "author": a.Author, "link": a.Link, "body": a.Body, "feed": a.Feed} {
		if bad, found := articlestest.UnsafeInText(s); found {
			t.Errorf("%s holds %s", name, bad)
		}
	}
	if feeds, _ := r.store.RemoteFeeds(t.Context()); len(feeds) != 1 {
		t.Errorf("a server's feed that is not http(s) was kept: %+v", feeds)
	}
	if a.Link != "" || strings.Contains(a.Body, "javascript:") || len(a.Title) > 4000 {
		t.Errorf("link %q, title of %d bytes, body %q", a.Link, len(a.Title), a.Body)
	}
}

// TestAnotherAccountStartsAfresh: the IDs of one server mean nothing to
// another: they are forgotten, the articles kept.
func TestAnotherAccountStartsAfresh(t *testing.T) {
	r := newRig(t, false)
	f := r.fake.AddFeed("https://a.example/feed", "A feed", "")
	r.entries(f.ID, "One")
	r.sync()
	other := &remotetest.Fake{Now: r.fake.Now}
	g := other.AddFeed("https://b.example/feed", "B feed", "")
	other.AddEntry(g.ID, remote.Entry{Title: "Elsewhere"})
	r.syncer.Server, r.syncer.Account = other, "fake bob"
	if sum := r.sync(); sum.New != 1 {
		t.Fatalf("%+v", sum)
	}
	if r.row("One").Title != "One" || r.row("Elsewhere").Title != "Elsewhere" {
		t.Fatal("an article went missing")
	}
}

// TestFeedAddedWhilePaging: an entry of a feed the list did not have
// makes the sync read the list again.
func TestFeedAddedWhilePaging(t *testing.T) {
	r := newRig(t, false)
	f := r.fake.AddFeed("https://a.example/feed", "A feed", "")
	r.entries(f.ID, "One")
	list := r.fake
	sum := r.sync()
	g := list.AddFeed("https://b.example/feed", "B feed", "")
	r.entries(g.ID, "Two")
	sum = r.sync()
	if sum.New != 1 || sum.Feeds != 2 {
		t.Fatalf("%+v", sum)
	}
}

// TestSubscribeAndUnsubscribe through the syncer: the server's list is
// saved here; unsubscribing removes the feed's articles but starred ones.
func TestSubscribeAndUnsubscribe(t *testing.T) {
	r := newRig(t, false)
	ctx := t.Context()
	f, err := r.syncer.Subscribe(ctx, "https://a.example/feed", "News")
	if err != nil {
		t.Fatal(err)
	}
	r.entries(f.ID, "One", "Two")
	r.sync()
	if err := r.store.SetStarred(ctx, r.row("One").ID, true); err != nil {
		t.Fatal(err)
	}
	ok, err := r.syncer.Unsubscribe(ctx, "https://a.example/feed")
	if err != nil || !ok {
		t.Fatalf("%v %v", ok, err)
	}
	feeds, _ := r.store.RemoteFeeds(ctx)
	if len(feeds) != 0 || r.total() != 1 {
		t.Fatalf("feeds %v, %d articles left", feeds, r.total())
	}
	if ok, err := r.syncer.Unsubscribe(ctx, "https://none.example/feed"); ok || err != nil {
		t.Fatalf("unknown feed: %v %v", ok, err)
	}
}

// TestOldEntriesPruned: entries older than retention's age limit are
// deleted here after the sync, and a server that lists them again (the
// Google Reader API lists every ID) does not bring them back.
func TestOldEntriesPruned(t *testing.T) {
	r := newRig(t, true)
	f := r.fake.AddFeed("https://a.example/feed", "A feed", "")
	r.fake.AddEntry(f.ID, remote.Entry{Title: "Ancient", Published: t0.AddDate(-1, 0, 0)})
	r.entries(f.ID, "Fresh")
	r.sync()
	if n := r.total(); n != 1 {
		t.Fatalf("%d articles after the first sync, want 1 (Fresh)", n)
	}
	if sum := r.sync(); sum.New != 0 || sum.Entries != 0 {
		t.Fatalf("the pruned entry came back: %+v", sum)
	}
}
