package audio

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Cut copies the audio of src from from to to (all channels, the samples
// exactly as stored, in src's format) into a new WAV file dst, mode 0600;
// dst must not exist. Times are rounded to the nearest frame and a range
// reaching past the end stops at the end.
func Cut(src string, from, to time.Duration, dst string) (err error) {
	r, err := Open(src)
	if err != nil {
		return err
	}
	defer r.Close()
	l := r.l
	frame := func(d time.Duration) int64 {
		f := (int64(d)*int64(l.rate) + int64(time.Second)/2) / int64(time.Second)
		return min(max(f, 0), l.frames())
	}
	a, b := frame(from), frame(to)
	if a >= b {
		return fmt.Errorf("cannot cut %s from %s to %s: the call is %s long: choose a range inside it",
			filepath.Base(src), secs(from), secs(to), secs(l.dur(l.frames())))
	}
	f, err := os.OpenFile(dst, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("%s already exists: choose another file name or remove it first: %w", dst, err)
		}
		return fmt.Errorf("cannot create %s: %w", dst, err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("cannot close %s: %w", dst, cerr)
		}
		if err != nil {
			os.Remove(dst)
		}
	}()
	if err := writeHeader(f, l.rate, l.bits, l.channels, int(l.format)); err != nil {
		return fmt.Errorf("cannot write %s: %w", dst, err)
	}
	n := (b - a) * int64(l.blockAlign)
	sec := io.NewSectionReader(r.f, l.dataOff+a*int64(l.blockAlign), n)
	if m, err := io.Copy(f, sec); err != nil || m != n {
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return fmt.Errorf("cannot copy the clip into %s: %w", dst, err)
	}
	riff := n + canonicalHeaderLen - 8
	if n%2 == 1 { // RIFF chunks are word-aligned
		if _, err := f.Write([]byte{0}); err != nil {
			return fmt.Errorf("cannot write %s: %w", dst, err)
		}
		riff++
	}
	if err := putSizes(f, n); err != nil {
		return fmt.Errorf("cannot write %s: %w", dst, err)
	}
	if n%2 == 1 {
		if err := putUint32(f, 4, uint32(riff)); err != nil {
			return fmt.Errorf("cannot write %s: %w", dst, err)
		}
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("cannot write %s: %w", dst, err)
	}
	return nil
}
