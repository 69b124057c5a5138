package callgen

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/go-audio/wav"

	"callcoach/analysis"
)

func TestBank(t *testing.T) {
	b, err := Bank()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(b), len(bankEntries); got != want {
		t.Fatalf("bank holds %d utterances, want %d", got, want)
	}
	var bytes int
	for _, e := range bankEntries {
		u := b[e.ID]
		bytes += 2 * len(u.Samples)
		d := u.Seconds()
		segs := localSegments(e.ID, 0)
		switch e.Kind {
		case Floor, Opener:
			if d < 1.5 || d > 8 {
				t.Errorf("%s lasts %.2fs, want 1.5–8 s", e.ID, d)
			}
			// Its first segment takes the floor on its own.
			if segs[0].b-segs[0].a < 1200*time.Millisecond {
				t.Errorf("%s: first segment %v, want >= 1.2 s", e.ID, segs[0].b-segs[0].a)
			}
		case Backchannel:
			if len(segs) != 1 || segs[0].b-segs[0].a >= time.Second {
				t.Errorf("%s: segments %v, want one under 1 s", e.ID, segs)
			}
		}
		var peak float32
		for _, v := range u.Samples {
			peak = max(peak, abs32(v))
		}
		if db := 20 * math.Log10(float64(peak)); db < -2 || db > 0 {
			t.Errorf("%s peaks at %.1f dBFS, want -1", e.ID, db)
		}
	}
	if bytes > 4<<20 {
		t.Errorf("bank is %d bytes, want under 4 MB", bytes)
	}
}

// allScenarios is every scenario the kit ships, the demo included.
func allScenarios() []Scenario { return append(append(Scenarios(), Demo()), fixtureScenarios()...) }

// TestTruthMatchesIntent checks that each scenario means what it says:
// the spec's rules applied to the truth segments find exactly the
// interruptions and backchannels the scenario placed, early starts are not
// interruptions, and each event meets the spec's definition.
func TestTruthMatchesIntent(t *testing.T) {
	cfg := analysis.DefaultConfig()
	for _, sc := range allScenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			_, _, tr := Render(sc, RenderOptions{})
			if d := sc.Length.Seconds(); d < 20 || d > 120 {
				t.Errorf("length %.1fs, want 20–120 s", d)
			}
			if got, want := len(tr.Interruptions), len(sc.Interruptions); got != want {
				t.Errorf("truth has %d interruptions, the scenario placed %d", got, want)
			}
			for i := range min(len(tr.Interruptions), len(sc.Interruptions)) {
				g, w := tr.Interruptions[i], sc.Interruptions[i]
				if d := absDur(g.At.D() - w.At); d > 20*time.Millisecond || g.By != w.By || g.Yielded != w.Yielded {
					t.Errorf("interruption %d: got %s at %.2fs yielded %v, want %s at %.2fs yielded %v",
						i, g.By, g.At.Seconds(), g.Yielded, w.By, w.At.Seconds(), w.Yielded)
				}
				// Both parties speak at once for 0.5 s or more (checked on the
				// raw segments, not on Events' own arithmetic).
				if ov := overlapAfter(tr.SegmentsOf(g.By.Other()), g.At.D()); ov < cfg.InterruptOverlap {
					t.Errorf("interruption at %.2fs: overlap %v, want >= %v", g.At.Seconds(), ov, cfg.InterruptOverlap)
				}
			}
			if got, want := len(tr.Backchannels), len(sc.Backchannels); got != want {
				t.Errorf("truth has %d backchannels, the scenario placed %d", got, want)
			}
			for i := range min(len(tr.Backchannels), len(sc.Backchannels)) {
				g, w := tr.Backchannels[i], sc.Backchannels[i]
				if d := absDur(g.At.D() - w.At); d > 20*time.Millisecond || g.By != w.By {
					t.Errorf("backchannel %d: got %s at %.2fs, want %s at %.2fs", i, g.By, g.At.Seconds(), w.By, w.At.Seconds())
				}
				if g.Duration.D() >= cfg.FloorMin {
					t.Errorf("backchannel at %.2fs lasts %v, want under %v", g.At.Seconds(), g.Duration.D(), cfg.FloorMin)
				}
			}
			for _, e := range sc.EarlyStarts {
				for _, g := range tr.Interruptions {
					if absDur(g.At.D()-e.At) < time.Second {
						t.Errorf("early start at %.2fs became an interruption", e.At.Seconds())
					}
				}
			}
		})
	}
}

