package subs

import (
	"strings"
	"time"

	"tidings/articles"
	"tidings/articles/termsafe"
)

// Status is a subscription with what the store knows of it.
type Status struct {
	Subscription
	State articles.FeedState // zero if never fetched
}

// Title is the name to show: the user's, else the feed's, else its URL in
// [DisplayURL]'s form.
func (s Status) Title() string {
	switch {
	case s.Subscription.Title != "":
		return s.Subscription.Title
	case s.State.Title != "":
		return s.State.Title
	}
	return DisplayURL(s.URL)
}

// Health is one word for the feed's state: "new" (never fetched), "ok",
// "error", "gone" or "waiting".
func (s Status) Health() string {
	switch {
	case s.State.Gone:
		return "gone"
	case s.State.LastError != "" && !s.State.RetryAfter.IsZero():
		return "waiting"
	case s.State.LastError != "":
		return "error"
	case s.State.LastFetch.IsZero():
		return "new"
	}
	return "ok"
}

// Statuses joins subscriptions with the store's feed states, in the
// subscriptions' order.
func Statuses(subs []Subscription, states []articles.FeedState) []Status {
	byURL := make(map[string]articles.FeedState, len(states))
	for _, st := range states {
		byURL[st.URL] = st
	}
	out := make([]Status, len(subs))
	for i, sub := range subs {
		out[i] = Status{Subscription: sub, State: byURL[sub.URL]}
	}
	return out
}

// Problem is the last fetch's error without the "fetch URL: " the refresh
// puts before it: wherever it is shown the feed is already named, and
// the URL three times in a line hides the reason. Empty when the last
// fetch succeeded.
func (s Status) Problem() string {
	msg := s.State.LastError
	for _, u := range []string{s.URL, termsafe.Line(s.URL), s.State.URL} {
		if u == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(msg, "fetch "+u+": "); ok {
			return rest
		}
	}
	return msg
}

// Fetched says when the feed was last fetched and whether that worked,
// with times as when writes them ("5m ago", "2026-11-26 12:00"):
//
//	never fetched
//	fetched 5m ago
//	tried 5m ago, failed; last success 2h ago
//	tried 5m ago, failed; never fetched successfully
//
// A failed attempt never reads as "fetched": the articles shown are as
// old as the last success.
func (s Status) Fetched(when func(time.Time) string) string {
	st := s.State
	switch {
	case st.LastFetch.IsZero():
		return "never fetched"
	case st.LastError == "":
		return "fetched " + when(st.LastFetch)
	case st.LastOK.IsZero():
		return "tried " + when(st.LastFetch) + ", failed; never fetched successfully"
	}
	return "tried " + when(st.LastFetch) + ", failed; last success " + when(st.LastOK)
}
