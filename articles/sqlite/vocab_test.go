package sqlite

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"tidings/articles"
)

// TestLongPrefixesAsExactWords: a word longer than the prefix indexes is
// searched as the words of the vocabulary it stands for; it must find
// exactly what the prefix finds, with case and accents folded, and a
// prefix of too many words stays a prefix.
func TestLongPrefixesAsExactWords(t *testing.T) {
	s := openTest(t)
	arts := []articles.Article{
		item("a", "Early", time.Hour), item("b", "Poor", 2*time.Hour), item("c", "Harvesting season", 3*time.Hour),
		item("d", "Accented", 4*time.Hour), item("e", "Other", 5*time.Hour),
	}
	arts[0].Body, arts[1].Body, arts[3].Body, arts[4].Body = "The HARVEST came early", "Harvests were poor", "La harvést", "harvey"
	for i := range 40 {
		a := item(fmt.Sprintf("l%d", i), fmt.Sprintf("Long %d", i), time.Duration(10+i)*time.Hour)
		a.Body = fmt.Sprintf("longprefix%02d", i)
		arts = append(arts, a)
	}
	save(t, s, "https://vocab.example/feed", arts...)

	for q, want := range map[string][]string{
		"harvest":                  {"Early", "Poor", "Harvesting season", "Accented"},
		"harvests":                 {"Poor"},
		"harvesting":               {"Harvesting season"},
		"harvest -early":           {"Poor", "Harvesting season", "Accented"},
		"harvest early":            {"Early"},
		"early harvest":            {"Early"},
		"poor OR harvestx":         {"Poor"},
		"harve":                    {"Early", "Poor", "Harvesting season", "Accented", "Other"},
		"longprefix07":             {"Long 7"},
		"title:harv":               {"Harvesting season"},
		"title:harvest":            {"Harvesting season"},
		"title:harvests":           nil,
		"title:seas OR title:poor": {"Harvesting season", "Poor"},
	} {
		got := titles(page(t, s, articles.MustParseQuery(q)))
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("search %q: %q, want %q", q, got, want)
		}
	}
	if p := page(t, s, articles.MustParseQuery("longprefix")); p.Total != 40 {
		t.Errorf("search longprefix: %d matches, want 40", p.Total)
	}

	ctx := t.Context()
	if got := s.prefixIn(ctx, wordsVocab, "harvest"); got != `("harvest" OR "harvesting" OR "harvests")` {
		t.Errorf("prefixIn(harvest) = %s, want the three words", got)
	}
	if got := s.prefixIn(ctx, fieldsVocab, "harv"); got != `("harvesting")` {
		t.Errorf("prefixIn(fields, harv) = %s, want the one title word", got)
	}
	if got := s.prefixIn(ctx, wordsVocab, "longprefix"); got != `"longprefix"*` {
		t.Errorf("prefixIn(longprefix) = %s, want the prefix: 40 words are too many", got)
	}
	if got := s.prefixIn(ctx, wordsVocab, "harve"); !strings.HasSuffix(got, "*") {
		t.Errorf("prefixIn(harve) = %s, want the prefix: its index holds it", got)
	}
	s.noVocab = true // a read-only store of schema 12 searches prefixes as before
	if got := titles(page(t, s, articles.MustParseQuery("harvests"))); !slices.Equal(got, []string{"Poor"}) {
		t.Errorf("without the vocabulary, search harvests: %q", got)
	}
}
