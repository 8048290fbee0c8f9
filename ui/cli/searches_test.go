package cli

import (
	"strings"
	"testing"

	"tidings/articles"
	"tidings/articles/sqlite"
	"tidings/feed/subs"
)

// withSearches adds saved searches to the Env's config.toml.
func withSearches(t *testing.T, e Env, searches ...subs.Search) {
	t.Helper()
	cfg, _, _, err := subs.Load(e.ConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Searches = append(cfg.Searches, searches...)
	if err := cfg.Save(e.ConfigPath); err != nil {
		t.Fatal(err)
	}
}

// list --search takes a saved search's name (case aside), which wins
// over the same words as a query.
func TestListSavedSearch(t *testing.T) {
	e, out, _ := listEnv(t)
	withSearches(t, e, subs.Search{Name: "story", Query: "tech"})
	all := listTitles(t, e, out, ListOptions{Search: "tech"})
	if len(all) == 0 || !strings.HasPrefix(all[0], "Tech") {
		t.Fatalf("list --search tech: %q", all)
	}
	for _, name := range []string{"story", "STORY", " story "} {
		if got := listTitles(t, e, out, ListOptions{Search: name}); strings.Join(got, "|") != strings.Join(all, "|") {
			t.Errorf("list --search %q: %q, want the saved search's %q", name, got, all)
		}
	}
	if got := listTitles(t, e, out, ListOptions{Search: "world"}); len(got) == 0 || !strings.HasPrefix(got[0], "World") {
		t.Errorf("list --search world (no name): %q", got)
	}
}

func TestFeedsListsSavedSearches(t *testing.T) {
	e, out, _ := listEnv(t)
	withSearches(t, e, subs.Search{Name: "Tech\x1b[31m news", Query: "tech"}, subs.Search{Name: "Nothing", Query: "zzzz"})
	if err := e.ListFeeds(t.Context()); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	table, section, ok := strings.Cut(got, "\nSAVED SEARCH")
	if !ok || !strings.HasPrefix(table, "TITLE") {
		t.Fatalf("tidings feeds:\n%s", got)
	}
	lines := strings.Split(strings.TrimSpace(section), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "UNREAD") {
		t.Fatalf("saved searches section:\n%s", section)
	}
	if f := strings.Fields(lines[1]); len(f) < 4 || f[0] != "Tech" || f[1] != "news" || f[2] == "0" || f[2] == "-" || f[3] != "tech" {
		t.Errorf("first search: %q", lines[1])
	}
	if f := strings.Fields(lines[2]); len(f) != 3 || f[1] != "0" {
		t.Errorf("second search: %q", lines[2])
	}
	if strings.ContainsRune(got, '\x1b') {
		t.Errorf("an escape from config.toml reached the output: %q", got)
	}
}

// The reader's :save and :ignore edit config.toml as it is on disk now,
// and keep what else is in it; an ignore rule hides its articles in the
// reader's store at once.
func TestEditConfig(t *testing.T) {
	e, _, base := listEnv(t)
	s, err := sqlite.Open(t.Context(), e.DBPath, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tech := articles.Query{Feeds: []string{base + "/tech"}}
	if p, err := s.Page(t.Context(), tech, 0, 10); err != nil || p.Total == 0 {
		t.Fatalf("before the rule: %d tech articles, %v", p.Total, err)
	}
	edit := e.editConfig(s)
	err = edit(func(c *subs.Config) error {
		if _, err := c.AddIgnore("feed:" + base + "/tech"); err != nil {
			return err
		}
		return c.AddSearch("World", "world")
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, _, err := subs.Load(e.ConfigPath)
	if err != nil || len(cfg.Feeds) != 2 || len(cfg.Searches) != 1 || len(cfg.Ignore) != 1 || len(cfg.Feeds[0].Tags) != 2 {
		t.Errorf("after the edit: %+v, %v", cfg, err)
	}
	if p, err := s.Page(t.Context(), tech, 0, 10); err != nil || p.Total != 0 {
		t.Errorf("after :ignore feed: %d tech articles shown, %v; want none", p.Total, err)
	}
	err = edit(func(c *subs.Config) error { return c.AddSearch("world", "x") })
	if err == nil || !strings.Contains(err.Error(), "already called") {
		t.Errorf("a name taken: %v", err)
	}
}

func TestConfigCheckShowsRules(t *testing.T) {
	e, out, _ := listEnv(t)
	withSearches(t, e, subs.Search{Name: "A", Query: "a"}, subs.Search{Name: "B", Query: "b"})
	cfg, _, _, _ := subs.Load(e.ConfigPath)
	cfg.Ignore = []subs.Rule{{Query: "x"}}
	cfg.Notify = []subs.Rule{{Query: "y"}}
	cfg.NotifyCommand = []string{"notify-send", "tidings"}
	if err := cfg.Save(e.ConfigPath); err != nil {
		t.Fatal(err)
	}
	if err := e.ConfigCheck(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"searches:       A, B\n", "ignore:         1 rule\n", `notify:         1 rule; runs ["notify-send" "tidings"]` + "\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("config check lacks %q:\n%s", want, out)
		}
	}
}

// The reader reads the saved searches again when config.toml changed.
func TestSubsFileSearches(t *testing.T) {
	e, _, _ := listEnv(t)
	file := newSubsFile(e.ConfigPath, nil)
	if got, err := file.searches(); err != nil || len(got) != 0 {
		t.Fatalf("before: %+v %v", got, err)
	}
	withSearches(t, e, subs.Search{Name: "A long name, to change the file's size", Query: "a"})
	got, err := file.searches()
	if err != nil || len(got) != 1 || got[0].Name != "A long name, to change the file's size" {
		t.Errorf("after a search was added: %+v %v", got, err)
	}
}
