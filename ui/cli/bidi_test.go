package cli

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSnapshotBidi: [reader] bidi reaches the reader: "reorder" and
// "auto" (on a terminal not known to do bidi) show a Hebrew title in
// visual order, "terminal" and "auto" under mlterm in logical order.
func TestSnapshotBidi(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>`+
			`<item><title>שלום עולם today</title><guid>he-1</guid><description>גוף</description></item></channel></rss>`)
	}))
	defer srv.Close()
	e, out, _ := testEnv(t)
	if err := e.Add(t.Context(), srv.URL+"/he"); err != nil {
		t.Fatal(err)
	}
	if err := e.Fetch(t.Context()); err != nil {
		t.Fatal(err)
	}
	feeds, err := os.ReadFile(e.ConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	const logical = "שלום עולם today"
	visualHebrew := "today " + reverse("עולם") + " " + reverse("שלום")
	for _, tc := range []struct {
		mode, mlterm, want string
	}{
		{"reorder", "3.9", visualHebrew},
		{"auto", "", visualHebrew},
		{"auto", "3.9", logical},
		{"terminal", "", logical},
	} {
		table := "[reader]\nbidi = \"" + tc.mode + "\"\n\n" + string(feeds)
		if err := os.WriteFile(e.ConfigPath, []byte(table), 0o644); err != nil {
			t.Fatal(err)
		}
		e.Getenv = func(k string) string {
			if k == "MLTERM" {
				return tc.mlterm
			}
			return ""
		}
		out.Reset()
		if err := e.Snapshot(t.Context(), SnapshotOptions{Width: 100, Height: 12}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), tc.want) {
			t.Errorf("bidi = %q, MLTERM=%q: no %q in\n%s", tc.mode, tc.mlterm, tc.want, out)
		}
	}
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// TestConfigCheckBidi: tidings config check says how right-to-left text
// is shown, for auto in the terminal it runs in.
func TestConfigCheckBidi(t *testing.T) {
	for _, tc := range []struct {
		table, mlterm, want string
	}{
		{"", "", "bidi:           auto (right-to-left text put in reading order: this terminal is not known to do bidi)\n"},
		{"", "3.9", "bidi:           auto (right-to-left text left to this terminal, which does bidi itself)\n"},
		{"[reader]\nbidi = \"terminal\"\n", "", "bidi:           terminal (right-to-left text left to the terminal)\n"},
		{"[reader]\nbidi = \"reorder\"\n", "3.9", "bidi:           reorder (right-to-left text put in reading order for display)\n"},
	} {
		e, out, errOut := testEnv(t)
		e.Getenv = func(k string) string {
			if k == "MLTERM" {
				return tc.mlterm
			}
			return ""
		}
		if err := os.MkdirAll(filepath.Dir(e.ConfigPath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(e.ConfigPath, []byte(tc.table), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := e.ConfigCheck(); err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		if !strings.Contains(out.String(), tc.want) {
			t.Errorf("%q, MLTERM=%q: config check says no %q:\n%s", tc.table, tc.mlterm, tc.want, out)
		}
	}
}
