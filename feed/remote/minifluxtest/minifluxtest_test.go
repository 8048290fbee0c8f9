package minifluxtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	miniflux "miniflux.app/v2/client"
)

// TestMinifluxStarts runs the harness end to end: a feed created and
// refreshed through the REST API, its entries listed, the same feed seen
// through the Google Reader API, and still there after a restart.
func TestMinifluxStarts(t *testing.T) {
	feeds := NewFeedServer(t)
	feeds.Add("/a.xml", Item{GUID: "one", Title: "First", HTML: "<p>one</p>"},
		Item{GUID: "two", Title: "Second", HTML: "<p>two</p>"})
	s := Start(t)
	c := s.Client()

	feedID, err := c.CreateFeed(&miniflux.FeedCreationRequest{FeedURL: feeds.URL("/a.xml")})
	if err != nil {
		t.Fatalf("create feed: %v", err)
	}
	assertEntries(t, c, feedID, "First", "Second")

	feeds.Add("/a.xml", Item{GUID: "three", Title: "Third"})
	if err := c.RefreshFeed(feedID); err != nil {
		t.Fatalf("refresh feed %d: %v", feedID, err)
	}
	assertEntries(t, c, feedID, "First", "Second", "Third")
	assertGReaderSubscription(t, s, feeds.URL("/a.xml"))
	assertFetchError(t, c, feeds, feedID)

	s.Stop()
	if _, err := c.Feeds(); err == nil {
		t.Fatal("REST call answered while Miniflux was stopped")
	}
	s.Start()
	assertEntries(t, c, feedID, "First", "Second", "Third")
	assertGReaderSubscription(t, s, feeds.URL("/a.xml"))
}

// assertEntries checks the feed's entries are the titles given, oldest
// first.
func assertEntries(t *testing.T, c *miniflux.Client, feedID int64, titles ...string) {
	t.Helper()
	res, err := c.FeedEntries(feedID, &miniflux.Filter{Order: "published_at", Direction: "asc"})
	if err != nil {
		t.Fatalf("list entries of feed %d: %v", feedID, err)
	}
	var got []string
	for _, e := range res.Entries {
		got = append(got, e.Title)
	}
	if strings.Join(got, "|") != strings.Join(titles, "|") {
		t.Fatalf("entries of feed %d: got %q, want %q", feedID, got, titles)
	}
}

// assertFetchError breaks the feed and checks that Miniflux reports the
// fetch error on it (what "tidings feeds" shows), then mends it.
func assertFetchError(t *testing.T, c *miniflux.Client, feeds *FeedServer, feedID int64) {
	t.Helper()
	feeds.Break("/a.xml", http.StatusInternalServerError)
	defer feeds.Break("/a.xml", 0)
	// The refresh of one feed is synchronous and answers the fetch error.
	if err := c.RefreshFeed(feedID); err == nil {
		t.Fatalf("refresh of feed %d answering 500: no error", feedID)
	}
	f, err := c.Feed(feedID)
	if err != nil {
		t.Fatalf("get feed %d: %v", feedID, err)
	}
	if f.ParsingErrorCount != 1 || f.ParsingErrorMsg == "" {
		t.Fatalf("feed %d after a 500: parsing_error_count %d, message %q; want 1 and a message",
			feedID, f.ParsingErrorCount, f.ParsingErrorMsg)
	}
	t.Logf("a feed answering 500: parsing_error_message %q", f.ParsingErrorMsg)
}

// assertGReaderSubscription logs in by ClientLogin and finds feedURL in
// subscription/list.
func assertGReaderSubscription(t *testing.T, s *Server, feedURL string) {
	t.Helper()
	tok, err := s.GReaderLogin()
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, s.GReaderURL+"/subscription/list?output=json", nil)
	req.Header.Set("Authorization", "GoogleLogin auth="+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("subscription/list: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var list struct {
		Subscriptions []struct{ ID, Title, URL string }
	}
	if err := json.Unmarshal(body, &list); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("subscription/list: %s %v: %s", resp.Status, err, body)
	}
	for _, sub := range list.Subscriptions {
		if sub.URL == feedURL && strings.HasPrefix(sub.ID, "feed/") {
			return
		}
	}
	t.Fatalf("subscription/list has no %s: %s", feedURL, fmt.Sprint(list.Subscriptions))
}
