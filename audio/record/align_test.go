package record

import (
	"math"
	"path/filepath"
	"testing"
	"time"
)

// simulate runs a recorder on simulated time for dur, stepping the clock
// by step, with the given inputs.
func simulate(t testing.TB, rep, cust *simInput, dur time.Duration, w FileWriter) *Recorder {
	t.Helper()
	var now float64
	opt := Options{
		Path:      filepath.Join(t.TempDir(), "sim.wav"),
		Rep:       Tap{Input: rep},
		Customer:  Tap{Input: cust},
		LiveEvery: time.Hour,
		Create:    func(string, int, int) (FileWriter, error) { return w, nil },
		Clock:     func() int64 { return int64(now * 1e9) },
	}
	if rep == cust {
		opt.Customer.Channel = 1
	}
	r, err := newRecorder(opt)
	if err != nil {
		t.Fatal(err)
	}
	const step = 0.01
	for now = 0; now < dur.Seconds(); now += step {
		rep.advance(now)
		if cust != rep {
			cust.advance(now)
		}
		if err := r.pump(false); err != nil {
			t.Fatalf("pump at %.2f s: %v", now, err)
		}
	}
	if err := r.disk.close(); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestDriftAlignment records two devices whose clocks disagree by one part
// in a thousand (and whose callbacks jitter by up to 8 ms) for a simulated
// call, with a click every minute on the same true timeline in both, and
// checks that the clicks land in both channels at most 20 ms apart and at
// the right place in the file.
func TestDriftAlignment(t *testing.T) {
	tests := []struct {
		name           string
		repHz, custHz  int
		dur            time.Duration
		repDrift, cust float64
	}{
		{"an hour, 16 kHz devices", 16000, 16000, time.Hour, +500e-6, -500e-6},
		{"ten minutes, 48 and 44.1 kHz devices", 48000, 44100, 10 * time.Minute, -400e-6, +600e-6},
	}
	if testing.Short() {
		tests = tests[1:]
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const period = 60.0
			rep := newSimInput("mic", tt.repHz, tt.repDrift, 1, 0.013, 1)
			cust := newSimInput("headset", tt.custHz, tt.cust, 1, 0.051, 2)
			rep.signal, cust.signal = pulseAt(period), pulseAt(period)
			w := &peakWriter{}
			r := simulate(t, rep, cust, tt.dur, w)
			wantN := int(tt.dur.Seconds()/period) - 1
			if len(w.peaks[0]) < wantN || len(w.peaks[1]) < wantN {
				t.Fatalf("clicks found got L %d R %d, want at least %d each", len(w.peaks[0]), len(w.peaks[1]), wantN)
			}
			var worst, worstAbs float64
			for k := range wantN {
				l, rr := w.peaks[0][k], w.peaks[1][k]
				worst = math.Max(worst, math.Abs(l-rr)/16000)
				want := (1 + float64(k)*period - r.start) * 16000
				worstAbs = math.Max(worstAbs, math.Max(math.Abs(l-want), math.Abs(rr-want))/16000)
			}
			last := wantN - 1
			t.Logf("misalignment: worst %.2f ms, at the end %.2f ms; worst offset from true time %.2f ms; measured rates %.3f, %.3f Hz (true %.3f, %.3f)",
				worst*1000, math.Abs(w.peaks[0][last]-w.peaks[1][last])/16, worstAbs*1000,
				r.streams[0].clock.rate(r.streams[0].rate), r.streams[1].clock.rate(r.streams[1].rate), rep.trueRate, cust.trueRate)
			if worst > 0.020 {
				t.Errorf("channel misalignment got %.1f ms, want <= 20 ms", worst*1000)
			}
			if worstAbs > 0.020 {
				t.Errorf("click placement got %.1f ms off, want <= 20 ms", worstAbs*1000)
			}
		})
	}
}

