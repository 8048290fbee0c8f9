//go:build !race

package feed_test

import "time"

// hostileTimeout: see servers_test.go.
const hostileTimeout = 2 * time.Second
