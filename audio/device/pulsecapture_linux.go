package device

/*
#cgo LDFLAGS: -ldl
#define _GNU_SOURCE // pthread_timedjoin_np
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// The few declarations of libpulse's asynchronous API this file uses, so
// that building needs no PulseAudio headers and running needs no libpulse
// (it is opened with dlopen when a sound server source is recorded).
typedef struct { int format; uint32_t rate; uint8_t channels; } cc_sample_spec;
typedef struct { uint32_t maxlength, tlength, prebuf, minreq, fragsize; } cc_buffer_attr;

static void *(*ml_new)(void);
static void *(*ml_api)(void *);
static int (*ml_prepare)(void *, int);
static int (*ml_poll)(void *);
static int (*ml_dispatch)(void *);
static int (*ml_iterate)(void *, int, int *);
static void (*ml_wakeup)(void *);
static void (*ml_free)(void *);
static void *(*ctx_new)(void *, const char *);
static int (*ctx_connect)(void *, const char *, int, const void *);
static int (*ctx_state)(void *);
static int (*ctx_errno)(void *);
static void (*ctx_disconnect)(void *);
static void (*ctx_unref)(void *);
static void *(*st_new)(void *, const char *, const cc_sample_spec *, const void *);
static int (*st_connect)(void *, const char *, const cc_buffer_attr *, int);
static int (*st_state)(void *);
static int (*st_peek)(void *, const void **, size_t *);
static int (*st_drop)(void *);
static void (*st_disconnect)(void *);
static void (*st_unref)(void *);
static const char *(*cc_strerror)(int);

#define CC_SYM(var, name) if (!(*(void **)&var = dlsym(p, name))) return 0

static int cc_load(void) {
	static int loaded;
	if (loaded) return 1;
	void *p = dlopen("libpulse.so.0", RTLD_NOW | RTLD_LOCAL);
	if (!p) return 0;
	CC_SYM(ml_new, "pa_mainloop_new"); CC_SYM(ml_api, "pa_mainloop_get_api");
	CC_SYM(ml_prepare, "pa_mainloop_prepare"); CC_SYM(ml_poll, "pa_mainloop_poll");
	CC_SYM(ml_dispatch, "pa_mainloop_dispatch"); CC_SYM(ml_iterate, "pa_mainloop_iterate");
	CC_SYM(ml_wakeup, "pa_mainloop_wakeup"); CC_SYM(ml_free, "pa_mainloop_free");
	CC_SYM(ctx_new, "pa_context_new"); CC_SYM(ctx_connect, "pa_context_connect");
	CC_SYM(ctx_state, "pa_context_get_state"); CC_SYM(ctx_errno, "pa_context_errno");
	CC_SYM(ctx_disconnect, "pa_context_disconnect"); CC_SYM(ctx_unref, "pa_context_unref");
	CC_SYM(st_new, "pa_stream_new"); CC_SYM(st_connect, "pa_stream_connect_record");
	CC_SYM(st_state, "pa_stream_get_state"); CC_SYM(st_peek, "pa_stream_peek");
	CC_SYM(st_drop, "pa_stream_drop"); CC_SYM(st_disconnect, "pa_stream_disconnect");
	CC_SYM(st_unref, "pa_stream_unref"); CC_SYM(cc_strerror, "pa_strerror");
	loaded = 1;
	return 1;
}

// Context states READY 4, FAILED 5, TERMINATED 6; stream states READY 2,
// FAILED 3, TERMINATED 4. PA_ERR_CONNECTIONTERMINATED is 11.
enum { CTX_READY = 4, CTX_FAILED = 5, ST_READY = 2, ST_FAILED = 3, ERR_TERMINATED = 11 };

// A record stream with a main loop of its own, which one C thread runs:
// libpulse-simple runs a threaded main loop and a reader beside it, and
// every read took the loop's lock and woke its thread several times per
// fragment (measured: ~12 system calls and two thread wake-ups per
// fragment per stream, ~1% of a core for two streams). Here the thread
// that polls the socket copies each fragment out itself.
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>
#include "ccring.h"

typedef struct {
	void *ml, *ctx, *s;
	cc_ring *q;
	float *buf;       // the fragment being filled
	size_t samples;   // samples in a fragment
	size_t have;      // bytes of it filled
	atomic_int stop;
	// state: 0 running, 1 the thread has ended, 2 the stopper gave up
	// waiting (the thread then frees everything itself).
	atomic_int state;
	pthread_t th;
} cc_reader;

static void cc_reader_free(cc_reader *r) {
	if (r->s) { st_disconnect(r->s); st_unref(r->s); }
	if (r->ctx) { ctx_disconnect(r->ctx); ctx_unref(r->ctx); }
	if (r->ml) ml_free(r->ml);
	free(r->buf);
	free(r);
}

// cc_failed returns the error that ended the stream, or 0 while it runs.
static int cc_failed(cc_reader *r) {
	int cs = ctx_state(r->ctx);
	if (cs == CTX_FAILED || cs > CTX_FAILED) {
		int e = ctx_errno(r->ctx);
		return e ? e : ERR_TERMINATED;
	}
	int ss = st_state(r->s);
	if (ss == ST_FAILED || ss > ST_FAILED) {
		int e = ctx_errno(r->ctx);
		return e ? e : ERR_TERMINATED;
	}
	return 0;
}

// cc_open connects to the default server and starts a record stream on
// dev, waiting until it runs. PA_SAMPLE_FLOAT32LE = 5; the flags ask the
// server for fragments of frag bytes (PA_STREAM_ADJUST_LATENCY = 0x2000).
static cc_reader *cc_open(const char *dev, uint32_t rate, uint8_t ch, uint32_t frag, int *err) {
	cc_reader *r = calloc(1, sizeof *r);
	if (!r) { *err = -1; return NULL; }
	r->samples = frag / 4;
	r->buf = calloc(r->samples, sizeof(float));
	r->ml = ml_new();
	if (!r->buf || !r->ml) { *err = -1; goto fail; }
	r->ctx = ctx_new(ml_api(r->ml), "CallCoach");
	if (!r->ctx || ctx_connect(r->ctx, NULL, 0, NULL) < 0) { *err = r->ctx ? ctx_errno(r->ctx) : -1; goto fail; }
	for (;;) {
		int cs = ctx_state(r->ctx);
		if (cs == CTX_READY) break;
		if (cs >= CTX_FAILED || ml_iterate(r->ml, 1, NULL) < 0) { *err = ctx_errno(r->ctx); goto fail; }
	}
	cc_sample_spec ss = {5, rate, ch};
	cc_buffer_attr a = {(uint32_t)-1, (uint32_t)-1, (uint32_t)-1, (uint32_t)-1, frag};
	r->s = st_new(r->ctx, "Call recording", &ss, NULL);
	if (!r->s || st_connect(r->s, dev, &a, 0x2000) < 0) { *err = ctx_errno(r->ctx); goto fail; }
	for (;;) {
		int s = st_state(r->s);
		if (s == ST_READY) break;
		if (s >= ST_FAILED || ml_iterate(r->ml, 1, NULL) < 0) { *err = ctx_errno(r->ctx); goto fail; }
	}
	return r;
fail:
	if (!*err) *err = -1;
	cc_reader_free(r);
	return NULL;
}

static void cc_close(cc_reader *r) { cc_reader_free(r); }
static const char *cc_error(int e) { return e < 0 ? "internal error" : cc_strerror(e); }

// cc_take moves what the stream has received into the fragment, and each
// full fragment, stamped, into the ring.
static void cc_take(cc_reader *r) {
	const void *data;
	size_t n;
	size_t frag = r->samples * 4;
	while (st_peek(r->s, &data, &n) == 0 && n > 0) {
		const char *p = data; // NULL: a hole in the stream, taken as silence
		size_t left = n;
		while (left > 0) {
			size_t k = frag - r->have < left ? frag - r->have : left;
			if (p) memcpy((char *)r->buf + r->have, p, k), p += k;
			else memset((char *)r->buf + r->have, 0, k);
			r->have += k;
			left -= k;
			if (r->have == frag) {
				cc_ring_put(r->q, r->buf, (uint32_t)r->samples, cc_now());
				r->have = 0;
			}
		}
		st_drop(r->s);
	}
}

static void *cc_loop(void *arg) {
	cc_reader *r = arg;
	while (!atomic_load(&r->stop)) {
		// At most 200 ms in poll, so that a stop is seen even if its
		// wake-up raced with the poll.
		if (ml_prepare(r->ml, 200000) < 0 || ml_poll(r->ml) < 0 || ml_dispatch(r->ml) < 0) {
			if (!atomic_load(&r->stop))
				atomic_store(&r->q->err, ERR_TERMINATED);
			break;
		}
		if (atomic_load(&r->stop))
			break; // the ring may be gone
		int e = cc_failed(r);
		if (e) {
			atomic_store(&r->q->err, e);
			break;
		}
		cc_take(r);
	}
	if (atomic_exchange(&r->state, 1) == 2)
		cc_reader_free(r); // abandoned by cc_stop
	return NULL;
}

static int cc_start(cc_reader *r, cc_ring *q) {
	r->q = q;
	return pthread_create(&r->th, NULL, cc_loop, r) == 0;
}

// cc_stop ends the thread and frees the stream. The thread is woken at
// once; should it not end within half a second, it is left to free what
// it holds when it does, and touches the ring no more.
static void cc_stop(cc_reader *r) {
	atomic_store(&r->stop, 1);
	ml_wakeup(r->ml);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 500000000;
	if (ts.tv_nsec >= 1000000000) { ts.tv_sec++; ts.tv_nsec -= 1000000000; }
	if (pthread_timedjoin_np(r->th, NULL, &ts) == 0) {
		cc_reader_free(r);
		return;
	}
	pthread_detach(r->th);
	if (atomic_exchange(&r->state, 2) == 1) // it ended just now
		cc_reader_free(r);
}
*/
import "C"

