// Command tidings is a terminal news reader. This file parses the command
// line and wires the packages together; the reader is in ui, the articles
// and their store in articles.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"tidings/articles"
	"tidings/ui"
)

// errUsage marks a bad command line: exit status 2, as flag does.
var errUsage = errors.New("usage")

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		fmt.Fprintln(os.Stderr, "tidings:", strings.TrimSuffix(strings.TrimPrefix(err.Error(), "usage: "), ": usage"))
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "tidings:", err)
		os.Exit(1)
	}
}

// options are the flags every command shares.
type options struct {
	style   string
	version bool
}

// glamourStyles are the styles --style accepts besides a JSON style file.
var glamourStyles = []string{"auto", "dark", "light", "notty", "ascii", "dracula", "pink", "tokyo-night"}

// sharedFlags registers the shared flags on fs, with o's values as defaults,
// so that they may come before the command or after it.
func sharedFlags(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.style, "style", o.style, "Glamour style: "+strings.Join(glamourStyles, ", ")+", or a JSON style file")
	fs.BoolVar(&o.version, "version", o.version, "print the version and exit")
}

func run(args []string, stdout, stderr io.Writer) error {
	o := options{style: "auto"}
	fs := newFlagSet("tidings", stderr, usageText)
	sharedFlags(fs, &o)
	if err := fs.Parse(args); err != nil {
		return usageErr(err)
	}
	if o.version {
		fmt.Fprintln(stdout, "tidings", version())
		return nil
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return runReader(o)
	}
	switch rest[0] {
	case "snapshot":
		return runSnapshot(o, rest[1:], stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usageText)
		return nil
	}
	return fmt.Errorf("%w: unknown command %q (try tidings --help)", errUsage, rest[0])
}

const usageText = `tidings: a terminal news reader

Usage:
  tidings [flags]                     read the news
  tidings snapshot [flags]            print one screen without a terminal
      --size WxH       screen size (default 80x24)
      --keys KEYS      keys to press, e.g. "/ putin enter enter"
      --color MODE     none (plain text, the default) or ansi
      --now TIME       the clock, RFC 3339 (default: now)

Flags:
  --style NAME   Glamour style: auto, dark, light, notty, ascii, dracula,
                 pink, tokyo-night, or a JSON style file (default auto)
  --version      print the version
  --help         this help
`

func newFlagSet(name string, stderr io.Writer, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by main
	fs.Usage = func() { fmt.Fprint(stderr, usage) }
	return fs
}

func usageErr(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return fmt.Errorf("%w: %w", errUsage, err)
}

func checkStyle(style string) error {
	if slices.Contains(glamourStyles, style) {
		return nil
	}
	if _, err := os.Stat(style); err != nil {
		return fmt.Errorf("%w: --style %q: not one of %s, nor a style file", errUsage, style, strings.Join(glamourStyles, ", "))
	}
	return nil
}

func newStore() (*articles.MemStore, error) {
	bundled, err := articles.Bundled()
	if err != nil {
		return nil, err
	}
	return articles.NewMemStore(bundled...), nil
}

func runReader(o options) error {
	if err := checkStyle(o.style); err != nil {
		return err
	}
	store, err := newStore()
	if err != nil {
		return err
	}
	m := ui.New(ui.Options{
		Store:   store,
		Style:   o.style,
		NoColor: os.Getenv("NO_COLOR") != "",
		OpenURL: ui.OpenInBrowser,
	})
	if _, err := tea.NewProgram(m).Run(); err != nil {
		return fmt.Errorf("run: %w", err)
	}
	return nil
}

func runSnapshot(o options, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("snapshot", stderr, usageText)
	sharedFlags(fs, &o)
	size := fs.String("size", "80x24", "screen size WxH")
	keys := fs.String("keys", "", "keys to press")
	color := fs.String("color", "none", "none or ansi")
	now := fs.String("now", "", "the clock, RFC 3339")
	if err := fs.Parse(args); err != nil {
		return usageErr(err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: snapshot: unexpected argument %q", errUsage, fs.Arg(0))
	}
	w, h, err := parseSize(*size)
	if err != nil {
		return err
	}
	if *color != "none" && *color != "ansi" {
		return fmt.Errorf("%w: --color %q: want none or ansi", errUsage, *color)
	}
	clock, err := parseNow(*now)
	if err != nil {
		return err
	}
	presses, err := ui.ParseKeys(*keys)
	if err != nil {
		return fmt.Errorf("%w: --keys: %w", errUsage, err)
	}
	if err := checkStyle(o.style); err != nil {
		return err
	}
	store, err := newStore()
	if err != nil {
		return err
	}
	m := ui.New(ui.Options{
		Store:    store,
		Now:      clock,
		Location: time.UTC,
		Style:    o.style,
		NoColor:  false,                             // plain output is the coloured screen stripped
		OpenURL:  func(string) error { return nil }, // a snapshot opens nothing
	})
	final, err := ui.Snapshot(m, w, h, presses)
	if err != nil {
		return err
	}
	screen, err := ui.Screen(final, *color == "ansi")
	if err != nil {
		return err
	}
	_, err = io.WriteString(stdout, screen)
	return err
}

// parseSize reads WxH; the reader needs at least one line and column.
func parseSize(s string) (int, int, error) {
	ws, hs, ok := strings.Cut(s, "x")
	w, errW := strconv.Atoi(ws)
	h, errH := strconv.Atoi(hs)
	if !ok || errW != nil || errH != nil || w < 1 || h < 1 || w > 1000 || h > 1000 {
		return 0, 0, fmt.Errorf("%w: --size %q: want WIDTHxHEIGHT, each from 1 to 1000, e.g. 100x30", errUsage, s)
	}
	return w, h, nil
}

func parseNow(s string) (func() time.Time, error) {
	if s == "" {
		return time.Now, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return nil, fmt.Errorf("%w: --now %q: want an RFC 3339 time such as 2026-11-26T12:00:00Z", errUsage, s)
	}
	return func() time.Time { return t }, nil
}

// version is the module version when built with go install, else "dev".
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
