//go:build !unix

package audio

// cpuTime is unavailable here; benchmarks then report wall time only.
func cpuTime() float64 { return 0 }
