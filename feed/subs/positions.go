package subs

import (
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// positions records where keys appear in a TOML document. The toml
// package does not expose key positions, so Load finds them with this
// small scanner, which is only run on documents the toml package accepted
// (see the package comment for why no library does this instead).
type positions struct {
	// keys maps a dotted key (in toml.Key.String form, without array
	// indices) to the line of each of its occurrences, in order.
	keys map[string][]int
	// entries maps the key of an array of tables to the line of each of its
	// elements, in order: [[key]] headers and inline tables in key = [...].
	entries map[string][]int
}

type scanner struct {
	s    string
	i    int
	line int
	res  positions
}

// scanPositions scans a valid TOML document. It never panics on other input,
// but the positions it reports for invalid documents are meaningless.
func scanPositions(src string) positions {
	sc := &scanner{
		s:    strings.TrimPrefix(src, "\ufeff"),
		line: 1,
		res:  positions{keys: map[string][]int{}, entries: map[string][]int{}},
	}
	var table toml.Key
	for {
		sc.skipSpace(true)
		if sc.eof() {
			break
		}
		start := sc.i
		line := sc.line
		if sc.s[sc.i] == '[' {
			sc.i++
			array := sc.peek() == '['
			if array {
				sc.i++
			}
			table = sc.key()
			sc.record(table, line)
			if array {
				k := table.String()
				sc.res.entries[k] = append(sc.res.entries[k], line)
			}
			sc.skipLine()
		} else {
			sc.keyValue(table, false)
		}
		if sc.i == start { // never loop without progress
			sc.advance()
		}
	}
	return sc.res
}

func (sc *scanner) eof() bool { return sc.i >= len(sc.s) }

func (sc *scanner) peek() byte {
	if sc.eof() {
		return 0
	}
	return sc.s[sc.i]
}

func (sc *scanner) advance() {
	if !sc.eof() {
		if sc.s[sc.i] == '\n' {
			sc.line++
		}
		sc.i++
	}
}

// record notes the line of key and of each of its implicit parents that has
// not been seen yet.
func (sc *scanner) record(key toml.Key, line int) {
	if len(key) == 0 {
		return
	}
	for n := 1; n < len(key); n++ {
		p := key[:n].String()
		if _, ok := sc.res.keys[p]; !ok {
			sc.res.keys[p] = []int{line}
		}
	}
	k := key.String()
	sc.res.keys[k] = append(sc.res.keys[k], line)
}

// skipSpace skips blanks and comments, and newlines too if nl is set.
func (sc *scanner) skipSpace(nl bool) {
	for !sc.eof() {
		switch sc.s[sc.i] {
		case ' ', '\t', '\r':
			sc.i++
		case '\n':
			if !nl {
				return
			}
			sc.advance()
		case '#':
			for !sc.eof() && sc.s[sc.i] != '\n' {
				sc.i++
			}
		default:
			return
		}
	}
}

// skipLine skips the rest of the current line, including the newline.
func (sc *scanner) skipLine() {
	for !sc.eof() && sc.s[sc.i] != '\n' {
		sc.i++
	}
	sc.advance()
}

// key reads a possibly dotted key made of bare and quoted parts.
func (sc *scanner) key() toml.Key {
	var k toml.Key
	for {
		sc.skipSpace(false)
		if sc.eof() {
			return k
		}
		switch sc.s[sc.i] {
		case '"':
			start := sc.i
			sc.basicString()
			raw := sc.s[start:sc.i]
			if u, err := strconv.Unquote(raw); err == nil {
				k = append(k, u)
			} else {
				k = append(k, strings.Trim(raw, `"`))
			}
		case '\'':
			start := sc.i
			sc.literalString()
			k = append(k, strings.Trim(sc.s[start:sc.i], "'"))
		default:
			start := sc.i
			for !sc.eof() && !strings.ContainsRune(" \t\r\n.=]#\"'", rune(sc.s[sc.i])) {
				sc.i++
			}
			if sc.i == start {
				return k
			}
			k = append(k, sc.s[start:sc.i])
		}
		sc.skipSpace(false)
		if sc.peek() != '.' {
			return k
		}
		sc.i++
	}
}

// value skips one value; inline tables inside it record their keys under key.
func (sc *scanner) value(key toml.Key) {
	sc.skipSpace(false)
	switch sc.peek() {
	case '"':
		if strings.HasPrefix(sc.s[sc.i:], `"""`) {
			sc.multiString(`"""`, true)
		} else {
			sc.basicString()
		}
	case '\'':
		if strings.HasPrefix(sc.s[sc.i:], "'''") {
			sc.multiString("'''", false)
		} else {
			sc.literalString()
		}
	case '[':
		sc.items(']', func() {
			if sc.s[sc.i] == '{' {
				k := key.String()
				sc.res.entries[k] = append(sc.res.entries[k], sc.line)
			}
			sc.value(key)
		})
	case '{':
		sc.items('}', func() { sc.keyValue(key, true) })
	default:
		// Numbers, booleans and dates (which may contain a space).
		for !sc.eof() && !strings.ContainsRune(",]}\n#", rune(sc.s[sc.i])) {
			sc.i++
		}
	}
}

// items reads the elements of an array or inline table, from its opening
// bracket to its closing one, calling item at the start of each (never at
// the end of input) and skipping the commas between them.
func (sc *scanner) items(closing byte, item func()) {
	sc.i++
	for {
		sc.skipSpace(true)
		if sc.eof() {
			return
		}
		if sc.s[sc.i] == closing {
			sc.i++
			return
		}
		start := sc.i
		item()
		sc.skipSpace(true)
		if sc.peek() == ',' {
			sc.i++
		}
		if sc.i == start { // never loop without progress
			sc.advance()
		}
	}
}

// keyValue reads "key = value" under parent and records the key's line.
// With nl, newlines before the '=' are skipped: inside an inline table the
// scanner is lenient, since the toml package has already accepted the
// document.
func (sc *scanner) keyValue(parent toml.Key, nl bool) {
	line := sc.line
	k := sc.key()
	full := append(parent[:len(parent):len(parent)], k...)
	sc.record(full, line)
	sc.skipSpace(nl)
	if sc.peek() == '=' {
		sc.i++
		sc.value(full)
	}
}

// basicString skips a single-line "..." string with escapes.
func (sc *scanner) basicString() {
	sc.i++
	for !sc.eof() {
		switch sc.s[sc.i] {
		case '\\':
			sc.i += 2
		case '"':
			sc.i++
			return
		case '\n':
			return
		default:
			sc.i++
		}
	}
}

// literalString skips a single-line '...' string.
func (sc *scanner) literalString() {
	sc.i++
	for !sc.eof() {
		switch sc.s[sc.i] {
		case '\'':
			sc.i++
			return
		case '\n':
			return
		default:
			sc.i++
		}
	}
}

// multiString skips a multi-line string (triple-quoted, basic or literal),
// counting lines.
func (sc *scanner) multiString(delim string, escapes bool) {
	sc.i += 3
	for !sc.eof() {
		if escapes && sc.s[sc.i] == '\\' {
			sc.i++
			sc.advance()
			continue
		}
		if strings.HasPrefix(sc.s[sc.i:], delim) {
			sc.i += 3
			// Up to two more quotes may close the string ("""a"""" is a").
			for n := 0; n < 2 && sc.peek() == delim[0]; n++ {
				sc.i++
			}
			return
		}
		sc.advance()
	}
}
