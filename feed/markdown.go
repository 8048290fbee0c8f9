package feed

import (
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"tidings/articles"
)

// An item's HTML is written by a stranger and ends up in a terminal through
// Glamour. HTMLToMarkdown takes it through four gates, each doing one thing:
//
//  1. bluemonday drops what must never be shown (scripts, styles, frames,
//     forms and their text) and every URL whose scheme is not http, https or
//     mailto.
//  2. A walk over the parsed tree passes every text node and attribute
//     through articles.Sanitize (so an entity like &#27; cannot smuggle an
//     escape sequence in, and the converter's own marker byte, BEL, cannot
//     appear in its input) and turns images into links, since a terminal
//     cannot show them.
//  3. html-to-markdown converts; a renderer for <a> checks the URL the
//     converter is about to write and keeps only the link text when it is not
//     http, https or mailto (a relative link without a usable base included).
//  4. articles.Sanitize again on the result: the one gate everything passes.
//
// Two things are done before the gates when they are needed: a URL with
// control characters in it has them percent-encoded (mdEncodeURLs), since
// a URL that does not parse would lose its link; and in text, an '&' that
// could start an entity gets an invisible word joiner after it
// (mdDefuseEntities), because Glamour decodes entities in what it shows:
// text that reads "&#27;" must show as those five characters, not become
// an ESC.

// mdPolicy returns the bluemonday policy; built once, safe for concurrent use.
var mdPolicy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	// Dropped together with their text: bluemonday already skips script,
	// style, iframe, object, noscript and a few more; without these, a
	// form's button labels or an SVG's text would show up as prose.
	// (Not <embed>: it is a void element, and bluemonday, which has no
	// tree, would skip everything after it waiting for its end tag.)
	p.SkipElementsContent("script", "style", "iframe", "object", "form",
		"button", "select", "textarea", "template", "svg", "canvas", "audio", "video")
	// UGCPolicy only keeps alt text matching a narrow "paragraph" pattern
	// (no '?', no quotes); alt text is shown as text here, so keep any.
	p.AllowAttrs("alt").Matching(regexp.MustCompile(`(?s).*`)).OnElements("img")
	// UGCPolicy allows only the URL schemes http, https and mailto, and
	// relative URLs (resolved later), so data: images and javascript: links
	// are dropped here; mdReplaceImage and mdRenderLink check again.
	return p
})

// mdConverters holds html-to-markdown converters, one per goroutine at a
// time. A converter is safe for concurrent use, but it takes a write lock
// on every conversion and read locks all through it: shared by the parsers
// of a refresh, it let one core work while the other waited (measured: a
// refresh of 1,000 feeds used one core of two). The pool only caches
// converters, all built alike.
var mdConverters = sync.Pool{New: func() any { return mdNewConverter() }}

func mdNewConverter() *converter.Converter {
	conv := converter.NewConverter(converter.WithPlugins(
		base.NewBasePlugin(),
		commonmark.NewCommonmarkPlugin(),
		table.NewTablePlugin(),
		strikethrough.NewStrikethroughPlugin(),
	))
	conv.Register.RendererFor("a", converter.TagTypeInline, mdRenderLink, converter.PriorityEarly)
	// The converter decides whether a '[' in text needs its backslash by
	// scanning the rest of the line for a ']': quadratic, so a paragraph of
	// 40,000 '[' takes seconds. Escaping every '[' is always correct
	// markdown (\[ renders as [) and answers before that scan runs.
	conv.Register.UnEscaper(mdEscapeBracket, converter.PriorityEarly)
	return conv
}

// mdEscapeBracket tells the converter to keep the escape of a '[' in text.
func mdEscapeBracket(chars []byte, index int) int {
	if chars[index] == '[' {
		return 1
	}
	return -1
}

// mdRenderLink reduces a link to its text unless the URL the converter
// would write (after resolving against the base) is http, https or mailto.
// Checking the converter's own result rather than the raw attribute means
// whatever it does to URLs, nothing else can come out as a link target.
func mdRenderLink(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	href := strings.TrimSpace(mdAttr(n, "href"))
	if href != "" && mdLinkAllowed(ctx.AssembleAbsoluteURL(ctx, "a", href)) {
		return converter.RenderTryNext // let commonmark write [text](url)
	}
	ctx.RenderChildNodes(ctx, w, n)
	return converter.RenderSuccess
}

