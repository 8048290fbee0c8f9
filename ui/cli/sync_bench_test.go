package cli

// The sync at the scale of issue 12, against a real Miniflux (v2.3.5 on a
// throwaway PostgreSQL cluster), for both of its APIs, end to end through
// Env.Sync as tidings sync runs it (the client, the engine, the store):
//
//	TIDINGS_MINIFLUX=/path/to/miniflux \
//	go test -run '^$' -bench SyncMiniflux -benchtime 1x ./ui/cli
//
// Miniflux is filled with 10,000 entries (20 feeds of 500 items, each
// with about 2 KB of HTML), then, per API:
//
//	first          the first sync into an empty database (budget 15 s,
//	               150 MB peak): peak RSS and peak Go heap of this process,
//	               which also holds the feed server and the proxy
//	nothing-new    a sync with nothing new (budget 300 ms)
//	mark-1000      the sync sending 1,000 read marks made here (budget: a
//	               handful of requests)
//	first-process  the first sync again, as a tidings sync child process:
//	               its wall time and peak RSS (through /usr/bin/time), as
//	               a user sees them
//
// Every sync goes through a reverse proxy in front of Miniflux that counts
// the HTTP requests (reported as requests/op). Without the tools the
// benchmark skips, as the integration test does.

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	miniflux "miniflux.app/v2/client"

	"tidings/articles"
	"tidings/feed/remote/minifluxtest"
)

// The size of the Miniflux the benchmark fills.
const (
	benchFeeds     = 20
	benchItems     = 500 // per feed
	benchEntries   = benchFeeds * benchItems
	benchMarks     = 1000
	benchBodyBytes = 2000 // about, per item
)

func BenchmarkSyncMiniflux(b *testing.B) {
	mf := fillMiniflux(b)
	for _, kind := range []string{"miniflux", "greader"} {
		b.Run(kind, func(b *testing.B) {
			bs := newBenchSync(b, mf, kind)
			b.Run("first", bs.first)
			b.Run("nothing-new", bs.nothingNew)
			b.Run("mark-1000", bs.mark)
			b.Run("first-process", bs.firstProcess)
		})
	}
}

// benchMiniflux is a Miniflux holding benchEntries entries, behind a proxy
// that counts requests.
type benchMiniflux struct {
	mf    *minifluxtest.Server
	proxy *countingProxy
	feeds []string // the feeds' URLs, as Miniflux and tidings name them
}

// fillMiniflux starts Miniflux, subscribes it to benchFeeds feeds served
// here and checks, through the REST API, that it holds every entry.
func fillMiniflux(b *testing.B) *benchMiniflux {
	b.Helper()
	t0 := time.Now()
	mf := minifluxtest.Start(b)
	fs := minifluxtest.NewFeedServer(b)
	c := mf.Client()
	var urls []string
	for f := range benchFeeds {
		path := fmt.Sprintf("/feed%02d.xml", f)
		urls = append(urls, fs.URL(path))
		fs.Add(path, benchItemsOf(f)...)
		if _, err := c.CreateFeed(&miniflux.FeedCreationRequest{FeedURL: fs.URL(path)}); err != nil {
			b.Fatalf("subscribe Miniflux to %s: %v", path, err)
		}
	}
	if n := entryCount(b, c, ""); n != benchEntries {
		// Miniflux fetches a feed as it subscribes; refresh in case one
		// came short.
		feeds, err := c.Feeds()
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range feeds {
			if err := c.RefreshFeed(f.ID); err != nil {
				b.Fatalf("refresh %s: %v", f.FeedURL, err)
			}
		}
		if n := entryCount(b, c, ""); n != benchEntries {
			b.Fatalf("Miniflux holds %d entries, want %d", n, benchEntries)
		}
	}
	// From now on the feeds answer 304 Not Modified, as a site with
	// nothing new does: the refresh each sync asks for costs little here.
	for f := range benchFeeds {
		fs.Break(fmt.Sprintf("/feed%02d.xml", f), http.StatusNotModified)
	}
	b.Logf("Miniflux holds %d entries of %d feeds (filled in %v)", benchEntries, benchFeeds, time.Since(t0).Round(time.Second))
	return &benchMiniflux{mf: mf, proxy: newCountingProxy(b, mf.URL), feeds: urls}
}

// benchItemsOf makes the items of feed f, each with a body of about
// benchBodyBytes of ordinary HTML.
func benchItemsOf(f int) []minifluxtest.Item {
	rng := rand.New(rand.NewPCG(uint64(f), 12))
	items := make([]minifluxtest.Item, benchItems)
	for i := range items {
		items[i] = minifluxtest.Item{
			GUID:  fmt.Sprintf("f%02d-%03d", f, i),
			Title: fmt.Sprintf("%s %s: story %d of feed %d", benchWord(rng), benchWord(rng), i, f),
			HTML:  benchBody(rng, f, i),
			// Within retention's age limit, which would prune older ones.
			Published: time.Now().Add(-time.Duration(f*benchItems+i) * time.Minute),
		}
	}
	return items
}

