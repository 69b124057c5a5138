package ui

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"callcoach/analysis"
	"callcoach/audio"
)

func TestLoadEnvelope(t *testing.T) {
	segs, dur := sampleSegments()
	path := filepath.Join(t.TempDir(), "call.wav")
	writeCallWAV(t, path, segs, dur)
	env, err := LoadEnvelope(path)
	if err != nil {
		t.Fatal(err)
	}
	if env.Channels != 2 || env.Rate != testRate {
		t.Fatalf("got %d channels at %d Hz, want 2 at %d", env.Channels, env.Rate, testRate)
	}
	if env.Duration != dur {
		t.Errorf("duration: got %v, want %v", env.Duration, dur)
	}
	if got, want := env.Buckets(), int(dur/EnvelopeBucket); got != want {
		t.Errorf("buckets: got %d, want %d", got, want)
	}
	tests := []struct {
		name       string
		ch         int
		from, to   float64
		wantHi     float32 // peak expected (tone amplitude or 0)
		tolerance  float32
		wantSilent bool
	}{
		{"rep speaks 1-2 s", 0, 1, 2, 0.5, 0.01, false},
		{"customer silent 1-2 s", 1, 1, 2, 0, 0, true},
		{"customer speaks 6-7 s", 1, 6, 7, 0.25, 0.01, false},
		{"both silent 15-18 s (rep)", 0, 15, 18, 0, 0, true},
		{"both silent 15-18 s (customer)", 1, 15, 18, 0, 0, true},
	}
	for _, tt := range tests {
		lo, hi := env.Peak(tt.ch, time.Duration(tt.from*float64(time.Second)), time.Duration(tt.to*float64(time.Second)))
		if tt.wantSilent {
			if hi > 0.001 || lo < -0.001 {
				t.Errorf("%s: got peak %v..%v, want silence", tt.name, lo, hi)
			}
			continue
		}
		if math.Abs(float64(hi-tt.wantHi)) > float64(tt.tolerance) || math.Abs(float64(lo+tt.wantHi)) > float64(tt.tolerance) {
			t.Errorf("%s: got peak %v..%v, want ±%v", tt.name, lo, hi, tt.wantHi)
		}
	}
	if lo, hi := env.Peak(5, 0, time.Second); lo != 0 || hi != 0 {
		t.Errorf("a channel the file lacks: got %v..%v, want 0", lo, hi)
	}
}

// TestLoadEnvelopeCutShort reads a file whose header was never finished
// (data size 0, as after a crash): the samples on disk still count.
func TestLoadEnvelopeCutShort(t *testing.T) {
	segs, dur := sampleSegments()
	path := filepath.Join(t.TempDir(), "call.wav")
	writeCallWAV(t, path, segs, dur)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	var zero [4]byte
	if _, err := f.WriteAt(zero[:], 40); err != nil { // the data chunk's size
		t.Fatal(err)
	}
	f.Close()
	env, err := LoadEnvelope(path)
	if err != nil {
		t.Fatal(err)
	}
	if env.Duration != dur {
		t.Errorf("duration: got %v, want %v", env.Duration, dur)
	}
}

func TestLoadEnvelopeErrors(t *testing.T) {
	dir := t.TempDir()
	notWAV := filepath.Join(dir, "x.wav")
	os.WriteFile(notWAV, []byte("hello, this is not a wav file at all"), 0o600)
	if _, err := LoadEnvelope(notWAV); err == nil {
		t.Error("a text file gave no error")
	}
	if _, err := LoadEnvelope(filepath.Join(dir, "missing.wav")); err == nil {
		t.Error("a missing file gave no error")
	}
}