// mdLinkAllowed reports whether u is an absolute http(s) URL with a host, or
// a mailto URL.
func mdLinkAllowed(u string) bool {
	if len(u) > mdMaxURL {
		return false
	}
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	switch strings.ToLower(p.Scheme) {
	case "http", "https":
		return p.Host != ""
	case "mailto":
		return p.Opaque != ""
	}
	return false
}

// mdMaxURL is the longest link target kept; a longer link keeps only its
// text. Real article links are far shorter, and a 100 KB URL would fill
// screens of the reader.
const mdMaxURL = 2048

// mdTagRe finds the start of an HTML tag, comment, doctype or processing
// instruction: a '<' followed by a letter, '/', '!' or '?'.
var mdTagRe = regexp.MustCompile(`<[a-zA-Z/!?]`)

// HTMLToMarkdown converts an item's HTML content to markdown that Glamour renders safely. base resolves relative links.
//
// Input without any HTML tag is taken as text: its entities are decoded and
// its blank lines separate paragraphs, so plain-text descriptions stay readable.
// Images become links, [image: ALT](src), because a terminal cannot show them.
func HTMLToMarkdown(html, base string) string {
	if strings.TrimSpace(html) == "" {
		return ""
	}
	if !mdTagRe.MatchString(html) {
		return mdConvert(mdTextToHTML(mdUnescape(html)), base)
	}
	return mdConvert(html, base)
}

// mdTextToMarkdown converts plain text (JSON Feed content_text, Atom
// type="text") to markdown: every character shows as written.
func mdTextToMarkdown(text string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	return mdConvert(mdTextToHTML(text), "")
}

// mdUnescape decodes HTML entities in s. (HTMLToMarkdown's parameter, named
// by the API, hides the html package there.)
func mdUnescape(s string) string { return html.UnescapeString(s) }

// mdTextToHTML turns plain text into HTML paragraphs: blank lines separate
// paragraphs, single newlines become line breaks. The converter then
// escapes whatever in the text would otherwise be markdown.
func mdTextToHTML(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	var b strings.Builder
	for para := range strings.SplitSeq(text, "\n\n") {
		para = strings.Trim(para, "\n")
		if strings.TrimSpace(para) == "" {
			continue
		}
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>")
			}
			b.WriteString(html.EscapeString(line))
		}
		b.WriteString("</p>\n")
	}
	return b.String()
}

// mdConvert runs the gates described at the top of this file. Should a
// library panic on some input, the item still gets its text rather than
// taking the whole feed down.
func mdConvert(src, baseURL string) (out string) {
	defer func() {
		if r := recover(); r != nil {
			out = articles.Sanitize(mdPlainText(src))
		}
	}()
	if mdURLsNeedEncoding(src) {
		src = mdEncodeURLs(src)
	}
	clean := mdPolicy().Sanitize(src)
	doc, err := html.Parse(strings.NewReader(clean))
	if err != nil {
		return articles.Sanitize(mdPlainText(src))
	}
	base := mdBase(baseURL)
	mdPrepare(doc, base)

	var opts []converter.ConvertOptionFunc
	if base != nil {
		opts = append(opts, converter.WithDomain(base.String()))
	}
	conv := mdConverters.Get().(*converter.Converter)
	md, err := conv.ConvertNode(doc, opts...)
	mdConverters.Put(conv) // not reached after a panic: that converter is dropped
	if err != nil {
		return articles.Sanitize(mdPlainText(src))
	}
	return strings.TrimSpace(articles.Sanitize(string(md)))
}

// mdBase returns base parsed if it is an absolute http(s) URL. Anything
// else (a file path, "") resolves nothing: the converter would otherwise
// guess "http://" + base.
func mdBase(base string) *url.URL {
	u, err := url.Parse(strings.TrimSpace(base))
	if err != nil || u.Host == "" {
		return nil
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return nil
	}
	return u
}

