package parse

import (
	"strings"
	"testing"
	"time"

	"tidings/articles/articlestest"
)

// TestConvertEntryPassesTheGates: an entry a hostile server sends comes
// out as safe as a hostile feed's item.
func TestConvertEntryPassesTheGates(t *testing.T) {
	e := Entry{
		FeedURL:   "https://feed.example/rss",
		Source:    "Feed <b>bold</b>\x1b]0;title\x07",
		Title:     strings.Repeat("long title ", 100_000) + "\x1b[2J",
		Link:      "javascript:alert(1)",
		Author:    "Mallory\x1b[5m",
		HTML:      `<p>Hi <a href="javascript:alert(1)">x</a> <a href="/rel">rel</a> &#27;[31m <img src=x alt="&#x1b;]52;c;eA==&#7;"></p>` + "\x1b]8;;https://evil.example\x07",
		Published: time.Date(2026, 11, 30, 10, 0, 0, 0, time.FixedZone("x", 3600)),
	}
	a := Convert(e)
	for name, s := range map[string]string{"title": a.Title, "source": a.Source, "author": a.Author, "link": a.Link, "body": a.Body} {
		if bad, found := articlestest.UnsafeInText(s); found {
			t.Errorf("%s holds %s: %q", name, bad, s[:min(len(s), 200)])
		}
	}
	if a.Link != "" {
		t.Errorf("a javascript: link was kept: %q", a.Link)
	}
	if n := len([]rune(a.Title)); n > titleStoredMax {
		t.Errorf("title of %d characters", n)
	}
	if !strings.Contains(a.Body, "https://feed.example/rel") || strings.Contains(a.Body, "javascript:") {
		t.Errorf("body links: %q", a.Body)
	}
	if a.Source != "Feed bold" || a.Published.Location() != time.UTC {
		t.Errorf("source %q, published %v", a.Source, a.Published)
	}
	if got := Convert(Entry{HTML: "<p>Only a body here</p>"}).Title; got != "Only a body here" {
		t.Errorf("untitled entry: title %q", got)
	}
}
