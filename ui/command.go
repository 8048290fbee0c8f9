package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"tidings/articles"
	"tidings/articles/termsafe"
	"tidings/feed/subs"
)

// commandModel is the command line that : opens at the bottom, like the
// search line: every key is text for it, tab completes, enter runs, esc
// cancels.
type commandModel struct {
	editing bool
	input   string
	// A repeated tab cycles through cands, the completions of the input
	// as it was before the first tab (base), pick being the one shown.
	cands []string
	base  string
	pick  int
}

// command is one command of the command line: a name, what it takes,
// what it does.
type command struct {
	name string
	args string // "Q", "NAME", or "" for none
	desc string
	run  func(m *Model, arg string) tea.Cmd
	// complete lists what the argument may be, for tab; nil for none.
	complete func(m Model) []string
	// usage is how the help shows it, when not ":name args  desc".
	usage [][2]string
}

// commands is every command: those of the command line alone, then every
// action of the key table by its name, so that a new key action is a
// command at once. Where a name is both (search, help), the command line's
// does what the key does when given no argument.
func (m Model) commands() []command {
	cmds := []command{
		{name: "search", args: "Q", desc: "search, or open saved", run: (*Model).runSearch, complete: Model.searchNames},
		{name: "save", args: "NAME", desc: "save this search", run: (*Model).runSave},
		{name: "ignore", args: "feed|title", run: (*Model).runIgnore,
			complete: func(Model) []string { return []string{"feed", "title"} },
			usage:    [][2]string{{":ignore feed", "ignore its feed"}, {":ignore title", "or its title"}}},
		{name: "markread", args: "Q", desc: "mark matches read", run: (*Model).runMarkRead},
		{name: "feed", args: "NAME", desc: "show a feed or #tag", run: (*Model).runFeed, complete: Model.feedNames},
		{name: "help", desc: "every key and command", run: func(m *Model, _ string) tea.Cmd { m.help = helpModel{open: true}; return nil }},
	}
	k := m.keys
	for _, a := range k.actions() {
		if slices.ContainsFunc(cmds, func(c command) bool { return c.name == a.name }) {
			continue
		}
		cmds = append(cmds, command{name: a.name, desc: a.b.Help().Desc, run: actionRunner(a)})
	}
	return cmds
}

// actionRunner runs a key action by pressing its first key, so that a
// command does exactly what its key does where the key is pressed.
func actionRunner(a keyAction) func(m *Model, arg string) tea.Cmd {
	name, keys := a.name, a.b.Keys()
	if a.ctx == ctxSearch {
		return func(m *Model, _ string) tea.Cmd {
			m.status = statusMessage{text: fmt.Sprintf(":%s works while a search is typed: %s starts one", name, key1(m.keys.Search))}
			return nil
		}
	}
	return func(m *Model, _ string) tea.Cmd {
		if len(keys) == 0 {
			return nil
		}
		press, _, err := parseKey(keys[0])
		if err != nil {
			m.status = statusMessage{text: err.Error(), isErr: true}
			return nil
		}
		return m.handleKey(press)
	}
}

