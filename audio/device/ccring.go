package device

/*
#include "ccring.h"
static uint64_t *cc_w(cc_ring *q) { return (uint64_t *)&q->w; }
static uint64_t *cc_r(cc_ring *q) { return (uint64_t *)&q->r; }
static uint64_t *cc_dropped(cc_ring *q) { return (uint64_t *)&q->dropped; }
static uint64_t *cc_lost(cc_ring *q) { return (uint64_t *)&q->lost; }
static uint64_t *cc_overflows(cc_ring *q) { return (uint64_t *)&q->overflows; }
static int64_t *cc_err(cc_ring *q) { return (int64_t *)&q->err; }
// Go reads the fields through these: cgo does not lay out _Atomic members.
static int64_t *cc_stamps(cc_ring *q) { return q->stamps; }
static uint32_t *cc_counts(cc_ring *q) { return q->counts; }
static float *cc_data(cc_ring *q) { return q->data; }
*/
import "C"

import (
	"sync/atomic"
	"unsafe"

	"callcoach/audio/record"
)

// cring is the Go side of a cc_ring: the consumer. Its methods run on the
// recorder's writer goroutine (Poll) or anywhere (counters).
type cring struct {
	q           *C.cc_ring
	w, r        *uint64
	dropped     *uint64
	lost        *uint64
	overflows   *uint64
	err         *int64
	stamps      []int64
	counts      []uint32
	data        []float32
	slotSamples int
	offset      int64 // CLOCK_MONOTONIC minus record.Clock, ns

	seenDropped, seenLost, seenOverflows uint64
}

// newCRing makes a queue of slots fragments of up to slotSamples samples.
func newCRing(slots, slotSamples, channels int) *cring {
	q := C.cc_ring_new(C.uint32_t(slots), C.uint32_t(slotSamples), C.uint32_t(channels))
	if q == nil {
		return nil
	}
	c := &cring{
		q: q, w: (*uint64)(unsafe.Pointer(C.cc_w(q))), r: (*uint64)(unsafe.Pointer(C.cc_r(q))),
		dropped: (*uint64)(unsafe.Pointer(C.cc_dropped(q))), lost: (*uint64)(unsafe.Pointer(C.cc_lost(q))), overflows: (*uint64)(unsafe.Pointer(C.cc_overflows(q))),
		err:         (*int64)(unsafe.Pointer(C.cc_err(q))),
		stamps:      unsafe.Slice((*int64)(unsafe.Pointer(C.cc_stamps(q))), slots),
		counts:      unsafe.Slice((*uint32)(unsafe.Pointer(C.cc_counts(q))), slots),
		data:        unsafe.Slice((*float32)(unsafe.Pointer(C.cc_data(q))), slots*slotSamples),
		slotSamples: slotSamples,
	}
	// Both clocks are CLOCK_MONOTONIC on Linux; the offset between their
	// origins is taken once (to well under a microsecond).
	a := int64(C.cc_now())
	b := record.Clock()
	c.offset = a - b
	return c
}

// poll moves every waiting fragment into ring with its capture stamp, and
// passes on the counters.
func (c *cring) poll(ring *record.Ring) {
	w := atomic.LoadUint64(c.w)
	r := atomic.LoadUint64(c.r)
	slots := uint64(len(c.counts))
	for ; r < w; r++ {
		i := r % slots
		n := int(c.counts[i])
		off := int(i) * c.slotSamples
		ring.Write(c.data[off:off+n], c.stamps[i]-c.offset)
		atomic.StoreUint64(c.r, r+1)
	}
	if d := atomic.LoadUint64(c.dropped); d > c.seenDropped {
		l := atomic.LoadUint64(c.lost)
		ring.NoteLost(d-c.seenDropped, l-c.seenLost)
		c.seenDropped, c.seenLost = d, l
	}
	if o := atomic.LoadUint64(c.overflows); o > c.seenOverflows {
		for ; c.seenOverflows < o; c.seenOverflows++ {
			ring.NoteOverflow()
		}
	}
}

// failed returns the producer's error code, 0 while it runs.
func (c *cring) failed() int64 { return atomic.LoadInt64(c.err) }

// free releases the C memory; the producer must have stopped.
func (c *cring) free() { C.cc_ring_free(c.q) }
