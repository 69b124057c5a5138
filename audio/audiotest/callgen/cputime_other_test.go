//go:build !unix

package callgen

// cpuTime is unavailable here; benchmarks then report wall time only.
func cpuTime() float64 { return 0 }
