package ui

import (
	tea "charm.land/bubbletea/v2"
	"context"
	"errors"
	"fmt"
	"github.com/charmbracelet/x/ansi"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"tidings/articles"
	"tidings/articles/articlestest"
	"tidings/feed"
	"tidings/feed/subs"
)

const (
	worldURL  = "https://world.example/rss"
	techURL   = "https://tech.example/atom"
	brokenURL = "https://broken.example/feed"
)

// fetchedStore holds the bundled articles and some from two feeds.
func fetchedStore(t testing.TB) *articlestest.MemStore {
	t.Helper()
	s := bundledStore(t)
	for i, title := range []string{"Ceasefire talks resume in Geneva", "Floods displace thousands in the delta", "Central bank holds rates"} {
		s.Add(articles.Article{ID: fmt.Sprintf("w%d", i), Feed: worldURL, Source: "World Wire", Title: title,
			Link: fmt.Sprintf("https://world.example/%d", i), Published: testNow.Add(-time.Duration(i+1) * time.Hour),
			Body: "Reporting from the scene.\n\n- one\n- two\n"})
	}
	for i, title := range []string{"A new **compiler** release", "`go test` gets faster"} {
		s.Add(articles.Article{ID: fmt.Sprintf("t%d", i), Feed: techURL, Source: "Tech Daily", Title: title,
			Published: testNow.Add(-time.Duration(i+2) * 24 * time.Hour), Body: "Details inside."})
	}
	return s
}

func statuses() []subs.Status {
	return []subs.Status{
		{Subscription: subs.Subscription{URL: worldURL, Tags: []string{"world"}},
			State: articles.FeedState{URL: worldURL, Title: "World Wire", LastFetch: testNow.Add(-5 * time.Minute), LastOK: testNow.Add(-5 * time.Minute), Total: 3, Unread: 3}},
		{Subscription: subs.Subscription{URL: techURL, Title: "Tech Daily", Tags: []string{"tech"}},
			State: articles.FeedState{URL: techURL, LastFetch: testNow.Add(-time.Hour), LastOK: testNow.Add(-time.Hour), Total: 2, Unread: 2}},
		{Subscription: subs.Subscription{URL: brokenURL, Tags: []string{"world"}},
			State: articles.FeedState{URL: brokenURL, LastFetch: testNow.Add(-5 * time.Minute), LastOK: testNow.Add(-72 * time.Hour),
				LastError: "fetch https://broken.example/feed: 404 Not Found"}},
		{Subscription: subs.Subscription{URL: "https://new.example/rss"}},
	}
}

// fakeRefresher "fetches" by adding articles to the store.
type fakeRefresher struct {
	store   *articlestest.MemStore
	results []feed.Result
	add     []articles.Article
	asked   [][]string
	refuse  error // nothing starts, as when another process refreshes
	warn    error // starts, with a warning
}

func (f *fakeRefresher) Start(_ context.Context, urls []string) ([]string, <-chan feed.Result, error) {
	f.asked = append(f.asked, urls)
	if f.refuse != nil {
		return nil, nil, f.refuse
	}
	f.store.Add(f.add...)
	ch := make(chan feed.Result, len(f.results))
	feeds := make([]string, len(f.results))
	for i, r := range f.results {
		ch <- r
		feeds[i] = r.URL
	}
	close(ch)
	return feeds, ch, f.warn
}

func fetchedOptions(t testing.TB, s *articlestest.MemStore) Options {
	opts := testOptions(s)
	opts.Feeds = func(context.Context) ([]subs.Status, error) { return statuses(), nil }
	return opts
}

func TestFetchedViews(t *testing.T) {
	tests := []struct {
		name string
		w, h int
		keys string
	}{
		{"list_80x24", 80, 24, ""},
		{"list_120x40", 120, 40, ""},
		{"feeds_80x24", 80, 24, "F"},
		{"feeds_error_120x40", 120, 40, "F j j j j"},
		{"feed_filter_120x40", 120, 40, "F j j j j j enter"},
		{"tag_filter_80x24", 80, 24, "F j enter"},
		{"unread_only_80x24", 80, 24, "enter esc j enter esc U"},
		{"starred_only_80x24", 80, 24, "j j s S"},
		{"read_and_starred_100x30", 100, 30, "enter j s j u"},
		{"markdown_title_literal_120x40", 120, 40, "G k enter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := drive(t, New(fetchedOptions(t, fetchedStore(t))), tt.w, tt.h, tt.keys)
			checkFrame(t, m.frame(), tt.w, tt.h)
			golden.RequireEqual(t, plain(t, m))
		})
	}
}

