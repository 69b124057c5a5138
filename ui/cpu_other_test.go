//go:build !linux

package ui

import "time"

// onCPU runs f and returns its wall time (no per-thread CPU clock here).
func onCPU(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}

// processCPU is not measured here: zero.
func processCPU() time.Duration { return 0 }
