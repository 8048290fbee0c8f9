package cli

import (
	"context"
	"fmt"

	"tidings/articles/sqlite"
	"tidings/articles/termsafe"
	"tidings/feed/subs"
	"tidings/ui"
	"tidings/ui/notify"
)

// notifySetup is [[notify]] and notify_command of config.toml.
type notifySetup struct {
	rules   []string            // the rules' queries
	command []string            // the program and its arguments; nil for none
	tags    map[string][]string // feed URL -> its tags, for tag: terms
}

func notifyOf(cfg subs.Config) notifySetup {
	n := notifySetup{command: cfg.NotifyCommand, tags: map[string][]string{}}
	for _, f := range cfg.Feeds {
		n.tags[f.URL] = f.Tags
	}
	for _, r := range cfg.Notify {
		n.rules = append(n.rules, r.Query)
	}
	return n
}

// newsWatch is a refresh watched for news: the store's last article ID
// before it. Without rules it watches nothing and costs nothing.
type newsWatch struct {
	setup notifySetup
	mark  int64
	on    bool
}

// watchNews takes the watermark before a refresh. When it cannot be
// read, the refresh goes on and nothing is told: a warning says so.
func (e Env) watchNews(ctx context.Context, s *sqlite.Store, n notifySetup) newsWatch {
	if len(n.rules) == 0 {
		return newsWatch{}
	}
	mark, err := s.LastID(ctx)
	if err != nil {
		fmt.Fprintln(e.Stderr, "tidings: warning: notify rules not checked:", err)
		return newsWatch{}
	}
	return newsWatch{setup: n, mark: mark, on: true}
}

// tellNews checks the rules once, after the whole refresh, prints what
// they found and runs notify_command once for all of them: one
// notification a refresh, however many rules matched, with the count
// of the articles any rule matched and the newest one's title. Its
// failure is a warning, never a failed refresh.
func (e Env) tellNews(ctx context.Context, s *sqlite.Store, w newsWatch) {
	if !w.on {
		return
	}
	news, err := notify.Check(ctx, s, w.setup.rules, notify.TagsOf(w.setup.tags), e.Now(), w.mark)
	if err != nil {
		fmt.Fprintln(e.Stderr, "tidings: warning: notify rules not checked:", err)
		return
	}
	if news.Count == 0 {
		return
	}
	fmt.Fprintf(e.Stdout, "notify: %d new: %s\n", news.Count, termsafe.Line(news.First))
	if len(w.setup.command) == 0 {
		return
	}
	if err := notify.Run(ctx, w.setup.command, news.Count, news.First); err != nil {
		fmt.Fprintln(e.Stderr, "tidings: warning:", err, "(the refresh itself worked; fix or remove notify_command in", e.ConfigPath+")")
	}
}

// readerNews is what the reader needs to tell news: nil without rules.
func readerNews(s *sqlite.Store, n notifySetup) *ui.News {
	if len(n.rules) == 0 {
		return nil
	}
	return &ui.News{Finder: s, Rules: n.rules, Command: n.command, Tags: notify.TagsOf(n.tags)}
}
