package ui

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"callcoach/audio"
)

// envWAV builds a WAV byte by byte: format 1 PCM, 3 float, 6 A-law, 7
// µ-law; extensible wraps it in WAVE_FORMAT_EXTENSIBLE; dataSize < 0 means
// the true size (0 and too-large sizes are what a crashed recorder leaves).
func envWAV(format uint16, extensible bool, ch, rate, bits int, data []byte, dataSize int64, junk bool) []byte {
	le := binary.LittleEndian
	align := ch * bits / 8
	var f []byte
	if extensible {
		f = le.AppendUint16(f, 0xFFFE)
	} else {
		f = le.AppendUint16(f, format)
	}
	f = le.AppendUint16(f, uint16(ch))
	f = le.AppendUint32(f, uint32(rate))
	f = le.AppendUint32(f, uint32(rate*align))
	f = le.AppendUint16(f, uint16(align))
	f = le.AppendUint16(f, uint16(bits))
	if extensible {
		f = le.AppendUint16(f, 22)
		f = le.AppendUint16(f, uint16(bits))
		f = le.AppendUint32(f, uint32(1<<ch-1))
		f = le.AppendUint16(f, format)
		f = append(f, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71)
	}
	b := []byte("RIFF\x00\x00\x00\x00WAVE")
	if junk {
		b = append(b, "JUNK\x04\x00\x00\x00abcd"...)
	}
	b = append(b, "fmt "...)
	b = le.AppendUint32(b, uint32(len(f)))
	b = append(b, f...)
	b = append(b, "data"...)
	if dataSize < 0 {
		dataSize = int64(len(data))
	}
	b = le.AppendUint32(b, uint32(dataSize))
	b = append(b, data...)
	le.PutUint32(b[4:], uint32(len(b)-8))
	return b
}

// encodeSample writes v in [-1, 1] in the given format.
func encodeSample(b []byte, format uint16, bits int, v float64) []byte {
	le := binary.LittleEndian
	switch {
	case format == 3 && bits == 32:
		return le.AppendUint32(b, math.Float32bits(float32(v)))
	case format == 3 && bits == 64:
		return le.AppendUint64(b, math.Float64bits(v))
	case format == 6 || format == 7:
		// Any byte is a valid A-law / µ-law code: spread them with v.
		return append(b, byte(int((v+1)*127.5)))
	case bits == 8:
		return append(b, byte(int(v*127)+128))
	case bits == 16:
		return le.AppendUint16(b, uint16(int16(v*32767)))
	case bits == 24:
		s := int32(v * 8388607)
		return append(b, byte(s), byte(s>>8), byte(s>>16))
	default:
		return le.AppendUint32(b, uint32(int32(v*2147483647)))
	}
}

// referenceEnvelope computes each bucket's min and max with the audio
// package's Reader, frame by frame: what the envelope must show.
func referenceEnvelope(t *testing.T, path string) (lo, hi [][]float32) {
	t.Helper()
	r, err := audio.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ch := r.Channels()
	per := max(r.Rate()*int(EnvelopeBucket/time.Millisecond)/1000, 1)
	lo, hi = make([][]float32, ch), make([][]float32, ch)
	frame := make([]float32, ch)
	for i := 0; ; i++ {
		if _, err := r.ReadFrames(frame); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		for c, v := range frame {
			if i%per == 0 {
				lo[c], hi[c] = append(lo[c], v), append(hi[c], v)
			}
			k := len(lo[c]) - 1
			lo[c][k], hi[c][k] = min(lo[c][k], v), max(hi[c][k], v)
		}
	}
	return lo, hi
}

// TestEnvelopeEveryFormat: every format the analysis reads gets a waveform,
// bucket for bucket the minimum and maximum the audio package decodes.
func TestEnvelopeEveryFormat(t *testing.T) {
	type format struct {
		name string
		tag  uint16
		bits int
		ext  bool
	}
	formats := []format{
		{"u8", 1, 8, false}, {"s16", 1, 16, false}, {"s24", 1, 24, false}, {"s32", 1, 32, false},
		{"f32", 3, 32, false}, {"f64", 3, 64, false}, {"alaw", 6, 8, false}, {"ulaw", 7, 8, false},
		{"s16-extensible", 1, 16, true}, {"s24-extensible", 1, 24, true}, {"f32-extensible", 3, 32, true},
		{"f64-extensible", 3, 64, true}, {"ulaw-extensible", 7, 8, true},
	}
	dir := t.TempDir()
	var paths []string
	const rate, frames = 8000, 8000 * 3 / 4 // 0.75 s: 75 buckets
	for _, f := range formats {
		for _, ch := range []int{1, 2} {
			for _, odd := range []string{"", "-size0", "-sizeTooBig"} {
				var data []byte
				for i := range frames {
					for c := range ch {
						// A different tone per channel, louder in the middle.
						v := 0.8 * math.Sin(float64(i)*(0.03+0.02*float64(c))) * (0.2 + 0.8*float64(i)/frames)
						data = encodeSample(data, f.tag, f.bits, v)
					}
				}
				size := int64(-1)
				switch odd {
				case "-size0":
					size = 0
				case "-sizeTooBig":
					size = int64(len(data)) * 3
				}
				p := filepath.Join(dir, fmt.Sprintf("%s-%dch%s.wav", f.name, ch, odd))
				if err := os.WriteFile(p, envWAV(f.tag, f.ext, ch, rate, f.bits, data, size, odd != ""), 0o600); err != nil {
					t.Fatal(err)
				}
				paths = append(paths, p)
			}
		}
	}
	// Files written by another program (sox): every encoding, stereo, 48 kHz.
	sox, _ := filepath.Glob(filepath.Join("..", "audio", "testdata", "sox-*.wav"))
	if len(sox) < 8 {
		t.Fatalf("found %d sox test files, want 8", len(sox))
	}
	paths = append(paths, sox...)
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			env, err := LoadEnvelope(p)
			if err != nil {
				t.Fatalf("no waveform: %v", err)
			}
			lo, hi := referenceEnvelope(t, p)
			if env.Channels != len(lo) || env.Buckets() != len(lo[0]) {
				t.Fatalf("got %d channels × %d buckets, want %d × %d", env.Channels, env.Buckets(), len(lo), len(lo[0]))
			}
			loud := false
			for c := range lo {
				for b := range lo[c] {
					// Fixed point at 2^-30: exact for integer formats, within
					// 1e-9 for float.
					if d := max(math.Abs(float64(env.Min[c][b]-lo[c][b])), math.Abs(float64(env.Max[c][b]-hi[c][b]))); d > 1e-8 {
						t.Fatalf("channel %d bucket %d: got %v..%v, want %v..%v", c, b, env.Min[c][b], env.Max[c][b], lo[c][b], hi[c][b])
					}
					loud = loud || hi[c][b]-lo[c][b] > 0.2
				}
			}
			if !loud {
				t.Error("the waveform is flat: the test file is not what it should be")
			}
		})
	}
}
