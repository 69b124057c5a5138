package record

import (
	"math"
	"sync/atomic"
	"time"
)

// clockFit measures a device's real sample rate against the system clock:
// a least-squares line through (capture time, frames captured) stamps. The
// callback's lateness only shifts the line, it does not tilt it, so the
// slope converges on the true rate (parts per million after minutes).
type clockFit struct {
	n            float64
	meanT, meanF float64
	ctf, ctt     float64 // co-moments Σ(t-meanT)(F-meanF), Σ(t-meanT)²
	first, last  float64 // time span of the stamps
	lastF        uint64
}

// minFitSpan is how long a stream must run before its measured rate
// replaces the nominal one.
const minFitSpan = 2 * time.Second

func (c *clockFit) add(t float64, frames uint64) {
	if c.n > 0 && frames == c.lastF {
		return
	}
	if c.n == 0 {
		c.first = t
	}
	c.last, c.lastF = t, frames
	f := float64(frames)
	c.n++
	dt := t - c.meanT
	c.meanT += dt / c.n
	c.meanF += (f - c.meanF) / c.n
	c.ctf += dt * (f - c.meanF)
	c.ctt += dt * (t - c.meanT)
}

// rate returns the measured rate, or nominal until the stamps span
// minFitSpan or if the measurement is off by more than 2% (a broken clock
// must not wreck the recording).
func (c *clockFit) rate(nominal float64) float64 {
	if c.last-c.first < minFitSpan.Seconds() || c.ctt == 0 {
		return nominal
	}
	r := c.ctf / c.ctt
	if math.Abs(r/nominal-1) > 0.02 {
		return nominal
	}
	return r
}

// framesAt returns the fitted number of frames captured by time t.
func (c *clockFit) framesAt(t, nominal float64) float64 {
	return c.meanF + c.rate(nominal)*(t-c.meanT)
}

// Alignment settings.
const (
	// slewTime: a position error is worked off over this much audio, so
	// that corrections are inaudible (a 10 ms error bends pitch by 0.5%).
	slewTime = 2 * time.Second
	// maxSlew caps the correction as a fraction of the rate.
	maxSlew = 0.005
)

// stream is one input device on the writer's side: its ring, the channels
// the call uses, one resampler per such channel and its clock.
type stream struct {
	in       Input
	ring     *Ring
	rate     float64 // nominal input rate
	taps     []int   // channels of the device that the call uses
	rs       []*vresampler
	clock    clockFit
	scratch  []float32
	chbuf    []float32
	lostSeen uint64

	started bool
	t0      float64 // capture time of frame 0, seconds on Clock
	lastAt  int64   // last stamp time, Clock nanoseconds
	// lifeAt is when the device last delivered anything (even a buffer
	// that was dropped): a stream that stops delivering is unplugged; one
	// whose buffers are dropped is only behind.
	lifeAt    int64
	lifeCount uint64
	step      float64 // input samples per output sample for the next chunk
	err       float64 // last position error, input samples (for tests and figures)
	// peaks holds, per tap, the peak of what arrived since takePeak last
	// read it: the meters show each device's own delivery, before
	// alignment. delivered is started, readable from any goroutine.
	peaks     []float32
	delivered atomic.Bool
	// levelsOnly: the recorder only meters this stream; its audio is not
	// resampled.
	levelsOnly bool
}

func newStream(in Input, taps []int, outRate int) *stream {
	s := &stream{in: in, ring: in.Ring(), rate: float64(in.Rate()), taps: taps}
	for range taps {
		s.rs = append(s.rs, newVResampler(s.rate, float64(outRate)))
	}
	s.peaks = make([]float32, len(taps))
	ch := s.ring.Channels()
	s.scratch = make([]float32, 4096*ch)
	s.chbuf = make([]float32, 4096)
	return s
}

