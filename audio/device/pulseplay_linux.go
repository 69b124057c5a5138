package device

/*
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <dlfcn.h>
#include "ccring.h"

typedef struct { int format; uint32_t rate; uint8_t channels; } cc_ss;
typedef struct { uint32_t maxlength, tlength, prebuf, minreq, fragsize; } cc_ba;
typedef void *(*cc_pnew_fn)(const char *, const char *, int, const char *, const char *, const cc_ss *, const void *, const cc_ba *, int *);
typedef int (*cc_write_fn)(void *, const void *, size_t, int *);
typedef uint64_t (*cc_lat_fn)(void *, int *);
typedef int (*cc_flush_fn)(void *, int *);
typedef void (*cc_pfree_fn)(void *);

static cc_pnew_fn p_new;
static cc_write_fn p_write;
static cc_lat_fn p_latency;
static cc_flush_fn p_flush;
static cc_pfree_fn p_free;

static int cc_pload(void) {
	if (p_new) return 1;
	void *h = dlopen("libpulse-simple.so.0", RTLD_NOW | RTLD_LOCAL);
	if (!h) return 0;
	p_write = (cc_write_fn)dlsym(h, "pa_simple_write");
	p_latency = (cc_lat_fn)dlsym(h, "pa_simple_get_latency");
	p_flush = (cc_flush_fn)dlsym(h, "pa_simple_flush");
	p_free = (cc_pfree_fn)dlsym(h, "pa_simple_free");
	p_new = (cc_pnew_fn)dlsym(h, "pa_simple_new");
	return p_new && p_write && p_latency && p_flush && p_free;
}

// A playback stream (PA_STREAM_PLAYBACK = 1, float32le) written by a C
// thread from a cc_ring that Go fills. pos is the frames of real audio the
// listener has heard: handed to the server minus what is still buffered
// there.
typedef struct {
	void *s;
	cc_ring *q;
	float *buf;
	uint32_t samples, channels, rate;
	volatile int stop;
	pthread_t th;
	int running;
	_Atomic int64_t pos;
	_Atomic int64_t lat_us; // the server's last reported latency
} cc_player;

static cc_player *cc_play_open(uint32_t rate, uint32_t ch, uint32_t frag_frames, cc_ring *q, int *err) {
	if (!cc_pload()) { *err = -1; return NULL; }
	cc_ss ss = {5, rate, (uint8_t)ch};
	uint32_t bytes = frag_frames * ch * 4;
	cc_ba a = {(uint32_t)-1, 3 * bytes, bytes, bytes, (uint32_t)-1};
	void *s = p_new(NULL, "CallCoach", 1, NULL, "Call review", &ss, NULL, &a, err);
	if (!s) return NULL;
	cc_player *p = calloc(1, sizeof *p);
	p->s = s; p->q = q; p->channels = ch; p->rate = rate;
	p->samples = frag_frames * ch;
	p->buf = calloc(p->samples, sizeof(float));
	return p;
}

static void *cc_play_loop(void *arg) {
	cc_player *p = arg;
	int err = 0;
	int64_t handed = 0, silent = 0;
	while (!p->stop) {
		uint32_t n = cc_ring_get(p->q, p->buf, p->samples);
		if (n == 0) {
			memset(p->buf, 0, p->samples * sizeof(float));
			n = p->samples;
			silent += n / p->channels;
		} else {
			handed += n / p->channels;
			silent = 0;
		}
		if (p_write(p->s, p->buf, n * sizeof(float), &err) < 0) break;
		uint64_t us = p_latency(p->s, &err);
		atomic_store(&p->lat_us, (int64_t)us);
		int64_t lat = (int64_t)(us * p->rate / 1000000) - silent;
		if (lat < 0) lat = 0;
		int64_t pos = handed - lat;
		atomic_store(&p->pos, pos < 0 ? 0 : pos);
	}
	return NULL;
}

static int cc_play_start(cc_player *p) {
	p->stop = 0;
	atomic_store(&p->pos, 0);
	if (pthread_create(&p->th, NULL, cc_play_loop, p) != 0) return -1;
	p->running = 1;
	return 0;
}

static void cc_play_stop(cc_player *p) {
	if (!p->running) return;
	p->stop = 1;
	pthread_join(p->th, NULL);
	p->running = 0;
	int err;
	p_flush(p->s, &err);
}

static int64_t cc_play_pos(cc_player *p) { return atomic_load(&p->pos); }
static int64_t cc_play_lat(cc_player *p) { return atomic_load(&p->lat_us); }

static void cc_play_close(cc_player *p) {
	cc_play_stop(p);
	p_free(p->s);
	free(p->buf);
	free(p);
}

static void cc_put(cc_ring *q, float *in, uint32_t n) { cc_ring_put(q, in, n, 0); }
*/
import "C"

