package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// update is accepted so that "go test ./... -update", which rewrites the
// golden files of the ui package, also runs here.
var _ = flag.Bool("update", false, "rewrite golden files (unused in this package)")

// TestMain runs main itself when asked, so that tests can check exit
// statuses of the real command: see mainCommand.
func TestMain(m *testing.M) {
	if os.Getenv("TIDINGS_TEST_MAIN") == "1" {
		// The child: the parent set its environment (temporary XDG
		// directories included) and its arguments.
		childSetup()
		os.Args = append([]string{"tidings"}, strings.Split(os.Getenv("TIDINGS_TEST_ARGV"), "\n")...)
		if os.Args[1] == "" {
			os.Args = os.Args[:1]
		}
		if os.Getenv("TIDINGS_TEST_STUCK") == "1" {
			os.Exit(exitStatus(stuckRun, os.Args[1:], os.Stdout, os.Stderr))
		}
		main()
		os.Exit(0)
	}
	// No test reads or writes the user's files.
	dir, err := os.MkdirTemp("", "tidings-main-test")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CONFIG_HOME", dir+"/config")
	os.Setenv("XDG_DATA_HOME", dir+"/data")
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// stuckRun stands for a command stuck where no context reaches, as an
// open(2) of a named pipe is: it says when it starts and when its context
// ends, and never returns.
func stuckRun(ctx context.Context, _ []string, stdout, _ io.Writer) error {
	fmt.Fprintln(stdout, "started")
	<-ctx.Done()
	fmt.Fprintln(stdout, "cancelled")
	time.Sleep(time.Hour)
	return nil
}

// mainCommand returns the command that runs tidings with args: this test
// binary, which TestMain turns into tidings.
func mainCommand(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "TIDINGS_TEST_MAIN=1", "TIDINGS_TEST_ARGV="+strings.Join(args, "\n"))
	return cmd
}

const fixedNow = "--now=2026-11-26T12:00:00Z"

func snapshot(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if err := run(t.Context(), append([]string{"snapshot", fixedNow}, args...), &out, &errOut); err != nil {
		t.Fatalf("snapshot %q: %v", args, err)
	}
	return out.String()
}

func TestSnapshotOpensSeedArticle(t *testing.T) {
	out := snapshot(t, "--size", "100x30", "--keys", "/ putin enter enter")
	if strings.ContainsRune(out, 0x1b) {
		t.Error("plain snapshot holds an escape byte")
	}
	for _, want := range []string{"Xi Jinping Hosts Vladimir Putin in Beijing", "Beijing: In a grand display"} {
		if !strings.Contains(out, want) {
			t.Errorf("snapshot lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "\n"); n != 30 {
		t.Errorf("snapshot has %d lines, want 30", n)
	}
}

func TestSnapshotIsByteIdentical(t *testing.T) {
	for _, args := range [][]string{
		{"--size", "100x30", "--keys", "/ putin enter enter"},
		{"--size", "120x40", "--keys", "enter", "--color", "ansi"},
		{"--keys", "?"},
	} {
		first := snapshot(t, args...)
		for range 3 {
			if again := snapshot(t, args...); again != first {
				t.Fatalf("snapshot %q differs between runs", args)
			}
		}
	}
}

func TestSnapshotColor(t *testing.T) {
	out := snapshot(t, "--color", "ansi")
	if !strings.Contains(out, "\x1b[") {
		t.Error("--color ansi printed no styling")
	}
	if strings.Contains(out, "38;2;") || strings.Contains(out, "38;5;") {
		t.Error("--color ansi printed colours beyond the 16 ANSI ones")
	}
}

func TestSnapshotDefaultSize(t *testing.T) {
	out := snapshot(t)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 24 {
		t.Errorf("default snapshot has %d lines, want 24", len(lines))
	}
}

func TestCommandLineErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"snapshot", "--size", "100"}, `--size "100": want WIDTHxHEIGHT`},
		{[]string{"snapshot", "--size", "0x10"}, `--size "0x10"`},
		{[]string{"snapshot", "--size", "axb"}, `--size "axb"`},
		{[]string{"snapshot", "--keys", "ctrl+"}, `--keys: key "ctrl+"`},
		{[]string{"snapshot", "--color", "rainbow"}, `--color "rainbow": want none or ansi`},
		{[]string{"snapshot", "--now", "yesterday"}, `--now "yesterday"`},
		{[]string{"snapshot", "--frobnicate"}, "flag provided but not defined: -frobnicate"},
		{[]string{"snapshot", "extra"}, `snapshot takes 0 argument(s), got 1`},
		{[]string{"add"}, `add takes 1 argument(s), got 0`},
		{[]string{"list", "--limit", "0"}, `--limit 0`},
		{[]string{"--style", "neon", "snapshot"}, `--style "neon"`},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		err := run(t.Context(), tt.args, &out, &errOut)
		if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("run(%q) = %v, want a usage error with %q", tt.args, err, tt.want)
		}
	}
}

