package audio

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callcoach/analysis"
)

// utterance reads a short espeak-ng utterance (16 kHz mono) from testdata.
func utterance(t testing.TB, name string) []float32 {
	t.Helper()
	r, err := Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	out := make([]float32, r.Info().Frames)
	if n, err := r.ReadFrames(out); err != nil || int64(n) != r.Info().Frames {
		t.Fatalf("read %s: %d frames, %v", name, n, err)
	}
	return out
}

// place returns a track of secs seconds at rate with s placed at at.
func place(secs float64, rate int, s []float32, at float64) []float32 {
	out := make([]float32, int(secs*float64(rate)))
	copy(out[int(at*float64(rate)):], s)
	return out
}

func writeWAV(t testing.TB, path string, rate int, chans ...[]float32) {
	t.Helper()
	w, err := Create(path, rate, len(chans))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]float32, 0, len(chans[0])*len(chans))
	for i := range chans[0] {
		for _, c := range chans {
			buf = append(buf, c[i])
		}
	}
	if err := w.WriteFrames(buf); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// firstOnset returns when party s first speaks.
func firstOnset(t *testing.T, res analysis.Result, s analysis.Speaker) time.Duration {
	t.Helper()
	segs := res.SegmentsOf(s)
	if len(segs) == 0 {
		t.Fatalf("no %s speech found; segments %v", s, res.Segments)
	}
	return segs[0].Start.D()
}

func near(got, want time.Duration) bool {
	return got-want < 300*time.Millisecond && want-got < 300*time.Millisecond
}

