package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"tidings/articles"
	"tidings/articles/articlestest"
)

// bigStore is 100,000 synthetic articles, built once for all benchmarks.
func bigStore(b *testing.B) *articlestest.MemStore {
	b.Helper()
	return articlestest.NewMemStore(articlestest.Articles(100_000, 120)...)
}

// BenchmarkListKeypress measures a key that moves the list selection,
// through Update and View, with 100,000 articles: the work between a key
// and its frame. Loads and renders it starts run off the update loop and
// are not counted; the keys stay within the loaded page.
func BenchmarkListKeypress(b *testing.B) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		for _, perCodepoint := range []bool{false, true} {
			name := sizeName(size)
			if perCodepoint {
				name += "/per-code-point" // a terminal without mode 2027
			}
			b.Run(name, func(b *testing.B) { benchListKeypress(b, size, perCodepoint) })
		}
	}
}

func benchListKeypress(b *testing.B, size [2]int, perCodepoint bool) {
	// Visit the rows first, so that their renderings are cached as they
	// would be in use.
	opts := testOptions(bigStore(b))
	opts.Terminal = perCodepoint
	m := drive(b, New(opts), size[0], size[1], strings.Repeat("j ", 20)+strings.Repeat("k ", 20))
	down, up := tea.KeyPressMsg{Code: 'j', Text: "j"}, tea.KeyPressMsg{Code: 'k', Text: "k"}
	var model tea.Model = m
	for i := 0; b.Loop(); i++ {
		k := down
		if i%40 >= 20 {
			k = up
		}
		model, _ = model.Update(k)
		_ = model.View()
	}
}

// BenchmarkListScroll measures paging through 100,000 articles at 80x24,
// including the store reads of new pages.
func BenchmarkListScroll(b *testing.B) {
	m := drive(b, New(testOptions(bigStore(b))), 80, 24, "")
	d := driver{model: m}
	pgdown := tea.KeyPressMsg{Code: tea.KeyPgDown}
	for b.Loop() {
		if err := d.send(pgdown); err != nil {
			b.Fatal(err)
		}
		_ = d.model.View()
		d.steps = 0
	}
}

// BenchmarkSearchKeystroke measures one typed letter of a search over
// 100,000 articles: Update, the store query it starts, and the frame.
func BenchmarkSearchKeystroke(b *testing.B) {
	m := drive(b, New(testOptions(bigStore(b))), 80, 24, "/")
	word := []rune("tradem")
	for i := 0; b.Loop(); i++ {
		d := driver{model: m}
		r := word[i%len(word)]
		if i%len(word) == 0 {
			d.model, _ = d.model.Update(tea.KeyPressMsg{Code: tea.KeyBackspace}) // keep the query short
		}
		if err := d.send(tea.KeyPressMsg{Code: r, Text: string(r)}); err != nil {
			b.Fatal(err)
		}
		_ = d.model.View()
		m = d.model.(Model)
		if len(m.search.input) >= len(word) {
			m.search.input = ""
		}
	}
}

// BenchmarkRenderArticle measures rendering a 20 KB article with Glamour
// at two widths: the cost of opening an article the first time.
func BenchmarkRenderArticle(b *testing.B) {
	a := articles.Article{ID: "big", Title: "A long read", Source: "Desk", Body: articlestest.Body(20 << 10)}
	for _, w := range []int{80, 160} {
		b.Run(sizeName([2]int{w, 0}), func(b *testing.B) {
			h := header{styles: NewStyles(true), location: testNow.Location()}
			for b.Loop() {
				if _, err := renderArticle(a, renderKey{id: a.ID, width: w, style: "dark", isDark: true}, h); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func sizeName(s [2]int) string {
	if s[1] == 0 {
		return fmt.Sprintf("width%d", s[0])
	}
	return fmt.Sprintf("%dx%d", s[0], s[1])
}

// BenchmarkFindKeystroke measures one typed letter of a search inside a
// 20 KB article open in the reader: Update, which finds every match, and
// the frame, which marks those on screen. Budget: 5 ms.
func BenchmarkFindKeystroke(b *testing.B) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		b.Run(sizeName(size), func(b *testing.B) {
			a := articles.Article{ID: "big", Title: "A long read", Source: "Desk", Body: articlestest.Body(20 << 10)}
			m := drive(b, New(testOptions(articlestest.NewMemStore(a))), size[0], size[1], "enter /")
			word := []rune("the")
			var model tea.Model = m
			for i := 0; b.Loop(); i++ {
				if i%len(word) == 0 {
					model, _ = model.Update(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}) // start again
				}
				r := word[i%len(word)]
				model, _ = model.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
				_ = model.View()
			}
			if model.(Model).reader.find.status() == "no match" {
				b.Fatal("the benchmark found nothing")
			}
		})
	}
}

// BenchmarkLinksView measures L on an article of 1,000 links (the most
// the converter writes) whose rendering is cached: Update and the frame
// of the links view. Budget: one frame, 16 ms.
func BenchmarkLinksView(b *testing.B) {
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		b.Run(sizeName(size), func(b *testing.B) {
			a := articles.Article{ID: "links", Title: "Sources", Link: "https://news.example/", Body: manyLinksBody(1000)}
			m := drive(b, New(testOptions(articlestest.NewMemStore(a))), size[0], size[1], "enter")
			open, back := tea.KeyPressMsg{Code: 'L', Text: "L"}, tea.KeyPressMsg{Code: tea.KeyEscape}
			for b.Loop() {
				model, _ := m.Update(open)
				_ = model.View()
				_, _ = model.Update(back)
			}
			if got, _ := m.Update(open); len(got.(Model).linkEntries(m.readerDoc())) != 1001 {
				b.Fatal("the article's links are not all listed")
			}
		})
	}
}

// BenchmarkNumberLinks measures numbering the links of a 20 KB body and of
// 1,000 links, which every rendering does before Glamour.
func BenchmarkNumberLinks(b *testing.B) {
	for name, body := range map[string]string{"20KB": articlestest.Body(20 << 10), "1000links": manyLinksBody(1000)} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				numberLinks(body)
			}
		})
	}
}
