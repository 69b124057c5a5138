package analysis

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// realBleedDir: the real close-talk pair (readSpontDir is in
// delivery_real_test.go).
const realBleedDir = "../../shared/data/real-bleed"

// diarizeSamples runs a one-channel Analyzer over x and splits its speech
// between two speakers.
func diarizeSamples(tb testing.TB, cfg Config, x []float32, rate int) ([2][]Segment, diarization, Result) {
	tb.Helper()
	a, err := NewAnalyzer(cfg, rate, OneChannel)
	if err != nil {
		tb.Fatal(err)
	}
	chunk := rate / 50
	for i := 0; i < len(x); i += chunk {
		a.Write(x[i:min(len(x), i+chunk)], nil)
	}
	res := a.Finish()
	var segs [2][]Segment
	for _, s := range res.Segments {
		switch s.Speaker {
		case Speaker1, Rep:
			segs[0] = append(segs[0], s)
		case Speaker2, Customer:
			segs[1] = append(segs[1], s)
		}
	}
	var d diarization
	if res.Diarization != nil {
		d.confidence = res.Diarization.Confidence
		tot := res.Diarization.Talk[0] + res.Diarization.Talk[1]
		if tot > 0 {
			d.share = [2]float64{float64(res.Diarization.Talk[0]) / float64(tot), float64(res.Diarization.Talk[1]) / float64(tot)}
		}
	}
	return segs, d, res
}

func hypLabels(segs [2][]Segment) []Turn {
	var out []Turn
	for i, p := range segs {
		for _, s := range p {
			out = append(out, Turn{fmt.Sprint("s", i), s.Start.D(), s.End.D()})
		}
	}
	return out
}

// diarCase is one real mixture with its reference.
type diarCase struct {
	name string
	x    []float32
	rate int
	ref  []Turn
	skip []Turn // audible speakers not in the test: not scored
}

// realBleedPairs: the close-talk sources summed in pairs (and all four),
// each reference the turns of the speakers summed.
func realBleedPairs(tb testing.TB) []diarCase {
	tb.Helper()
	var src [4][]float32
	rate := 0
	for i := range src {
		x, r, err := readPCM16(filepath.Join(realBleedDir, fmt.Sprintf("source%d.wav", i)))
		if err != nil {
			tb.Fatal(err)
		}
		src[i], rate = x, r
	}
	ref, err := readRTTMFile(filepath.Join(realBleedDir, "mixture.rttm"))
	if err != nil {
		tb.Fatal(err)
	}
	who := [4]string{"MEO015", "FEE013", "MEE014", "FEE016"}
	var out []diarCase
	for _, p := range [][]int{{0, 1}, {0, 3}, {1, 3}, {0, 1, 2, 3}} {
		x := make([]float32, len(src[0]))
		var keep []string
		for _, i := range p {
			for j, v := range src[i] {
				x[j] += v
			}
			keep = append(keep, who[i])
		}
		var r, skip []Turn
		for _, t := range ref {
			if slices.Contains(keep, t.Who) {
				r = append(r, t)
			} else {
				skip = append(skip, t)
			}
		}
		out = append(out, diarCase{"bleed-" + strings.Join(keep, "+"), x, rate, r, skip})
	}
	return out
}

// librispeechTune and librispeechReport are the LibriSpeech readers of
// read-vs-spontaneous (one clip of 9–23 s each, clips.csv), split in two
// halves of different speakers: the diarizer's defaults were tuned on the
// first, the README reports the second.
var (
	librispeechTune   = []string{"resemblyzer_1", "resemblyzer_2", "resemblyzer_3", "resemblyzer_4", "resemblyzer_5", "resemblyzer_6", "resemblyzer_7", "lhotse_1"}
	librispeechReport = []string{"resemblyzer_8", "resemblyzer_9", "resemblyzer_10", "resemblyzer_11", "resemblyzer_12", "resemblyzer_13", "resemblyzer_14", "lhotse_2"}
)

// readClip is the path of a read clip.
func readClip(name string) string { return filepath.Join(readSpontDir, "read", name+".wav") }

// conversation builds a two-party exchange from two single-speaker clips:
// each clip's speech islands (the one-channel detector's segments, gaps
// under 0.5 s joined) alternate with gaps of 0.2–0.8 s. Truth: the islands.
func conversation(tb testing.TB, a, b string, seed uint64) diarCase {
	return conversationOf(tb, []string{a}, []string{b}, seed)
}

