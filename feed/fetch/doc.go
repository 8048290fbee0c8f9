// Package fetch is the polite HTTP client that brings feeds in: one
// conditional GET per feed (ETag, Last-Modified), local files read with
// the same caps, and errors that name the URL and say in plain words what
// the server did.
//
// Every feed comes from a stranger, so every cost a server could make us
// pay is capped:
//
//   - time: 20 s for the whole exchange, headers and body, so a server
//     that drips its feed a byte at a time ends there too;
//   - size: 16 MiB of body once decompressed (a gzip bomb is refused, not
//     inflated), 64 KiB of status line and headers, at most 5 redirects,
//     to http and https only;
//   - concurrency: 16 requests at once and 2 to one host; a request still
//     running after a patience of 2 s steps aside, so that slow servers
//     delay the others by a patience rather than a timeout, and the bodies
//     read aside share 32 MiB;
//   - words: what an error quotes from a server (a status line, a
//     Location) is sanitised and short.
//
// The defaults are those of Options' zero fields; a caller may lower
// them. A 429 or 503 says when to come back (StatusError.RetryAfter), a
// 410 that the feed is gone (StatusError.Gone), and permanent redirects
// give the URL to keep (Response.Moved).
package fetch
