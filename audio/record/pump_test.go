package record

import (
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkPump measures the writer's work for 20 ms of a call (one tick):
// two devices at 48 and 44.1 kHz resampled to 16 kHz, aligned, written and
// analysed. Divide by 20 ms for the share of a core the writer costs.
func BenchmarkPump(b *testing.B) {
	var now float64
	rep := newSimInput("mic", 48000, 200e-6, 1, 0, 1)
	cust := newSimInput("headset", 44100, -300e-6, 1, 0.01, 2)
	rep.signal, cust.signal = tone(220), tone(330)
	opt := Options{
		Path:     filepath.Join(b.TempDir(), "bench.wav"),
		Rep:      Tap{Input: rep},
		Customer: Tap{Input: cust},
		Create:   func(string, int, int) (FileWriter, error) { return &peakWriter{}, nil },
		Clock:    func() int64 { return int64(now * 1e9) },
	}
	r, err := newRecorder(opt)
	if err != nil {
		b.Fatal(err)
	}
	const tick = 0.02
	step := func() {
		now += tick
		rep.advance(now)
		cust.advance(now)
		if err := r.pump(false); err != nil {
			b.Fatal(err)
		}
	}
	for range 100 { // warm up: both streams started, buffers grown
		step()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		now += tick
		rep.advance(now)
		cust.advance(now)
		b.StartTimer()
		if err := r.pump(false); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	r.disk.close()
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(20*time.Millisecond)*100, "%core")
}
