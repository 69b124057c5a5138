// A single-producer, single-consumer queue of audio fragments in C memory,
// filled by a C thread (PortAudio's callback or the sound server reader)
// and drained by Go's writer goroutine, which reads it directly with
// sync/atomic. Keeping Go code off the audio threads matters: a C thread
// calling into Go leaves a scheduler slot "in a system call" after every
// callback, and the Go runtime's monitor then wakes every 20 µs to take it
// back (measured: a fifth of a core).
#ifndef CC_RING_H
#define CC_RING_H

#include <stdint.h>
#include <stdatomic.h>

typedef struct {
	// Written by the producer, read by the consumer.
	_Atomic uint64_t w;
	char pad1[56];
	// Written by the consumer.
	_Atomic uint64_t r;
	char pad2[56];
	_Atomic uint64_t dropped;    // fragments lost: the queue was full
	_Atomic uint64_t lost;       // frames in them
	_Atomic uint64_t overflows;  // fragments the device reported late
	_Atomic int64_t  err;        // nonzero: the producer stopped on this error
	uint32_t slots;              // number of fragments
	uint32_t slot_samples;       // capacity of a fragment, in samples
	uint32_t channels;
	uint32_t pad3;
	int64_t *stamps;             // capture time of each fragment's last frame, CLOCK_MONOTONIC ns
	uint32_t *counts;            // samples in each fragment
	float *data;                 // slots * slot_samples
} cc_ring;

cc_ring *cc_ring_new(uint32_t slots, uint32_t slot_samples, uint32_t channels);
void cc_ring_free(cc_ring *q);
// cc_ring_put copies n interleaved samples in (splitting into fragments as
// needed). Never blocks, never allocates.
void cc_ring_put(cc_ring *q, const float *in, uint32_t n, int64_t stamp);
int64_t cc_now(void);

#endif

#ifndef CC_RING_GET
#define CC_RING_GET
// cc_ring_get moves the oldest fragment into out (at most max samples) and
// returns its sample count, or 0 if the queue is empty. Consumer side, for
// playback, where Go produces and a C thread consumes.
uint32_t cc_ring_get(cc_ring *q, float *out, uint32_t max);
// cc_ring_reset empties the queue; neither side may run.
void cc_ring_reset(cc_ring *q);
uint64_t cc_ring_len(cc_ring *q);
#endif
