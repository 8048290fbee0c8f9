package articles

import (
	"strconv"
	"strings"
)

// Count writes n and its noun as messages say it: "1 article", "12
// matches", "43,102 articles". One function for every message, so that
// they all count alike.
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	switch {
	case strings.HasSuffix(noun, "ch"), strings.HasSuffix(noun, "sh"):
		noun += "es"
	case !strings.HasSuffix(noun, "s"):
		noun += "s"
	}
	return Thousands(n) + " " + noun
}

// Thousands writes n with a comma between groups of three digits: 4,952.
func Thousands(n int) string {
	s := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return sign + s
}
