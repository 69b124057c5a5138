package record

import (
	"sync/atomic"
	"time"
)

// Ring is a single-producer, single-consumer ring buffer of interleaved
// float32 frames, the only thing an audio callback touches. Write never
// allocates, never blocks and never waits on the reader: when the ring is
// full the whole buffer is dropped and counted, so the callback returns at
// once and the loss is reported with the call.
//
// Each Write also publishes a clock stamp (total frames written, capture
// time) that the writer goroutine reads to measure the device's real rate.
type Ring struct {
	buf      []float32
	mask     uint64
	channels int

	_ [64]byte // keep the producer's and consumer's counters on separate cache lines
	w atomic.Uint64
	_ [56]byte
	r atomic.Uint64
	_ [56]byte

	dropped   atomic.Uint64 // buffers lost because the ring was full
	lost      atomic.Uint64 // frames in those buffers
	overflows atomic.Uint64 // buffers the device itself reported late (input overflow)
	buffers   atomic.Uint64 // buffers delivered

	// Stamp, published with a sequence lock so that the reader sees a
	// consistent pair without the writer ever waiting.
	seq    atomic.Uint64
	frames atomic.Uint64 // total frames ever written (dropped ones too: they were captured)
	nanos  atomic.Int64  // capture time of the last frame, in Clock nanoseconds
}

// NewRing returns a ring holding at least capacity frames of the given
// number of channels.
func NewRing(capacity, channels int) *Ring {
	if channels < 1 {
		panic("record: ring needs at least one channel")
	}
	n := uint64(1)
	for n < uint64(capacity*channels) {
		n <<= 1
	}
	return &Ring{buf: make([]float32, n), mask: n - 1, channels: channels}
}

// Channels is the number of interleaved channels per frame.
func (r *Ring) Channels() int { return r.channels }

// Write appends the interleaved samples p (a whole number of frames),
// captured up to time at (nanoseconds on Clock). It is the producer side:
// call it from one goroutine or callback only. It reports false, and counts
// a dropped buffer, when p does not fit.
func (r *Ring) Write(p []float32, at int64) bool {
	frames := uint64(len(p) / r.channels)
	r.buffers.Add(1)
	r.stamp(frames, at)
	w := r.w.Load()
	if uint64(len(r.buf))-(w-r.r.Load()) < uint64(len(p)) {
		r.dropped.Add(1)
		r.lost.Add(frames)
		return false
	}
	i := w & r.mask
	n := copy(r.buf[i:], p)
	copy(r.buf, p[n:])
	r.w.Store(w + uint64(len(p)))
	return true
}

func (r *Ring) stamp(frames uint64, at int64) {
	r.seq.Add(1) // odd: writing
	r.frames.Store(r.frames.Load() + frames)
	r.nanos.Store(at)
	r.seq.Add(1) // even: consistent
}

// NoteLost counts buffers (of frames frames in all) lost before they
// reached the ring, when a device layer's own queue was full: they count as
// dropped and as captured, and the reader puts silence in their place.
// Producer side.
func (r *Ring) NoteLost(buffers, frames uint64) {
	r.dropped.Add(buffers)
	r.lost.Add(frames)
	r.stamp(frames, r.nanos.Load())
}

// NoteOverflow counts a buffer the device reported as late or overflowed.
// Producer side, like Write.
func (r *Ring) NoteOverflow() { r.overflows.Add(1) }

// Stamp returns the total number of frames captured so far and the capture
// time of the last one (Clock nanoseconds). Safe from any goroutine.
func (r *Ring) Stamp() (frames uint64, at int64) {
	for {
		s := r.seq.Load()
		if s&1 == 0 {
			frames, at = r.frames.Load(), r.nanos.Load()
			if r.seq.Load() == s {
				return frames, at
			}
		}
	}
}

// Lost returns the number of frames dropped so far; the reader puts
// silence in their place so that the channels stay aligned.
func (r *Ring) Lost() uint64 { return r.lost.Load() }

// Len returns the number of samples (not frames) waiting to be read.
func (r *Ring) Len() int { return int(r.w.Load() - r.r.Load()) }

// Read moves up to len(p) waiting samples into p (whole frames only) and
// returns how many it moved. It is the consumer side: one goroutine only.
func (r *Ring) Read(p []float32) int {
	rd := r.r.Load()
	n := r.w.Load() - rd
	if uint64(len(p)) < n {
		n = uint64(len(p))
	}
	n -= n % uint64(r.channels)
	i := rd & r.mask
	m := copy(p[:n], r.buf[i:])
	copy(p[m:n], r.buf)
	r.r.Store(rd + n)
	return int(n)
}

// Counts are a ring's buffer counters.
type Counts struct {
	Buffers   uint64 // buffers delivered by the device
	Dropped   uint64 // lost because the writer fell behind (ring full)
	Overflows uint64 // reported late or overflowed by the device
}

// Counts returns the counters so far. Safe from any goroutine.
func (r *Ring) Counts() Counts {
	return Counts{Buffers: r.buffers.Load(), Dropped: r.dropped.Load(), Overflows: r.overflows.Load()}
}

// clockBase is the origin of Clock.
var clockBase = time.Now()

// Clock returns monotonic nanoseconds since the program started, the time
// base of Ring stamps. It does not allocate, so callbacks may call it.
func Clock() int64 { return int64(time.Since(clockBase)) }
