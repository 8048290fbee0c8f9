package ui

import "charm.land/bubbles/v2/key"

// KeyMap is every key binding of the reader. The help overlay and the hints
// in the status line are generated from it, so they cannot drift from what
// the keys do.
type KeyMap struct {
	Down, Up          key.Binding
	Top, Bottom       key.Binding
	PageDown, PageUp  key.Binding
	HalfDown, HalfUp  key.Binding
	Open, Back        key.Binding
	NextArticle       key.Binding
	PrevArticle       key.Binding
	Focus             key.Binding
	Space             key.Binding
	OpenLink          key.Binding
	Search            key.Binding
	NextMatch         key.Binding
	PrevMatch         key.Binding
	Refresh           key.Binding
	RefreshAll        key.Binding
	Feeds             key.Binding
	ToggleRead        key.Binding
	Star              key.Binding
	UnreadOnly        key.Binding
	StarredOnly       key.Binding
	MarkAllRead       key.Binding
	Help              key.Binding
	Quit              key.Binding // back from the reader or the feeds view; quits from the list
	QuitAll           key.Binding
	ForceQuit         key.Binding
	SearchKeep        key.Binding // while typing a search
	SearchClear       key.Binding
	SearchDeleteWord  key.Binding
	SearchDeleteInput key.Binding
	FullText          key.Binding
	Links             key.Binding // the links view; digits then enter open a link by number
	CopyLink          key.Binding
	CopySelectedLink  key.Binding
	Command           key.Binding // the command line: every action by name, and more
}

// DefaultKeyMap returns the bindings documented in the README.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, help, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Down:              b([]string{"j", "down"}, "j/↓", "down"),
		Up:                b([]string{"k", "up"}, "k/↑", "up"),
		Top:               b([]string{"g", "home"}, "g/home", "first"),
		Bottom:            b([]string{"G", "end"}, "G/end", "last"),
		PageDown:          b([]string{"pgdown"}, "pgdown", "page down"),
		PageUp:            b([]string{"pgup"}, "pgup", "page up"),
		HalfDown:          b([]string{"ctrl+d"}, "ctrl+d", "half page down"),
		HalfUp:            b([]string{"ctrl+u"}, "ctrl+u", "half page up"),
		Open:              b([]string{"enter", "l", "right"}, "enter/l/→", "open"),
		Back:              b([]string{"esc", "h", "left"}, "esc/h/←", "back"),
		NextArticle:       b([]string{"J"}, "J", "next article"),
		PrevArticle:       b([]string{"K"}, "K", "previous article"),
		Focus:             b([]string{"tab"}, "tab", "switch pane"),
		Space:             b([]string{"space"}, "space", "page the article"),
		OpenLink:          b([]string{"o"}, "o", "open link"),
		Search:            b([]string{"/"}, "/", "search"),
		NextMatch:         b([]string{"n"}, "n", "next match"),
		PrevMatch:         b([]string{"N"}, "N", "previous match"),
		Refresh:           b([]string{"r"}, "r", "refresh this feed"),
		RefreshAll:        b([]string{"R"}, "R", "refresh all feeds"),
		Feeds:             b([]string{"F"}, "F", "feeds and their status"),
		ToggleRead:        b([]string{"u"}, "u", "mark read or unread"),
		Star:              b([]string{"s"}, "s", "star or unstar"),
		UnreadOnly:        b([]string{"U"}, "U", "unread only"),
		StarredOnly:       b([]string{"S"}, "S", "starred only"),
		MarkAllRead:       b([]string{"A"}, "A", "mark all shown read"),
		Help:              b([]string{"?"}, "?", "help"),
		Quit:              b([]string{"q"}, "q", "quit"), // the help overlay says more (helpGroups)
		QuitAll:           b([]string{"Q"}, "Q", "quit"),
		ForceQuit:         b([]string{"ctrl+c"}, "ctrl+c", "quit"),
		SearchKeep:        b([]string{"enter"}, "enter", "keep search"),
		SearchClear:       b([]string{"esc"}, "esc", "clear search"),
		SearchDeleteWord:  b([]string{"ctrl+w"}, "ctrl+w", "delete word"),
		SearchDeleteInput: b([]string{"ctrl+u"}, "ctrl+u", "delete search"),
		FullText:          b([]string{"f"}, "f", "full article"),
		Links:             b([]string{"L"}, "L", "links, numbered"),
		CopyLink:          b([]string{"y"}, "y", "copy article link"),
		CopySelectedLink:  b([]string{"Y"}, "Y", "copy chosen link"),
		Command:           b([]string{":"}, ":", "command line"),
	}
}

// key1 is the name prose gives b, its first key: "R", "esc", "/". Messages
// name keys through it, so that a key bound otherwise is named as bound.
func key1(b key.Binding) string {
	if keys := b.Keys(); len(keys) > 0 {
		return keys[0]
	}
	return "?"
}

// helpGroup is one titled column of the help overlay.
type helpGroup struct {
	title string
	keys  []key.Binding
}

func (k KeyMap) helpGroups() []helpGroup {
	quit := k.Quit // the hints say "q quit", true where they show
	quit.SetHelp(quit.Help().Key, "back or quit")
	space := k.Space
	space.SetHelp(space.Help().Key, "page; next unread")
	return []helpGroup{
		{"Move", []key.Binding{k.Down, k.Up, k.Top, k.Bottom, k.PageDown, k.PageUp, k.HalfDown, k.HalfUp}},
		{"Read", []key.Binding{k.Open, k.Back, k.NextArticle, k.PrevArticle, k.Focus, space, k.OpenLink, k.FullText, k.Links, k.CopyLink, k.CopySelectedLink}},
		{"Search", []key.Binding{k.Search, k.SearchKeep, k.SearchClear, k.SearchDeleteWord, k.SearchDeleteInput, k.NextMatch, k.PrevMatch}},
		{"Articles", []key.Binding{k.ToggleRead, k.Star, k.UnreadOnly, k.StarredOnly, k.MarkAllRead}},
		{"Feeds", []key.Binding{k.Refresh, k.RefreshAll, k.Feeds}},
		{"App", []key.Binding{k.Help, quit, k.QuitAll, k.ForceQuit}},
	}
}

// listHelp returns the hints of the status line while the list has focus.
func (k KeyMap) listHelp() []key.Binding {
	return []key.Binding{k.Open, k.Search, k.Help, k.Quit}
}

// readerHelp returns the hints of the status line while reading.
func (k KeyMap) readerHelp() []key.Binding {
	return []key.Binding{k.Space, k.Back, k.OpenLink, k.Help}
}

// feedsHelp returns the hints of the status line in the feeds view.
func (k KeyMap) feedsHelp() []key.Binding {
	return []key.Binding{k.Open, k.Refresh, k.RefreshAll, k.Back}
}

// linksHelp returns the hints of the status line in the links view.
func (k KeyMap) linksHelp() []key.Binding {
	return []key.Binding{k.OpenLink, k.CopySelectedLink, k.Back}
}

// searchHelp returns the hints of the status line while typing a search.
func (k KeyMap) searchHelp() []key.Binding {
	return []key.Binding{k.SearchKeep, k.SearchClear}
}
