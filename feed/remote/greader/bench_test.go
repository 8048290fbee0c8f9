package greader

import (
	"encoding/json"
	"strings"
	"testing"
)

// BenchmarkDecodePage decodes a stream/items/contents answer of 100
// entries with 5 KB bodies (sent twice, as Miniflux does: content and
// summary), the page a sync stores at a time.
func BenchmarkDecodePage(b *testing.B) {
	body := "<p>" + strings.Repeat("Lorem ipsum dolor sit amet, <b>consectetur</b> adipiscing. ", 85)[:5000] + "</p>"
	items := make([]map[string]any, 100)
	asked := make([]string, 100)
	for i := range items {
		e := &fakeEntry{id: int64(i + 1), feed: 1, title: "A title of a usual length, about sixty characters or so",
			link: "https://example.org/2026/12/01/an-article", author: "Ann Author", body: body,
			published: 1_764_000_000, crawlMs: 1_764_000_000_123}
		items[i] = e.item(false)
		asked[i], _ = normID(items[i]["id"].(string))
	}
	page, err := json.Marshal(map[string]any{"id": readingList, "items": items})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		entries, _, err := decodeItems(page, asked)
		if err != nil || len(entries) != 100 {
			b.Fatalf("%d entries, %v", len(entries), err)
		}
	}
}