// overlapAfter is how long the segments of the other party overlap from
// at on, through the segment that holds at.
func overlapAfter(other []analysis.Segment, at time.Duration) time.Duration {
	for _, s := range other {
		if s.Start.D() < at && at < s.End.D() {
			return s.End.D() - at
		}
	}
	return 0
}

func TestScenarioMix(t *testing.T) {
	tests := []struct {
		name     string
		lo, hi   float64 // rep talk share
		minInter int
		minBack  int
	}{
		{"attentive", 0.35, 0.47, 2, 6},
		{"script_driven", 0.72, 0.88, 5, 4},
		{"mixed", 0.5, 0.65, 4, 4},
	}
	for _, tc := range tests {
		sc, ok := ScenarioNamed(tc.name)
		if !ok {
			t.Fatalf("no scenario %q", tc.name)
		}
		_, _, tr := Render(sc, RenderOptions{})
		if tr.RepTalkShare < tc.lo || tr.RepTalkShare > tc.hi {
			t.Errorf("%s: rep talk share %.3f, want %.2f–%.2f", tc.name, tr.RepTalkShare, tc.lo, tc.hi)
		}
		if d := tr.Duration.Seconds(); d < 45 || d > 120 {
			t.Errorf("%s: %.1fs long, want 45–120 s", tc.name, d)
		}
		if len(tr.Interruptions) < tc.minInter || len(tr.Backchannels) < tc.minBack {
			t.Errorf("%s: %d interruptions, %d backchannels; want >= %d, >= %d",
				tc.name, len(tr.Interruptions), len(tr.Backchannels), tc.minInter, tc.minBack)
		}
	}
}

// TestCleanChannelOutsideTruth: a clean render carries no speech outside
// the truth segments (every frame there is below the truth threshold of
// the party's loudest frame), is digital silence outside the placed
// utterances, and inside a segment is never quiet for as long as the
// bridging gap (quiet there = 10 dB under the truth threshold, for the
// spread of loudness between utterances).
func TestCleanChannelOutsideTruth(t *testing.T) {
	bridge := int(analysis.DefaultConfig().BridgeGap / FrameLen)
	for _, sc := range Scenarios() {
		for _, rate := range []int{8000, 16000, 44100} {
			rep, cust, tr := Render(sc, RenderOptions{Rate: rate})
			for s, ch := range [][]float32{rep, cust} {
				who := analysis.Speaker(s)
				n := framesIn(len(ch), rate)
				act := Frames(tr.Segments, who, n)
				energy := make([]float64, n)
				peak := 0.0
				for k := range energy {
					a, b := frameStart(k, rate), min(frameStart(k+1, rate), len(ch))
					for _, v := range ch[a:b] {
						energy[k] += float64(v) * float64(v)
					}
					energy[k] /= float64(frameStart(k+1, rate) - a)
					peak = max(peak, energy[k])
				}
				limit := peak * math.Pow(10, -TruthRangeDB/10.0)
				run := 0
				for k, e := range energy {
					if !act[k] && e >= limit {
						t.Errorf("%s %d Hz %s: frame at %.2fs is %.1f dB below the peak, outside the truth",
							sc.Name, rate, who, float64(k)/100, 10*math.Log10(peak/e))
						break
					}
					if act[k] && e < limit/10 {
						run++
					} else {
						run = 0
					}
					if run >= bridge {
						t.Errorf("%s %d Hz %s: truth segment quiet for %d frames up to %.2fs", sc.Name, rate, who, run, float64(k)/100)
						break
					}
				}
				// Digital silence away from every placed utterance.
				for i := range ch {
					if ch[i] != 0 && !nearUtterance(tr, who, time.Duration(i)*time.Second/time.Duration(rate)) {
						t.Errorf("%s %d Hz %s: sample at %.3fs is %g away from any utterance", sc.Name, rate, who, float64(i)/float64(rate), ch[i])
						break
					}
				}
			}
		}
	}
}

