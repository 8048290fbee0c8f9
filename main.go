// Command tidings is a terminal news reader. This file parses the command
// line and hands over to ui/cli, which runs the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"tidings/articles"
	"tidings/ui"
	"tidings/ui/cli"
)

// errUsage marks a bad command line: exit status 2, as flag does.
var errUsage = errors.New("usage")

func main() {
	// net/http logs a misbehaving server's extra bytes through the standard
	// logger, to stderr: over the reader's screen. Errors that matter reach
	// the user as values.
	log.SetOutput(io.Discard)
	os.Exit(exitStatus(run, os.Args[1:], os.Stdout, os.Stderr))
}

// stopGrace is how long a command may take to stop after a signal before
// tidings exits without waiting for it: some waits cannot be cancelled,
// such as an open(2) of a named pipe, and a signal must still end tidings.
const stopGrace = 5 * time.Second

// exitStatus runs the command line with run and returns the exit status,
// having said on stderr what went wrong.
func exitStatus(run func(context.Context, []string, io.Writer, io.Writer) error, args []string, stdout, stderr io.Writer) int {
	ctx, stop := stopOnSignal()
	defer stop()
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, stdout, stderr) }()
	var err error
	forced := ""
	select {
	case err = <-done:
	case <-ctx.Done(): // a signal
		select {
		case err = <-done:
		case <-time.After(stopGrace):
			forced = fmt.Sprintf(" (it had not stopped %v later, so it was left)", stopGrace)
		}
	}
	var sig stopSignal
	switch {
	case errors.As(context.Cause(ctx), &sig):
		// Whatever the command says went wrong, the signal is why: its
		// errors are those of being stopped half-way.
		fmt.Fprintln(stderr, "tidings:", sig.Error()+" before it finished"+forced)
		return sig.status()
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, "tidings:", strings.TrimPrefix(err.Error(), "usage: "))
		return 2
	case errors.Is(err, cli.ErrAllFailed):
		return 1
	case errors.Is(err, cli.ErrInvalidConfig), errors.As(err, new(*articles.QueryError)):
		fmt.Fprintln(stderr, "tidings:", err)
		return 2
	}
	fmt.Fprintln(stderr, "tidings:", err)
	return 1
}

// stopOnSignal returns a context cancelled, with a stopSignal cause, by the
// first SIGINT or SIGTERM, so that the command stops cleanly. After it the
// signals have their default effect again: should stopping take too long,
// a second one ends tidings at once. stop releases the signals.
func stopOnSignal() (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case s := <-sigs:
			signal.Stop(sigs)
			cancel(stopSignal{s})
		case <-ctx.Done():
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		cancel(nil)
	}
}

// stopSignal is the cause of a command's end by a signal.
type stopSignal struct{ sig os.Signal }

func (s stopSignal) Error() string {
	switch s.sig {
	case os.Interrupt:
		return "stopped by SIGINT (interrupt)"
	case syscall.SIGTERM:
		return "stopped by SIGTERM"
	}
	return "stopped by " + s.sig.String()
}

// status is the exit status of a command stopped by the signal: 128 plus
// its number, as shells report it.
func (s stopSignal) status() int {
	if n, ok := s.sig.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return 1
}

// options are the flags every command shares.
type options struct {
	noMouse bool
	style   string
	version bool
	offline bool
	feeds   []string
	config  string
	db      string
}

// glamourStyles are the styles --style accepts besides a JSON style file.
var glamourStyles = []string{"auto", "dark", "light", "notty", "ascii", "dracula", "pink", "tokyo-night"}

// sharedFlags registers the shared flags on fs, with o's values as defaults,
// so that they may come before the command or after it.
func sharedFlags(fs *flag.FlagSet, o *options) {
	fs.StringVar(&o.style, "style", o.style, "Glamour style")
	fs.BoolVar(&o.version, "version", o.version, "print the version and exit")
	fs.BoolVar(&o.offline, "offline", o.offline, "no network")
	fs.Func("feed", "read only this feed (repeatable)", func(v string) error {
		o.feeds = append(o.feeds, v)
		return nil
	})
	fs.StringVar(&o.config, "config", o.config, "subscriptions file")
	fs.StringVar(&o.db, "db", o.db, "database file")
	fs.BoolVar(&o.noMouse, "no-mouse", o.noMouse, "leave the mouse to the terminal, to select text")
}

