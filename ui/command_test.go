package ui

import (
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"

	"tidings/feed/subs"
)

// Every action of the key table is a command by its name: a new key
// action is reachable from the command line at once.
func TestEveryActionIsACommand(t *testing.T) {
	m := New(testOptions(bundledStore(t)))
	for _, name := range ActionNames() {
		c, ok := m.findCommand(name)
		if !ok || c.run == nil {
			t.Errorf("action %q has no command", name)
		}
	}
}

func TestCommandViews(t *testing.T) {
	tests := []struct {
		name string
		w, h int
		keys string
	}{
		{"open_80x24", 80, 24, ":"},
		{"completion_cycle_80x24", 80, 24, ": f tab tab"},
		{"completion_feed_100x30", 100, 30, ": feed space tab"},
		{"unknown_80x24", 80, 24, ": frobnicate enter"},
		{"feed_opened_80x24", 80, 24, ": feed space tech space daily enter"},
		{"search_80x24", 80, 24, ": search space geneva enter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := drive(t, New(savedOptions(t, fetchedStore(t))), tt.w, tt.h, tt.keys)
			checkFrame(t, m.frame(), tt.w, tt.h)
			golden.RequireEqual(t, plain(t, m))
		})
	}
}

func TestCommandCompletion(t *testing.T) {
	tests := []struct{ keys, want string }{
		{"mark tab", "mark_all_read"},         // mark_all_read, markread
		{"mark tab tab", "markread"},          // the next
		{"mark tab tab tab", "mark_all_read"}, // and round again
		{"f tab shift+tab", "full_text"},      // shift+tab goes back, round too
		{"sav tab", "save "},                  // one: complete, and room for its argument
		{"dow tab", "down"},                   // an action takes nothing
		{"search space geneva tab", "search Geneva talks"},
		{"search space c tab", "search Compilers"},
		{"feed space w tab", "feed World Wire"},
		{"feed space # tab tab", "feed #tech"},
		{"ignore space t tab", "ignore title"},
		{"zzz tab", "zzz"}, // nothing to complete
		{"mark tab x", "mark_all_readx"},
	}
	for _, tt := range tests {
		m := drive(t, New(savedOptions(t, fetchedStore(t))), 80, 24, ": "+tt.keys)
		if !m.command.editing || m.command.input != tt.want {
			t.Errorf("%q: input %q (editing %v), want %q", tt.keys, m.command.input, m.command.editing, tt.want)
		}
	}
}

func TestCommandRunsActions(t *testing.T) {
	m := drive(t, New(savedOptions(t, fetchedStore(t))), 80, 24, ": dow tab enter : dow tab enter")
	if m.list.cursor != 2 || m.command.editing {
		t.Errorf(":down twice: cursor %d (editing %v), want 2", m.list.cursor, m.command.editing)
	}
	m = drive(t, New(savedOptions(t, fetchedStore(t))), 80, 24, ": feeds enter")
	if m.focus != focusFeeds {
		t.Errorf(":feeds did not show the feeds view")
	}
	m = drive(t, New(savedOptions(t, fetchedStore(t))), 80, 24, ": search_keep enter")
	if !strings.Contains(m.status.text, "works while a search is typed") {
		t.Errorf(":search_keep: %q", m.status.text)
	}
	m = drive(t, New(savedOptions(t, fetchedStore(t))), 80, 24, ": help enter")
	if !m.help.open {
		t.Error(":help did not open the help")
	}
	m = drive(t, New(savedOptions(t, fetchedStore(t))), 80, 24, ": dow tab space x enter")
	if !m.status.isErr || m.list.cursor != 0 {
		t.Errorf(":down x: status %q, cursor %d", m.status.text, m.list.cursor)
	}
	m = drive(t, New(savedOptions(t, fetchedStore(t))), 80, 24, ": q esc q")
	if m.command.editing || m.command.input != "" {
		t.Errorf("esc left the command line %+v", m.command)
	}
}

// configFile is an EditConfig over a Config in memory.
type configFile struct {
	cfg  subs.Config
	fail error
}

