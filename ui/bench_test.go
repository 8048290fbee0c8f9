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