const usageText = `tidings: a terminal news reader

Usage:
  tidings [flags]                 read the news
  tidings snapshot [flags]        print one screen without a terminal
      --size WxH       screen size (default 80x24)
      --keys KEYS      keys to press, e.g. "/ putin enter enter";
                       type:WORD types WORD even if it looks like a key name
      --color MODE     none (plain text, the default) or ansi
      --now TIME       the clock, RFC 3339 (default: now)
  tidings fetch                   refresh every feed once, a line per feed
  tidings add URL                 subscribe to a feed
  tidings remove URL              unsubscribe, delete its unstarred articles
  tidings feeds                   subscriptions, their status and last success
  tidings import FILE             add the feeds of an OPML file
  tidings export                  print the subscriptions as OPML
  tidings export --state          print read and starred articles as JSON
  tidings import --state FILE     mark them again, from such a file
  tidings list [flags]            print articles, newest first; with --search,
                                  best match first, as the reader's search does
      --json  --unread  --starred  --search Q  --limit N (default 50)
      --feed URL  --tag NAME      only these feeds, these tags (repeatable)
      --body                      each article's markdown too
      --ignored                   what [[ignore]] rules hide, and the rule
  tidings read ID                 render one article
  tidings read --full ID          its full text, from its web page
  tidings config check            check config.toml, print what is in effect
  tidings sync                    sync with the feed server of [sync]
  tidings sync --status           when the last sync worked, marks waiting
  tidings CMD --help              a command's own usage, flags and an example

Flags:
  --feed URL_OR_PATH  read only this feed, into memory (repeatable); for list,
                      a stored feed is a filter and nothing is fetched
  --offline           no network
  --config PATH       subscriptions (default $XDG_CONFIG_HOME/tidings/config.toml)
  --db PATH           database (default $XDG_DATA_HOME/tidings/tidings.db)
  --no-mouse          leave the mouse to the terminal, to select text with it
                      (or mouse = false under [reader] in config.toml)
  --style NAME        Glamour style: auto, dark, light, notty, ascii, dracula,
                      pink, tokyo-night, or a JSON style file (default auto)
  --version           print the version
  --help              this help
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o := options{style: "auto"}
	fs := newFlagSet()
	sharedFlags(fs, &o)
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	if o.version {
		fmt.Fprintln(stdout, "tidings", version())
		return nil
	}
	rest := fs.Args()
	if len(rest) == 0 {
		env, err := newEnv(o, stdout, stderr)
		if err != nil {
			return err
		}
		return env.Reader(ctx)
	}
	if rest[0] == "help" && len(rest) == 2 {
		return runCommand(ctx, rest[1], []string{"--help"}, o, stdout, stderr)
	}
	if rest[0] == "help" {
		fmt.Fprint(stdout, usageText)
		return nil
	}
	return runCommand(ctx, rest[0], rest[1:], o, stdout, stderr)
}

// command is one subcommand: its own flags, the number of arguments it
// takes, and what it runs; and for "tidings CMD --help", its usage line,
// what it does and an example.
type command struct {
	args    int
	flags   func(fs *flag.FlagSet) func(env cli.Env, args []string) error
	usage   string
	about   string
	example string
}

func runCommand(ctx context.Context, name string, args []string, o options, stdout, stderr io.Writer) error {
	cmds := commands(ctx)
	c, ok := cmds[name]
	if !ok {
		return fmt.Errorf("%w: unknown command %q (try tidings --help)", errUsage, name)
	}
	fs := newFlagSet()
	sharedFlags(fs, &o)
	shared := flagNames(fs)
	do := c.flags(fs)
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, commandUsage(name, c, fs, shared))
		return err
	} else if err != nil {
		return fmt.Errorf("%w: %s: %w (tidings %s --help shows its usage)", errUsage, name, err, name)
	}
	if fs.NArg() != c.args {
		return fmt.Errorf("%w: %s takes %d argument(s), got %d", errUsage, name, c.args, fs.NArg())
	}
	env, err := newEnv(o, stdout, stderr)
	if err != nil {
		return err
	}
	return do(env, fs.Args())
}

func commands(ctx context.Context) map[string]command {
	noFlags := func(f func(cli.Env, []string) error) func(*flag.FlagSet) func(cli.Env, []string) error {
		return func(*flag.FlagSet) func(cli.Env, []string) error { return f }
	}
	return map[string]command{
		"snapshot": {args: 0, flags: snapshotFlags(ctx), usage: "snapshot [--size WxH] [--keys KEYS] [--color none|ansi] [--now TIME]",
			about:   "Runs the reader without a terminal, presses the keys and prints the final screen. It never fetches and never writes.",
			example: `tidings snapshot --size 100x30 --keys "/ putin enter enter"`},
		"list": {args: 0, flags: listFlags(ctx), usage: "list [--json] [--unread] [--starred] [--ignored] [--search Q] [--feed URL] [--tag NAME] [--body] [--limit N]",
			about:   "Prints stored articles, newest first; with --search, best match first, as the reader's search does.",
			example: `tidings list --unread --search "trade" --limit 20`},
		"fetch": {args: 0, flags: noFlags(func(e cli.Env, _ []string) error { return e.Fetch(ctx) }), usage: "fetch",
			about:   "Refreshes every subscription once and prints a line per feed: for cron. Exit status 1 only when every feed failed.",
			example: "tidings fetch"},
		"feeds": {args: 0, flags: noFlags(func(e cli.Env, _ []string) error { return e.ListFeeds(ctx) }), usage: "feeds",
			about:   "Lists the subscriptions with their tags, status, article counts, last success and URL, and why a failing feed fails.",
			example: "tidings feeds"},
		"export": {args: 0, flags: exportFlags(ctx), usage: "export [--state]",
			about:   "Prints the subscriptions as OPML 2.0, tags as folders; with --state, the read and starred articles as JSON.",
			example: "tidings export > subscriptions.opml"},
		"add": {args: 1, flags: noFlags(func(e cli.Env, a []string) error { return e.Add(ctx, a[0]) }), usage: "add URL",
			about:   "Subscribes to the feed at URL (or a local file). The first subscription replaces the default feeds.",
			example: "tidings add https://example.org/feed.xml"},
		"remove": {args: 1, flags: noFlags(func(e cli.Env, a []string) error { return e.Remove(ctx, a[0]) }), usage: "remove URL",
			about:   "Unsubscribes from the feed at URL and deletes its articles, starred ones excepted.",
			example: "tidings remove https://example.org/feed.xml"},
		"import": {args: 1, flags: importFlags(ctx), usage: "import [--state] FILE",
			about:   "Adds the feeds of an OPML file (folders become tags, and every skipped outline is explained); with --state, marks articles read and starred again from a file export --state wrote.",
			example: "tidings import subscriptions.opml"},
		"sync": {args: 0, flags: syncFlags(ctx), usage: "sync [--status]",
			about:   "Syncs with the feed server of [sync] in config.toml: its feeds and new articles come here, the marks made here go there. With --status, says when the last sync worked and how many marks wait, without asking the server.",
			example: "tidings sync --status"},
		"config": {args: 1, flags: noFlags(configCommand), usage: "config check",
			about:   "Checks config.toml and prints what is in effect: subscriptions, retention, the reader, the sync account (never its secret), every key binding and the theme's colours. Exit status 2, with each error's line, when the file is not valid.",
			example: "tidings config check"},
		"read": {args: 1, flags: readFlags(ctx), usage: "read [--full] ID",
			about:   "Renders one article, styled on a terminal, plain in a pipe. tidings list shows the IDs. With --full, the main text of its web page, fetched once and kept.",
			example: "tidings read --full 1"},
	}
}

// configCommand runs "tidings config SUBCOMMAND"; check is the one.
func configCommand(env cli.Env, args []string) error {
	if args[0] != "check" {
		return fmt.Errorf("%w: config %q: the subcommand is check (tidings config check)", errUsage, args[0])
	}
	return env.ConfigCheck()
}

// flagNames returns the names of the flags defined on fs.
func flagNames(fs *flag.FlagSet) map[string]bool {
	names := map[string]bool{}
	fs.VisitAll(func(f *flag.Flag) { names[f.Name] = true })
	return names
}

// commandUsage is what "tidings CMD --help" prints: the command's usage,
// what it does, its own flags and an example; the shared flags are named
// once, at the end.
func commandUsage(name string, c command, fs *flag.FlagSet, shared map[string]bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: tidings %s\n\n%s\n", c.usage, c.about)
	var own []string
	fs.VisitAll(func(f *flag.Flag) {
		if !shared[f.Name] {
			line := "  --" + f.Name
			name, usage := flag.UnquoteUsage(f)
			if name != "" {
				line += " " + name
			}
			own = append(own, fmt.Sprintf("%-22s %s", line, usage))
		}
	})
	if len(own) > 0 {
		fmt.Fprintf(&b, "\nFlags:\n%s\n", strings.Join(own, "\n"))
	}
	fmt.Fprintf(&b, "\nExample:\n  %s\n\nEvery command also takes --feed, --offline, --config, --db and --style (tidings --help).\n", c.example)
	return b.String()
}

func syncFlags(ctx context.Context) func(*flag.FlagSet) func(cli.Env, []string) error {
	return func(fs *flag.FlagSet) func(cli.Env, []string) error {
		status := fs.Bool("status", false, "say when the last sync worked and how many marks wait")
		return func(env cli.Env, _ []string) error {
			if *status {
				return env.SyncStatus(ctx)
			}
			return env.Sync(ctx)
		}
	}
}

func readFlags(ctx context.Context) func(*flag.FlagSet) func(cli.Env, []string) error {
	return func(fs *flag.FlagSet) func(cli.Env, []string) error {
		full := fs.Bool("full", false, "the full article, from its web page (fetched if not kept)")
		return func(env cli.Env, a []string) error {
			if *full {
				return env.ReadFull(ctx, a[0])
			}
			return env.Read(ctx, a[0])
		}
	}
}

func exportFlags(ctx context.Context) func(*flag.FlagSet) func(cli.Env, []string) error {
	return func(fs *flag.FlagSet) func(cli.Env, []string) error {
		state := fs.Bool("state", false, "export read and starred state as JSON")
		return func(env cli.Env, _ []string) error {
			if *state {
				return env.ExportState(ctx)
			}
			return env.Export(ctx)
		}
	}
}

func importFlags(ctx context.Context) func(*flag.FlagSet) func(cli.Env, []string) error {
	return func(fs *flag.FlagSet) func(cli.Env, []string) error {
		state := fs.Bool("state", false, "import read and starred state from JSON")
		return func(env cli.Env, a []string) error {
			if *state {
				return env.ImportState(ctx, a[0])
			}
			return env.Import(ctx, a[0])
		}
	}
}

func snapshotFlags(ctx context.Context) func(*flag.FlagSet) func(cli.Env, []string) error {
	return func(fs *flag.FlagSet) func(cli.Env, []string) error {
		size := fs.String("size", "80x24", "the screen, `WxH`")
		keys := fs.String("keys", "", "the `KEYS` to press, space-separated; type:WORD types a word")
		color := fs.String("color", "none", "`MODE`: none (plain text) or ansi")
		now := fs.String("now", "", "the clock, an RFC 3339 `TIME` (default: now)")
		return func(env cli.Env, _ []string) error {
			w, h, err := parseSize(*size)
			if err != nil {
				return err
			}
			if *color != "none" && *color != "ansi" {
				return fmt.Errorf("%w: --color %q: want none or ansi", errUsage, *color)
			}
			if env.Now, err = parseNow(*now); err != nil {
				return err
			}
			presses, err := ui.ParseInput(*keys)
			if err != nil {
				return fmt.Errorf("%w: --keys: %w", errUsage, err)
			}
			return env.Snapshot(ctx, cli.SnapshotOptions{Width: w, Height: h, Keys: presses, Color: *color == "ansi"})
		}
	}
}

func listFlags(ctx context.Context) func(*flag.FlagSet) func(cli.Env, []string) error {
	return func(fs *flag.FlagSet) func(cli.Env, []string) error {
		var o cli.ListOptions
		fs.BoolVar(&o.JSON, "json", false, "print JSON")
		fs.BoolVar(&o.Unread, "unread", false, "unread articles only")
		fs.BoolVar(&o.Starred, "starred", false, "starred articles only")
		fs.StringVar(&o.Search, "search", "", "only the articles matching these `WORDS`")
		fs.Func("tag", "only the feeds with the tag `NAME` (repeatable)", func(v string) error {
			o.Tags = append(o.Tags, v)
			return nil
		})
		fs.BoolVar(&o.Body, "body", false, "print each article's markdown body")
		fs.BoolVar(&o.Ignored, "ignored", false, "the articles [[ignore]] rules hide, each with its rule")
		fs.IntVar(&o.Limit, "limit", 50, "at most `N` articles (default 50)")
		return func(env cli.Env, _ []string) error {
			if o.Limit < 1 {
				return fmt.Errorf("%w: --limit %d: want at least 1", errUsage, o.Limit)
			}
			return env.List(ctx, o)
		}
	}
}

func newFlagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("tidings", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by main
	return fs
}

func parse(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stderr, usageText)
		return err
	case err != nil:
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	return nil
}

// newEnv checks the shared flags and fills in the default paths.
func newEnv(o options, stdout, stderr io.Writer) (cli.Env, error) {
	if err := checkStyle(o.style); err != nil {
		return cli.Env{}, err
	}
	config, db, err := cli.DefaultPaths(os.Getenv)
	if o.config == "" || o.db == "" {
		if err != nil {
			return cli.Env{}, err
		}
	}
	if o.config != "" {
		config = o.config
	}
	if o.db != "" {
		db = o.db
	}
	return cli.Env{
		Stdout: stdout, Stderr: stderr,
		ConfigPath: config, DBPath: db,
		Feeds: o.feeds, Offline: o.offline, Style: o.style, NoMouse: o.noMouse,
		Version: version(), Now: time.Now,
	}, nil
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

// parseSize reads WxH.
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
