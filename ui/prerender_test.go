package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"tidings/articles"
	"tidings/articles/articlestest"
)

var (
	enterKey = tea.KeyPressMsg{Code: tea.KeyEnter}
	downKey  = tea.KeyPressMsg{Code: 'j', Text: "j"}
)

// prerenderModel is a model at 80x24 (the reader hidden behind the list)
// over n articles, with pre-rendering on, started and idle: what it
// renders ahead is rendered.
func prerenderModel(t testing.TB, n int) Model {
	t.Helper()
	opts := testOptions(articlestest.NewMemStore(articlestest.Articles(n, 300)...))
	opts.Prerender = true
	return drive(t, New(opts), 80, 24, "")
}

// rendered reports whether the article in row i of the list is rendered
// at the width the reader would show it.
func rendered(m Model, i int) bool {
	k := m.readerKey()
	k.id = m.list.page.Rows[i].ID
	_, ok := m.renders.docs[k]
	return ok
}

// TestPrerenderAroundCursor: once the user is idle, the articles around
// the cursor are rendered ahead, and opening the selected one shows its
// body in the very frame of the key, with no rendering still to come.
func TestPrerenderAroundCursor(t *testing.T) {
	m := prerenderModel(t, 40)
	for i := 0; i <= prerenderAround; i++ {
		if !rendered(m, i) {
			t.Errorf("row %d is not rendered ahead", i)
		}
	}
	if rendered(m, prerenderAround+2) {
		t.Errorf("row %d, beyond the next %d and not the next unread, is rendered", prerenderAround+2, prerenderAround)
	}
	next, _ := m.Update(enterKey) // the commands it returns are not run
	screen := plain(t, next)
	if !strings.Contains(screen, m.list.page.Rows[0].Title) || !strings.Contains(screen, "%") {
		t.Errorf("the frame of the key does not show the article:\n%s", screen)
	}
}

// TestPrerenderNextUnread: the next unread article is rendered ahead even
// when it is beyond the neighbours.
func TestPrerenderNextUnread(t *testing.T) {
	st := articlestest.NewMemStore(articlestest.Articles(40, 300)...)
	opts := testOptions(st)
	opts.Prerender = true
	m := drive(t, New(opts), 80, 24, "")
	far := prerenderAround + 3
	// Read the rows between the cursor and far, so that far is the next
	// unread, and start again.
	for i := 1; i <= far; i++ {
		if err := st.SetRead(t.Context(), []string{m.list.page.Rows[i].ID}, i < far); err != nil {
			t.Fatal(err)
		}
	}
	m = drive(t, New(opts), 80, 24, "")
	if !rendered(m, far) {
		t.Errorf("the next unread article (row %d) is not rendered ahead", far)
	}
}

// TestPrerenderGivesWay: input stops pre-rendering. A pre-rendering not
// yet begun when a key comes gives way, unless its article is by then the
// one the reader wants; and none starts again until the user is idle.
func TestPrerenderGivesWay(t *testing.T) {
	m := prerenderModel(t, 40)
	m.list.move(10) // to rows not rendered ahead
	cmd := m.prerender()
	if cmd == nil {
		t.Fatal("no pre-rendering for an idle user on a row not rendered")
	}
	if m.prerender() != nil {
		t.Error("a second pre-rendering started while one is under way")
	}
	next, _ := m.Update(downKey)
	m = next.(Model)
	msg := cmd().(renderedMsg)
	if !msg.skipped {
		t.Error("a pre-rendering begun after a key did not give way")
	}
	next, _ = m.Update(msg)
	next, _ = next.Update(prerenderIdleMsg{gen: m.renders.gen.Load() - 1}) // an older generation's
	if m = next.(Model); m.renders.preBusy {
		t.Error("a pre-rendering started before the newest input's idle time")
	}
	next, _ = m.Update(prerenderIdleMsg{gen: m.renders.gen.Load()})
	if m = next.(Model); !m.renders.preBusy {
		t.Error("no pre-rendering once the user is idle again")
	}

	m = prerenderModel(t, 40)
	m.list.move(10)
	cmd = m.prerender()
	m.Update(enterKey) // opens the very article under way
	if msg := cmd().(renderedMsg); msg.skipped || msg.err != nil || len(msg.doc.lines) == 0 {
		t.Errorf("the pre-rendering of the article opened gave way: skipped %v, err %v", msg.skipped, msg.err)
	}
}

// TestPrerenderOffInSnapshots: without Prerender nothing is rendered that
// the reader does not show.
func TestPrerenderOffInSnapshots(t *testing.T) {
	m := drive(t, New(testOptions(articlestest.NewMemStore(articlestest.Articles(10, 50)...))), 80, 24, "")
	if n := len(m.renders.docs); n != 0 {
		t.Errorf("%d renderings with the reader hidden and Prerender off", n)
	}
}

// BenchmarkOpenPrerendered measures opening an article rendered ahead:
// the key, Update and the frame, at 80x24 with 100,000 stored.
func BenchmarkOpenPrerendered(b *testing.B) {
	opts := testOptions(bigStore(b))
	opts.Prerender = true
	m := drive(b, New(opts), 80, 24, "")
	back := tea.KeyPressMsg{Code: tea.KeyEscape}
	for b.Loop() {
		next, _ := m.Update(enterKey)
		if v := next.View().Content; !strings.Contains(v, "%") {
			b.Fatal("the article is not shown")
		}
		b.StopTimer()
		next, _ = next.Update(back)
		m = next.(Model)
		b.StartTimer()
	}
}

// BenchmarkPrerenderCacheBytes renders 2,000 articles of 20 KB ahead, as
// a long session's browsing would, and reports what the render cache
// holds: its bound in bytes, not its count, is what keeps the reader's
// memory flat.
func BenchmarkPrerenderCacheBytes(b *testing.B) {
	arts := make([]articles.Article, 2000)
	body := articlestest.Body(20 << 10)
	for i := range arts {
		arts[i] = articles.Article{ID: fmt.Sprint("a", i), Title: "A long read", Body: body}
	}
	h := testHeader()
	doc, err := renderArticle(arts[0], renderKey{id: arts[0].ID, width: 80, style: "dark", isDark: true}, h)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		c := newRenderCache()
		for _, a := range arts {
			c.put(renderedMsg{key: renderKey{id: a.ID, width: 80}, doc: doc, pre: true})
		}
		b.ReportMetric(float64(c.bytes)/(1<<20), "MB-held")
		b.ReportMetric(float64(len(c.docs)), "renderings")
	}
}
