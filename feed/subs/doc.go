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
// url …"). The TOML decoder (BurntSushi/toml) says where a syntax error is,
// but not where a key is: it keeps one position per dotted key, so the
// third [[feeds]] and the first share "feeds.url". A small scanner
// (positions.go) finds the line of every key and of every element of an
// array of tables. No maintained parser serves instead without a second
// TOML parser in the build: pelletier/go-toml/v2's unstable.Parser gives
// each key's line (Parser.Shape of Node.Raw), but its API is documented as
// without compatibility guarantees, and decoding with go-toml/v2 as well,
// to keep one parser, would change what tidings writes (its encoder quotes
// strings 'like this', so Save would rewrite every user's file) and the
// wording of its decode errors ("feeds: incompatible types").
package subs
