package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// checkPeaks reads the file at path from frame skip in runs of per frames
// with ReadPeaks and compares every run with the smallest and largest of
// the samples ReadFrames gives for it; it returns the runs read.
func checkPeaks(t *testing.T, path string, skip, per int64) int {
	t.Helper()
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	want := readAll(t, r)
	r.Close()
	ch := int64(r.Channels())
	frames := int64(len(want)) / ch
	r, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.SeekFrame(skip); err != nil {
		t.Fatal(err)
	}
	runs := int((frames - skip + per - 1) / per)
	lo, hi := make([][]float32, ch), make([][]float32, ch)
	for k := range ch {
		lo[k], hi[k] = make([]float32, runs+3), make([]float32, runs+3)
	}
	n, err := r.ReadPeaks(per, lo, hi)
	if err != nil || n != runs {
		t.Fatalf("ReadPeaks: %d runs, %v; want %d, nil", n, err, runs)
	}
	for i := range int64(runs) {
		for k := range ch {
			l, h := float32(2), float32(-2)
			for f := skip + i*per; f < min(skip+(i+1)*per, frames); f++ {
				v := want[f*ch+k]
				l, h = min(l, v), max(h, v)
			}
			// Float formats are compared in steps of 2^-30.
			if math.Abs(float64(lo[k][i]-l)) > 1e-9 || math.Abs(float64(hi[k][i]-h)) > 1e-9 {
				t.Fatalf("run %d channel %d: peaks %v..%v, want %v..%v", i, k, lo[k][i], hi[k][i], l, h)
			}
		}
	}
	if n, err := r.ReadPeaks(per, lo, hi); n != 0 || err != io.EOF {
		t.Errorf("after the end: %d, %v; want 0, EOF", n, err)
	}
	return runs
}

// TestReadPeaks: every format's peaks equal the minimum and maximum of what
// ReadFrames gives for the same runs, the last run short, read from the
// middle of the file, and a run that crosses the Reader's buffer.
func TestReadPeaks(t *testing.T) {
	for _, c := range []struct {
		format     uint16
		bits       int
		extensible bool
	}{
		{fmtPCM, 8, false}, {fmtPCM, 16, false}, {fmtPCM, 24, false}, {fmtPCM, 32, false},
		{fmtFloat, 32, false}, {fmtFloat, 64, false}, {fmtALaw, 8, false}, {fmtMuLaw, 8, false},
		{fmtPCM, 16, true}, {fmtPCM, 24, true}, {fmtFloat, 32, true},
	} {
		for _, ch := range []int{1, 2} {
			for _, per := range []int64{1, 7, 160, 40000} { // 40000 frames: more than one 64 KiB read
				name := fmt.Sprintf("format%d-%dbit-ext%v-%dch-per%d", c.format, c.bits, c.extensible, ch, per)
				t.Run(name, func(t *testing.T) {
					const frames = 50021 // odd: a short last run, a pad byte for 8 and 24 bits mono
					s := sine(frames, ch, 16000)
					for i := range s { // a different peak in every run
						s[i] *= 0.3 + 0.7*float64(i%977)/977
					}
					data, _ := encode(s, c.format, c.bits)
					if c.format == fmtALaw || c.format == fmtMuLaw {
						data = make([]byte, len(s))
						for i := range data {
							data[i] = byte(i * 37) // every code
						}
					}
					spec := wavSpec{format: c.format, extensible: c.extensible, channels: ch, rate: 16000, bits: c.bits, data: data, dataSize: -1,
						after: chunk("LIST", []byte("INFOISFT\x05\x00\x00\x00test\x00"))}
					checkPeaks(t, writeFile(t, "p.wav", spec.bytes()), 1234, per)
				})
			}
		}
	}
}

