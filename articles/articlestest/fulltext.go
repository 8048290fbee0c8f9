package articlestest

import (
	"context"
	"sync"

	"tidings/articles"
)

// FullTexts keeps full texts in memory, for the tests of what reads and
// writes them; embed it beside a MemStore (FullTextMemStore).
type FullTexts struct {
	mu    sync.Mutex
	texts map[string]articles.FullText
	Saves int // how many times SaveFullText was called
}

// FullText implements articles.FullTextStore.
func (f *FullTexts) FullText(_ context.Context, id string) (articles.FullText, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ft, ok := f.texts[id]
	return ft, ok, nil
}

// SaveFullText implements articles.FullTextStore.
func (f *FullTexts) SaveFullText(_ context.Context, id string, ft articles.FullText) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.texts == nil {
		f.texts = make(map[string]articles.FullText)
	}
	f.texts[id] = ft.Sanitized()
	f.Saves++
	return nil
}

// FullTextMemStore is a MemStore that keeps full texts too.
type FullTextMemStore struct {
	*MemStore
	*FullTexts
}

// NewFullTextMemStore returns a store holding arts and no full text.
func NewFullTextMemStore(arts ...articles.Article) FullTextMemStore {
	return FullTextMemStore{NewMemStore(arts...), &FullTexts{}}
}
