package subs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigFullText(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	text := "[[feeds]]\nurl = \"https://a.example/feed\"\nfull_text = true\n\n[[feeds]]\nurl = \"https://b.example/feed\"\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, _, warns, err := Load(path)
	if err != nil || len(warns) > 0 {
		t.Fatalf("load: %v, %v", err, warns)
	}
	if !cfg.Feeds[0].FullText || cfg.Feeds[1].FullText {
		t.Fatalf("full_text read as %v, %v; want true, false", cfg.Feeds[0].FullText, cfg.Feeds[1].FullText)
	}
	if err := cfg.Save(path); err != nil {
		t.Fatal(err)
	}
	if again, _, _, err := Load(path); err != nil || !again.Feeds[0].FullText || again.Feeds[1].FullText {
		t.Errorf("after a save: %+v, %v", again.Feeds, err)
	}
	if err := os.WriteFile(path, []byte("[[feeds]]\nurl = \"https://a.example/feed\"\nfull_text = \"yes\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := Load(path); err == nil || !strings.Contains(err.Error(), "config.toml:1: feed 1: full_text must be true or false") {
		t.Errorf("full_text = \"yes\": %v", err)
	}
}
