// Package termsafe is the boundary between what strangers write and the
// terminal. Every string from a feed, an article, a subscriptions file or
// a server's reply is written by a stranger: if it reached the terminal
// raw, escape sequences in it could recolour the screen, move the cursor,
// set the window title, write the clipboard (OSC 52) or disguise a link
// (OSC 8), and bidi overrides could make text read differently from what
// it is. The package imports nothing of tidings and nothing of a terminal
// UI, so the boundary can be read, tested and fuzzed on its own.
//
// Its gates, and where they stand:
//
//   - Text (bodies, keeping lines) and Line (one-line fields: titles,
//     authors, links, tags, error messages) are applied to every
//     feed-derived string before it is stored (feed/parse and feed/htmlmd
//     when a feed is read, and the stores through articles.Article's
//     Sanitized, on the way in and again on the way out), and to any text
//     a command prints or the reader shows in its status line. They
//     remove every escape sequence with its payload, C0 controls but \n
//     and \t, DEL, C1 controls and bidi embeddings, overrides and
//     isolates; invalid UTF-8 becomes U+FFFD. Nothing else is changed.
//   - DefuseEntities is applied to a body's whole markdown when feed/htmlmd
//     makes it and again just before Glamour renders it, since Glamour
//     decodes HTML entities after parsing: an '&' that would decode to a
//     control gets an invisible word joiner after it. DefuseURLEntities is
//     its form for a link's URL; EntitiesSafe reports whether markdown
//     needs it.
//   - Frame is the last gate, on every frame the reader draws and on what
//     "tidings read" prints: it lets through only SGR styling without
//     blink (5, 6) and conceal (8), and OSC 8 hyperlinks to the links the
//     program itself put on the screen (the article's own link and those
//     of its body) or ending a link. Any other escape sequence, control,
//     C1 control or bidi override is removed; a tab becomes a space.
//
// Each returns a clean string as it is, without a copy: clean is the
// common case, and Frame runs on every keypress.
package termsafe
