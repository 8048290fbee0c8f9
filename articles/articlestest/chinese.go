package articlestest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"tidings/articles"
)

// ChineseArticles returns n articles, newest first, an hour apart, whose
// titles and bodies are synthetic Chinese: words of one to four of 3,000
// characters, drawn Zipf-like from a vocabulary of 30,000, with a comma
// now and then and no spaces. The characters are uniformly spaced code
// points, not real text, but their frequencies, and so the number of
// distinct bigrams an index holds, are of the order of real text's.
// A body has about words words, some 2.5 characters each.
func ChineseArticles(n, words int) []articles.Article {
	rng := rand.New(rand.NewPCG(5, 6))
	chars := rand.NewZipf(rng, 1.1, 5, 2999)
	vocab := make([]string, 30000)
	for i := range vocab {
		var b strings.Builder
		for range 1 + rng.IntN(4) {
			b.WriteRune(rune(0x4e00 + chars.Uint64()*7))
		}
		vocab[i] = b.String()
	}
	pick := rand.NewZipf(rng, 1.05, 2, uint64(len(vocab)-1))
	text := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(vocab[pick.Uint64()])
			if rng.IntN(8) == 0 {
				b.WriteString("，")
			}
		}
		return b.String()
	}
	arts := make([]articles.Article, n)
	for i := range arts {
		arts[i] = articles.Article{
			ID:        fmt.Sprintf("chinese-%06d", i),
			Source:    "新华社",
			Title:     text(8),
			Link:      fmt.Sprintf("https://news.example/zh/%d", i),
			Published: Epoch.Add(-time.Duration(i) * time.Hour),
			Body:      text(words),
		}
	}
	return arts
}