func (m Model) findCommand(name string) (command, bool) {
	for _, c := range m.commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// startCommand opens the command line; the feeds are read for :feed's
// completion.
func (m *Model) startCommand() tea.Cmd {
	m.command = commandModel{editing: true}
	if !m.feeds.loaded {
		return m.loadFeeds()
	}
	return nil
}

func (m *Model) handleCommandKey(msg tea.KeyPressMsg) tea.Cmd {
	c := &m.command
	if msg.Code != tea.KeyTab {
		c.cands = nil // a key other than tab takes the completion shown
	}
	switch {
	case msg.Code == tea.KeyEscape || key.Matches(msg, m.keys.SearchClear):
		m.command = commandModel{}
	case msg.Code == tea.KeyEnter || key.Matches(msg, m.keys.SearchKeep):
		input := c.input
		m.command = commandModel{}
		return m.runCommand(input)
	case msg.Code == tea.KeyTab && msg.Mod == 0:
		m.complete(1)
	case msg.Code == tea.KeyTab && msg.Mod == tea.ModShift:
		m.complete(-1)
	case msg.Code == tea.KeyBackspace:
		if c.input == "" {
			m.command = commandModel{} // as in vim: backspace on nothing leaves
			return nil
		}
		_, size := utf8.DecodeLastRuneInString(c.input)
		c.input = c.input[:len(c.input)-size]
	case key.Matches(msg, m.keys.SearchDeleteWord):
		c.input = deleteWord(c.input)
	case key.Matches(msg, m.keys.SearchDeleteInput):
		c.input = ""
	case msg.Text != "" && msg.Mod&^tea.ModShift == 0:
		c.input += msg.Text
	}
	return nil
}

// runCommand runs what the command line holds: "search climate".
func (m *Model) runCommand(input string) tea.Cmd {
	input = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(input), ":"))
	if input == "" {
		return nil
	}
	name, arg, _ := strings.Cut(input, " ")
	c, ok := m.findCommand(name)
	if !ok {
		m.status = statusMessage{text: fmt.Sprintf("No command %q: tab completes the names, :help lists them", termsafe.Line(name)), isErr: true}
		return nil
	}
	if c.args == "" && strings.TrimSpace(arg) != "" {
		m.status = statusMessage{text: fmt.Sprintf(":%s takes nothing after it", c.name), isErr: true}
		return nil
	}
	return c.run(m, strings.TrimSpace(arg))
}

// complete takes a tab (dir 1) or shift+tab (-1): the first completion
// of what is typed, then, on each tab after it, the next (or previous).
func (m *Model) complete(dir int) {
	c := &m.command
	if len(c.cands) > 0 {
		c.pick = (c.pick + dir + len(c.cands)) % len(c.cands)
		c.input = c.base + c.cands[c.pick]
		return
	}
	base, cands := m.completions(c.input)
	switch len(cands) {
	case 0:
		return
	case 1:
		c.input = base + cands[0]
		if base == "" {
			if cmd, _ := m.findCommand(cands[0]); cmd.args != "" {
				c.input += " " // what it takes comes next
			}
		}
		return
	}
	c.base, c.cands, c.pick = base, cands, 0
	c.input = base + cands[0]
}

// completions are what the word being typed may become, and the input
// before that word: command names first, then each command's argument.
func (m Model) completions(input string) (string, []string) {
	name, arg, hasArg := strings.Cut(input, " ")
	var words []string
	base := ""
	if !hasArg {
		for _, c := range m.commands() {
			words = append(words, c.name)
		}
		arg = name
	} else {
		c, ok := m.findCommand(name)
		if !ok || c.complete == nil {
			return "", nil
		}
		words, base = c.complete(m), name+" "
		arg = strings.TrimLeft(arg, " ")
	}
	var out []string
	for _, w := range words {
		if strings.HasPrefix(strings.ToLower(w), strings.ToLower(arg)) {
			out = append(out, w)
		}
	}
	if !hasArg {
		slices.Sort(out)
	}
	return base, out
}

func (m Model) searchNames() []string {
	var out []string
	for _, s := range m.searches.list {
		out = append(out, termsafe.Line(s.name))
	}
	return out
}

// feedNames are the tags and feeds of the feeds view, by their labels.
func (m Model) feedNames() []string {
	var out []string
	for _, it := range m.feeds.items {
		if len(it.urls) > 0 {
			out = append(out, it.label)
		}
	}
	return out
}

// commandLine is the status line while a command is typed: the prompt,
// the input, and the completions when a tab offered several.
func (m Model) commandLine() string {
	s, c := m.styles, m.command
	line := s.Prompt.Render(" : ") + s.Message.Render(c.input) + s.Cursor.Render(" ")
	if len(c.cands) < 2 {
		return line + s.Status.Render("  tab completes · enter runs · esc cancels")
	}
	// The one shown is marked in brackets as well as in colour, for
	// NO_COLOR; names may hold blanks, hence the dots between them.
	parts := make([]string, len(c.cands))
	for i, cand := range c.cands {
		parts[i] = s.Status.Render(cand)
		if i == c.pick {
			parts[i] = s.Prompt.Render("[" + cand + "]")
		}
	}
	return line + s.Status.Render("  ") + strings.Join(parts, s.Status.Render(" · "))
}

// configEditedMsg says how a change to config.toml went.
type configEditedMsg struct {
	text  string
	err   error
	saved *subs.Search // a search :save wrote
}