// TestReadPeaksDamaged: files whose sizes are wrong (a recorder killed
// before it finished the header, a cut-off copy, a partial last frame) give
// the peaks of exactly the samples ReadFrames reads from them, in every
// encoding.
func TestReadPeaksDamaged(t *testing.T) {
	for _, enc := range []struct {
		format uint16
		bits   int
	}{{fmtPCM, 16}, {fmtPCM, 24}, {fmtFloat, 64}, {fmtMuLaw, 8}} {
		for _, ch := range []int{1, 2} {
			const frames = 16001
			data, _ := encode(sine(frames, ch, 16000), enc.format, enc.bits)
			if enc.format == fmtMuLaw {
				data = make([]byte, frames*ch)
				for i := range data {
					data[i] = byte(i * 53)
				}
			}
			align := int64(ch * enc.bits / 8)
			for _, c := range []struct {
				name   string
				size   int64  // the header's data size
				cut    int64  // sample bytes left in the file
				extra  []byte // appended after the samples
				frames int64
			}{
				{"zero data size", 0, int64(len(data)), nil, frames},
				{"placeholder size", 0xFFFFFFFF, int64(len(data)), nil, frames},
				{"truncated copy", int64(len(data)), int64(len(data))/2 + 1, nil, (int64(len(data))/2 + 1) / align},
				{"partial last frame", 0, int64(len(data)) - 1, nil, frames - 1},
				{"stale size, more samples after", int64(len(data)) / 3, int64(len(data)), nil, frames},
				{"pad byte", -1, int64(len(data)), []byte{0}, frames},
			} {
				t.Run(fmt.Sprintf("format%d-%dbit-%dch/%s", enc.format, enc.bits, ch, c.name), func(t *testing.T) {
					spec := wavSpec{format: enc.format, channels: ch, rate: 16000, bits: enc.bits, data: data[:c.cut], dataSize: c.size}
					if c.size < 0 {
						spec.data = data
					}
					path := writeFile(t, "d.wav", append(spec.bytes(), c.extra...))
					r, err := Open(path)
					if err != nil {
						t.Fatal(err)
					}
					if got := r.Info().Frames; got != c.frames {
						t.Fatalf("%d frames readable, want %d", got, c.frames)
					}
					r.Close()
					for _, per := range []int64{160, 333} {
						if runs := checkPeaks(t, path, 0, per); runs != int((c.frames+per-1)/per) {
							t.Errorf("runs of %d: %d, want %d", per, runs, (c.frames+per-1)/per)
						}
					}
				})
			}
		}
	}
}

// TestReadPeaksSoxFiles: the files sox writes (WAVE_FORMAT_EXTENSIBLE, fact
// chunks, every encoding) give the peaks of their decoded samples.
func TestReadPeaksSoxFiles(t *testing.T) {
	names, _ := filepath.Glob(filepath.Join("testdata", "sox-*.wav"))
	if len(names) < 8 {
		t.Fatalf("%d sox files in testdata, want 8", len(names))
	}
	for _, name := range names {
		t.Run(filepath.Base(name), func(t *testing.T) {
			checkPeaks(t, name, 3, 480)
		})
	}
}

// TestReadPeaksShrunk: a file cut while it is read (its copy replaced, a
// disk error) gives the runs before the cut, the cut run's own peaks
// included, and an error that says so, wrapping io.ErrUnexpectedEOF.
func TestReadPeaksShrunk(t *testing.T) {
	for _, enc := range []struct {
		format uint16
		bits   int
	}{{fmtPCM, 16}, {fmtFloat, 32}} {
		data, _ := encode(sine(100000, 2, 16000), enc.format, enc.bits)
		b := wavSpec{format: enc.format, channels: 2, rate: 16000, bits: enc.bits, data: data, dataSize: -1}.bytes()
		path := writeFile(t, "s.wav", b)
		r, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		const keep = 40000 + 55 // frames left: 250 whole runs of 160 and 55 frames
		if err := os.Truncate(path, int64(len(b)-len(data))+keep*int64(2*enc.bits/8)); err != nil {
			t.Fatal(err)
		}
		lo := [][]float32{make([]float32, 1000), make([]float32, 1000)}
		hi := [][]float32{make([]float32, 1000), make([]float32, 1000)}
		n, err := r.ReadPeaks(160, lo, hi)
		r.Close()
		if n != 251 || !errors.Is(err, io.ErrUnexpectedEOF) || !strings.Contains(err.Error(), "ended early") {
			t.Fatalf("format %d: %d runs, %v; want 251 and an error that the file ended early", enc.format, n, err)
		}
		// The cut run holds frames 40000..40054: left is a 440 Hz sine at
		// 0.5, so its peaks are those of the samples there.
		l, h := float32(2), float32(-2)
		for f := 40000; f < keep; f++ {
			v := float32(0.5 * math.Sin(2*math.Pi*440*float64(f)/16000))
			l, h = min(l, v), max(h, v)
		}
		if math.Abs(float64(lo[0][250]-l)) > 1e-4 || math.Abs(float64(hi[0][250]-h)) > 1e-4 {
			t.Errorf("format %d: cut run %v..%v, want %v..%v", enc.format, lo[0][250], hi[0][250], l, h)
		}
	}
}

