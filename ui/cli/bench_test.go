package cli

import (
	"runtime"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"tidings/articles/sqlite"
	"tidings/articles/sqlite/sqlitetest"
	"tidings/ui"
)

// BenchmarkColdStartFirstFrame is a start of the reader with 100,000
// stored articles, up to its first frame showing them: open the database,
// add the bundled articles, build the model, load the first page and the
// counts, and draw.
func BenchmarkColdStartFirstFrame(b *testing.B) {
	e := Env{DBPath: sqlitetest.BigDB(b), Style: "auto", Version: "bench", Now: time.Now}
	firstFrames(b, e, func() (*sqlite.Store, error) {
		s, _, err := e.openStore(b.Context(), forWrite, defaultSetup())
		return s, err
	})
}

// firstFrames opens the store with open and draws the reader's first
// frame, once a loop of b.
func firstFrames(b *testing.B, e Env, open func() (*sqlite.Store, error)) {
	for b.Loop() {
		s, err := open()
		if err != nil {
			b.Fatal(err)
		}
		m, err := ui.Snapshot(ui.New(e.modelOptions(s, nil)), 80, 24, nil)
		if err != nil {
			b.Fatal(err)
		}
		if frame := m.View().Content; len(frame) == 0 {
			b.Fatal("empty frame")
		}
		s.Close()
	}
}

// BenchmarkStoredListKeypress and BenchmarkStoredSearchKeystroke run the
// reader on 100,000 stored articles: a key that moves the selection, and
// a letter typed into the search, each with the store reads it starts and
// the frame.
func BenchmarkStoredListKeypress(b *testing.B) {
	m := storedModel(b, "")
	down := tea.KeyPressMsg{Code: 'j', Text: "j"}
	for b.Loop() {
		var err error
		if m, err = ui.Press(m, down); err != nil {
			b.Fatal(err)
		}
		_ = m.View()
	}
}

func BenchmarkStoredSearchKeystroke(b *testing.B) {
	typed := []rune("trade")
	m := storedModel(b, "/")
	for i := 0; b.Loop(); i++ {
		keys := []tea.Msg{tea.KeyPressMsg{Code: typed[i%len(typed)], Text: string(typed[i%len(typed)])}}
		if i%len(typed) == 0 {
			keys = append([]tea.Msg{tea.KeyPressMsg{Code: tea.KeyEscape}, tea.KeyPressMsg{Code: '/', Text: "/"}}, keys...)
		}
		var err error
		if m, err = ui.Press(m, keys...); err != nil {
			b.Fatal(err)
		}
		_ = m.View()
	}
}

func storedModel(b *testing.B, keys string) tea.Model {
	s, err := sqlite.Open(b.Context(), sqlitetest.BigDB(b), sqlite.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	e := Env{Style: "auto", Now: time.Now}
	presses, err := ui.ParseInput(keys)
	if err != nil {
		b.Fatal(err)
	}
	m, err := ui.Snapshot(ui.New(e.modelOptions(s, nil)), 80, 24, presses)
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// TestMemoryWith100k reports the heap the reader holds with 100,000
// stored articles after start and after paging to the end; it fails only
// if that heap passes the 100 MB budget.
func TestMemoryWith100k(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a database of 100,000 articles")
	}
	if raceEnabled {
		// It measures memory, which the detector's own would swamp, and
		// building the articles under it takes many minutes.
		t.Skip("a memory measurement: not under the race detector")
	}
	path := sqlitetest.BigDB(t)
	e := Env{DBPath: path, Style: "auto", Now: time.Now}
	s, _, err := e.openStore(t.Context(), forWrite, defaultSetup())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	keys, _ := ui.ParseInput("G g / trade enter")
	m, err := ui.Snapshot(ui.New(e.modelOptions(s, nil)), 160, 48, keys)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("heap in use with 100,000 stored articles: %.1f MiB (frame of %d bytes)", float64(ms.HeapInuse)/(1<<20), len(m.View().Content))
	if ms.HeapInuse > 100<<20 {
		t.Errorf("heap %d MiB over the 100 MB budget", ms.HeapInuse>>20)
	}
}

// BenchmarkMillionColdStart and BenchmarkMillionSearchKeystroke are
// BenchmarkColdStartFirstFrame and a search typed into the reader at
// 1,000,000 stored articles; they run only when sqlitetest.MillionEnv
// asks for them (minutes to build the database).
func BenchmarkMillionColdStart(b *testing.B) {
	e := Env{DBPath: sqlitetest.MillionDB(b), Style: "auto", Version: "bench", Now: time.Now}
	firstFrames(b, e, func() (*sqlite.Store, error) {
		return sqlite.Open(b.Context(), e.DBPath, sqlite.Options{ReadOnly: true})
	})
}

// BenchmarkMillionSearchKeystroke types "harvest" a letter at a time, as
// bench/peers.sh does, each letter with its store reads and frame.
func BenchmarkMillionSearchKeystroke(b *testing.B) {
	s, err := sqlite.Open(b.Context(), sqlitetest.MillionDB(b), sqlite.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	e := Env{Style: "auto", Now: time.Now}
	typed := []rune("harvest")
	m, err := ui.Snapshot(ui.New(e.modelOptions(s, nil)), 80, 24, []tea.Msg{tea.KeyPressMsg{Code: '/', Text: "/"}})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; b.Loop(); i++ {
		keys := []tea.Msg{tea.KeyPressMsg{Code: typed[i%len(typed)], Text: string(typed[i%len(typed)])}}
		if i%len(typed) == 0 {
			keys = append([]tea.Msg{tea.KeyPressMsg{Code: tea.KeyEscape}, tea.KeyPressMsg{Code: '/', Text: "/"}}, keys...)
		}
		if m, err = ui.Press(m, keys...); err != nil {
			b.Fatal(err)
		}
		_ = m.View()
	}
}
