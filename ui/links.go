package ui

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// bodyLinks returns the targets of the links Glamour will make of body:
// the destinations of its links and the URLs it finds in the text (GFM's
// autolinks). The frame filter lets a hyperlink through only to one of
// these, so a hyperlink that reached the screen any other way (through a
// bug, or a renderer decoding something it should not) is shown as text.
//
// The markdown is parsed as Glamour parses it (GitHub Flavored Markdown
// and definition lists), so the two agree on what is a link.
func bodyLinks(body string) []string {
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.DefinitionList))
	src := []byte(body)
	doc := md.Parser().Parse(text.NewReader(src))
	var links []string
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			links = append(links, string(n.Destination))
		case *ast.AutoLink:
			links = append(links, string(n.URL(src)))
		}
		return ast.WalkContinue, nil
	})
	return links
}
