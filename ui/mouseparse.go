package ui

import (
	"fmt"
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// ParseInput reads the snapshot command's --keys: the keys ParseKeys
// reads, and mouse events, which are tokens of their own:
//
//	click@COL,ROW      a left click
//	wheelup@COL,ROW    the wheel turned up
//	wheeldown@COL,ROW  the wheel turned down
//
// COL and ROW count cells from 0 at the top left of the screen.
func ParseInput(s string) ([]tea.Msg, error) {
	var msgs []tea.Msg
	for _, tok := range strings.Fields(s) {
		if name, at, ok := strings.Cut(tok, "@"); ok && mouseEvents[name] {
			msg, err := mouseEvent(tok, name, at)
			if err != nil {
				return nil, err
			}
			msgs = append(msgs, msg)
			continue
		}
		keys, err := ParseKeys(tok)
		if err != nil {
			return nil, err
		}
		for _, k := range keys {
			msgs = append(msgs, k)
		}
	}
	return msgs, nil
}

var mouseEvents = map[string]bool{"click": true, "wheelup": true, "wheeldown": true}

// mouseEvent makes the event tok names: name at "COL,ROW".
func mouseEvent(tok, name, at string) (tea.Msg, error) {
	cs, rs, ok := strings.Cut(at, ",")
	col, errC := strconv.Atoi(cs)
	row, errR := strconv.Atoi(rs)
	if !ok || errC != nil || errR != nil || col < 0 || row < 0 {
		return nil, fmt.Errorf("mouse event %q: want %s@COL,ROW, cells counted from 0 at the top left, e.g. %s@10,3", tok, name, name)
	}
	m := tea.Mouse{X: col, Y: row}
	switch name {
	case "wheelup":
		m.Button = tea.MouseWheelUp
		return tea.MouseWheelMsg(m), nil
	case "wheeldown":
		m.Button = tea.MouseWheelDown
		return tea.MouseWheelMsg(m), nil
	}
	m.Button = tea.MouseLeft
	return tea.MouseClickMsg(m), nil
}