// TestReadPeaksPieces: runs read a few at a time continue where the last
// call stopped; NaN reads as silence and is counted as ReadFrames counts it.
func TestReadPeaksPieces(t *testing.T) {
	in := []float64{0.5, math.NaN(), -0.25, 0.75, math.Inf(1), -0.5, 0.1, 0.2, 1.5}
	data, _ := encode(in, fmtFloat, 32)
	path := writeFile(t, "nan.wav", wavSpec{format: fmtFloat, channels: 1, rate: 8000, bits: 32, data: data, dataSize: -1}.bytes())
	r, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got [][2]float32
	lo, hi := [][]float32{make([]float32, 2)}, [][]float32{make([]float32, 2)}
	for {
		n, err := r.ReadPeaks(2, lo, hi)
		for i := range n {
			got = append(got, [2]float32{lo[0][i], hi[0][i]})
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	want := [][2]float32{{0, 0.5}, {-0.25, 0.75}, {-0.5, 0}, {0.1, 0.2}, {1, 1}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("peaks %v, want %v", got, want)
	}
	if notes := strings.Join(r.Info().Notes, "|"); !strings.Contains(notes, "2 NaN or infinite") || !strings.Contains(notes, "1 float samples beyond") {
		t.Errorf("notes %q, want 2 NaN/Inf and 1 clipped", notes)
	}
	if _, err := r.ReadPeaks(0, lo, hi); err == nil {
		t.Error("runs of 0 frames accepted")
	}
	if _, err := r.ReadPeaks(2, nil, nil); err == nil {
		t.Error("no channels to write into accepted")
	}
}

// FuzzReadPeaks: whatever opens gives, in any runs, the peaks of what
// ReadFrames reads, within [-1, 1], never a panic.
func FuzzReadPeaks(f *testing.F) {
	data, _ := encode(sine(300, 2, 8000), fmtPCM, 16)
	f.Add(wavSpec{format: fmtPCM, channels: 2, rate: 8000, bits: 16, data: data, dataSize: -1}.bytes(), uint16(7))
	f.Add(wavSpec{format: fmtFloat, extensible: true, channels: 1, rate: 8000, bits: 32, data: data, dataSize: 0}.bytes(), uint16(1))
	f.Add(wavSpec{format: fmtPCM, channels: 1, rate: 8000, bits: 24, data: data[:99], dataSize: 7, after: chunk("LIST", data[:9])}.bytes(), uint16(160))
	f.Add(wavSpec{format: fmtALaw, channels: 2, rate: 8000, bits: 8, data: data[:301], dataSize: 1000}.bytes(), uint16(3))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte, per uint16) {
		if per == 0 {
			return
		}
		path := filepath.Join(dir, "fuzz.wav")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		r, err := Open(path)
		if err != nil {
			return
		}
		r.Close()
		checkPeaks(t, path, 0, int64(per))
	})
}

// benchmarkPeaks reads 10 s of stereo 16 kHz in 10 ms runs, as the waveform does.
func benchmarkPeaks(b *testing.B, format uint16, bits int) {
	path := benchFile(b, format, bits)
	lo := [][]float32{make([]float32, 1000), make([]float32, 1000)}
	hi := [][]float32{make([]float32, 1000), make([]float32, 1000)}
	var samples int64
	b.SetBytes(160000 * 2 * int64(bits) / 8)
	b.ReportAllocs()
	for b.Loop() {
		r, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if n, err := r.ReadPeaks(160, lo, hi); n != 1000 || err != nil {
			b.Fatal(n, err)
		}
		samples += 320000
		r.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(samples), "ns/sample")
}

func BenchmarkReadPeaks16(b *testing.B)    { benchmarkPeaks(b, fmtPCM, 16) }
func BenchmarkReadPeaksFloat(b *testing.B) { benchmarkPeaks(b, fmtFloat, 32) }
func BenchmarkReadPeaksMuLaw(b *testing.B) { benchmarkPeaks(b, fmtMuLaw, 8) }

// BenchmarkReadPeaksHour: the waveform of a 1-hour stereo 16 kHz 16-bit
// call (230 MB, read from the page cache) on one thread, as one of the
// waveform's workers reads its half. It reports that thread's CPU time per
// hour read (cpu-ms/op), which a busy machine does not stretch.
func BenchmarkReadPeaksHour(b *testing.B) {
	const frames = 3600 * 16000
	path := filepath.Join(b.TempDir(), "hour.wav")
	w, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	// A minute of speech-like audio (a sine under a slow, uneven envelope)
	// written 60 times.
	s := sine(60*16000, 2, 16000)
	for i := range s {
		s[i] *= 0.2 + 0.8*math.Abs(math.Sin(float64(i)/7919))
	}
	minute, _ := encode(s, fmtPCM, 16)
	hdr := wavSpec{format: fmtPCM, channels: 2, rate: 16000, bits: 16, dataSize: frames * 4}.bytes()
	binary.LittleEndian.PutUint32(hdr[4:], uint32(len(hdr)-8+frames*4))
	w.Write(hdr)
	for range 60 {
		if _, err := w.Write(minute); err != nil {
			b.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	const per = 160
	lo := [][]float32{make([]float32, frames/per), make([]float32, frames/per)}
	hi := [][]float32{make([]float32, frames/per), make([]float32, frames/per)}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu0 := threadCPU()
	b.SetBytes(frames * 4)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		r, err := Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if n, err := r.ReadPeaks(per, lo, hi); n != frames/per || err != nil {
			b.Fatal(n, err)
		}
		r.Close()
	}
	b.StopTimer()
	if cpu := threadCPU() - cpu0; cpu > 0 {
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
}
