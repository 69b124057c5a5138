//go:build !unix

package audio

import "time"

// cpuTime is unavailable here; benchmarks then report wall time only.
func cpuTime() float64 { return 0 }

// threadCPU is unavailable here; benchmarks then report wall time only.
func threadCPU() time.Duration { return 0 }
