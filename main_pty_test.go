//go:build linux

package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/creack/pty"
)

// ptyRun runs tidings on a pseudo-terminal of 100x30, waits for want on
// the screen, presses keys (a string each, written as the terminal would
// send them) and returns everything tidings wrote once it has quit.
func ptyRun(t *testing.T, args []string, want string, keys []string) []byte {
	t.Helper()
	cmd := mainCommand(args...)
	cmd.Env = append(cmd.Env, "TERM=xterm-256color", "COLORTERM=truecolor")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 30, Cols: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var mu sync.Mutex
	var out bytes.Buffer
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 64<<10)
		for {
			n, err := f.Read(buf)
			mu.Lock()
			out.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	seen := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return bytes.Contains(out.Bytes(), []byte(want))
	}
	deadline := time.Now().Add(60 * time.Second)
	for !seen() {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("%q never appeared on the screen", want)
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, k := range keys {
		if _, err := io.WriteString(f, k); err != nil {
			t.Fatal(err)
		}
		pause := 15 * time.Millisecond
		if k == "\x1b" {
			pause = 250 * time.Millisecond // else ESC and the next key read as alt+key
		}
		time.Sleep(pause)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("tidings: %v", err)
		}
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("tidings did not quit")
	}
	// The terminal's output is read to its end (the read fails once the
	// program's side has closed and all is drained) before the terminal
	// is closed: closing it first drops what was not read yet, and a
	// sequence cut short would look like one the program never writes.
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		f.Close()
		<-done
	}
	f.Close()
	mu.Lock()
	defer mu.Unlock()
	return bytes.Clone(out.Bytes())
}

// ptySequence matches one escape sequence: CSI, OSC and the other control
// strings (DCS, SOS, PM, APC) to their terminator, or an ESC and the byte
// after it.
var ptySequence = regexp.MustCompile(`\x1b(\[[0-?]*[ -/]*[@-~]|[\]PX^_][^\x07\x1b]*(\x07|\x1b\\)?|[ -/]*[0-~])`)

// ptyDrawing matches the CSI sequences a renderer draws with: cursor
// moves, erasing, scrolling, inserting and deleting, SGR styling, and
// autowrap off and on around the last column, reverse index (ESC M). They
// only move the cursor, change cells or set colours, whatever their
// numbers.
var ptyDrawing = regexp.MustCompile(`^\x1b(\[([0-9;:]*[ABCDEFGHJKLMPSTXd@bmr]|\?7[hl])|M)$`)

// ptyKind names a sequence for comparison with the baseline run: "draw"
// for a drawing sequence, anything else verbatim (the modes the program
// sets and the queries it sends are the same bytes every run).
func ptyKind(seq string) string {
	if ptyDrawing.MatchString(seq) {
		return "draw"
	}
	return fmt.Sprintf("%q", seq)
}

// ptyOwnLink matches the OSC 8 hyperlinks the program writes: to an
// http(s) target, or the end of a link.
var ptyOwnLink = regexp.MustCompile(`^\x1b\]8;[!-~]*;((?i:https?://)[!-~]+)?(\x07|\x1b\\)$`)

// ptyCheck fails for anything in out that the program itself does not
// write: escape sequences of kinds the baseline run does not have (OSC 8
// aside, checked on its own), and control characters outside sequences.
func ptyCheck(t *testing.T, out []byte, baseline map[string]bool) map[string]int {
	t.Helper()
	s := string(out)
	kinds := map[string]int{}
	for _, seq := range ptySequence.FindAllString(s, -1) {
		if strings.HasPrefix(seq, "\x1b]8;") {
			if !ptyOwnLink.MatchString(seq) {
				t.Errorf("hyperlink the program does not write: %q", seq)
			}
			kinds["OSC 8"]++
			continue
		}
		k := ptyKind(seq)
		kinds[k]++
		if baseline != nil && !baseline[k] {
			t.Errorf("escape sequence the program does not write: %q", seq)
		}
	}
	text := ptySequence.ReplaceAllString(s, "")
	for i, r := range text {
		switch {
		case r == utf8.RuneError:
			if _, n := utf8.DecodeRuneInString(text[i:]); n == 1 {
				t.Errorf("invalid UTF-8 on the terminal: %q", text[max(i-20, 0):min(i+20, len(text))])
			}
		case r == '\r' || r == '\n' || r == '\b' || r == '\t':
			// The renderer moves the cursor with these. Feed text cannot
			// bring them: the frame filter turns tabs into spaces and
			// removes the rest.
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			t.Errorf("control character %U on the terminal: %q", r, text[max(i-20, 0):min(i+20, len(text))])
		}
	}
	return kinds
}

