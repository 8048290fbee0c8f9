// Package feed brings news in: the refresh fetches each subscription
// (package feed/subs: the subscriptions file, OPML, feed URLs) with the
// polite HTTP client of package feed/fetch, parses it (package feed/parse,
// which makes bodies markdown with feed/htmlmd) and saves it to a store.
//
// Every string a feed gives passes termsafe.Text before it is stored:
// nothing a feed says reaches the terminal raw. Errors name the feed's URL
// and the reason, and one broken feed never stops the others.
package feed
