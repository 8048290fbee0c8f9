package ui

import (
	"errors"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// maxSteps bounds the messages one snapshot may process, so that a model
// that never settles (a command that always schedules another) ends with
// an error instead of hanging.
const maxSteps = 100_000

// errUnsettled reports a model whose commands never ran out.
var errUnsettled = errors.New("the model did not settle")

// Snapshot runs m without a terminal: it gives it the size, presses keys
// one at a time and, after each message, runs every command it returned to
// completion, in order, feeding their messages back. So every load and
// render a key starts has finished before the next key, and the final
// screen is the same on every run. It returns the final model.
func Snapshot(m tea.Model, width, height int, keys []tea.Msg) (tea.Model, error) {
	d := driver{model: m}
	if err := d.run(m.Init()); err != nil {
		return d.model, err
	}
	if err := d.send(tea.WindowSizeMsg{Width: width, Height: height}); err != nil {
		return d.model, err
	}
	return Press(d.model, keys...)
}

// Press sends keys to a model Snapshot already started, running every
// command they start to completion, as Snapshot does, without starting the
// model again. A quit stops the keys.
func Press(m tea.Model, keys ...tea.Msg) (tea.Model, error) {
	d := driver{model: m}
	for _, k := range keys {
		if d.quit {
			break
		}
		if err := d.send(k); err != nil {
			return d.model, err
		}
	}
	return d.model, nil
}

type driver struct {
	model tea.Model
	steps int
	quit  bool
}

func (d *driver) send(msg tea.Msg) error {
	d.steps++
	if d.steps > maxSteps {
		return fmt.Errorf("snapshot: %w after %d messages", errUnsettled, maxSteps)
	}
	var cmd tea.Cmd
	d.model, cmd = d.model.Update(msg)
	return d.run(cmd)
}

// run executes cmd and everything that follows from it, depth first.
func (d *driver) run(cmd tea.Cmd) error {
	if cmd == nil || d.quit {
		return nil
	}
	switch msg := cmd().(type) {
	case nil:
		return nil
	case tea.QuitMsg:
		d.quit = true
		return nil
	case tea.BatchMsg:
		for _, c := range msg {
			if err := d.run(c); err != nil {
				return err
			}
		}
		return nil
	default:
		return d.send(msg)
	}
}

// Screen returns the frame m shows, for printing: with color false it is
// plain text with no escape byte and no trailing spaces; with color true
// its colours are brought down to the 16 ANSI colours, which every
// terminal and CI log shows the same.
func Screen(m tea.Model, color bool) (string, error) {
	frame := m.View().Content
	if !color {
		lines := strings.Split(ansi.Strip(frame), "\n")
		for i, l := range lines {
			lines[i] = strings.TrimRight(l, " ")
		}
		return strings.Join(lines, "\n") + "\n", nil
	}
	var b strings.Builder
	w := colorprofile.Writer{Forward: &b, Profile: colorprofile.ANSI}
	if _, err := w.WriteString(frame + "\n"); err != nil {
		return "", fmt.Errorf("screen: %w", err)
	}
	return b.String(), nil
}
