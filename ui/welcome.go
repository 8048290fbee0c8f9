package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"

	"tidings/articles"
)

// welcomeID is the bundled article whose key table follows the bindings.
const welcomeID = "bundled-welcome"

// isWelcome reports whether a is the Welcome article: by its ID where
// the bundled articles are read as they are, by its GUID in the bundled
// feed once they are stored.
func isWelcome(a articles.Article) bool {
	return a.ID == welcomeID || a.Feed == articles.BundledFeed && a.GUID == welcomeID
}

// welcomeRows are the bindings of each row of the Welcome article's key
// table, in its order. The bundled text keeps the default keys, and
// welcomeBody writes the bound ones over them when the article is shown:
// its other words stay as written.
func (k KeyMap) welcomeRows() [][]key.Binding {
	return [][]key.Binding{
		{k.Down, k.Up}, {k.Top, k.Bottom}, {k.PageDown, k.PageUp}, {k.HalfDown, k.HalfUp},
		{k.Open}, {k.Back}, {k.NextArticle, k.PrevArticle}, {k.Focus}, {k.Space}, {k.OpenLink},
		{k.ToggleRead, k.Star}, {k.UnreadOnly, k.StarredOnly}, {k.MarkAllRead}, {k.Help},
		{k.Quit}, {k.QuitAll},
	}
}

// welcomeBody puts the keys of k in the key table of the Welcome
// article's body, each row where the default keys were.
func welcomeBody(body string, k KeyMap) string {
	defaults, rows := DefaultKeyMap().welcomeRows(), k.welcomeRows()
	for i := range rows {
		from, to := "| "+welcomeCell(defaults[i])+" |", "| "+welcomeCell(rows[i])+" |"
		if from != to {
			body = strings.Replace(body, from, to, 1)
		}
	}
	return body
}

// welcomeCell names a row's keys as the table does: one binding's keys
// side by side ("`enter` `l` `→`"); a pair's keys two by two, the
// alternatives joined by "or" ("`j` `k` or `↓` `↑`").
func welcomeCell(row []key.Binding) string {
	if len(row) == 1 {
		return codeSpans(row[0].Keys())
	}
	a, b := row[0].Keys(), row[1].Keys()
	var groups []string
	for i := range max(len(a), len(b)) {
		var g []string
		if i < len(a) {
			g = append(g, a[i])
		}
		if i < len(b) {
			g = append(g, b[i])
		}
		groups = append(groups, codeSpans(g))
	}
	return strings.Join(groups, " or ")
}

// codeSpans writes keys as markdown code spans in a table cell: arrows as
// arrows, a backtick within doubled ones, a bar escaped.
func codeSpans(keys []string) string {
	out := make([]string, len(keys))
	for i, k := range keys {
		k = strings.ReplaceAll(keyGlyph(k), "|", `\|`)
		if strings.Contains(k, "`") {
			out[i] = "`` " + k + " ``"
		} else {
			out[i] = "`" + k + "`"
		}
	}
	return strings.Join(out, " ")
}
