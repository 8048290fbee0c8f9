package notify

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTitleCleans(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Plain title", "Plain title"},
		{"Red \x1b[31malert\x1b[0m\x07", "Red alert"},
		{"two\nlines\r\n", "two lines"},
		{"\x1b]52;c;ZXZpbA==\x07clip", "clip"},
		{"$(rm -rf ~) `id`", "$(rm -rf ~) `id`"},
	} {
		if got := Title(tc.in); got != tc.want {
			t.Errorf("Title(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	long := Title(strings.Repeat("é", 1<<20))
	if n := utf8.RuneCountInString(long); n != MaxTitle || !strings.HasSuffix(long, "…") {
		t.Errorf("a title of a million runes became %d runes ending %q", n, long[len(long)-3:])
	}
}

// TestRunPassesSingleArguments runs a real program, without a shell,
// that writes each argument it gets on a line of its own, and checks
// that a hostile title arrives as one cleaned argument.
func TestRunPassesSingleArguments(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to stand in for a notify program")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "args")
	script := filepath.Join(dir, "notify")
	// The script is the program: it is run directly, never through a
	// shell's parsing of the arguments.
	body := "#!" + sh + "\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> " + out + "; done\n"
	if err := os.WriteFile(script, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	title := "$(touch " + filepath.Join(dir, "pwned") + ") \x1b[2J; `id` " + strings.Repeat("x", 1<<20)
	if err := Run(context.Background(), []string{script, "--urgency=low"}, 3, title); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != 3 || lines[0] != "--urgency=low" || lines[1] != "3" {
		t.Fatalf("arguments = %q, want the configured one, the count, the title", lines)
	}
	if strings.ContainsRune(lines[2], '\x1b') || utf8.RuneCountInString(lines[2]) != MaxTitle ||
		!strings.HasPrefix(lines[2], "$(touch ") {
		t.Errorf("title argument = %q…, want the cleaned title cut to %d runes", lines[2][:40], MaxTitle)
	}
	if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
		t.Error("the title was run by a shell")
	}
}

func TestRunReportsFailure(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	err := Run(context.Background(), []string{"sh", "-c", "echo 'no display' >&2; exit 3", "sh"}, 1, "t")
	if err == nil || !strings.Contains(err.Error(), "no display") || !strings.Contains(err.Error(), "notify_command sh") {
		t.Errorf("err = %v, want the program, its exit and its message", err)
	}
	if err := Run(context.Background(), nil, 1, "t"); err == nil {
		t.Error("an empty command ran")
	}
	err = Run(context.Background(), []string{filepath.Join(t.TempDir(), "missing")}, 1, "t")
	if err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("err = %v, want the missing program named", err)
	}
}

func TestSequence(t *testing.T) {
	for _, tc := range []struct {
		terminal string
		want     Protocol
	}{
		{"kitty(0.35.2)", OSC9}, {"iTerm2 3.5.0", OSC9}, {"WezTerm 20240203", OSC9},
		{"ghostty 1.1.0", OSC9}, {"foot(1.18.0)", OSC777}, {"tmux 3.3a", None},
		{"XTerm(390)", None}, {"", None},
	} {
		if got := ProtocolFor(tc.terminal); got != tc.want {
			t.Errorf("ProtocolFor(%q) = %v, want %v", tc.terminal, got, tc.want)
		}
	}
	hostile := "Big\x1b]0;owned\x07 news; \u009b31m now"
	if got, want := Sequence(OSC9, 2, hostile), "\x1b]9;tidings: 2 new articles: Big news; now\x07"; got != want {
		t.Errorf("OSC 9 = %q, want %q", got, want)
	}
	if got, want := Sequence(OSC777, 1, hostile), "\x1b]777;notify;tidings: 1 new article;Big news, now\x07"; got != want {
		t.Errorf("OSC 777 = %q, want %q", got, want)
	}
	if got := Sequence(None, 1, "x"); got != "" {
		t.Errorf("None sent %q", got)
	}
}