// drain moves everything waiting in the ring into the resamplers and
// updates the clock. It reports whether a new stamp arrived.
func (s *stream) drain() bool {
	if p, ok := s.in.(Poller); ok {
		p.Poll()
	}
	if lost := s.ring.Lost(); lost > s.lostSeen {
		for _, r := range s.rs {
			r.PushZeros(int(lost - s.lostSeen))
		}
		s.lostSeen = lost
	}
	ch := s.ring.Channels()
	for {
		n := s.ring.Read(s.scratch)
		if n == 0 {
			break
		}
		frames := n / ch
		for k, tap := range s.taps {
			buf := s.chbuf[:frames]
			if ch == 1 {
				buf = s.scratch[:frames] // one channel: no copy
			} else {
				for i := range buf {
					buf[i] = s.scratch[i*ch+tap]
				}
			}
			s.peaks[k] = max(s.peaks[k], peakOf(buf))
			if !s.levelsOnly {
				s.rs[k].Push(buf)
			}
		}
	}
	frames, at := s.ring.Stamp()
	if frames == 0 {
		return false
	}
	t := float64(at) / 1e9
	if !s.started {
		s.started = true
		s.delivered.Store(true)
		s.t0 = t - float64(frames)/s.rate
	}
	fresh := at != s.lastAt
	s.lastAt = at
	s.clock.add(t, frames)
	return fresh
}

// peakOf returns the largest magnitude in x (NaN counts as nothing). The
// highest and lowest are tracked apart, two comparisons a sample, which is
// a fraction of what max(peak, v, -v) costs.
func peakOf(x []float32) float32 {
	var hi, lo float32
	for _, v := range x {
		if v > hi {
			hi = v
		}
		if v < lo {
			lo = v
		}
	}
	return max(hi, -lo)
}

// waitKeep is how much audio a started stream keeps while the other has
// not started.
const waitKeep = time.Second

// trimWaiting forgets a started stream's audio older than waitKeep while
// the recorder waits for another stream to start.
func (s *stream) trimWaiting() {
	for _, r := range s.rs {
		r.Trim(int(s.rate*waitKeep.Seconds()) + 2*r.half)
	}
}

// takePeak returns tap k's peak since the last call and starts a new one.
func (s *stream) takePeak(k int) float32 {
	p := s.peaks[k]
	s.peaks[k] = 0
	return p
}

// plan sets the step for output samples from index n on, when output
// sample n belongs at time start+n/outRate (seconds on Clock), and returns
// how many output samples the stream can make now.
//
// The target input position is the fitted number of frames the device had
// captured at that time; the step is the measured rate plus a bounded
// correction that works the position error off over slewTime. An error of
// more than jumpAfter (a stream that stalled and came back), and the
// start of the earlier stream before the later one began, are jumped over
// instead.
//
// A stream that is the recording's only one (alone) is its own clock:
// after the start it is resampled at its nominal rate, every sample in
// order, and the system clock only measures it. Following the clock
// gains nothing there, and a device's pace against it need not be
// steady: on a busy machine a PulseAudio null sink's monitor fell behind
// the system clock by 0.12-0.17 % for seconds, then caught up in a jump
// (its buffers' stamps, measured over 25 s); a fit reads that as rate
// changes, and the slew bent one device's recording by up to 52 ms over
// 20 s against the audio the device delivered. Two devices must follow
// it: the system clock is what they share.
func (s *stream) plan(start float64, n int64, outRate float64, alone bool) int {
	t := start + float64(n)/outRate
	target := s.clock.framesAt(t, s.rate)
	s.err = s.rs[0].Position() - target
	if (!alone && -s.err > jumpAfter.Seconds()*s.rate) || (n == 0 && s.err < 0) {
		for _, r := range s.rs {
			r.Skip(-s.err)
			r.clamp()
		}
		s.err = 0
	}
	if alone {
		s.step = s.rate / outRate
		return s.rs[0].Ready(s.step)
	}
	nominal := s.clock.rate(s.rate) / outRate
	corr := -s.err / (slewTime.Seconds() * outRate)
	if lim := maxSlew * nominal; math.Abs(corr) > lim {
		corr = math.Copysign(lim, corr)
	}
	s.step = nominal + corr
	return s.rs[0].Ready(s.step)
}

// jumpAfter is the position error beyond which a stream skips ahead
// rather than slewing.
const jumpAfter = 100 * time.Millisecond
