// Package feed brings news in: the subscriptions file and OPML, a polite
// HTTP fetcher, a parser that turns RSS, Atom and JSON Feed documents into
// articles with markdown bodies, and the refresh that ties them to a store.
//
// Every string a feed gives passes articles.Sanitize before it is stored:
// nothing a feed says reaches the terminal raw. Errors name the feed's URL
// and the reason, and one broken feed never stops the others.
package feed
