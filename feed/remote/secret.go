package remote

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
	"unicode"
)

// Secret says where an account's secret (an API token or a password)
// comes from. The first that gives one wins: the environment variable,
// the command, the value in the file.
type Secret struct {
	Env     string // e.g. TIDINGS_SYNC_TOKEN
	Command string // e.g. "pass show miniflux": run without a shell, its first line taken
	Value   string // from the subscriptions file
	What    string // "token" or "password", for messages
	Where   string // the file and line of the [sync] table, for messages
}

// secretTimeout bounds the secret command: a password manager may ask
// for a passphrase, but not forever.
const secretTimeout = 2 * time.Minute

// Resolve returns the secret. It never puts the secret in an error: a
// failing command's error names the command and its exit, and shows what
// it wrote to stderr, never to stdout.
func (s Secret) Resolve(ctx context.Context, getenv func(string) string) (string, error) {
	if v := strings.TrimSpace(getenv(s.Env)); v != "" {
		return v, nil
	}
	if s.Command != "" {
		return s.run(ctx)
	}
	if s.Value != "" {
		return s.Value, nil
	}
	return "", fmt.Errorf("%s: no %s: set %s, secret_command or %s there", s.Where, s.What, s.Env, s.What)
}

func (s Secret) run(ctx context.Context) (string, error) {
	args, err := SplitCommand(s.Command)
	if err != nil {
		return "", fmt.Errorf("%s: secret_command: %w", s.Where, err)
	}
	ctx, cancel := context.WithTimeout(ctx, secretTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	var stdout, stderr bytes.Buffer
	// No stdin: the reader owns the terminal, and a password manager
	// that asks for a passphrase does so through its own agent.
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 200 {
			msg = msg[:200] + "…"
		}
		if msg != "" {
			msg = ": " + msg
		}
		return "", fmt.Errorf("%s: secret_command %q: %v%s", s.Where, args[0], err, msg)
	}
	line, _, _ := strings.Cut(stdout.String(), "\n")
	if line = strings.TrimSpace(line); line == "" {
		return "", fmt.Errorf("%s: secret_command %q printed no %s", s.Where, args[0], s.What)
	}
	return line, nil
}

// SplitCommand splits a command line into words as a shell would split
// simple ones, with single and double quotes and backslashes, and
// nothing else: no variables, globs, pipes or redirections, since no
// shell runs it.
func SplitCommand(line string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord, quote := false, rune(0)
	runes := []rune(line)
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote == '\'':
			cur.WriteRune(r)
		case r == '\\' && i+1 < len(runes) && (quote == 0 || strings.ContainsRune(`"\$`+"`", runes[i+1])):
			i++
			cur.WriteRune(runes[i])
			inWord = true
		case quote == '"':
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case unicode.IsSpace(r):
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, errors.New("a quote is not closed")
	}
	if inWord {
		words = append(words, cur.String())
	}
	if len(words) == 0 {
		return nil, errors.New("empty")
	}
	return words, nil
}
