// Package notify tells the user that news a [[notify]] rule asks for has
// come: through the command the user configured (notify_command) and,
// from the reader, through the terminal's own desktop notification.
//
// Everything it passes on came from a feed, so it is cleaned first: no
// control or escape sequence, one line, a bounded length. The command
// runs without a shell, each value one argument, so "$(…)" in a title is
// only text.
package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"tidings/articles/termsafe"
)

// MaxTitle is the most runes of a title passed on: a notification shows a
// line, and a feed may send a title of a megabyte.
const MaxTitle = 200

// Timeout bounds a notify command: one that hangs must not hold a
// refresh (or a cron job) for ever.
const Timeout = 10 * time.Second

// Title cleans a feed's title for a notification: one line, no control
// or escape sequence, at most MaxTitle runes (ended with "…" when cut).
func Title(s string) string {
	s = termsafe.Line(s)
	if utf8.RuneCountInString(s) <= MaxTitle {
		return s
	}
	n := 0
	for i := range s {
		if n == MaxTitle-1 {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// Args returns the command line run for count new articles whose first
// title is title: the configured program and arguments, then the count
// and the cleaned title, each one argument.
func Args(argv []string, count int, title string) []string {
	args := append([]string(nil), argv...)
	return append(args, strconv.Itoa(count), Title(title))
}

// Run runs the notify command for count new articles, without a shell,
// and waits for it at most Timeout. Its output is discarded but for the
// start of what it wrote to standard error, which an error quotes.
func Run(ctx context.Context, argv []string, count int, title string) error {
	if len(argv) == 0 || argv[0] == "" {
		return errors.New("notify_command: no program given")
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	args := Args(argv, count, title)
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	var stderr bytes.Buffer
	cmd.Stderr = &limited{buf: &stderr, max: 4096}
	cmd.WaitDelay = time.Second // a child keeping the pipe open must not hold us
	err := cmd.Run()
	if ctx.Err() == context.DeadlineExceeded {
		return fmt.Errorf("notify_command %s: no answer in %s, stopped", argv[0], Timeout)
	}
	if err != nil {
		if msg := firstLine(stderr.String()); msg != "" {
			return fmt.Errorf("notify_command %s: %w: %s", argv[0], err, msg)
		}
		return fmt.Errorf("notify_command %s: %w", argv[0], err)
	}
	return nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return Title(s)
}

// limited keeps the first max bytes written to it and drops the rest, so
// a chatty command cannot fill the memory.
type limited struct {
	buf *bytes.Buffer
	max int
}

func (l *limited) Write(p []byte) (int, error) {
	if room := l.max - l.buf.Len(); room > 0 {
		l.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}
