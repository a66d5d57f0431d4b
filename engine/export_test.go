package engine

// SetPruning switches the Matcher's geo grid and score bounds on or off, so
// external tests and benchmarks can measure what pruning saves.
func SetPruning(m *Matcher, on bool) { withPruning(m, on) }
