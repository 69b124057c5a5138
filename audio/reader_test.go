package audio

import (
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// wavSpec describes a WAV file built byte by byte, so every layout is exact.
type wavSpec struct {
	format     uint16 // 1 PCM, 3 float, 6 A-law, 7 µ-law
	extensible bool
	channels   int
	rate       int
	bits       int
	data       []byte // sample bytes
	dataSize   int64  // -1: len(data)
	first      []byte // whole chunks before fmt (e.g. JUNK, bext)
	before     []byte // whole chunks between fmt and data (e.g. LIST)
	after      []byte // whole chunks after data
}

func (s wavSpec) bytes() []byte {
	le := binary.LittleEndian
	align := s.channels * s.bits / 8
	var fmtc []byte
	fmtc = le.AppendUint16(fmtc, s.format)
	if s.extensible {
		fmtc = le.AppendUint16(fmtc[:0], fmtExtensible)
	}
	fmtc = le.AppendUint16(fmtc, uint16(s.channels))
	fmtc = le.AppendUint32(fmtc, uint32(s.rate))
	fmtc = le.AppendUint32(fmtc, uint32(s.rate*align))
	fmtc = le.AppendUint16(fmtc, uint16(align))
	fmtc = le.AppendUint16(fmtc, uint16(s.bits))
	if s.extensible {
		fmtc = le.AppendUint16(fmtc, 22)
		fmtc = le.AppendUint16(fmtc, uint16(s.bits)) // valid bits
		fmtc = le.AppendUint32(fmtc, 3)              // front left, front right
		fmtc = le.AppendUint16(fmtc, s.format)
		fmtc = append(fmtc, subtypeTail[:]...)
	}
	size := int64(len(s.data))
	if s.dataSize >= 0 {
		size = s.dataSize
	}
	var b []byte
	b = append(b, "RIFF\x00\x00\x00\x00WAVE"...)
	b = append(b, s.first...)
	b = append(b, "fmt "...)
	b = le.AppendUint32(b, uint32(len(fmtc)))
	b = append(b, fmtc...)
	b = append(b, s.before...)
	b = append(b, "data"...)
	b = le.AppendUint32(b, uint32(size))
	b = append(b, s.data...)
	if len(s.data)%2 == 1 && len(s.after) > 0 {
		b = append(b, 0)
	}
	b = append(b, s.after...)
	le.PutUint32(b[4:], uint32(len(b)-8))
	return b
}

func chunk(id string, body []byte) []byte {
	b := append([]byte(id), binary.LittleEndian.AppendUint32(nil, uint32(len(body)))...)
	b = append(b, body...)
	if len(body)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

// sine returns frames of a stereo (or mono) test signal: left a 440 Hz sine
// at 0.5, right a 1 kHz sine at -0.25 amplitude.
func sine(frames, channels, rate int) []float64 {
	s := make([]float64, frames*channels)
	for i := range frames {
		t := float64(i) / float64(rate)
		s[i*channels] = 0.5 * math.Sin(2*math.Pi*440*t)
		if channels == 2 {
			s[i*channels+1] = -0.25 * math.Sin(2*math.Pi*1000*t)
		}
	}
	return s
}

// encode stores samples in the given encoding; it returns the bytes and the
// largest expected decoding error.
func encode(s []float64, format uint16, bits int) ([]byte, float64) {
	le := binary.LittleEndian
	var b []byte
	for _, v := range s {
		switch {
		case format == fmtFloat && bits == 32:
			b = le.AppendUint32(b, math.Float32bits(float32(v)))
		case format == fmtFloat && bits == 64:
			b = le.AppendUint64(b, math.Float64bits(v))
		case bits == 8:
			b = append(b, byte(int(math.Round(v*127))+128))
		case bits == 16:
			b = le.AppendUint16(b, uint16(int16(math.Round(v*32767))))
		case bits == 24:
			x := int32(math.Round(v * 8388607))
			b = append(b, byte(x), byte(x>>8), byte(x>>16))
		case bits == 32:
			b = le.AppendUint32(b, uint32(int32(math.Round(v*2147483647))))
		}
	}
	tol := map[int]float64{8: 1.0 / 100, 16: 1.0 / 30000, 24: 1e-6, 32: 1e-6, 64: 1e-7}[bits]
	return b, tol
}

func writeFile(t testing.TB, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// readAll reads a whole Reader in small uneven pieces.
func readAll(t *testing.T, r *Reader) []float32 {
	t.Helper()
	var out []float32
	buf := make([]float32, 333*r.Channels())
	for {
		n, err := r.ReadFrames(buf)
		out = append(out, buf[:n*r.Channels()]...)
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestReaderFormats(t *testing.T) {
	const frames = 4001 // odd: 24-bit mono gets a pad byte
	for _, c := range []struct {
		name       string
		format     uint16
		bits       int
		extensible bool
		rate       int
	}{
		{"u8", fmtPCM, 8, false, 8000},
		{"s16", fmtPCM, 16, false, 16000},
		{"s24", fmtPCM, 24, false, 44100},
		{"s32", fmtPCM, 32, false, 48000},
		{"f32", fmtFloat, 32, false, 22050},
		{"f64", fmtFloat, 64, false, 16000},
		{"ext-s16", fmtPCM, 16, true, 16000},
		{"ext-s24", fmtPCM, 24, true, 48000},
		{"ext-f32", fmtFloat, 32, true, 32000},
		{"s16-192k", fmtPCM, 16, false, 192000},
	} {
		for _, ch := range []int{1, 2} {
			in := sine(frames, ch, c.rate)
			data, tol := encode(in, c.format, c.bits)
			spec := wavSpec{format: c.format, extensible: c.extensible, channels: ch, rate: c.rate, bits: c.bits, data: data, dataSize: -1,
				before: chunk("LIST", []byte("INFOISFT\x05\x00\x00\x00test\x00")), after: chunk("junk", []byte("abc"))}
			path := writeFile(t, c.name+".wav", spec.bytes())
			r, err := Open(path)
			if err != nil {
				t.Fatalf("%s/%dch: %v", c.name, ch, err)
			}
			info := r.Info()
			want := Info{Rate: c.rate, Channels: ch, BitDepth: c.bits, Encoding: map[uint16]Encoding{1: PCMInt, 3: PCMFloat}[c.format],
				Extensible: c.extensible, Frames: frames, Duration: time.Duration(frames) * time.Second / time.Duration(c.rate)}
			if info.Rate != want.Rate || info.Channels != want.Channels || info.BitDepth != want.BitDepth || info.Encoding != want.Encoding ||
				info.Extensible != want.Extensible || info.Frames != want.Frames || info.Duration != want.Duration || len(info.Notes) != 0 {
				t.Errorf("%s/%dch: Info() = %+v, want %+v", c.name, ch, info, want)
			}
			got := readAll(t, r)
			r.Close()
			if len(got) != len(in) {
				t.Fatalf("%s/%dch: read %d samples, want %d", c.name, ch, len(got), len(in))
			}
			for i := range in {
				if d := math.Abs(float64(got[i]) - in[i]); d > tol {
					t.Fatalf("%s/%dch: sample %d = %v, want %v (±%g)", c.name, ch, i, got[i], in[i], tol)
				}
			}
		}
	}
}

func TestReaderG711(t *testing.T) {
	// Known code points (ITU-T G.711): µ-law 0xFF and A-law 0xD5 are zero,
	// µ-law 0x80 is +32124, A-law 0xAA is +32256.
	for _, c := range []struct {
		format uint16
		code   byte
		want   float32
	}{
		{fmtMuLaw, 0xFF, 0}, {fmtMuLaw, 0x80, 32124.0 / 32768}, {fmtMuLaw, 0x00, -32124.0 / 32768},
		{fmtALaw, 0xD5, 8.0 / 32768}, {fmtALaw, 0xAA, 32256.0 / 32768}, {fmtALaw, 0x2A, -32256.0 / 32768},
	} {
		path := writeFile(t, "g711.wav", wavSpec{format: c.format, channels: 1, rate: 8000, bits: 8, data: []byte{c.code, c.code}, dataSize: -1}.bytes())
		r, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		got := readAll(t, r)
		r.Close()
		if got[0] != c.want {
			t.Errorf("format %d code %#x: got %v, want %v", c.format, c.code, got[0], c.want)
		}
	}
}

func TestReaderHeaderRecovery(t *testing.T) {
	data, _ := encode(sine(16000, 2, 16000), fmtPCM, 16) // 1 s
	for _, c := range []struct {
		name       string
		spec       wavSpec
		extra      []byte // appended after building
		wantFrames int64
		wantNote   string
	}{
		{"exact", wavSpec{dataSize: -1}, nil, 16000, ""},
		{"zero data size", wavSpec{dataSize: 0}, nil, 16000, "said 0.0 s but 1.0 s of audio are readable"},
		{"placeholder size", wavSpec{dataSize: 0xFFFFFFFF}, nil, 16000, "gives no length; 1.0 s of audio are readable"},
		{"go-audio placeholder", wavSpec{dataSize: 42}, nil, 16000, "said 0.0 s but 1.0 s"},
		{"stale size", wavSpec{dataSize: 32000}, nil, 16000, "said 0.5 s but 1.0 s of audio are readable"},
		{"truncated", wavSpec{dataSize: 128000}, nil, 16000, "truncated: the header says 2.0 s but only 1.0 s"},
		{"partial last frame", wavSpec{dataSize: 0}, []byte{1, 2, 3}, 16000, "said 0.0 s but 1.0 s"},
		{"chunk after data", wavSpec{dataSize: 32000, after: chunk("LIST", make([]byte, 10))}, nil, 8000, ""},
		{"pad byte", wavSpec{dataSize: -1}, []byte{0}, 16000, ""},
		{"JUNK and bext before fmt", wavSpec{dataSize: -1, first: append(chunk("JUNK", make([]byte, 28)), chunk("bext", []byte("odd"))...)}, nil, 16000, ""},
		{"zero size, JUNK before fmt", wavSpec{dataSize: 0, first: chunk("JUNK", make([]byte, 28))}, nil, 16000, "said 0.0 s but 1.0 s"},
		{"id3v2 tag after data", wavSpec{dataSize: -1}, []byte("ID3\x04\x00\x00\x00\x00\x00\x10title"), 16000, ""},
		{"id3v1 tag at the end", wavSpec{dataSize: -1}, append([]byte("TAG"), make([]byte, 125)...), 16000, ""},
	} {
		s := c.spec
		s.format, s.channels, s.rate, s.bits = fmtPCM, 2, 16000, 16
		s.data = data
		if c.name == "chunk after data" {
			s.data = data[:32000]
		}
		path := writeFile(t, "rec.wav", append(s.bytes(), c.extra...))
		r, err := Open(path)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		info := r.Info()
		got := readAll(t, r)
		r.Close()
		if info.Frames != c.wantFrames || int64(len(got)) != 2*c.wantFrames {
			t.Errorf("%s: %d frames (read %d samples), want %d", c.name, info.Frames, len(got), c.wantFrames)
		}
		switch {
		case c.wantNote == "" && len(info.Notes) != 0:
			t.Errorf("%s: notes %q, want none", c.name, info.Notes)
		case c.wantNote != "" && (len(info.Notes) != 1 || !strings.Contains(info.Notes[0], c.wantNote)):
			t.Errorf("%s: notes %q, want one containing %q", c.name, info.Notes, c.wantNote)
		}
	}
}

func TestReaderNaN(t *testing.T) {
	in := []float64{0.5, math.NaN(), math.Inf(1), -0.5, 1.5, math.Inf(-1)}
	data, _ := encode(in, fmtFloat, 32)
	path := writeFile(t, "nan.wav", wavSpec{format: fmtFloat, channels: 2, rate: 16000, bits: 32, data: data, dataSize: -1}.bytes())
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := readAll(t, r)
	want := []float32{0.5, 0, 0, -0.5, 1, 0}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sample %d = %v, want %v", i, got[i], want[i])
		}
	}
	notes := strings.Join(r.Info().Notes, "|")
	if !strings.Contains(notes, "3 NaN or infinite samples; they were read as silence") || !strings.Contains(notes, "1 float samples beyond full scale") {
		t.Errorf("notes %q, want the NaN count (3) and the clip count (1)", notes)
	}
}

// badInputs are files Open must refuse, with the kind and a phrase of the message.
var badInputs = []struct {
	name string
	file string
	b    []byte
	kind error
	msg  string
}{
	{"mp3", "x.mp3", []byte("ID3\x03\x00\x00\x00\x00\x00\x00 some mp3 frames follow here"), ErrNotWAV, "x.mp3 is not a WAV file (no RIFF header): convert it with e.g. `sox x.mp3 x.wav`"},
	{"text", "notes.wav", []byte("hello, this is not audio at all\n"), ErrNotWAV, "notes.wav is not a WAV file"},
	{"empty", "e.wav", nil, ErrNoAudio, "e.wav is empty"},
	{"avi", "a.wav", []byte("RIFF\x10\x00\x00\x00AVI LIST\x00\x00\x00\x00"), ErrNotWAV, "not WAVE audio"},
	{"cut in header", "c.wav", []byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00"), ErrTruncated, "c.wav is truncated: it ends inside its WAV header"},
	{"cut in riff", "c.wav", []byte("RIFF\x24\x00"), ErrTruncated, "truncated"},
	{"no data chunk", "n.wav", wavSpec{format: 1, channels: 1, rate: 8000, bits: 16}.bytes()[:36], ErrNoAudio, "no data chunk"},
	{"no samples", "n.wav", wavSpec{format: 1, channels: 1, rate: 8000, bits: 16, dataSize: -1}.bytes(), ErrNoAudio, "holds no audio samples"},
	{"4 channels", "m.wav", wavSpec{format: 1, channels: 4, rate: 8000, bits: 16, data: make([]byte, 80), dataSize: -1}.bytes(), ErrUnsupported, "m.wav has 4 channels; CallCoach reads mono or stereo"},
	{"adpcm", "p.wav", wavSpec{format: 2, channels: 1, rate: 8000, bits: 4, data: make([]byte, 80), dataSize: -1}.bytes(), ErrUnsupported, "compressed audio (Microsoft ADPCM)"},
	{"rate 4000", "r.wav", wavSpec{format: 1, channels: 1, rate: 4000, bits: 16, data: make([]byte, 80), dataSize: -1}.bytes(), ErrUnsupported, "sample rate of 4000 Hz"},
	{"float16", "f.wav", wavSpec{format: 3, channels: 1, rate: 8000, bits: 16, data: make([]byte, 80), dataSize: -1}.bytes(), ErrUnsupported, "16-bit float samples"},
	{"0 channels", "z.wav", wavSpec{format: 1, channels: 0, rate: 8000, bits: 16, data: make([]byte, 80), dataSize: -1}.bytes(), ErrDamaged, "0 channels"},
	{"rf64", "big.wav", []byte("RF64\xff\xff\xff\xffWAVEds64"), ErrUnsupported, "RF64"},
}

func TestReaderBadInput(t *testing.T) {
	for _, c := range badInputs {
		path := writeFile(t, c.file, c.b)
		r, err := Open(path)
		if err == nil {
			r.Close()
			t.Errorf("%s: Open succeeded, want an error", c.name)
			continue
		}
		if !errors.Is(err, c.kind) || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: got %q (kind %v), want one containing %q (kind %v)", c.name, err, errors.Is(err, c.kind), c.msg, c.kind)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: message has several lines: %q", c.name, err)
		}
	}
}

func TestReaderUnreadable(t *testing.T) {
	dir := t.TempDir()
	_, err := Open(filepath.Join(dir, "missing.wav"))
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing file: got %v", err)
	}
	_, err = Open(dir)
	if err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("folder: got %v", err)
	}
	if os.Geteuid() != 0 { // root reads anything
		p := writeFile(t, "locked.wav", []byte("RIFF"))
		os.Chmod(p, 0)
		if _, err := Open(p); !errors.Is(err, os.ErrPermission) || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("unreadable file: got %v", err)
		}
	}
}

