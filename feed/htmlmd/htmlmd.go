package htmlmd

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/idna"

	"tidings/articles"
	"tidings/articles/termsafe"
)

// An item's HTML is written by a stranger and ends up in a terminal through
// Glamour. Convert takes it through three gates, each doing one
// thing:
//
//  1. prepare walks the parsed tree: it drops what is code, a control or
//     media rather than prose (scripts, styles, frames, forms, SVG…) with
//     its text, and comments; passes every text node through
//     termsafe.Text (so an entity like &#27; cannot smuggle an escape
//     sequence in); percent-encodes the control characters of link and
//     image URLs (a URL shows as what it is); and turns images into
//     links, since a terminal cannot show them.
//  2. write writes markdown from what it knows (write.go): text,
//     escaped, with an invisible word joiner after an '&' that could start
//     an entity (Glamour decodes entities: text that reads "&#27;" must
//     show as those five characters, not become an ESC); formatting; and
//     links whose resolved URL is http, https or mailto. Any other element
//     is read as its content, any other link as its text, and no attribute
//     but a link's target is ever read.
//  3. termsafe.Text again on the result: the one gate everything
//     passes; then termsafe.DefuseEntities on the whole markdown, since
//     an entity can also be made of pieces that were harmless apart
//     ("&" + an empty <b></b> + "#27;").

