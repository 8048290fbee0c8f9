package ui

import (
	"context"
	"strings"
	"testing"

	"tidings/articles"
	"tidings/articles/articlestest"
	"tidings/feed/htmlmd"
)

// hostile is an article whose every field tries to reach the terminal.
func hostile() articles.Article {
	return articles.Article{
		ID:        "evil",
		Title:     "# Breaking \x1b]52;c;aGFja2Vk\x07**bold** `code` \x1b[2J\u202Egnp.exe\u202C \x9b31m",
		Source:    "Evil\x1b]8;;https://evil.example\x1b\\ Wire\x1b]8;;\x1b\\",
		Author:    "Mallory\x1b]0;pwned\x07\x00\x7f\u0085",
		Link:      "https://evil.example/\x1b[31m",
		Published: testNow,
		Body:      "Body \x1bP1$qm\x1b\\text \x1b_apc\x1b\\ more \x1b^pm\x1b\\ end\x1b[?1049h.\n\nA [link](https://evil.example) \x1b]52;c;eA==\x1b\\",
	}
}

func TestHostileArticleNeverReachesTheTerminal(t *testing.T) {
	checkHostile(t, articlestest.NewMemStore(hostile()))
}

// rawStore hands out its articles as they are, without the sanitising
// every real store does on the way in: a stand-in for a bug anywhere
// before the screen, which the frame filter alone must then catch.
type rawStore struct {
	*articlestest.MemStore
	raw articles.Article
}

func (s rawStore) Page(ctx context.Context, q articles.Query, offset, limit int) (articles.Page, error) {
	p, err := s.MemStore.Page(ctx, q, offset, limit)
	for i := range p.Rows {
		p.Rows[i] = s.raw.Row()
	}
	return p, err
}

func (s rawStore) Article(ctx context.Context, id string) (articles.Article, error) {
	return s.raw, nil
}

func TestFrameFilterAloneStopsEscapes(t *testing.T) {
	checkHostile(t, rawStore{articlestest.NewMemStore(hostile()), hostile()})
}

func checkHostile(t *testing.T, store articles.Store) {
	t.Helper()
	for _, keys := range []string{"", "enter", "/ breaking enter enter", "?"} {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			m := drive(t, New(testOptions(store)), size[0], size[1], keys)
			if what, bad := articlestest.UnsafeInFrame(m.frame()); bad {
				t.Fatalf("keys %q %v: %q reached the screen", keys, size, what)
			}
		}
	}
}

// TestTitlesShownLiterally checks that markdown in a title stays text in
// the list and in the reader header.
func TestTitlesShownLiterally(t *testing.T) {
	store := articlestest.NewMemStore(hostile())
	m := drive(t, New(testOptions(store)), 160, 30, "enter")
	out := plain(t, m)
	for _, want := range []string{"# Breaking **bold** `code`", "Evil Wire", "Mallory"} {
		if strings.Count(out, want) < 1 {
			t.Errorf("screen lacks %q:\n%s", want, out)
		}
	}
}

// TestWideCharactersCounted checks that CJK and emoji titles are cut by
// their width in cells, so that every row is exactly as wide as the pane.
func TestWideCharactersCounted(t *testing.T) {
	store := articlestest.NewMemStore(
		articles.Article{ID: "cjk", Title: strings.Repeat("新闻报道", 20), Source: "新华社通讯社", Published: testNow},
		articles.Article{ID: "emoji", Title: strings.Repeat("📰🌍 ", 30), Source: "🗞️", Published: testNow},
		articles.Article{ID: "mixed", Title: "Café ünïcödé " + strings.Repeat("é", 40), Published: testNow},
		articles.Article{ID: "flood", Title: "Z" + strings.Repeat("\u0301\u0336", 250) + "algo " + strings.Repeat("long title ", 10), Source: "Combining", Published: testNow},
		articles.Article{ID: "zw", Title: strings.Repeat("zero\u200bwidth\u200d\ufeff ", 12), Source: "\u200b\u200b", Published: testNow},
		articles.Article{ID: "rtl", Title: strings.Repeat("مرحبا بالعالم שלום עולם ", 6), Source: "الجزيرة", Published: testNow},
		articles.Article{ID: "zwj", Title: strings.Repeat("👩‍👩‍👧‍👦🇺🇦🏳️‍🌈 ", 15), Source: "👨‍💻", Published: testNow},
	)
	for _, w := range []int{40, 80, 100, 160} {
		m := drive(t, New(testOptions(store)), w, 12, "")
		checkFrame(t, m.frame(), w, 12)
		if out := plain(t, m); !strings.Contains(out, "…") {
			t.Errorf("width %d: long titles not cut with …:\n%s", w, out)
		}
		// Each of them open in the reader, its header wrapped.
		for range 7 {
			m = drive(t, m, w, 12, "enter")
			checkFrame(t, m.frame(), w, 12)
			m = drive(t, m, w, 12, "esc j")
		}
	}
}

// TestEntityLookalikesShowAsWritten runs item HTML whose text reads like
// entities through the converter and Glamour: the text must show as
// written, and "&#27;" must never become an ESC.
func TestEntityLookalikesShowAsWritten(t *testing.T) {
	body := htmlmd.Convert(`<p>a &amp;#27;[2J b &amp;lt;tag&amp;gt; c <code>&amp;#x1b;</code> d &amp;amp;</p>`, "")
	out, err := RenderArticle(articles.Article{ID: "e", Title: "t", Body: body}, 80, "notty", true)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "\x1b[2J") || strings.Contains(out, "\x1b\n") {
		t.Fatalf("an entity became an escape: %q", out)
	}
	text := strings.ReplaceAll(stripANSI(out), "\u2060", "")
	for _, want := range []string{"a &#27;[2J b &lt;tag&gt; c", "&#x1b;", "d &amp;"} {
		if !strings.Contains(text, want) {
			t.Errorf("rendered text lacks %q:\n%q", want, text)
		}
	}
}