var benchWords = strings.Fields(`harbour council budget river bridge election market storm school
	hospital railway festival museum drought vaccine treaty strike summit minister court
	report village energy transport housing climate research garden library theatre`)

func benchWord(rng *rand.Rand) string { return benchWords[rng.IntN(len(benchWords))] }

// benchBody is an article of paragraphs with links, emphasis and a list.
func benchBody(rng *rand.Rand, f, i int) string {
	var b strings.Builder
	for b.Len() < benchBodyBytes {
		b.WriteString("<p>")
		for w := range 40 {
			switch w {
			case 7:
				fmt.Fprintf(&b, `<a href="https://news.example.org/%d/%d/%s">%s</a> `, f, i, benchWord(rng), benchWord(rng))
			case 19:
				fmt.Fprintf(&b, "<b>%s</b> ", benchWord(rng))
			case 31:
				fmt.Fprintf(&b, "<em>%s</em> ", benchWord(rng))
			default:
				b.WriteString(benchWord(rng) + " ")
			}
		}
		b.WriteString("</p>\n")
		if b.Len() < benchBodyBytes/2 {
			fmt.Fprintf(&b, "<ul><li>%s</li><li>%s</li></ul>\n", benchWord(rng), benchWord(rng))
		}
	}
	return b.String()
}

// entryCount is how many entries Miniflux holds, of a status ("" for
// all).
func entryCount(b *testing.B, c *miniflux.Client, status string) int {
	b.Helper()
	res, err := c.Entries(&miniflux.Filter{Status: status, Limit: 1})
	if err != nil {
		b.Fatalf("count Miniflux's entries: %v", err)
	}
	return res.Total
}

// countingProxy is a reverse proxy in front of Miniflux that counts the
// requests going through it, by method and path.
type countingProxy struct {
	URL   string
	n     atomic.Int64
	mu    sync.Mutex
	paths map[string]*proxied
}

// proxied is the requests of one method and path: how many, and the time
// from their arrival to the end of Miniflux's answer.
type proxied struct {
	n    int
	took time.Duration
}

func newCountingProxy(b *testing.B, target string) *countingProxy {
	b.Helper()
	to, err := url.Parse(target)
	if err != nil {
		b.Fatal(err)
	}
	p := &countingProxy{paths: map[string]*proxied{}}
	rp := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(to) }}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.n.Add(1)
		t0 := time.Now()
		rp.ServeHTTP(w, r)
		p.mu.Lock()
		defer p.mu.Unlock()
		k := r.Method + " " + r.URL.Path
		if p.paths[k] == nil {
			p.paths[k] = &proxied{}
		}
		p.paths[k].n++
		p.paths[k].took += time.Since(t0)
	}))
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv.Listener = l
	srv.Start()
	b.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// reset zeroes the counts.
func (p *countingProxy) reset() {
	p.n.Store(0)
	p.mu.Lock()
	clear(p.paths)
	p.mu.Unlock()
}

// calls lists the counts by method and path, with the time the requests
// took through the proxy, for the log.
func (p *countingProxy) calls() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var lines []string
	for k, c := range p.paths {
		lines = append(lines, fmt.Sprintf("%d × %s (%v)", c.n, k, c.took.Round(time.Millisecond)))
	}
	sort.Strings(lines)
	return strings.Join(lines, ", ")
}

// benchSync is tidings syncing with the filled Miniflux through one API.
type benchSync struct {
	bm     *benchMiniflux
	kind   string
	dir    string
	e      Env
	out    *bytes.Buffer
	env    map[string]string
	synced bool // the database holds the first sync
}

func newBenchSync(b *testing.B, bm *benchMiniflux, kind string) *benchSync {
	dir := b.TempDir()
	bs := &benchSync{bm: bm, kind: kind, dir: dir, out: &bytes.Buffer{},
		env: map[string]string{"TIDINGS_SYNC_TOKEN": bm.mf.APIKey, "TIDINGS_SYNC_PASSWORD": bm.mf.GReaderPassword}}
	table := fmt.Sprintf("[sync]\nkind = %q\nurl = %q\n", kind, bm.proxy.URL)
	if kind == "greader" {
		table += fmt.Sprintf("username = %q\n", bm.mf.GReaderUsername)
	}
	config := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(config, []byte(table), 0o600); err != nil {
		b.Fatal(err)
	}
	bs.e = Env{Stdout: bs.out, Stderr: bs.out, ConfigPath: config, Style: "auto", Version: "bench",
		Now: time.Now, Getenv: func(k string) string { return bs.env[k] }}
	bs.e.DBPath = bs.newDB(b)
	return bs
}

