package sqlite

import (
	"database/sql/driver"
	"strconv"
	"strings"

	sqlite3 "modernc.org/sqlite"

	"tidings/articles"
)

// The index of word pairs (articles_pairs, migration 12) finds the
// candidates of a phrase. The words index keeps no positions (detail =
// none), so a phrase of common words ("trade market": each word in most
// articles) had every article holding both words read and checked, tens
// of thousands of rows, 0.6-1.4 s a keystroke at 100,000 articles.
// Positions (a second index with detail = full) would cost as much space
// as the words index itself (measured: 57 MB at 100,000 articles); this
// one holds, for each article, a token for each pair of adjacent words of
// its title, source and body, the pair hashed into one of pairBuckets:
// 21 MB, and a phrase's candidates are the articles holding the tokens
// of all its pairs, its own matches and a few hundred others that share
// a bucket, each then checked by the phrase matcher as before.

// pairsSchema is the schema version from which the index of word pairs
// exists.
const pairsSchema = 12

// pairsFunc(title, source, body) is the index's text of an article: a
// token for each pair of adjacent words of each.
const pairsFunc = "tidings_pairs"

// pairBuckets is how many tokens word pairs are hashed into. Fewer cost
// less space (the deltas between an article and the next holding a token
// are smaller) and bring more articles that only share a bucket; at
// 100,000 articles 8,192 buckets made 16 MB of index and about 1,500
// such articles a two-word phrase, 65,536 made 23 MB and about 200.
// Changing it changes the index: rebuild it in a migration.
const pairBuckets = 32768

func init() {
	sqlite3.MustRegisterDeterministicScalarFunction(pairsFunc, 3, pairsText)
}

func pairsText(_ *sqlite3.FunctionContext, args []driver.Value) (driver.Value, error) {
	var b []byte
	for _, v := range args {
		prev := ""
		for i, w := range articles.Words(sqlText(v)) {
			w = articles.Fold(w)
			if i > 0 {
				b = append(appendPairToken(b, prev, w), ' ')
			}
			prev = w
		}
	}
	return string(b), nil
}

// pairToken is the token of two adjacent words, as Words and Fold make
// them: the index and a phrase must agree on it.
func pairToken(a, b string) string { return string(appendPairToken(nil, a, b)) }

// appendPairToken appends the token of the words a and b to buf: "p"
// and, in base 36, their FNV-1a hash (of a, a zero byte, b) modulo
// pairBuckets. Written out, without allocating, as the writer calls it
// for every pair of words of every new article.
func appendPairToken(buf []byte, a, b string) []byte {
	const offset, prime = 2166136261, 16777619
	h := uint32(offset)
	for i := 0; i < len(a); i++ {
		h = (h ^ uint32(a[i])) * prime
	}
	h *= prime // the zero byte between them
	for i := 0; i < len(b); i++ {
		h = (h ^ uint32(b[i])) * prime
	}
	return strconv.AppendUint(append(buf, 'p'), uint64(h%pairBuckets), 36)
}

// pairsExpr returns the query of the index of pairs that finds every
// article holding the phrase of words (see articles.HasPhrase), and
// more. ok is false when the index cannot say: a phrase of one word, or
// with a word that is not a plain run of letters and digits (a CJK word
// or a symbol, found inside runs of them; punctuation, which no text's
// words hold).
func (s *Store) pairsExpr(words []string) (string, bool) {
	if s.noPairs || len(words) < 2 {
		return "", false
	}
	folded := make([]string, len(words))
	for i, w := range words {
		ws := articles.Words(w)
		if len(ws) != 1 || !plainWord(ws[0]) {
			return "", false
		}
		if folded[i] = articles.Fold(ws[0]); folded[i] == "" {
			return "", false
		}
	}
	tokens := make([]string, 0, len(words)-1)
	for i := 1; i < len(folded); i++ {
		tokens = append(tokens, pairToken(folded[i-1], folded[i]))
	}
	return strings.Join(tokens, " "), true
}

// plainWord reports whether w, one of Words', is letters and digits that
// only match whole: not a CJK word or a symbol.
func plainWord(w string) bool {
	return w != "" && !articles.MatchesInside(w) && !strings.ContainsFunc(w, articles.IsCJK)
}

const pairsIDs = `SELECT rowid FROM articles_pairs WHERE articles_pairs MATCH ?`

// indexPairs indexes the articles it selects (a WHERE clause follows) in
// the index of pairs: the writer's new articles, a copy's every one.
const indexPairs = `INSERT INTO articles_pairs (rowid, pairs) SELECT id, pairs FROM articles_pairs_src`