// conversationOf is conversation with several clips per side.
func conversationOf(tb testing.TB, as, bs []string, seed uint64) diarCase {
	tb.Helper()
	read := func(paths []string) [][]float32 {
		var out [][]float32
		for _, p := range paths {
			x, _, err := readPCM16(p)
			if err != nil {
				tb.Fatal(err)
			}
			out = append(out, x)
		}
		return out
	}
	return conversationAudio(tb, read(as), read(bs), filepath.Base(as[0]), filepath.Base(bs[0]), 16000, seed)
}

// conversationAudio is conversationOf on clips in memory at rate.
func conversationAudio(tb testing.TB, as, bs [][]float32, a, b string, rate int, seed uint64) diarCase {
	tb.Helper()
	var isl [2][][]float32
	for i, clips := range [][][]float32{as, bs} {
		for _, x := range clips {
			r := rate
			// Islands by energy (the one-channel detector would split them
			// between voices now), gaps under 0.5 s joined.
			res := analyzeMonoVAD(tb, x, r)
			segs := bridgeSegments(slices.Clone(res.Segments), 500*time.Millisecond)
			for _, s := range segs {
				from := int(s.Start.Seconds() * float64(r))
				to := min(len(x), int(s.End.Seconds()*float64(r)))
				isl[i] = append(isl[i], x[from:to])
			}
		}
	}
	rng := rand.New(rand.NewPCG(seed, 3))
	var x []float32
	var ref []Turn
	who := [2]string{a, b}
	var pos [2]int
	turn := 0
	for pos[0] < len(isl[0]) || pos[1] < len(isl[1]) {
		if pos[turn] >= len(isl[turn]) {
			turn = 1 - turn
		}
		// One to three islands per turn.
		for n := 1 + rng.IntN(3); n > 0 && pos[turn] < len(isl[turn]); n-- {
			seg := isl[turn][pos[turn]]
			pos[turn]++
			st := time.Duration(len(x)) * time.Second / time.Duration(rate)
			x = append(x, seg...)
			ref = append(ref, Turn{who[turn], st, st + time.Duration(len(seg))*time.Second/time.Duration(rate)})
			x = append(x, make([]float32, rate/10)...)
		}
		x = append(x, make([]float32, int(float64(rate)*(0.1+0.6*rng.Float64())))...)
		turn = 1 - turn
	}
	// A faint noise floor, so that the pauses are not digital silence.
	for i := range x {
		x[i] += float32(rng.NormFloat64() * 3e-4)
	}
	return diarCase{strings.TrimSuffix(who[0], ".wav") + "+" + strings.TrimSuffix(who[1], ".wav"), x, rate, ref, nil}
}

// analyzeMonoVAD is the one-channel detector alone (no split).
func analyzeMonoVAD(tb testing.TB, x []float32, rate int) Result {
	cfg := DefaultConfig()
	cfg.Diarize.Components = 0
	return analyzeMono(tb, cfg, x, rate)
}

// monologue joins clips of one speaker (a pause of 0.5 s between them):
// a one-speaker call, for the confidence's other side.
func monologue(tb testing.TB, name string, paths ...string) diarCase {
	tb.Helper()
	var x []float32
	rate := 16000
	rng := rand.New(rand.NewPCG(1, 2))
	for _, p := range paths {
		y, r, err := readPCM16(p)
		if err != nil {
			tb.Fatal(err)
		}
		rate = r
		x = append(append(x, y...), make([]float32, r/2)...)
	}
	for i := range x {
		x[i] += float32(rng.NormFloat64() * 3e-4)
	}
	return diarCase{name: name, x: x, rate: rate}
}

func spont(names ...string) []string {
	var out []string
	for _, n := range names {
		out = append(out, filepath.Join(readSpontDir, "spont", n+".wav"))
	}
	return out
}

// The real recordings the diarizer is judged on, split by recording:
// defaults were tuned on the "tune" half only; the README reports the
// "report" half (the real-bleed pairs were also looked at during
// development, see README).
func realDiarTune(t *testing.T) []diarCase {
	var cases []diarCase
	for _, off := range []int{1, 3} {
		for i := range librispeechTune {
			j := (i + off) % len(librispeechTune)
			cases = append(cases, conversation(t, readClip(librispeechTune[i]), readClip(librispeechTune[j]), uint64(i+off)))
		}
	}
	return cases
}

