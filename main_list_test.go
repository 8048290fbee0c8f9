package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestListHelpSaysTheOrder checks that the help gives list's order as it
// is: newest first, and for a search best match first like the reader.
func TestListHelpSaysTheOrder(t *testing.T) {
	var out bytes.Buffer
	if err := run(t.Context(), []string{"help"}, &out, &out); err != nil {
		t.Fatal(err)
	}
	help := strings.Join(strings.Fields(out.String()), " ")
	for _, want := range []string{"print articles, newest first; with --search, best match first, as the reader's search does",
		"--starred", "--tag NAME", "--body"} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q:\n%s", want, out.String())
		}
	}
}

// TestListFlags checks that list takes --starred, --body and --tag.
func TestListFlags(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(t.Context(), []string{"list", "--starred", "--body", "--json"}, &out, &errOut); err != nil || strings.TrimSpace(out.String()) != "[]" {
		t.Errorf("list --starred --body --json = %v, %q; want no article", err, out.String())
	}
	err := run(t.Context(), []string{"list", "--tag", "world", "--tag", "news"}, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), `--tag "world"`) {
		t.Errorf("list --tag with no tags in the config: %v", err)
	}
}

// TestListSearchParseErrorExits2: a search that does not parse is a usage
// error: exit 2, and where and why on stderr.
func TestListSearchParseErrorExits2(t *testing.T) {
	var out, errOut bytes.Buffer
	code := exitStatus(run, []string{"list", "--search", "title:("}, &out, &errOut)
	want := "tidings: search: column 7: title: takes a word or a quoted phrase, not parentheses\n"
	if code != 2 || errOut.String() != want || out.Len() != 0 {
		t.Errorf("list --search 'title:(' = %d, stderr %q, stdout %q; want 2, %q", code, errOut.String(), out.String(), want)
	}
}
