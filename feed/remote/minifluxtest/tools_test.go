package minifluxtest

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// recorder is a testing.TB that records how a test ended instead of ending
// the real one.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper() {}

func (r *recorder) Skip(args ...any) {
	r.skipped = fmt.Sprint(args...)
	runtime.Goexit()
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// run calls f with the recorder in a goroutine of its own, as the testing
// package does, so Skip and Fatalf can end it.
func (r *recorder) run(f func(testing.TB)) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
}

// TestMissingToolSkipsOrFails: without miniflux the test is skipped with
// the one line saying how to run it, and fails instead under
// TIDINGS_REQUIRE_MINIFLUX=1.
func TestMissingToolSkipsOrFails(t *testing.T) {
	t.Setenv("TIDINGS_MINIFLUX", t.TempDir()+"/no-miniflux")
	t.Setenv("TIDINGS_REQUIRE_MINIFLUX", "")
	skip := &recorder{TB: t}
	skip.run(func(tb testing.TB) { findTools(tb) })
	if skip.skipped != skipHint || skip.failed != "" {
		t.Errorf("without miniflux: skipped %q, failed %q; want skipped %q", skip.skipped, skip.failed, skipHint)
	}
	if strings.Contains(skip.skipped, "\n") {
		t.Errorf("the skip message is more than one line: %q", skip.skipped)
	}

	t.Setenv("TIDINGS_REQUIRE_MINIFLUX", "1")
	fail := &recorder{TB: t}
	fail.run(func(tb testing.TB) { findTools(tb) })
	if fail.skipped != "" || !strings.Contains(fail.failed, "no-miniflux") || !strings.Contains(fail.failed, "go install miniflux.app/v2@") {
		t.Errorf("required but missing: skipped %q, failed %q; want a failure naming the path and the install command", fail.skipped, fail.failed)
	}
}
