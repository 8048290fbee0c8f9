package ui

import (
	"bytes"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// TestProgramSearchAndOpen runs the model in a real Bubble Tea program,
// with its concurrent commands, and checks where a search and an open
// leave it.
func TestProgramSearchAndOpen(t *testing.T) {
	tm := teatest.NewTestModel(t, New(testOptions(bundledStore(t))), teatest.WithInitialTermSize(100, 30))
	waitFor(t, tm, "Welcome to tidings")
	tm.Type("/putin")
	waitFor(t, tm, "1 of 2")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Send(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
	tm.Type("q")
	m := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	if m.focus != focusReader || m.reader.id != "bundled-6372b2c2f04ccbc0" {
		t.Errorf("focus %v on %q, want the reader on the seed article", m.focus, m.reader.id)
	}
	if m.reader.yoff == 0 {
		t.Error("space did not page the reader")
	}
}

func waitFor(t *testing.T, tm *teatest.TestModel, s string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte(s))
	}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
}