func realDiarReport(t *testing.T) []diarCase {
	cases := realBleedPairs(t)[:3]
	for _, off := range []int{1, 3} {
		for i := range librispeechReport {
			j := (i + off) % len(librispeechReport)
			cases = append(cases, conversation(t, readClip(librispeechReport[i]), readClip(librispeechReport[j]), uint64(i+off)))
		}
	}
	return cases
}

// diarResult is one case's outcome.
type diarResult struct {
	name     string
	score    DERScore
	shareOff float64 // points, best mapping of voices to reference speakers
	conf     float64
	unsure   bool
}

// runDiar scores every case; the share error maps each voice to the
// reference speaker it overlaps most.
func runDiar(t *testing.T, cases []diarCase) (out []diarResult, pooled DERScore) {
	t.Helper()
	for _, c := range cases {
		segs, d, res := diarizeSamples(t, DefaultConfig(), c.x, c.rate)
		dur := time.Duration(len(c.x)) * time.Second / time.Duration(c.rate)
		s := ScoreDER(c.ref, hypLabels(segs), dur, c.skip...)
		pooled.Add(s)
		// Reference share of the first speaker named, against either voice.
		var talk = map[string]time.Duration{}
		var names []string
		for _, r := range c.ref {
			if _, ok := talk[r.Who]; !ok {
				names = append(names, r.Who)
			}
			talk[r.Who] += r.End - r.Start
		}
		off := 0.0
		if len(names) == 2 {
			ref := float64(talk[names[0]]) / float64(talk[names[0]]+talk[names[1]])
			off = 100 * min(math.Abs(d.share[0]-ref), math.Abs(d.share[1]-ref))
		}
		out = append(out, diarResult{c.name, s, off, d.confidence, res.Diarization == nil || res.Diarization.Unsure})
	}
	return out, pooled
}

// TestDiarizeRealSpeech holds the diarizer to real voices: the held-out
// half (real close-talk pairs of one meeting summed to mono; conversations
// of LibriSpeech readers not used in tuning) and, as a regression guard,
// the tuning half. The bars sit just above what the defaults measure (see
// README); every sure split must be a good one.
func TestDiarizeRealSpeech(t *testing.T) {
	for _, set := range []struct {
		name      string
		cases     []diarCase
		maxPooled float64
	}{
		{"report", realDiarReport(t), 0.14},
		{"tune", realDiarTune(t), 0.07},
	} {
		res, pooled := runDiar(t, set.cases)
		var sure DERScore
		nSure := 0
		for _, r := range res {
			t.Logf("%s %-32s %s share off %.1f, confidence %.2f unsure %v", set.name, r.name, r.score, r.shareOff, r.conf, r.unsure)
			if !r.unsure {
				sure.Add(r.score)
				nSure++
				if r.score.DER() > 0.15 {
					t.Errorf("%s %s: a sure split (confidence %.2f) with DER %.1f%%, want at most 15%% or unsure", set.name, r.name, r.conf, 100*r.score.DER())
				}
			}
		}
		t.Logf("%s: pooled %s; %d of %d sure, pooled over them %s", set.name, pooled, nSure, len(res), sure)
		if pooled.DER() > set.maxPooled {
			t.Errorf("%s: pooled DER %.1f%%, want at most %.0f%%", set.name, 100*pooled.DER(), 100*set.maxPooled)
		}
	}
}

// TestDiarizeOneVoice: a recording of one person is never split with
// confidence (so never judged as a conversation).
func TestDiarizeOneVoice(t *testing.T) {
	cases := []diarCase{
		monologue(t, "psx", readClip("psx_1"), readClip("psx_2"), readClip("psx_3")),
		monologue(t, "asterisk", readClip("asterisk_1"), readClip("asterisk_2"), readClip("asterisk_3")),
		monologue(t, "AMI MEE073", spont("hotato_1", "hotato_2", "hotato_3", "hotato_4", "hotato_5")...),
		monologue(t, "AMI FEE005", spont("hotato_8", "hotato_9", "hotato_10")...),
		monologue(t, "MFA author", spont("mfa_1", "mfa_2", "mfa_3")...),
	}
	for _, n := range append(slices.Clone(librispeechTune), librispeechReport...) {
		cases = append(cases, monologue(t, n, readClip(n)))
	}
	for _, c := range cases {
		_, d, res := diarizeSamples(t, DefaultConfig(), c.x, c.rate)
		t.Logf("%-16s confidence %.2f shares %.2f/%.2f", c.name, d.confidence, d.share[0], d.share[1])
		if res.Diarization != nil && !res.Diarization.Unsure {
			t.Errorf("%s: one voice split with confidence %.2f, want unsure", c.name, d.confidence)
		}
		if res.Listening.Verdict != NoVerdict {
			t.Errorf("%s: one voice got verdict %q", c.name, res.Listening.Verdict)
		}
	}
}

