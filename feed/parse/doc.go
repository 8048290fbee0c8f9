// Package parse reads a feed document (RSS 0.9x/1.0/2.0, Atom or JSON
// Feed 1.x) into articles with markdown bodies (see package feed/htmlmd).
//
// The document is a stranger's: it is decoded to UTF-8 whatever it claims,
// its size in items and structure is bounded before a parser sees it, and
// every string it gives passes termsafe.Text. No input makes Parse
// panic, and its errors are safe to show.
//
// RSS 2.0 and Atom 1.0 documents of the common kind are read by this
// package's own streaming decoder (stream.go), in one pass, into the
// articles gofeed would give; anything else, and anything the decoder is
// unsure of, goes to gofeed.
//
// Its tests read the fixtures in feed/testdata (parse, hostile, entities),
// which the reader's and the program's tests read too.
package parse
