package ui

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"tidings/articles"
	"tidings/articles/articlestest"
)

// testNow is the clock of every test: views must not depend on the day the
// tests run.
var testNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// opened records the links a test model opened.
type opened struct{ urls []string }

func (o *opened) open(url string) error {
	o.urls = append(o.urls, url)
	return nil
}

func testOptions(s articles.Store) Options {
	return Options{
		Store:    s,
		Now:      func() time.Time { return testNow },
		Location: time.UTC,
		Style:    "dark",
		OpenURL:  (&opened{}).open,
	}
}

func bundledStore(t testing.TB) *articlestest.MemStore {
	t.Helper()
	arts, err := articles.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	return articlestest.NewMemStore(arts...)
}

// drive runs a model at a size through keys, like the snapshot command.
func drive(t testing.TB, m Model, w, h int, keys string) Model {
	t.Helper()
	presses, err := ParseInput(keys)
	if err != nil {
		t.Fatal(err)
	}
	final, err := Snapshot(m, w, h, presses)
	if err != nil {
		t.Fatal(err)
	}
	return final.(Model)
}

func plain(t testing.TB, m tea.Model) string {
	t.Helper()
	s, err := Screen(m, false)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func stripANSI(s string) string { return ansi.Strip(s) }

// press sends keys to a model drive started, without starting it again.
func press(t testing.TB, m Model, keys string) Model {
	t.Helper()
	presses, err := ParseInput(keys)
	if err != nil {
		t.Fatal(err)
	}
	final, err := Press(m, presses...)
	if err != nil {
		t.Fatal(err)
	}
	return final.(Model)
}
