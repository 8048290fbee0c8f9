package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"tidings/feed/remote"
	"tidings/feed/remote/remotetest"
	"tidings/feed/subs"
	"tidings/ui"
)

// syncEnv is an Env whose config.toml has a [sync] table and whose feed
// server is a remotetest.Fake.
func syncEnv(t *testing.T, extra string) (Env, *remotetest.Fake, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	e, out, errOut := testEnv(t)
	fake := &remotetest.Fake{Now: func() time.Time { return now }}
	e.Dial = func(cfg subs.Sync) (remote.Server, error) { return fake, nil }
	if err := os.MkdirAll(filepath.Dir(e.ConfigPath), 0o755); err != nil {
		t.Fatal(err)
	}
	text := "[sync]\nkind = \"miniflux\"\nurl = \"https://rss.example.org\"\nsecret_command = \"pass show miniflux\"\n" + extra
	if err := os.WriteFile(e.ConfigPath, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return e, fake, out, errOut
}

func addEntries(fake *remotetest.Fake, feedID string, titles ...string) []string {
	var ids []string
	for _, title := range titles {
		ids = append(ids, fake.AddEntry(feedID, remote.Entry{Title: title, URL: "https://news.example/" + strings.ReplaceAll(title, " ", "-"),
			Content: "<p>" + title + " in full.</p>", Published: now.Add(-time.Hour)}))
	}
	return ids
}

// TestSyncCommand: tidings sync brings the server's feeds and articles,
// says so in a line, and a second sync with nothing new brings none.
func TestSyncCommand(t *testing.T) {
	e, fake, out, _ := syncEnv(t, "")
	ctx := t.Context()
	f := fake.AddFeed("https://news.example/feed", "Server News", "World")
	fake.SetFeedError(fake.AddFeed("https://broken.example/feed", "Broken", "").ID, "404 Not Found")
	addEntries(fake, f.ID, "Harbour reopens", "Rain at last")
	if err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	want := "ok     miniflux at https://rss.example.org: 2 feeds, 2 new articles, 1 feed failing on the server\n" +
		"       the server fails to fetch https://broken.example/feed: 404 Not Found\n"
	if out.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", out, want)
	}
	out.Reset()
	if err := e.Sync(ctx); err != nil || !strings.Contains(out.String(), "0 new articles") {
		t.Fatalf("%v\n%s", err, out)
	}
	out.Reset()
	if err := e.List(ctx, ListOptions{Limit: 10, Tags: []string{"World"}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Harbour reopens") || !strings.Contains(out.String(), "Rain at last") {
		t.Fatalf("list --tag World:\n%s", out)
	}
}

// TestSyncDownKeepsMarksAndSays: the server does not answer: one calm
// line, exit status 1, the marks wait; --status says so; the next sync
// that works sends them.
func TestSyncDownKeepsMarksAndSays(t *testing.T) {
	e, fake, out, _ := syncEnv(t, "")
	ctx := t.Context()
	f := fake.AddFeed("https://news.example/feed", "Server News", "")
	ids := addEntries(fake, f.ID, "Harbour reopens")
	if err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	id := articleID(t, e, "Harbour reopens")
	markRead(t, e, id)
	fake.Fail = remotetest.Down(fake)
	out.Reset()
	if err := e.Sync(ctx); !errors.Is(err, ErrAllFailed) {
		t.Fatalf("%v", err)
	}
	if got := out.String(); got != "error  fake at https://server.test: no answer\n" {
		t.Fatalf("%q", got)
	}
	out.Reset()
	if err := e.SyncStatus(ctx); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Syncs with miniflux at https://rss.example.org (", "config.toml:1)", "Last sync that worked: ",
		"Last try: ", ": fake at https://server.test: no answer", "Marks waiting for the server: 1"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("status lacks %q:\n%s", want, out)
		}
	}
	fake.Fail = nil
	if err := e.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if read, _ := fake.State(ids[0]); !read {
		t.Fatal("the mark made while the server was down never reached it")
	}
}

// markRead marks an article read, as the reader does.
func markRead(t *testing.T, e Env, id string) {
	t.Helper()
	s, _, err := e.openStore(t.Context(), forWrite, defaultSetup())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SetRead(t.Context(), []string{id}, true); err != nil {
		t.Fatal(err)
	}
}

