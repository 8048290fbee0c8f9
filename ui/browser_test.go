package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tidings/articles"
	"tidings/articles/articlestest"
)

func TestCheckLink(t *testing.T) {
	tests := []struct {
		link string
		ok   bool
	}{
		{"https://news.example/a?b=c#d", true},
		{"http://news.example", true},
		{"HTTPS://news.example", true},
		{"javascript:alert(1)", false},
		{"file:///etc/passwd", false},
		{"-https://x.example", false},
		{"--help", false},
		{"https://", false},
		{"https:///path", false},
		{"mailto:a@b.example", false},
		{"https://news.example/a b", false},
		{"https://news.example/\x1b[31m", false},
		{"", false},
	}
	for _, tt := range tests {
		if err := CheckLink(tt.link); (err == nil) != tt.ok {
			t.Errorf("CheckLink(%q) = %v, want ok %v", tt.link, err, tt.ok)
		}
	}
}

func TestBrowserCommand(t *testing.T) {
	const link = "https://news.example/a?b=c;d&e"
	tests := []struct {
		browser, goos string
		want          string // program and arguments, joined by |
	}{
		{"", "linux", "xdg-open|" + link},
		{"", "darwin", "open|" + link},
		{"firefox", "linux", "firefox|" + link},
		{"firefox --new-window", "linux", "firefox|--new-window|" + link},
		{"lynx -dump %s", "linux", "lynx|-dump|" + link},
		{"w3m:lynx", "linux", "w3m|" + link},
		{"  ", "linux", "xdg-open|" + link},
	}
	for _, tt := range tests {
		name, args := browserCommand(tt.browser, tt.goos, link)
		if got := strings.Join(append([]string{name}, args...), "|"); got != tt.want {
			t.Errorf("browserCommand(%q, %q) = %q, want %q", tt.browser, tt.goos, got, tt.want)
		}
	}
}

func TestOpenInBrowserRefusesBadLinks(t *testing.T) {
	t.Setenv("BROWSER", "/bin/false")
	if err := OpenInBrowser("javascript:alert(1)"); err == nil {
		t.Error("OpenInBrowser accepted a javascript: link")
	}
}

// TestLinkShownIsLinkOpened presses o on an article whose link is full of
// shell syntax, with a real launcher: the launcher gets exactly one
// argument, the link as the reader shows it, unexpanded.
func TestLinkShownIsLinkOpened(t *testing.T) {
	dir := t.TempDir()
	got := filepath.Join(dir, "argv")
	script := filepath.Join(dir, "browser")
	os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s\\n' \"$#\" \"$@\" > "+got+".tmp && mv "+got+".tmp "+got+"\n"), 0o755)
	t.Setenv("BROWSER", script)
	const link = "https://news.example/a?q=$(touch%20pwned)&b=`id`;c|d"
	store := articlestest.NewMemStore(articles.Article{ID: "a", Title: "Shell", Link: link, Published: testNow})
	opts := testOptions(store)
	opts.OpenURL = OpenInBrowser
	m := drive(t, New(opts), 160, 20, "enter o")
	if screen := plain(t, m); !strings.Contains(screen, link) {
		t.Fatalf("the screen does not show the link:\n%s", screen)
	}
	var argv []byte
	for range 200 {
		if argv, _ = os.ReadFile(got); argv != nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if want := "1\n" + link + "\n"; string(argv) != want {
		t.Errorf("the launcher got %q, want %q", argv, want)
	}
}