// A stereo call: the rep speaks at 0.5 s on the left, the customer at 4.5 s
// on the right.
func TestAnalyzeFileStereo(t *testing.T) {
	rep, cust := utterance(t, "rep-utterance.wav"), utterance(t, "cust-utterance.wav")
	path := filepath.Join(t.TempDir(), "call.wav")
	writeWAV(t, path, 16000, place(8, 16000, rep, 0.5), place(8, 16000, cust, 4.5))

	for _, c := range []struct {
		channel         Side
		repAt, custAt   time.Duration
		repName, custCh string
	}{
		{Left, 500 * time.Millisecond, 4500 * time.Millisecond, "left", "right"},
		{Right, 4500 * time.Millisecond, 500 * time.Millisecond, "right", "left"},
	} {
		var calls []time.Duration
		res, err := AnalyzeFile(context.Background(), AnalyzeRequest{Path: path, RepChannel: c.channel,
			Progress: func(done, total time.Duration) {
				if total != 8*time.Second {
					t.Errorf("progress total %v, want 8s", total)
				}
				calls = append(calls, done)
			}}, analysis.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		if res.File != path || res.Channels.Rep != c.repName || res.Channels.Customer != c.custCh {
			t.Errorf("rep %q: file %q channels %+v", c.channel, res.File, res.Channels)
		}
		if res.Duration.D() != 8*time.Second {
			t.Errorf("duration %v, want 8s", res.Duration.D())
		}
		if got := firstOnset(t, res, analysis.Rep); !near(got, c.repAt) {
			t.Errorf("rep channel %q: rep first speaks at %v, want about %v", c.channel, got, c.repAt)
		}
		if got := firstOnset(t, res, analysis.Customer); !near(got, c.custAt) {
			t.Errorf("rep channel %q: customer first speaks at %v, want about %v", c.channel, got, c.custAt)
		}
		if len(calls) < 2 || calls[0] != 0 || calls[len(calls)-1] != 8*time.Second {
			t.Errorf("progress calls %v, want 0 ... 8s", calls)
		}
		for i := 1; i < len(calls); i++ {
			if calls[i] < calls[i-1] {
				t.Errorf("progress went back: %v", calls)
			}
		}
	}
}

// Two mono files at different rates and lengths: the rep's at 16 kHz (8 s),
// the customer's at 8 kHz (6 s). Aligned at their first sample, analysed at
// 8 kHz, as long as the longer.
func TestAnalyzeFilePair(t *testing.T) {
	rep, cust := utterance(t, "rep-utterance.wav"), utterance(t, "cust-utterance.wav")
	rs, _ := NewResampler(16000, 8000)
	cust8 := rs.Flush(rs.Append(nil, cust))
	dir := t.TempDir()
	repPath, custPath := filepath.Join(dir, "rep.wav"), filepath.Join(dir, "customer.wav")
	writeWAV(t, repPath, 16000, place(8, 16000, rep, 0.5))
	writeWAV(t, custPath, 8000, place(6, 8000, cust8, 4))

	p, err := OpenPair(repPath, custPath)
	if err != nil {
		t.Fatal(err)
	}
	if info := p.Info(); info.Rate != 8000 || info.Frames != 64000 || info.Channels != 2 {
		t.Errorf("pair: %d Hz, %d frames, %d ch; want 8000 Hz, 64000 frames, 2 ch", info.Rate, info.Frames, info.Channels)
	}
	p.Close()

	res, err := AnalyzeFile(context.Background(), AnalyzeRequest{RepPath: repPath, CustomerPath: custPath}, analysis.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if res.Channels.Rep != "rep.wav" || res.Channels.Customer != "customer.wav" {
		t.Errorf("channels %+v, want the file names", res.Channels)
	}
	if res.Duration.D() != 8*time.Second {
		t.Errorf("duration %v, want 8s (the longer file)", res.Duration.D())
	}
	if got := firstOnset(t, res, analysis.Rep); !near(got, 500*time.Millisecond) {
		t.Errorf("rep first speaks at %v, want about 0.5s", got)
	}
	if got := firstOnset(t, res, analysis.Customer); !near(got, 4*time.Second) {
		t.Errorf("customer first speaks at %v, want about 4s", got)
	}
}

func TestOpenPairStereoRefused(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.wav"), filepath.Join(dir, "b.wav")
	writeWAV(t, a, 8000, make([]float32, 800))
	writeWAV(t, b, 8000, make([]float32, 800), make([]float32, 800))
	if _, err := OpenPair(a, b); !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "b.wav has 2 channels") {
		t.Errorf("got %v, want a 'b.wav has 2 channels' error", err)
	}
}

func TestAnalyzeFileMonoAndNotes(t *testing.T) {
	rep := utterance(t, "rep-utterance.wav")
	dir := t.TempDir()
	path := filepath.Join(dir, "mono.wav")
	writeWAV(t, path, 16000, place(4, 16000, rep, 1))
	// Zero the data size, as a crashed recorder leaves it.
	b, _ := os.ReadFile(path)
	copy(b[40:44], []byte{0, 0, 0, 0})
	os.WriteFile(path, b, 0o600)

	res, err := AnalyzeFile(context.Background(), AnalyzeRequest{Path: path}, analysis.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if res.Channels.OneChannel != "mono" || res.Duration.D() != 4*time.Second {
		t.Errorf("channels %+v duration %v, want mixed mono, 4s", res.Channels, res.Duration.D())
	}
	if got := firstOnset(t, res, analysis.Unattributed); !near(got, time.Second) {
		t.Errorf("speech at %v, want about 1s", got)
	}
	notes := strings.Join(res.Notes, "|")
	if !strings.Contains(notes, "said 0.0 s but 4.0 s of audio are readable") {
		t.Errorf("notes %q, want the header repair note", res.Notes)
	}
}

func TestAnalyzeFileErrors(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.wav")
	writeWAV(t, good, 16000, make([]float32, 16000*3), make([]float32, 16000*3))
	notWAV := writeFile(t, "x.mp3", []byte("ID3 not a wave file at all"))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, c := range []struct {
		name string
		ctx  context.Context
		req  AnalyzeRequest
		is   error
		msg  string
	}{
		{"nothing", context.Background(), AnalyzeRequest{}, nil, "give a call file"},
		{"both", context.Background(), AnalyzeRequest{Path: good, RepPath: good}, nil, "not both"},
		{"half pair", context.Background(), AnalyzeRequest{RepPath: good}, nil, "give both a rep file and a customer file"},
		{"channel of a pair", context.Background(), AnalyzeRequest{RepPath: good, CustomerPath: good, RepChannel: Right}, nil, "applies to a stereo call file"},
		{"not a wav", context.Background(), AnalyzeRequest{Path: notWAV}, ErrNotWAV, "x.mp3 is not a WAV file"},
		{"missing", context.Background(), AnalyzeRequest{Path: filepath.Join(dir, "nope.wav")}, os.ErrNotExist, "does not exist"},
		{"cancelled", ctx, AnalyzeRequest{Path: good}, context.Canceled, "was stopped"},
	} {
		_, err := AnalyzeFile(c.ctx, c.req, analysis.DefaultConfig())
		if err == nil || !strings.Contains(err.Error(), c.msg) || (c.is != nil && !errors.Is(err, c.is)) {
			t.Errorf("%s: got %v, want an error containing %q (is %v)", c.name, err, c.msg, c.is)
		}
	}
}

func TestCut(t *testing.T) {
	dir := t.TempDir()
	const rate = 8000
	for _, c := range []struct {
		name     string
		format   uint16
		bits, ch int
	}{{"s16-stereo", fmtPCM, 16, 2}, {"s24-mono", fmtPCM, 24, 1}, {"f32-stereo", fmtFloat, 32, 2}, {"u8-mono", fmtPCM, 8, 1}} {
		in := sine(rate*3, c.ch, rate)
		data, _ := encode(in, c.format, c.bits)
		src := writeFile(t, c.name+".wav", wavSpec{format: c.format, channels: c.ch, rate: rate, bits: c.bits, data: data, dataSize: -1, extensible: c.bits == 24}.bytes())
		dst := filepath.Join(dir, c.name+"-clip.wav")
		// 0.5 s .. 1.2501 s: frames 4000 .. 10001 (rounded), an odd count.
		if err := Cut(src, 500*time.Millisecond, 1250100*time.Microsecond, dst); err != nil {
			t.Fatal(err)
		}
		st, _ := os.Stat(dst)
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", c.name, st.Mode().Perm())
		}
		bpf := c.ch * c.bits / 8
		clip, _ := os.ReadFile(dst)
		want := data[4000*bpf : 10001*bpf]
		if got := clip[44 : 44+len(want)]; string(got) != string(want) {
			t.Errorf("%s: clip samples differ from the source's", c.name)
		}
		r, err := Open(dst)
		if err != nil {
			t.Fatal(err)
		}
		if info := r.Info(); info.Frames != 6001 || info.Rate != rate || info.Channels != c.ch || info.BitDepth != c.bits || len(info.Notes) != 0 {
			t.Errorf("%s: clip %+v, want 6001 frames, %d Hz, %d ch, %d bits, no notes", c.name, info, rate, c.ch, c.bits)
		}
		r.Close()
		_, _, _ = readBack(t, dst) // go-audio/wav reads it too
	}
	src := filepath.Join(dir, "s16-stereo-clip.wav")
	for _, c := range []struct {
		from, to time.Duration
		msg      string
	}{{2 * time.Second, time.Second, "choose a range inside it"}, {10 * time.Second, 11 * time.Second, "choose a range inside it"}} {
		if err := Cut(src, c.from, c.to, filepath.Join(dir, "bad.wav")); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("Cut(%v, %v): got %v, want %q", c.from, c.to, err, c.msg)
		}
	}
	if err := Cut(src, 0, time.Second, src); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("Cut onto an existing file: got %v", err)
	}
	// Past the end: stops at the end.
	end := filepath.Join(dir, "end.wav")
	if err := Cut(src, 500*time.Millisecond, time.Hour, end); err != nil {
		t.Fatal(err)
	}
	r, _ := Open(end)
	if got := r.Info().Frames; got != 6001-4000 {
		t.Errorf("cut to past the end: %d frames, want %d", got, 6001-4000)
	}
	r.Close()
}

