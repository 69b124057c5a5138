package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"syscall"
	"time"

	goaudio "github.com/go-audio/audio"
	"github.com/go-audio/wav"
)

// File is what a Writer writes to; *os.File is one. Tests inject others
// (a disk that fills up).
type File interface {
	io.Writer
	io.WriterAt
	io.Seeker
	Truncate(size int64) error
	Sync() error
	Close() error
}

// maxDataBytes is the most sample bytes a WAV's 32-bit sizes can describe.
const maxDataBytes = math.MaxUint32 - (canonicalHeaderLen - 8)

// ErrTooLong: a Writer refuses samples past the 4 GiB a WAV can hold
// (18 hours of 16 kHz stereo).
var ErrTooLong = errors.New("the WAV file has reached the 4 GiB a WAV can hold: start a new recording")

// Writer writes 16-bit PCM WAV files that stay playable if the process dies:
// Sync brings the header's sizes up to date and flushes to disk, so a kill
// loses only what was written after the last Sync. It is not safe for
// concurrent use.
//
// The header is written by go-audio/wav's Encoder. The samples are converted
// and written by the Writer itself: the Encoder converts one sample at a time
// through binary.Write (74 ns and a heap allocation per sample, measured),
// and its Close, which rewrites the sizes by seeking, cannot be repeated
// (each call moves its byte count on), so it cannot serve as a periodic
// header update. Sync instead rewrites the two size fields in place with
// WriteAt.
type Writer struct {
	f        File
	path     string
	rate     int
	channels int
	frames   int64 // whole frames on disk
	synced   int64 // frames the header describes
	buf      []byte
	err      error // sticky: after a failed write the Writer only closes
	closed   bool
}

// Create creates a new WAV file at path (mode 0600; it must not exist) for
// 16-bit PCM audio at rate Hz with 1 or 2 channels, and writes its header.
func Create(path string, rate, channels int) (*Writer, error) {
	if err := checkWriterFormat(rate, channels); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("%s already exists: choose another file name or remove it first: %w", path, err)
		}
		return nil, fmt.Errorf("cannot create %s (check that its folder exists and you may write there): %w", path, err)
	}
	w, err := NewWriter(f, rate, channels)
	if err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	w.path = path
	return w, nil
}

func checkWriterFormat(rate, channels int) error {
	if channels != 1 && channels != 2 {
		return fmt.Errorf("a WAV writer takes 1 or 2 channels, not %d", channels)
	}
	if rate < MinRate || rate > MaxRate {
		return fmt.Errorf("a WAV writer takes %d to %d Hz, not %d", MinRate, MaxRate, rate)
	}
	return nil
}

// NewWriter empties f, writes a 16-bit PCM WAV header to it and returns a
// Writer for its samples. The Writer closes f on Close.
func NewWriter(f File, rate, channels int) (*Writer, error) {
	if err := checkWriterFormat(rate, channels); err != nil {
		return nil, err
	}
	w := &Writer{f: f, rate: rate, channels: channels}
	if err := f.Truncate(0); err != nil {
		return nil, fmt.Errorf("cannot empty the file for the WAV: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("cannot empty the file for the WAV: %w", err)
	}
	if err := writeHeader(f, rate, 16, channels, fmtPCM); err != nil {
		return nil, w.fail(fmt.Errorf("cannot write the WAV header: %w", err))
	}
	return w, w.Sync()
}

// writeHeader writes the canonical 44-byte header through go-audio/wav's
// Encoder: a write of zero frames emits the RIFF, fmt and data headers with
// placeholder sizes, which Sync then sets.
func writeHeader(f io.WriteSeeker, rate, bits, channels, format int) error {
	enc := wav.NewEncoder(f, rate, bits, channels, format)
	return enc.Write(&goaudio.IntBuffer{
		Format:         &goaudio.Format{NumChannels: channels, SampleRate: rate},
		SourceBitDepth: bits,
	})
}

// Rate returns the sample rate in Hz.
func (w *Writer) Rate() int { return w.rate }

// Channels returns the number of channels.
func (w *Writer) Channels() int { return w.channels }

// Frames returns how many frames have been written.
func (w *Writer) Frames() int64 { return w.frames }

// Duration returns how much audio has been written.
func (w *Writer) Duration() time.Duration {
	return time.Duration(w.frames) * time.Second / time.Duration(w.rate)
}

// Path returns the file's path ("" for a Writer made by NewWriter).
func (w *Writer) Path() string { return w.path }

// WriteFrames appends interleaved float32 frames (len a multiple of the
// channel count). Samples are clipped to [-1, 1] and rounded to 16 bits; NaN
// becomes 0. On a write error (a full disk) the file is cut back to the last
// whole frame, its header made valid and synced, and every later call
// returns the same error.
func (w *Writer) WriteFrames(interleaved []float32) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errors.New("write to a closed WAV writer")
	}
	if len(interleaved)%w.channels != 0 {
		return fmt.Errorf("write of %d samples is not a whole number of %d-channel frames", len(interleaved), w.channels)
	}
	const chunk = 8192 // samples per write
	for len(interleaved) > 0 {
		n := min(len(interleaved), chunk)
		if err := w.write(interleaved[:n]); err != nil {
			return err
		}
		interleaved = interleaved[n:]
	}
	return nil
}

