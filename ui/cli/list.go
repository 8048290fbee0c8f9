package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"tidings/articles/termsafe"
	"tidings/feed/subs"
)

// listFeeds resolves the --feed and --tag of "tidings list" into the feed
// URLs to keep, and returns the Env to read them with. A --feed that
// names a subscription or a feed the database holds, in any form
// "tidings feeds" or the config file writes it, is a filter on the
// database: nothing is fetched. Any other --feed (a file, a URL never
// stored) is read into memory as for the reader, and its articles alone
// are listed. A --tag keeps the subscriptions with that tag in
// config.toml. Feeds and tags add up: the list shows the articles of all.
func (e Env) listFeeds(ctx context.Context, tags []string) (Env, []string, error) {
	if len(e.Feeds) == 0 && len(tags) == 0 {
		return e, nil, nil
	}
	cfg, _, err := e.config()
	if err != nil && len(tags) > 0 {
		return e, nil, err
	}
	// Without tags a broken subscriptions file must not stop reading a
	// feed file: its subscriptions are then unknown.
	stored := e
	stored.Feeds = nil
	list, states, err := stored.subscriptions(ctx, cfg)
	if err != nil {
		return e, nil, err
	}
	known := subs.Config{Feeds: slices.Clone(list)}
	for _, st := range states {
		if known.Find(st.URL) < 0 {
			known.Feeds = append(known.Feeds, subs.Subscription{URL: st.URL})
		}
	}
	var keys, others []string
	for _, arg := range e.Feeds {
		if u, ok := matchFeed(known.Feeds, arg); ok {
			keys = append(keys, u)
			continue
		}
		others = append(others, arg)
		keys = append(keys, arg) // stored under the name it was read by
	}
	for _, tag := range tags {
		urls, err := tagged(list, tag)
		if err != nil {
			return e, nil, err
		}
		keys = append(keys, urls...)
	}
	stored.Feeds = others
	return stored, keys, nil
}

// matchFeed finds the feed arg names: its URL as stored, as the config
// file or an import writes it, or as "tidings feeds" shows it.
func matchFeed(feeds []subs.Subscription, arg string) (string, bool) {
	if i := (subs.Config{Feeds: feeds}).Find(arg); i >= 0 {
		return feeds[i].URL, true
	}
	for _, s := range feeds {
		if subs.DisplayURL(s.URL) == arg {
			return s.URL, true
		}
	}
	return "", false
}

// tagged returns the URLs of the subscriptions tagged tag ("#world" or
// "world"), or an error naming the tags there are.
func tagged(feeds []subs.Subscription, tag string) ([]string, error) {
	tag = strings.TrimPrefix(strings.TrimSpace(tag), "#")
	var urls, all []string
	for _, s := range feeds {
		for _, t := range s.Tags {
			if t == tag {
				urls = append(urls, s.URL)
			}
			if !slices.Contains(all, t) {
				all = append(all, t)
			}
		}
	}
	if len(urls) > 0 {
		return urls, nil
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("list --tag %q: no subscription has a tag (tags are set in config.toml, or come from OPML folders)", tag)
	}
	for i, t := range all {
		all[i] = termsafe.Line(t)
	}
	return nil, fmt.Errorf("list --tag %q: no subscription has that tag; the tags are %s", termsafe.Line(tag), strings.Join(all, ", "))
}
