package ui

import (
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"tidings/articles/termsafe"
)

// searchModel is the search line. While it is open every key is text for
// it: a "q" typed there is a q, not quit.
type searchModel struct {
	editing bool
	input   string
	err     error // why input does not parse; the list shows the last search that did
}

// start opens the search line on the search in force, to edit it.
func (s searchModel) start() searchModel {
	s.editing = true
	return s
}

func (m *Model) handleSearchKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.SearchKeep):
		m.search.editing = false
		if m.search.err != nil { // keep what the list shows, and say so
			m.status = statusMessage{text: m.search.err.Error() + "; kept the last search", isErr: true}
			m.search.input, m.search.err = m.list.query.Text, nil
		}
		return nil
	case key.Matches(msg, k.SearchClear):
		m.search.editing = false
		return m.setQuery("")
	case key.Matches(msg, k.Down):
		if msg.Text == "" { // the arrow, not a typed j
			m.list.move(1)
			return m.list.ensureLoaded(m.opts.Store)
		}
	case key.Matches(msg, k.Up):
		if msg.Text == "" {
			m.list.move(-1)
			return m.list.ensureLoaded(m.opts.Store)
		}
	case key.Matches(msg, k.SearchDeleteInput):
		return m.setQuery("")
	case key.Matches(msg, k.SearchDeleteWord):
		return m.setQuery(deleteWord(m.search.input))
	case msg.Code == tea.KeyBackspace:
		_, size := utf8.DecodeLastRuneInString(m.search.input)
		return m.setQuery(m.search.input[:len(m.search.input)-size])
	}
	if msg.Text != "" && msg.Mod&^tea.ModShift == 0 {
		return m.setQuery(m.search.input + msg.Text)
	}
	return nil
}

// onPaste types pasted text into the search line.
func (m *Model) onPaste(msg tea.PasteMsg) tea.Cmd {
	text := termsafe.Line(msg.Content)
	if m.reader.find.editing && m.focus == focusReader && !m.search.editing {
		m.setFind(m.reader.find.input + text)
		return nil
	}
	if m.command.editing {
		m.command.input += text
		return nil
	}
	if !m.search.editing {
		return nil
	}
	return m.setQuery(m.search.input + text)
}

// setQuery makes input the search, reloading the list when the words
// change.
func (m *Model) setQuery(input string) tea.Cmd {
	m.search.input = input
	return m.applyQuery()
}

func deleteWord(s string) string {
	s = strings.TrimRight(s, " ")
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		return s[:i+1]
	}
	return ""
}
