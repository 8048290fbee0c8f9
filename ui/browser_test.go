package ui

import (
	"strings"
	"testing"
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
