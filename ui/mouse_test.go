package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestMouseWheel: the wheel scrolls the pane under the pointer (it did
// nothing: its handler changed a copy of the model).
func TestMouseWheel(t *testing.T) {
	m := drive(t, New(testOptions(synthetic(40))), 80, 24, "wheeldown@10,5 wheeldown@10,5")
	if m.list.cursor != 6 {
		t.Errorf("wheel over the list: cursor %d, want 6", m.list.cursor)
	}
	m = drive(t, New(testOptions(bundledStore(t))), 120, 30, "j enter wheeldown@90,10 wheeldown@90,10")
	if m.reader.yoff != 6 || m.list.cursor != 1 {
		t.Errorf("wheel over the reader: yoff %d cursor %d, want 6 and 1", m.reader.yoff, m.list.cursor)
	}
	m = drive(t, m, 120, 30, "wheelup@90,10")
	if m.reader.yoff != 3 {
		t.Errorf("wheel up over the reader: yoff %d, want 3", m.reader.yoff)
	}
}

// TestMouseClick: a click on a row selects it, a click on the selected
// row opens it, a click on the reader focuses it, and in the feeds view a
// click selects a feed and a second one shows its articles.
func TestMouseClick(t *testing.T) {
	m := drive(t, New(testOptions(synthetic(20))), 120, 30, "click@10,4") // row 3 of the list
	if m.list.cursor != 3 || m.focus != focusList {
		t.Fatalf("click on a row: cursor %d focus %v, want 3 in the list", m.list.cursor, m.focus)
	}
	m = drive(t, m, 120, 30, "click@10,4")
	if m.focus != focusReader || m.list.cursor != 3 {
		t.Errorf("a second click: focus %v cursor %d, want the reader on 3", m.focus, m.list.cursor)
	}
	m = drive(t, New(testOptions(synthetic(20))), 120, 30, "click@90,8")
	if m.focus != focusReader {
		t.Errorf("click on the reader: focus %v, want the reader", m.focus)
	}
	m = drive(t, New(testOptions(synthetic(20))), 120, 30, "click@10,0 click@10,29 click@10,25")
	if m.list.cursor != 0 || m.focus != focusList {
		t.Errorf("clicks on the bars and past the rows: cursor %d focus %v, want nothing done", m.list.cursor, m.focus)
	}
	f := drive(t, New(fetchedOptions(t, fetchedStore(t))), 100, 30, "F click@10,3")
	if f.feeds.cursor != 2 || f.focus != focusFeeds {
		t.Fatalf("click in the feeds view: cursor %d focus %v, want 2", f.feeds.cursor, f.focus)
	}
	label := f.feeds.items[2].label
	f = drive(t, f, 100, 30, "click@10,3")
	if f.focus != focusList || f.filter.feedLabel != label {
		t.Errorf("a second click on a feed: focus %v filter %q, want the list of %q", f.focus, f.filter.feedLabel, label)
	}
}

func TestMouseInput(t *testing.T) {
	msgs, err := ParseInput("j click@3,4 wheelup@0,0 wheeldown@120,40 enter")
	if err != nil || len(msgs) != 5 {
		t.Fatalf("ParseInput: %d messages, %v", len(msgs), err)
	}
	if c, ok := msgs[1].(tea.MouseClickMsg); !ok || c.X != 3 || c.Y != 4 || c.Button != tea.MouseLeft {
		t.Errorf("click@3,4 = %#v", msgs[1])
	}
	if w, ok := msgs[2].(tea.MouseWheelMsg); !ok || w.Button != tea.MouseWheelUp {
		t.Errorf("wheelup@0,0 = %#v", msgs[2])
	}
	for _, bad := range []string{"click@3", "click@a,b", "wheeldown@-1,2", "click@3,4,5"} {
		if _, err := ParseInput(bad); err == nil || !strings.Contains(err.Error(), "COL,ROW") {
			t.Errorf("ParseInput(%q) error = %v", bad, err)
		}
	}
	opts := testOptions(synthetic(3))
	opts.NoMouse = true
	if mode := New(opts).View().MouseMode; mode != tea.MouseModeNone {
		t.Errorf("with NoMouse the mouse mode is %v", mode)
	}
	if mode := New(testOptions(synthetic(3))).View().MouseMode; mode != tea.MouseModeCellMotion {
		t.Errorf("the mouse mode is %v", mode)
	}
}