// repProfile is a rep's voice print as their stereo calls give it: the
// clips as the rep's channel of a two-party analysis (a silent customer).
func repProfile(t *testing.T, paths ...string) *VoicePrint {
	t.Helper()
	var clips [][]float32
	for _, p := range paths {
		y, _, err := readPCM16(p)
		if err != nil {
			t.Fatal(err)
		}
		clips = append(clips, y)
	}
	return repProfileAudio(t, 16000, clips...)
}

func repProfileAudio(t *testing.T, rate int, clips ...[]float32) *VoicePrint {
	t.Helper()
	// One stereo call of the clips, a pause between them.
	var x []float32
	for _, y := range clips {
		x = append(append(x, y...), make([]float32, rate/2)...)
	}
	a, _ := NewAnalyzer(DefaultConfig(), rate, TwoParty)
	a.KeepRepVoice()
	rng := rand.New(rand.NewPCG(3, 3))
	noise := make([]float32, len(x))
	for i := range noise {
		noise[i] = float32(rng.NormFloat64() * 1e-4)
		x[i] += float32(rng.NormFloat64() * 1e-4)
	}
	a.Write(x, noise)
	prof := a.Finish().RepVoice
	if prof == nil {
		t.Fatalf("no voice print from %d clips", len(clips))
	}
	return prof
}

// TestRepFromVoiceProfile: the rep's voice, learnt from their own clips
// through the stereo analysis, picks them out of one-channel
// conversations made of their other clips and another person: real
// voices (AMI meeting headsets, LibriSpeech and LibriVox readers, a
// telephone prompt voice, a radio voice), same-gender pairs and a profile
// from read speech matched in spontaneous speech. Nothing here was tuned
// on: MinRepMatch and the distance were set before these ran. The issue's
// bar is 9 of 10; the defaults reach 7 (the misses: a profile from one
// 6 s clip between two women, and profiles from another recording of the
// same person, where the cepstral mean moved with the microphone), so this
// guards 7 and the README says the bar is not met.
func TestRepFromVoiceProfile(t *testing.T) {
	calls := []struct {
		name    string
		profile []string
		rep     []string
		other   []string
	}{
		{"AMI MEE073 vs FEE005", spont("hotato_1", "hotato_2"), spont("hotato_3", "hotato_4", "hotato_5"), spont("hotato_8", "hotato_9")},
		{"AMI MEE073 vs MEE008", spont("hotato_1", "hotato_2"), spont("hotato_3", "hotato_4", "hotato_5"), spont("hotato_11")},
		{"AMI MEE073 vs FEO072", spont("hotato_1", "hotato_2"), spont("hotato_3", "hotato_4"), spont("hotato_6", "hotato_7")},
		{"AMI FEE005 vs FEO072", spont("hotato_8"), spont("hotato_9", "hotato_10"), spont("hotato_6", "hotato_7")},
		{"LibriVox reader vs LibriSpeech", []string{readClip("psx_1")}, []string{readClip("psx_2"), readClip("psx_3")}, []string{readClip("resemblyzer_8")}},
		{"IVR voice vs LibriSpeech", []string{readClip("asterisk_1")}, []string{readClip("asterisk_2")}, []string{readClip("resemblyzer_9")}},
		{"IVR voice vs AMI FEE005", []string{readClip("asterisk_1")}, []string{readClip("asterisk_3")}, spont("hotato_8", "hotato_9", "hotato_10")},
		{"MFA author vs LibriSpeech", spont("mfa_1"), spont("mfa_2"), []string{readClip("resemblyzer_10")}},
		{"MFA author read→spontaneous vs MEE008", []string{readClip("mfa_read_1"), readClip("mfa_read_2")}, spont("mfa_3"), spont("hotato_11")},
		{"Apollo CAPCOM vs LibriSpeech", spont("apollo_1"), spont("apollo_2"), []string{readClip("resemblyzer_11")}},
	}
	right := 0
	for i, c := range calls {
		prof := repProfile(t, c.profile...)
		conv := conversationOf(t, c.rep, c.other, uint64(i))
		_, _, res := diarizeSamples(t, DefaultConfig(), conv.x, conv.rate)
		voice, match, ok := MatchRep(&res, prof)
		// Which voice is the rep: the one that overlaps the rep's turns.
		repName := conv.ref[0].Who
		for _, r := range conv.ref {
			if strings.HasPrefix(filepath.Base(c.rep[0]), r.Who) || r.Who == filepath.Base(c.rep[0]) {
				repName = r.Who
			}
		}
		var ov [2]time.Duration
		for _, s := range res.Segments {
			for _, r := range conv.ref {
				if r.Who != repName {
					continue
				}
				if o := min(s.End.D(), r.End) - max(s.Start.D(), r.Start); o > 0 {
					ov[voiceOf(s.Speaker)-1] += o
				}
			}
		}
		truth := 1
		if ov[1] > ov[0] {
			truth = 2
		}
		good := ok && voice == truth
		if good {
			right++
		}
		t.Logf("%-40s picked voice %d (rep is %d), match %.2f, recognised %v", c.name, voice, truth, match, good)
	}
	t.Logf("rep recognised in %d of %d calls (issue's bar: 9)", right, len(calls))
	if right < 7 {
		t.Errorf("rep recognised in %d of %d calls, want at least 7 (measured with the defaults)", right, len(calls))
	}
}

