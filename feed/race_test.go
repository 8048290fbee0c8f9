//go:build race

package feed_test

import "time"

// hostileTimeout: see servers_test.go. The race detector slows reading
// and decompressing a body several times over.
const hostileTimeout = 8 * time.Second