func (w *Writer) write(s []float32) error {
	nb := int64(len(s)) * 2
	if (w.frames*int64(w.channels))*2+nb > maxDataBytes {
		return ErrTooLong
	}
	if cap(w.buf) < int(nb) {
		w.buf = make([]byte, nb)
	}
	b := w.buf[:nb]
	encode16(b, s)
	n, err := w.f.Write(b)
	if err == nil && n < len(b) {
		err = io.ErrShortWrite
	}
	w.frames += int64(n / (2 * w.channels))
	if err != nil {
		return w.fail(err)
	}
	return nil
}

// encode16 converts float samples to 16-bit little-endian PCM.
func encode16(dst []byte, src []float32) {
	for i, v := range src {
		var q int16
		switch {
		case v >= 1:
			q = math.MaxInt16
		case v <= -1:
			q = math.MinInt16
		case v == v: // not NaN
			x := v * 32768
			if x >= 0 {
				x += 0.5
			} else {
				x -= 0.5
			}
			q = int16(min(x, math.MaxInt16))
		}
		binary.LittleEndian.PutUint16(dst[2*i:], uint16(q))
	}
}

// fail makes err sticky and leaves a valid file of the whole frames written.
func (w *Writer) fail(err error) error {
	// Drop a partial frame, then describe what is there. Both only rewrite
	// or free blocks already allocated, so they work on a full disk.
	w.f.Truncate(canonicalHeaderLen + w.frames*int64(w.channels)*2)
	if w.syncHeader() == nil && w.f.Sync() == nil {
		w.synced = w.frames
	}
	name := "the recording"
	if w.path != "" {
		name = filepath.Base(w.path)
	}
	if isDiskFull(err) {
		w.err = fmt.Errorf("the disk is full: %s stopped after %s, which are saved; free some space before recording again: %w",
			name, secs(w.Duration()), err)
	} else {
		w.err = fmt.Errorf("cannot write %s (stopped after %s, which are saved): %w", name, secs(w.Duration()), err)
	}
	return w.err
}

// Sync brings the header's sizes up to date with the frames written and
// flushes the file to disk. Call it at least every second while recording.
func (w *Writer) Sync() error {
	if w.err != nil {
		return w.err
	}
	if err := w.syncHeader(); err != nil {
		return fmt.Errorf("cannot update the WAV header: %w", err)
	}
	if err := w.f.Sync(); err != nil {
		if isDiskFull(err) { // some file systems find out only now
			return w.fail(err)
		}
		return fmt.Errorf("cannot flush the WAV file to disk: %w", err)
	}
	w.synced = w.frames
	return nil
}

func (w *Writer) syncHeader() error {
	return putSizes(w.f, w.frames*int64(w.channels)*2)
}

// putSizes writes the RIFF and data sizes of a canonical header for
// dataBytes bytes of samples.
func putSizes(f io.WriterAt, dataBytes int64) error {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], uint32(dataBytes+canonicalHeaderLen-8))
	if _, err := f.WriteAt(b[:], 4); err != nil {
		return err
	}
	binary.LittleEndian.PutUint32(b[:], uint32(dataBytes))
	_, err := f.WriteAt(b[:], canonicalHeaderLen-4)
	return err
}

// Close syncs and closes the file. After a write error it closes the file
// (already made valid) and returns that error.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	serr := w.Sync()
	cerr := w.f.Close()
	if serr != nil {
		return serr
	}
	if cerr != nil {
		return fmt.Errorf("cannot close the WAV file: %w", cerr)
	}
	return nil
}

func isDiskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}
