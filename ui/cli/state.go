package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"tidings/articles"
	"tidings/articles/sqlite"
	"tidings/feed/subs"
)

// stateFile is what export --state writes: every read or starred article,
// starred ones with their text, so that import --state brings them back
// into any database, even one whose feeds no longer list them.
type stateFile struct {
	Format   string              `json:"format"` // stateFormat
	Exported time.Time           `json:"exported"`
	Articles []sqlite.StateEntry `json:"articles"`
}

const stateFormat = "tidings state 1"

// ExportState writes the read and starred state as JSON.
func (e Env) ExportState(ctx context.Context) error {
	s, _, err := e.openStore(ctx, forRead, defaultSetup())
	if err != nil {
		return err
	}
	defer s.Close()
	entries, err := s.ExportState(ctx)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.Stdout)
	enc.SetIndent("", " ")
	return enc.Encode(stateFile{Format: stateFormat, Exported: e.Now().UTC(), Articles: entries})
}

// ImportState merges a file export --state wrote into the database.
func (e Env) ImportState(ctx context.Context, path string) error {
	st, err := readStateFile(path)
	if err != nil {
		return err
	}
	setup, err := e.load()
	if err != nil {
		return err
	}
	s, _, err := e.openStore(ctx, forWrite, setup)
	if err != nil {
		return err
	}
	defer s.Close()
	entries, badURLs := resolveStateFeeds(st.Articles, subs.Config{Feeds: setup.subs}.URLResolver())
	n, err := s.ImportState(ctx, entries)
	if err != nil {
		return err
	}
	n.Skipped += badURLs
	fmt.Fprintf(e.Stdout, "Imported the state in %s: %d articles marked, %s restored, %s kept for when their articles come back",
		path, n.Applied, articles.Count(n.Restored, "starred article"), articles.Count(n.Pending, "read mark"))
	if n.Unchanged > 0 {
		fmt.Fprintf(e.Stdout, ", %d already so", n.Unchanged)
	}
	if n.Skipped > 0 {
		fmt.Fprintf(e.Stdout, ", %d entries skipped (no feed, no GUID, or a feed URL with hidden characters)", n.Skipped)
	}
	fmt.Fprintln(e.Stdout, ".")
	return nil
}

// resolveStateFeeds checks the feed URL of every entry as a URL given to
// tidings add is checked, and names it as the subscriptions do, so that
// the entry finds its articles; an entry whose URL cannot be used (a
// control or bidi character in its host) is left out and counted.
func resolveStateFeeds(in []sqlite.StateEntry, resolve func(string) (string, error)) (out []sqlite.StateEntry, skipped int) {
	out = make([]sqlite.StateEntry, 0, len(in))
	for _, e := range in {
		if e.Feed != articles.BundledFeed {
			u, err := resolve(e.Feed)
			if err != nil {
				skipped++
				continue
			}
			e.Feed = u
		}
		out = append(out, e)
	}
	return out, skipped
}

// readStateFile reads and checks a state file; errors name the file, and
// the line for a syntax error.
func readStateFile(path string) (stateFile, error) {
	var st stateFile
	data, err := os.ReadFile(path)
	if err != nil {
		return st, fmt.Errorf("import state: %w", err)
	}
	if err := json.Unmarshal(data, &st); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return st, fmt.Errorf("%s:%d: %w", path, lineOf(data, syn.Offset), err)
		case errors.As(err, &typ):
			return st, fmt.Errorf("%s:%d: %w", path, lineOf(data, typ.Offset), err)
		}
		return st, fmt.Errorf("%s: %w", path, err)
	}
	if st.Format != stateFormat {
		return st, fmt.Errorf("%s: not a tidings state file (want \"format\": %q, as tidings export --state writes)", path, stateFormat)
	}
	return st, nil
}

// lineOf returns the line number of byte offset off in data.
func lineOf(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return bytes.Count(data[:off], []byte("\n")) + 1
}
