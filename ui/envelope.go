package ui

import (
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"callcoach/audio"
)

// EnvelopeBucket is the time one envelope entry covers: fine enough for the
// deepest zoom (one second across the timeline), small enough that a 1-hour
// call's envelope is a few megabytes.
const EnvelopeBucket = 10 * time.Millisecond

// Envelope is the waveform the timeline draws behind the speech segments: the
// minimum and maximum sample of every bucket of every channel, in [-1, 1].
// It is built by streaming the WAV file once, never holding the samples.
type Envelope struct {
	Rate     int
	Channels int
	Bucket   time.Duration
	Duration time.Duration
	Min, Max [][]float32 // [channel][bucket]
}

// LoadEnvelope streams the WAV file at path into an Envelope, splitting the
// work across the CPUs. It reads through the audio package's Reader, so
// every file the analysis reads gets a waveform (8/16/24/32-bit integer,
// 32/64-bit float, A-law, µ-law, WAVE_FORMAT_EXTENSIBLE, a header the
// recorder never finished), and memory stays one buffer per worker.
func LoadEnvelope(path string) (*Envelope, error) {
	r, err := audio.Open(path)
	if err != nil {
		return nil, err
	}
	info := r.Info()
	r.Close()
	ch := info.Channels
	frames := info.Frames
	perBucket := max(int64(info.Rate)*int64(EnvelopeBucket)/int64(time.Second), 1)
	n := int((frames + perBucket - 1) / perBucket)
	e := &Envelope{
		Rate: info.Rate, Channels: ch, Bucket: EnvelopeBucket, Duration: info.Duration,
		Min: make([][]float32, ch), Max: make([][]float32, ch),
	}
	for c := range ch {
		e.Min[c] = make([]float32, n)
		e.Max[c] = make([]float32, n)
	}
	workers := min(runtime.NumCPU(), max(1, n/1000))
	per := (n + workers - 1) / workers
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for wi := range workers {
		b0, b1 := wi*per, min(n, (wi+1)*per)
		if b0 >= b1 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[wi] = e.fill(path, int64(b0)*perBucket, min(int64(b1)*perBucket, frames), perBucket, b0)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("reading the waveform of %s: %w", path, err)
	}
	return e, nil
}

// envFrames is the frames one worker decodes at a time (16 K stereo
// frames: 128 KiB of float32, about the Reader's own buffer).
const envFrames = 16 << 10

// fill reads frames [from, to) of the file into buckets starting at b,
// with a Reader of its own.
func (e *Envelope) fill(path string, from, to, perBucket int64, b int) error {
	r, err := audio.Open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	if err := r.SeekFrame(from); err != nil {
		return err
	}
	ch := e.Channels
	buf := make([]float32, envFrames*ch)
	lo := make([]float32, ch)
	hi := make([]float32, ch)
	reset := func() {
		for c := range ch {
			lo[c], hi[c] = 1.5, -1.5 // past any sample in [-1, 1], within int32 once scaled
		}
	}
	reset()
	var inBucket int64
	flush := func() {
		for c := range ch {
			e.Min[c][b], e.Max[c][b] = lo[c], hi[c]
		}
		b++
		inBucket = 0
		reset()
	}
	for left := to - from; left > 0; {
		k, err := r.ReadFrames(buf[:min(int64(envFrames), left)*int64(ch)])
		p := buf[:k*ch]
		left -= int64(k)
		for len(p) > 0 {
			// As many frames as remain in this bucket, in one tight loop.
			frames := min(int64(len(p)/ch), perBucket-inBucket)
			minMax(p[:int(frames)*ch], ch, lo, hi)
			p = p[int(frames)*ch:]
			inBucket += frames
			if inBucket == perBucket {
				flush()
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	if inBucket > 0 {
		flush()
	}
	return nil
}

// minMax widens lo/hi per channel over the interleaved samples in p: with
// the decoding, the whole cost of opening a long call. The stereo loop
// compares fixed-point integers (samples times 2^30: exact for every
// integer format up to 24 bits, within 1e-9 for the rest), which compile
// to conditional moves; float comparisons branch, and mispredict on audio,
// and the min/max builtins' NaN handling costs more still (the Reader
// already turns NaN into silence). BenchmarkLoadEnvelopeHour: 63-67 ms for
// the old int16-only parser, 125-135 ms with float compares, see README.
func minMax(p []float32, ch int, lo, hi []float32) {
	const scale = 1 << 30
	if ch == 2 {
		l0, h0 := int32(lo[0]*scale), int32(hi[0]*scale)
		l1, h1 := int32(lo[1]*scale), int32(hi[1]*scale)
		for i := 0; i+1 < len(p); i += 2 {
			a, c := int32(p[i]*scale), int32(p[i+1]*scale)
			l0, h0 = min(l0, a), max(h0, a)
			l1, h1 = min(l1, c), max(h1, c)
		}
		lo[0], hi[0] = float32(l0)/scale, float32(h0)/scale
		lo[1], hi[1] = float32(l1)/scale, float32(h1)/scale
		return
	}
	for i, v := range p {
		c := i % ch
		if v < lo[c] {
			lo[c] = v
		}
		if v > hi[c] {
			hi[c] = v
		}
	}
}

// Buckets is the number of buckets per channel.
func (e *Envelope) Buckets() int {
	if e == nil || len(e.Min) == 0 {
		return 0
	}
	return len(e.Min[0])
}

// Peak returns the minimum and maximum of channel c over [t0, t1). It
// returns zeros outside the audio or for a channel the file does not have.
func (e *Envelope) Peak(c int, t0, t1 time.Duration) (lo, hi float32) {
	if e == nil || c < 0 || c >= e.Channels {
		return 0, 0
	}
	n := e.Buckets()
	b0 := int(t0 / e.Bucket)
	b1 := int((t1 + e.Bucket - 1) / e.Bucket)
	b0, b1 = max(b0, 0), min(b1, n)
	if b1 <= b0 {
		if b0 < n && b0 >= 0 {
			return e.Min[c][b0], e.Max[c][b0]
		}
		return 0, 0
	}
	lo, hi = e.Min[c][b0], e.Max[c][b0]
	for _, v := range e.Min[c][b0+1 : b1] {
		lo = min(lo, v)
	}
	for _, v := range e.Max[c][b0+1 : b1] {
		hi = max(hi, v)
	}
	return lo, hi
}
