package cli

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tidings/articles"
	"tidings/feed/subs"
)

// TestReadersAndFetchShareTheDatabase: a second reader opens the database
// to write beside the first, and a fetch beside both runs; only a fetch
// during another refresh stops, saying so, and succeeds.
func TestReadersAndFetchShareTheDatabase(t *testing.T) {
	srv := newServer(t)
	e, out, _ := testEnv(t)
	ctx := t.Context()
	if err := e.Add(ctx, srv.URL+"/world"); err != nil {
		t.Fatal(err)
	}
	first, rd1, err := e.openStore(ctx, forReader, defaultSetup())
	if err != nil || rd1.readOnly {
		t.Fatalf("first reader: read-only %v, %v", rd1.readOnly, err)
	}
	defer first.Close()
	second, rd2, err := e.openStore(ctx, forReader, defaultSetup())
	if err != nil || rd2.readOnly {
		t.Fatalf("second reader: read-only %v, %v", rd2.readOnly, err)
	}
	defer second.Close()
	if err := e.Fetch(ctx); err != nil {
		t.Fatalf("fetch beside two readers: %v", err)
	}
	p, err := second.Page(ctx, articles.Query{}, 0, 10)
	if err != nil || p.Total != 5 {
		t.Fatalf("the second reader sees %d articles (%v), want 5", p.Total, err)
	}
	if err := first.SetStarred(ctx, p.Rows[0].ID, true); err != nil {
		t.Errorf("the first reader marks: %v", err)
	}
	if err := second.SetRead(ctx, []string{p.Rows[1].ID}, true); err != nil {
		t.Errorf("the second reader marks: %v", err)
	}

	release, err := first.LockRefresh()
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	out.Reset()
	if err := e.Fetch(ctx); err != nil {
		t.Fatalf("fetch during a refresh: %v, want success", err)
	}
	if !strings.Contains(out.String(), "a refresh is already running (process") || !strings.Contains(out.String(), "its articles will appear") {
		t.Errorf("fetch during a refresh printed %q", out.String())
	}
	got, _ := first.Page(ctx, articles.Query{}, 0, 10)
	if !got.Rows[0].Starred || !got.Rows[1].Read {
		t.Errorf("a mark was lost: %+v", got.Rows[:2])
	}
}

// TestReaderRefreshWaitsForAnother: R in the reader while another process
// refreshes starts nothing and says which process runs it.
func TestReaderRefreshWaitsForAnother(t *testing.T) {
	e, _, _ := testEnv(t)
	ctx := t.Context()
	s, _, err := e.openStore(ctx, forWrite, defaultSetup())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	other, _, err := e.openStore(ctx, forWrite, defaultSetup())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	release, err := other.LockRefresh()
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	opts := e.readerOptions(ctx, s, setup{subs: subs.DefaultFeeds()}, opened{})
	_, results, err := opts.Refresher.Start(ctx, nil)
	if results != nil || err == nil || !strings.Contains(err.Error(), "a refresh is already running (process") {
		t.Errorf("refresh beside another: %v", err)
	}
}

// TestReaderReadsSubscriptionsAgain: a feed added while the reader is open
// is refreshed by the next R and listed by F; a file broken meanwhile
// keeps the subscriptions read before, and says where it is broken.
func TestReaderReadsSubscriptionsAgain(t *testing.T) {
	e, _, _ := testEnv(t)
	ctx := t.Context()
	if err := e.Add(ctx, "https://a.example/feed"); err != nil {
		t.Fatal(err)
	}
	st, err := e.load()
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := e.openStore(ctx, forWrite, st)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	opts := e.readerOptions(ctx, s, st, opened{})
	r := opts.Refresher.(*uiRefresher)
	if err := e.Add(ctx, "https://b.example/feed"); err != nil {
		t.Fatal(err)
	}
	if picked, err := r.pick(nil); err != nil || len(picked) != 2 {
		t.Errorf("after tidings add the reader refreshes %d feeds (%v), want 2", len(picked), err)
	}
	if changed, err := opts.Watch(ctx); err != nil || !changed {
		t.Errorf("the watcher did not see the new subscription (%v)", err)
	}
	if statuses, _ := opts.Feeds(ctx); len(statuses) != 2 {
		t.Errorf("the feeds view lists %d feeds, want 2", len(statuses))
	}
	broken := "[[feeds]]\nurl = \"https://a.example/feed\"\n[[feeds]\nurl = 3\n"
	if err := os.WriteFile(e.ConfigPath, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	picked, err := r.pick(nil)
	if len(picked) != 2 || err == nil || !strings.Contains(err.Error(), filepath.Base(e.ConfigPath)+":4") {
		t.Errorf("a broken file: %d feeds, %v; want the 2 read before and an error naming line 4", len(picked), err)
	}
}

// TestOldSchemaDuringARefreshOpensReadOnly: a reader that would have to
// upgrade the database while another tidings refreshes it reads it as it
// is.
func TestOldSchemaDuringARefreshOpensReadOnly(t *testing.T) {
	e, _, _ := testEnv(t)
	ctx := t.Context()
	other, _, err := e.openStore(ctx, forWrite, defaultSetup())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	release, err := other.LockRefresh()
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	setUserVersion(t, e.DBPath, 1)
	s, rd, err := e.openStore(ctx, forReader, defaultSetup())
	if err != nil || !rd.readOnly {
		t.Fatalf("reader of an old schema during a refresh: read-only %v, %v", rd.readOnly, err)
	}
	s.Close()
}

// setUserVersion makes the database look as an older tidings left it.
func setUserVersion(t *testing.T, path string, v int) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
		t.Fatal(err)
	}
}
