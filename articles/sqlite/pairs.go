package sqlite

import (
	"database/sql/driver"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

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

// pairsText is the index's text of an article: the token of each pair of
// adjacent words of each field, each token once (the index keeps no
// counts, and the repeats cost as much to file: see indexText). Words
// shorter than pairMin are left out, and the words on either side of
// them pair up.
func pairsText(_ *sqlite3.FunctionContext, args []driver.Value) (driver.Value, error) {
	var seen [pairBuckets / 64]uint64
	texts := make([]string, len(args))
	size := 0
	for i, v := range args {
		texts[i] = sqlText(v)
		size += len(texts[i])
	}
	// A token and its space take 9 bytes at most, and stand for a pair
	// whose second word holds pairMin letters or more, each pair once:
	// in most texts fewer bytes than the text, so one allocation.
	b := make([]byte, 0, size+16)
	for _, text := range texts {
		prev := ""
		for _, w := range articles.Words(text) {
			if w = articles.Fold(w); !pairable(w) {
				continue
			}
			if prev != "" {
				if h := pairBucket(prev, w); seen[h/64]&(1<<(h%64)) == 0 {
					seen[h/64] |= 1 << (h % 64)
					b = append(appendBucket(b, h), ' ')
				}
			}
			prev = w
		}
	}
	return string(b), nil
}

// pairMin is the fewest characters a word of a pair has, from schema
// distinctSchema. The short words (of, to, in, a, on, by) are a third of
// an English text's; the pairs they make are in nearly every article, so
// they filed entries that narrowed no search. Leaving them out keeps
// what the index promises: where a phrase is, its longer words are
// adjacent among the longer words of its field. "bank of england" is
// looked for as bank-england, and its candidates checked as before.
const pairMin = 3

func pairable(w string) bool { return utf8.RuneCountInString(w) >= pairMin }

// pairToken is the token of two adjacent words, as Words and Fold make
// them: the index and a phrase must agree on it.
func pairToken(a, b string) string { return string(appendBucket(nil, pairBucket(a, b))) }

// oldPairToken is pairToken up to schema 13: the bucket in base 36.
func oldPairToken(a, b string) string {
	return "p" + strconv.FormatUint(uint64(pairBucket(a, b)), 36)
}

// pairBucket is the bucket of the words a and b: their FNV-1a hash (of a,
// a zero byte, b) modulo pairBuckets. Written out, without allocating, as
// the writer calls it for every pair of words of every new article.
func pairBucket(a, b string) uint32 {
	const offset, prime = 2166136261, 16777619
	h := uint32(offset)
	for i := 0; i < len(a); i++ {
		h = (h ^ uint32(a[i])) * prime
	}
	h *= prime // the zero byte between them
	for i := 0; i < len(b); i++ {
		h = (h ^ uint32(b[i])) * prime
	}
	return h % pairBuckets
}

// appendBucket appends the token of bucket h to buf: "p" and, in base 36,
// h times an odd constant (modulo 2^32: each bucket keeps a token of its
// own). The bucket itself in base 36, as up to schema 13, made tokens
// that FTS5's table of pending entries (its hash shifts and XORs the
// bytes) filed into 3,072 of its slots: a pair written looked through a
// dozen entries first. Scattered so, the 32,768 tokens fill 25,000 slots
// of 65,536, and a write looks at one or two.
//
// It writes base 36 itself, as strconv.AppendUint(buf, u, 36) does: by a
// constant divisor, which the compiler turns into a multiplication, where
// strconv divides by a variable (a quarter of pairsText's time).
func appendBucket(buf []byte, h uint32) []byte {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	var d [7]byte // 2^32 - 1 is "1z141z3" in base 36
	u, i := h*0x9e3779b1, len(d)
	for u >= 36 {
		i--
		d[i] = digits[u%36]
		u /= 36
	}
	i--
	d[i] = digits[u]
	return append(append(buf, 'p'), d[i:]...)
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
	token := oldPairToken
	if !s.allPairs {
		token = pairToken
		folded = slices.DeleteFunc(folded, func(w string) bool { return !pairable(w) })
	}
	if len(folded) < 2 {
		return "", false
	}
	tokens := make([]string, 0, len(folded)-1)
	for i := 1; i < len(folded); i++ {
		tokens = append(tokens, token(folded[i-1], folded[i]))
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
