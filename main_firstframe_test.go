//go:build linux

package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"

	"tidings/bench/gen"
)

// TestFirstFrameMeasure measures, by hand, the reader's first screen on
// an 80x24 pseudo-terminal against a bare Bubble Tea program's first
// frame on the same terminal: the medians of TIDINGS_FIRST_FRAME_RUNS runs
// (7 unless set), interleaved, over stores of each size in
// TIDINGS_FIRST_FRAME (a list such as "10000 100000"). It asserts nothing
// (times are the machine's): it logs the figures, for bench/RESULTS.md.
//
// A second bare program imports Glamour and draws the same: what the
// stack tidings cannot do without costs before main runs (the package
// initialisation of chroma's lexers and styles, goldmark, bluemonday), so
// the gap between it and the bare one is the dependencies', and the gap
// between it and tidings is tidings' own.
//
//	TIDINGS_FIRST_FRAME="10000 100000" go test -run FirstFrameMeasure -v .
func TestFirstFrameMeasure(t *testing.T) {
	sizes, runs, dir, tidings := measureSetup(t, "TIDINGS_FIRST_FRAME")
	bare := buildBare(t, dir, "bare", "")
	glamour := buildBare(t, dir, "bare-glamour", `_ "charm.land/glamour/v2"`)
	for _, n := range sizes {
		home := fillStore(t, tidings, filepath.Join(dir, strconv.Itoa(n)), n)
		var tt, bt, gt []float64
		for range runs {
			bt = append(bt, firstFrame(t, exec.Command(bare)))
			gt = append(gt, firstFrame(t, exec.Command(glamour)))
			tt = append(tt, firstFrame(t, tidingsIn(tidings, home, "--offline")))
		}
		t.Logf("%d stored: tidings median %.1f ms, bare Bubble Tea %.1f ms, ratio %.2f (runs: %v / %v)",
			n, median(tt), median(bt), median(tt)/median(bt), tt, bt)
		t.Logf("%d stored: bare Bubble Tea importing Glamour %.1f ms, %.2f× the bare one; tidings %.2f× it (runs: %v)",
			n, median(gt), median(gt)/median(bt), median(tt)/median(gt), gt)
	}
}

// measureSetup reads what a measurement by hand asks for: the store
// sizes listed in the variable env (it skips without them) and the runs
// in env_RUNS (7 unless set). It builds tidings in a temporary dir.
func measureSetup(t *testing.T, env string) (sizes []int, runs int, dir, tidings string) {
	t.Helper()
	fields := strings.Fields(os.Getenv(env))
	if len(fields) == 0 {
		t.Skipf("a measurement: set %s to the store sizes to measure", env)
	}
	for _, f := range fields {
		n, err := strconv.Atoi(f)
		if err != nil || n < 100 {
			t.Fatalf("%s: %q is not a store size of 100 or more", env, f)
		}
		sizes = append(sizes, n)
	}
	runs = 7
	if n, err := strconv.Atoi(os.Getenv(env + "_RUNS")); err == nil && n > 0 {
		runs = n
	}
	dir = t.TempDir()
	tidings = filepath.Join(dir, "tidings")
	goBuild(t, tidings, ".")
	return sizes, runs, dir, tidings
}

// bareProgram draws the list's cursor mark and nothing else; %s is an
// extra import.
const bareProgram = `package main

import (
	tea "charm.land/bubbletea/v2"
	%s
)

type model struct{}

func (model) Init() tea.Cmd { return nil }
func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) { return m, nil }
func (model) View() tea.View {
	v := tea.NewView("\u258c first frame")
	v.AltScreen = true
	return v
}

func main() { _, _ = tea.NewProgram(model{}).Run() }
`

// buildBare builds bareProgram with the extra import, as dir/name.
func buildBare(t *testing.T, dir, name, extra string) string {
	t.Helper()
	src, bin := filepath.Join(dir, name+".go"), filepath.Join(dir, name)
	if err := os.WriteFile(src, fmt.Appendf(nil, bareProgram, extra), 0o644); err != nil {
		t.Fatal(err)
	}
	goBuild(t, bin, src)
	return bin
}

func goBuild(t *testing.T, out, pkg string) {
	t.Helper()
	cmd := exec.Command("go", "build", "-o", out, pkg)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
}

// tidingsIn runs the tidings binary with its files in home.
func tidingsIn(bin, home string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, append([]string{"--config", filepath.Join(home, "config.toml"), "--db", filepath.Join(home, "tidings.db")}, args...)...)
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home+"/config", "XDG_DATA_HOME="+home+"/data")
	return cmd
}

// fillStore fetches n articles (feeds of 100 items from a local server)
// into a store in home, as bench/peers.sh does.
func fillStore(t *testing.T, bin, home string, n int) string {
	t.Helper()
	return fillStores(t, bin, home, n, "")
}

// fillStores is fillStore that also fills newsboat's cache at
// home/cache.db from the same feeds, when newsboat names its binary, and
// gives it sqlite3's statistics (sqlite3 ANALYZE).
func fillStores(t *testing.T, bin, home string, n int, newsboat string) string {
	t.Helper()
	var site *gen.Site // set before the first request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { site.ServeHTTP(w, r) }))
	defer srv.Close()
	feeds := n / 100
	site = gen.NewSite(srv.URL, feeds, 100)
	var toml, urls strings.Builder
	for i := range feeds {
		fmt.Fprintf(&toml, "[[feeds]]\nurl = %q\n\n", gen.URL(srv.URL, i))
		fmt.Fprintln(&urls, gen.URL(srv.URL, i))
	}
	if err := os.MkdirAll(filepath.Join(home, "data"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"config.toml": toml.String(), "urls": urls.String(), "newsboat.conf": ""} {
		if err := os.WriteFile(filepath.Join(home, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := tidingsIn(bin, home, "fetch").CombinedOutput(); err != nil {
		t.Fatalf("filling a store of %d: %v\n%s", n, err, out)
	}
	if newsboat != "" {
		if out, err := newsboatIn(newsboat, home, "-x", "reload").CombinedOutput(); err != nil {
			t.Fatalf("filling newsboat's cache of %d: %v\n%s", n, err, out)
		}
		// Without statistics newsboat starts on 100,000 articles in a
		// minute and more (bench/RESULTS.md); with them, in a second.
		if out, err := exec.Command("sqlite3", filepath.Join(home, "cache.db"), "ANALYZE").CombinedOutput(); err != nil {
			t.Fatalf("sqlite3 ANALYZE on newsboat's cache: %v\n%s", err, out)
		}
	}
	return home
}

// firstFrame returns the milliseconds from starting cmd on an 80x24
// pseudo-terminal until it draws the list's cursor (the bare program
// draws the same mark).
func firstFrame(t *testing.T, cmd *exec.Cmd) float64 {
	t.Helper()
	cmd.Env = append(cmd.Environ(), "TERM=xterm-256color")
	start := time.Now()
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		f.Close()
	}()
	var out bytes.Buffer
	buf := make([]byte, 64<<10)
	for !bytes.Contains(out.Bytes(), []byte("\u258c")) {
		n, err := f.Read(buf)
		out.Write(buf[:n])
		if err != nil {
			t.Fatalf("%s ended before its first screen: %v", cmd.Path, err)
		}
	}
	return float64(time.Since(start).Microseconds()) / 1000
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}
