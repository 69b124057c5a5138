package analysis

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// realSpeechDir holds ten 30 s real meeting excerpts with reference turns
// (shared/data/real-speech, see its README).
const realSpeechDir = "../../shared/data/real-speech"

// realSpeechF1 is the pooled frame F1 the detector must keep on them: a
// regression guard just under what the defaults measure (0.921; 0.876
// before the mono detector's voicing test and its 0.4 s hangover). Issue 2 aims at 0.92 (WebRTC
// VAD scores ~0.85, Silero ~0.90). What is left is mostly recall: this
// reference is coarse (pauses of a second inside a turn count as speech),
// and some excerpts (trn01, trn07) hold audible unannotated sound.
// realSpeechAim is logged alongside.
const (
	realSpeechF1  = 0.915
	realSpeechAim = 0.92
)

// readPCM16 is a tiny RIFF/WAVE reader for the test data: 16-bit PCM only,
// returns channel 0 as floats and the sample rate.
func readPCM16(path string) ([]float32, int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, err
	}
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return nil, 0, errors.New("not a RIFF/WAVE file")
	}
	var rate, channels, bits int
	for p := 12; p+8 <= len(b); {
		id, size := string(b[p:p+4]), int(binary.LittleEndian.Uint32(b[p+4:p+8]))
		body := b[p+8:]
		if size > len(body) {
			size = len(body)
		}
		switch id {
		case "fmt ":
			if size < 16 {
				return nil, 0, errors.New("short fmt chunk")
			}
			if f := binary.LittleEndian.Uint16(body[0:2]); f != 1 {
				return nil, 0, fmt.Errorf("format %d, want PCM", f)
			}
			channels = int(binary.LittleEndian.Uint16(body[2:4]))
			rate = int(binary.LittleEndian.Uint32(body[4:8]))
			bits = int(binary.LittleEndian.Uint16(body[14:16]))
		case "data":
			if bits != 16 || channels < 1 {
				return nil, 0, fmt.Errorf("%d-bit %d-channel, want 16-bit", bits, channels)
			}
			n := size / (2 * channels)
			out := make([]float32, n)
			for i := range out {
				out[i] = float32(int16(binary.LittleEndian.Uint16(body[i*2*channels:]))) / 32768
			}
			return out, rate, nil
		}
		p += 8 + size + size&1
	}
	return nil, 0, errors.New("no data chunk")
}

// readRTTM returns the reference turns of an RTTM file as spans.
func readRTTM(path string) ([]Span, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Span
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) < 5 || fs[0] != "SPEAKER" {
			continue
		}
		st, err1 := strconv.ParseFloat(fs[3], 64)
		du, err2 := strconv.ParseFloat(fs[4], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("bad turn %q", sc.Text())
		}
		out = append(out, Span{Start: Dur(st * float64(time.Second)), End: Dur((st + du) * float64(time.Second))})
	}
	return out, sc.Err()
}

// frameScore counts true/false positives and false negatives of segments
// against reference spans at 10 ms frames over n frames (a frame counts as
// speech when its centre lies inside a span).
type frameScore struct{ tp, fp, fn int }

func (s *frameScore) add(o frameScore) { s.tp += o.tp; s.fp += o.fp; s.fn += o.fn }