func nearUtterance(tr Truth, who analysis.Speaker, at time.Duration) bool {
	const slack = 5 * time.Millisecond // resampling filter ringing
	for _, u := range tr.Utterances {
		if u.Speaker == who && u.Start.D()-slack <= at && at < u.End.D()+slack {
			return true
		}
	}
	return false
}

// TestRates: a call rendered at any rate lasts as long, and its truth is
// the same to within a frame or two.
func TestRates(t *testing.T) {
	sc, _ := ScenarioNamed("mixed")
	_, _, ref := Render(sc, RenderOptions{Rate: 16000})
	for _, rate := range []int{8000, 11025, 22050, 44100, 48000} {
		rep, cust, tr := Render(sc, RenderOptions{Rate: rate})
		if want := int(math.Round(sc.Length.Seconds() * float64(rate))); len(rep) != want || len(cust) != want {
			t.Errorf("%d Hz: %d and %d samples, want %d", rate, len(rep), len(cust), want)
		}
		if absDur(tr.Duration.D()-sc.Length) > time.Millisecond {
			t.Errorf("%d Hz: truth duration %v, want %v", rate, tr.Duration.D(), sc.Length)
		}
		for _, s := range []analysis.Speaker{analysis.Rep, analysis.Customer} {
			n := int(sc.Length / FrameLen)
			if f1 := frameF1(Frames(ref.Segments, s, n), Frames(tr.Segments, s, n)); f1 < 0.99 {
				t.Errorf("%d Hz %s: truth frames F1 %.4f against 16 kHz, want >= 0.99", rate, s, f1)
			}
		}
		if len(tr.Interruptions) != len(ref.Interruptions) || len(tr.Backchannels) != len(ref.Backchannels) {
			t.Errorf("%d Hz: %d interruptions %d backchannels, want %d and %d",
				rate, len(tr.Interruptions), len(tr.Backchannels), len(ref.Interruptions), len(ref.Backchannels))
		}
	}
}

func TestResampleTone(t *testing.T) {
	tests := []struct {
		from, to int
		hz       float64
		wantGain float64 // output RMS / input RMS
	}{
		{16000, 48000, 1000, 1},
		{16000, 44100, 3000, 1},
		{16000, 8000, 1000, 1},
		{16000, 8000, 6000, 0}, // above the new Nyquist: filtered out
		{16000, 22050, 6000, 1},
	}
	for _, tc := range tests {
		x := make([]float32, tc.from) // one second
		for i := range x {
			x[i] = float32(0.5 * math.Sin(2*math.Pi*tc.hz*float64(i)/float64(tc.from)))
		}
		y := Resample(x, tc.from, tc.to)
		if len(y) != tc.to {
			t.Fatalf("%d→%d: %d samples, want %d", tc.from, tc.to, len(y), tc.to)
		}
		mid := y[tc.to/4 : 3*tc.to/4] // away from the edges
		var e, ref float64
		for i, v := range mid {
			e += float64(v) * float64(v)
			w := 0.5 * math.Sin(2*math.Pi*tc.hz*float64(i+tc.to/4)/float64(tc.to))
			ref += (float64(v) - w) * (float64(v) - w)
		}
		gain := math.Sqrt(e/float64(len(mid))) / (0.5 / math.Sqrt2)
		if tc.wantGain == 0 {
			if gain > 0.01 {
				t.Errorf("%d→%d %g Hz: gain %.4f, want below -40 dB", tc.from, tc.to, tc.hz, gain)
			}
			continue
		}
		if math.Abs(gain-1) > 0.01 {
			t.Errorf("%d→%d %g Hz: gain %.4f, want 1", tc.from, tc.to, tc.hz, gain)
		}
		// The output is the same tone, in phase: the error is small.
		if snr := 10 * math.Log10(e/ref); snr < 50 {
			t.Errorf("%d→%d %g Hz: %.1f dB SNR against the ideal tone, want >= 50", tc.from, tc.to, tc.hz, snr)
		}
	}
}

