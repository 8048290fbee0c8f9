package fetch

import "flag"

// update is accepted so that "go test ./... -update", which rewrites the
// golden files of the ui package, also runs here.
var _ = flag.Bool("update", false, "rewrite golden files (unused in this package)")