// TestExitStatus runs the real command: a bad command line exits 2 with a
// message on stderr, a good snapshot exits 0.
func TestExitStatus(t *testing.T) {
	tests := []struct {
		args   string
		status int
		stderr string
	}{
		{"snapshot --size 10", 2, `tidings: --size "10"`},
		{"snapshot --keys f99", 2, `tidings: --keys: key "f99"`},
		{"snapshot --bogus", 2, "tidings: snapshot: flag provided but not defined: -bogus"},
		{"snapshot --size 40x10", 0, ""},
		{"--version", 0, ""},
	}
	for _, tt := range tests {
		cmd := mainCommand(strings.Fields(tt.args)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		status := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			status = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if status != tt.status || !strings.Contains(stderr.String(), tt.stderr) {
			t.Errorf("tidings %s: status %d stderr %q, want %d %q", tt.args, status, stderr.String(), tt.status, tt.stderr)
		}
	}
}

// TestSnapshotSaysWhatWouldOpen: o in a snapshot opens nothing, and the
// status line says what it would have opened rather than "Opened".
func TestSnapshotSaysWhatWouldOpen(t *testing.T) {
	db := filepath.Join(t.TempDir(), "none.db")
	out := snapshot(t, "--db", db, "--offline", "--feed", filepath.Join("feed", "testdata", "entities", "split.xml"), "--size", "160x20", "--keys", "o")
	if strings.Contains(out, "Opened") || !strings.Contains(out, "Would open http://x.example/across (a snapshot opens nothing)") {
		t.Errorf("status after o in a snapshot:\n%s", out)
	}
}

// TestCommandHelp: "tidings CMD --help" and "tidings help CMD" print that
// command's usage, its own flags and an example, with exit status 0; a bad
// flag names the command and where its usage is.
func TestCommandHelp(t *testing.T) {
	for _, args := range [][]string{{"list", "--help"}, {"help", "list"}, {"read", "-h"}, {"snapshot", "--help"}} {
		var out, errOut bytes.Buffer
		status := exitStatus(run, args, &out, &errOut)
		text := out.String()
		want := "Usage: tidings " + args[0]
		if args[0] == "help" {
			want = "Usage: tidings " + args[1]
		}
		if status != 0 || !strings.HasPrefix(text, want) || !strings.Contains(text, "Example:\n  tidings ") {
			t.Errorf("%q: status %d, output:\n%s%s", args, status, text, errOut.String())
		}
		if strings.Contains(text, "tidings fetch ") && args[0] != "fetch" {
			t.Errorf("%q printed the global help:\n%s", args, text)
		}
	}
	if !strings.Contains(func() string {
		var out bytes.Buffer
		exitStatus(run, []string{"list", "--help"}, &out, &out)
		return out.String()
	}(), "--limit N ") {
		t.Error("list --help does not list its own flags")
	}
	var out, errOut bytes.Buffer
	if status := exitStatus(run, []string{"read", "--bogus", "1"}, &out, &errOut); status != 2 || !strings.Contains(errOut.String(), "tidings read --help") {
		t.Errorf("a bad flag: status %d, %q", status, errOut.String())
	}
}
