//go:build linux

package main

import (
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"
)

// TestOpenMeasure measures, by hand, opening an article on an 80x24
// pseudo-terminal, tidings beside newsboat and beside a bare Bubble Tea
// program, with no terminal multiplexer in between: bench/peers.sh
// measures through tmux, whose own answer to a key (10-40 ms on the
// machines measured) is most of both programs' figures there. Each
// program starts on a store of each size in TIDINGS_OPEN (filled from the
// same feeds; newsboat's cache after sqlite3 ANALYZE, its fastest),
// searches "harvest", waits, and opens the first result; the time is from
// writing Enter to the output holding the article's marker (tidings: its
// scroll position, newsboat: its "Title:" line). Medians of
// TIDINGS_OPEN_RUNS runs (7 unless set), interleaved. It asserts
// nothing; it logs the figures, for bench/RESULTS.md. Without newsboat
// it measures tidings and the bare program.
//
//	TIDINGS_OPEN="10000 100000" go test -run OpenMeasure -v .
func TestOpenMeasure(t *testing.T) {
	sizes, runs, dir, tidings := measureSetup(t, "TIDINGS_OPEN")
	newsboat, err := exec.LookPath("newsboat")
	if err != nil {
		t.Logf("no newsboat (%v): tidings alone", err)
		newsboat = ""
	} else if _, err := exec.LookPath("sqlite3"); err != nil {
		t.Fatalf("newsboat's cache needs sqlite3 for its statistics: %v", err)
	}
	bare := filepath.Join(dir, "bare-keys")
	if err := os.WriteFile(bare+".go", []byte(bareKeysProgram), 0o644); err != nil {
		t.Fatal(err)
	}
	goBuild(t, bare, bare+".go")
	for _, n := range sizes {
		home := fillStores(t, tidings, filepath.Join(dir, strconv.Itoa(n)), n, newsboat)
		var tt, nt, bt []float64
		for range runs {
			bt = append(bt, openArticle(t, exec.Command(bare), tidingsMarks))
			tt = append(tt, openArticle(t, tidingsIn(tidings, home, "--offline"), tidingsMarks))
			if newsboat != "" {
				nt = append(nt, openArticle(t, newsboatIn(newsboat, home), newsboatMarks))
			}
		}
		t.Logf("%d stored: tidings opens an article in %.1f ms (median; runs %v)", n, median(tt), tt)
		t.Logf("a bare Bubble Tea program at tidings' frame rate answers the same key in %.1f ms (runs %v)", median(bt), bt)
		if newsboat != "" {
			t.Logf("%d stored: newsboat %.1f ms (runs %v); tidings %.2f× newsboat", n, median(nt), nt, median(tt)/median(nt))
		}
	}
}

// bareKeysProgram is a Bubble Tea program at the reader's frame rate
// that answers the keys openArticle sends with the marks it waits for
// and does nothing else: Bubble Tea's own share of opening an article.
// Its renderer draws at the frame rate's ticks only, so a frame ready
// after a key waits up to a tick (8.3 ms at 120 frames a second).
const bareKeysProgram = `package main

import tea "charm.land/bubbletea/v2"

type model struct{ screen string }

func (model) Init() tea.Cmd { return nil }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case k.String() == "/":
			m.screen = "search: "
		case k.String() == "enter" && m.screen == "search: ":
			m.screen = "1 match"
		case k.String() == "enter":
			m.screen = "article 0%"
		}
	}
	return m, nil
}

func (m model) View() tea.View {
	v := tea.NewView("\u258c " + m.screen)
	v.AltScreen = true
	return v
}

func main() { _, _ = tea.NewProgram(model{}, tea.WithFPS(120)).Run() }
`

// newsboatIn runs newsboat with its files in home.
func newsboatIn(bin, home string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, append([]string{"-u", filepath.Join(home, "urls"), "-c", filepath.Join(home, "cache.db"), "-C", filepath.Join(home, "newsboat.conf")}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+home)
	return cmd
}

// marks are what a program's screens show, in its output with the
// escape sequences taken out: its list, its search's results, an article.
type marks struct{ list, search, open *regexp.Regexp }

var (
	tidingsMarks  = marks{regexp.MustCompile("\u258c"), regexp.MustCompile(`[0-9,]+\+? match`), regexp.MustCompile(`[0-9]+%`)}
	newsboatMarks = marks{regexp.MustCompile(`Your feeds \(`), regexp.MustCompile(`Search results \(`), regexp.MustCompile(`Title: `)}
)

// openArticle runs cmd on an 80x24 pseudo-terminal, searches "harvest"
// and opens the first result; it returns the milliseconds the opening
// took.
func openArticle(t *testing.T, cmd *exec.Cmd, m marks) float64 {
	t.Helper()
	cmd.Env = append(cmd.Environ(), "TERM=xterm-256color")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80})
	if err != nil {
		t.Fatal(err)
	}
	term := newScreenLog(f)
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		f.Close()
	}()
	step := func(keys string, re *regexp.Regexp, wait time.Duration) time.Time {
		from := term.mark()
		if _, err := f.WriteString(keys); err != nil {
			t.Fatal(err)
		}
		at, ok := term.await(from, re, wait)
		if !ok {
			t.Fatalf("%s: no %q within %v after %q; the screen's output after them:\n%q", cmd.Path, re, wait, keys, term.since(from))
		}
		return at
	}
	step("", m.list, time.Minute)
	time.Sleep(time.Second)
	step("/", regexp.MustCompile(`.`), 10*time.Second)
	time.Sleep(300 * time.Millisecond)
	step("harvest\r", m.search, time.Minute)
	// A pause of no fixed length, so that Enter comes at any point of
	// Bubble Tea's frame ticks, not at the same one every run.
	time.Sleep(300*time.Millisecond + rand.N(10*time.Millisecond))
	sent := time.Now()
	return float64(step("\r", m.open, 10*time.Second).Sub(sent).Microseconds()) / 1000
}

// screenLog reads a program's output as it comes and notes when each
// piece arrived, so that a match is timed by the read that completed it.
type screenLog struct {
	mu    sync.Mutex
	out   bytes.Buffer
	grown *sync.Cond
	done  bool
	last  time.Time
}

func newScreenLog(f *os.File) *screenLog {
	l := &screenLog{}
	l.grown = sync.NewCond(&l.mu)
	go func() {
		buf := make([]byte, 64<<10)
		for {
			n, err := f.Read(buf)
			l.mu.Lock()
			l.out.Write(buf[:n])
			l.last = time.Now()
			l.done = err != nil
			l.grown.Broadcast()
			l.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return l
}

// since is the output after from, stripped of escape sequences.
func (l *screenLog) since(from int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return ansi.Strip(string(l.out.Bytes()[from:]))
}

// mark is where the output has got to.
func (l *screenLog) mark() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.out.Len()
}

// await waits until the output after from, stripped of escape sequences,
// matches re, and returns when the read that made it match arrived.
func (l *screenLog) await(from int, re *regexp.Regexp, wait time.Duration) (time.Time, bool) {
	expired := false
	timer := time.AfterFunc(wait, func() {
		l.mu.Lock()
		expired = true
		l.grown.Broadcast()
		l.mu.Unlock()
	})
	defer timer.Stop()
	l.mu.Lock()
	defer l.mu.Unlock()
	for {
		if re.MatchString(ansi.Strip(string(l.out.Bytes()[from:]))) {
			return l.last, true
		}
		if l.done || expired {
			return time.Time{}, false
		}
		l.grown.Wait()
	}
}
