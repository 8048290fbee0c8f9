package sqlite

import (
	"database/sql/driver"
	"strings"
	"unicode/utf8"

	sqlite3 "modernc.org/sqlite"

	"tidings/articles"
)

// searchTextFunc is the SQL name of articles.SearchText: the full-text
// index reads the articles through it (the articles_search view), and its
// triggers call it on what they remove and add.
const searchTextFunc = "tidings_search_text"

// searchTextSchema is the schema version from which the index holds
// SearchText's tokens. A read-only store may read an older database,
// indexed as the text was: its searches are built the old way.
const searchTextSchema = 4

// fieldsSchema is the schema version from which the index of the fields
// a query names (articles_fields) exists.
const fieldsSchema = 8

func init() {
	// The view and the triggers call it on every connection, so it must
	// be known to the driver before any connection opens. Registered
	// once, never changed: the driver's list of functions, like its name.
	sqlite3.MustRegisterDeterministicScalarFunction(searchTextFunc, 1, searchText)
}

func searchText(_ *sqlite3.FunctionContext, args []driver.Value) (driver.Value, error) {
	switch v := args[0].(type) {
	case string:
		return articles.SearchText(v), nil
	case []byte: // only in a damaged row: indexed as its text
		return articles.SearchText(string(v)), nil
	}
	return args[0], nil
}

// indexTextFunc is the SQL name of indexText: the words index reads the
// articles through it (the articles_search view, from schema
// distinctSchema), and its triggers call it on what they remove and add.
const indexTextFunc = "tidings_index_text"

// distinctSchema is the schema version from which the words index holds
// each word of a field once (indexText) and the index of pairs each pair
// of an article once (pairsText).
const distinctSchema = 14

func init() {
	sqlite3.MustRegisterDeterministicScalarFunction(indexTextFunc, 1, indexTextSQL)
}

func indexTextSQL(_ *sqlite3.FunctionContext, args []driver.Value) (driver.Value, error) {
	switch v := args[0].(type) {
	case string:
		return indexText(articles.SearchText(v)), nil
	case []byte: // only in a damaged row: indexed as its text
		return indexText(articles.SearchText(string(v))), nil
	}
	return args[0], nil
}

// indexText is s with each of its words once, in the order they first
// come, lower-cased where ASCII, one space between them. The words index
// keeps no positions or counts (detail = none), so what it holds for s
// is the same; but it tokenizes and files each word of a text with all
// its prefixes (seven entries a word), and in a body of 300 words about
// half are repeats (measured on a refresh of 1,000 feeds: FTS5's hash of
// pending entries was a quarter of its CPU). The text is cut at ASCII
// bytes other than letters and digits, which the index's tokenizer reads
// as separators (its categories hold no ASCII punctuation or symbol): a
// piece holds one or more of its tokens, never part of one, so the index
// gets exactly the tokens it would from s. Non-ASCII bytes stay in their
// piece for the tokenizer to cut.
func indexText(s string) string {
	b := make([]byte, 0, len(s))
	seen := make(map[string]struct{}, len(s)/16)
	start := 0
	flush := func(end int) {
		if end == start {
			return
		}
		piece := b[start:end]
		if _, dup := seen[string(piece)]; dup {
			b = b[:start]
			return
		}
		seen[string(piece)] = struct{}{}
		b = append(b, ' ')
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		case c >= utf8.RuneSelf || c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b = append(b, c)
		default:
			flush(len(b))
			start = len(b)
		}
	}
	flush(len(b))
	return strings.TrimSuffix(string(b), " ")
}
