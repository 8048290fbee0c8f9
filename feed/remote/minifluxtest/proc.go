package minifluxtest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// output collects what a child process writes, for the test's log when it
// fails; it is written by exec's copying goroutine and read by the test.
type output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

// String returns everything written so far.
func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// tail returns the last n bytes written, enough to see why a start failed.
func (o *output) tail(n int) string {
	s := o.String()
	if len(s) > n {
		s = "…" + s[len(s)-n:]
	}
	return strings.TrimSpace(s)
}

// proc is a running child: a postgres or a miniflux.
type proc struct {
	name string
	cmd  *exec.Cmd
	out  *output
	done chan struct{} // closed when the process has exited
	err  error         // its exit status, set before done is closed
}

// startProc runs cmd with its output collected. The child gets SIGKILL if
// the test binary dies (Pdeathsig), so a crashed or interrupted test leaves
// no server behind, and runs in its own process group so a ctrl-c in the
// terminal reaches the test binary, which stops it in order.
func startProc(name string, cmd *exec.Cmd) (*proc, error) {
	p := &proc{name: name, cmd: cmd, out: &output{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	cmd.SysProcAttr.Setpgid = true
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s (%s): %w", name, cmd.Path, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// exited reports whether the process has ended.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop asks the process to end with sig, waits up to grace, then kills its
// whole process group (postgres's backends too) and waits for it.
func (p *proc) stop(sig os.Signal, grace time.Duration) {
	if p.exited() {
		return
	}
	_ = p.cmd.Process.Signal(sig)
	select {
	case <-p.done:
		return
	case <-time.After(grace):
	}
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	<-p.done
}

// freePort asks the kernel for a free TCP port on 127.0.0.1. Another
// program may take it before the server binds it; the start then fails
// with a clear "address already in use" in the server's output.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port on 127.0.0.1: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitFor polls ready every 20 ms until it returns true, the process exits,
// or the deadline passes; the error carries the process's last output.
func waitFor(p *proc, what string, deadline time.Duration, ready func() bool) error {
	end := time.Now().Add(deadline)
	for {
		if ready() {
			return nil
		}
		if p.exited() {
			return fmt.Errorf("%s exited before %s (%v); its output:\n%s", p.name, what, p.err, p.out.tail(4000))
		}
		if time.Now().After(end) {
			return fmt.Errorf("%s: not %s after %v; its output:\n%s", p.name, what, deadline, p.out.tail(4000))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
