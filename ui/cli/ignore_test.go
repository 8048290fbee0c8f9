package cli

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tidings/feed/subs"
)

// ignoreServer serves /news: "News story 0" up to stories-1 and, once
// sponsored is set, a sponsored item too.
func ignoreServer(t *testing.T, stories *atomic.Int32, sponsored *atomic.Bool) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/news", func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>`)
		item := func(title, guid string, age time.Duration) {
			fmt.Fprintf(&b, `<item><title>%s</title><guid>%s</guid><pubDate>%s</pubDate><description>Text.</description></item>`,
				title, guid, now.Add(-age).Format(time.RFC1123Z))
		}
		for i := range int(stories.Load()) {
			item(fmt.Sprintf("News story %d", i), fmt.Sprint("n", i), time.Duration(i+2)*time.Minute)
		}
		if sponsored.Load() {
			item("Sponsored: buy now", "ad", time.Minute)
		}
		b.WriteString(`</channel></rss>`)
		io.WriteString(w, b.String())
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func setIgnore(t *testing.T, e Env, rules ...string) {
	t.Helper()
	cfg, _, _, err := subs.Load(e.ConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Ignore = nil
	for _, r := range rules {
		cfg.Ignore = append(cfg.Ignore, subs.Rule{Query: r})
	}
	if err := cfg.Save(e.ConfigPath); err != nil {
		t.Fatal(err)
	}
}

// TestIgnoreRulesDuringRefresh: a rule in force hides the article a
// refresh brings, from list and from the counts; list --ignored shows it
// with its rule; removing the rule brings it back at the next open.
func TestIgnoreRulesDuringRefresh(t *testing.T) {
	var stories atomic.Int32
	var sponsored atomic.Bool
	stories.Store(2)
	srv := ignoreServer(t, &stories, &sponsored)
	e, _, _ := testEnv(t)
	var out strings.Builder
	e.Stdout = &out
	ctx := t.Context()
	if err := e.Add(ctx, srv.URL+"/news"); err != nil {
		t.Fatal(err)
	}
	setIgnore(t, e, "feed:news title:sponsored")
	if err := e.Fetch(ctx); err != nil {
		t.Fatal(err)
	}
	stories.Store(3)
	sponsored.Store(true)
	if err := e.Fetch(ctx); err != nil {
		t.Fatal(err)
	}
	want := []string{"News story 0", "News story 1", "News story 2"}
	e.Feeds = []string{srv.URL + "/news"} // the bundled articles aside
	if got := listTitles(t, e, &out, ListOptions{}); !slices.Equal(got, want) {
		t.Errorf("list: %q, want %q", got, want)
	}
	if got := listTitles(t, e, &out, ListOptions{Unread: true}); !slices.Equal(got, want) {
		t.Errorf("list --unread: %q, want %q", got, want)
	}
	e.Feeds = nil
	checkFeedsUnread(t, e, &out, 3)
	e.Feeds = []string{srv.URL + "/news"}
	if got := listTitles(t, e, &out, ListOptions{Ignored: true}); !slices.Equal(got, []string{"Sponsored: buy now"}) {
		t.Errorf("list --ignored: %q", got)
	}
	out.Reset()
	if err := e.List(ctx, ListOptions{Ignored: true, Limit: 50}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Sponsored: buy now") || !strings.Contains(out.String(), "ignored by feed:news title:sponsored") {
		t.Errorf("list --ignored does not name the rule:\n%s", out.String())
	}

	e.Feeds = nil
	setIgnore(t, e)
	if err := e.Fetch(ctx); err != nil {
		t.Fatal(err)
	}
	e.Feeds = []string{srv.URL + "/news"}
	want = append([]string{"Sponsored: buy now"}, want...)
	if got := listTitles(t, e, &out, ListOptions{}); !slices.Equal(got, want) {
		t.Errorf("rule removed: list %q, want %q", got, want)
	}
	e.Feeds = nil
	checkFeedsUnread(t, e, &out, 4)
	if got := listTitles(t, e, &out, ListOptions{Ignored: true}); len(got) != 0 {
		t.Errorf("rule removed: list --ignored %q", got)
	}
}

// checkFeedsUnread checks the count of articles "tidings feeds" prints
// for the feed (all unread here).
func checkFeedsUnread(t *testing.T, e Env, out *strings.Builder, unread int) {
	t.Helper()
	out.Reset()
	if err := e.ListFeeds(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if f := strings.Fields(line); len(f) > 4 && f[0] == "News" && f[3] != fmt.Sprint(unread) {
			t.Errorf("tidings feeds, want %d articles:\n%s", unread, out.String())
		}
	}
}

// TestIgnoredListGolden: the reader's list, as a snapshot, without the
// ignored article.
func TestIgnoredListGolden(t *testing.T) {
	var stories atomic.Int32
	var sponsored atomic.Bool
	stories.Store(3)
	sponsored.Store(true)
	srv := ignoreServer(t, &stories, &sponsored)
	e, out, _ := testEnv(t)
	if err := e.Add(t.Context(), srv.URL+"/news"); err != nil {
		t.Fatal(err)
	}
	setIgnore(t, e, "title:sponsored")
	if err := e.Fetch(t.Context()); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := e.Snapshot(t.Context(), SnapshotOptions{Width: 80, Height: 12}); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "ignored-list.golden")
	if os.Getenv("TIDINGS_UPDATE_GOLDEN") != "" {
		os.WriteFile(golden, out.Bytes(), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != string(want) {
		t.Errorf("snapshot:\n%s\nwant:\n%s", out, want)
	}
}
