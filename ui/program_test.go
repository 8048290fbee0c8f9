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
	out := &output{tm: tm}
	out.waitFor(t, "Welcome to tidings")
	tm.Type("/putin")
	out.waitFor(t, "1 of 2")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	out.waitFor(t, "Beijing:") // the seed article, rendered in the reader
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Send(tea.KeyPressMsg{Code: tea.KeySpace, Text: " "})
	tm.Type("Q")
	m := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	if m.focus != focusReader || m.reader.id != "bundled-6372b2c2f04ccbc0" {
		t.Errorf("focus %v on %q, want the reader on the seed article", m.focus, m.reader.id)
	}
	if m.reader.yoff == 0 {
		t.Error("space did not page the reader")
	}
}

// output keeps everything the program wrote: teatest.WaitFor consumes
// what it reads, and a later wait must still see text written earlier.
type output struct {
	tm   *teatest.TestModel
	seen []byte
}

func (o *output) waitFor(t *testing.T, s string) {
	t.Helper()
	var read []byte
	teatest.WaitFor(t, o.tm.Output(), func(b []byte) bool {
		read = b
		return bytes.Contains(append(o.seen, b...), []byte(s))
	}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
	o.seen = append(o.seen, read...)
}
