package articles

import (
	"strconv"
	"strings"
	"time"
	"unicode"
)

// parser reads a query a rune at a time; columns count runes from 1.
type parser struct {
	src   []rune
	pos   int // index of the next rune
	depth int // parentheses and negations open: each is a call deeper
}

// maxDepth bounds the nesting of a query, so that a pasted wall of
// parentheses is an error rather than a stack that grows without end.
const maxDepth = 100

func (p *parser) errAt(i int, msg string) error { return &QueryError{Column: i + 1, Msg: msg} }

func (p *parser) parse() (*Expr, error) {
	e, err := p.and()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.src) { // only a ')' stops and() at the top
		return nil, p.errAt(p.pos, "closing parenthesis without an opening one")
	}
	return e, nil
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) && unicode.IsSpace(p.src[p.pos]) {
		p.pos++
	}
}

// atOR reports whether the next token is the OR operator.
func (p *parser) atOR() bool {
	return p.pos+2 <= len(p.src) && string(p.src[p.pos:p.pos+2]) == "OR" &&
		(p.pos+2 == len(p.src) || endsWord(p.src[p.pos+2]))
}

func endsWord(r rune) bool { return unicode.IsSpace(r) || r == '(' || r == ')' || r == '"' }

// and reads terms side by side, up to the end or a ')'.
func (p *parser) and() (*Expr, error) {
	var args []*Expr
	for {
		p.skipSpace()
		if p.pos == len(p.src) || p.src[p.pos] == ')' {
			break
		}
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		args = append(args, e)
	}
	switch len(args) {
	case 0:
		return nil, nil
	case 1:
		return args[0], nil
	}
	return &Expr{Op: OpAnd, Args: args}, nil
}

// or reads terms joined by OR.
func (p *parser) or() (*Expr, error) {
	if p.atOR() {
		return nil, p.errAt(p.pos, "OR needs a term before it")
	}
	first, err := p.unary()
	if err != nil {
		return nil, err
	}
	args := []*Expr{first}
	for {
		save := p.pos
		p.skipSpace()
		if !p.atOR() {
			p.pos = save
			break
		}
		at := p.pos
		p.pos += 2
		p.skipSpace()
		if p.pos == len(p.src) || p.src[p.pos] == ')' || p.atOR() {
			return nil, p.errAt(at, "OR needs a term after it")
		}
		e, err := p.unary()
		if err != nil {
			return nil, err
		}
		args = append(args, e)
	}
	if len(args) == 1 {
		return first, nil
	}
	return &Expr{Op: OpOr, Args: args}, nil
}

// unary reads a term, a group, or either negated.
func (p *parser) unary() (*Expr, error) {
	start := p.pos
	if p.depth++; p.depth > maxDepth {
		return nil, p.errAt(start, "too deeply nested")
	}
	defer func() { p.depth-- }()
	switch p.src[p.pos] {
	case '-':
		p.pos++
		if p.pos == len(p.src) || unicode.IsSpace(p.src[p.pos]) || p.src[p.pos] == ')' {
			return nil, p.errAt(start, "nothing to exclude after -")
		}
		if p.symbolsOnly() {
			// "->" is an arrow, not everything but ">": a word with
			// nothing to search for, which matches nothing.
			p.pos = start
			return p.word()
		}
		e, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &Expr{Op: OpNot, Args: []*Expr{e}}, nil
	case '(':
		p.pos++
		e, err := p.and()
		if err != nil {
			return nil, err
		}
		if p.pos == len(p.src) {
			return nil, p.errAt(start, "unclosed parenthesis")
		}
		p.pos++ // the ')'
		if e == nil {
			return nil, p.errAt(start, "empty parentheses")
		}
		return e, nil
	case ')':
		return nil, p.errAt(start, "closing parenthesis without an opening one")
	case '"':
		text, err := p.phrase()
		if err != nil {
			return nil, err
		}
		return termExpr(Term{Field: FieldText, Text: text, Phrase: true, Words: Words(text)}), nil
	}
	return p.word()
}

// symbolsOnly reports whether the bare word at p.pos holds no word to
// search for and names no field.
func (p *parser) symbolsOnly() bool {
	end := p.pos
	for end < len(p.src) && !endsWord(p.src[end]) {
		end++
	}
	w := string(p.src[p.pos:end])
	return end > p.pos && p.src[p.pos] != '-' && len(Words(w)) == 0 && !strings.Contains(w, ":")
}

