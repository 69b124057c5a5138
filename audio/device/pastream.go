package device

/*
#cgo pkg-config: portaudio-2.0
#include <portaudio.h>
#include "ccring.h"

// PortAudio's callback, in C: it only puts the buffer into the queue (see
// ccring.h for why no Go code runs on the audio thread).
static int cc_pa_cb(const void *in, void *out, unsigned long frames,
		const PaStreamCallbackTimeInfo *ti, PaStreamCallbackFlags flags, void *user) {
	cc_ring *q = user;
	if (flags & (paInputOverflow | paInputUnderflow)) atomic_fetch_add(&q->overflows, 1);
	cc_ring_put(q, (const float *)in, (uint32_t)(frames * q->channels), cc_now());
	return paContinue;
}

static int cc_pa_open(PaStream **s, int dev, int ch, double latency, double rate, unsigned long fpb, cc_ring *q) {
	PaStreamParameters p = {dev, ch, paFloat32, latency, NULL};
	return Pa_OpenStream(s, &p, NULL, rate, fpb, paNoFlag, cc_pa_cb, q);
}
*/
import "C"

import (
	"errors"
	"unsafe"
)

// paStream is a PortAudio capture stream whose callback fills a cring.
type paStream struct {
	s unsafe.Pointer
	q *cring
}

func paError(code C.PaError) error {
	if code >= 0 {
		return nil
	}
	return errors.New(C.GoString(C.Pa_GetErrorText(code)))
}

// openPAStream opens device index dev for capture. PortAudio must be
// initialised (a session held).
func openPAStream(dev, channels int, latency, rate float64, framesPerBuffer int) (*paStream, error) {
	q := newCRing(int(ringTime/bufferTime)+4, framesPerBuffer*channels, channels)
	if q == nil {
		return nil, errors.New("out of memory")
	}
	p := &paStream{q: q}
	if err := paError(C.cc_pa_open(&p.s, C.int(dev), C.int(channels), C.double(latency), C.double(rate),
		C.ulong(framesPerBuffer), (*C.cc_ring)(unsafe.Pointer(q.q)))); err != nil {
		q.free()
		return nil, err
	}
	return p, nil
}

func (p *paStream) start() error { return paError(C.Pa_StartStream(p.s)) }

// active reports whether the stream still runs (PortAudio stops a stream
// whose device failed).
func (p *paStream) active() bool { return C.Pa_IsStreamActive(p.s) == 1 }

func (p *paStream) latency() float64 {
	info := C.Pa_GetStreamInfo(p.s)
	if info == nil {
		return 0
	}
	return float64(info.inputLatency)
}

// close stops and closes the stream, then frees the queue.
func (p *paStream) close() error {
	C.Pa_StopStream(p.s)
	err := paError(C.Pa_CloseStream(p.s))
	return err
}
