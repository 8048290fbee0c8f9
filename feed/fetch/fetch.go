package fetch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"tidings/feed/parse"
)

// Defaults for the zero fields of Options.
const (
	defaultTimeout     = 20 * time.Second
	defaultMaxBody     = 16 << 20
	defaultMaxParallel = 16
	defaultPerHost     = 2
	defaultPatience    = 2 * time.Second
	defaultMaxAside    = 256
	defaultUserAgent   = "tidings/dev (+terminal news reader)"

	accept       = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
	maxRedirects = 5
	drainLimit   = 4 << 10 // bytes read from an unwanted body so the connection can be reused

	// maxHeaderBytes bounds the status line and headers of a response
	// together. A feed's take a few hundred bytes; http.Transport's default
	// of 10 MB would let every hostile server make us hold that much.
	maxHeaderBytes = 64 << 10

	// asideBytes bounds the bodies the requests aside hold together:
	// a slow body is read aside while it fits, a big one under a shared
	// slot, so that the shared slots and this bound the memory bodies take.
	asideBytes = 32 << 20

	// msgMax caps, in characters, what an error says after "fetch URL: ".
	// That part may quote the server (a status line, a Location header), and
	// a server can make those as long as the header limit.
	msgMax = 200
)

// Options bound what one fetcher may do. Zero fields take the defaults.
type Options struct {
	Timeout     time.Duration     // whole exchange, headers and body: default 20s
	MaxBody     int64             // bytes after decompression: default 16 MiB
	MaxParallel int               // requests at once, besides those stepped aside: default 16
	PerHost     int               // requests at once to one host: default 2
	Patience    time.Duration     // how long a request holds a shared slot before it steps aside for others: default 2s
	MaxAside    int               // requests stepped aside at once: default 256
	UserAgent   string            // default "tidings/dev (+terminal news reader)"; the caller passes "tidings/VERSION (...)"
	Transport   http.RoundTripper // tests may inject; default: a tuned clone of http.DefaultTransport
}

// Fetcher fetches feeds politely. It is safe for concurrent use.
//
// A request holds a slot of its host and one of MaxParallel shared slots.
// A server that is slow to answer must not keep other hosts waiting: a
// request still running after Patience steps aside, giving its shared slot
// to the next request and waiting, until its deadline, in one of MaxAside
// places, which cost a connection each and little memory. Its body is read
// aside while the bodies aside fit in asideBytes, else it takes a
// shared slot back. So servers that never answer, or that drip their
// feeds, delay the other hosts' feeds by a Patience, not a Timeout, per 16
// of their requests (34 feeds on 17 servers: 4 s rather than 40 s), until
// MaxAside of them wait aside.
type Fetcher struct {
	timeout   time.Duration
	patience  time.Duration
	maxBody   int64
	perHost   int
	userAgent string
	client    *http.Client

	all   chan struct{} // one token per request in flight, but for those aside
	aside chan struct{} // one token per request stepped aside

	mu        sync.Mutex
	hosts     map[string]*hostSlots
	asideMax  int64 // asideBytes; tests lower it
	asideHeld int64 // bytes the bodies aside may take
}

// New returns a Fetcher bounded by o.
func New(o Options) *Fetcher {
	if o.Timeout <= 0 {
		o.Timeout = defaultTimeout
	}
	if o.MaxBody <= 0 {
		o.MaxBody = defaultMaxBody
	}
	if o.MaxParallel <= 0 {
		o.MaxParallel = defaultMaxParallel
	}
	if o.PerHost <= 0 {
		o.PerHost = defaultPerHost
	}
	if o.Patience <= 0 {
		o.Patience = defaultPatience
	}
	if o.MaxAside <= 0 {
		o.MaxAside = defaultMaxAside
	}
	if o.UserAgent == "" {
		o.UserAgent = defaultUserAgent
	}
	rt := o.Transport
	if rt == nil {
		rt = newTransport(o.Timeout, o.PerHost)
	}
	f := &Fetcher{
		timeout:   o.Timeout,
		patience:  o.Patience,
		maxBody:   o.MaxBody,
		perHost:   o.PerHost,
		userAgent: o.UserAgent,
		all:       make(chan struct{}, o.MaxParallel),
		aside:     make(chan struct{}, o.MaxAside),
		asideMax:  asideBytes,
		hosts:     make(map[string]*hostSlots),
	}
	f.client = &http.Client{Transport: rt, CheckRedirect: checkRedirect}
	return f
}

