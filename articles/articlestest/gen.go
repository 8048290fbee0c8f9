// Package articlestest makes deterministic synthetic articles for tests and
// benchmarks, the way net/http/httptest serves tests of net/http.
package articlestest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"tidings/articles"
)

// Epoch is the publication time of the newest generated article.
var Epoch = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

var sources = []string{
	"World Desk", "Reuters Wire", "Le Monde", "Al Jazeera English", "The Hindu",
	"NHK World", "Deutsche Welle", "ABC News", "Folha", "Nikkei Asia",
}

var common = strings.Fields(`the of and to in a is that for on was with as by at from
it an be this are has have said will its after over more than new about which their
year government minister talks trade energy market election court police city
president country people week report officials agreement support crisis plan`)

// Articles returns n articles, newest first, an hour apart, with bodies of
// about words words drawn from a vocabulary of a few thousand words.
func Articles(n, words int) []articles.Article {
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := vocabulary(rng, 4000)
	arts := make([]articles.Article, n)
	for i := range arts {
		arts[i] = articles.Article{
			ID:        fmt.Sprintf("synthetic-%06d", i),
			Source:    sources[i%len(sources)],
			Title:     sentence(rng, vocab, 6+rng.IntN(8)),
			Link:      fmt.Sprintf("https://news.example/%d", i),
			Author:    "Staff",
			Published: Epoch.Add(-time.Duration(i) * time.Hour),
			Body:      body(rng, vocab, words),
			Read:      i%3 == 0,
		}
	}
	return arts
}

// Body returns a markdown body of about size bytes with headings,
// paragraphs, a list, a link and a code block.
func Body(size int) string {
	rng := rand.New(rand.NewPCG(3, 4))
	vocab := vocabulary(rng, 4000)
	var b strings.Builder
	for b.Len() < size {
		fmt.Fprintf(&b, "## %s\n\n", sentence(rng, vocab, 4))
		fmt.Fprintf(&b, "%s\n\n", body(rng, vocab, 120))
		fmt.Fprintf(&b, "- %s\n- %s\n- [%s](https://news.example/more)\n\n",
			sentence(rng, vocab, 6), sentence(rng, vocab, 8), sentence(rng, vocab, 3))
		fmt.Fprintf(&b, "```go\nfunc main() { fmt.Println(%q) }\n```\n\n", sentence(rng, vocab, 3))
	}
	return b.String()
}

func vocabulary(rng *rand.Rand, n int) []string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	vocab := make([]string, n)
	for i := range vocab {
		w := make([]byte, 3+rng.IntN(8))
		for j := range w {
			w[j] = letters[rng.IntN(len(letters))]
		}
		vocab[i] = string(w)
	}
	return vocab
}

func word(rng *rand.Rand, vocab []string) string {
	if rng.IntN(2) == 0 {
		return common[rng.IntN(len(common))]
	}
	return vocab[rng.IntN(len(vocab))]
}

func sentence(rng *rand.Rand, vocab []string, n int) string {
	ws := make([]string, n)
	for i := range ws {
		ws[i] = word(rng, vocab)
	}
	s := strings.Join(ws, " ")
	return strings.ToUpper(s[:1]) + s[1:]
}

func body(rng *rand.Rand, vocab []string, n int) string {
	var b strings.Builder
	for n > 0 {
		k := min(n, 8+rng.IntN(12))
		b.WriteString(sentence(rng, vocab, k))
		b.WriteString(". ")
		n -= k
	}
	return strings.TrimSpace(b.String())
}