func TestReadAndStarState(t *testing.T) {
	s := fetchedStore(t)
	m := drive(t, New(fetchedOptions(t, s)), 100, 30, "enter esc j s u u u")
	a, _ := s.Article(t.Context(), "w0")
	if !a.Read {
		t.Error("opening an article did not mark it read")
	}
	b, _ := s.Article(t.Context(), "w1")
	if !b.Starred || !b.Read {
		t.Errorf("w1 starred %v read %v; want starred and read (u three times)", b.Starred, b.Read)
	}
	if m.all.Unread != 5 {
		t.Errorf("top bar unread %d, want 5", m.all.Unread)
	}
	m = drive(t, New(fetchedOptions(t, s)), 100, 30, "F j enter A")
	for _, id := range []string{"w0", "w1", "w2"} {
		if a, _ := s.Article(t.Context(), id); !a.Read {
			t.Errorf("%s unread after A on the world tag", id)
		}
	}
	if a, _ := s.Article(t.Context(), "t0"); a.Read {
		t.Error("A marked an article outside the filter read")
	}
	if !strings.Contains(m.status.text, "Marked 1 article read") {
		t.Errorf("status %q", m.status.text)
	}
}

func TestRefreshFromTheReader(t *testing.T) {
	s := fetchedStore(t)
	r := &fakeRefresher{store: s,
		add: []articles.Article{{ID: "w9", Feed: worldURL, Source: "World Wire", Title: "Breaking: talks end", Published: testNow}},
		results: []feed.Result{
			{URL: worldURL, Title: "World Wire", New: 1},
			{URL: brokenURL, Err: errors.New("fetch https://broken.example/feed: 404 Not Found")},
		}}
	opts := fetchedOptions(t, s)
	opts.Refresher = r
	m := drive(t, New(opts), 100, 30, "j R")
	if m.refresh.running || m.all.Total != 8 {
		t.Errorf("running %v total %d, want done with 8 articles", m.refresh.running, m.all.Total)
	}
	if want := "Refreshed 2 feeds: 1 new, 1 failed (F shows why)"; m.status.text != want {
		t.Errorf("status %q, want %q", m.status.text, want)
	}
	if sel, _ := m.list.selected(); sel.ID != "w1" {
		t.Errorf("selection moved to %q when an article arrived above it", sel.ID)
	}
	golden.RequireEqual(t, plain(t, m))

	m = drive(t, New(opts), 100, 30, "j r")
	if got := r.asked[len(r.asked)-1]; len(got) != 1 || got[0] != worldURL {
		t.Errorf("r refreshed %v, want the selected article's feed", got)
	}
	m = drive(t, New(opts), 100, 30, "G r")
	if !strings.Contains(m.status.text, "no feed to refresh") {
		t.Errorf("r on a bundled article: %q", m.status.text)
	}
}

func TestRefreshOffline(t *testing.T) {
	opts := fetchedOptions(t, fetchedStore(t))
	opts.NoRefresh = "Offline (--offline): not fetching"
	m := drive(t, New(opts), 80, 24, "R")
	if m.status.text != opts.NoRefresh {
		t.Errorf("status %q", m.status.text)
	}
	offline := refreshState{total: 3, failed: 3, offline: 3}
	if got := offline.summary("F").text; got != "No network: showing the articles already here" {
		t.Errorf("all feeds unreachable: %q", got)
	}
}

func TestReadOnlyKeepsState(t *testing.T) {
	s := fetchedStore(t)
	opts := fetchedOptions(t, s)
	opts.ReadOnly, opts.NoRefresh = true, "opened read-only"
	// Each mark says it is not kept, opening an article (which marks it
	// read) included: a reader that kept silent would let the user think
	// otherwise.
	for keys, want := range map[string]string{
		"enter":       "The read mark is not kept",
		"enter esc s": "The star is not kept",
		"A":           "The read marks are not kept",
		"u":           "The read mark is not kept",
	} {
		m := drive(t, New(opts), 80, 24, keys)
		if !strings.HasPrefix(m.status.text, want) || !strings.Contains(m.status.text, "read-only") {
			t.Errorf("keys %q: status %q, want %q…", keys, m.status.text, want)
		}
	}
	if a, _ := s.Article(t.Context(), "w0"); a.Read || a.Starred {
		t.Errorf("a read-only reader changed state: read %v starred %v", a.Read, a.Starred)
	}
}

// TestRefreshAtTheTopShowsNewArticles: with the cursor at the top of the
// list, an article that arrives above takes the top and the selection.
func TestRefreshAtTheTopShowsNewArticles(t *testing.T) {
	s := fetchedStore(t)
	r := &fakeRefresher{store: s,
		add:     []articles.Article{{ID: "w9", Feed: worldURL, Source: "World Wire", Title: "Breaking: talks end", Published: testNow}},
		results: []feed.Result{{URL: worldURL, Title: "World Wire", New: 1}}}
	opts := fetchedOptions(t, s)
	opts.Refresher = r
	m := drive(t, New(opts), 100, 30, "R")
	if sel, _ := m.list.selected(); sel.ID != "w9" || m.list.cursor != 0 {
		t.Errorf("selection %q at %d, want the new article at the top", sel.ID, m.list.cursor)
	}
}