// TestSubscriptionsOnTheServer: add, remove and import change the
// server's subscriptions; a local file stays in config.toml; feeds lists
// the server's with their categories and errors.
func TestSubscriptionsOnTheServer(t *testing.T) {
	e, fake, out, _ := syncEnv(t, "")
	ctx := t.Context()
	if err := e.Add(ctx, "https://news.example/feed"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Subscribed to https://news.example/feed on miniflux at https://rss.example.org (1 feed there)") {
		t.Fatalf("%s", out)
	}
	opml := filepath.Join(t.TempDir(), "feeds.opml")
	os.WriteFile(opml, []byte(`<opml version="2.0"><body><outline text="Tech">
		<outline type="rss" text="A" xmlUrl="https://a.example/feed"/>
		<outline type="rss" text="Again" xmlUrl="https://news.example/feed"/>
		<outline type="rss" text="Local" xmlUrl="./local.xml"/></outline></body></opml>`), 0o644)
	out.Reset()
	if err := e.Import(ctx, opml); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "to miniflux at https://rss.example.org: 1 added, 1 already there, 0 failed, 1 skipped.") {
		t.Fatalf("%s", out)
	}
	feeds, _ := fake.Feeds(ctx)
	if len(feeds) != 2 || feeds[1].Category != "Tech" {
		t.Fatalf("server feeds %+v", feeds)
	}
	cfg, _, _, err := subs.Load(e.ConfigPath)
	if err != nil || len(cfg.Feeds) != 0 || cfg.Sync == nil {
		t.Fatalf("config %+v %v", cfg, err)
	}
	out.Reset()
	if err := e.Remove(ctx, "https://news.example/feed"); err != nil {
		t.Fatal(err)
	}
	if feeds, _ := fake.Feeds(ctx); len(feeds) != 1 {
		t.Fatalf("after remove: %+v", feeds)
	}
	out.Reset()
	if err := e.ListFeeds(ctx); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Subscriptions on miniflux at https://rss.example.org", "TAGS", "Tech", "https://a.example/feed"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("feeds lacks %q:\n%s", want, out)
		}
	}
}

// TestFetchSyncsAndFetchesLocalFeeds: tidings fetch syncs, then fetches
// the file's feeds the server does not have; one the server has is not
// fetched twice.
func TestFetchSyncsAndFetchesLocalFeeds(t *testing.T) {
	srv := newServer(t)
	e, fake, out, _ := syncEnv(t, "\n[[feeds]]\nurl = \""+srv.URL+"/world\"\n\n[[feeds]]\nurl = \""+srv.URL+"/tech\"\n")
	ctx := t.Context()
	f := fake.AddFeed(srv.URL+"/tech", "Tech on the server", "")
	addEntries(fake, f.ID, "From the server")
	if err := e.Fetch(ctx); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "ok     miniflux at https://rss.example.org: 1 feed, 1 new article") ||
		!strings.Contains(lines[1], "/world): 3 new") {
		t.Fatalf("%q", lines)
	}
}

// TestNoSyncTable: tidings sync without [sync] says how to set one up.
func TestNoSyncTable(t *testing.T) {
	e, _, _ := testEnv(t)
	err := e.Sync(t.Context())
	if err == nil || !strings.Contains(err.Error(), "has no [sync] table: the README's Sync section") {
		t.Fatalf("%v", err)
	}
}

// TestReaderSyncs: the reader's refresh syncs with the server beside the
// file's own feeds; its feeds view lists the server's feeds with their
// categories, and the file's.
func TestReaderSyncs(t *testing.T) {
	srv := newServer(t)
	e, fake, _, _ := syncEnv(t, "\n[[feeds]]\nurl = \""+srv.URL+"/world\"\n")
	ctx := t.Context()
	f := fake.AddFeed("https://news.example/feed", "Server News", "World")
	addEntries(fake, f.ID, "Harbour reopens")
	st, err := e.load()
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := e.openStore(ctx, forReader, st)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	opts := e.readerOptions(ctx, s, st, opened{})
	if statuses, _ := opts.Feeds(ctx); len(statuses) != 1 {
		t.Fatalf("before the first sync, the feeds view lists %d feeds, want the file's 1", len(statuses))
	}
	feeds, results, err := opts.Refresher.Start(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(feeds) != 2 || feeds[0] != "https://rss.example.org" || opts.Refresher.(ui.Syncer).SyncURL() != feeds[0] {
		t.Fatalf("refreshing %q", feeds)
	}
	var server, local int
	for res := range results {
		switch {
		case res.Server && res.Err == nil && res.New == 1:
			server++
		case !res.Server && res.Err == nil && res.New == 3:
			local++
		default:
			t.Errorf("unexpected result %+v", res)
		}
	}
	opts.Refresher.(*uiRefresher).wait()
	if server != 1 || local != 1 {
		t.Fatalf("%d syncs, %d feeds", server, local)
	}
	statuses, err := opts.Feeds(ctx)
	if err != nil || len(statuses) != 2 || statuses[0].URL != "https://news.example/feed" || statuses[0].Tags[0] != "World" {
		t.Fatalf("%+v %v", statuses, err)
	}
}

// TestSyncProgressOnATerminal: on a terminal a sync shows its progress on
// one line of stderr, cleared at the end; in a pipe (cron), nothing.
func TestSyncProgressOnATerminal(t *testing.T) {
	e, _, _, errOut := syncEnv(t, "")
	a := e.newAccount(subs.Config{Sync: &subs.Sync{Kind: "miniflux", URL: "https://rss.example.org"}})
	if progress, _ := e.syncProgress(a); progress != nil || errOut.Len() != 0 {
		t.Fatal("progress in a pipe")
	}
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	e.Stderr = tty
	progress, done := e.syncProgress(a)
	progress(remote.Progress{Step: "entries", Entries: 2500})
	done()
	buf := make([]byte, 256)
	n, _ := ptmx.Read(buf)
	want := "\r\x1b[Ksyncing with miniflux at https://rss.example.org: entries, 2,500 articles so far"
	if got := string(buf[:n]); !strings.HasPrefix(got, want) {
		t.Fatalf("%q, want %q…", got, want)
	}
}
