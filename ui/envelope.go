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

// fill reads frames [from, to) of the file into buckets starting at b,
// with a Reader of its own. The Reader's ReadPeaks compares 16-bit samples
// as integers straight from the file's bytes (the old 16-bit-only parser's
// loop, so no second parser is needed for speed) and decodes every other
// format through the analysis' converters.
func (e *Envelope) fill(path string, from, to, perBucket int64, b int) error {
	r, err := audio.Open(path)
	if err != nil {
		return err
	}
	defer r.Close()
	if err := r.SeekFrame(from); err != nil {
		return err
	}
	want := int((to - from + perBucket - 1) / perBucket)
	lo := make([][]float32, e.Channels)
	hi := make([][]float32, e.Channels)
	for c := range e.Channels {
		lo[c] = e.Min[c][b : b+want]
		hi[c] = e.Max[c][b : b+want]
	}
	n, err := r.ReadPeaks(perBucket, lo, hi)
	if err != nil && err != io.EOF {
		return err
	}
	if n < want {
		return fmt.Errorf("%d of %d waveform buckets read: %w", n, want, io.ErrUnexpectedEOF)
	}
	return nil
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