// repMatchTune is the development set for recognising the rep: each
// LibriSpeech reader of the tuning half is profiled from the first half
// of their clip and found in a conversation of the second half with the
// next reader. Nothing of the report set (TestRepFromVoiceProfile).
func TestRepMatchTune(t *testing.T) {
	right := 0
	for i, n := range librispeechTune {
		x, rate, _ := readPCM16(readClip(n))
		o, _, _ := readPCM16(readClip(librispeechTune[(i+1)%len(librispeechTune)]))
		prof := repProfileAudio(t, rate, x[:len(x)/2])
		conv := conversationAudio(t, [][]float32{x[len(x)/2:]}, [][]float32{o}, "rep", "other", rate, uint64(i))
		_, _, res := diarizeSamples(t, DefaultConfig(), conv.x, conv.rate)
		voice, match, ok := MatchRep(&res, prof)
		var ov [2]time.Duration
		for _, s := range res.Segments {
			for _, r := range conv.ref {
				if r.Who == "rep" {
					if o := min(s.End.D(), r.End) - max(s.Start.D(), r.Start); o > 0 {
						ov[voiceOf(s.Speaker)-1] += o
					}
				}
			}
		}
		truth := 1
		if ov[1] > ov[0] {
			truth = 2
		}
		if ok && voice == truth {
			right++
		}
		t.Logf("%-16s picked %d (rep %d) match %.2f ok %v", n, voice, truth, match, ok)
	}
	t.Logf("tune: %d of %d", right, len(librispeechTune))
	if right < len(librispeechTune)-1 {
		t.Errorf("tune: rep recognised in %d of %d, want at least %d", right, len(librispeechTune), len(librispeechTune)-1)
	}
}

// BenchmarkDiarizeHour: an hour of real two-voice speech (the close-talk
// pair repeated) through the one-channel Analyzer, split included.
func BenchmarkDiarizeHour(b *testing.B) {
	c := realBleedPairs(b)[0]
	var x []float32
	for len(x) < 3600*c.rate {
		x = append(x, c.x...)
	}
	b.ResetTimer()
	for b.Loop() {
		diarizeSamples(b, DefaultConfig(), x, c.rate)
	}
}

func readRTTMFile(path string) ([]Turn, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadRTTM(f)
}

// TestIdenticalChannelsRealBleed: the real close-talk pair, each
// microphone carrying the other voices 10–19 dB down, is two channels,
// not one.
func TestIdenticalChannelsRealBleed(t *testing.T) {
	var src [4][]float32
	rate := 0
	for i := range src {
		x, r, err := readPCM16(filepath.Join(realBleedDir, fmt.Sprintf("source%d.wav", i)))
		if err != nil {
			t.Fatal(err)
		}
		src[i], rate = x, r
	}
	cust := make([]float32, len(src[1]))
	for _, i := range []int{0, 2, 3} {
		for j, v := range src[i] {
			cust[j] += v
		}
	}
	for _, p := range [][2][]float32{{src[1], cust}, {src[0], src[3]}} {
		a, _ := NewAnalyzer(DefaultConfig(), rate, TwoParty)
		a.Write(p[0], p[1])
		if r := a.Finish(); r.Recording.Warned(WarnIdenticalChannels) || r.Channels.OneChannel != "" {
			t.Errorf("real bleed pair taken for identical channels: %v", r.Recording.Warnings)
		}
	}
}