// mdResolve resolves ref against base (which may be nil) and returns it
// if it is an absolute http or https URL with a host, else "".
func mdResolve(base *url.URL, ref string) string {
	u, err := url.Parse(mdEncodeURL(ref))
	if err != nil || len(ref) > mdMaxURL {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if s := strings.ToLower(u.Scheme); (s != "http" && s != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

// mdCodeNewline is the private-use rune html-to-markdown uses internally to
// mark newlines in code blocks; in the input it would turn into a newline.
const mdCodeNewline = "\uF002"

// mdPrepare makes the tree safe to hand to the converter: every text node and
// attribute value passes articles.Sanitize, and <img> elements are replaced by
// links to the image, or by their alt text when the image has no usable
// http(s) source or is already inside a link.
func mdPrepare(n *html.Node, base *url.URL) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch c.Type {
		case html.TextNode:
			c.Data = strings.ReplaceAll(articles.Sanitize(c.Data), mdCodeNewline, "")
			if !mdInside(c, atom.Pre) { // Glamour shows code blocks verbatim
				c.Data = mdDefuseEntities(c.Data)
			}
		case html.ElementNode:
			for i := range c.Attr {
				c.Attr[i].Val = articles.SanitizeLine(c.Attr[i].Val)
			}
			if c.DataAtom == atom.Img {
				mdReplaceImage(c, base)
			} else {
				mdPrepare(c, base)
			}
		case html.CommentNode:
			n.RemoveChild(c)
		default:
			mdPrepare(c, base)
		}
		c = next
	}
}

// mdReplaceImage replaces img with [image: ALT](src) made of HTML the
// converter already knows: a link whose text is "image: ALT".
func mdReplaceImage(img *html.Node, base *url.URL) {
	parent := img.Parent
	alt := articles.SanitizeLine(mdAttr(img, "alt"))
	label := "image"
	if alt != "" {
		label = "image: " + alt
	}
	src := ""
	if raw := strings.TrimSpace(mdAttr(img, "src")); raw != "" {
		// (An empty src would resolve to the base itself.)
		src = mdResolve(base, raw)
	}
	var repl *html.Node
	switch {
	case mdInside(img, atom.A):
		// Markdown cannot nest links: the enclosing link leads somewhere
		// already, so it gets the label as (part of) its text.
		repl = &html.Node{Type: html.TextNode, Data: label}
	case src != "":
		repl = &html.Node{Type: html.ElementNode, Data: "a", DataAtom: atom.A,
			Attr: []html.Attribute{{Key: "href", Val: src}}}
		repl.AppendChild(&html.Node{Type: html.TextNode, Data: label})
	case alt != "":
		// No usable source (bluemonday dropped a data: or javascript: one):
		// the alt text is still content.
		repl = &html.Node{Type: html.TextNode, Data: "[" + label + "]"}
	}
	if repl != nil {
		parent.InsertBefore(repl, img)
	}
	parent.RemoveChild(img)
}

// mdInside reports whether n has an ancestor element a.
func mdInside(n *html.Node, a atom.Atom) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.DataAtom == a {
			return true
		}
	}
	return false
}

// mdAttr returns n's attribute key, "" if it has none.
func mdAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

// mdPlainText returns the text of an HTML fragment with its whitespace
// collapsed, leaving out what the sanitiser drops with its content. It is
// used for titles made from bodies and as the fallback should conversion fail.
func mdPlainText(src string) string {
	z := html.NewTokenizer(strings.NewReader(src))
	var b strings.Builder
	skip := 0 // depth inside elements whose text is not content
	for {
		switch z.Next() {
		case html.ErrorToken:
			return strings.Join(strings.Fields(b.String()), " ")
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken:
			name, _ := z.TagName()
			if mdSkipText[string(name)] {
				skip++
			}
			if mdBlockTag[string(name)] {
				b.WriteByte(' ')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if mdSkipText[string(name)] && skip > 0 {
				skip--
			}
			if mdBlockTag[string(name)] {
				b.WriteByte(' ')
			}
		case html.SelfClosingTagToken:
			name, _ := z.TagName()
			if mdBlockTag[string(name)] {
				b.WriteByte(' ')
			}
		}
	}
}

// mdSkipText lists the elements whose text mdPlainText leaves out.
var mdSkipText = map[string]bool{
	"script": true, "style": true, "iframe": true, "object": true, "embed": true,
	"form": true, "button": true, "select": true, "textarea": true, "template": true,
	"svg": true, "canvas": true, "audio": true, "video": true, "noscript": true,
	"title": true, "head": true,
}

// mdBlockTag lists elements that separate words in mdPlainText.
var mdBlockTag = map[string]bool{
	"p": true, "br": true, "div": true, "li": true, "td": true, "th": true,
	"tr": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true,
	"h6": true, "blockquote": true, "pre": true, "hr": true, "section": true,
	"article": true, "figure": true, "figcaption": true, "dd": true, "dt": true,
}