func TestReaderSeekAndTinyBuffer(t *testing.T) {
	data, _ := encode(sine(100, 2, 8000), fmtPCM, 16)
	r, err := Open(writeFile(t, "s.wav", wavSpec{format: 1, channels: 2, rate: 8000, bits: 16, data: data, dataSize: -1}.bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.ReadFrames(make([]float32, 1)); err == nil || err == io.EOF {
		t.Errorf("1-sample buffer for stereo: got %v, want an error", err)
	}
	if err := r.SeekFrame(99); err != nil {
		t.Fatal(err)
	}
	buf := make([]float32, 8)
	if n, err := r.ReadFrames(buf); n != 1 || err != nil {
		t.Errorf("last frame: got %d, %v; want 1, nil", n, err)
	}
	if n, err := r.ReadFrames(buf); n != 0 || err != io.EOF {
		t.Errorf("at end: got %d, %v; want 0, EOF", n, err)
	}
}

// FuzzOpen feeds arbitrary bytes to Open and ReadFrames: they must return
// errors, never panic, and read no more frames than Info promises.
func FuzzOpen(f *testing.F) {
	data, _ := encode(sine(64, 2, 8000), fmtPCM, 16)
	f.Add(wavSpec{format: 1, channels: 2, rate: 8000, bits: 16, data: data, dataSize: -1}.bytes())
	f.Add(wavSpec{format: 3, extensible: true, channels: 1, rate: 8000, bits: 32, data: data, dataSize: 0}.bytes())
	f.Add(wavSpec{format: 1, channels: 1, rate: 8000, bits: 24, data: data[:99], dataSize: 7, after: chunk("LIST", data[:9])}.bytes())
	for _, c := range badInputs {
		f.Add(c.b)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(dir, "fuzz.wav")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		r, err := Open(path)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		defer r.Close()
		info := r.Info()
		if info.Frames <= 0 || info.Channels < 1 || info.Channels > 2 {
			t.Fatalf("opened with %+v", info)
		}
		buf := make([]float32, 100*info.Channels)
		var total int64
		for {
			n, err := r.ReadFrames(buf)
			for _, v := range buf[:n*info.Channels] {
				if !(v >= -1 && v <= 1) {
					t.Fatalf("sample %v outside [-1, 1]", v)
				}
			}
			total += int64(n)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if total != info.Frames {
			t.Fatalf("read %d frames, Info promised %d", total, info.Frames)
		}
	})
}

// benchFile writes 10 s of stereo 16 kHz audio in the given encoding.
func benchFile(b *testing.B, format uint16, bits int) string {
	data, _ := encode(sine(160000, 2, 16000), format, bits)
	return writeFile(b, "bench.wav", wavSpec{format: format, channels: 2, rate: 16000, bits: bits, data: data, dataSize: -1}.bytes())
}

func benchmarkRead(b *testing.B, format uint16, bits int) {
	path := benchFile(b, format, bits)
	buf := make([]float32, 8192)
	var samples int64
	b.SetBytes(160000 * 2 * int64(bits) / 8)
	b.ReportAllocs()
	for b.Loop() {
		r, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		for {
			n, err := r.ReadFrames(buf)
			samples += int64(n) * 2
			if err != nil {
				break
			}
		}
		r.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(samples), "ns/sample")
}

func BenchmarkReadFrames16(b *testing.B)    { benchmarkRead(b, fmtPCM, 16) }
func BenchmarkReadFrames24(b *testing.B)    { benchmarkRead(b, fmtPCM, 24) }
func BenchmarkReadFramesFloat(b *testing.B) { benchmarkRead(b, fmtFloat, 32) }

// TestReaderSoxFiles reads files written by sox, as users' tools write
// them: WAVE_FORMAT_EXTENSIBLE for 24 and 32 bits, an 18-byte fmt chunk and
// a fact chunk for float and G.711. Each must decode to the 64-bit float
// file's samples within its format's precision (sox dithers 8 and 16 bits).
func TestReaderSoxFiles(t *testing.T) {
	read := func(name string) (Info, []float32) {
		r, err := Open(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		return r.Info(), readAll(t, r)
	}
	_, ref := read("sox-f64-48k.wav")
	for _, c := range []struct {
		file       string
		enc        Encoding
		bits       int
		extensible bool
		tol        func(v float32) float64
	}{
		{"sox-f32-48k.wav", PCMFloat, 32, false, func(float32) float64 { return 1e-7 }},
		{"sox-s32-48k.wav", PCMInt, 32, true, func(float32) float64 { return 1e-8 }},
		{"sox-s24-48k.wav", PCMInt, 24, true, func(float32) float64 { return 2e-7 }},
		{"sox-s16-48k.wav", PCMInt, 16, false, func(float32) float64 { return 3.0 / 32768 }},
		{"sox-u8-48k.wav", PCMInt, 8, false, func(float32) float64 { return 3.0 / 128 }},
		{"sox-ulaw-48k.wav", MuLaw, 8, false, func(v float32) float64 { return 0.04*math.Abs(float64(v)) + 0.002 }},
		{"sox-alaw-48k.wav", ALaw, 8, false, func(v float32) float64 { return 0.04*math.Abs(float64(v)) + 0.002 }},
	} {
		info, got := read(c.file)
		if info.Rate != 48000 || info.Channels != 2 || info.Frames != 4800 || info.Encoding != c.enc || info.BitDepth != c.bits ||
			info.Extensible != c.extensible || len(info.Notes) != 0 {
			t.Errorf("%s: %+v, want 48 kHz stereo, 4800 frames, %d-bit %v, extensible %v, no notes", c.file, info, c.bits, c.enc, c.extensible)
			continue
		}
		for i := range ref {
			if d := math.Abs(float64(got[i] - ref[i])); d > c.tol(ref[i]) {
				t.Errorf("%s: sample %d = %v, want %v (±%.2g)", c.file, i, got[i], ref[i], c.tol(ref[i]))
				break
			}
		}
	}
}
