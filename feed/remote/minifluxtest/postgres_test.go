package minifluxtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// TestSweepRemovesOrphanedClusters: a cluster folder whose test binary died
// is removed by the next start; one whose owner lives, or that has no owner
// file yet, is kept.
func TestSweepRemovesOrphanedClusters(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	dirs := map[string]string{ // folder name → owner file ("" for none)
		clusterPrefix + "dead":  strconv.Itoa(dead.Process.Pid),
		clusterPrefix + "alive": strconv.Itoa(os.Getpid()),
		clusterPrefix + "new":   "",
	}
	for name, pid := range dirs {
		dir := filepath.Join(tmp, name)
		if err := os.MkdirAll(filepath.Join(dir, "data"), 0o700); err != nil {
			t.Fatal(err)
		}
		if pid != "" {
			if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(pid), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	sweepClusters()
	for name := range dirs {
		_, err := os.Stat(filepath.Join(tmp, name))
		if gone := os.IsNotExist(err); gone != (name == clusterPrefix+"dead") {
			t.Errorf("%s: removed %v after the sweep", name, gone)
		}
	}
}
