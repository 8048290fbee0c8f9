package subs

import (
	"testing"
	"time"

	"tidings/articles"
)

func TestStatusFetchedAndProblem(t *testing.T) {
	t0 := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	when := func(t time.Time) string { return t.Format("15:04") }
	const u = "https://a.example/feed"
	tests := []struct {
		name          string
		state         articles.FeedState
		fetched, prob string
	}{
		{"new", articles.FeedState{}, "never fetched", ""},
		{"ok", articles.FeedState{LastFetch: t0, LastOK: t0}, "fetched 12:00", ""},
		{"never worked", articles.FeedState{LastFetch: t0, LastError: "fetch " + u + ": 404 Not Found"},
			"tried 12:00, failed; never fetched successfully", "404 Not Found"},
		{"worked before", articles.FeedState{LastFetch: t0, LastOK: t0.Add(-2 * time.Hour), LastError: "fetch " + u + ": timeout"},
			"tried 12:00, failed; last success 10:00", "timeout"},
		{"other error", articles.FeedState{LastFetch: t0, LastError: "save: disk full"},
			"tried 12:00, failed; never fetched successfully", "save: disk full"},
	}
	for _, tt := range tests {
		st := Status{Subscription: Subscription{URL: u}, State: tt.state}
		if got := st.Fetched(when); got != tt.fetched {
			t.Errorf("%s: Fetched = %q, want %q", tt.name, got, tt.fetched)
		}
		if got := st.Problem(); got != tt.prob {
			t.Errorf("%s: Problem = %q, want %q", tt.name, got, tt.prob)
		}
	}
}
