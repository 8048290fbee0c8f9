package minifluxtest

import (
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cluster is a throwaway PostgreSQL cluster listening on 127.0.0.1.
type cluster struct {
	dir  string // holds the data directory; removed at cleanup
	port int
	cred *syscall.Credential // the postgres user's, when the test runs as root
	proc *proc
}

// dsn is the URL Miniflux connects with: the superuser, trusted on
// loopback, and the database initdb creates.
func (c *cluster) dsn() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
}

// startCluster creates a cluster in a new folder and starts it; cleanup
// stops it and removes the folder.
func startCluster(t testing.TB, tl tools) *cluster {
	t.Helper()
	c, err := newCluster()
	if err != nil {
		missing(t, err)
	}
	t.Cleanup(c.remove)
	if err := c.initdb(tl.initdb); err != nil {
		t.Fatal(err)
	}
	if err := c.start(tl.postgres); err != nil {
		t.Fatal(err)
	}
	return c
}

// newCluster makes the cluster's folder. initdb and postgres refuse to run
// as root, so as root they run as the postgres user, which must own the
// folder and reach it: os.MkdirTemp's folder under /tmp, not t.TempDir's,
// whose parents are closed to other users.
func newCluster() (*cluster, error) {
	sweepClusters()
	dir, err := os.MkdirTemp("", clusterPrefix)
	if err != nil {
		return nil, fmt.Errorf("make PostgreSQL's folder: %w", err)
	}
	// The owner file lets a later run remove this folder if this test
	// binary is killed (ctrl-c, go test's timeout) before its cleanup.
	owner := filepath.Join(dir, ownerFile)
	if err := os.WriteFile(owner, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("write %s: %w", owner, err)
	}
	c := &cluster{dir: dir}
	if os.Geteuid() != 0 {
		return c, nil
	}
	cred, err := postgresUser()
	if err == nil {
		err = os.Chown(dir, int(cred.Uid), int(cred.Gid))
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	c.cred = cred
	return c, nil
}

const (
	clusterPrefix = "tidings-pg-" // the clusters' folders in the temporary directory
	ownerFile     = "owner.pid"   // the pid of the test binary that made one
)

// sweepClusters removes the clusters' folders left by test binaries that
// died before their cleanup: those whose owner process is gone. Their
// servers died with them (Pdeathsig); only files remain.
func sweepClusters() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), clusterPrefix+"*"))
	for _, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, ownerFile))
		if err != nil {
			continue // being made right now, or not ours
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 {
			continue
		}
		// Signal 0 checks existence; EPERM means alive under another user.
		if err := syscall.Kill(pid, 0); err == syscall.ESRCH {
			os.RemoveAll(dir)
		}
	}
}

// postgresUser returns the credentials of the postgres user that Debian's
// package creates.
func postgresUser() (*syscall.Credential, error) {
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root, PostgreSQL must run as the postgres user: %w", err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("postgres user: odd uid %q or gid %q", u.Uid, u.Gid)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// command builds a PostgreSQL command run as the cluster's user, with an
// environment of its own (English messages, no PG* variables of the
// caller's).
func (c *cluster) command(path string, args ...string) *exec.Cmd {
	cmd := exec.Command(path, args...)
	cmd.Dir = c.dir
	cmd.Env = []string{"PATH=/usr/bin:/bin", "HOME=" + c.dir, "LANG=C", "LC_ALL=C"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred, Pdeathsig: syscall.SIGKILL}
	return cmd
}

// initdb creates the data directory: trust on loopback (the cluster lives
// for one test), no fsync (nothing here must survive a crash of the machine).
func (c *cluster) initdb(initdb string) error {
	cmd := c.command(initdb, "-D", c.data(), "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--no-locale", "--no-sync")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("initdb in %s: %w; its output:\n%s", c.data(), err, out)
	}
	return nil
}

func (c *cluster) data() string { return filepath.Join(c.dir, "data") }

// start runs postgres on a free port of 127.0.0.1, its socket in the
// cluster's folder, and waits until it accepts connections.
func (c *cluster) start(postgres string) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	c.port = port
	cmd := c.command(postgres, "-D", c.data(), "-p", strconv.Itoa(port), "-k", c.dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
		"-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	if c.proc, err = startProc("postgres", cmd); err != nil {
		return err
	}
	return waitFor(c.proc, "ready", 30*time.Second, func() bool {
		return strings.Contains(c.proc.out.String(), "ready to accept connections")
	})
}

// remove stops the server (fast shutdown: SIGINT) and removes its folder.
func (c *cluster) remove() {
	if c.proc != nil {
		c.proc.stop(os.Interrupt, 10*time.Second)
	}
	os.RemoveAll(c.dir)
}