import (
	"errors"
	"fmt"
	"sync"
	"unsafe"
)

// Why not PortAudio for sound server sources: PortAudio's ALSA host API
// reaching PulseAudio through ALSA's pulse plugin busy-polls (the plugin's
// poll descriptor stays readable while less than a period is buffered, and
// PortAudio polls again at once): measured here, about 1,400 poll calls a
// second per stream and 4-13% of a core for two idle streams, against a
// budget of 3% for the whole recorder. libpulse's own client blocks until
// a fragment arrives. So sources are read with libpulse by default and
// through PortAudio when CALLCOACH_CAPTURE=portaudio (or when libpulse
// cannot be loaded).

var pulseLoad = sync.OnceValue(func() bool { return C.cc_load() != 0 })

// pulseNativeAvailable reports whether libpulse can be used.
func pulseNativeAvailable() bool { return pulseLoad() }

// pulseReader is a record stream on a sound server source, read by a C
// thread into a cc_ring.
type pulseReader struct {
	r       *C.cc_reader
	started bool
	q       *cring
}

func openPulseReader(source string, rate, channels, fragFrames int) (*pulseReader, error) {
	if !pulseLoad() {
		return nil, errors.New("libpulse.so.0 could not be loaded")
	}
	dev := C.CString(source)
	defer C.free(unsafe.Pointer(dev))
	var cerr C.int
	r := C.cc_open(dev, C.uint32_t(rate), C.uint8_t(channels), C.uint32_t(fragFrames*channels*4), &cerr)
	if r == nil {
		return nil, fmt.Errorf("the sound server refused to record from %s: %s", source, C.GoString(C.cc_error(cerr)))
	}
	q := newCRing(int(ringTime/bufferTime), fragFrames*channels, channels)
	if q == nil {
		C.cc_close(r)
		return nil, errors.New("out of memory")
	}
	return &pulseReader{r: r, q: q}, nil
}

// start starts the reading thread.
func (p *pulseReader) start() error {
	if C.cc_start(p.r, (*C.cc_ring)(unsafe.Pointer(p.q.q))) == 0 {
		return errors.New("cannot start a thread to record")
	}
	p.started = true
	return nil
}

// failure returns the sound server's error, if the reader stopped on one.
func (p *pulseReader) failure() error {
	if code := p.q.failed(); code != 0 {
		return fmt.Errorf("the sound server stopped the recording: %s", C.GoString(C.cc_error(C.int(code))))
	}
	return nil
}

// stop ends the thread (at once) and the stream.
func (p *pulseReader) stop() {
	switch {
	case p.r == nil:
	case p.started:
		C.cc_stop(p.r)
	default:
		C.cc_close(p.r)
	}
	p.r = nil
}

// close stops and frees everything.
func (p *pulseReader) close() {
	p.stop()
	if p.q != nil {
		p.q.free()
		p.q = nil
	}
}