// TestDriftAlignmentBusy records two drifting devices on a busy machine:
// besides the jitter, three callbacks a second are held up by up to 60 ms
// (the buffers behind them then come at once), as measured under
// PulseAudio with other work running. A click every half second from the
// start checks the alignment throughout, the first seconds too, where a
// clock fit has little to go on.
func TestDriftAlignmentBusy(t *testing.T) {
	const period = 0.5
	rep := newSimInput("mic", 48000, -500e-6, 1, 0.013, 3)
	cust := newSimInput("headset", 44100, +500e-6, 1, 0.051, 4)
	for _, in := range []*simInput{rep, cust} {
		in.signal = pulseAt(period)
		in.stallProb, in.maxStall = 0.03, 0.060
	}
	w := &peakWriter{}
	r := simulate(t, rep, cust, 40*time.Second, w)
	n := min(len(w.peaks[0]), len(w.peaks[1]))
	if n < 70 {
		t.Fatalf("clicks found got L %d R %d, want at least 70 each", len(w.peaks[0]), len(w.peaks[1]))
	}
	var worst, worstAbs float64
	for k := range n {
		l, rr := w.peaks[0][k], w.peaks[1][k]
		worst = math.Max(worst, math.Abs(l-rr)/16000)
		want := (1 + float64(k)*period - r.start) * 16000
		worstAbs = math.Max(worstAbs, math.Max(math.Abs(l-want), math.Abs(rr-want))/16000)
	}
	t.Logf("misalignment: worst %.2f ms; worst offset from true time %.2f ms; measured rates %.3f, %.3f Hz (true %.3f, %.3f)",
		worst*1000, worstAbs*1000,
		r.streams[0].clock.rate(r.streams[0].rate), r.streams[1].clock.rate(r.streams[1].rate), rep.trueRate, cust.trueRate)
	// Measured 1.1 and 4.4 ms: held-up callbacks come late, never early,
	// and spread evenly they only shift the fitted line.
	if worst > 0.005 {
		t.Errorf("channel misalignment got %.1f ms, want <= 5 ms", worst*1000)
	}
	if worstAbs > 0.020 {
		t.Errorf("click placement got %.1f ms off, want <= 20 ms", worstAbs*1000)
	}
}

// TestOneDeviceIsItsOwnClock records both parties from one stereo device
// whose clock is off, on a busy machine whose sound server starts
// delivering 40 ms later two seconds in: the file must keep every sample
// in order at the device's own pace (clicks exactly their period apart in
// device samples, both channels at the same sample), where following the
// system clock bent such a recording by tens of milliseconds.
func TestOneDeviceIsItsOwnClock(t *testing.T) {
	const period = 0.5
	in := newSimInput("usb", 48000, +700e-6, 2, 0.013, 5)
	in.signal = pulseAt(period)
	in.stallProb, in.maxStall = 0.03, 0.060
	in.lateFrom, in.lateBy = 2, 0.040
	w := &peakWriter{}
	simulate(t, in, in, 30*time.Second, w)
	n := min(len(w.peaks[0]), len(w.peaks[1]))
	if n < 55 {
		t.Fatalf("clicks found got L %d R %d, want at least 55 each", len(w.peaks[0]), len(w.peaks[1]))
	}
	// A click every period of true time is period·trueRate device samples
	// apart, which the file holds at 16000/48000 of that.
	spacing := period * in.trueRate * 16000 / 48000
	var worst, skew float64
	for k := range n {
		skew = math.Max(skew, math.Abs(w.peaks[0][k]-w.peaks[1][k]))
		want := w.peaks[0][0] + float64(k)*spacing
		worst = math.Max(worst, math.Abs(w.peaks[0][k]-want))
	}
	t.Logf("clicks off their device-clock place by at most %.2f samples; channels apart by at most %.2f", worst, skew)
	if worst > 1 {
		t.Errorf("clicks got up to %.1f samples off their place on the device's clock, want within 1 (the recording bent its time base)", worst)
	}
	if skew > 0.5 {
		t.Errorf("the two channels of one device got %.1f samples apart, want the same sample", skew)
	}
}
