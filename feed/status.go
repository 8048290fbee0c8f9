package feed

import "tidings/articles"

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