// errUnchanged is what an edit of config.toml returns when it has nothing
// to change: the file is left as it is, and it is no failure.
var errUnchanged = errors.New("nothing to change")

// editConfig changes config.toml in a command, off the update loop. edit
// says what it did, for the status line.
func (m *Model) editConfig(edit func(*subs.Config) (string, error), saved *subs.Search) tea.Cmd {
	if m.opts.EditConfig == nil {
		why := m.opts.NoEdit
		if why == "" {
			why = "config.toml is not written here"
		}
		m.status = statusMessage{text: why, isErr: true}
		return nil
	}
	write := m.opts.EditConfig
	return func() tea.Msg {
		var text string
		err := write(func(c *subs.Config) error {
			var err error
			text, err = edit(c)
			return err
		})
		if errors.Is(err, errUnchanged) {
			err, saved = nil, nil
		}
		return configEditedMsg{text: text, err: err, saved: saved}
	}
}

func (m *Model) onConfigEdited(msg configEditedMsg) tea.Cmd {
	if msg.err != nil {
		m.status = statusMessage{text: msg.err.Error(), isErr: true}
		return nil
	}
	m.status = statusMessage{text: msg.text}
	if msg.saved != nil {
		m.searches.add(msg.saved.Name, msg.saved.Query)
		if m.feeds.loaded {
			m.feeds.build(m.searches.list)
		}
	}
	// An [[ignore]] rule just written hides articles now: the list and
	// the counts, the saved searches' too, are read again.
	m.searches.stale = true
	return tea.Batch(m.reload()...)
}

// runSearch searches for arg, or opens the saved search called arg (a
// name wins over the same words as a query: the user named it); with
// nothing, it opens the search line, as its key does.
func (m *Model) runSearch(arg string) tea.Cmd {
	if arg == "" {
		m.search = m.search.start()
		m.focus = focusList
		return nil
	}
	if i := m.searches.find(arg); i >= 0 {
		return m.openSearch(i)
	}
	if _, err := articles.ParseQuery(arg); err != nil {
		m.status = statusMessage{text: "search: " + err.Error(), isErr: true}
		return nil
	}
	m.focus = focusList
	return m.setQuery(arg)
}

// searchInForce is the query of what the list shows: the saved search
// opened, the feed or tag, and the words typed; "" when nothing narrows it
// but the unread and starred filters, which are views of any list.
func (m Model) searchInForce() string {
	text := strings.TrimSpace(m.filter.withSaved(m.search.input))
	scope := ""
	if m.filter.search == "" && len(m.filter.feeds) > 0 {
		if tag, ok := strings.CutPrefix(m.filter.feedLabel, "#"); ok {
			scope = fieldValue("tag", tag)
		} else if len(m.filter.feeds) == 1 {
			scope = fieldValue("feed", m.filter.feeds[0])
		}
	}
	switch {
	case scope == "":
		return text
	case text == "":
		return scope
	}
	return scope + " " + group(text)
}

// group puts a query in parentheses when an OR in it would otherwise
// reach beyond it.
func group(q string) string {
	if slices.Contains(strings.Fields(q), "OR") {
		return "(" + q + ")"
	}
	return q
}

// fieldValue writes field:value, the value quoted when it holds a blank,
// a quote or a parenthesis; a quote inside becomes a blank, which a
// phrase matches alike.
func fieldValue(field, value string) string {
	value = strings.Join(strings.Fields(termsafe.Line(value)), " ")
	if !strings.ContainsAny(value, " \"()") && value != "" {
		return field + ":" + value
	}
	return field + ":\"" + strings.Join(strings.Fields(strings.ReplaceAll(value, "\"", " ")), " ") + "\""
}

// runSave saves the search in force as [[searches]] called arg.
func (m *Model) runSave(name string) tea.Cmd {
	query := m.searchInForce()
	switch {
	case name == "":
		m.status = statusMessage{text: ":save needs a name: :save Climate", isErr: true}
		return nil
	case query == "":
		m.status = statusMessage{text: fmt.Sprintf("No search to save: %s or :search QUERY first", key1(m.keys.Search)), isErr: true}
		return nil
	case m.searches.find(name) >= 0:
		m.status = statusMessage{text: fmt.Sprintf("A saved search is already called %q: choose another name, or edit it in config.toml", termsafe.Line(m.searches.list[m.searches.find(name)].name)), isErr: true}
		return nil
	}
	saved := &subs.Search{Name: name, Query: query}
	return m.editConfig(func(c *subs.Config) (string, error) {
		return fmt.Sprintf("Saved the search %q: %s lists it with the feeds", termsafe.Line(name), key1(m.keys.Feeds)), c.AddSearch(name, query)
	}, saved)
}

