package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"tidings/articles"
)

// ignoreSchema is the migration that added ignore rules.
const ignoreSchema = 10

// ignoreKey is the meta row of the rules last applied: their fingerprint
// and their texts, so that "tidings list --ignored" names the rule that
// hid an article (articles.ignored is its number) even in a store opened
// read-only.
const ignoreKey = "ignore"

type appliedRules struct {
	Fingerprint string   `json:"fingerprint"`
	Rules       []string `json:"rules"`
}

// notIgnored keeps the articles no rule hides; written as the partial
// indexes articles_lead and articles_lead_unread are.
const notIgnored = "a.ignored = 0"

// SetIgnoreRules makes rules (queries with their tags resolved; see
// articles.Query.ResolveTags) the store's ignore rules: the articles they
// match are hidden from every list and count, and so are new articles
// that match as they are written, in the same transaction. When the rules
// differ from those last applied (a fingerprint in meta), every article
// is judged again, so a rule removed or changed brings its articles back.
//
// A starred article is never hidden: the star says the reader chose to
// keep it, and a rule written for a feed's noise should not take it away.
func (s *Store) SetIgnoreRules(ctx context.Context, rules []articles.Query) error {
	if s.noIgnore || s.opts.ReadOnly {
		return nil // read as the last writer left it
	}
	s.ignore = rules
	fp := fingerprint(rules)
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, ignoreKey).Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return s.wrap("read the ignore rules of", err)
	}
	var last appliedRules
	if json.Unmarshal([]byte(v), &last) == nil && last.Fingerprint == fp {
		return nil
	}
	return s.applyIgnore(ctx, rules, fp)
}

// fingerprint identifies a set of rules by what they select: the query
// and, for tag: terms, the feeds the tag stood for when it was resolved.
func fingerprint(rules []articles.Query) string {
	h := sha256.New()
	for _, r := range rules {
		fmt.Fprintf(h, "%s\x00", r.Text)
		if e := r.Search(); e != nil {
			fmt.Fprintf(h, "%s\x00", e.String())
			e.Walk(func(t articles.Term) { fmt.Fprintf(h, "%s\x00", strings.Join(t.Feeds, "\x01")) })
		}
		fmt.Fprint(h, "\x02")
	}
	return hex.EncodeToString(h.Sum(nil))
}

