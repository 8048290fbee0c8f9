package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigCheckExitStatus: "tidings config check" exits 0 on a valid
// file, 2 with each error's line on an invalid one; config takes only
// check.
func TestConfigCheckExitStatus(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good.toml"), filepath.Join(dir, "bad.toml")
	os.WriteFile(good, []byte("[keys]\ndown = [\"j\", \"ctrl+n\"]\n"), 0o644)
	os.WriteFile(bad, []byte("[keys]\ndown = [\"j\", \"ctrl+N\"]\n"), 0o644)
	tests := []struct {
		args           []string
		status         int
		stdout, stderr string
	}{
		{[]string{"--config", good, "config", "check"}, 0, "down                 j ctrl+n  (changed)", ""},
		{[]string{"config", "--config", bad, "check"}, 2, "", bad + `:2: keys.down: "ctrl+N" is spelt "ctrl+n"`},
		{[]string{"config", "frob"}, 2, "", `config "frob": the subcommand is check`},
		{[]string{"config"}, 2, "", "config takes 1 argument(s), got 0"},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		status := exitStatus(run, tt.args, &out, &errOut)
		if status != tt.status || !strings.Contains(out.String(), tt.stdout) || !strings.Contains(errOut.String(), tt.stderr) {
			t.Errorf("tidings %q: status %d\nstdout %s\nstderr %s\nwant %d, %q, %q", tt.args, status, out.String(), errOut.String(), tt.status, tt.stdout, tt.stderr)
		}
	}
}