// newDB is the path of a database not yet made, in a folder that lasts
// as long as bs (the next benchmark syncs it again).
func (bs *benchSync) newDB(b *testing.B) string {
	b.Helper()
	dir, err := os.MkdirTemp(bs.dir, "db")
	if err != nil {
		b.Fatal(err)
	}
	return filepath.Join(dir, "tidings.db")
}

// sync runs tidings sync and returns what it printed.
func (bs *benchSync) sync(b *testing.B) string {
	b.Helper()
	bs.out.Reset()
	if err := bs.e.Sync(b.Context()); err != nil {
		b.Fatalf("sync with %s: %v\n%s", bs.kind, err, bs.out)
	}
	return bs.out.String()
}

// first times the first sync into an empty database, with the process's
// peak RSS and the peak of Go's heap in use over it.
func (bs *benchSync) first(b *testing.B) {
	var peakRSS, peakHeap, baseRSS, baseHeap uint64
	for b.Loop() {
		b.StopTimer()
		bs.e.DBPath = bs.newDB(b)
		runtime.GC()
		debug.FreeOSMemory()
		resetPeakRSS(b)
		baseRSS = procStatus(b, "VmRSS")
		bs.bm.proxy.reset()
		heap := sampleHeap()
		baseHeap = heapInuse()
		b.StartTimer()
		out := bs.sync(b)
		b.StopTimer()
		peakHeap = max(peakHeap, heap())
		peakRSS = max(peakRSS, procStatus(b, "VmHWM"))
		bs.checkCount(b, out)
		b.StartTimer()
	}
	bs.synced = true
	b.ReportMetric(float64(bs.bm.proxy.n.Load()), "requests/op")
	b.ReportMetric(float64(peakRSS)/1e6, "MB-peak-RSS")
	b.ReportMetric(float64(peakHeap)/1e6, "MB-peak-heap")
	b.Logf("%s first sync: RSS %.0f MB before, peak %.0f MB; Go heap in use %.0f MB before, peak %.0f MB; requests: %s",
		bs.kind, float64(baseRSS)/1e6, float64(peakRSS)/1e6, float64(baseHeap)/1e6, float64(peakHeap)/1e6, bs.bm.proxy.calls())
}

// checkCount fails unless the database holds every entry (beside the
// articles bundled with tidings).
func (bs *benchSync) checkCount(b *testing.B, out string) {
	b.Helper()
	s, _, err := bs.e.openStore(b.Context(), forRead, defaultSetup())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	p, err := s.Page(b.Context(), articles.Query{Feeds: bs.bm.feeds}, 0, 1)
	if err != nil {
		b.Fatal(err)
	}
	if p.Total != benchEntries {
		b.Fatalf("%d articles here after the first sync, want %d:\n%s", p.Total, benchEntries, out)
	}
}

// ensureSynced makes the first sync, untimed, when the first benchmark
// was left out by -bench.
func (bs *benchSync) ensureSynced(b *testing.B) {
	if bs.synced {
		return
	}
	bs.sync(b)
	bs.synced = true
}

// nothingNew times a sync when nothing changed on the server.
func (bs *benchSync) nothingNew(b *testing.B) {
	bs.ensureSynced(b)
	bs.bm.proxy.reset()
	var out string
	for b.Loop() {
		out = bs.sync(b)
	}
	if !strings.Contains(out, " 0 new articles") {
		b.Fatalf("a sync with nothing new: %s", out)
	}
	b.ReportMetric(float64(bs.bm.proxy.n.Load())/float64(b.N), "requests/op")
	b.Logf("%s sync with nothing new: %s; requests: %s", bs.kind, strings.TrimSpace(out), bs.bm.proxy.calls())
}

// mark times the sync sending benchMarks read marks made here, and checks
// that Miniflux has them.
func (bs *benchSync) mark(b *testing.B) {
	bs.ensureSynced(b)
	c := bs.bm.mf.Client()
	var requests int64
	for b.Loop() {
		b.StopTimer()
		readBefore := entryCount(b, c, "read")
		bs.markHere(b)
		bs.bm.proxy.reset()
		b.StartTimer()
		out := bs.sync(b)
		b.StopTimer()
		requests += bs.bm.proxy.n.Load()
		if !strings.Contains(out, articles.Count(benchMarks, "mark")+" sent") {
			b.Fatalf("the sync after %d marks: %s", benchMarks, out)
		}
		if n := entryCount(b, c, "read"); n != readBefore+benchMarks {
			b.Fatalf("Miniflux has %d entries read, want %d", n, readBefore+benchMarks)
		}
		b.Logf("%s: %s; requests: %s", bs.kind, strings.TrimSpace(out), bs.bm.proxy.calls())
		b.StartTimer()
	}
	b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
}