// ptyKeys walks the reader through everything it can show: every article
// in the list and the reader, the reader scrolled, the help, the feeds
// view with each feed's error, a search.
func ptyKeys(articles int) []string {
	var keys []string
	for range articles {
		keys = append(keys, "j")
	}
	keys = append(keys, "g", "\r", " ", " ", "\t", "?", "\x1b", "F")
	for range 80 {
		keys = append(keys, "j")
	}
	keys = append(keys, "\x1b", "/", "p", "w", "n", "\r", "\r", "n", "\x1b", "q")
	return keys
}

// TestHostileFeedsOnATerminal runs the real program on a pseudo-terminal
// with the hostile corpus (feed/testdata/hostile) and checks that what
// reaches the terminal holds no escape sequence the program does not
// itself write when showing only its bundled articles: no clipboard
// write, no title set or report request, no DCS, APC (but its own
// graphics query), PM or sixel, no hyperlink but its own to http(s).
func TestHostileFeedsOnATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the program on a pseudo-terminal")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "none.db")
	base := ptyRun(t, []string{"--db", db, "--offline"}, "Welcome to tidings", ptyKeys(3))
	baseline := map[string]bool{}
	for k := range ptyCheck(t, base, nil) {
		baseline[k] = true
	}

	files, err := filepath.Glob(filepath.Join("feed", "testdata", "hostile", "*"))
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"--db", db, "--offline"}
	for _, f := range files {
		if !strings.HasSuffix(f, ".md") {
			args = append(args, "--feed", f)
		}
	}
	if n := len(args) / 2; n < 40 {
		t.Fatalf("only %d hostile feeds", n)
	}
	out := ptyRun(t, args, "Refreshed", ptyKeys(200))
	kinds := ptyCheck(t, out, baseline)
	if kinds["OSC 8"] == 0 {
		t.Error("no hyperlink was written: the reader did not show the articles")
	}
	// The one APC the program writes itself here is its graphics query
	// (ui/images_detect.go), asked once at start; this terminal does not
	// answer it, so no picture follows.
	own := bytes.ReplaceAll(out, []byte(kittyQuery), nil)
	for _, bad := range []string{"\x1b]52", "\x1b]0;", "\x1b]2;", "\x1bP", "\x1b_", "\x1b^", "\x1bX", "\x1b[21t", "\x1b[14t"} {
		if bytes.Contains(own, []byte(bad)) {
			t.Errorf("the terminal received %q", bad)
		}
	}
	if t.Failed() {
		os.WriteFile(filepath.Join(os.TempDir(), "tidings-pty.out"), out, 0o644)
		t.Logf("output kept in %s; kinds: %v", filepath.Join(os.TempDir(), "tidings-pty.out"), slices.Sorted(func(yield func(string) bool) {
			for k := range kinds {
				if !yield(k) {
					return
				}
			}
		}))
	}
}

// TestReadOnATerminal runs "tidings read" on a pseudo-terminal for every
// article of the feed whose entities are made of pieces (an '&', an empty
// element, "#27;"): what it prints holds no sequence that reading the
// bundled article does not, and no hyperlink but the article's own.
func TestReadOnATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the program on a pseudo-terminal")
	}
	db := filepath.Join(t.TempDir(), "none.db")
	args := []string{"--db", db, "--offline"}
	base := ptyRun(t, append(args, "read", "1"), "Welcome to tidings", nil)
	baseline := map[string]bool{}
	for k := range ptyCheck(t, base, nil) {
		baseline[k] = true
	}
	feedArgs := append(args, "--feed", filepath.Join("feed", "testdata", "entities", "split.xml"))
	for id := 3; id <= 11; id++ { // 1 and 2 are the bundled articles
		out := ptyRun(t, append(feedArgs, "read", fmt.Sprint(id)), "x.example", nil)
		ptyCheck(t, out, baseline)
		for _, bad := range []string{"\x1b]52", "\x1b]0;", "\x1b[2J", "evil.example/\x07", "evil.example/\x1b\\"} {
			if bytes.Contains(out, []byte(bad)) {
				t.Errorf("read %d: the terminal received %q", id, bad)
			}
		}
	}
}
