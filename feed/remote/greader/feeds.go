package greader

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"unicode"

	"tidings/feed/remote"
)

type subscriptionList struct {
	Subscriptions []struct {
		ID         text   `json:"id"`
		Title      string `json:"title"`
		URL        string `json:"url"`
		HTMLURL    string `json:"htmlUrl"`
		Categories []struct {
			ID    string `json:"id"`
			Label string `json:"label"`
		} `json:"categories"`
	} `json:"subscriptions"`
}

// Feeds lists the subscriptions. The API says nothing of a feed's fetch
// errors, so Feed.Error stays empty.
func (c *Client) Feeds(ctx context.Context) ([]remote.Feed, error) {
	const op = "list feeds"
	b, err := c.get(ctx, op, "subscription/list", url.Values{"output": {"json"}})
	if err != nil {
		return nil, err
	}
	var list subscriptionList
	if err := json.Unmarshal(b, &list); err != nil {
		return nil, c.badAnswer(op, err)
	}
	feeds := make([]remote.Feed, 0, len(list.Subscriptions))
	for _, s := range list.Subscriptions {
		f := remote.Feed{ID: string(s.ID), URL: s.URL, SiteURL: s.HTMLURL, Title: s.Title}
		if len(s.Categories) > 0 {
			f.Category = s.Categories[0].Label
			if f.Category == "" {
				_, f.Category, _ = strings.Cut(s.Categories[0].ID, "/label/")
			}
		}
		feeds = append(feeds, f)
	}
	return feeds, nil
}

type quickAddAnswer struct {
	NumResults number `json:"numResults"`
	Query      string `json:"query"`
	StreamID   text   `json:"streamId"`
	StreamName string `json:"streamName"`
	Error      string `json:"error"`
}

// Subscribe adds the feed with subscription/quickadd, moves it to category
// with subscription/edit, and returns it as subscription/list shows it.
func (c *Client) Subscribe(ctx context.Context, feedURL, category string) (remote.Feed, error) {
	op := "subscribe to " + feedURL
	b, err := c.post(ctx, op, "subscription/quickadd", form{{"quickadd", feedURL}, {"output", "json"}})
	if err != nil {
		return remote.Feed{}, err
	}
	var a quickAddAnswer
	if err := json.Unmarshal(b, &a); err != nil {
		return remote.Feed{}, c.badAnswer(op, err)
	}
	if a.NumResults < 1 || a.StreamID == "" {
		msg := "the server found no feed there: check the URL"
		if a.Error != "" {
			msg = "the server said: " + c.calm(a.Error)
		}
		return remote.Feed{}, &remote.Error{Server: c.name, Op: op, Msg: msg}
	}
	id := string(a.StreamID)
	if category != "" {
		f := form{{"ac", "edit"}, {"s", id}, {"a", "user/-/label/" + category}}
		if _, err := c.post(ctx, "put "+id+" in category "+category, "subscription/edit", f); err != nil {
			return remote.Feed{}, err
		}
	}
	feeds, err := c.Feeds(ctx)
	if err != nil {
		return remote.Feed{}, err
	}
	for _, f := range feeds {
		if f.ID == id {
			return f, nil
		}
	}
	// Listed later by some servers: say what quickadd said.
	return remote.Feed{ID: id, URL: a.Query, Title: a.StreamName, Category: category}, nil
}

// Unsubscribe removes the subscription with the stream ID feedID
// ("feed/12").
func (c *Client) Unsubscribe(ctx context.Context, feedID string) error {
	_, err := c.post(ctx, "unsubscribe from "+feedID, "subscription/edit", form{{"ac", "unsubscribe"}, {"s", feedID}})
	return err
}

// Refresh is not in the API: the server fetches feeds on its own schedule.
func (c *Client) Refresh(ctx context.Context) error {
	return &remote.Error{Server: c.name, Op: "refresh", Err: remote.ErrUnsupported,
		Msg: "the Google Reader API has no call to refresh feeds; the server fetches them on its own schedule"}
}

// calm makes text the server sent fit in an error line: one line, no
// control characters, no secret, at most 200 characters.
func (c *Client) calm(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, c.scrub(s))
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}