// runIgnore writes an [[ignore]] rule for the selected article's feed or
// title; in the feeds view, :ignore feed ignores the feed under the
// cursor.
func (m *Model) runIgnore(what string) tea.Cmd {
	row, ok := m.list.selected()
	if m.focus == focusFeeds && what == "feed" && len(m.feeds.items) > 0 {
		if st := m.feeds.items[m.feeds.cursor].status; st != nil {
			row, ok = articles.Row{Feed: st.URL}, true
		}
	}
	var rule string
	switch {
	case what != "feed" && what != "title":
		m.status = statusMessage{text: ":ignore feed ignores the selected article's feed, :ignore title its title", isErr: true}
		return nil
	case !ok:
		m.status = statusMessage{text: "No article selected to ignore", isErr: true}
		return nil
	case what == "feed" && (row.Feed == "" || row.Feed == articles.BundledFeed):
		m.status = statusMessage{text: "This article has no feed to ignore", isErr: true}
		return nil
	case what == "feed":
		rule = fieldValue("feed", row.Feed)
	default:
		rule = "title:\"" + strings.Join(strings.Fields(strings.ReplaceAll(termsafe.Line(row.Title), "\"", " ")), " ") + "\""
	}
	return m.editConfig(func(c *subs.Config) (string, error) {
		added, err := c.AddIgnore(rule)
		switch {
		case err != nil:
			return "", err
		case !added:
			return "Already ignored: " + rule, errUnchanged
		}
		return "Ignoring " + rule + " (saved in config.toml)", nil
	}, nil)
}

// runMarkRead marks every article the query finds read, whatever the
// list shows; as A does, it asks first when that is more than a screen.
func (m *Model) runMarkRead(text string) tea.Cmd {
	if text == "" {
		m.status = statusMessage{text: ":markread needs a query: :markread feed:example.org", isErr: true}
		return nil
	}
	q, err := articles.ParseQuery(text)
	switch {
	case err != nil:
		m.status = statusMessage{text: "markread: " + err.Error(), isErr: true}
		return nil
	case m.readOnly("The read marks are"):
		return nil
	}
	return countToMark(m.opts.Store, q)
}

// runFeed shows the feed or tag called name, as choosing it in the feeds
// view does: by its label there (case aside) or its URL.
func (m *Model) runFeed(name string) tea.Cmd {
	if !m.feeds.loaded {
		m.status = statusMessage{text: "The feeds are still being read: try again in a moment"}
		return nil
	}
	for i, it := range m.feeds.items {
		if len(it.urls) == 0 {
			continue
		}
		if strings.EqualFold(it.label, name) || it.status != nil && it.status.URL == name {
			m.feeds.cursor = i
			return m.openFeedItem()
		}
	}
	m.status = statusMessage{text: fmt.Sprintf("No feed or tag called %q: tab after :feed lists them", termsafe.Line(name)), isErr: true}
	return nil
}

// commandHelp is the help's column of commands: the key that opens the
// command line, the commands that have no key, and a word on the rest.
func (m Model) commandHelp() helpGroup {
	g := helpGroup{title: "Commands", keys: []key.Binding{m.keys.Command}}
	k := m.keys
	for _, c := range m.commands() {
		if c.args == "" && slices.ContainsFunc(k.actions(), func(a keyAction) bool { return a.name == c.name }) {
			continue
		}
		usage := c.usage
		if usage == nil {
			usage = [][2]string{{strings.TrimSpace(":" + c.name + " " + c.args), c.desc}}
		}
		for _, u := range usage {
			g.keys = append(g.keys, key.NewBinding(key.WithHelp(u[0], u[1])))
		}
	}
	g.keys = append(g.keys, key.NewBinding(key.WithHelp(":ACTION", "any action by name")))
	return g
}