// applyIgnore judges every article again against rules, in one
// transaction, through the indexes the lists use.
func (s *Store) applyIgnore(ctx context.Context, rules []articles.Query, fp string) error {
	conds := make([]string, len(rules))
	args := make([][]any, len(rules))
	texts := make([]string, len(rules))
	for i, r := range rules {
		texts[i] = r.Text
		e := r.Search()
		if e == nil {
			conds[i] = "0" // an empty rule hides nothing, never everything
			continue
		}
		var err error
		if conds[i], args[i], err = s.cond(ctx, e); err != nil {
			return err
		}
	}
	meta, err := json.Marshal(appliedRules{Fingerprint: fp, Rules: texts})
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET ignored = 0 WHERE ignored != 0`); err != nil {
			return s.wrap("apply the ignore rules to", err)
		}
		for i, c := range conds {
			_, err := tx.ExecContext(ctx, `UPDATE articles SET ignored = ? WHERE id IN (
				SELECT a.id FROM articles a WHERE a.ignored = 0 AND a.starred = 0 AND `+c+`)`,
				append([]any{i + 1}, args[i]...)...)
			if err != nil {
				return s.wrap("apply the ignore rules to", err)
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, ignoreKey, string(meta))
		return s.wrap("apply the ignore rules to", err)
	})
}

// ignoreNew hides the articles inserted since lastID that a rule matches,
// inside the transaction that wrote them: no list ever shows them. They
// are judged here in Go (articles.Query.MatchesArticle, which the tests
// hold to the SQL the lists run), so that a feed created or renamed in
// the same transaction is matched by its new title.
func (s *Store) ignoreNew(ctx context.Context, tx *sql.Tx, lastID int64) error {
	if len(s.ignore) == 0 {
		return nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT a.id, f.url, f.title, a.source, a.title, a.link, a.author, a.published, a.body, a.read
		FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.id > ? AND a.starred = 0`, lastID)
	if err != nil {
		return fmt.Errorf("apply the ignore rules: %w", err)
	}
	hide := map[int64]int{}
	now := s.opts.Now()
	for rows.Next() {
		var id, published int64
		var a articles.Article
		var feedTitle string
		if err := rows.Scan(&id, &a.Feed, &feedTitle, &a.Source, &a.Title, &a.Link, &a.Author, &published, storedBody{&a.Body}, &a.Read); err != nil {
			rows.Close()
			return fmt.Errorf("apply the ignore rules: %w", err)
		}
		a.Published = unix(published)
		if k := s.ruleFor(a, feedTitle, now); k > 0 {
			hide[id] = k
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("apply the ignore rules: %w", err)
	}
	for id, k := range hide {
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET ignored = ? WHERE id = ?`, k, id); err != nil {
			return fmt.Errorf("apply the ignore rules: %w", err)
		}
	}
	return nil
}

// ruleFor is the number of the first rule that matches a (1 for the
// first), or 0.
func (s *Store) ruleFor(a articles.Article, feedTitle string, now time.Time) int {
	j := judged{a: a, feedTitle: feedTitle, now: now}
	for i, r := range s.ignore {
		if e := r.Search(); e != nil && r.Matches(a.Feed, a.Read, a.Starred) && j.matches(e) {
			return i + 1
		}
	}
	return 0
}

// judged is one article judged by the rules. Its words are split once
// for all of them: splitting its text again for each rule of words (as
// articles.HasWords does) was 18% of the time of writing a feed with 20
// rules in force.
type judged struct {
	a         articles.Article
	feedTitle string
	now       time.Time
	tokens    []string // IndexTokens of the folded text, once read
	split     bool
}

// matches is articles.Expr.MatchesArticle, words matched against the
// tokens split once.
func (j *judged) matches(e *articles.Expr) bool {
	switch e.Op {
	case articles.OpAnd:
		for _, x := range e.Args {
			if !j.matches(x) {
				return false
			}
		}
		return true
	case articles.OpOr:
		for _, x := range e.Args {
			if j.matches(x) {
				return true
			}
		}
		return false
	case articles.OpNot:
		return !j.matches(e.Args[0])
	}
	if e.Term.Field != articles.FieldText || e.Term.Phrase {
		return e.MatchesArticle(j.a, j.feedTitle, j.now)
	}
	return j.hasWords(e.Term.Words)
}

// hasWords is articles.HasWords over the article's text.
func (j *judged) hasWords(words []string) bool {
	if len(words) == 0 {
		return false
	}
	if !j.split {
		j.tokens, j.split = articles.IndexTokens(articles.Fold(j.a.Title+"\n"+j.a.Source+"\n"+j.a.Body)), true
	}
	for _, w := range words {
		tt := articles.TermTokens(articles.Fold(w))
		if len(tt) == 0 {
			return false
		}
		for _, t := range tt {
			if !slices.ContainsFunc(j.tokens, func(have string) bool { return strings.HasPrefix(have, t) }) {
				return false
			}
		}
	}
	return true
}

// IgnoredBy returns, for each article ID given that a rule hides, the
// text of that rule: what "tidings list --ignored" prints beside it.
func (s *Store) IgnoredBy(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if s.noIgnore || len(ids) == 0 {
		return out, nil
	}
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, ignoreKey).Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, s.wrap("read the ignore rules of", err)
	}
	var last appliedRules
	_ = json.Unmarshal([]byte(v), &last) // unreadable: the rules go unnamed
	args := make([]any, 0, len(ids))
	for _, id := range ids {
		if n, err := parseID(id); err == nil {
			args = append(args, n)
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, ignored FROM articles WHERE ignored != 0 AND id IN (`+placeholders(len(args))+`)`, args...)
	if err != nil {
		return nil, s.wrap("read the ignored articles of", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var k int
		if err := rows.Scan(&id, &k); err != nil {
			return nil, s.wrap("read the ignored articles of", err)
		}
		out[fmt.Sprint(id)] = ""
		if k >= 1 && k <= len(last.Rules) {
			out[fmt.Sprint(id)] = last.Rules[k-1]
		}
	}
	return out, s.wrap("read the ignored articles of", rows.Err())
}

// ignoredIDs are the IDs notIgnored leaves out, for conditions on the
// full-text index's rowid, from the partial index articles_ignored.
const ignoredIDs = "SELECT id FROM articles WHERE ignored != 0"
