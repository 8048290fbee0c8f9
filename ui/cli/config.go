package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"tidings/articles/termsafe"
	"tidings/feed/subs"
	"tidings/ui"
)

// ErrInvalidConfig is the error of "tidings config check" on a file
// that does not load: main exits with status 2, having said why.
var ErrInvalidConfig = errors.New("not valid")

// looks are the reader's keys and theme, [keys] and [theme] of the file.
type looks struct {
	keys  ui.KeyMap
	theme ui.Theme
}

// looksOf checks [keys] and [theme] of the setup.
func looksOf(st setup) (looks, error) {
	return newLooks(subs.Config{Keys: st.keys, Theme: st.theme})
}

// newLooks checks [keys] and [theme], whose meaning the reader knows, and
// builds them; every problem is reported at once, each with its line.
func newLooks(cfg subs.Config) (looks, error) {
	keys, errK := ui.NewKeyMap(cfg.Keys)
	theme, errT := ui.NewTheme(cfg.Theme)
	return looks{keys: keys, theme: theme}, errors.Join(errK, errT)
}

// apply puts the keys and the theme in the reader's options.
func (l looks) apply(o *ui.Options) {
	o.Keys, o.Theme = &l.keys, &l.theme
}

// ConfigCheck validates the subscriptions file and prints what is in
// effect: the subscriptions, retention, the reader, the sync account
// (never its secret), every key binding and the theme's colours. An
// invalid file gives its errors, each with its line, and
// ErrInvalidConfig.
func (e Env) ConfigCheck() error {
	cfg, exists, err := e.config()
	var l looks
	if err == nil {
		l, err = newLooks(cfg)
	}
	if err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintln(e.Stderr, "tidings:", line)
		}
		return fmt.Errorf("%s is %w: fix the lines above and run tidings config check again", e.ConfigPath, ErrInvalidConfig)
	}
	if exists {
		fmt.Fprintf(e.Stdout, "%s is valid. In effect:\n\n", e.ConfigPath)
	} else {
		fmt.Fprintf(e.Stdout, "No config file at %s: the defaults are in effect.\n\n", e.ConfigPath)
	}
	// Each section is aligned on its own.
	for _, section := range []func(io.Writer){
		func(w io.Writer) { e.printSettings(w, cfg) },
		func(w io.Writer) { printKeys(w, cfg.Keys, l.keys) },
		func(w io.Writer) { printTheme(w, cfg.Theme, l.theme) },
	} {
		w := tabwriter.NewWriter(e.Stdout, 0, 4, 2, ' ', 0)
		section(w)
		if err := w.Flush(); err != nil {
			return fmt.Errorf("config check: %w", err)
		}
	}
	return nil
}

// printSettings prints the subscriptions, retention, the reader and the
// sync account.
func (e Env) printSettings(w io.Writer, cfg subs.Config) {
	switch n := len(cfg.Feeds); {
	case n == 0 && cfg.Sync != nil:
		fmt.Fprintln(w, "subscriptions:\tnone in the file; the sync server's")
	case n == 0:
		fmt.Fprintf(w, "subscriptions:\tnone; the %d default world-news feeds are read\n", len(subs.DefaultFeeds()))
	default:
		fmt.Fprintf(w, "subscriptions:\t%d\n", n)
	}
	r := retentionOf(cfg)
	days := "kept for ever"
	if r.MaxAge > 0 {
		days = fmt.Sprintf("%d days", r.MaxAge/(24*time.Hour))
	}
	perFeed := "no limit a feed"
	if r.MaxPerFeed > 0 {
		perFeed = fmt.Sprintf("at most %d a feed", r.MaxPerFeed)
	}
	fmt.Fprintf(w, "retention:\t%s, %s (starred articles are kept)\n", days, perFeed)
	mouse := "on (the wheel scrolls, a click selects)"
	if !cfg.MouseOn() {
		mouse = "off (left to the terminal, to select text)"
	}
	fmt.Fprintf(w, "reader:\tmouse %s\n", mouse)
	fmt.Fprintf(w, "bidi:\t%s\n", bidiSummary(cfg.BidiMode(), e.getenv))
	fmt.Fprintf(w, "images:\t%s\n", imagesSummary(cfg.ImagesMode()))
	fmt.Fprintf(w, "sync:\t%s\n", e.syncSummary(cfg.Sync))
	printRules(w, cfg)
}

// bidiSummary says how right-to-left text is shown, in this terminal for
// auto.
func bidiSummary(mode string, getenv func(string) string) string {
	switch {
	case mode == ui.BidiTerminal:
		return "terminal (right-to-left text left to the terminal)"
	case mode == ui.BidiReorder:
		return "reorder (right-to-left text put in reading order for display)"
	case ui.ReorderBidi(mode, getenv):
		return "auto (right-to-left text put in reading order: this terminal is not known to do bidi)"
	}
	return "auto (right-to-left text left to this terminal, which does bidi itself)"
}

// syncSummary names the account and where its secret comes from, never
// the secret itself.
func (e Env) syncSummary(s *subs.Sync) string {
	if s == nil {
		return "none"
	}
	who := s.Kind + " at " + s.URL
	if s.Username != "" {
		who += " as " + termsafe.Line(s.Username)
	}
	what, env, value := "password", "TIDINGS_SYNC_PASSWORD", s.Password
	if s.UsesToken() {
		what, env, value = "token", "TIDINGS_SYNC_TOKEN", s.Token
	}
	switch {
	case strings.TrimSpace(e.getenv(env)) != "":
		return fmt.Sprintf("%s; the %s from %s", who, what, env)
	case s.SecretCommand != "":
		return fmt.Sprintf("%s; the %s from secret_command (not run here)", who, what)
	case value != "":
		return fmt.Sprintf("%s; the %s in this file", who, what)
	}
	return fmt.Sprintf("%s; no %s yet: set %s, or secret_command in [sync]", who, what, env)
}

// printKeys prints every binding, saying which the file changed.
func printKeys(w io.Writer, cfg *subs.Keys, k ui.KeyMap) {
	changed := map[string]bool{}
	if cfg != nil {
		for _, b := range cfg.Bindings {
			changed[b.Action] = true
		}
	}
	fmt.Fprintln(w, "\nkeys:")
	for _, b := range k.Bindings() {
		note := ""
		if changed[b.Action] {
			note = "\t(changed)"
		}
		fmt.Fprintf(w, "  %s\t%s%s\n", b.Action, strings.Join(b.Keys, " "), note)
	}
}

// printTheme prints the theme's colours, saying which the file changed.
func printTheme(w io.Writer, cfg *subs.Theme, t ui.Theme) {
	changed := map[string]bool{}
	glamour := "as --style (auto: dark or light, from the terminal)"
	if cfg != nil {
		for _, c := range cfg.Colors {
			changed[c.Key] = true
		}
	}
	if t.Glamour != "" {
		glamour = termsafe.Line(t.Glamour) + " (unless --style or NO_COLOR)"
	}
	fmt.Fprintf(w, "\ntheme: %s\n", t.Name)
	fmt.Fprintf(w, "  glamour\t%s\n", glamour)
	for _, c := range t.Colors() {
		note := ""
		if changed[c.Name] {
			note = "\t(changed)"
		}
		if c.Light == c.Dark {
			fmt.Fprintf(w, "  %s\t%s%s\n", c.Name, c.Light, note)
		} else {
			fmt.Fprintf(w, "  %s\tlight %s, dark %s%s\n", c.Name, c.Light, c.Dark, note)
		}
	}
}
