package cli

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"tidings/feed/remote"
	"tidings/ui"
	"tidings/ui/notify"
)

// recorder writes a program that appends each argument it gets on a line
// of its own, then "--", to the file it returns: a stand-in for
// notify-send that says exactly what argv it was given.
func recorder(t *testing.T, exit int) (program, record string) {
	t.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to stand in for a notify program")
	}
	dir := t.TempDir()
	record, program = filepath.Join(dir, "argv"), filepath.Join(dir, "notify")
	body := fmt.Sprintf("#!%s\nfor a in \"$@\"; do printf '%%s\\n' \"$a\" >> %s; done\necho -- >> %s\necho 'no display' >&2\nexit %d\n", sh, record, record, exit)
	if err := os.WriteFile(program, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	return program, record
}

// notifyServer serves a feed of quiet stories, and from the second
// round on one more whose title is hostile and matches title:earthquake.
func notifyServer(t *testing.T, pwned string) (*httptest.Server, *atomic.Int32) {
	var round atomic.Int32
	title := "Earthquake $(touch " + pwned + ") `id` \x1b]0;owned\x07\x1b[2J " + strings.Repeat("x", 1<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>`)
		io.WriteString(w, `<item><title>Quiet story</title><guid>q-1</guid><description>calm</description></item>`)
		if round.Load() > 0 {
			fmt.Fprintf(w, `<item><title>%s</title><guid>quake-1</guid><pubDate>%s</pubDate><description>shaking</description></item>`, escapeXML(title), now.Format(time.RFC1123Z))
			fmt.Fprintf(w, `<item><title>Earthquake aftershock</title><guid>quake-2</guid><pubDate>%s</pubDate><description>more</description></item>`, now.Add(-time.Hour).Format(time.RFC1123Z))
		}
		io.WriteString(w, `</channel></rss>`)
	}))
	t.Cleanup(srv.Close)
	return srv, &round
}

func escapeXML(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\x1b", "&#27;", "\x07", "&#7;").Replace(s)
}

// withNotify writes notify_command (a top-level key, so first) and a
// [[notify]] rule into the config e's subscriptions are in.
func withNotify(t *testing.T, e Env, command []string, query string) {
	t.Helper()
	data, err := os.ReadFile(e.ConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	quoted := make([]string, len(command))
	for i, a := range command {
		quoted[i] = fmt.Sprintf("%q", a)
	}
	text := "notify_command = [" + strings.Join(quoted, ", ") + "]\n" + string(data) + "\n[[notify]]\nquery = \"" + query + "\"\n"
	if err := os.WriteFile(e.ConfigPath, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFetchRunsNotifyCommand: tidings fetch runs notify_command once for
// a refresh that brings matches, with the count and the newest title as
// single arguments, cleaned, and no shell; a refresh that brings nothing
// new, or nothing that matches, runs nothing.
func TestFetchRunsNotifyCommand(t *testing.T) {
	program, record := recorder(t, 0)
	pwned := filepath.Join(t.TempDir(), "pwned")
	srv, round := notifyServer(t, pwned)
	e, out, errOut := testEnv(t)
	if err := e.Add(t.Context(), srv.URL+"/wire"); err != nil {
		t.Fatal(err)
	}
	withNotify(t, e, []string{program, "--urgency=low"}, "title:earthquake")
	if err := e.Fetch(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(record); err == nil {
		t.Fatal("notify_command ran for a refresh with no match")
	}
	round.Store(1)
	for range 2 { // the second brings nothing new
		if err := e.Fetch(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(record)
	if err != nil {
		t.Fatalf("notify_command did not run: %v\nstdout:\n%s\nstderr:\n%s", err, out, errOut)
	}
	runs := strings.Split(strings.TrimSuffix(string(data), "--\n"), "--\n")
	if len(runs) != 1 {
		t.Fatalf("notify_command ran %d times, want once:\n%.300s", len(runs), data)
	}
	args := strings.Split(strings.TrimSuffix(runs[0], "\n"), "\n")
	if len(args) != 3 || args[0] != "--urgency=low" || args[1] != "2" {
		t.Fatalf("argv = %.300q, want the configured argument, the count 2, the title", args)
	}
	title := args[2]
	if strings.ContainsAny(title, "\x1b\x07") || utf8.RuneCountInString(title) > notify.MaxTitle ||
		!strings.HasPrefix(title, "Earthquake $(touch ") {
		t.Errorf("title argument = %.80q, want the cleaned title, at most %d runes", title, notify.MaxTitle)
	}
	if _, err := os.Stat(pwned); err == nil {
		t.Error("the title was run by a shell")
	}
	if !strings.Contains(out.String(), "notify: 2 new: Earthquake") || strings.ContainsRune(out.String(), 0x1b) {
		t.Errorf("fetch output lacks the notify line, or holds an escape:\n%.500s", out)
	}
}

// TestFetchNotifyFailureWarns: a notify_command that fails is a warning
// on stderr; the fetch still succeeds.
func TestFetchNotifyFailureWarns(t *testing.T) {
	program, record := recorder(t, 3)
	srv, round := notifyServer(t, filepath.Join(t.TempDir(), "pwned"))
	round.Store(1)
	e, _, errOut := testEnv(t)
	if err := e.Add(t.Context(), srv.URL+"/wire"); err != nil {
		t.Fatal(err)
	}
	withNotify(t, e, []string{program}, "aftershock")
	if err := e.Fetch(t.Context()); err != nil {
		t.Fatalf("a failing notify_command failed the fetch: %v", err)
	}
	if _, err := os.Stat(record); err != nil {
		t.Fatal("notify_command did not run")
	}
	if !strings.Contains(errOut.String(), "warning: notify_command") || !strings.Contains(errOut.String(), "no display") {
		t.Errorf("stderr = %q, want a warning naming notify_command and its message", errOut)
	}
}

// TestSyncNotifies: tidings sync tells what it brought that a rule
// matches, once, and not an article that came already read (read on
// another device).
func TestSyncNotifies(t *testing.T) {
	program, record := recorder(t, 0)
	e, fake, out, _ := syncEnv(t, "")
	withNotify(t, e, []string{program}, "harbour")
	f := fake.AddFeed("https://news.example/feed", "Server News", "World")
	fake.AddEntry(f.ID, remote.Entry{Title: "Harbour read elsewhere", URL: "https://news.example/read", Content: "<p>x</p>", Published: now, Read: true})
	addEntries(fake, f.ID, "Harbour reopens", "Rain at last")
	if err := e.Sync(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := e.Sync(t.Context()); err != nil { // nothing new
		t.Fatal(err)
	}
	data, err := os.ReadFile(record)
	if err != nil {
		t.Fatalf("notify_command did not run:\n%s", out)
	}
	if got := string(data); got != "1\nHarbour reopens\n--\n" {
		t.Errorf("notify_command got %q, want one run for the one unread match", got)
	}
	if !strings.Contains(out.String(), "notify: 1 new: Harbour reopens") {
		t.Errorf("sync output lacks the notify line:\n%s", out)
	}
}

// TestReaderTakesNotifyRules: the reader gets the rules, the command and
// the store to find news in; without rules, nothing to watch.
func TestReaderTakesNotifyRules(t *testing.T) {
	srv, _ := notifyServer(t, filepath.Join(t.TempDir(), "pwned"))
	e, _, _ := testEnv(t)
	if err := e.Add(t.Context(), srv.URL+"/wire"); err != nil {
		t.Fatal(err)
	}
	st, err := e.load()
	if err != nil {
		t.Fatal(err)
	}
	if readerNews(nil, st.notify) != nil {
		t.Error("news watched without rules")
	}
	withNotify(t, e, []string{"notify-send", "tidings"}, "title:earthquake")
	if st, err = e.load(); err != nil {
		t.Fatal(err)
	}
	s, _, err := e.openStore(t.Context(), forReader, st)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	news := e.readerOptions(t.Context(), s, st, opened{}).News
	if news == nil || news.Finder == nil || len(news.Rules) != 1 || news.Rules[0] != "title:earthquake" ||
		strings.Join(news.Command, " ") != "notify-send tidings" {
		t.Errorf("reader news = %+v", news)
	}
}

// TestReaderRefreshNotifies: the reader's refresh (from a local feed
// server) says what the rules found in the status line and runs
// notify_command once, the title cleaned.
func TestReaderRefreshNotifies(t *testing.T) {
	program, record := recorder(t, 0)
	srv, round := notifyServer(t, filepath.Join(t.TempDir(), "pwned"))
	round.Store(1)
	e, _, _ := testEnv(t)
	if err := e.Add(t.Context(), srv.URL+"/wire"); err != nil {
		t.Fatal(err)
	}
	withNotify(t, e, []string{program}, "title:earthquake")
	st, err := e.load()
	if err != nil {
		t.Fatal(err)
	}
	s, _, err := e.openStore(t.Context(), forReader, st)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	opts := e.readerOptions(t.Context(), s, st, opened{})
	opts.Watch, opts.Check = nil, nil // a snapshot never waits
	final, err := ui.Snapshot(ui.New(opts), 80, 24, nil)
	if err != nil {
		t.Fatal(err)
	}
	screen, err := ui.Screen(final, false)
	if err != nil {
		t.Fatal(err)
	}
	last := screen[strings.LastIndex(strings.TrimSuffix(screen, "\n"), "\n")+1:]
	if !strings.HasPrefix(last, " 2 new: Earthquake $(touch ") || strings.ContainsRune(screen, 0x1b) {
		t.Errorf("status line = %q, want the two matches and the cleaned title", last)
	}
	data, err := os.ReadFile(record)
	if err != nil || !strings.HasPrefix(string(data), "2\nEarthquake $(touch ") || strings.Count(string(data), "--\n") != 1 {
		t.Errorf("notify_command got %.80q (%v), want one run with the count and the title", data, err)
	}
}
