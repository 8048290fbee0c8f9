package ui

import (
	"strings"
	"testing"

	"tidings/articles"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// TestViews keeps a golden file of every view at fixed sizes: the plain
// screen, as "tidings snapshot" prints it. Run "go test ./... -update" to
// rewrite them after an intended change, and read the diff.
func TestViews(t *testing.T) {
	tests := []struct {
		name string
		w, h int
		keys string
	}{
		{"first_screen_80x24", 80, 24, ""},
		{"first_screen_120x40", 120, 40, ""},
		{"seed_open_80x24", 80, 24, "j enter"},
		{"seed_open_120x40", 120, 40, "j enter"},
		{"seed_scrolled_80x24", 80, 24, "j enter space"},
		{"seed_scrolled_120x40", 120, 40, "j enter ctrl+d j j"},
		{"seed_end_120x40", 120, 40, "j enter G"},
		{"search_typing_80x24", 80, 24, "/ sino space rus"},
		{"search_matches_120x40", 120, 40, "/ putin enter"},
		{"search_none_80x24", 80, 24, "/ zebra"},
		{"search_kept_none_120x40", 120, 40, "/ zebra enter"},
		{"search_match_jump_120x40", 120, 40, "/ harbin enter enter n"},
		{"help_80x24", 80, 24, "?"},
		{"help_120x40", 120, 40, "?"},
		{"help_40x10", 40, 10, "?"},
		{"list_40x10", 40, 10, ""},
		{"reader_40x10", 40, 10, "j enter"},
		{"wide_reader_focus_100x30", 100, 30, "j tab"},
		{"welcome_160x48", 160, 48, "enter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := drive(t, New(testOptions(bundledStore(t))), tt.w, tt.h, tt.keys)
			out := plain(t, m)
			checkFrame(t, m.frame(), tt.w, tt.h)
			golden.RequireEqual(t, out)
		})
	}
}

// TestViewStyled keeps one styled golden, so that a change of colours or
// attributes shows up in review too.
func TestViewStyled(t *testing.T) {
	m := drive(t, New(testOptions(bundledStore(t))), 100, 30, "/ putin enter")
	out, err := Screen(m, true)
	if err != nil {
		t.Fatal(err)
	}
	golden.RequireEqual(t, out)
}

// checkFrame asserts the frame is exactly h lines of exactly w cells.
func checkFrame(t *testing.T, frame string, w, h int) {
	t.Helper()
	lines := strings.Split(frame, "\n")
	if len(lines) != h {
		t.Fatalf("frame has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Errorf("line %d is %d cells wide, want %d: %q", i, got, w, ansi.Strip(l))
		}
	}
}

// TestTopBarKeepsTheCount: on a narrow screen the top bar shortens the
// search's words, with an ellipsis, and keeps the number of matches.
func TestTopBarKeepsTheCount(t *testing.T) {
	m := drive(t, New(testOptions(bundledStore(t))), 60, 20, "/ xi space jinping space hosts space vladimir space putin enter")
	bar := ansi.Strip(m.topBar())
	if ansi.StringWidth(bar) > 60 || !strings.HasSuffix(bar, "· 1 match") || !strings.Contains(bar, "…") {
		t.Errorf("top bar at 60 columns: %q, want the search cut with … and the match count kept", bar)
	}
	if got := fitTopBar(30, "2 unread of 2 articles", nil, "", "", ""); got != "2 unread of 2 articles" {
		t.Errorf("a bar that fits changed: %q", got)
	}
	if got := fitTopBar(10, "2 unread of 2 articles", nil, "", "", ""); ansi.StringWidth(got) > 10 || !strings.HasSuffix(got, "…") {
		t.Errorf("a bar with nothing to shorten: %q", got)
	}
}

func TestCountsInThousands(t *testing.T) {
	if got, want := countsText(articles.Page{Unread: 1000001, Total: 1000002}), "1,000,001 unread of 1,000,002 articles"; got != want {
		t.Errorf("countsText = %q, want %q", got, want)
	}
}
