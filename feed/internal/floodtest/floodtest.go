// Package floodtest builds the flood documents of the parser's and the
// refresh's memory tests and measures the heap they take. It is test
// support: only tests import it.
package floodtest

import (
	"bytes"
	"runtime"
	"runtime/metrics"
	"time"
)

// MaxBody is the fetcher's cap: the largest document a parse is given.
const MaxBody = 16 << 20

// MaxPeak is the most heap a parse of one hostile feed may add to the
// document it is given: the performance budget is 300 MB, the body
// included. Before the caps these documents took 0.2 to 4 GB.
const MaxPeak = 200 << 20

// Fill returns head, then unit(i) for i = 0, 1, ... as many as fit,
// then tail: a document of at most MaxBody bytes.
func Fill(head string, unit func(i int) string, tail string) []byte {
	var b bytes.Buffer
	b.Grow(MaxBody)
	b.WriteString(head)
	for i := 0; ; i++ {
		u := unit(i)
		if b.Len()+len(u)+len(tail) > MaxBody {
			break
		}
		b.WriteString(u)
	}
	b.WriteString(tail)
	return b.Bytes()
}

// PeakHeap runs fn and returns the most heap memory it had in use at
// once, above what was in use before, as a sampler reading every
// millisecond saw it (garbage not yet collected included). A sampler can
// only miss a peak, never invent one: the bound it checks is a floor.
func PeakHeap(fn func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	done, peak := make(chan struct{}), make(chan uint64)
	go func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		most := base
		for {
			select {
			case <-done:
				peak <- max(most, read())
				return
			case <-tick.C:
				most = max(most, read())
			}
		}
	}()
	fn()
	close(done)
	return <-peak - base
}
