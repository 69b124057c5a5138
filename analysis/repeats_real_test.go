package analysis

import (
	"encoding/csv"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// readVsSpontDir holds 46 real clips of one speaker each (see its README).
const readVsSpontDir = "../../shared/data/read-vs-spontaneous"

// Real speech for the repeats matcher. Every clip is a different utterance
// of a real person (several people have two to five clips), so any repeat
// claimed between two clips is wrong; and each clip, re-said through sox
// — slower or faster by 20%, a semitone up or 1.5 down, in pink noise 20 dB
// under the speech and 12 dB quieter, squeezed through an 8 kHz µ-law
// telephone line, or several at once — and placed after another clip of
// the same speaker, must be found again in both.
//
// The split is by speaker. The fingerprint's floor (fpFloorDB), its
// number of cepstra (fpCeps), and the matcher's Similarity and MinSeeds
// were chosen on repeatsTuneSpeakers' clips (the last two left at their
// defaults: 0.45 and 2 seeds did not do better there); the figures that
// count are the other speakers'. (The tuning speakers are the harder set:
// their AMI and MFA clips are spontaneous, noisy and full of pauses.)
var repeatsTuneSpeakers = []string{
	"librispeech_1688", "librispeech_1998", "librispeech_2033", "librispeech_2414",
	"librispeech_2609", "librispeech_3005", "librispeech_3080",
	"AMI_MEE073", "MFA_author_Michael_McAuliffe", "librivox_sense_and_sensibility_ch01_reader",
}

// repeatsRealConditions are the re-sayings: sox effects, then (in Go)
// gain and noise.
var repeatsRealConditions = []struct {
	name    string
	sox     []string
	gainDB  float64
	noiseDB float64 // pink noise this far under the speech; 0 = none
}{
	{"tempo_0.8", []string{"tempo", "-s", "0.8"}, 0, 0},
	{"tempo_1.2", []string{"tempo", "-s", "1.2"}, 0, 0},
	{"pitch_+100c", []string{"pitch", "100"}, 0, 0},
	{"pitch_-150c", []string{"pitch", "-150"}, 0, 0},
	{"noise_20dB_gain_-12dB", nil, -12, 20},
	{"phone_8k_ulaw_tempo_1.1", []string{"tempo", "-s", "1.1", "sinc", "300-3400", "rate", "8000"}, 0, 0},
	{"tempo_0.85_pitch_+80c_noise_20dB", []string{"tempo", "-s", "0.85", "pitch", "80"}, -6, 20},
	// A stress figure, not held to 0.9: pink noise 15 dB under the speech
	// leaves these clips' 1–3.4 kHz band (where the formants that tell
	// words apart sit) only 2–5 dB above the noise.
	{"stress_noise_15dB", nil, 0, 15},
}

type realClip struct {
	file, speaker string
	x             []float32
	rate          int
}

func loadRealClips(tb testing.TB) []realClip {
	tb.Helper()
	f, err := os.Open(filepath.Join(readVsSpontDir, "clips.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	var out []realClip
	for _, r := range rows[1:] {
		x, rate, err := readPCM16(filepath.Join(readVsSpontDir, r[0]))
		if err != nil {
			tb.Fatalf("%s: %v", r[0], err)
		}
		out = append(out, realClip{file: r[0], speaker: r[2], x: x, rate: rate})
	}
	return out
}

// sox runs sox on a clip and reads the result back at 16 kHz (8 kHz
// results are read as they are: the fingerprint works at any rate).
func soxClip(tb testing.TB, dir string, c realClip, name string, effects []string) ([]float32, int) {
	tb.Helper()
	in := filepath.Join(readVsSpontDir, c.file)
	out := filepath.Join(dir, strings.ReplaceAll(c.file, "/", "_")+"."+name+".wav")
	args := []string{"-D", in, "-b", "16", out}
	if slices.Contains(effects, "8000") {
		args = []string{"-D", in, "-b", "16", "-e", "signed-integer", out}
		// µ-law on the way: encode then decode through a second file.
		mid := out + ".ul.wav"
		if b, err := exec.Command("sox", append([]string{"-D", in, "-e", "u-law", mid}, effects...)...).CombinedOutput(); err != nil {
			tb.Fatalf("sox: %v: %s", err, b)
		}
		args = []string{"-D", mid, "-b", "16", "-e", "signed-integer", out}
		effects = nil
	}
	if b, err := exec.Command("sox", append(args, effects...)...).CombinedOutput(); err != nil {
		tb.Fatalf("sox: %v: %s", err, b)
	}
	x, rate, err := readPCM16(out)
	if err != nil {
		tb.Fatal(err)
	}
	return x, rate
}

// pinkNoise adds pink noise (Paul Kellet's filter) snr dB under x's RMS
// over its loudest half of 20 ms blocks (the speech).
func pinkNoise(x []float32, rate int, snr float64, seed uint64) {
	blk := rate / 50
	var es []float64
	for i := 0; i+blk <= len(x); i += blk {
		var e float64
		for _, v := range x[i : i+blk] {
			e += float64(v) * float64(v)
		}
		es = append(es, e/float64(blk))
	}
	slices.Sort(es)
	var sp float64
	for _, e := range es[len(es)/2:] {
		sp += e
	}
	sp /= float64(len(es) - len(es)/2)
	r := rand.New(rand.NewPCG(seed, 3))
	n := make([]float64, len(x))
	var b0, b1, b2, ne float64
	for i := range n {
		w := r.NormFloat64()
		b0 = 0.99765*b0 + w*0.0990460
		b1 = 0.96300*b1 + w*0.2965164
		b2 = 0.57000*b2 + w*1.0526913
		n[i] = b0 + b1 + b2 + w*0.1848
		ne += n[i] * n[i]
	}
	g := math.Sqrt(sp / (ne / float64(len(n))) * math.Pow(10, -snr/10))
	for i := range x {
		x[i] = float32(max(-1, min(1, float64(x[i])+g*n[i])))
	}
}

// realCall is a "call" made of real clips: its rep channel and where each
// clip lies in it.
type realCall struct {
	x     []float32
	rate  int
	clips map[string][2]time.Duration // clip file → [start, end)
}

// concat places clips one after another with a second of silence before
// each (resampling is not needed: the clips of one call share a rate).
func concat(rate int, parts ...struct {
	file string
	x    []float32
}) realCall {
	c := realCall{rate: rate, clips: map[string][2]time.Duration{}}
	for _, p := range parts {
		c.x = append(c.x, make([]float32, rate)...)
		start := time.Duration(len(c.x)) * time.Second / time.Duration(rate)
		c.x = append(c.x, p.x...)
		c.clips[p.file] = [2]time.Duration{start, time.Duration(len(c.x)) * time.Second / time.Duration(rate)}
	}
	c.x = append(c.x, make([]float32, rate/2)...)
	return c
}

// TestRepeatsRealSpeech: see repeatsTuneSpeakers. Precision and recall of
// the re-said clips, per condition, on the speakers not tuned on, must be
// 0.9 or better, and no repeat may be claimed between two different
// clips — same speaker or not.
func TestRepeatsRealSpeech(t *testing.T) {
	if _, err := exec.LookPath("sox"); err != nil {
		t.Fatalf("the real-speech repeats test needs sox (apt-get install sox): %v", err)
	}
	clips := loadRealClips(t)
	dir := t.TempDir()
	cfg := DefaultRepeatConfig()
	type score struct{ tp, fp, fn int }
	for _, split := range []string{"tune", "report"} {
		var use []realClip
		for _, c := range clips {
			if slices.Contains(repeatsTuneSpeakers, c.speaker) == (split == "tune") {
				use = append(use, c)
			}
		}
		// The originals, each alone in a call: pairs of different clips
		// must match nothing.
		fps := map[int64]*Fingerprint{}
		idx := NewRepeatIndex(cfg)
		src := memSource(fps)
		wrongBetween := 0
		for i, c := range use {
			call := concat(c.rate, struct {
				file string
				x    []float32
			}{c.file, c.x})
			fp, err := fingerprintSamples(call.x, call.rate)
			if err != nil {
				t.Fatal(err)
			}
			id := int64(i + 1)
			fps[id] = fp
			rs, err := idx.Match(id, fp, src)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rs {
				o := use[r.Call-1]
				t.Logf("%s: wrong: %s %.1f–%.1f s and %s (%s) %.1f–%.1f s", split, c.file, r.Start.Seconds(), r.End.Seconds(), o.file, o.speaker, r.OtherStart.Seconds(), r.OtherEnd.Seconds())
				wrongBetween++
			}
			idx.Add(id, fp.Tokens())
		}
		t.Logf("%s split: %d clips of %d speakers, %d pairs of different clips, %d repeats claimed between them", split, len(use), countSpeakers(use), len(use)*(len(use)-1)/2, wrongBetween)
		if wrongBetween > 0 {
			t.Errorf("%s split: %d repeats claimed between different clips; want 0", split, wrongBetween)
		}
		// Each clip re-said under each condition in a call of its own,
		// after another clip of the same speaker said the same way (or a
		// silence, for a speaker with one clip); matched against the
		// originals (a match of the clip before it with its own original
		// is right, and not scored).
		leadOf := func(i int) int {
			for k := 1; k < len(use); k++ {
				if j := (i + k) % len(use); use[j].speaker == use[i].speaker {
					return j
				}
			}
			return -1
		}
		for ci, cond := range repeatsRealConditions {
			var s score
			resay := func(c realClip, seed uint64) ([]float32, int) {
				x, rate := c.x, c.rate
				if cond.sox != nil {
					x, rate = soxClip(t, dir, c, cond.name, cond.sox)
				} else {
					x = slices.Clone(x)
				}
				g := float32(math.Pow(10, cond.gainDB/20))
				for k := range x {
					x[k] *= g
				}
				if cond.noiseDB > 0 {
					pinkNoise(x, rate, cond.noiseDB, seed)
				}
				return x, rate
			}
			for i, c := range use {
				if longestRun(fps[int64(i+1)], cfg.Pause) < cfg.MinPassage+time.Second {
					continue // no stretch long enough to count as a passage
				}
				x, rate := resay(c, uint64(ci*100+i))
				lf, lead := "silence", make([]float32, (2+i%4)*rate)
				li := leadOf(i)
				if li >= 0 {
					lf = use[li].file
					lead, _ = resay(use[li], uint64(ci*100+i+50))
				}
				call := concat(rate, struct {
					file string
					x    []float32
				}{lf, lead}, struct {
					file string
					x    []float32
				}{c.file, x})
				fp, err := fingerprintSamples(call.x, call.rate)
				if err != nil {
					t.Fatal(err)
				}
				rs, err := idx.Match(0, fp, src)
				if err != nil {
					t.Fatal(err)
				}
				want := call.clips[c.file]
				orig := [2]time.Duration{time.Second, time.Second + time.Duration(len(c.x))*time.Second/time.Duration(c.rate)}
				found := false
				for _, r := range rs {
					if r.Call == int64(i+1) && !found && coversD(r.Start.D(), r.End.D(), want, fps[r.Call], false) && coversD(r.OtherStart.D(), r.OtherEnd.D(), orig, fps[r.Call], true) {
						found = true
						s.tp++
						continue
					}
					if r.Call == int64(li+1) {
						continue // the clip before it, found in its original
					}
					s.fp++
					t.Logf("%s %s: wrong: %s %.1f–%.1f s with %s %.1f–%.1f s", split, cond.name, c.file, r.Start.Seconds(), r.End.Seconds(), use[r.Call-1].file, r.OtherStart.Seconds(), r.OtherEnd.Seconds())
				}
				if !found {
					s.fn++
					f0 := fps[int64(i+1)]
					t.Logf("%s %s: missed %s (%s): speech %v over %v (%v), re-said %v over %v; found %+v", split, cond.name, c.file, c.speaker, f0.Speech(), speechOf(f0), f0.Time(0), fp.Speech(), speechOf(fp), rs)
				}
			}
			p, r := ratioF(s.tp, s.tp+s.fp), ratioF(s.tp, s.tp+s.fn)
			t.Logf("%s split, %s: %d clips re-said, found %d, missed %d, wrong %d: precision %.2f recall %.2f", split, cond.name, s.tp+s.fn, s.tp, s.fn, s.fp, p, r)
			if split == "report" && !strings.HasPrefix(cond.name, "stress") && (p < 0.9 || r < 0.9) {
				t.Errorf("%s: precision %.2f, recall %.2f; want both ≥ 0.90", cond.name, p, r)
			}
		}
	}
}

func ratioF(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func countSpeakers(cs []realClip) int {
	m := map[string]bool{}
	for _, c := range cs {
		m[c.speaker] = true
	}
	return len(m)
}

// longestRun is the longest stretch of f's speech without a pause of
// pause or more, first frame to last.
func longestRun(f *Fingerprint, pause time.Duration) time.Duration {
	var best time.Duration
	from := 0
	for i := 1; i <= f.Len(); i++ {
		if i == f.Len() || f.Time(i)-f.Time(i-1)-FPHop >= pause {
			best = max(best, f.Time(i-1)+FPHop-f.Time(from))
			from = i
		}
	}
	return best
}

// speechOf is the stretch a fingerprint's speech spans, first frame to
// last.
func speechOf(f *Fingerprint) time.Duration {
	if f.Len() == 0 {
		return 0
	}
	return f.Time(f.Len()-1) - f.Time(0) + FPHop
}

// coversD: the found stretch [a, b) and the clip's place overlap by 60% of
// each, the clip's place taken as its speech (from its first frame of
// speech to its last) when the clip is the original whose fingerprint is
// given, else as the clip's whole length less the lead-in silence the
// detector leaves out.
func coversD(a, b time.Duration, clip [2]time.Duration, orig *Fingerprint, isOrig bool) bool {
	lo, hi := clip[0], clip[1]
	if isOrig && orig.Len() > 0 {
		lo, hi = max(lo, orig.Time(0)), min(hi, orig.Time(orig.Len()-1)+FPHop)
	}
	in := min(b, hi) - max(a, lo)
	return in > 0 && float64(in) >= 0.6*float64(b-a) && float64(in) >= 0.6*float64(hi-lo)
}