// TestConditions checks each recording effect on its own: levels, leak and
// sidetone (delay and gain), room noise SNR.
func TestConditions(t *testing.T) {
	sc, _ := ScenarioNamed("attentive")
	base := RenderOptions{Rate: 16000, RepPeakDBFS: -20, CustomerPeakDBFS: -1}
	rep0, cust0, tr := Render(sc, base)
	if p := peakDB(rep0); math.Abs(p+20) > 0.05 {
		t.Errorf("rep peak %.2f dBFS, want -20", p)
	}
	if p := peakDB(cust0); math.Abs(p+1) > 0.05 {
		t.Errorf("customer peak %.2f dBFS, want -1", p)
	}

	// Crosstalk: the mic carries exactly the customer, delayed and scaled.
	opt := base
	opt.Leak = Crosstalk{Delay: 23 * time.Millisecond, GainDB: -9}
	opt.Sidetone = Crosstalk{Delay: 4 * time.Millisecond, GainDB: -16}
	rep, cust, tr2 := Render(sc, opt)
	if !reflect.DeepEqual(tr.Segments, tr2.Segments) {
		t.Error("crosstalk changed the truth segments; only the clean voices may")
	}
	checkLeak(t, "leak", rep, rep0, cust0, 368, -9)
	checkLeak(t, "sidetone", cust, cust0, rep0, 64, -16)

	// Room noise: the SNR against the rep's speech is as set.
	for _, snr := range []float64{15, 20} {
		opt := base
		opt.NoiseSNR = snr
		opt.Seed = 7
		rep, _, _ := Render(sc, opt)
		act := Frames(tr.Segments, analysis.Rep, framesIn(len(rep), 16000))
		noise := make([]float32, len(rep))
		for i := range rep {
			noise[i] = rep[i] - rep0[i]
		}
		var e float64
		for _, v := range noise {
			e += float64(v) * float64(v)
		}
		got := 20 * math.Log10(speechRMS(rep0, act, 16000)/math.Sqrt(e/float64(len(noise))))
		if math.Abs(got-snr) > 0.1 {
			t.Errorf("noise SNR %.2f dB, want %g", got, snr)
		}
	}
}

func checkLeak(t *testing.T, name string, mixed, own, other []float32, delay int, gainDB float64) {
	t.Helper()
	g := dbToGain(gainDB)
	var worst float64
	for i := range mixed {
		want := float64(own[i])
		if i >= delay {
			want += g * float64(other[i-delay])
		}
		worst = max(worst, math.Abs(float64(mixed[i])-want))
	}
	if worst > 1e-6 {
		t.Errorf("%s: differs from own + %.1f dB × other delayed %d samples by up to %g", name, gainDB, delay, worst)
	}
}

func peakDB(x []float32) float64 {
	var p float32
	for _, v := range x {
		p = max(p, abs32(v))
	}
	return 20 * math.Log10(float64(p))
}

func TestRenderDeterministic(t *testing.T) {
	sc, _ := ScenarioNamed("mixed")
	c, _ := ConditionNamed("echo_noise")
	r1, c1, t1 := RenderCondition(sc, c)
	r2, c2, t2 := RenderCondition(sc, c)
	if !reflect.DeepEqual(r1, r2) || !reflect.DeepEqual(c1, c2) || !reflect.DeepEqual(t1, t2) {
		t.Error("two renders of the same scenario and condition differ")
	}
	if sc2, _ := ScenarioNamed("mixed"); !reflect.DeepEqual(sc, sc2) {
		t.Error("building the same scenario twice gave different timelines")
	}
}