func newTransport(timeout time.Duration, perHost int) *http.Transport {
	var t *http.Transport
	if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		t = dt.Clone()
	} else {
		t = &http.Transport{Proxy: http.ProxyFromEnvironment, MaxIdleConns: 100, IdleConnTimeout: 90 * time.Second}
	}
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	t.DialContext = d.DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	t.ResponseHeaderTimeout = timeout
	t.MaxResponseHeaderBytes = maxHeaderBytes
	t.MaxIdleConnsPerHost = perHost
	t.ForceAttemptHTTP2 = true
	return t
}

// Request is one conditional GET.
type Request struct {
	URL          string
	ETag         string // as received last time, sent back verbatim in If-None-Match
	LastModified string // as received last time, sent back verbatim in If-Modified-Since
	// Accept, if set, replaces the feed types the request asks for: a
	// web page is asked for as HTML.
	Accept string

	// Admit, if set, is called once a body has been read, before the fetch
	// lets go of its slots, to wait for room to hold the body: while it
	// waits, the slot it holds slows other fetches, so bodies do not pile
	// up. A local file is admitted before it is read. Admit is not called
	// when there is no body (304, errors). An error ends the fetch with that
	// error.
	Admit func(ctx context.Context) error
}

// Response is what a fetch learned.
type Response struct {
	URL          string // the URL to store from now on: the final URL if every redirect hop was permanent (301/308), else the requested URL
	Moved        bool   // URL differs from the request's because of permanent redirects
	NotModified  bool   // 304: nothing new; Body is nil
	ETag         string // exactly as received (empty if none)
	LastModified string // exactly as received
	ContentType  string
	Body         []byte
}

// redirects records, per fetch, whether every redirect hop was permanent.
type redirects struct {
	hops      int
	permanent bool
}

type redirectsKey struct{}

// checkRedirect allows at most maxRedirects hops, to http and https
// only, and notes in the fetch's redirects whether the hop was permanent.
// req.Response is the redirect response that led to req.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > maxRedirects {
		return errRedirects
	}
	if s := req.URL.Scheme; s != "http" && s != "https" {
		return &redirectRefused{to: parse.Shorten(req.URL.String(), urlMax)}
	}
	if st, ok := req.Context().Value(redirectsKey{}).(*redirects); ok {
		st.hops++
		if req.Response == nil || (req.Response.StatusCode != http.StatusMovedPermanently &&
			req.Response.StatusCode != http.StatusPermanentRedirect) {
			st.permanent = false
		}
	}
	return nil
}

