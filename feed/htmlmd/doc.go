// Package htmlmd turns the HTML (or plain text) of a feed item into
// markdown that Glamour renders safely: nothing in it can act on the
// terminal, links lead only to http, https or mailto URLs written in
// ASCII, and what it writes is bounded in size, links and table cells.
//
// It knows nothing of feeds: the feed parser (and the reader's tests)
// hand it a body and the URL its relative links resolve against.
package htmlmd
