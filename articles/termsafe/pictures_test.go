package termsafe_test

import (
	"strings"
	"testing"

	"tidings/articles/articlestest"
	"tidings/articles/termsafe"
)

// pictureRow is a row of a 2-cell picture with id 0x100001, as the
// reader draws it.
const pictureRow = "\x1b[38;2;16;0;1m\U0010EEEE\u0305\u0305\U0010EEEE\u0305\u030d\x1b[39m"

func TestPictureRow(t *testing.T) {
	good := []string{
		pictureRow,
		"\x1b[38;2;255;255;255m\U0010EEEE\u0305\u0305\u030d\x1b[39m", // a third mark: the id's top byte
	}
	for _, row := range good {
		if !termsafe.PictureRow(row) {
			t.Errorf("PictureRow(%q) = false, want true", row)
		}
	}
	bad := []string{
		"",
		"\x1b[38;2;16;0;1m\x1b[39m", // no cell
		"\x1b[38;2;16;0;1m\U0010EEEE\u0305\x1b[39m",                      // one mark
		"\x1b[38;2;16;0;1m\U0010EEEE\u0305\u0305\u0305\u0305\x1b[39m",    // four marks
		"\x1b[38;2;16;0;1m\U0010EEEE\u0305\u0305x\x1b[39m",               // text among the cells
		"\x1b[38;2;16;0;1m\U0010EEEE\u0305\u0305",                        // no end
		"\x1b[38;2;16;0m\U0010EEEE\u0305\u0305\x1b[39m",                  // two colour numbers
		"\x1b[38;2;1600;0;1m\U0010EEEE\u0305\u0305\x1b[39m",              // a number too long
		"\x1b[38;5;16m\U0010EEEE\u0305\u0305\x1b[39m",                    // not 24-bit
		"\x1b[38;2;16;0;1m\U0010EEEE\u0305\u0305\x1b_Gq=2\x1b\\\x1b[39m", // an APC inside
		"\x1b[38;2;16;0;1m\U0010EEEEa\u0305\x1b[39m",                     // a letter as mark
	}
	for _, row := range bad {
		if termsafe.PictureRow(row) {
			t.Errorf("PictureRow(%q) = true, want false", row)
		}
	}
}

// TestFramePictures: the program's own picture rows pass whole; a
// placeholder anywhere else, a row one byte off, or the kitty APC from a
// feed is removed.
func TestFramePictures(t *testing.T) {
	rows := []string{pictureRow}
	tests := []struct{ name, in, want string }{
		{"allowed row", "  " + pictureRow + "  \ntext", "  " + pictureRow + "  \ntext"},
		{"placeholder in text", "a\U0010EEEE\u0305\u0305b", "a\u0305\u0305b"},
		{"placeholder coloured by a feed", "\x1b[38;2;16;0;2m\U0010EEEE\u0305\u0305\x1b[39m",
			"\x1b[38;2;16;0;2m\u0305\u0305\x1b[39m"},
		{"row one byte off", strings.Replace(pictureRow, "\u030d", "\u030e", 1),
			"\x1b[38;2;16;0;1m\u0305\u0305\u0305\u030e\x1b[39m"},
		{"kitty apc", "a\x1b_Ga=T,U=1,q=2,f=100,i=1;iVBORw0KGgo=\x1b\\b", "ab"},
		{"kitty delete", "a\x1b_Ga=d,d=A\x1b\\b", "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := termsafe.FramePictures(tt.in, nil, rows)
			if got != tt.want {
				t.Errorf("FramePictures(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if what, bad := articlestest.UnsafeInFrame(got); bad {
				t.Errorf("left %q", what)
			}
		})
	}
	// Frame allows no row at all, and an invalid entry allows nothing.
	if got := termsafe.Frame(pictureRow, nil); strings.ContainsRune(got, termsafe.Placeholder) {
		t.Errorf("Frame kept a placeholder: %q", got)
	}
	if got := termsafe.FramePictures("x\U0010EEEE\u0305\u0305", nil, []string{"x\U0010EEEE\u0305\u0305"}); strings.ContainsRune(got, termsafe.Placeholder) {
		t.Errorf("an invalid row was allowed: %q", got)
	}
}

// TestTextRemovesPlaceholder: no feed's text may hold a placeholder.
func TestTextRemovesPlaceholder(t *testing.T) {
	for _, f := range []func(string) string{termsafe.Text, termsafe.Line} {
		if got := f("a\U0010EEEE\u0305\u0305b"); strings.ContainsRune(got, termsafe.Placeholder) {
			t.Errorf("placeholder kept: %q", got)
		}
	}
}

func TestKittyGraphics(t *testing.T) {
	good := []string{
		"\x1b_Gf=100,q=2,i=1048577,s=4,v=2,U=1,c=1,r=1,a=T,m=1;iVBORw0KGgo+/=\x1b\\",
		"\x1b_Gm=0;AAAA\x1b\\",
		"\x1b_Ga=d,d=I,i=1048577,q=2\x1b\\",
		"\x1b_Ga=p,X=-3\x1b\\",
	}
	for _, s := range good {
		if !termsafe.KittyGraphics(s) {
			t.Errorf("KittyGraphics(%q) = false, want true", s)
		}
	}
	bad := []string{
		"",
		"\x1b_G\x1b\\",                         // no keys
		"\x1b_Ga=d\x07",                        // BEL
		"\x1b_Ga=d\u009c",                      // 8-bit ST
		"\x1b_Ga=d",                            // no end
		"\x1b_Ga=d;AA\x1b[2JAA\x1b\\",          // an escape in the payload
		"\x1b_Ga=d;AA\x1b\\\x1b]52;c;eA==\x07", // something after it
		"\x1b_Gaa=d\x1b\\",                     // a key of two letters
		"\x1b_Ga=\x1b\\",                       // an empty value
		"\x1b_Ga=d e\x1b\\",                    // a space
		"\x1bPq#0~\x1b\\",                      // another sequence
	}
	for _, s := range bad {
		if termsafe.KittyGraphics(s) {
			t.Errorf("KittyGraphics(%q) = true, want false", s)
		}
	}
}

func FuzzFramePictures(f *testing.F) {
	f.Add("  " + pictureRow + " x\U0010EEEE\u0305\u0305")
	f.Add("\x1b[38;2;16;0;1m\U0010EEEE\u0305\u0305\x1b_Gq=2\x1b\\\x1b[39m")
	f.Fuzz(func(t *testing.T, s string) {
		got := termsafe.FramePictures(s, nil, []string{pictureRow})
		if what, bad := articlestest.UnsafeInFrame(got); bad {
			t.Fatalf("FramePictures(%q) = %q, left %q", s, got, what)
		}
		if n := strings.Count(got, "\U0010EEEE"); n != 2*strings.Count(got, pictureRow) {
			t.Fatalf("FramePictures(%q) = %q: a placeholder outside the allowed rows", s, got)
		}
	})
}