// Fetch GETs req.URL. Errors always name the URL and the reason, e.g.
// "fetch https://x/feed: 404 Not Found", "fetch https://x/feed: body exceeds 16 MiB",
// "fetch https://x/feed: timed out after 20s". What follows the URL is
// sanitised and at most msgMax characters, since it may quote the server.
// Local paths and file:// URLs are read from disk with the same MaxBody cap
// (so `--feed ./testdata/x.xml` works).
//
// A Content-Length is trusted as far as it goes: a body shorter than declared
// is an error ("server closed the connection mid-body"), and bytes past a
// shorter declared length are never read: the body is the declared length,
// and net/http closes the connection when it finds the extra bytes there.
//
// Timeout starts once the request has its concurrency slots; waiting for them
// is bounded by ctx only.
func (f *Fetcher) Fetch(ctx context.Context, req Request) (Response, error) {
	if path, local, err := localPath(req.URL); local {
		if err != nil {
			return Response{}, &opError{op: "read", url: req.URL, msg: err.Error(), err: err}
		}
		return f.readFile(ctx, req, path)
	}
	u, err := checkURL(req.URL)
	if err != nil {
		return Response{}, err
	}
	t, err := f.acquire(ctx, hostKey(u))
	if err != nil {
		return Response{}, remoteError(req.URL, why(ctx, err), err)
	}
	defer t.release()

	x, cancel := f.begin(ctx, req, t)
	defer cancel()
	hreq, err := x.request()
	if err != nil {
		return Response{}, remoteError(req.URL, "invalid URL", err)
	}
	resp, err := f.client.Do(hreq)
	if err != nil {
		// On a CheckRedirect error the client returns the last response with
		// its body already closed; nothing to release here.
		return Response{}, x.fail(explainExchange, err)
	}
	defer resp.Body.Close()
	return x.answer(resp)
}

// remoteError is the error of a remote fetch: "fetch URL: msg". msg may
// quote the server, so it is sanitised and cut to msgMax characters.
func remoteError(url, msg string, err error) error {
	return &opError{op: "fetch", url: url, msg: parse.Shorten(msg, msgMax), err: err}
}

// checkURL parses a remote feed's URL, which must be http or https and
// name a host.
func checkURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return nil, remoteError(raw, "invalid URL", err)
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, remoteError(raw, fmt.Sprintf("unsupported scheme %q", u.Scheme), nil)
	case u.Host == "":
		return nil, remoteError(raw, "missing host", nil)
	}
	return u, nil
}

// exchange is one remote fetch under way, once it holds its slots.
type exchange struct {
	f         *Fetcher
	req       Request
	ctx       context.Context // the caller's: its end is a cancellation, not our timeout
	tctx      context.Context // ctx bounded by the timeout, carrying redirects
	deadline  time.Time
	ticket    *ticket
	redirects *redirects
}

// begin starts the clock of a fetch that holds its slots: the timeout
// covers the exchange, not the wait for a slot.
func (f *Fetcher) begin(ctx context.Context, req Request, t *ticket) (exchange, context.CancelFunc) {
	deadline := time.Now().Add(f.timeout)
	tctx, cancel := context.WithDeadlineCause(ctx, deadline, errTimedOut)
	rd := &redirects{permanent: true}
	tctx = context.WithValue(tctx, redirectsKey{}, rd)
	return exchange{f: f, req: req, ctx: ctx, tctx: tctx, deadline: deadline, ticket: t, redirects: rd}, cancel
}

// request is the conditional GET: the validators are sent back verbatim.
func (x *exchange) request() (*http.Request, error) {
	hreq, err := http.NewRequestWithContext(x.tctx, http.MethodGet, x.req.URL, nil)
	if err != nil {
		return nil, err
	}
	hreq.Header.Set("User-Agent", x.f.userAgent)
	hreq.Header.Set("Accept", accept)
	if x.req.Accept != "" {
		hreq.Header.Set("Accept", x.req.Accept)
	}
	if x.req.ETag != "" {
		hreq.Header.Set("If-None-Match", x.req.ETag)
	}
	if x.req.LastModified != "" {
		hreq.Header.Set("If-Modified-Since", x.req.LastModified)
	}
	return hreq, nil
}

// fail turns a transport or body error into the fetch's error; explain
// says what the error means (see explainExchange). A failure at or past
// our deadline is our timeout even before tctx says so: the transport's
// ResponseHeaderTimeout (= Timeout, started a little later) often fires
// ahead of the context's timer.
func (x *exchange) fail(explain func(error) string, err error) error {
	if errors.Is(context.Cause(x.tctx), errTimedOut) || (x.ctx.Err() == nil && !time.Now().Before(x.deadline)) {
		return remoteError(x.req.URL, "timed out after "+x.f.timeout.String(), context.DeadlineExceeded)
	}
	if cerr := x.ctx.Err(); cerr != nil {
		return remoteError(x.req.URL, why(x.ctx, cerr), cerr)
	}
	if ue, ok := errors.AsType[*url.Error](err); ok {
		err = ue.Err
	}
	return remoteError(x.req.URL, explain(err), err)
}

