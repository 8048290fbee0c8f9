package feed

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"tidings/articles"
	"tidings/articles/termsafe"
	"tidings/feed/fetch"
	"tidings/feed/parse"
	"tidings/feed/subs"
)

// Sink is where a refresh keeps what it fetched: the article store.
type Sink interface {
	Feeds(ctx context.Context) ([]articles.FeedState, error)
	// SaveFeeds saves several feeds, each whole, and returns for each how
	// many articles were new and its error.
	SaveFeeds(ctx context.Context, us []articles.FeedUpdate) ([]int, []error)
}

// Result is the outcome of refreshing one feed.
type Result struct {
	URL         string
	Title       string
	New         int    // articles not seen before
	MovedTo     string // the feed's new URL, when it moved for good
	NotModified bool
	Skipped     string   // why the feed was not fetched, e.g. it is gone
	Notes       []string // what of the feed was left out (see parse.Parsed.Notes)
	Err         error
	// Server says the result is a sync with a feed server: URL is the
	// server's, Title its name, and Notes what the sync did.
	Server bool
}

// String is the line "tidings fetch" prints for r.
func (r Result) String() string {
	// Every part may come from a stranger: errors quote what servers say (a
	// status line, a URL), MovedTo is a server's Location (whose query keeps
	// raw bytes), and the title may come from an OPML import. So each passes
	// the sanitiser like any article field.
	name := r.URL
	if r.Title != "" && !r.Server {
		name = r.Title + " (" + r.URL + ")"
	} else if r.Server {
		name = r.Title
	}
	name = termsafe.Line(name)
	switch {
	case r.Err != nil:
		return "error  " + termsafe.Line(r.Err.Error())
	case r.Skipped != "":
		return "skip   " + name + ": " + r.Skipped
	case r.NotModified:
		return "ok     " + name + ": not modified"
	}
	line := fmt.Sprintf("ok     %s: %d new", name, r.New)
	if r.Server && len(r.Notes) > 0 {
		line = "ok     " + name + ": " + termsafe.Line(r.Notes[0])
		for _, n := range r.Notes[1:] {
			line += "\n       " + termsafe.Line(n)
		}
		return line
	}
	if r.MovedTo != "" {
		line += ", moved to " + termsafe.Line(r.MovedTo)
	}
	for _, n := range r.Notes {
		line += "; " + termsafe.Line(n)
	}
	return line
}

// Refresher fetches feeds, parses them and saves them, many at once: the
// fetcher bounds the network, parsing runs on every core, and one
// goroutine saves, so that writers never wait on each other. It saves the
// feeds that are ready together, in one transaction, each feed whole.
type Refresher struct {
	Fetcher *fetch.Fetcher
	Sink    Sink
	Now     func() time.Time
	// FullText, if set, fetches the full texts of the new articles of a
	// feed that asks for them (full_text = true), once the feed is saved.
	// The refresh ends when these fetches have.
	FullText func(ctx context.Context, feedURL string)
}

// readyItems bounds the items fetched and parsed but not yet saved, and
// so the articles held in memory at once (besides the bodies the fetcher
// is reading); a feed is let in for parsing as feedShare items, and then
// counts as many as it brought. The one writer is the bottleneck of a
// cold refresh. Counted in feeds, 16 ready feeds of 50 items kept it as
// busy as 32 did, 8 starved it (+10% time); but 16 feeds of 100 items
// held more for nothing: 8 took as long and peaked lower (filling 1,000
// feeds of 100: 97 -> 86 MB). Counted in items, both hold what the
// writer needs.
const (
	readyItems = 800
	feedShare  = 50
)

// Start refreshes feeds in the background. It returns how many feeds it
// will report on and a channel that gets one Result per feed as each
// finishes, and is closed at the end.
func (r *Refresher) Start(ctx context.Context, feeds []subs.Subscription) (int, <-chan Result) {
	out := make(chan Result, len(feeds))
	go func() {
		defer close(out)
		r.run(ctx, feeds, out)
	}()
	return len(feeds), out
}

// Run refreshes feeds and waits for the end, calling report for each feed
// in the order they finish.
func (r *Refresher) Run(ctx context.Context, feeds []subs.Subscription, report func(Result)) {
	_, results := r.Start(ctx, feeds)
	for res := range results {
		report(res)
	}
}

type fetched struct {
	sub    subs.Subscription
	update articles.FeedUpdate
	title  string
	notes  []string
	err    error
}

func (r *Refresher) run(ctx context.Context, feeds []subs.Subscription, out chan<- Result) {
	states := make(map[string]articles.FeedState)
	if known, err := r.Sink.Feeds(ctx); err == nil {
		for _, f := range known {
			states[f.URL] = f
		}
	}
	r.saveAll(ctx, r.fetchAll(ctx, feeds, states, out), out)
}

