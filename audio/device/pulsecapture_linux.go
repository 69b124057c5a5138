package device

/*
#cgo LDFLAGS: -ldl
#define _GNU_SOURCE // pthread_timedjoin_np
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>

// The few declarations of libpulse-simple this file uses, so that building
// needs no PulseAudio headers and running needs no libpulse (it is opened
// with dlopen when a sound server source is recorded).
typedef struct { int format; uint32_t rate; uint8_t channels; } cc_sample_spec;
typedef struct { uint32_t maxlength, tlength, prebuf, minreq, fragsize; } cc_buffer_attr;
typedef void *(*cc_new_fn)(const char *, const char *, int, const char *, const char *,
	const cc_sample_spec *, const void *, const cc_buffer_attr *, int *);
typedef int (*cc_read_fn)(void *, void *, size_t, int *);
typedef void (*cc_free_fn)(void *);
typedef const char *(*cc_strerror_fn)(int);

static cc_new_fn cc_new;
static cc_read_fn cc_read;
static cc_free_fn cc_free;
static cc_strerror_fn cc_strerror;

static int cc_load(void) {
	if (cc_new) return 1;
	void *h = dlopen("libpulse-simple.so.0", RTLD_NOW | RTLD_LOCAL);
	void *p = dlopen("libpulse.so.0", RTLD_NOW | RTLD_LOCAL);
	if (!h || !p) return 0;
	cc_read = (cc_read_fn)dlsym(h, "pa_simple_read");
	cc_free = (cc_free_fn)dlsym(h, "pa_simple_free");
	cc_strerror = (cc_strerror_fn)dlsym(p, "pa_strerror");
	cc_new = (cc_new_fn)dlsym(h, "pa_simple_new");
	return cc_new && cc_read && cc_free && cc_strerror;
}

// PA_STREAM_RECORD = 2, PA_SAMPLE_FLOAT32LE = 5.
static void *cc_open(const char *dev, uint32_t rate, uint8_t ch, uint32_t frag, int *err) {
	cc_sample_spec ss = {5, rate, ch};
	cc_buffer_attr a = {(uint32_t)-1, (uint32_t)-1, (uint32_t)-1, (uint32_t)-1, frag};
	return cc_new(NULL, "CallCoach", 2, dev, "Call recording", &ss, NULL, &a, err);
}

static void cc_close(void *s) { cc_free(s); }
static const char *cc_error(int e) { return cc_strerror(e); }

// The reading thread is a C thread, like PortAudio's: it blocks in
// pa_simple_read and puts each fragment, stamped, into a cc_ring that the
// recorder's writer drains (see ccring.h for why no Go runs here).
#include <pthread.h>
#include <time.h>
#include "ccring.h"

typedef struct {
	void *s;
	cc_ring *q;
	float *buf;
	size_t samples;
	atomic_int stop;
	// state: 0 running, 1 the thread has ended, 2 the stopper gave up
	// waiting (the thread then frees everything itself).
	atomic_int state;
	pthread_t th;
} cc_reader;

static void cc_reader_free(cc_reader *r) {
	cc_free(r->s);
	free(r->buf);
	free(r);
}

static void *cc_loop(void *arg) {
	cc_reader *r = arg;
	int err = 0;
	while (!atomic_load(&r->stop)) {
		if (cc_read(r->s, r->buf, r->samples * 4, &err) < 0) {
			if (!atomic_load(&r->stop))
				atomic_store(&r->q->err, err ? err : -1);
			break;
		}
		if (atomic_load(&r->stop))
			break; // the ring may be gone
		cc_ring_put(r->q, r->buf, (uint32_t)r->samples, cc_now());
	}
	if (atomic_exchange(&r->state, 1) == 2)
		cc_reader_free(r); // abandoned by cc_stop
	return NULL;
}

static cc_reader *cc_start(void *s, cc_ring *q, size_t samples) {
	cc_reader *r = calloc(1, sizeof *r);
	r->s = s; r->q = q; r->samples = samples;
	r->buf = calloc(samples, sizeof(float));
	if (pthread_create(&r->th, NULL, cc_loop, r) != 0) {
		free(r->buf); free(r);
		return NULL;
	}
	return r;
}

// cc_stop ends the thread (it finishes the fragment it waits for) and frees
// the stream. A source that sends nothing (suspended, or a device that
// died without an error) leaves pa_simple_read waiting for ever: after
// half a second the thread is left to end, and free what it holds, when
// its read returns; it touches the ring no more.
static void cc_stop(cc_reader *r) {
	atomic_store(&r->stop, 1);
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
// a fragment arrives. So sources are read with pa_simple by default and
// through PortAudio when CALLCOACH_CAPTURE=portaudio (or when libpulse
// cannot be loaded).

var pulseLoad = sync.OnceValue(func() bool { return C.cc_load() != 0 })

// pulseNativeAvailable reports whether libpulse-simple can be used.
func pulseNativeAvailable() bool { return pulseLoad() }

// pulseReader is a record stream on a sound server source, read by a C
// thread into a cc_ring.
type pulseReader struct {
	s       unsafe.Pointer
	r       *C.cc_reader
	q       *cring
	samples int
}

func openPulseReader(source string, rate, channels, fragFrames int) (*pulseReader, error) {
	if !pulseLoad() {
		return nil, errors.New("libpulse-simple.so.0 could not be loaded")
	}
	dev := C.CString(source)
	defer C.free(unsafe.Pointer(dev))
	var cerr C.int
	s := C.cc_open(dev, C.uint32_t(rate), C.uint8_t(channels), C.uint32_t(fragFrames*channels*4), &cerr)
	if s == nil {
		return nil, fmt.Errorf("the sound server refused to record from %s: %s", source, C.GoString(C.cc_error(cerr)))
	}
	samples := fragFrames * channels
	q := newCRing(int(ringTime/bufferTime), samples, channels)
	if q == nil {
		C.cc_close(s)
		return nil, errors.New("out of memory")
	}
	return &pulseReader{s: s, q: q, samples: samples}, nil
}

// start starts the reading thread.
func (p *pulseReader) start() error {
	p.r = C.cc_start(p.s, (*C.cc_ring)(unsafe.Pointer(p.q.q)), C.size_t(p.samples))
	if p.r == nil {
		return errors.New("cannot start a thread to record")
	}
	return nil
}

// failure returns the sound server's error, if the reader stopped on one.
func (p *pulseReader) failure() error {
	if code := p.q.failed(); code != 0 {
		return fmt.Errorf("the sound server stopped the recording: %s", C.GoString(C.cc_error(C.int(code))))
	}
	return nil
}

// stop ends the thread (within one fragment) and the stream.
func (p *pulseReader) stop() {
	if p.r != nil {
		C.cc_stop(p.r)
		p.r = nil
	} else if p.s != nil {
		C.cc_close(p.s)
	}
	p.s = nil
}

// close stops and frees everything.
func (p *pulseReader) close() {
	p.stop()
	if p.q != nil {
		p.q.free()
		p.q = nil
	}
}
