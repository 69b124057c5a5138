package record

import (
	"errors"
	"math"
	"math/rand/v2"
	"sync"
	"time"
)

// simInput is a capture device on a simulated clock: its true rate may
// differ from its nominal one (clock drift), and each buffer's callback
// comes late by a random delay (scheduling jitter), as on real hardware.
type simInput struct {
	name      string
	nominal   int
	trueRate  float64
	channels  int
	bufFrames int
	startAt   float64 // capture time of frame 0, s
	maxJitter float64 // s
	// stallProb is the chance that a buffer's callback is held up by up to
	// maxStall more (a busy machine), the buffers after it then coming in
	// a burst.
	stallProb, maxStall float64
	// From capture time lateFrom on, every buffer comes lateBy later (the
	// sound server batching its delivery differently).
	lateFrom, lateBy float64
	signal           func(t float64, ch int) float32
	rng              *rand.Rand

	ring    *Ring
	next    int64   // first frame of the next buffer
	due     float64 // delivery time of the next buffer
	buf     []float32
	mu      sync.Mutex
	err     error
	stopped bool
}

var _ Input = (*simInput)(nil)

func newSimInput(name string, nominal int, drift float64, channels int, startAt float64, seed uint64) *simInput {
	s := &simInput{
		name: name, nominal: nominal, trueRate: float64(nominal) * (1 + drift), channels: channels,
		bufFrames: nominal / 100, startAt: startAt, maxJitter: 0.008,
		rng:  rand.New(rand.NewPCG(seed, 7)),
		ring: NewRing(nominal, channels),
	}
	s.buf = make([]float32, s.bufFrames*channels)
	s.due = s.lastCapture() + s.rng.Float64()*s.maxJitter
	return s
}

func (s *simInput) lastCapture() float64 {
	return s.startAt + float64(s.next+int64(s.bufFrames)-1)/s.trueRate
}

// advance delivers every buffer due by now (seconds).
func (s *simInput) advance(now float64) {
	for !s.stopped && s.due <= now {
		for i := range s.bufFrames {
			t := s.startAt + float64(s.next+int64(i))/s.trueRate
			for c := range s.channels {
				v := float32(0)
				if s.signal != nil {
					v = s.signal(t, c)
				}
				s.buf[i*s.channels+c] = v
			}
		}
		s.ring.Write(s.buf, int64(s.due*1e9))
		s.next += int64(s.bufFrames)
		prev := s.due
		s.due = s.lastCapture() + s.rng.Float64()*s.maxJitter
		if s.stallProb > 0 && s.rng.Float64() < s.stallProb {
			s.due += s.rng.Float64() * s.maxStall
		}
		if s.lateBy != 0 && s.lastCapture() >= s.lateFrom {
			s.due += s.lateBy
		}
		s.due = max(s.due, prev) // callbacks come in order
	}
}

func (s *simInput) Name() string { return s.name }
func (s *simInput) Rate() int    { return s.nominal }
func (s *simInput) Ring() *Ring  { return s.ring }
func (s *simInput) Start() error { return nil }
func (s *simInput) Close() error { return nil }
func (s *simInput) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// peakWriter is a FileWriter that keeps no audio, only where each channel
// has a pulse peak (sub-sample, by parabolic interpolation), so that an
// hour of simulated recording needs no memory.
type peakWriter struct {
	n         int64
	prev      [2][2]float32
	peaks     [2][]float64
	frames    int64
	syncs     int
	closed    bool
	mu        sync.Mutex
	fail      error         // returned by WriteFrames once set
	syncDelay time.Duration // a slow disk
}

func (w *peakWriter) setFail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.fail = err
}

func (w *peakWriter) WriteFrames(p []float32) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.fail != nil {
		return w.fail
	}
	for i := 0; i+1 < len(p); i += 2 {
		for c := range 2 {
			cur := p[i+c]
			a, b := w.prev[c][0], w.prev[c][1]
			if b > 0.3 && b >= a && b > cur {
				den := a - 2*b + cur
				off := 0.0
				if den != 0 {
					off = 0.5 * float64(a-cur) / float64(den)
				}
				w.peaks[c] = append(w.peaks[c], float64(w.n-1)+off)
			}
			w.prev[c] = [2]float32{b, cur}
		}
		w.n++
	}
	w.frames = w.n
	return nil
}

func (w *peakWriter) Sync() error  { w.syncs++; time.Sleep(w.syncDelay); return nil }
func (w *peakWriter) Close() error { w.closed = true; return nil }

var errUnplugged = errors.New("unplugged")

// pulseAt is a 0.5 ms Gaussian click every period from 1 s on: narrow to
// find, smooth enough to survive resampling.
func pulseAt(period float64) func(t float64, ch int) float32 {
	const sigma = 0.0005
	return func(t float64, _ int) float32 {
		k := math.Round((t - 1) / period)
		d := t - (1 + k*period)
		if k < 0 || math.Abs(d) > 6*sigma {
			return 0
		}
		return float32(0.8 * math.Exp(-0.5*(d/sigma)*(d/sigma)))
	}
}
