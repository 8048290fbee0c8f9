//go:build linux

package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"tidings/articles"
	"tidings/articles/sqlite"
)

// ptySession is tidings running on a pseudo-terminal of 100x30, driven
// step by step while other processes work on the same files.
type ptySession struct {
	t    *testing.T
	cmd  *exec.Cmd
	f    *os.File
	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{}
}

func startPTY(t *testing.T, args ...string) *ptySession {
	t.Helper()
	cmd := mainCommand(args...)
	cmd.Env = append(cmd.Env, "TERM=xterm-256color", "COLORTERM=truecolor")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 30, Cols: 100})
	if err != nil {
		t.Fatal(err)
	}
	p := &ptySession{t: t, cmd: cmd, f: f, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		buf := make([]byte, 64<<10)
		for {
			n, err := f.Read(buf)
			p.mu.Lock()
			p.out.Write(buf[:n])
			p.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		f.Close()
	})
	return p
}

// waitFor waits until want has been written to the terminal after the
// offset from (a length of the output); it returns the new length.
func (p *ptySession) waitFor(from int, want string) int {
	p.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		p.mu.Lock()
		out := p.out.Bytes()[from:]
		i := bytes.Index(out, []byte(want))
		n := p.out.Len()
		p.mu.Unlock()
		if i >= 0 {
			return n
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("%q never appeared on the screen", want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// len is how much the program wrote so far: a waitFor from there sees
// only what comes next.
func (p *ptySession) len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.Len()
}

func (p *ptySession) press(keys string) {
	p.t.Helper()
	if _, err := io.WriteString(p.f, keys); err != nil {
		p.t.Fatal(err)
	}
}

// quit presses q and waits for tidings to end well.
func (p *ptySession) quit() {
	p.t.Helper()
	p.press("q")
	exited := make(chan error, 1)
	go func() { exited <- p.cmd.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			p.t.Fatalf("the reader: %v", err)
		}
	case <-time.After(60 * time.Second):
		p.t.Fatal("the reader did not quit")
	}
}

// localFeed writes an RSS file with one article titled title.
func localFeed(t *testing.T, path, title string, at time.Time) {
	t.Helper()
	doc := fmt.Sprintf(`<?xml version="1.0"?><rss version="2.0"><channel><title>%s feed</title>
<item><title>%s</title><guid>%s</guid><pubDate>%s</pubDate><description>About %s.</description></item>
</channel></rss>`, title, title, title, at.Format(time.RFC1123Z), title)
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
}

// mustRun runs tidings with args and wants exit status 0.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	status, out, errOut := runMain(t, nil, args...)
	if status != 0 {
		t.Fatalf("tidings %s: status %d\n%s%s", strings.Join(args, " "), status, out, errOut)
	}
	return out
}

// TestReaderBesideFetchAndAdd keeps a reader open on a terminal while
// tidings fetch and tidings add run beside it, as cron and another window
// would: both exit 0, the reader shows the fetched articles without a key,
// R fetches the feed added meanwhile, and the marks made in the reader and
// in another process are all kept.
func TestReaderBesideFetchAndAdd(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the program on a pseudo-terminal")
	}
	dir := t.TempDir()
	args := []string{"--config", filepath.Join(dir, "config.toml"), "--db", filepath.Join(dir, "tidings.db")}
	at := time.Now().Add(-time.Hour)
	alpha, bravo, charlie := filepath.Join(dir, "alpha.xml"), filepath.Join(dir, "bravo.xml"), filepath.Join(dir, "charlie.xml")
	localFeed(t, alpha, "Alpha tidings", at)
	mustRun(t, append(args, "add", alpha)...)

	r := startPTY(t, args...)
	n := r.waitFor(0, "Refreshed 1 feed")
	r.press("s") // stars the newest: Alpha
	n = r.waitFor(n, "Starred")

	localFeed(t, bravo, "Bravo tidings", at.Add(time.Minute))
	mustRun(t, append(args, "add", bravo)...)
	mustRun(t, append(args, "fetch")...)
	r.waitFor(n, "Bravo tidings") // no key pressed

	other, err := sqlite.Open(t.Context(), args[3], sqlite.Options{})
	if err != nil {
		t.Fatalf("another process opens the database beside the reader: %v", err)
	}
	p, err := other.Page(t.Context(), articles.Query{Terms: []string{"bravo"}}, 0, 1)
	if err != nil || len(p.Rows) != 1 {
		t.Fatalf("bravo: %+v, %v", p, err)
	}
	if err := other.SetRead(t.Context(), []string{p.Rows[0].ID}, true); err != nil {
		t.Fatalf("another process marks: %v", err)
	}
	other.Close()

	localFeed(t, charlie, "Charlie tidings", at.Add(2*time.Minute))
	mustRun(t, append(args, "add", charlie)...)
	n = r.len()
	r.press("R")
	r.waitFor(n, "Charlie tidings")
	r.waitFor(n, "Refreshed 3 feeds")
	r.quit()

	s, err := sqlite.Open(t.Context(), args[3], sqlite.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	all, err := s.Page(t.Context(), articles.Query{}, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	marks := map[string]articles.Row{}
	for _, row := range all.Rows {
		marks[row.Title] = row
	}
	if !marks["Alpha tidings"].Starred {
		t.Error("the star made in the reader was lost")
	}
	if !marks["Bravo tidings"].Read {
		t.Error("the read mark made by another process was lost")
	}
	if _, ok := marks["Charlie tidings"]; !ok {
		t.Error("R did not fetch the feed added while the reader was open")
	}
}