// TestLoadEnvelopeFloatMono reads a 32-bit float mono file.
func TestLoadEnvelopeFloatMono(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.wav")
	n := 8000
	b := make([]byte, 44+4*n)
	copy(b, "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+4*n))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 3) // IEEE float
	binary.LittleEndian.PutUint16(b[22:], 1)
	binary.LittleEndian.PutUint32(b[24:], 8000)
	binary.LittleEndian.PutUint32(b[28:], 8000*4)
	binary.LittleEndian.PutUint16(b[32:], 4)
	binary.LittleEndian.PutUint16(b[34:], 32)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(4*n))
	for i := range n {
		v := float32(0.1)
		if i == n/2 {
			v = 0.9
		}
		binary.LittleEndian.PutUint32(b[44+4*i:], math.Float32bits(v))
	}
	os.WriteFile(path, b, 0o600)
	env, err := LoadEnvelope(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, hi := env.Peak(0, 0, time.Second); hi != 0.9 {
		t.Errorf("peak: got %v, want 0.9", hi)
	}
	if lo, _ := env.Peak(0, 0, 100*time.Millisecond); lo != 0.1 {
		t.Errorf("min of the first 100 ms: got %v, want 0.1", lo)
	}
}

// hourCall writes (once per test binary run) a 1-hour stereo call to dir.
func hourCall(tb testing.TB, dir string) (string, *analysis.Result) {
	tb.Helper()
	var segs []analysis.Segment
	for s := 0.0; s < 3600-20; s += 20 {
		segs = append(segs, seg(analysis.Rep, s, s+9), seg(analysis.Customer, s+8.3, s+18))
	}
	path := filepath.Join(dir, "hour.wav")
	writeCallWAV(tb, path, segs, time.Hour)
	r := analysis.Measure(segs, analysis.TwoParty, time.Hour, analysis.DefaultConfig())
	return path, &r
}

func BenchmarkLoadEnvelopeHour(b *testing.B) {
	path, _ := hourCall(b, b.TempDir())
	b.ResetTimer()
	cpu := processCPU()
	for range b.N {
		if _, err := LoadEnvelope(path); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64((processCPU()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

func TestEnvelopeCache(t *testing.T) {
	segs, dur := sampleSegments()
	dir := t.TempDir()
	path := filepath.Join(dir, "call.wav")
	writeCallWAV(t, path, segs, dur)
	cache := filepath.Join(dir, "cache")
	first, cached, err := LoadEnvelopeCached(path, cache)
	if err != nil || cached {
		t.Fatalf("first load: cached %v, err %v", cached, err)
	}
	second, cached, err := LoadEnvelopeCached(path, cache)
	if err != nil || !cached {
		t.Fatalf("second load: cached %v, err %v", cached, err)
	}
	if second.Buckets() != first.Buckets() || second.Duration != first.Duration || second.Rate != first.Rate {
		t.Fatalf("cached envelope: %d buckets %v, want %d %v", second.Buckets(), second.Duration, first.Buckets(), first.Duration)
	}
	for c := range first.Channels {
		for i := range first.Max[c] {
			if d := math.Abs(float64(first.Max[c][i] - second.Max[c][i])); d > 1.0/32000 {
				t.Fatalf("channel %d bucket %d: cached max %v, want %v", c, i, second.Max[c][i], first.Max[c][i])
			}
		}
	}
	entries, _ := os.ReadDir(cache)
	if len(entries) != 1 {
		t.Fatalf("cache holds %d entries, want 1", len(entries))
	}
	if info, _ := entries[0].Info(); info.Mode().Perm() != 0o600 {
		t.Errorf("cache entry mode %v, want 0600", info.Mode().Perm())
	}
	// A changed file is read afresh.
	st, _ := os.Stat(path)
	orig := st.ModTime()
	later := time.Now().Add(time.Hour)
	os.Chtimes(path, later, later)
	if _, cached, _ := LoadEnvelopeCached(path, cache); cached {
		t.Error("a modified file was served from the cache")
	}
	// A damaged entry is ignored.
	for _, e := range entries {
		os.WriteFile(filepath.Join(cache, e.Name()), []byte("CCENV001 garbage"), 0o600)
	}
	os.Chtimes(path, orig, orig)
	env, cached, err := LoadEnvelopeCached(path, cache)
	if err != nil || cached || env.Buckets() != first.Buckets() {
		t.Errorf("with a damaged entry: cached %v, err %v", cached, err)
	}
}

// TestLoadEnvelopeFormats: in every encoding the analysis reads (the
// G.711 telephone codes and 64-bit float included), and with the file split
// between two workers, each bucket holds the smallest and largest of the
// samples the audio package decodes for it; a partial last frame is left
// out as the analysis leaves it.
func TestLoadEnvelopeFormats(t *testing.T) {
	const rate, secs = 8000, 25 // 2,500 buckets: two workers
	for _, c := range []struct {
		name         string
		format, bits int
		channels     int
	}{
		{"s16 stereo", 1, 16, 2}, {"s16 mono", 1, 16, 1}, {"u8 stereo", 1, 8, 2}, {"s24 mono", 1, 24, 1},
		{"s32 stereo", 1, 32, 2}, {"f32 stereo", 3, 32, 2}, {"f64 stereo", 3, 64, 2}, {"f64 mono", 3, 64, 1},
		{"A-law stereo", 6, 8, 2}, {"µ-law mono", 7, 8, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			bps := c.bits / 8
			n := rate * secs * c.channels
			data := make([]byte, n*bps)
			for i := range n {
				v := 0.9 * math.Sin(float64(i)*0.0123) * math.Sin(float64(i)/9001)
				s := data[i*bps:]
				switch {
				case c.format == 6 || c.format == 7:
					s[0] = byte(i*37 + i/1000)
				case c.format == 3 && c.bits == 32:
					binary.LittleEndian.PutUint32(s, math.Float32bits(float32(v)))
				case c.format == 3:
					binary.LittleEndian.PutUint64(s, math.Float64bits(v))
				case c.bits == 8:
					s[0] = byte(int(v*127) + 128)
				case c.bits == 16:
					binary.LittleEndian.PutUint16(s, uint16(int16(v*32767)))
				case c.bits == 24:
					x := int32(v * 8388607)
					s[0], s[1], s[2] = byte(x), byte(x>>8), byte(x>>16)
				default:
					binary.LittleEndian.PutUint32(s, uint32(int32(v*2147483647)))
				}
			}
			align := c.channels * bps
			data = append(data, bytes.Repeat([]byte{0x7f}, align-1)...) // a partial last frame
			b := []byte("RIFF\x00\x00\x00\x00WAVEfmt \x10\x00\x00\x00")
			b = binary.LittleEndian.AppendUint16(b, uint16(c.format))
			b = binary.LittleEndian.AppendUint16(b, uint16(c.channels))
			b = binary.LittleEndian.AppendUint32(b, rate)
			b = binary.LittleEndian.AppendUint32(b, uint32(rate*align))
			b = binary.LittleEndian.AppendUint16(b, uint16(align))
			b = binary.LittleEndian.AppendUint16(b, uint16(c.bits))
			b = append(b, "data"...)
			b = binary.LittleEndian.AppendUint32(b, 0) // never finished, as after a crash
			b = append(b, data...)
			path := filepath.Join(t.TempDir(), "f.wav")
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
			env, err := LoadEnvelope(path)
			if err != nil {
				t.Fatal(err)
			}
			r, err := audio.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			samples := make([]float32, rate*secs*c.channels+100)
			k, err := r.ReadFrames(samples)
			if err != nil || k != rate*secs {
				t.Fatalf("ReadFrames: %d frames, %v; want %d", k, err, rate*secs)
			}
			per := rate * int(EnvelopeBucket) / int(time.Second)
			if env.Buckets() != k/per || env.Channels != c.channels {
				t.Fatalf("%d buckets of %d channels, want %d of %d", env.Buckets(), env.Channels, k/per, c.channels)
			}
			for ch := range c.channels {
				for i := range env.Buckets() {
					lo, hi := float32(2), float32(-2)
					for f := i * per; f < (i+1)*per; f++ {
						v := samples[f*c.channels+ch]
						lo, hi = min(lo, v), max(hi, v)
					}
					if math.Abs(float64(env.Min[ch][i]-lo)) > 1e-9 || math.Abs(float64(env.Max[ch][i]-hi)) > 1e-9 {
						t.Fatalf("channel %d bucket %d: %v..%v, want %v..%v", ch, i, env.Min[ch][i], env.Max[ch][i], lo, hi)
					}
				}
			}
		})
	}
}
