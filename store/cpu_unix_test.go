//go:build unix

package store

import (
	"syscall"
	"testing"
	"time"
)

// reportCPU adds the process's CPU time per operation (user + system, all
// threads) to a benchmark's figures: unlike ns/op it does not grow when
// other work shares the machine. Call as defer reportCPU(b)().
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		}
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
