package fetch

import (
	"io"
)

// readCapped reads r to the end, failing with errTooBig past max
// bytes; at most max+1 bytes are ever read. hint is the expected size, or -1.
// On a read error it returns what it read before, so the error can say how far
// the body got.
//
// The buffer doubles as it fills, as bytes.Buffer's would, but never past
// max+1: a body at the cap holds max bytes, not the 2*max a doubling
// buffer reaches.
func readCapped(r io.Reader, max, hint int64) ([]byte, error) {
	size := int64(readFirst)
	if hint >= 0 && hint <= max {
		size = hint + 1 // +1: room to read the EOF without growing
	}
	buf := make([]byte, 0, min(size, max+1))
	for {
		if len(buf) == cap(buf) {
			if int64(len(buf)) > max {
				return nil, errTooBig
			}
			size = 2 * int64(cap(buf))
			if size >= max {
				size = max + 1 // not max: then one more byte would need one more copy
			}
			grown := make([]byte, len(buf), size)
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		switch {
		case err == io.EOF:
			if int64(len(buf)) > max {
				return nil, errTooBig
			}
			return buf, nil
		case err != nil:
			return buf, err
		}
	}
}

// readFirst is the first buffer for a body of unknown size.
const readFirst = 32 << 10

// drain reads a little of an unwanted body so the connection may be reused.
func drain(r io.Reader) {
	_, _ = io.CopyN(io.Discard, r, drainLimit)
}