func (f *configFile) edit(edit func(*subs.Config) error) error {
	if f.fail != nil {
		return f.fail
	}
	c := f.cfg
	c.Searches = append([]subs.Search(nil), f.cfg.Searches...)
	c.Ignore = append([]subs.Rule(nil), f.cfg.Ignore...)
	if err := edit(&c); err != nil {
		return err
	}
	f.cfg = c
	return nil
}

func TestCommandSave(t *testing.T) {
	file := &configFile{}
	opts := savedOptions(t, fetchedStore(t))
	opts.EditConfig = file.edit
	m := drive(t, New(opts), 80, 24, "/ ceasefire enter : save space Truce enter")
	if len(file.cfg.Searches) != 1 || file.cfg.Searches[0] != (subs.Search{Name: "Truce", Query: "ceasefire"}) {
		t.Fatalf("saved %+v; status %q", file.cfg.Searches, m.status.text)
	}
	if !strings.Contains(m.status.text, `Saved the search "Truce"`) || m.searches.find("truce") < 0 {
		t.Errorf("status %q, searches %+v", m.status.text, m.searches.list)
	}
	m = press(t, m, "F")
	if !strings.Contains(plain(t, m), "/ Truce") {
		t.Errorf("the feeds view does not list the search saved:\n%s", plain(t, m))
	}

	// The search in force includes the feed or tag shown and the saved
	// search opened.
	m = drive(t, New(opts), 80, 24, "F j j j j enter / floods enter : save space Floods enter")
	if got := file.cfg.Searches[1].Query; got != "tag:world floods" {
		t.Errorf("saved %q, want the tag and the words", got)
	}
	m = drive(t, New(opts), 80, 24, "F j enter / talks enter : save space GT enter")
	if got := file.cfg.Searches[2].Query; got != "(geneva) (talks)" {
		t.Errorf("saved %q, want the saved search and the words", got)
	}

	for keys, want := range map[string]string{
		"/ x enter : save space Geneva space TALKS enter": `A saved search is already called "Geneva talks"`,
		": save space X enter":                            "No search to save",
		"/ x enter : save enter":                          ":save needs a name",
		"/ x enter : save space truce enter":              `saved search is already called "Truce"`,
		"/ x enter : save space Other space enter":        "",
	} {
		m := drive(t, New(opts), 80, 24, keys)
		if want != "" && (!m.status.isErr || !strings.Contains(m.status.text, want)) {
			t.Errorf("%q: status %q, want %q", keys, m.status.text, want)
		}
	}

	file.fail = errors.New("config.toml: permission denied")
	m = drive(t, New(opts), 80, 24, "/ y enter : save space Y enter")
	if !m.status.isErr || !strings.Contains(m.status.text, "permission denied") || m.searches.find("Y") >= 0 {
		t.Errorf("a failed save: status %q, searches %+v", m.status.text, m.searches.list)
	}
	opts.EditConfig, opts.NoEdit = nil, "Snapshots write nothing"
	m = drive(t, New(opts), 80, 24, "/ y enter : save space Y enter")
	if m.status.text != "Snapshots write nothing" {
		t.Errorf("no EditConfig: status %q", m.status.text)
	}
}

