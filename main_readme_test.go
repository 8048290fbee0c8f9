package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeExamples runs every tidings command README.md shows in its sh
// blocks, as written, in order, in a home of its own: each must exit 0.
// Those that need the network (fetch, of example.org) or a terminal (the
// reader itself) are left out, and only those.
func TestReadmeExamples(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := readmeCommands(string(readme))
	if len(lines) < 10 {
		t.Fatalf("found only %d tidings commands in README.md", len(lines))
	}
	repo, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(home, "data"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, "state"))
	// Paths in the examples are relative to a clone: the work happens in
	// a folder of its own that sees the repository's feed/ folder.
	if err := os.Symlink(filepath.Join(repo, "feed"), filepath.Join(home, "feed")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(home)
	ran := 0
	for _, line := range lines {
		args, out := readmeArgs(line)
		if len(args) == 0 || args[0] == "fetch" {
			continue // the reader needs a terminal; fetch, the network
		}
		var stdout, stderr bytes.Buffer
		if status := exitStatus(run, args, &stdout, &stderr); status != 0 {
			t.Errorf("%s: exit status %d\n%s", line, status, stderr.String())
		}
		if out != "" {
			if err := os.WriteFile(out, stdout.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		ran++
	}
	if ran < 10 {
		t.Errorf("ran only %d README commands", ran)
	}
}

// readmeCommands returns the lines of README.md's sh blocks that run
// tidings, without their comments.
func readmeCommands(readme string) []string {
	var out []string
	inSh := false
	for _, l := range strings.Split(readme, "\n") {
		switch {
		case strings.HasPrefix(l, "```sh"):
			inSh = true
		case strings.HasPrefix(l, "```"):
			inSh = false
		case inSh && strings.HasPrefix(l, "tidings "):
			if i := strings.Index(l, " #"); i >= 0 {
				l = l[:i]
			}
			out = append(out, strings.TrimSpace(l))
		}
	}
	return out
}

// readmeArgs splits a command line as a shell would for these examples:
// words, double-quoted strings, and a final "> FILE".
func readmeArgs(line string) (args []string, out string) {
	if cmd, file, ok := strings.Cut(line, " > "); ok {
		line, out = cmd, strings.TrimSpace(file)
	}
	var word strings.Builder
	var quote rune // the quote open, as a shell reads them: '…' and "…"
	inWord := false
	for _, r := range strings.TrimPrefix(line, "tidings") {
		switch {
		case quote == 0 && (r == '"' || r == '\''):
			quote, inWord = r, true
		case r == quote:
			quote = 0
		case r == ' ' && quote == 0:
			if inWord {
				args = append(args, word.String())
				word.Reset()
				inWord = false
			}
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		args = append(args, word.String())
	}
	return args, out
}
