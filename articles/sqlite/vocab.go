package sqlite

import (
	"context"
	"strings"
	"unicode/utf8"
)

// A word of a search is a prefix: "harvest" also finds "harvests". The
// full-text indexes keep prefix indexes up to a length (the words index
// 6 characters, the index of fields 3); past that FTS5 gathers the rows
// of every word with the prefix into one list before it returns the
// first, the whole list even when the list is asked for its newest 200:
// 14 ms a keystroke for a word in most of 100,000 articles, 285 ms at
// 1,000,000. The few words a longer prefix stands for are found in the
// index's vocabulary instead (an fts5vocab table, migration 13) and
// searched as exact words ORed, which FTS5 walks newest first and stops
// when it has enough.

// vocabSchema is the schema version from which the vocabularies exist.
const vocabSchema = 13

// vocab is a full-text index's vocabulary table.
type vocab string

const (
	wordsVocab  vocab = "articles_fts_vocab"
	fieldsVocab vocab = "articles_fields_vocab"
)

// longest is the longest prefix v's index keeps an index of (its prefix
// lengths in schema.go): a shorter prefix is searched as one.
func (v vocab) longest() int {
	if v == fieldsVocab {
		return 3
	}
	return 6
}

// maxExact is how many words a prefix may stand for and still be
// searched as exact words; a prefix of more stays a prefix.
const maxExact = 32

// prefixIn is token as an FTS5 prefix term of the index v belongs to,
// or, when it is longer than its prefix indexes, as the exact words of
// the index that start with it. Only ASCII tokens are looked up: the
// indexes fold case and accents (remove_diacritics 2), and for ASCII
// that is exactly lower case.
func (s *Store) prefixIn(ctx context.Context, v vocab, token string) string {
	prefix := quoteTerm(token) + "*"
	if s.noVocab || utf8.RuneCountInString(token) <= v.longest() || !isASCII(token) {
		return prefix
	}
	words, err := s.wordsWithPrefix(ctx, v, strings.ToLower(token))
	if err != nil || len(words) == 0 || len(words) > maxExact {
		return prefix // the prefix finds the same rows, slower
	}
	for i, w := range words {
		words[i] = quoteTerm(w)
	}
	return "(" + strings.Join(words, " OR ") + ")"
}

// wordsWithPrefix returns the words of v's index that start with prefix,
// up to one more than maxExact.
func (s *Store) wordsWithPrefix(ctx context.Context, v vocab, prefix string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT term FROM `+string(v)+` WHERE term >= ? AND term < ? LIMIT ?`,
		prefix, prefix+string(utf8.MaxRune), maxExact+1)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var words []string
	for rows.Next() {
		var w string
		if err := rows.Scan(&w); err != nil {
			return nil, err
		}
		words = append(words, w)
	}
	return words, rows.Err()
}

// quoteTerm quotes a token for FTS5, so that a token such as "and" or
// "near" is never read as an operator.
func quoteTerm(t string) string { return `"` + strings.ReplaceAll(t, `"`, `""`) + `"` }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