// answer makes a response into what the fetch learned: a body (200),
// nothing new (304), or a StatusError (anything else).
func (x *exchange) answer(resp *http.Response) (Response, error) {
	out := Response{
		URL:          x.req.URL,
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		ContentType:  resp.Header.Get("Content-Type"),
	}
	if x.redirects.hops > 0 && x.redirects.permanent && resp.Request != nil {
		if final := resp.Request.URL.String(); final != x.req.URL {
			out.URL, out.Moved = final, true
		}
	}
	switch resp.StatusCode {
	case http.StatusOK:
		body, err := x.body(resp)
		if err != nil {
			return Response{}, err
		}
		out.Body = body
		return out, nil
	case http.StatusNotModified:
		return notModified(resp, x.req, out), nil
	}
	return Response{}, statusError(resp, x.req.URL)
}

// body reads a 200's body under the MaxBody cap, taking room for it from
// the ticket as it goes, then waits for the caller to admit it.
func (x *exchange) body(resp *http.Response) ([]byte, error) {
	tooBig := "body exceeds " + formatSize(x.f.maxBody)
	if resp.Uncompressed {
		tooBig += " once decompressed" // else a 100 KB gzip bomb would look wrongly accused
	}
	if !resp.Uncompressed && resp.ContentLength > x.f.maxBody {
		return nil, remoteError(x.req.URL, tooBig, errTooBig)
	}
	if resp.ContentLength >= 0 { // room for the buffer, before it is made
		if err := x.ticket.grow(x.tctx, resp.ContentLength+1); err != nil {
			return nil, x.fail(explainExchange, err)
		}
	}
	body, err := readCapped(&ticketReader{ctx: x.tctx, r: resp.Body, t: x.ticket}, x.f.maxBody, resp.ContentLength)
	if errors.Is(err, errTooBig) {
		return nil, remoteError(x.req.URL, tooBig, err)
	}
	if err != nil {
		return nil, x.fail(func(err error) string {
			return explainBody(err, int64(len(body)), resp.ContentLength)
		}, err)
	}
	if x.req.Admit != nil {
		if err := x.req.Admit(x.ctx); err != nil {
			return nil, remoteError(x.req.URL, why(x.ctx, err), err)
		}
	}
	return body, nil
}

// notModified is a 304: no body and no type; the validators are the
// server's if it sent new ones, else the request's.
func notModified(resp *http.Response, req Request, out Response) Response {
	drain(resp.Body)
	out.NotModified = true
	out.ContentType = ""
	if out.ETag == "" {
		out.ETag = req.ETag
	}
	if out.LastModified == "" {
		out.LastModified = req.LastModified
	}
	return out
}

// statusError is the error for a status that is neither 200 nor 304, with
// the time to come back after a 429 or 503 that says.
func statusError(resp *http.Response, url string) *StatusError {
	if resp.StatusCode != http.StatusSwitchingProtocols {
		// After a 101 the body is the raw connection, which the deadline
		// no longer covers: reading it could wait for ever.
		drain(resp.Body)
	}
	// The reason phrase is the server's: sanitised and short, and
	// replaced by the standard one when it says nothing.
	se := &StatusError{URL: url, Code: resp.StatusCode, Status: parse.Shorten(resp.Status, urlMax)}
	if code := strconv.Itoa(resp.StatusCode); se.Status == "" || se.Status == code {
		se.Status = strings.TrimSpace(code + " " + http.StatusText(resp.StatusCode))
	}
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		se.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	return se
}
