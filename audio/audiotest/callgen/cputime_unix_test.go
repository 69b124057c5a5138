//go:build unix

package callgen

import "syscall"

// cpuTime returns the process's user+system CPU time in seconds, so that
// benchmarks can report their cost on a busy machine.
func cpuTime() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
