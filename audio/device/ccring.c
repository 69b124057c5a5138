#include "ccring.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

cc_ring *cc_ring_new(uint32_t slots, uint32_t slot_samples, uint32_t channels) {
	cc_ring *q = calloc(1, sizeof *q);
	if (!q) return NULL;
	q->slots = slots;
	q->slot_samples = slot_samples;
	q->channels = channels;
	q->stamps = calloc(slots, sizeof *q->stamps);
	q->counts = calloc(slots, sizeof *q->counts);
	q->data = calloc((size_t)slots * slot_samples, sizeof *q->data);
	if (!q->stamps || !q->counts || !q->data) {
		cc_ring_free(q);
		return NULL;
	}
	return q;
}

void cc_ring_free(cc_ring *q) {
	if (!q) return;
	free(q->stamps);
	free(q->counts);
	free(q->data);
	free(q);
}

void cc_ring_put(cc_ring *q, const float *in, uint32_t n, int64_t stamp) {
	while (n > 0) {
		uint32_t k = n < q->slot_samples ? n : q->slot_samples;
		uint64_t w = atomic_load_explicit(&q->w, memory_order_relaxed);
		uint64_t r = atomic_load_explicit(&q->r, memory_order_acquire);
		if (w - r >= q->slots) {
			atomic_fetch_add(&q->dropped, 1);
			atomic_fetch_add(&q->lost, k / q->channels);
		} else {
			uint32_t i = (uint32_t)(w % q->slots);
			if (in) memcpy(q->data + (size_t)i * q->slot_samples, in, k * sizeof(float));
			else memset(q->data + (size_t)i * q->slot_samples, 0, k * sizeof(float));
			q->counts[i] = k;
			q->stamps[i] = stamp;
			atomic_store_explicit(&q->w, w + 1, memory_order_release);
		}
		if (in) in += k;
		n -= k;
	}
}

int64_t cc_now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

uint32_t cc_ring_get(cc_ring *q, float *out, uint32_t max) {
	uint64_t r = atomic_load_explicit(&q->r, memory_order_relaxed);
	uint64_t w = atomic_load_explicit(&q->w, memory_order_acquire);
	if (r == w) return 0;
	uint32_t i = (uint32_t)(r % q->slots);
	uint32_t n = q->counts[i] < max ? q->counts[i] : max;
	memcpy(out, q->data + (size_t)i * q->slot_samples, n * sizeof(float));
	atomic_store_explicit(&q->r, r + 1, memory_order_release);
	return n;
}

void cc_ring_reset(cc_ring *q) {
	atomic_store(&q->r, atomic_load(&q->w));
}

uint64_t cc_ring_len(cc_ring *q) {
	return atomic_load(&q->w) - atomic_load(&q->r);
}
