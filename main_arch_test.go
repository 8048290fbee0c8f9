package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestLayers keeps ARCHITECTURE.md true: it reads the imports of every
// package's non-test files and fails on one a rule there forbids.
func TestLayers(t *testing.T) {
	imports := packageImports(t)
	if len(imports["tidings/ui"]) == 0 || len(imports["tidings/feed"]) == 0 {
		t.Fatalf("read no imports: %v", imports)
	}
	isCharm := func(p string) bool {
		return strings.HasPrefix(p, "charm.land/") || strings.HasPrefix(p, "github.com/charmbracelet/")
	}
	under := func(p, root string) bool { return p == root || strings.HasPrefix(p, root+"/") }
	for pkg, deps := range imports {
		for _, dep := range deps {
			var broken string
			switch {
			case under(pkg, "tidings/articles/termsafe") && (under(dep, "tidings") || isCharm(dep)):
				broken = "the terminal-safety boundary (articles/termsafe) imports nothing of tidings, and nothing of the Charm stack"
			case under(pkg, "tidings/articles") && (under(dep, "tidings") && !under(dep, "tidings/articles") || isCharm(dep)):
				broken = "the domain (articles) imports only itself, and nothing of the Charm stack"
			case under(pkg, "tidings/feed") && (under(dep, "tidings") && !under(dep, "tidings/feed") && !under(dep, "tidings/articles") || isCharm(dep)):
				broken = "feed imports only feed and articles, and nothing of the Charm stack"
			case pkg == "tidings/ui" && (dep == "tidings/ui/cli" || under(dep, "tidings/articles/sqlite")):
				broken = "ui never imports ui/cli or the SQLite store"
			case dep == "tidings/ui/cli" && pkg != "tidings":
				broken = "only main imports ui/cli"
			}
			if broken != "" {
				t.Errorf("%s imports %s: %s (ARCHITECTURE.md)", pkg, dep, broken)
			}
		}
	}
}

// packageImports returns the imports of each package of the module, from
// its non-test Go files.
func packageImports(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		pkg := "tidings"
		if dir := filepath.ToSlash(filepath.Dir(path)); dir != "." {
			pkg += "/" + dir
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			out[pkg] = append(out[pkg], p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