func TestWriteWAV(t *testing.T) {
	dir := t.TempDir()
	x := []float32{0, 0.5, -0.5, 0.999, -1, 0.25, 1e-4}
	y := []float32{0.1, -0.1, 0.2, -0.2, 0.3, -0.3, 0}
	tests := []struct {
		f    Format
		bits int
		tol  float64
	}{
		{Int16, 16, 1.0 / 32767},
		{Int24, 24, 1.0 / 8388607},
		{Float32, 32, 0},
	}
	for _, tc := range tests {
		path := filepath.Join(dir, tc.f.String()+".wav")
		if err := WriteWAV(path, 22050, tc.f, x, y); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", tc.f, fi.Mode().Perm())
		}
		fh, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		d := wav.NewDecoder(fh)
		buf, err := d.FullPCMBuffer()
		fh.Close()
		if err != nil {
			t.Fatalf("%s: %v", tc.f, err)
		}
		if int(d.BitDepth) != tc.bits || buf.Format.NumChannels != 2 || buf.Format.SampleRate != 22050 {
			t.Fatalf("%s: got %d bits %d channels %d Hz, want %d, 2, 22050", tc.f, d.BitDepth, buf.Format.NumChannels, buf.Format.SampleRate, tc.bits)
		}
		if wantFmt := map[Format]uint16{Int16: 1, Int24: 1, Float32: 3}[tc.f]; d.WavAudioFormat != wantFmt {
			t.Errorf("%s: format tag %d, want %d", tc.f, d.WavAudioFormat, wantFmt)
		}
		for i, v := range buf.Data {
			want := []float32{x[i/2], y[i/2]}[i%2]
			var got float64
			switch tc.f {
			case Float32:
				got = float64(math.Float32frombits(uint32(int32(v))))
			default:
				got = float64(v) / float64(int(1)<<(tc.bits-1)-1)
			}
			if math.Abs(got-float64(want)) > tc.tol {
				t.Errorf("%s: sample %d = %g, want %g", tc.f, i, got, want)
			}
		}
	}
	if err := WriteWAV(filepath.Join(dir, "bad.wav"), 8000, Int16, x, y[:3]); err == nil {
		t.Error("channels of different lengths: got no error")
	}
}

func TestTruthJSON(t *testing.T) {
	sc, _ := ScenarioNamed("attentive")
	c, _ := ConditionNamed("echo_noise")
	_, _, tr := RenderCondition(sc, c)
	path := filepath.Join(t.TempDir(), "t.json")
	if err := tr.WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	got, err := ReadTruth(path)
	if err != nil {
		t.Fatal(err)
	}
	// JSON keeps milliseconds; every truth time is on the 10 ms grid, and
	// the render options are round numbers.
	if !reflect.DeepEqual(got.Segments, tr.Segments) || !reflect.DeepEqual(got.Interruptions, tr.Interruptions) ||
		got.Talk != tr.Talk || got.Render.Leak != tr.Render.Leak || got.Rate != tr.Rate {
		t.Errorf("truth changed through JSON:\ngot  %+v\nwant %+v", got.Render, tr.Render)
	}
	// The truth reads as an analysis.Result where their fields overlap.
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r analysis.Result
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r.Segments, tr.Segments) || !reflect.DeepEqual(r.Interruptions, tr.Interruptions) ||
		!reflect.DeepEqual(r.Backchannels, tr.Backchannels) || r.Talk != tr.Talk || r.RepTalkShare != tr.RepTalkShare ||
		absDur(r.Duration.D()-tr.Duration.D()) > time.Millisecond || r.Channels != tr.Channels || r.Overlap != tr.Overlap || r.Silence != tr.Silence {
		t.Error("the truth file does not read back as the same analysis.Result fields")
	}
}

func BenchmarkRender(b *testing.B) {
	sc, _ := ScenarioNamed("mixed")
	c, _ := ConditionNamed("echo_noise")
	RenderCondition(sc, c) // warm the bank
	b.ResetTimer()
	for b.Loop() {
		RenderCondition(sc, c)
	}
	b.ReportMetric(sc.Length.Seconds(), "call-s")
}

func BenchmarkResample(b *testing.B) {
	x := make([]float32, BankRate) // 1 s
	for i := range x {
		x[i] = float32(math.Sin(float64(i)))
	}
	for b.Loop() {
		Resample(x, BankRate, 44100)
	}
}

