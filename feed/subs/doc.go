// Package subs is what the user follows: the subscriptions file
// (config.toml: [Config], [Subscription], [Load], [Config.Save]), OPML
// import and export ([ReadOPML], [Config.ImportOPML], [WriteOPML]), the
// checks every feed URL passes where it enters tidings ([NormalizeURL],
// [CheckURL], [DisplayURL]), and a subscription joined with what the store
// knows of it ([Status]).
//
// The URL checks live here rather than in a package of their own: every
// caller of them (the refresh following a permanent redirect, the reader,
// the commands) also uses subscriptions, and the config and OPML code
// share their unexported helpers (the comparison key, the quoting).
//
// Errors name the file and, where known, the line ("config.toml:7: feed 3:
// url …"). The TOML decoder (BurntSushi/toml v1.6.0) gives the line of a
// syntax error (ParseError.Position) but no key's line: MetaData keeps one
// position per dotted key, unexported, so every [[feeds]] entry's url is
// "feeds.url". A small scanner (positions.go) finds the line of every key
// and of every element of an array of tables. No maintained parser serves
// instead. pelletier/go-toml/v2 (v2.4.3) has one that gives each key's and
// each inline table's line (unstable.Parser: Parser.Shape(node.Raw)), but
// its package is documented as without compatibility guarantees, and it
// only splits the text: "a = 1" twice, or [t] defined twice, parse without
// error, the checks being its decoder's. Using it means decoding with
// go-toml/v2 too, to keep one parser, and that changes what users see: its
// encoder writes url = 'https://…', so Save would rewrite every file, and
// its errors read "cannot decode TOML integer into struct field
// subs.rawConfig.Feeds" where tidings says "feeds: incompatible types".
package subs
