package articles_test

import (
	"testing"

	"tidings/articles"
)

func TestCount(t *testing.T) {
	for _, tt := range []struct {
		n          int
		noun, want string
	}{
		{1, "article", "1 article"}, {0, "article", "0 articles"}, {2, "match", "2 matches"},
		{43102, "article", "43,102 articles"}, {3, "feeds", "3 feeds"}, {1000000, "mark", "1,000,000 marks"},
		{-1234, "degree", "-1,234 degrees"},
	} {
		if got := articles.Count(tt.n, tt.noun); got != tt.want {
			t.Errorf("Count(%d, %q) = %q, want %q", tt.n, tt.noun, got, tt.want)
		}
	}
}
