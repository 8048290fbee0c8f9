package articlestest

import (
	"context"
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"tidings/articles"
)

// MemStore is an articles.Store that keeps articles in memory, with an
// inverted index for search, for the tests of the packages that read a
// store: a search keystroke over 100,000 articles costs a few bitset
// operations per matching word instead of a scan of every body. It
// searches as the SQLite store does (the same cases run against both).
type MemStore struct {
	// Now is the clock of since: and age: (time.Now when nil).
	Now func() time.Time

	mu    sync.RWMutex
	docs  []articles.Article // newest first; a document's number is its index
	byID  map[string]int     // ID -> document number
	index wordIndex

	// last caches the matches of the last query: the list pages through the
	// same query as the user scrolls.
	last struct {
		key  string
		hits bitset
	}
}

// NewMemStore returns a store holding arts.
func NewMemStore(arts ...articles.Article) *MemStore {
	s := &MemStore{}
	s.Add(arts...)
	return s
}

// Add inserts arts, sanitised, replacing articles with the same ID, and
// rebuilds the index.
func (s *MemStore) Add(arts ...articles.Article) {
	s.mu.Lock()
	defer s.mu.Unlock()
	merged := make(map[string]articles.Article, len(s.docs)+len(arts))
	for _, a := range s.docs {
		merged[a.ID] = a
	}
	for _, a := range arts {
		a = a.Sanitized()
		merged[a.ID] = a
	}
	docs := make([]articles.Article, 0, len(merged))
	for _, a := range merged {
		docs = append(docs, a)
	}
	slices.SortFunc(docs, func(a, b articles.Article) int {
		if newer(a, b) {
			return -1
		}
		return 1
	})
	s.setDocs(docs)
}

// setDocs makes docs, sorted newest first, the store's articles and
// rebuilds the index. The caller holds the lock.
func (s *MemStore) setDocs(docs []articles.Article) {
	s.docs = docs
	s.byID = make(map[string]int, len(docs))
	for i, a := range docs {
		s.byID[a.ID] = i
	}
	s.index = buildIndex(docs)
	s.last.key, s.last.hits = "", nil
}

// Len returns the number of articles.
func (s *MemStore) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.docs)
}

// Article implements articles.Store.
func (s *MemStore) Article(_ context.Context, id string) (articles.Article, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	i, ok := s.byID[id]
	if !ok {
		return articles.Article{}, fmt.Errorf("article %q: %w", id, articles.ErrNotFound)
	}
	return s.docs[i], nil
}

// Page implements articles.Store.
func (s *MemStore) Page(_ context.Context, q articles.Query, offset, limit int) (articles.Page, error) {
	offset, limit = max(offset, 0), max(limit, 0)
	var hits bitset
	if q.Search() != nil {
		hits = s.match(q)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	p := articles.Page{Offset: offset}
	add := func(doc int) {
		a := &s.docs[doc]
		if !q.Matches(a.Feed, a.Read, a.Starred) {
			return
		}
		if !a.Read {
			p.Unread++
		}
		if p.Total >= offset && len(p.Rows) < limit {
			p.Rows = append(p.Rows, a.Row())
		}
		p.Total++
	}
	if hits != nil {
		hits.each(add)
	} else {
		for doc := range s.docs {
			add(doc)
		}
	}
	return p, nil
}

// SetRead implements articles.Store.
func (s *MemStore) SetRead(_ context.Context, ids []string, read bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		i, ok := s.byID[id]
		if !ok {
			return fmt.Errorf("article %q: %w", id, articles.ErrNotFound)
		}
		s.docs[i].Read = read
	}
	return nil
}

// SetStarred implements articles.Store.
func (s *MemStore) SetStarred(_ context.Context, id string, starred bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.byID[id]
	if !ok {
		return fmt.Errorf("article %q: %w", id, articles.ErrNotFound)
	}
	s.docs[i].Starred = starred
	return nil
}

// MarkAllRead implements articles.Store.
func (s *MemStore) MarkAllRead(ctx context.Context, q articles.Query) (int, error) {
	q.UnreadOnly = true
	p, err := s.Page(ctx, q, 0, s.Len())
	if err != nil {
		return 0, err
	}
	ids := make([]string, len(p.Rows))
	for i, r := range p.Rows {
		ids[i] = r.ID
	}
	return len(ids), s.SetRead(ctx, ids, true)
}

// RemoveFeed implements articles.Store.
func (s *MemStore) RemoveFeed(_ context.Context, url string) (articles.Removed, error) {
	var r articles.Removed
	s.mu.Lock()
	keep := make([]articles.Article, 0, len(s.docs))
	for _, a := range s.docs {
		switch {
		case a.Feed != url:
		case a.Starred:
			r.Kept++
		default:
			r.Deleted++
			continue
		}
		keep = append(keep, a)
	}
	s.setDocs(keep) // still newest first
	s.mu.Unlock()
	return r, nil
}

