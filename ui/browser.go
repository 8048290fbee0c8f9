package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// linkOpenedMsg reports the outcome of opening a link.
type linkOpenedMsg struct {
	url    string
	err    error
	dryRun bool // nothing was opened: a snapshot says what would have been
}

// ErrDryRun is what an Options.OpenURL that opens nothing returns (the
// snapshot command's): the status line then says what would have opened,
// not that it did.
var ErrDryRun = errors.New("nothing is opened here")

func (msg linkOpenedMsg) status() statusMessage {
	switch {
	case msg.dryRun:
		return statusMessage{text: "Would open " + msg.url + " (a snapshot opens nothing)"}
	case msg.err != nil:
		return statusMessage{text: msg.err.Error(), isErr: true}
	}
	return statusMessage{text: "Opened " + msg.url}
}

// openLink opens the selected article's link with Options.OpenURL.
func (m Model) openLink() tea.Cmd {
	sel, ok := m.list.selected()
	if !ok {
		return nil
	}
	store, open := m.opts.Store, m.opts.OpenURL
	return func() tea.Msg {
		a, err := store.Article(context.Background(), sel.ID)
		if err != nil {
			return linkOpenedMsg{err: fmt.Errorf("open link: %w", err)}
		}
		if a.Link == "" {
			return linkOpenedMsg{err: errors.New("this article has no link")}
		}
		return openChecked(open, a.Link)
	}
}

// openChecked opens link with open if CheckLink accepts it: the rules of
// every link the reader opens.
func openChecked(open func(string) error, link string) linkOpenedMsg {
	if err := CheckLink(link); err != nil {
		return linkOpenedMsg{err: err}
	}
	if open == nil {
		return linkOpenedMsg{err: errors.New("no browser to open links with")}
	}
	if err := open(link); errors.Is(err, ErrDryRun) {
		return linkOpenedMsg{url: link, dryRun: true}
	} else if err != nil {
		return linkOpenedMsg{err: fmt.Errorf("open %s: %w", link, err)}
	}
	return linkOpenedMsg{url: link}
}

// CheckLink accepts only absolute http and https URLs with a host: the only
// links tidings hands to a browser. Such a URL cannot start with "-", so no
// launcher can take it for an option.
func CheckLink(link string) error {
	u, err := url.Parse(link)
	if err != nil {
		return fmt.Errorf("link %q: %w", link, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("link %q: only http and https links are opened", link)
	}
	if strings.ContainsFunc(link, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return fmt.Errorf("link %q: contains spaces or control characters", link)
	}
	return nil
}

// OpenInBrowser starts $BROWSER (its first entry, split into words, with
// %s replaced by the URL or the URL added as the last argument), else
// xdg-open or open. The URL is always one argument and no shell is
// involved. It does not wait for the browser.
func OpenInBrowser(link string) error {
	if err := CheckLink(link); err != nil {
		return err
	}
	name, args := browserCommand(os.Getenv("BROWSER"), runtime.GOOS, link)
	cmd := exec.Command(name, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", name, err)
	}
	go cmd.Wait() //nolint:errcheck // reap the launcher; its outcome is not ours to report
	return nil
}

// browserCommand returns the program and arguments that open link.
func browserCommand(browser, goos, link string) (string, []string) {
	first, _, _ := strings.Cut(browser, string(os.PathListSeparator))
	if words := strings.Fields(first); len(words) > 0 {
		args := words[1:]
		replaced := false
		for i, a := range args {
			if strings.Contains(a, "%s") {
				args[i] = strings.ReplaceAll(a, "%s", link)
				replaced = true
			}
		}
		if !replaced {
			args = append(args, link)
		}
		return words[0], args
	}
	if goos == "darwin" {
		return "open", []string{link}
	}
	return "xdg-open", []string{link}
}