func (s frameScore) prf() (p, r, f float64) {
	if s.tp+s.fp > 0 {
		p = float64(s.tp) / float64(s.tp+s.fp)
	}
	if s.tp+s.fn > 0 {
		r = float64(s.tp) / float64(s.tp+s.fn)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

func spanFrames(n int, starts, ends []time.Duration) []bool {
	out := make([]bool, n)
	for i := range starts {
		for k := 0; k < n; k++ {
			c := time.Duration(k)*10*time.Millisecond + 5*time.Millisecond
			if c >= starts[i] && c < ends[i] {
				out[k] = true
			}
		}
	}
	return out
}

func scoreFrames(got, want []bool) frameScore {
	var s frameScore
	for k := range got {
		switch {
		case got[k] && want[k]:
			s.tp++
		case got[k]:
			s.fp++
		case want[k]:
			s.fn++
		}
	}
	return s
}

// analyzeMono runs a OneChannel Analyzer over x in 20 ms chunks.
func analyzeMono(tb testing.TB, cfg Config, x []float32, rate int) Result {
	tb.Helper()
	a, err := NewAnalyzer(cfg, rate, OneChannel)
	if err != nil {
		tb.Fatal(err)
	}
	chunk := rate / 50
	for i := 0; i < len(x); i += chunk {
		a.Write(x[i:min(len(x), i+chunk)], nil)
	}
	return a.Finish()
}

// realSpeechScores analyses every excerpt and returns per-file and pooled
// scores.
func realSpeechScores(tb testing.TB, cfg Config) (names []string, per []frameScore, pooled frameScore) {
	tb.Helper()
	wavs, _ := filepath.Glob(filepath.Join(realSpeechDir, "*.wav"))
	if len(wavs) != 10 {
		tb.Fatalf("got %d excerpts in %s, want 10", len(wavs), realSpeechDir)
	}
	for _, w := range wavs {
		x, rate, err := readPCM16(w)
		if err != nil {
			tb.Fatalf("%s: %v", w, err)
		}
		ref, err := readRTTM(strings.TrimSuffix(w, ".wav") + ".rttm")
		if err != nil {
			tb.Fatalf("%s: %v", w, err)
		}
		res := analyzeMono(tb, cfg, x, rate)
		n := int(int64(len(x)) * 100 / int64(rate))
		var gs, ge, rs, re []time.Duration
		for _, s := range res.Segments {
			if s.Speaker != Unattributed && s.Speaker != Speaker1 && s.Speaker != Speaker2 {
				tb.Fatalf("%s: got speaker %v in a one-channel analysis, want one of its voices", w, s.Speaker)
			}
			gs, ge = append(gs, s.Start.D()), append(ge, s.End.D())
		}
		for _, s := range ref {
			rs, re = append(rs, s.Start.D()), append(re, s.End.D())
		}
		sc := scoreFrames(spanFrames(n, gs, ge), spanFrames(n, rs, re))
		names = append(names, filepath.Base(w))
		per = append(per, sc)
		pooled.add(sc)
	}
	return names, per, pooled
}

// TestRealSpeech measures frame-level speech detection on real meeting
// speech against the union of the reference speakers' turns, pooled over all
// ten excerpts.
func TestRealSpeech(t *testing.T) {
	names, per, pooled := realSpeechScores(t, DefaultConfig())
	for i, s := range per {
		p, r, f := s.prf()
		t.Logf("%s: precision %.3f recall %.3f F1 %.3f", names[i], p, r, f)
	}
	p, r, f := pooled.prf()
	t.Logf("pooled: precision %.3f recall %.3f F1 %.3f (aim %.2f)", p, r, f, realSpeechAim)
	if f < realSpeechF1 || math.IsNaN(f) {
		t.Errorf("pooled F1 = %.3f, want >= %.2f", f, realSpeechF1)
	}
}

// The real excerpts split by recording for the one-channel detector: the
// excerpts that share speakers come from one meeting and stay on one side.
// vadTune (meetings of MEE067/MEE068/MÉO069/FEO065/FEO066, and of
// FEE078–FEE081) may be tuned on; vadReport (the meetings of MEE075,
// FEE083, FEE087/FEE088) and the real-bleed room mixture are reported.
var (
	vadTune   = []string{"trn00", "trn01", "trn02", "trn03", "trn05"}
	vadReport = []string{"trn04", "trn06", "trn07", "trn08", "trn09"}
)

// vadScore is frame precision/recall of the one-channel detector on x
// against reference turns (their union).
func vadScore(tb testing.TB, cfg Config, x []float32, rate int, ref []Span) frameScore {
	res := analyzeMono(tb, cfg, x, rate)
	n := int(int64(len(x)) * 100 / int64(rate))
	var gs, ge, rs, re []time.Duration
	for _, s := range res.Segments {
		gs, ge = append(gs, s.Start.D()), append(ge, s.End.D())
	}
	for _, s := range ref {
		rs, re = append(rs, s.Start.D()), append(re, s.End.D())
	}
	return scoreFrames(spanFrames(n, gs, ge), spanFrames(n, rs, re))
}

// vadSet scores the named excerpts, pooled.
func vadSet(tb testing.TB, cfg Config, names []string) (pooled frameScore, per []frameScore) {
	for _, name := range names {
		w := filepath.Join(realSpeechDir, name+".wav")
		x, rate, err := readPCM16(w)
		if err != nil {
			tb.Fatal(err)
		}
		ref, err := readRTTM(filepath.Join(realSpeechDir, name+".rttm"))
		if err != nil {
			tb.Fatal(err)
		}
		s := vadScore(tb, cfg, x, rate, ref)
		pooled.add(s)
		per = append(per, s)
	}
	return pooled, per
}

// roomMixture is the real-bleed room: the four close-talk microphones
// summed (the room's mixture), reference the union of everyone's turns.
func roomMixture(tb testing.TB) ([]float32, int, []Span) {
	var x []float32
	rate := 0
	for i := 0; i < 4; i++ {
		y, r, err := readPCM16(filepath.Join(realBleedDir, fmt.Sprintf("source%d.wav", i)))
		if err != nil {
			tb.Fatal(err)
		}
		if x == nil {
			x = make([]float32, len(y))
		}
		for j := range y {
			x[j] += y[j]
		}
		rate = r
	}
	ref, err := readRTTM(filepath.Join(realBleedDir, "mixture.rttm"))
	if err != nil {
		tb.Fatal(err)
	}
	return x, rate, ref
}

// TestRealSpeechHeldOut: the one-channel detector on real speech it was
// not tuned on (the report half and the room mixture), and on the tuning
// half as a regression guard. The bars sit just under what the defaults
// measure (README).
func TestRealSpeechHeldOut(t *testing.T) {
	cfg := DefaultConfig()
	tune, _ := vadSet(t, cfg, vadTune)
	report, per := vadSet(t, cfg, vadReport)
	x, rate, ref := roomMixture(t)
	room := vadScore(t, cfg, x, rate, ref)
	for i, s := range per {
		p, r, f := s.prf()
		t.Logf("report %s: P %.3f R %.3f F1 %.3f", vadReport[i], p, r, f)
	}
	for _, c := range []struct {
		name string
		s    frameScore
		min  float64
	}{{"tune", tune, 0.85}, {"report", report, 0.93}, {"room mixture", room, 0.88}} {
		p, r, f := c.s.prf()
		t.Logf("%s: P %.3f R %.3f F1 %.3f", c.name, p, r, f)
		if f < c.min {
			t.Errorf("%s: F1 %.3f, want at least %.2f", c.name, f, c.min)
		}
	}
}