// linkAllowed reports whether u is an absolute http(s) URL with a host, or
// a mailto URL.
func linkAllowed(u string) bool {
	if len(u) > maxURL {
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

// maxURL is the longest link target kept; a longer link keeps only its
// text. Real article links are far shorter, and a 100 KB URL would fill
// screens of the reader.
const maxURL = 2048

// tagRe finds the start of an HTML tag, comment, doctype or processing
// instruction: a '<' followed by a letter, '/', '!' or '?'.
var tagRe = regexp.MustCompile(`<[a-zA-Z/!?]`)

// HasTags reports whether s holds an HTML tag, comment, doctype or
// processing instruction; text without one is read as text, not HTML.
func HasTags(s string) bool { return tagRe.MatchString(s) }

// Convert converts an item's HTML content to markdown that Glamour renders safely. base resolves relative links.
//
// Input without any HTML tag is taken as text: its entities are decoded and
// its blank lines separate paragraphs, so plain-text descriptions stay readable.
// Images become links, [image: ALT](src), because a terminal cannot show them.
func Convert(html, base string) string {
	if strings.TrimSpace(html) == "" {
		return ""
	}
	if !tagRe.MatchString(html) {
		return convert(textToHTML(unescape(html)), base)
	}
	return convert(html, base)
}

// FromText converts plain text (JSON Feed content_text, Atom
// type="text") to markdown: every character shows as written.
func FromText(text string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	return convert(textToHTML(text), "")
}

// unescape decodes HTML entities in s. (Convert's parameter, named
// by the API, hides the html package there.)
func unescape(s string) string { return html.UnescapeString(s) }

// textToHTML turns plain text into HTML paragraphs: blank lines separate
// paragraphs, single newlines become line breaks. write then
// escapes whatever in the text would otherwise be markdown.
func textToHTML(text string) string {
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

// convert runs the gates described at the top of this file. Should a
// library panic on some input, the item still gets its text rather than
// taking the whole feed down.
func convert(src, baseURL string) (out string) {
	src, cut := cutHTML(src)
	defer func() {
		if r := recover(); r != nil {
			out = articles.CutBody(termsafe.Text(PlainText(src)))
		}
	}()
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return articles.CutBody(termsafe.Text(PlainText(src)))
	}
	base := absBase(baseURL)
	prepare(doc, base)

	return termsafe.DefuseEntities(strings.TrimSpace(termsafe.Text(write(doc, base, cut))))
}

// maxHTML bounds the HTML of one item that is parsed. The parsed tree
// costs some 30 times its source when the HTML is all small elements (16
// MB of "<p>x</p>" took 520 MB), and 2 MB of HTML is several times what
// the longest article needs to fill articles.MaxBody of markdown.
const maxHTML = 2 << 20

// cutHTML cuts src to maxHTML before a tag, and reports whether it did.
func cutHTML(src string) (string, bool) {
	if len(src) <= maxHTML {
		return src, false
	}
	cut := src[:maxHTML]
	if i := strings.LastIndexByte(cut, '<'); i > 0 {
		cut = cut[:i]
	}
	return strings.ToValidUTF8(cut, ""), true
}

// absBase returns base parsed if it is an absolute http(s) URL. Anything
// else (a file path, "") resolves nothing: a resolver would otherwise
// guess "http://" + base.
func absBase(base string) *url.URL {
	u, err := url.Parse(strings.TrimSpace(base))
	if err != nil || u.Host == "" {
		return nil
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return nil
	}
	return u
}

// Resolve resolves ref against base (which may be nil) and returns it
// if it is an absolute http or https URL with a host, else "".
func Resolve(base *url.URL, ref string) string {
	u, err := url.Parse(encodeURL(ref))
	if err != nil || len(ref) > maxURL {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if s := strings.ToLower(u.Scheme); (s != "http" && s != "https") || u.Host == "" {
		return ""
	}
	return asciiURL(u)
}

// asciiURL writes u in ASCII, as a browser would send it: the host in
// punycode (so a look-alike host shows as what it is), other non-ASCII
// bytes percent-encoded. A terminal hyperlink must be printable ASCII; a
// host that is not a valid international name gives "".
func asciiURL(u *url.URL) string {
	if host := u.Hostname(); !isASCII(host) {
		ascii, err := idna.Lookup.ToASCII(host)
		if err != nil {
			return ""
		}
		if port := u.Port(); port != "" {
			ascii += ":" + port
		}
		u.Host = ascii
	}
	s := u.String()
	if isASCII(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < utf8.RuneSelf {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// prepare makes the tree safe to hand to write: every text node and
// attribute value passes termsafe.Text, and <img> elements are replaced by
// links to the image, or by their alt text when the image has no usable
// http(s) source or is already inside a link.
func prepare(n *html.Node, base *url.URL) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch c.Type {
		case html.TextNode:
			c.Data = termsafe.Text(c.Data)
		case html.ElementNode:
			if skipText[c.Data] {
				n.RemoveChild(c)
				break
			}
			for i, a := range c.Attr {
				if urlAttrs[a.Key] {
					c.Attr[i].Val = encodeURL(a.Val)
				} else {
					c.Attr[i].Val = termsafe.Line(a.Val)
				}
			}
			if c.DataAtom == atom.Img {
				replaceImage(c, base)
			} else {
				prepare(c, base)
			}
		case html.CommentNode:
			n.RemoveChild(c)
		default:
			prepare(c, base)
		}
		c = next
	}
}

// replaceImage replaces img with [image: ALT](src) made of HTML the
// write already knows: a link whose text is "image: ALT".
func replaceImage(img *html.Node, base *url.URL) {
	parent := img.Parent
	alt := termsafe.Line(attr(img, "alt"))
	label := "image"
	if alt != "" {
		label = "image: " + alt
	}
	src := ""
	if raw := strings.TrimSpace(attr(img, "src")); raw != "" {
		// (An empty src would resolve to the base itself.)
		src = Resolve(base, raw)
	}
	var repl *html.Node
	switch {
	case inside(img, atom.A):
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

// inside reports whether n has an ancestor element a.
func inside(n *html.Node, a atom.Atom) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.DataAtom == a {
			return true
		}
	}
	return false
}

// attr returns n's attribute key, "" if it has none.
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

// PlainText returns the text of an HTML fragment with its whitespace
// collapsed, leaving out what the sanitiser drops with its content. It is
// used for titles made from bodies and as the fallback should conversion fail.
func PlainText(src string) string {
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
			if skipText[string(name)] {
				skip++
			}
			if breakTags[string(name)] {
				b.WriteByte(' ')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if skipText[string(name)] && skip > 0 {
				skip--
			}
			if breakTags[string(name)] {
				b.WriteByte(' ')
			}
		case html.SelfClosingTagToken:
			name, _ := z.TagName()
			if breakTags[string(name)] {
				b.WriteByte(' ')
			}
		}
	}
}

// skipText lists the elements that are dropped with their text: they
// are code, controls or media, not prose.
var skipText = map[string]bool{
	"script": true, "style": true, "iframe": true, "object": true, "embed": true,
	"form": true, "button": true, "select": true, "textarea": true, "template": true,
	"svg": true, "canvas": true, "audio": true, "video": true, "noscript": true,
	"title": true, "head": true, "math": true, "frameset": true, "frame": true,
	"applet": true, "input": true, "option": true, "datalist": true, "dialog": true,
}

// breakTags lists elements that separate words in PlainText.
var breakTags = map[string]bool{
	"p": true, "br": true, "div": true, "li": true, "td": true, "th": true,
	"tr": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true,
	"h6": true, "blockquote": true, "pre": true, "hr": true, "section": true,
	"article": true, "figure": true, "figcaption": true, "dd": true, "dt": true,
}
