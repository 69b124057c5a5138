//go:build linux

package ui

import (
	"runtime"
	"syscall"
	"time"
)

// onCPU runs f on one locked OS thread and returns the CPU time that
// thread spent (user + system): what f costs, whatever else shares the
// machine. A wall-clock bound on a two-core CI machine shared with other
// builds measures the neighbours (an open of 44 ms took 1.05 s of wall
// time at a load of 10).
func onCPU(f func()) time.Duration {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const rusageThread = 1 // RUSAGE_THREAD
	var a, b syscall.Rusage
	syscall.Getrusage(rusageThread, &a)
	f()
	syscall.Getrusage(rusageThread, &b)
	return time.Duration(b.Utime.Nano() + b.Stime.Nano() - a.Utime.Nano() - a.Stime.Nano())
}

// processCPU is the process's CPU time so far (all threads): a benchmark's
// cost per operation that other work on the machine does not stretch.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