// A file cut short while it is analysed (a disk going away) stops the
// analysis with an error, not a short result.
func TestAnalyzeFileShrinks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "call.wav")
	writeWAV(t, path, 16000, make([]float32, 16000*10), make([]float32, 16000*10))
	_, err := AnalyzeFile(context.Background(), AnalyzeRequest{Path: path, Progress: func(done, total time.Duration) {
		if done == 0 {
			os.Truncate(path, 44+4*16000*2)
		}
	}}, analysis.DefaultConfig())
	if !errors.Is(err, io.ErrUnexpectedEOF) || !strings.Contains(err.Error(), "ended early, after 2.0 s") {
		t.Errorf("got %v, want an 'ended early, after 2.0 s' error", err)
	}
}

// BenchmarkAnalyzeFile runs the whole workflow on ten minutes of a stereo
// 16 kHz call (utterances taking turns): reading, de-interleaving and the
// analysis.
func BenchmarkAnalyzeFile(b *testing.B) {
	rep, cust := utterance(b, "rep-utterance.wav"), utterance(b, "cust-utterance.wav")
	const minutes = 10
	l, r := make([]float32, 0, minutes*60*16000), make([]float32, 0, minutes*60*16000)
	for len(l) < minutes*60*16000 {
		l = append(append(l, rep...), make([]float32, len(cust)+8000)...)
		r = append(append(r, make([]float32, len(rep)+4000)...), append(cust, make([]float32, 4000)...)...)
	}
	path := filepath.Join(b.TempDir(), "call.wav")
	writeWAV(b, path, 16000, l[:minutes*60*16000], r[:minutes*60*16000])
	cfg := analysis.DefaultConfig()
	b.ResetTimer()
	for b.Loop() {
		if _, err := AnalyzeFile(context.Background(), AnalyzeRequest{Path: path}, cfg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(minutes*time.Minute)/(float64(b.Elapsed())/float64(b.N)), "x-realtime")
}

// FuzzAnalyzeFile runs the whole workflow on arbitrary bytes: an error or a
// result, never a panic, and a result's length is the file's.
// fuzzMaxBytes bounds FuzzAnalyzeFile's input: 1 KiB is up to 60 ms of
// 8 kHz 16-bit mono, enough for every header path and a few analysis
// frames. The bound matters twice: the analysis runs in about a
// millisecond, and the fuzzer minimises each new interesting input by
// re-running it byte range by byte range (capped at 60 s an input), which
// on 32 KB seeds stalled the run at 6 inputs a minute and on 4 KiB still
// spent most of it minimising.
const fuzzMaxBytes = 1 << 10

func FuzzAnalyzeFile(f *testing.F) {
	data, _ := encode(sine(200, 2, 8000), fmtPCM, 16) // 25 ms, 800 bytes
	f.Add(wavSpec{format: 1, channels: 2, rate: 8000, bits: 16, data: data, dataSize: -1}.bytes())
	f.Add(wavSpec{format: 3, channels: 1, rate: 8000, bits: 32, data: data, dataSize: 0}.bytes())
	f.Add(wavSpec{format: 1, channels: 2, rate: 11025, bits: 8, data: data[:500], dataSize: 3}.bytes())
	f.Add(wavSpec{format: 7, channels: 1, rate: 8000, bits: 8, data: data[:600], dataSize: -1}.bytes())
	dir := f.TempDir()
	cfg := analysis.DefaultConfig()
	f.Fuzz(func(t *testing.T, b []byte) {
		b = b[:min(len(b), fuzzMaxBytes)]
		path := filepath.Join(dir, "fuzz.wav")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		r, err := Open(path)
		if err != nil {
			return
		}
		want := r.Info().Duration
		r.Close()
		res, err := AnalyzeFile(context.Background(), AnalyzeRequest{Path: path}, cfg)
		if err != nil {
			t.Fatalf("opened but did not analyse: %v", err)
		}
		if d := res.Duration.D() - want; d < -time.Millisecond || d > time.Millisecond {
			t.Fatalf("result is %v long, the file %v", res.Duration.D(), want)
		}
	})
}
