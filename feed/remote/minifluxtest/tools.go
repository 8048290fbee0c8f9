// Package minifluxtest starts a real Miniflux on a throwaway PostgreSQL
// cluster, on 127.0.0.1, for the integration tests of the sync clients. It
// is imported by tests only: every function takes a testing.TB and cleans up
// after itself with t.Cleanup, even when the test fails.
//
// The tools are found on the machine: PostgreSQL's initdb and postgres (from
// $TIDINGS_PG_BIN, Debian's /usr/lib/postgresql/<version>/bin, or PATH) and
// the miniflux binary (from $TIDINGS_MINIFLUX, PATH, $GOBIN or
// $GOPATH/bin). When one is missing the test is skipped with one line saying
// how to get them, unless TIDINGS_REQUIRE_MINIFLUX=1 (as in CI), which makes
// it a failure.
package minifluxtest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
)

// MinifluxVersion is the release the harness is written against; .ci/run
// installs the same one.
const MinifluxVersion = "v2.3.5"

// skipHint is the one line a test prints when it cannot run.
const skipHint = "miniflux integration: needs PostgreSQL and miniflux; run .ci/run or: " +
	"apt-get install -y postgresql && go install miniflux.app/v2@" + MinifluxVersion

// tools are the paths of the programs the harness runs.
type tools struct {
	initdb   string // PostgreSQL's initdb
	postgres string // PostgreSQL's server
	miniflux string
}

// findTools locates the programs, or skips the test (fails it under
// TIDINGS_REQUIRE_MINIFLUX=1) naming what is missing.
func findTools(t testing.TB) tools {
	t.Helper()
	var tl tools
	var errs []error
	pgBin, err := findPGBin()
	if err != nil {
		errs = append(errs, err)
	} else {
		tl.initdb = filepath.Join(pgBin, "initdb")
		tl.postgres = filepath.Join(pgBin, "postgres")
	}
	if tl.miniflux, err = findMiniflux(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		missing(t, errors.Join(errs...))
	}
	return tl
}

// missing skips the test, or fails it when CI requires the integration.
func missing(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("TIDINGS_REQUIRE_MINIFLUX") == "1" {
		t.Fatalf("%v\n%s (TIDINGS_REQUIRE_MINIFLUX=1 makes this a failure)", err, skipHint)
	}
	t.Skip(skipHint)
}

// findPGBin returns the folder holding initdb and postgres: $TIDINGS_PG_BIN,
// else the newest /usr/lib/postgresql/<version>/bin, else the folder of
// initdb on PATH.
func findPGBin() (string, error) {
	if dir := os.Getenv("TIDINGS_PG_BIN"); dir != "" {
		return dir, checkExec(filepath.Join(dir, "initdb"), filepath.Join(dir, "postgres"))
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	// Versions sort as numbers ("9.6" < "15"): by length, then text.
	sort.Slice(dirs, func(i, j int) bool {
		if len(dirs[i]) != len(dirs[j]) {
			return len(dirs[i]) > len(dirs[j])
		}
		return dirs[i] > dirs[j]
	})
	for _, dir := range dirs {
		if checkExec(filepath.Join(dir, "initdb"), filepath.Join(dir, "postgres")) == nil {
			return dir, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		dir := filepath.Dir(p)
		return dir, checkExec(filepath.Join(dir, "postgres"))
	}
	return "", errors.New("PostgreSQL not found: no initdb in $TIDINGS_PG_BIN, /usr/lib/postgresql/*/bin or PATH")
}

// findMiniflux returns the miniflux binary: $TIDINGS_MINIFLUX, PATH, $GOBIN,
// then $GOPATH/bin (or ~/go/bin), where go install puts it.
func findMiniflux() (string, error) {
	// go install names the binary after the module path, miniflux.app/v2,
	// so "miniflux.app"; packages and release downloads call it "miniflux".
	binaryNames := []string{"miniflux", "miniflux.app"}
	if p := os.Getenv("TIDINGS_MINIFLUX"); p != "" {
		return p, checkExec(p)
	}
	for _, name := range binaryNames {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	var dirs []string
	if gobin := os.Getenv("GOBIN"); gobin != "" {
		dirs = append(dirs, gobin)
	}
	if gopath := os.Getenv("GOPATH"); gopath != "" {
		dirs = append(dirs, filepath.Join(filepath.SplitList(gopath)[0], "bin"))
	} else if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, "go", "bin"))
	}
	for _, dir := range dirs {
		for _, name := range binaryNames {
			if p := filepath.Join(dir, name); checkExec(p) == nil {
				return p, nil
			}
		}
	}
	return "", errors.New("miniflux not found: no miniflux or miniflux.app in $TIDINGS_MINIFLUX, PATH, $GOBIN or $GOPATH/bin")
}

// checkExec reports the first path that is not an executable file.
func checkExec(paths ...string) error {
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if fi.IsDir() || fi.Mode()&0o111 == 0 {
			return fmt.Errorf("%s: not an executable file", p)
		}
	}
	return nil
}
