//go:build unix

package audio

import (
	"runtime"
	"syscall"
	"time"
)

// cpuTime returns the process's user+system CPU time in seconds, so that
// benchmarks can report speed on a busy machine (wall time counts the
// time other processes held the cores).
func cpuTime() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// threadCPU is the calling OS thread's CPU time (user + system) where the
// system measures it per thread (Linux), 0 elsewhere. Lock the thread
// around what is measured.
func threadCPU() time.Duration {
	const rusageThread = 1 // RUSAGE_THREAD
	if runtime.GOOS != "linux" {
		return 0
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