func termExpr(t Term) *Expr { return &Expr{Op: OpTerm, Term: t} }

// phrase reads a quoted phrase, the opening quote at p.pos.
func (p *parser) phrase() (string, error) {
	start := p.pos
	end := start + 1
	for end < len(p.src) && p.src[end] != '"' {
		end++
	}
	if end == len(p.src) {
		return "", p.errAt(start, "unclosed quote")
	}
	p.pos = end + 1
	return string(p.src[start+1 : end]), nil
}

// word reads a bare word, which may be a field and its value.
func (p *parser) word() (*Expr, error) {
	start := p.pos
	for p.pos < len(p.src) && !endsWord(p.src[p.pos]) {
		p.pos++
	}
	text := string(p.src[start:p.pos])
	if name, value, ok := strings.Cut(text, ":"); ok {
		if f, known := fieldsByName[strings.ToLower(name)]; known {
			return p.field(f, strings.ToLower(name), value, start)
		}
	}
	if start == p.pos { // a quote right after a word: the word ends there
		return nil, p.errAt(start, "unexpected character")
	}
	return termExpr(Term{Field: FieldText, Text: text, Words: Words(text)}), nil
}

var fieldsByName = map[string]Field{
	"title": FieldTitle, "author": FieldAuthor, "feed": FieldFeed, "tag": FieldTag, "link": FieldLink,
	"is": FieldState, "since": FieldTime, "before": FieldTime, "age": FieldTime,
}

// field reads a field's value: the rest of the word, or a quoted phrase
// right after the colon. start is where the field's name begins.
func (p *parser) field(f Field, name, value string, start int) (*Expr, error) {
	t := Term{Field: f, Key: name, Text: value}
	valueAt := start + len([]rune(name)) + 1
	if value == "" {
		switch {
		case p.pos < len(p.src) && p.src[p.pos] == '"' && f != FieldState && f != FieldTime:
			text, err := p.phrase()
			if err != nil {
				return nil, err
			}
			t.Text, t.Phrase = text, true
		case p.pos < len(p.src) && p.src[p.pos] == '(':
			return nil, p.errAt(p.pos, name+": takes a word or a quoted phrase, not parentheses")
		default:
			return nil, p.errAt(start, name+": needs a value after the colon")
		}
	}
	switch f {
	case FieldState:
		return p.state(t, valueAt)
	case FieldTime:
		return p.time(t, valueAt)
	}
	t.Words = Words(t.Text)
	if strings.TrimSpace(t.Text) == "" {
		return nil, p.errAt(start, name+": needs a value inside the quotes")
	}
	return termExpr(t), nil
}

func (p *parser) state(t Term, at int) (*Expr, error) {
	states := map[string]State{"unread": StateUnread, "read": StateRead, "starred": StateStarred}
	s, ok := states[strings.ToLower(t.Text)]
	if !ok {
		return nil, p.errAt(at, "is: takes unread, read or starred")
	}
	t.State = s
	return termExpr(t), nil
}

// time reads since:, before: and age:. A date is local midnight.
func (p *parser) time(t Term, at int) (*Expr, error) {
	v := strings.ToLower(t.Text)
	switch t.Key {
	case "age":
		if len(v) == 0 || v[0] != '<' && v[0] != '>' {
			return nil, p.errAt(at, "age: takes < or > and a duration, such as age:<2h")
		}
		d, ok := parseAgo(v[1:])
		if !ok {
			return nil, p.errAt(at+1, "age: takes a duration such as 30m, 2h, 7d or 1w")
		}
		t.Time = TimeBound{Newer: v[0] == '<', Ago: d}
	default:
		t.Time.Newer = t.Key == "since"
		if d, ok := parseAgo(v); ok {
			t.Time.Ago = d
		} else if day, err := time.ParseInLocation(time.DateOnly, v, time.Local); err == nil {
			t.Time.At = day
		} else {
			return nil, p.errAt(at, t.Key+": takes a duration such as 7d or a date such as 2026-11-01")
		}
	}
	return termExpr(t), nil
}

// parseAgo reads a whole number and a unit: m, h, d or w.
func parseAgo(s string) (time.Duration, bool) {
	if len(s) < 2 {
		return 0, false
	}
	units := map[byte]time.Duration{'m': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}
	unit, ok := units[s[len(s)-1]]
	n, err := strconv.ParseUint(s[:len(s)-1], 10, 32)
	if !ok || err != nil {
		return 0, false
	}
	return time.Duration(n) * unit, true
}
