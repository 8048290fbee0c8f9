//go:build linux

package main

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// kittyQuery is the graphics query the reader sends once at start, to
// learn whether the terminal draws pictures (ui/images_detect.go).
const kittyQuery = "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\"

// kittyReplies is what kitty 0.36 answers the reader's probe: the query,
// its cell size (10 × 20 pixels), its name and version, DA1.
const kittyReplies = "\x1b_Gi=31;OK\x1b\\\x1b[6;20;10t\x1bP>|kitty(0.36.0)\x1b\\\x1b[?62;22c"

// pictureFeed serves a feed of one article with a 64 × 32 picture.
func pictureFeed(t *testing.T) *httptest.Server {
	t.Helper()
	var pic bytes.Buffer
	if err := png.Encode(&pic, image.NewNRGBA(image.Rect(0, 0, 64, 32))); err != nil {
		t.Fatal(err)
	}
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Pictures</title>
<item><title>A picture</title><guid>p1</guid><link>%[1]s/story</link><pubDate>Thu, 26 Nov 2026 11:00:00 +0000</pubDate>
<description>&lt;p&gt;Intro.&lt;/p&gt;&lt;p&gt;&lt;img src="%[1]s/pic.png" alt="A square"&gt;&lt;/p&gt;&lt;p&gt;After.&lt;/p&gt;</description></item>
</channel></rss>`, srv.URL)
	})
	mux.HandleFunc("/pic.png", func(w http.ResponseWriter, r *http.Request) { w.Write(pic.Bytes()) })
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// ptyTerminal is a pseudo-terminal of 80x24 running tidings, whose output
// is collected as it comes.
type ptyTerminal struct {
	t    *testing.T
	cmd  *exec.Cmd
	f    io.ReadWriteCloser
	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{}
}

func startTerminal(t *testing.T, env []string, args ...string) *ptyTerminal {
	t.Helper()
	cmd := mainCommand(args...)
	cmd.Env = append(cmd.Env, "TERM=xterm-kitty", "COLORTERM=truecolor", "NO_COLOR=", "TMUX=", "XDG_CACHE_HOME="+t.TempDir())
	cmd.Env = append(cmd.Env, env...)
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 24, Cols: 80, X: 800, Y: 480})
	if err != nil {
		t.Fatal(err)
	}
	p := &ptyTerminal{t: t, cmd: cmd, f: f, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		buf := make([]byte, 64<<10)
		for {
			n, err := f.Read(buf)
			p.mu.Lock()
			p.out.Write(buf[:n])
			p.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return p
}

// waitFor waits until the output matches re. The deadline only stops a
// test that would hang: it is no measure of speed.
func (p *ptyTerminal) waitFor(re *regexp.Regexp) {
	p.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		p.mu.Lock()
		ok := re.Match(p.out.Bytes())
		p.mu.Unlock()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			p.cmd.Process.Kill()
			p.t.Fatalf("%s never came; the terminal got %q", re, p.output())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (p *ptyTerminal) write(s string) {
	if _, err := io.WriteString(p.f, s); err != nil {
		p.t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
}

func (p *ptyTerminal) output() []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return bytes.Clone(p.out.Bytes())
}

// quit presses q until tidings ends and returns all it wrote.
func (p *ptyTerminal) quit() []byte {
	p.t.Helper()
	exited := make(chan error, 1)
	go func() { exited <- p.cmd.Wait() }()
	for {
		select {
		case err := <-exited:
			if err != nil {
				p.t.Errorf("tidings: %v", err)
			}
			<-p.done
			p.f.Close()
			return p.output()
		case <-time.After(200 * time.Millisecond):
			io.WriteString(p.f, "q")
		}
	}
}

// TestPicturesOnATerminal runs the reader on a pseudo-terminal that
// answers as kitty: the probe goes out once, in order, DA1 last; the
// picture is sent as kitty's quiet transmit with a virtual placement and
// drawn as 7 × 2 placeholder cells in its id's colour; it is freed at
// exit. Inside tmux, the kitty query is never sent and the picture stays
// a link. (No terminal that draws pictures can run here: these bytes
// stand in for one.)
func TestPicturesOnATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the program on a pseudo-terminal")
	}
	srv := pictureFeed(t)
	p := startTerminal(t, nil, "--feed", srv.URL+"/feed.xml")
	p.waitFor(regexp.MustCompile(`A picture`))
	p.write(kittyReplies)
	p.write("\r")
	p.waitFor(regexp.MustCompile(`\x1b_Ga=d|\x{10EEEE}`))
	out := p.quit()

	probe := kittyQuery + "\x1b[16t\x1b[>q\x1b[c"
	if bytes.Count(out, []byte(probe)) != 1 {
		t.Errorf("the probe %q was not sent once", probe)
	}
	transmit := regexp.MustCompile(`\x1b_Gf=100,q=2,i=(\d+),s=64,v=32,U=1,c=7,r=2,a=T;[A-Za-z0-9+/=]+\x1b\\`)
	m := transmit.FindSubmatch(out)
	if m == nil {
		t.Fatalf("no transmit of the picture in %q", out)
	}
	var id int
	fmt.Sscan(string(m[1]), &id)
	colour := fmt.Sprintf("\x1b[38;2;%d;%d;%dm", id>>16&0xff, id>>8&0xff, id&0xff)
	// 7 × 2 cells, drawn once; a later repaint may draw some again.
	if n := bytes.Count(out, []byte("\U0010EEEE")); n < 14 {
		t.Errorf("%d placeholder cells drawn, want 7 × 2", n)
	}
	if !bytes.Contains(out, []byte(colour+"\U0010EEEE\u0305\u0305")) {
		t.Errorf("the first cell is not drawn in the id's colour %q", colour)
	}
	if free := fmt.Sprintf("\x1b_Ga=d,d=I,i=%d,q=2\x1b\\", id); !bytes.HasSuffix(out, []byte(free)) {
		t.Errorf("the picture was not freed at exit: the output ends %q", out[max(0, len(out)-80):])
	}

	tmux := startTerminal(t, []string{"TMUX=/tmp/tmux-0/default,1,0"}, "--feed", srv.URL+"/feed.xml")
	tmux.waitFor(regexp.MustCompile(`A picture`))
	tmux.write("\x1bP>|tmux 3.3a\x1b\\\x1b[?1;2c")
	tmux.write("\r")
	tmux.waitFor(regexp.MustCompile(`image: A square`))
	out = tmux.quit()
	if bytes.Contains(out, []byte("\x1b_")) || bytes.ContainsRune(out, '\U0010EEEE') {
		t.Errorf("inside tmux the terminal got a graphics command or a placeholder")
	}
	if !bytes.Contains(out, []byte("\x1b[16t\x1b[>q\x1b[c")) {
		t.Errorf("inside tmux the probe lacks the cell size, the version or DA1")
	}
}
