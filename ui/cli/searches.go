package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"tidings/articles"
	"tidings/articles/sqlite"
	"tidings/articles/termsafe"
	"tidings/feed/subs"
)

// savedQuery is what --search asks for: the query of the saved search
// called text (case aside), else text itself. A name wins over the same
// words as a query: the user gave that name to a search on purpose, and
// the words stay reachable written otherwise (title:climate, "climate").
func savedQuery(searches []subs.Search, text string) string {
	if i := (subs.Config{Searches: searches}).FindSearch(text); i >= 0 && text != "" {
		return searches[i].Query
	}
	return text
}

// printSearches lists the saved searches after the feeds, each with its
// unread count: a section of its own, so that the feeds table keeps its
// shape for scripts that read it.
func (e Env) printSearches(ctx context.Context, cfg subs.Config) error {
	if len(cfg.Searches) == 0 {
		return nil
	}
	counts := e.searchCounts(ctx, cfg)
	fmt.Fprintln(e.Stdout)
	w := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "SAVED SEARCH\tUNREAD\tQUERY")
	for i, s := range cfg.Searches {
		fmt.Fprintf(w, "%s\t%s\t%s\n", termsafe.Line(s.Name), counts[i], termsafe.Line(s.Query))
	}
	return w.Flush()
}

// searchCounts are the unread counts of the saved searches, "-" where
// there is no database yet or a count failed (why, on stderr).
func (e Env) searchCounts(ctx context.Context, cfg subs.Config) []string {
	out := make([]string, len(cfg.Searches))
	for i := range out {
		out[i] = "-"
	}
	if _, err := os.Stat(e.DBPath); err != nil {
		return out
	}
	s, _, err := e.openStore(ctx, forRead, setupOf(cfg))
	if err != nil {
		fmt.Fprintln(e.Stderr, "tidings:", err)
		return out
	}
	defer s.Close()
	for i, ss := range cfg.Searches {
		q, err := articles.ParseQuery(ss.Query)
		if err == nil {
			q.UnreadOnly = true
			var p articles.Page
			if p, err = s.Page(ctx, q, 0, 0); err == nil {
				out[i] = p.TotalText()
			}
		}
		if err != nil {
			fmt.Fprintf(e.Stderr, "tidings: %s: search %q: %v\n", ss.Where, termsafe.Line(ss.Name), err)
		}
	}
	return out
}

// editConfig is the reader's Options.EditConfig: config.toml read again
// (another tidings may have written it since), changed, written back;
// then the ignore rules it now holds are given to the reader's store, so
// that :ignore hides at once what it names (a read-only store leaves that
// to the next tidings that writes).
func (e Env) editConfig(s *sqlite.Store) func(edit func(*subs.Config) error) error {
	return func(edit func(*subs.Config) error) error {
		cfg, _, _, err := subs.Load(e.ConfigPath)
		if err != nil {
			return err
		}
		if err := edit(&cfg); err != nil {
			return err
		}
		if err := cfg.Save(e.ConfigPath); err != nil {
			return err
		}
		return s.SetIgnoreRules(context.Background(), ignoreRulesOf(cfg))
	}
}

// printRules is config check's lines for the saved searches, the ignore
// and notify rules and notify_command, those the file has.
func printRules(w io.Writer, cfg subs.Config) {
	if len(cfg.Searches) > 0 {
		names := make([]string, len(cfg.Searches))
		for i, s := range cfg.Searches {
			names[i] = termsafe.Line(s.Name)
		}
		fmt.Fprintf(w, "searches:\t%s\n", strings.Join(names, ", "))
	}
	if len(cfg.Ignore) > 0 {
		fmt.Fprintf(w, "ignore:\t%s\n", articles.Count(len(cfg.Ignore), "rule"))
	}
	if len(cfg.Notify) > 0 || len(cfg.NotifyCommand) > 0 {
		run := "no notify_command: the reader alone tells"
		if len(cfg.NotifyCommand) > 0 {
			run = "runs " + termsafe.Line(fmt.Sprintf("%q", cfg.NotifyCommand))
		}
		fmt.Fprintf(w, "notify:\t%s; %s\n", articles.Count(len(cfg.Notify), "rule"), run)
	}
}
