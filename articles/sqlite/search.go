package sqlite

import (
	"database/sql/driver"

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
