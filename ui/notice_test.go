package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestNoticeKeepsItsPath gives the reader a recovery notice longer than
// the status line: the message is shortened, never the path at its end,
// which the user needs whole to find the damaged file.
func TestNoticeKeepsItsPath(t *testing.T) {
	const path = "/home/someone/.local/share/tidings/tidings.db.damaged-20261126-120000"
	opts := testOptions(bundledStore(t))
	opts.Notice = "The database was damaged (database disk image is malformed (11)) and has been rebuilt: " +
		"recovered 43,102 articles (412 starred, 20,311 read), lost 2. Nothing else to do; " +
		"the damaged file is kept in case, and can be deleted: " + path
	for _, width := range []int{80, 120, 200} {
		out := plain(t, drive(t, New(opts), width, 10, ""))
		lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
		status := lines[len(lines)-1]
		if !strings.Contains(status, " "+path) || !strings.HasPrefix(strings.TrimSpace(status), "The") {
			t.Errorf("at %d columns the status line is %q: want the start of the notice and its whole path", width, status)
		}
		if w := ansi.StringWidth(status); w > width {
			t.Errorf("at %d columns the status line is %d wide", width, w)
		}
	}
}

func TestKeepPath(t *testing.T) {
	for _, tt := range []struct {
		notice string
		width  int
		want   string
	}{
		{"short: /a/b", 20, "short: /a/b"},
		{"a message too long for the line: /a/b", 20, "a message too… /a/b"},
		{"no path at the end of this long message", 10, "no path at the end of this long message"},
		{"message: /a/very/long/path/name", 12, "…g/path/name"},
		{"/a/very/long/path/name", 12, "/a/very/long/path/name"},
	} {
		if got := keepPath(tt.notice, tt.width); got != tt.want {
			t.Errorf("keepPath(%q, %d) = %q, want %q", tt.notice, tt.width, got, tt.want)
		}
	}
}
