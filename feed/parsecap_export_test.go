package feed

// Exported for the tests of package feed_test.
var (
	CapTestPeakHeap = capTestPeakHeap
	CapTestFill     = capTestFill
)

const CapTestMaxPeak = capTestMaxPeak