// fetchAll fetches and parses every feed not skipped, each on its own
// goroutine, and hands them over as they are ready; a skipped feed's
// result goes straight to out.
func (r *Refresher) fetchAll(ctx context.Context, feeds []subs.Subscription, states map[string]articles.FeedState, out chan<- Result) <-chan fetched {
	toSave := make(chan fetched)
	budget := newItemBudget(readyItems)
	var wg sync.WaitGroup
	for _, sub := range feeds {
		state := states[sub.URL]
		if why := r.skip(state); why != "" {
			out <- Result{URL: sub.URL, Title: sub.Title, Skipped: why}
			continue
		}
		wg.Go(func() {
			// A feed is let in once its body is in, not before the
			// fetch, so that servers slow to answer hold none of the
			// budget.
			admitted := false
			admit := func(ctx context.Context) error {
				err := budget.take(ctx, feedShare)
				admitted = err == nil
				return err
			}
			f := r.fetch(ctx, sub, state, admit)
			held := 0
			if admitted {
				held = len(f.update.Items)
				budget.settle(feedShare, held)
			}
			toSave <- f // what it holds is held until the writer takes the feed
			if held > 0 {
				budget.give(held)
			}
		})
	}
	go func() {
		wg.Wait()
		close(toSave)
	}()
	return toSave
}

// saveAll saves the feeds as they come, those ready together in one
// batch, and reports each; a full_text feed with new articles has their
// pages fetched, waited for before it returns.
func (r *Refresher) saveAll(ctx context.Context, toSave <-chan fetched, out chan<- Result) {
	var pages sync.WaitGroup
	defer pages.Wait()
	for f := range toSave {
		batch := []fetched{f}
	more:
		for len(batch) < saveBatch {
			select {
			case g, ok := <-toSave:
				if !ok {
					break more
				}
				batch = append(batch, g)
			default:
				break more
			}
		}
		for i, res := range r.save(ctx, batch) {
			out <- res
			if r.FullText != nil && batch[i].sub.FullText && res.New > 0 && res.Err == nil {
				pages.Go(func() { r.FullText(ctx, res.URL) })
			}
		}
	}
}

// saveBatch is the most feeds saved in one transaction.
const saveBatch = 50

// skip says why a feed is not fetched now: it is gone, or it asked to
// wait.
func (r *Refresher) skip(state articles.FeedState) string {
	switch {
	case state.Gone:
		return "gone (410): no longer polled; remove it or add it again"
	case state.RetryAfter.After(r.Now()):
		return "the server asked to wait until " + state.RetryAfter.UTC().Format(time.RFC3339)
	}
	return ""
}

// fetch gets and parses one feed; it never saves.
func (r *Refresher) fetch(ctx context.Context, sub subs.Subscription, state articles.FeedState, admit func(context.Context) error) fetched {
	f := fetched{sub: sub, update: articles.FeedUpdate{URL: sub.URL, At: r.Now()}}
	resp, err := r.Fetcher.Fetch(ctx, fetch.Request{URL: sub.URL, ETag: state.ETag, LastModified: state.LastModified, Admit: admit})
	if err != nil {
		f.err = err
		var se *fetch.StatusError
		if errors.As(err, &se) {
			f.update.Gone = se.Gone()
			f.update.RetryAfter = se.RetryAfter
		}
		return f
	}
	f.update.ETag, f.update.LastModified = resp.ETag, resp.LastModified
	if resp.Moved {
		// The new URL replaces the subscription's: it is checked as one
		// given to tidings add is, and a move to a URL that does not pass
		// (a control in its host) is not followed for good.
		if u, err := subs.NormalizeURL(resp.URL); err == nil && isHTTP(u) {
			f.update.NewURL = u
		}
	}
	if resp.NotModified {
		f.update.NotModified = true
		f.title = state.Title
		return f
	}
	parsed, err := parse.Parse(resp.Body, resp.URL, resp.ContentType)
	if err != nil {
		f.err = fmt.Errorf("fetch %s: %w", sub.URL, err)
		return f
	}
	f.title, f.notes = parsed.Title, parsed.Notes
	f.update.Title = parsed.Title
	for _, a := range parsed.Items {
		a.Feed = sub.URL
		if sub.Title != "" {
			a.Source = sub.Title // the name the user gave the feed
		}
		f.update.Items = append(f.update.Items, a)
	}
	return f
}

func (r *Refresher) save(ctx context.Context, batch []fetched) []Result {
	updates := make([]articles.FeedUpdate, len(batch))
	results := make([]Result, len(batch))
	for i, f := range batch {
		res := Result{URL: f.sub.URL, Title: f.sub.Title, NotModified: f.update.NotModified, MovedTo: f.update.NewURL, Notes: f.notes}
		if res.Title == "" {
			res.Title = f.title
		}
		if f.err != nil {
			f.update.Err = termsafe.Line(f.err.Error())
			res.Err = f.err
		}
		updates[i], results[i] = f.update, res
	}
	added, errs := r.Sink.SaveFeeds(ctx, updates)
	for i := range results {
		results[i].New = added[i]
		if errs[i] != nil && results[i].Err == nil {
			results[i].Err = errs[i]
		}
	}
	return results
}

func isHTTP(u string) bool {
	return strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://")
}
