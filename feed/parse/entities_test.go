package parse

import (
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tidings/articles/termsafe"
)

// TestEntitiesMadeOfPieces converts items whose entities only come
// together in the final markdown ("&" + an empty element + "#27;") or
// hide in an image's alt text: no part of the markdown may decode to a
// control character, and the text shows as written.
func TestEntitiesMadeOfPieces(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "entities", "split.xml"))
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := Parse(data, "http://x.example/feed", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range parsed.Items {
		if !termsafe.EntitiesSafe(it.Body) {
			t.Errorf("%s: an entity decodes to a control character:\n%s", it.Title, it.Body)
		}
		// As Glamour shows it: entities decoded, escapes and joiners unseen.
		shown := strings.NewReplacer("\u2060", "", `\[`, "[", `\]`, "]").Replace(html.UnescapeString(it.Body))
		switch {
		case strings.HasPrefix(it.Title, "Entity split"):
			if !strings.Contains(shown, "before &#27;[31;5;7mX&#27;[0m after") {
				t.Errorf("%s: text not as written:\n%s", it.Title, it.Body)
			}
		case it.Title == "Image alt text":
			if !strings.Contains(shown, "image: &#27;]52;c;aGFja2Vk&#7;") {
				t.Errorf("%s: alt text not as written:\n%s", it.Title, it.Body)
			}
		}
	}
}