// TestRoomLeak: a reverberant leak carries its tail's energy on top of the
// direct path's, and the loudspeaker band passes speech and cuts rumble
// and hiss.
func TestRoomLeak(t *testing.T) {
	sc, _ := ScenarioNamed("mixed")
	rep0, cust0, _ := Render(sc, RenderOptions{})
	energy := func(x []float32) float64 {
		var e float64
		for _, v := range x {
			e += float64(v) * float64(v)
		}
		return e
	}
	for _, tc := range []struct {
		gain, tail float64
	}{{-8, -8}, {-10, -3}} {
		rep, _, _ := Render(sc, RenderOptions{Leak: Crosstalk{Delay: 30 * time.Millisecond, GainDB: tc.gain, Reverb: 200 * time.Millisecond, ReverbDB: tc.tail}, Seed: 3})
		leak := make([]float32, len(rep))
		for i := range rep {
			leak[i] = rep[i] - rep0[i]
		}
		got := 10 * math.Log10(energy(leak)/energy(cust0))
		want := tc.gain + 10*math.Log10(1+math.Pow(10, tc.tail/10))
		if math.Abs(got-want) > 1.5 {
			t.Errorf("leak %g dB + tail %g dB: leak energy %.1f dB, want %.1f ± 1.5", tc.gain, tc.tail, got, want)
		}
	}
	for _, tc := range []struct {
		hz     float64
		lo, hi float64 // gain in dB
	}{{60, -100, -15}, {1000, -1, 0.5}, {2000, -1.5, 0.5}, {7000, -100, -10}} {
		x := make([]float32, 16000)
		for i := range x {
			x[i] = float32(math.Sin(2 * math.Pi * tc.hz * float64(i) / 16000))
		}
		y := speakerBand(x, 16000)
		g := 10 * math.Log10(energy(y[8000:])/energy(x[8000:]))
		if g < tc.lo || g > tc.hi {
			t.Errorf("speaker band at %g Hz: %.1f dB, want %g..%g", tc.hz, g, tc.lo, tc.hi)
		}
	}
}

// TestGapsClearOfBridging: no pause in any scenario's raw activity comes
// within 80 ms of the 0.30 s bridging gap, and no overlap or yield comes
// near its threshold, so the truth does not hinge on a few milliseconds
// of boundary.
func TestGapsClearOfBridging(t *testing.T) {
	cfg := analysis.DefaultConfig()
	const margin = 80 * time.Millisecond
	for _, sc := range allScenarios() {
		_, act, _ := mix(sc, 16000)
		for s, a := range act {
			run, seen := 0, false
			for k, v := range a {
				if !v {
					run++
					continue
				}
				gap := time.Duration(run) * FrameLen
				if seen && absDur(gap-cfg.BridgeGap) < margin {
					t.Errorf("%s %s: a pause of %v ends at %.2fs, within %v of the bridging gap",
						sc.Name, analysis.Speaker(s), gap, float64(k)/100, margin)
				}
				run, seen = 0, true
			}
		}
		_, _, tr := Render(sc, RenderOptions{})
		for _, i := range tr.Interruptions {
			if i.Overlap.D() < cfg.InterruptOverlap+150*time.Millisecond {
				t.Errorf("%s: interruption at %.2fs overlaps %v, too near %v", sc.Name, i.At.Seconds(), i.Overlap.D(), cfg.InterruptOverlap)
			}
			if end := overlapAfter(tr.SegmentsOf(i.By.Other()), i.At.D()); absDur(end-cfg.YieldWithin) < 250*time.Millisecond {
				t.Errorf("%s: interrupted party stops %v after the onset at %.2fs, too near %v", sc.Name, end, i.At.Seconds(), cfg.YieldWithin)
			}
			if !i.Yielded {
				// The talked-through party outlasts the interrupter clearly.
				byEnd := overlapAfter(tr.SegmentsOf(i.By), i.At.D()+time.Millisecond) + i.At.D() + time.Millisecond
				otherEnd := overlapAfter(tr.SegmentsOf(i.By.Other()), i.At.D()) + i.At.D()
				if otherEnd-byEnd < 400*time.Millisecond {
					t.Errorf("%s: talked-through interruption at %.2fs: the interrupter stops at %.2fs, the other at %.2fs; want the other 0.4 s later or more",
						sc.Name, i.At.Seconds(), byEnd.Seconds(), otherEnd.Seconds())
				}
			}
		}
	}
}