func TestCommandIgnore(t *testing.T) {
	file := &configFile{}
	opts := savedOptions(t, fetchedStore(t))
	opts.EditConfig = file.edit
	m := drive(t, New(opts), 80, 24, ": ignore space feed enter")
	want := []subs.Rule{{Query: "feed:" + worldURL}}
	if len(file.cfg.Ignore) != 1 || file.cfg.Ignore[0] != want[0] || !strings.Contains(m.status.text, "Ignoring feed:") {
		t.Fatalf("ignore feed: %+v, status %q", file.cfg.Ignore, m.status.text)
	}
	m = press(t, m, ": ignore space feed enter")
	if len(file.cfg.Ignore) != 1 || m.status.isErr || !strings.Contains(m.status.text, "Already ignored") {
		t.Errorf("ignore feed twice: %+v, status %q", file.cfg.Ignore, m.status.text)
	}
	m = drive(t, New(opts), 80, 24, "F j j j j j j j : ignore space feed enter")
	if got := file.cfg.Ignore[1].Query; got != "feed:"+techURL {
		t.Errorf(":ignore feed in the feeds view wrote %q, want the feed under the cursor", got)
	}
	m = drive(t, New(opts), 80, 24, "G k : ignore space title enter")
	if got := file.cfg.Ignore[2].Query; got != "title:\"`go test` gets faster\"" {
		t.Errorf("ignore title wrote %q", got)
	}
	for keys, want := range map[string]string{
		": ignore enter":                    "ignore feed ignores",
		"G : ignore space feed enter":       "no feed to ignore",
		": ignore space author enter":       "ignore feed ignores",
		": ignore space feed space x enter": "ignore feed ignores",
	} {
		m := drive(t, New(opts), 80, 24, keys)
		if !m.status.isErr || !strings.Contains(m.status.text, want) {
			t.Errorf("%q: status %q, want %q", keys, m.status.text, want)
		}
	}
}

func TestFieldValue(t *testing.T) {
	for _, tt := range []struct{ field, value, want string }{
		{"feed", "https://a.example/rss", "feed:https://a.example/rss"},
		{"tag", "world news", `tag:"world news"`},
		{"title", `He said "no" (again)`, `title:"He said no (again)"`},
		{"tag", "", `tag:""`},
	} {
		if got := fieldValue(tt.field, tt.value); got != tt.want {
			t.Errorf("fieldValue(%q, %q) = %q, want %q", tt.field, tt.value, got, tt.want)
		}
	}
}

func TestCommandMarkRead(t *testing.T) {
	s := fetchedStore(t)
	m := drive(t, New(savedOptions(t, s)), 80, 24, ": markread space geneva enter")
	if a, _ := s.Article(t.Context(), "w0"); !a.Read {
		t.Errorf(":markread geneva left w0 unread; status %q", m.status.text)
	}
	if a, _ := s.Article(t.Context(), "w1"); a.Read {
		t.Error(":markread geneva marked w1 read")
	}
	m = drive(t, New(savedOptions(t, s)), 80, 24, ": markread enter")
	if !m.status.isErr || !strings.Contains(m.status.text, "needs a query") {
		t.Errorf(":markread alone: %q", m.status.text)
	}
}

func TestCommandFeedAndSearch(t *testing.T) {
	m := drive(t, New(savedOptions(t, fetchedStore(t))), 80, 24, ": feed space #WORLD enter")
	if m.filter.feedLabel != "#world" || len(m.filter.feeds) != 2 || m.focus != focusList {
		t.Errorf(":feed #WORLD: filter %+v", m.filter)
	}
	m = drive(t, New(savedOptions(t, fetchedStore(t))), 80, 24, ": feed space "+techURL+" enter")
	if m.filter.feedLabel != "Tech Daily" {
		t.Errorf(":feed URL: filter %+v", m.filter)
	}
	m = drive(t, New(savedOptions(t, fetchedStore(t))), 80, 24, ": feed space nowhere enter")
	if !m.status.isErr || !strings.Contains(m.status.text, `No feed or tag called "nowhere"`) {
		t.Errorf(":feed nowhere: %q", m.status.text)
	}
	// A saved search's name opens it, whatever its case.
	m = drive(t, New(savedOptions(t, fetchedStore(t))), 80, 24, ": search space compilers enter")
	if m.filter.search != "compiler" || m.filter.feedLabel != "Compilers" || m.search.input != "" {
		t.Errorf(":search compilers: filter %+v, search %q", m.filter, m.search.input)
	}
	m = drive(t, New(savedOptions(t, fetchedStore(t))), 80, 24, ": search space floods enter")
	if m.search.input != "floods" || m.list.page.Total != 1 {
		t.Errorf(":search floods: search %q, %d rows", m.search.input, m.list.page.Total)
	}
	m = drive(t, New(savedOptions(t, fetchedStore(t))), 80, 24, ": search enter")
	if !m.search.editing {
		t.Error(":search alone did not open the search line, as / does")
	}
}
