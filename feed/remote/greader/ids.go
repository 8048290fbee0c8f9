package greader

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// longPrefix begins the long form of an item ID.
const longPrefix = "tag:google.com,2005:reader/item/"

// normID returns the one form of an item ID used here, the signed decimal
// of its 64 bits (the "short form" of the API), from any form servers
// give: long ("tag:google.com,2005:reader/item/000000000000048c"), 16 hex
// digits without the prefix when they begin with 0 or hold a letter (as
// FreshRSS tells them from its 16-digit decimal IDs), signed or unsigned
// decimal. ok is false for anything else.
func normID(s string) (id string, ok bool) {
	s = strings.TrimSpace(s)
	if h, long := strings.CutPrefix(s, longPrefix); long {
		return hexID(h)
	}
	if len(s) == 16 && (s[0] == '0' || strings.IndexFunc(s, notDigit) >= 0) {
		// FreshRSS's rule: its own decimal IDs have 16 digits too.
		return hexID(s)
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return strconv.FormatInt(n, 10), true
	}
	if u, err := strconv.ParseUint(s, 10, 64); err == nil {
		return strconv.FormatInt(int64(u), 10), true
	}
	return "", false
}

func notDigit(r rune) bool { return r < '0' || r > '9' }

func hexID(h string) (string, bool) {
	if h == "" || len(h) > 16 {
		return "", false
	}
	u, err := strconv.ParseUint(h, 16, 64)
	if err != nil {
		return "", false
	}
	return strconv.FormatInt(int64(u), 10), true
}

// longID is the long form of a normalised ID, the form every server reads
// without doubt (a 16-digit decimal would be read as hex by some).
func longID(id string) (string, bool) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return "", false
	}
	h := strconv.FormatUint(uint64(n), 16)
	return longPrefix + strings.Repeat("0", 16-len(h)) + h, true
}

// text is a JSON string or number as its text; anything else (null, an
// object) is empty rather than an error, so that one odd field does not
// fail a whole answer.
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		var s string
		if json.Unmarshal(b, &s) == nil {
			*t = text(s)
		}
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9'):
		*t = text(b)
	}
	return nil
}

// number is a JSON number, or a string holding one (servers differ: the
// times of an item come as strings); zero when absent or unreadable.
type number int64

func (n *number) UnmarshalJSON(b []byte) error {
	var t text
	_ = t.UnmarshalJSON(b)
	s := string(t)
	if i := strings.IndexAny(s, ".eE"); i >= 0 {
		// A float: its whole part is enough for seconds and microseconds.
		if f, err := strconv.ParseFloat(s, 64); err == nil && f > -1e18 && f < 1e18 {
			*n = number(f)
		}
		return nil
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*n = number(v)
	}
	return nil
}
