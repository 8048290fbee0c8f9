//go:build linux

package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// childSetup applies TIDINGS_TEST_FSIZE, a limit on the size of files the
// child may write: past it a write fails as on a full disk (EFBIG rather
// than ENOSPC, with SIGXFSZ ignored), which tests the handling of a write
// that fails without filling the test machine's disk.
func childSetup() {
	n, err := strconv.ParseUint(os.Getenv("TIDINGS_TEST_FSIZE"), 10, 64)
	if err != nil {
		return
	}
	signal.Ignore(syscall.SIGXFSZ)
	lim := syscall.Rlimit{Cur: n, Max: n}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		panic(err)
	}
}

// TestFetchStopsOnSIGTERM runs tidings fetch on a good feed and one whose
// server never answers, and sends SIGTERM once the good feed is in and the
// other request is waiting: tidings must stop at once (well before the 20 s
// fetch timeout), say why, and exit with 143 although a feed succeeded.
// The 10 s bound is a liveness check, not a measure.
func TestFetchStopsOnSIGTERM(t *testing.T) {
	started := make(chan struct{})
	var once sync.Once
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/good" {
			io.WriteString(w, `<rss version="2.0"><channel><title>Good</title><item><title>One</title><guid>1</guid></item></channel></rss>`)
			return
		}
		once.Do(func() { close(started) })
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	}))
	defer srv.Close()
	defer close(stop)

	dir := t.TempDir()
	config := filepath.Join(dir, "config.toml")
	toml := fmt.Sprintf("[[feeds]]\nurl = %q\n\n[[feeds]]\nurl = %q\n", srv.URL+"/good", srv.URL+"/hang")
	if err := os.WriteFile(config, []byte(toml), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := mainCommand("fetch", "--config", config, "--db", filepath.Join(dir, "t.db"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 10)
	go func() {
		defer close(lines)
		for sc := bufio.NewScanner(out); sc.Scan(); {
			lines <- sc.Text()
		}
	}()
	timeout := time.After(30 * time.Second)
	for good, hang := false, false; !good || !hang; {
		select {
		case <-started:
			hang, started = true, nil
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("tidings fetch ended before the signal: %v\n%s", cmd.Wait(), stderr.String())
			}
			if !strings.HasPrefix(line, "ok     Good") {
				t.Fatalf("unexpected line %q", line)
			}
			good = true
		case <-timeout:
			cmd.Process.Kill()
			t.Fatal("the fetches never came")
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var rest []string
	deadline := time.After(10 * time.Second)
collect:
	for {
		select {
		case line, ok := <-lines: // closed when tidings exits
			if !ok {
				break collect
			}
			rest = append(rest, line)
		case <-deadline:
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("tidings fetch still running 10 s after SIGTERM\n%s", stderr.String())
		}
	}
	err = cmd.Wait()
	t.Logf("%v\nstdout after the signal: %q\nstderr: %q", err, rest, stderr.String())
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 128+int(syscall.SIGTERM) {
		t.Errorf("tidings fetch ended with %v after SIGTERM, want exit status 143", err)
	}
	if !strings.Contains(stderr.String(), "tidings: stopped by SIGTERM") {
		t.Errorf("stderr %q, want it to say tidings was stopped by SIGTERM", stderr.String())
	}
	if len(rest) != 1 || !strings.Contains(rest[0], "/hang: stopped by SIGTERM") {
		t.Errorf("after the signal, tidings printed %q; want the waiting feed's error, saying why", rest)
	}
}

// startStuck starts tidings with a command that never returns, however
// cancelled (stuckRun), and returns its stdout lines once it has started.
func startStuck(t *testing.T) (cmd *exec.Cmd, lines <-chan string, stderr *bytes.Buffer) {
	t.Helper()
	cmd = mainCommand("fetch")
	cmd.Env = append(cmd.Env, "TIDINGS_TEST_STUCK=1")
	stderr = new(bytes.Buffer)
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ch := make(chan string, 10)
	go func() {
		defer close(ch)
		for sc := bufio.NewScanner(out); sc.Scan(); {
			ch <- sc.Text()
		}
	}()
	stuckWant(t, cmd, ch, "started")
	return cmd, ch, stderr
}

// stuckWant waits for line from the stuck command, killing it if it does
// not come within 30 s (a liveness bound).
func stuckWant(t *testing.T, cmd *exec.Cmd, lines <-chan string, want string) {
	t.Helper()
	select {
	case line := <-lines:
		if line != want {
			t.Fatalf("line %q, want %q", line, want)
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("no line %q in 30 s", want)
	}
}

// stuckWait waits for the stuck command to end, at most 30 s.
func stuckWait(t *testing.T, cmd *exec.Cmd, lines <-chan string) error {
	t.Helper()
	for {
		select {
		case _, ok := <-lines:
			if !ok {
				return cmd.Wait()
			}
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatal("tidings still running 30 s after the signal")
		}
	}
}

// TestStuckCommandStopsOnSIGTERM: a command stuck where its context does
// not reach still ends, stopGrace after SIGTERM, saying so.
func TestStuckCommandStopsOnSIGTERM(t *testing.T) {
	t.Parallel()
	cmd, lines, stderr := startStuck(t)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	stuckWant(t, cmd, lines, "cancelled")
	err := stuckWait(t, cmd, lines)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 128+int(syscall.SIGTERM) {
		t.Errorf("ended with %v, want exit status 143", err)
	}
	if want := "tidings: stopped by SIGTERM before it finished (it had not stopped 5s later"; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
}

// TestSecondSignalEndsAtOnce: once a first SIGTERM has cancelled the
// command, a second one ends tidings as the signal does by default,
// without waiting for the command.
func TestSecondSignalEndsAtOnce(t *testing.T) {
	t.Parallel()
	cmd, lines, _ := startStuck(t)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	stuckWant(t, cmd, lines, "cancelled")
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := stuckWait(t, cmd, lines)
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("ended with %v, want killed by SIGTERM", err)
	}
	if ws, ok := exit.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Errorf("ended with %v, want killed by SIGTERM", err)
	}
}