// markHere marks benchMarks unread articles of Miniflux read, as the
// reader does.
func (bs *benchSync) markHere(b *testing.B) {
	b.Helper()
	s, _, err := bs.e.openStore(b.Context(), forWrite, defaultSetup())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	p, err := s.Page(b.Context(), articles.Query{UnreadOnly: true, Feeds: bs.bm.feeds}, 0, benchMarks)
	if err != nil {
		b.Fatal(err)
	}
	if len(p.Rows) < benchMarks {
		b.Fatalf("only %d unread articles left to mark: run with -benchtime 1x", len(p.Rows))
	}
	ids := make([]string, len(p.Rows))
	for i, r := range p.Rows {
		ids[i] = r.ID
	}
	if err := s.SetRead(b.Context(), ids, true); err != nil {
		b.Fatal(err)
	}
}

// firstProcess times the first sync as a tidings sync child process into
// an empty database, with the child's peak RSS as /usr/bin/time reports
// it. (The rusage of a child started from this process is no use: Go
// starts it with vfork, and the kernel counts the parent's peak RSS as the
// child's.)
func (bs *benchSync) firstProcess(b *testing.B) {
	bin := buildTidings(b)
	timeBin, err := exec.LookPath("/usr/bin/time")
	if err != nil {
		b.Skip("no /usr/bin/time to measure the peak RSS of a process: apt-get install time")
	}
	rssFile := filepath.Join(bs.dir, "maxrss")
	var peakRSS uint64
	for b.Loop() {
		b.StopTimer()
		cmd := exec.Command(timeBin, "-f", "%M", "-o", rssFile, bin, "--config", bs.e.ConfigPath, "--db", bs.newDB(b), "sync")
		cmd.Env = []string{"HOME=" + bs.dir, "TIDINGS_SYNC_TOKEN=" + bs.env["TIDINGS_SYNC_TOKEN"],
			"TIDINGS_SYNC_PASSWORD=" + bs.env["TIDINGS_SYNC_PASSWORD"]}
		bs.bm.proxy.reset()
		b.StartTimer()
		out, err := cmd.CombinedOutput()
		b.StopTimer()
		if err != nil || !strings.Contains(string(out), articles.Count(benchEntries, "new article")) {
			b.Fatalf("tidings sync: %v\n%s", err, out)
		}
		peakRSS = max(peakRSS, readMaxRSS(b, rssFile))
		b.StartTimer()
	}
	b.ReportMetric(float64(bs.bm.proxy.n.Load()), "requests/op")
	b.ReportMetric(float64(peakRSS)/1e6, "MB-peak-RSS")
	b.Logf("%s first sync as a process: peak RSS %.0f MB; requests: %s", bs.kind, float64(peakRSS)/1e6, bs.bm.proxy.calls())
}

// readMaxRSS reads what /usr/bin/time -f %M wrote: kilobytes.
func readMaxRSS(b *testing.B, path string) uint64 {
	b.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	kb, err := strconv.ParseUint(strings.TrimSpace(string(data)), 10, 64)
	if err != nil {
		b.Fatalf("/usr/bin/time wrote %q: %v", data, err)
	}
	return kb * 1024
}

// buildTidings builds the tidings program once per benchmark run.
func buildTidings(b *testing.B) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "tidings")
	cmd := exec.Command("go", "build", "-o", bin, "tidings")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build tidings: %v\n%s", err, out)
	}
	return bin
}

// heapInuse is Go's HeapInuse, read without stopping the world.
func heapInuse() uint64 {
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
	metrics.Read(samples)
	return samples[0].Value.Uint64() + samples[1].Value.Uint64()
}

// resetPeakRSS makes the kernel's record of the process's peak RSS
// (VmHWM) start again from the RSS now.
func resetPeakRSS(b *testing.B) {
	b.Helper()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		b.Skipf("cannot reset the peak RSS through /proc/self/clear_refs: %v", err)
	}
}

// procStatus reads a size in bytes from /proc/self/status ("VmHWM").
func procStatus(b *testing.B, key string) uint64 {
	b.Helper()
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skipf("no /proc/self/status: %v", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, key+":"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				b.Fatalf("%s in /proc/self/status: %q", key, line)
			}
			return kb * 1024
		}
	}
	b.Fatalf("no %s in /proc/self/status", key)
	return 0
}

// sampleHeap samples Go's heap in use (HeapInuse: objects and free space
// in spans in use) every few milliseconds until the function it returns
// is called, which returns the peak.
func sampleHeap() func() uint64 {
	var peak uint64
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			peak = max(peak, heapInuse())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-stopped
		return peak
	}
}
