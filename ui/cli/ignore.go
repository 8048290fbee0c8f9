package cli

import (
	"context"
	"slices"
	"strings"

	"tidings/articles"
	"tidings/articles/sqlite"
	"tidings/feed/subs"
)

// ignoreRulesOf parses the [[ignore]] rules of cfg, their tag: terms
// standing for the subscriptions of the file with those tags (as list
// --search resolves them). A rule that does not parse is left out: the
// file's check reports it, and hiding articles by a guess would be worse.
func ignoreRulesOf(cfg subs.Config) []articles.Query {
	rules := make([]articles.Query, 0, len(cfg.Ignore))
	for _, r := range cfg.Ignore {
		if subs.CheckQuery(r.Query) != nil {
			continue
		}
		q := articles.MustParseQuery(strings.TrimSpace(r.Query))
		rules = append(rules, q.ResolveTags(func(tag string) []string {
			var urls []string
			for _, sub := range cfg.Feeds {
				if slices.ContainsFunc(sub.Tags, func(t string) bool { return strings.EqualFold(t, tag) }) {
					urls = append(urls, sub.URL)
				}
			}
			return urls
		}))
	}
	return rules
}

// applyIgnore gives a store opened to write the rules of st, when st was
// made from the settings: a store opened without them keeps the rules it
// last applied (a command that never read the file must not bring back
// what the rules hide).
func applyIgnore(ctx context.Context, s *sqlite.Store, st setup) error {
	if !st.rulesRead {
		return nil
	}
	return s.SetIgnoreRules(ctx, st.ignore)
}