// TestRefreshAtStartIsTracked: the refresh New starts shows its progress
// at once, and R meanwhile says a refresh is under way instead of starting
// a second one beside it.
func TestRefreshAtStartIsTracked(t *testing.T) {
	s := fetchedStore(t)
	r := &fakeRefresher{store: s, results: []feed.Result{{URL: worldURL, Title: "World Wire"}}}
	opts := fetchedOptions(t, s)
	opts.Refresher, opts.RefreshOnStart = r, true
	m := New(opts)
	if !m.refresh.running || m.refresh.progress() == "" {
		t.Fatalf("the refresh at start is not tracked: %+v", m.refresh)
	}
	next, cmd := m.Update(tea.KeyPressMsg{Code: 'R', Text: "R"})
	if got := next.(Model).status.text; got != "Already refreshing" {
		t.Errorf("R during the refresh at start: status %q, want \"Already refreshing\"", got)
	}
	if cmd != nil {
		cmd() // whatever R asked for runs now; it must not be a refresh
	}
	if len(r.asked) != 0 {
		t.Errorf("R started a second refresh: %v", r.asked)
	}
}

// TestProgressNamesTheLastFeeds: when few feeds are left, the progress
// line says which hosts the refresh is waiting on.
func TestProgressNamesTheLastFeeds(t *testing.T) {
	r := refreshState{running: true, total: 107, done: 104, pending: map[string]bool{
		"https://slow.example/feed": true, "https://b.example/rss": true, "/home/u/feeds/local.xml": true}}
	if got, want := r.progress(), "⠋ fetching 104/107 · waiting on b.example, 2 more"; got != want {
		t.Errorf("progress %q, want %q", got, want)
	}
	r.pending = map[string]bool{"/home/u/feeds/local.xml": true}
	if got, want := r.progress(), "⠋ fetching 104/107 · waiting on local.xml"; got != want {
		t.Errorf("progress %q, want %q", got, want)
	}
	r.done, r.pending = 10, map[string]bool{"a": true, "b": true, "c": true, "d": true, "e": true, "f": true}
	if got := r.progress(); strings.Contains(got, "waiting") {
		t.Errorf("progress names feeds while many are left: %q", got)
	}
}

// TestFeedDetailsSayAFetchFailed: a feed whose last fetch failed is not
// "fetched 5m ago": the details say it was tried and failed, and when it
// last worked; the error is given once, without the URL again.
func TestFeedDetailsSayAFetchFailed(t *testing.T) {
	m := drive(t, New(fetchedOptions(t, fetchedStore(t))), 100, 30, "F")
	for i, it := range m.feeds.items {
		if it.status != nil && it.status.URL == brokenURL {
			m.feeds.cursor = i
		}
	}
	text := ansi.Strip(strings.Join(m.feedDetails(), "\n"))
	if !strings.Contains(text, "tried 5m ago, failed; last success 3d ago") || strings.Contains(text, "fetched 5m") {
		t.Errorf("details of a failing feed:\n%s", text)
	}
	if !strings.Contains(text, "404 Not Found") || strings.Count(text, brokenURL) != 1 {
		t.Errorf("the error should follow the URL once:\n%s", text)
	}
}

// TestRefreshThatSyncs: a refresh that syncs with a feed server says so;
// a server that failed leads the status line in its own calm words, and
// the reader goes on with the articles already here.
func TestRefreshThatSyncs(t *testing.T) {
	s := fetchedStore(t)
	server := feed.Result{URL: "https://rss.example.org", Title: "miniflux at https://rss.example.org", New: 1, Server: true}
	r := &fakeRefresher{store: s,
		add:     []articles.Article{{ID: "w9", Feed: worldURL, Source: "World Wire", Title: "Breaking: talks end", Published: testNow}},
		results: []feed.Result{server, {URL: worldURL, Title: "World Wire"}}}
	opts := fetchedOptions(t, s)
	opts.Refresher = r
	m := drive(t, New(opts), 100, 30, "R")
	if want := "Synced with miniflux at https://rss.example.org and refreshed 1 feed: 1 new"; m.status.text != want {
		t.Errorf("status %q, want %q", m.status.text, want)
	}
	down := server
	down.New, down.Err = 0, errors.New("miniflux at https://rss.example.org: 401 unauthorized: check the token")
	r.results = []feed.Result{down}
	m = drive(t, New(opts), 100, 30, "R")
	want := "miniflux at https://rss.example.org: 401 unauthorized: check the token: showing the articles already here; marks wait for the next sync"
	if m.status.text != want || !m.status.isErr {
		t.Errorf("status %q, want %q", m.status.text, want)
	}
}

// TestProgressWhileSyncing: while the sync with a feed server runs, the
// progress line says so, and counts the other feeds apart.
func TestProgressWhileSyncing(t *testing.T) {
	server := "https://rss.example.org"
	r := refreshState{running: true, total: 3, syncURL: server,
		pending: map[string]bool{server: true, worldURL: true, brokenURL: true}}
	if got := r.progress(); got != "⠋ syncing with rss.example.org · fetching 0/2" {
		t.Errorf("%q", got)
	}
	r.total, r.pending = 1, map[string]bool{server: true}
	if got := r.progress(); got != "⠋ syncing with rss.example.org" {
		t.Errorf("sync alone: %q", got)
	}
	delete(r.pending, server)
	r.done = 1
	if got := r.progress(); strings.Contains(got, "syncing") {
		t.Errorf("after the sync: %q", got)
	}
}
