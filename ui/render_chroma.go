package ui

import (
	"io"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/formatters"
)

// chromaFormatter names the formatter Glamour highlights code blocks with:
// chroma's 256-colour one, with its escape sequences worked out once for
// each style instead of once for each code block. chroma's own matches
// every colour of the style against the 256 of the palette on every call,
// which was a fifth of rendering an article with a code block per screen.
const chromaFormatter = "tidings256"

// The formatter is registered by name because that is the only way
// Glamour takes one. What it caches is a pure function of a style, so
// sharing it between renderings changes no output.
func init() {
	formatters.Register(chromaFormatter, &cachedTTY{themes: make(map[*chroma.Style]map[chroma.TokenType]string)})
}

// cachedTTY formats tokens exactly as chroma's "terminal256" does.
type cachedTTY struct {
	mu     sync.Mutex
	themes map[*chroma.Style]map[chroma.TokenType]string
}

// Format writes each token in the colour of its type, or of the nearest
// type its style has, the search chroma's formatter makes.
func (f *cachedTTY) Format(w io.Writer, style *chroma.Style, it chroma.Iterator) error {
	theme := f.theme(style)
	for token := it(); token != chroma.EOF; token = it() {
		clr, ok := theme[token.Type]
		if !ok {
			clr, ok = theme[token.Type.SubCategory()]
		}
		if !ok {
			clr, ok = theme[token.Type.Category()]
		}
		if !ok {
			clr, ok = theme[chroma.Text]
		}
		if !ok {
			clr = theme[chroma.Background]
		}
		var err error
		if clr != "" {
			_, err = io.WriteString(w, clr+token.Value+"\033[0m")
		} else {
			_, err = io.WriteString(w, token.Value)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// theme returns the escape sequence of each of style's token types.
func (f *cachedTTY) theme(style *chroma.Style) map[chroma.TokenType]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if t, ok := f.themes[style]; ok {
		return t
	}
	t := ttyTheme(style)
	f.themes[style] = t
	return t
}

// ttyTheme asks chroma's own formatter for the sequences, once: it formats
// one NUL token of each type the style has, and each piece between NULs is
// the previous token's reset (when it had a colour) and the next one's
// colour. The types are those chroma's formatter keeps: the style's, and
// Background, which it always sets.
func ttyTheme(style *chroma.Style) map[chroma.TokenType]string {
	types := append(style.Types(), chroma.Background)
	tokens := make([]chroma.Token, len(types))
	for i, t := range types {
		tokens[i] = chroma.Token{Type: t, Value: "\x00"}
	}
	var b strings.Builder
	if err := formatters.TTY256.Format(&b, style, chroma.Literator(tokens...)); err != nil {
		return map[chroma.TokenType]string{}
	}
	pieces := strings.Split(b.String(), "\x00")
	theme := make(map[chroma.TokenType]string, len(types))
	coloured := false
	for i, t := range types {
		p := pieces[i]
		if coloured {
			p = strings.TrimPrefix(p, "\033[0m")
		}
		theme[t] = p
		coloured = p != ""
	}
	return theme
}