import (
	"errors"
	"sync/atomic"
	"time"
	"unsafe"

	"callcoach/audio/record"
)

// pulseSink plays through the sound server natively: its playhead
// subtracts the server's latency (pa_simple_get_latency), which PortAudio's
// ALSA pulse plugin path does not report, and it avoids that plugin's
// busy polling.
type pulseSink struct {
	rate int
	t0   atomic.Int64 // when the current run started (record.Clock: monotonic; the wall clock may be slewed or stepped)
	p    *C.cc_player
	q    *cring
	frag int // samples per fragment
	mem  *C.float
}

func openPulseSink(rate int) (*pulseSink, error) {
	if !pulseNativeAvailable() {
		return nil, errors.New("no sound server client")
	}
	frag := rate / 50 // 20 ms
	q := newCRing(64, frag*2, 2)
	if q == nil {
		return nil, errors.New("out of memory")
	}
	var cerr C.int
	p := C.cc_play_open(C.uint32_t(rate), 2, C.uint32_t(frag), (*C.cc_ring)(unsafe.Pointer(q.q)), &cerr)
	if p == nil {
		q.free()
		return nil, errors.New("the sound server refused to play")
	}
	return &pulseSink{rate: rate, p: p, q: q, frag: frag * 2, mem: (*C.float)(C.malloc(C.size_t(frag * 2 * 4)))}, nil
}

// put queues interleaved stereo samples; false when the queue is full.
func (s *pulseSink) put(x []float32) bool {
	need := uint64((len(x) + s.frag - 1) / s.frag)
	if uint64(len(s.q.counts))-uint64(C.cc_ring_len((*C.cc_ring)(unsafe.Pointer(s.q.q)))) < need {
		return false
	}
	for len(x) > 0 {
		n := min(len(x), s.frag)
		copy(unsafe.Slice((*float32)(unsafe.Pointer(s.mem)), s.frag), x[:n])
		C.cc_put((*C.cc_ring)(unsafe.Pointer(s.q.q)), s.mem, C.uint32_t(n))
		x = x[n:]
	}
	return true
}

// played is what the server says was heard, and never more than the time
// since the start: a sink that takes audio faster than real time (a null
// sink, a server catching up after a stall) would put the playhead ahead
// of the sound.
func (s *pulseSink) played() int64 {
	wall := time.Duration(record.Clock() - s.t0.Load())
	return min(int64(C.cc_play_pos(s.p)), int64(wall)*int64(s.rate)/int64(time.Second))
}

// latency is the server's last report (0 before the first write).
func (s *pulseSink) latency() time.Duration {
	return time.Duration(C.cc_play_lat(s.p)) * time.Microsecond
}

func (s *pulseSink) buffered() int {
	return int(C.cc_ring_len((*C.cc_ring)(unsafe.Pointer(s.q.q))))
}

func (s *pulseSink) start() error {
	s.t0.Store(record.Clock())
	if C.cc_play_start(s.p) != 0 {
		return errors.New("cannot start a thread to play")
	}
	return nil
}

func (s *pulseSink) stop() {
	C.cc_play_stop(s.p)
	C.cc_ring_reset((*C.cc_ring)(unsafe.Pointer(s.q.q)))
}

func (s *pulseSink) close() {
	C.cc_play_close(s.p)
	s.q.free()
	C.free(unsafe.Pointer(s.mem))
}