// TestWarp: the leak's fractional and drifting delay is a band-limited
// shift of the source.
func TestWarp(t *testing.T) {
	const rate, hz = 16000, 300.0
	x := make([]float32, rate)
	for i := range x {
		x[i] = float32(math.Sin(2 * math.Pi * hz * float64(i) / rate))
	}
	for _, tc := range []struct{ frac, ppm float64 }{{0.5, 0}, {0.25, 0}, {0, 1000}, {0.3, -500}} {
		y := warp(x, tc.frac, tc.ppm)
		var worst float64
		for i := rate / 10; i < rate*9/10; i++ {
			delay := tc.frac + float64(i)*tc.ppm*1e-6 // samples
			want := math.Sin(2 * math.Pi * hz * (float64(i) - delay) / rate)
			worst = max(worst, math.Abs(float64(y[i])-want))
		}
		if worst > 1e-3 {
			t.Errorf("frac %g ppm %g: differs from the ideal delayed tone by up to %g", tc.frac, tc.ppm, worst)
		}
	}
}

// TestTyping: keystrokes land only in the customer's turns, clear of the
// rep's speech, and are loud.
func TestTyping(t *testing.T) {
	sc, _ := ScenarioNamed("attentive")
	a, _, tr := Render(sc, RenderOptions{Seed: 5})
	b, _, _ := Render(sc, RenderOptions{Seed: 5, Typing: -6})
	var clicks int
	var peak float32
	for i := range a {
		d := b[i] - a[i]
		if d == 0 {
			continue
		}
		clicks++
		peak = max(peak, abs32(d))
		at := time.Duration(i) * time.Second / 16000
		for _, s := range tr.SegmentsOf(analysis.Rep) {
			if s.Start.D()-300*time.Millisecond < at && at < s.End.D()+300*time.Millisecond {
				t.Fatalf("keystroke at %.3fs within 0.3 s of rep speech %.2f–%.2fs", at.Seconds(), s.Start.Seconds(), s.End.Seconds())
			}
		}
	}
	if clicks == 0 || 20*math.Log10(float64(peak)) < -4-6-6 {
		t.Errorf("%d keystroke samples peaking at %.1f dBFS; want loud typing (rep peak -4 dBFS, typing -6 dB)", clicks, 20*math.Log10(float64(peak)))
	}
}

// TestDrawEcho: drawn conditions stay inside the spec's ranges, differ
// between calls, and are the same each time for the same call.
func TestDrawEcho(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[int]bool{}
	for range 500 {
		o := drawEcho(r)
		seen[o.Rate] = true
		l := o.Leak
		if l.Delay < time.Millisecond || l.Delay > 50*time.Millisecond || l.GainDB < -20 || l.GainDB > -3 ||
			math.Abs(l.DriftPPM) > 50 || o.NoiseSNR < 15 || o.NoiseSNR > 20 || o.Rate < 8000 || o.Rate > 48000 {
			t.Fatalf("drawn conditions out of range: %+v", o)
		}
	}
	if len(seen) != 5 {
		t.Errorf("drew rates %v, want all five", seen)
	}
	sc, _ := ScenarioNamed("mixed")
	c, _ := ConditionNamed("echo_varied_1")
	r1, _, t1 := RenderCondition(sc, c)
	r2, _, t2 := RenderCondition(sc, c)
	if !reflect.DeepEqual(r1, r2) || !reflect.DeepEqual(t1.Render, t2.Render) {
		t.Error("the same call under a drawn condition rendered differently twice")
	}
	c2, _ := ConditionNamed("echo_varied_2")
	if _, _, t3 := RenderCondition(sc, c2); reflect.DeepEqual(t1.Render.Leak, t3.Render.Leak) {
		t.Error("two drawn conditions drew the same leak")
	}
}
