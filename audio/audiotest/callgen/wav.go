package callgen

import (
	"errors"
	"fmt"
	"math"
	"os"

	"github.com/go-audio/audio"
	"github.com/go-audio/wav"
)

// Format is a WAV sample format the generator writes.
type Format uint8

const (
	Int16   Format = iota // 16-bit PCM
	Int24                 // 24-bit PCM
	Float32               // 32-bit IEEE float (WAVE_FORMAT_IEEE_FLOAT)
)

func (f Format) String() string {
	switch f {
	case Int16:
		return "int16"
	case Int24:
		return "int24"
	case Float32:
		return "float32"
	}
	return fmt.Sprintf("format(%d)", f)
}

// WriteStereoWAV writes rep (left) and cust (right) as a 16-bit stereo WAV.
func WriteStereoWAV(path string, rate int, rep, cust []float32) error {
	return WriteWAV(path, rate, Int16, rep, cust)
}

// WriteWAV writes one or more equal-length channels (interleaved in the
// order given) to path (0600) in format f.
func WriteWAV(path string, rate int, f Format, chans ...[]float32) (err error) {
	if len(chans) == 0 {
		return errors.New("write wav: no channels")
	}
	n := len(chans[0])
	for _, c := range chans {
		if len(c) != n {
			return fmt.Errorf("write wav %s: channel lengths differ (%d and %d)", path, n, len(c))
		}
	}
	bits, wavFmt := 16, 1
	switch f {
	case Int24:
		bits = 24
	case Float32:
		bits, wavFmt = 32, 3
	}
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("write wav: %w", err)
	}
	defer func() {
		if cerr := fh.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write wav %s: %w", path, cerr)
		}
	}()
	enc := wav.NewEncoder(fh, rate, bits, len(chans), wavFmt)
	buf := &audio.IntBuffer{
		Format:         &audio.Format{NumChannels: len(chans), SampleRate: rate},
		SourceBitDepth: bits,
	}
	const block = 8192
	buf.Data = make([]int, 0, block*len(chans))
	for i := 0; i < n; i += block {
		buf.Data = buf.Data[:0]
		for j := i; j < min(i+block, n); j++ {
			for _, c := range chans {
				buf.Data = append(buf.Data, encodeSample(c[j], f))
			}
		}
		if err := enc.Write(buf); err != nil {
			return fmt.Errorf("write wav %s: %w", path, err)
		}
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("write wav %s: %w", path, err)
	}
	return nil
}

// encodeSample turns v in [-1, 1] into the integer the encoder writes:
// the PCM value, or for float the IEEE bits (the encoder writes them as a
// 32-bit integer, byte for byte).
func encodeSample(v float32, f Format) int {
	v = max(-1, min(1, v))
	switch f {
	case Int24:
		return int(math.Round(float64(v) * 8388607))
	case Float32:
		return int(int32(math.Float32bits(v)))
	}
	return int(math.Round(float64(v) * 32767))
}