// match returns the documents q's search expression selects.
func (s *MemStore) match(q articles.Query) bitset {
	e := q.Search()
	key, cache := e.String(), cacheable(e)
	s.mu.Lock()
	defer s.mu.Unlock()
	if cache && s.last.hits != nil && s.last.key == key {
		return s.last.hits
	}
	hits := s.eval(e, s.now())
	if cache {
		s.last.key, s.last.hits = key, hits
	}
	return hits
}

// cacheable reports whether e selects the same articles until they
// change: not when it depends on the time or on resolved tags.
func cacheable(e *articles.Expr) bool {
	ok := true
	e.Walk(func(t articles.Term) {
		if t.Field == articles.FieldTime || t.Field == articles.FieldTag {
			ok = false
		}
	})
	return ok
}

func (s *MemStore) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// eval returns the documents e selects: words through the index, phrases
// and title words through it and then checked, other fields by a look at
// every article, as the SQLite store does.
func (s *MemStore) eval(e *articles.Expr, now time.Time) bitset {
	switch e.Op {
	case articles.OpAnd, articles.OpOr:
		hits := s.eval(e.Args[0], now)
		for _, a := range e.Args[1:] {
			if e.Op == articles.OpAnd {
				hits.and(s.eval(a, now))
			} else {
				hits.or(s.eval(a, now))
			}
		}
		return hits
	case articles.OpNot:
		hits := s.eval(e.Args[0], now)
		hits.not(len(s.docs))
		return hits
	}
	t := e.Term
	var hits bitset
	switch t.Field {
	case articles.FieldText, articles.FieldTitle:
		hits = s.words(t.Words)
		if t.Field == articles.FieldText && !t.Phrase {
			return hits
		}
	default:
		hits = newBitset(len(s.docs))
		hits.not(len(s.docs))
	}
	check := newBitset(len(s.docs))
	hits.each(func(doc int) {
		if e.MatchesArticle(s.docs[doc], s.docs[doc].Source, now) {
			check.set(doc)
		}
	})
	return check
}

// words returns the documents holding every word, each as a prefix.
func (s *MemStore) words(words []string) bitset {
	var hits bitset
	for _, w := range words {
		tokens := articles.TermTokens(articles.Fold(w))
		if len(tokens) == 0 {
			// Nothing to search for in it ("!?"): no article, never all.
			return newBitset(len(s.docs))
		}
		for _, t := range tokens {
			h := s.index.prefix(t, len(s.docs))
			if hits == nil {
				hits = h
			} else {
				hits.and(h)
			}
		}
	}
	if hits == nil {
		return newBitset(len(s.docs))
	}
	return hits
}

// wordIndex maps every token (see articles.IndexTokens) to the sorted numbers of
// the documents holding it. Tokens are kept sorted so that the tokens a
// prefix matches are one contiguous range.
type wordIndex struct {
	words    []string
	postings [][]int32
}

func buildIndex(docs []articles.Article) wordIndex {
	byWord := make(map[string][]int32)
	seen := make(map[string]struct{})
	for doc, a := range docs {
		clear(seen)
		for _, field := range [...]string{a.Title, a.Source, a.Body} {
			for _, w := range articles.IndexTokens(articles.Fold(field)) {
				if _, dup := seen[w]; dup {
					continue
				}
				seen[w] = struct{}{}
				byWord[w] = append(byWord[w], int32(doc))
			}
		}
	}
	idx := wordIndex{words: make([]string, 0, len(byWord))}
	for w := range byWord {
		idx.words = append(idx.words, w)
	}
	sort.Strings(idx.words)
	idx.postings = make([][]int32, len(idx.words))
	for i, w := range idx.words {
		idx.postings[i] = byWord[w]
	}
	return idx
}

// prefix returns the documents holding a word that starts with p.
func (x wordIndex) prefix(p string, ndocs int) bitset {
	hits := newBitset(ndocs)
	for i := sort.SearchStrings(x.words, p); i < len(x.words) && strings.HasPrefix(x.words[i], p); i++ {
		for _, doc := range x.postings[i] {
			hits.set(int(doc))
		}
	}
	return hits
}

// bitset is a set of document numbers.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i int) { b[i/64] |= 1 << (i % 64) }

func (b bitset) and(o bitset) {
	for i := range b {
		b[i] &= o[i]
	}
}

func (b bitset) or(o bitset) {
	for i := range b {
		b[i] |= o[i]
	}
}

// not makes b its complement among the first n numbers.
func (b bitset) not(n int) {
	for i := range b {
		b[i] = ^b[i]
	}
	if r := n % 64; r != 0 {
		b[len(b)-1] &= 1<<r - 1
	}
}

// each calls f for every member in increasing order.
func (b bitset) each(f func(int)) {
	for i, w := range b {
		for w != 0 {
			f(i*64 + bits.TrailingZeros64(w))
			w &= w - 1
		}
	}
}

// newer reports whether a sorts before b in the list: newest first, then by
// title and ID so that the order is the same on every run.
func newer(a, b articles.Article) bool {
	if !a.Published.Equal(b.Published) {
		return a.Published.After(b.Published)
	}
	if a.Title != b.Title {
		return a.Title < b.Title
	}
	return a.ID < b.ID
}
