package callflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"callcoach/analysis"
	"callcoach/audio"
	"callcoach/audio/audiotest/callgen"
	"callcoach/store"
)

var ctx = context.Background()

// The generated calls with known truth (audio/audiotest/callgen).
var (
	testCalls  = filepath.Join("..", "analysis", "testdata", "calls")
	shortCall  = filepath.Join(testCalls, "short_call_int24_16k.wav")
	repMono    = filepath.Join(testCalls, "short_call_two_mono.rep.wav")
	custMono   = filepath.Join(testCalls, "short_call_two_mono.customer.wav")
	realSpeech = filepath.Join("..", "..", "shared", "data", "real-speech", "trn00.wav")
)

// truth is the part of a call's truth file the tests use.
type truth struct {
	Talk struct {
		Rep      float64 `json:"rep"`
		Customer float64 `json:"customer"`
	} `json:"talk_s"`
	Share float64 `json:"rep_talk_share"`
}

func readTruth(t *testing.T, wav string) truth {
	t.Helper()
	b, err := os.ReadFile(strings.TrimSuffix(wav, ".wav") + ".truth.json")
	if err != nil {
		t.Fatal(err)
	}
	var tr truth
	if err := json.Unmarshal(b, &tr); err != nil {
		t.Fatal(err)
	}
	return tr
}

func mustOpen(t *testing.T) *store.Library {
	t.Helper()
	lib, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lib.Close() })
	return lib
}

// within says whether got is within frac of want.
func within(got, want, frac float64) bool { return math.Abs(got-want) <= frac*want }

func TestImportStereo(t *testing.T) {
	lib := mustOpen(t)
	tr := readTruth(t, shortCall)
	last := Progress{Stage: Copying}
	var stages []Stage
	c, err := Import(ctx, lib, ImportRequest{Path: shortCall, Title: "Acme", Rep: "Ann", Customer: "Acme Ltd"}, func(p Progress) {
		if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
			stages = append(stages, p.Stage)
		}
		if p.Fraction() < last.Fraction() {
			t.Errorf("progress went back: %v after %v", p, last)
		}
		last = p
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(stages) != 2 || stages[0] != Copying || stages[1] != Analysing || last.Fraction() != 1 {
		t.Errorf("progress: stages %v, last %+v (%.2f); want copy then analyse, ending at 1", stages, last, last.Fraction())
	}
	if c.Title != "Acme" || c.Rep != "Ann" || c.Customer != "Acme Ltd" || c.Source != store.SourceImported || c.Result == nil {
		t.Fatalf("got %+v", c)
	}
	if c.Channels != (analysis.Channels{Rep: "left", Customer: "right"}) || c.Result.File != filepath.Base(shortCall) {
		t.Errorf("channels %+v, file %q", c.Channels, c.Result.File)
	}
	// The analysis is the file's, at the spec's tolerance (talk within 5%).
	if !within(c.Result.Talk.Rep.D().Seconds(), tr.Talk.Rep, 0.05) || !within(c.Result.Talk.Customer.D().Seconds(), tr.Talk.Customer, 0.05) {
		t.Errorf("talk rep %v customer %v, truth %.2f / %.2f s", c.Result.Talk.Rep, c.Result.Talk.Customer, tr.Talk.Rep, tr.Talk.Customer)
	}
	// The list sees it at once.
	rows, err := lib.Calls(ctx, store.CallFilter{})
	if err != nil || len(rows) != 1 || rows[0].ID != c.ID {
		t.Fatalf("list got %+v, %v", rows, err)
	}
	// Again: a duplicate, named.
	if _, err := Import(ctx, lib, ImportRequest{Path: shortCall}, nil); !errors.Is(err, store.ErrDuplicate) {
		t.Errorf("second import: got %v, want a duplicate", err)
	}
}

// A file with the rep on the right: the channel map says so, and the rep's
// figures are the right channel's.
func TestImportRepOnTheRight(t *testing.T) {
	lib := mustOpen(t)
	tr := readTruth(t, shortCall)
	c, err := Import(ctx, lib, ImportRequest{Path: shortCall, RepChannel: audio.Right}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Channels != (analysis.Channels{Rep: "right", Customer: "left"}) {
		t.Errorf("channels %+v, want the rep on the right", c.Channels)
	}
	if !within(c.Result.Talk.Rep.D().Seconds(), tr.Talk.Customer, 0.05) || !within(c.Result.Talk.Customer.D().Seconds(), tr.Talk.Rep, 0.05) {
		t.Errorf("talk rep %v customer %v; want the truth swapped (%.2f / %.2f s)", c.Result.Talk.Rep, c.Result.Talk.Customer, tr.Talk.Customer, tr.Talk.Rep)
	}
	if c.Title != "short_call_int24_16k" {
		t.Errorf("title %q, want the file name", c.Title)
	}
	if side, ok := RepChannel(c); !ok || side != audio.Right {
		t.Errorf("RepChannel got %v %v", side, ok)
	}
}

func TestImportTwoMonoFiles(t *testing.T) {
	lib := mustOpen(t)
	tr := readTruth(t, filepath.Join(testCalls, "short_call_two_mono.wav"))
	c, err := Import(ctx, lib, ImportRequest{RepPath: repMono, CustomerPath: custMono, Rep: "Ann"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Result.File != "short_call_two_mono.rep.wav + short_call_two_mono.customer.wav" || c.Title != "short_call_two_mono.rep" {
		t.Errorf("file %q title %q", c.Result.File, c.Title)
	}
	if c.Channels != (analysis.Channels{Rep: "left", Customer: "right"}) {
		t.Errorf("channels %+v: a merged call has the rep on the left", c.Channels)
	}
	if !strings.Contains(strings.Join(c.Result.Notes, " "), "Merged from") {
		t.Errorf("notes %q lack the merge", c.Result.Notes)
	}
	if !within(c.Result.Talk.Rep.D().Seconds(), tr.Talk.Rep, 0.05) || !within(c.Result.Talk.Customer.D().Seconds(), tr.Talk.Customer, 0.05) {
		t.Errorf("talk rep %v customer %v, truth %.2f / %.2f s", c.Result.Talk.Rep, c.Result.Talk.Customer, tr.Talk.Rep, tr.Talk.Customer)
	}
}

// A mono recording of real speech: speech and silence, no parties.
func TestImportMono(t *testing.T) {
	lib := mustOpen(t)
	c, err := Import(ctx, lib, ImportRequest{Path: realSpeech}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Channels.OneChannel == "" || c.Result.Channels.OneChannel == "" {
		t.Errorf("channels %+v / %+v, want mono", c.Channels, c.Result.Channels)
	}
	if c.Result.Talk.Unattributed <= 0 {
		t.Errorf("no speech found in real speech: %+v", c.Result.Talk)
	}
	if _, err := Reanalyze(ctx, lib, c.ID, Reanalysis{RepChannel: ptr(audio.Right)}); !errors.Is(err, ErrMono) {
		t.Errorf("swapping a mono call: got %v, want ErrMono", err)
	}
}

func ptr[T any](v T) *T { return &v }

func TestImportBadInput(t *testing.T) {
	lib := mustOpen(t)
	dir := t.TempDir()
	notWAV := filepath.Join(dir, "notes.wav")
	os.WriteFile(notWAV, []byte("this is not audio at all, just some text"), 0o600)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for _, tt := range []struct {
		name string
		ctx  context.Context
		req  ImportRequest
		want string
	}{
		{"no file", ctx, ImportRequest{}, "give a call file"},
		{"missing", ctx, ImportRequest{Path: filepath.Join(dir, "nope.wav")}, "cannot read"},
		{"folder", ctx, ImportRequest{Path: dir}, "is a folder"},
		{"not a wav", ctx, ImportRequest{Path: notWAV}, "not a WAV file"},
		{"both forms", ctx, ImportRequest{Path: shortCall, RepPath: repMono}, "not both"},
		{"half a pair", ctx, ImportRequest{RepPath: repMono}, "give both"},
		{"stereo in a pair", ctx, ImportRequest{RepPath: shortCall, CustomerPath: custMono}, "must be mono"},
		{"channel of a pair", ctx, ImportRequest{RepPath: repMono, CustomerPath: custMono, RepChannel: audio.Right}, "applies to a stereo call file"},
		{"cancelled", cancelled, ImportRequest{Path: shortCall}, "canceled"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Import(tt.ctx, lib, tt.req, nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if n, _ := lib.CallCount(ctx, store.CallFilter{}); n != 0 {
				t.Errorf("got %d calls after a failed import, want 0", n)
			}
			des, _ := os.ReadDir(filepath.Join(lib.Dir(), store.CallsDir))
			if len(des) != 0 {
				t.Errorf("a failed import left %d files in the library", len(des))
			}
		})
	}
}

// Re-analysis with the channels swapped and with new settings, stored in
// place; the annotations stay.
func TestReanalyze(t *testing.T) {
	lib := mustOpen(t)
	c, err := Import(ctx, lib, ImportRequest{Path: shortCall}, nil)
	if err != nil {
		t.Fatal(err)
	}
	a := &store.Annotation{CallID: c.ID, Start: time.Second, End: 2 * time.Second, Tag: "interrupted"}
	if err := lib.AddAnnotation(ctx, a); err != nil {
		t.Fatal(err)
	}
	side, _ := RepChannel(c)
	sw, err := Reanalyze(ctx, lib, c.ID, Reanalysis{RepChannel: ptr(side.Other())})
	if err != nil {
		t.Fatal(err)
	}
	if sw.Channels != (analysis.Channels{Rep: "right", Customer: "left"}) || sw.Result.Channels != sw.Channels {
		t.Errorf("after the swap: channels %+v / %+v", sw.Channels, sw.Result.Channels)
	}
	// Not bit for bit: the analysis has priors that follow the channels
	// (a coupling at zero lag is taken as a leak into the microphone,
	// channel 0), and a channel with no leak on it holds far speech
	// longer. Swapped, each side's talk stays within 2% of what the other
	// side had (the swap not applied would be 3.5 s off here).
	near := func(a, b analysis.Dur) bool { return math.Abs(float64(a-b)) <= 0.02*float64(b) }
	if !near(sw.Result.Talk.Rep, c.Result.Talk.Customer) || !near(sw.Result.Talk.Customer, c.Result.Talk.Rep) {
		t.Errorf("swapped talk rep %v customer %v; before rep %v customer %v", sw.Result.Talk.Rep, sw.Result.Talk.Customer, c.Result.Talk.Rep, c.Result.Talk.Customer)
	}
	if sw.Result.File != c.Result.File {
		t.Errorf("file name %q, want %q kept", sw.Result.File, c.Result.File)
	}
	rows, _ := lib.Calls(ctx, store.CallFilter{})
	if len(rows) != 1 || math.Abs(rows[0].RepTalkShare-sw.Result.RepTalkShare) > 1e-9 {
		t.Errorf("the list shows share %v, want the new %v", rows[0].RepTalkShare, sw.Result.RepTalkShare)
	}
	if as, _ := lib.Annotations(ctx, c.ID); len(as) != 1 {
		t.Errorf("annotations after re-analysis: %d, want 1", len(as))
	}

	// New settings, given and from the library: a talk-share target of
	// 20% costs a rep above it points.
	cfg := analysis.DefaultConfig()
	cfg.Verdict.RepTalkShare.Target = 20
	if err := SetConfig(ctx, lib, cfg); err != nil {
		t.Fatal(err)
	}
	again, err := Reanalyze(ctx, lib, c.ID, Reanalysis{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Channels != sw.Channels {
		t.Errorf("re-analysis without a map changed it: %+v", again.Channels)
	}
	if p, q := sharePoints(t, again), sharePoints(t, sw); p <= q {
		t.Errorf("points lost to talk share with a 20%% target %v, want more than %v", p, q)
	}
	def := analysis.DefaultConfig()
	back, err := Reanalyze(ctx, lib, c.ID, Reanalysis{Config: &def})
	if err != nil {
		t.Fatal(err)
	}
	if p, q := sharePoints(t, back), sharePoints(t, sw); p != q {
		t.Errorf("points lost to talk share with the defaults %v, want %v again", p, q)
	}
	if _, err := Reanalyze(ctx, lib, 999, Reanalysis{}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown call: got %v", err)
	}
}

// sharePoints is what the rep's talk share cost the call's score.
func sharePoints(t *testing.T, c *store.Call) float64 {
	t.Helper()
	for _, f := range c.Result.Listening.Factors {
		if f.Name == "rep_talk_share" {
			return f.Points
		}
	}
	t.Fatalf("no talk share factor in %+v", c.Result.Listening.Factors)
	return 0
}

func TestLibraryDir(t *testing.T) {
	t.Setenv(EnvData, "")
	t.Setenv("XDG_DATA_HOME", "/data/x")
	for _, c := range []struct {
		flag, env, chosen, want string
	}{
		{"/f", "/e", "/c", "/f"},
		{"", "/e", "/c", "/e"},
		{"", "", "/c", "/c"},
		{"", "", "", "/data/x/callcoach"},
	} {
		t.Setenv(EnvData, c.env)
		if got, err := LibraryDir(c.flag, c.chosen); err != nil || got != c.want {
			t.Errorf("LibraryDir(%q, %q) with env %q: got %q, %v; want %q", c.flag, c.chosen, c.env, got, err, c.want)
		}
	}
}

func TestConfig(t *testing.T) {
	dir := t.TempDir()
	// No library: the defaults, and none is made.
	if cfg, note := ConfigAt(ctx, dir); cfg != analysis.DefaultConfig() || note != "" {
		t.Errorf("no library: got a changed config or note %q", note)
	}
	if _, err := os.Stat(filepath.Join(dir, store.DBName)); !errors.Is(err, os.ErrNotExist) {
		t.Error("ConfigAt created a library")
	}
	lib, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	if cfg, err := Config(ctx, lib); err != nil || cfg != analysis.DefaultConfig() {
		t.Errorf("never set: got %v", err)
	}
	want := analysis.DefaultConfig()
	want.LongSilence = 6 * time.Second
	if err := SetConfig(ctx, lib, want); err != nil {
		t.Fatal(err)
	}
	if cfg, err := Config(ctx, lib); err != nil || cfg != want {
		t.Errorf("set: got %+v, %v", cfg.LongSilence, err)
	}
	if cfg, note := ConfigAt(ctx, dir); cfg != want || note != "" {
		t.Errorf("ConfigAt: got %v, note %q", cfg.LongSilence, note)
	}
	// Settings saved by an earlier version hold that version's detector
	// tuning too (the app saved the whole Config): the user's parameters
	// come back, the tuning is this version's.
	old := want
	old.Verdict.RepTalkShare.Target = 50
	old.VAD.CancelLookahead = 3 * time.Millisecond
	old.VAD.HoldSNR += 7
	old.Checks = analysis.RecordingChecks{}
	old.Diarize.Components = 0
	if err := lib.SetSetting(ctx, store.SettingAnalysis, old); err != nil {
		t.Fatal(err)
	}
	wantOld := want
	wantOld.Verdict.RepTalkShare.Target = 50
	if cfg, err := Config(ctx, lib); err != nil || cfg != wantOld {
		t.Errorf("settings of an earlier version: got VAD %+v, checks %+v, talk share target %v (%v); want this version's tuning with the user's target 50",
			cfg.VAD, cfg.Checks, cfg.Verdict.RepTalkShare.Target, err)
	}
	// Unreadable settings: the defaults, and a sentence.
	if err := lib.SetSetting(ctx, store.SettingAnalysis, "not a config"); err != nil {
		t.Fatal(err)
	}
	if cfg, err := Config(ctx, lib); err == nil || cfg != analysis.DefaultConfig() || !strings.Contains(err.Error(), "defaults") {
		t.Errorf("bad setting: got %v", err)
	}
}

// TestImportLearnsRepVoice: the rep's stereo calls build their voice
// profile in the library; a one-channel call of the same rep then comes
// out with the rep's voice recognised (segments rep and customer, the rep
// where the rep spoke), and a rep without a profile waits for a person.
func TestImportLearnsRepVoice(t *testing.T) {
	lib := mustOpen(t)
	dir := t.TempDir()
	for i, sc := range callgen.Scenarios()[:2] {
		rep, cust, _ := callgen.Render(sc, callgen.RenderOptions{Rate: 16000, Seed: uint64(i + 1)})
		p := filepath.Join(dir, fmt.Sprintf("stereo%d.wav", i))
		if err := callgen.WriteStereoWAV(p, 16000, rep, cust); err != nil {
			t.Fatal(err)
		}
		if _, err := Import(ctx, lib, ImportRequest{Path: p, Rep: "Jordan"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	prof, calls, err := lib.RepVoice(ctx, "Jordan")
	if err != nil || prof == nil || calls != 2 {
		t.Fatalf("profile %v from %d calls, %v; want one from 2 calls", prof, calls, err)
	}
	rep, cust, truth := callgen.Render(callgen.Scenarios()[2], callgen.RenderOptions{Rate: 16000, Seed: 9})
	mix := make([]float32, len(rep))
	for i := range mix {
		mix[i] = (rep[i] + cust[i]) / 2
	}
	mono := filepath.Join(dir, "mono.wav")
	if err := callgen.WriteWAV(mono, 16000, callgen.Int16, mix); err != nil {
		t.Fatal(err)
	}
	c, err := Import(ctx, lib, ImportRequest{Path: mono, Rep: "Jordan"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := c.Result.Diarization
	if d == nil || d.Rep == 0 || d.RepBy != analysis.RepByVoice || c.Result.RepVoice != nil {
		t.Fatalf("diarization %+v, rep voice kept %v; want the rep found by voice", d, c.Result.RepVoice != nil)
	}
	// The rep's segments lie where the rep spoke.
	var onRep, onCust time.Duration
	for _, s := range c.Result.SegmentsOf(analysis.Rep) {
		for _, g := range truth.Segments {
			if o := min(s.End, g.End) - max(s.Start, g.Start); o > 0 {
				if g.Speaker == analysis.Rep {
					onRep += o.D()
				} else {
					onCust += o.D()
				}
			}
		}
	}
	if onRep < 4*onCust {
		t.Errorf("rep segments: %v on the rep's speech, %v on the customer's; want the rep's", onRep, onCust)
	}
	// Another rep, no profile: the voices stay unnamed.
	mono2 := filepath.Join(dir, "mono2.wav")
	if err := callgen.WriteWAV(mono2, 16000, callgen.Int16, mix[:len(mix)-1600]); err != nil {
		t.Fatal(err)
	}
	c2, err := Import(ctx, lib, ImportRequest{Path: mono2, Rep: "Kim"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := c2.Result.Diarization; d == nil || d.Rep != 0 || len(c2.Result.SegmentsOf(analysis.Rep)) != 0 {
		t.Errorf("rep without a profile: diarization %+v", d)
	}
}

// TestSetVoices: a person picks the rep of a one-channel call, swaps the
// voices and marks a stretch as the other voice; each time every figure
// follows, the change is stored with the call and a re-analysis keeps it.
func TestSetVoices(t *testing.T) {
	lib := mustOpen(t)
	dir := t.TempDir()
	rep, cust, _ := callgen.Render(callgen.Scenarios()[2], callgen.RenderOptions{Rate: 16000, Seed: 4})
	mix := make([]float32, len(rep))
	for i := range mix {
		mix[i] = (rep[i] + cust[i]) / 2
	}
	mono := filepath.Join(dir, "mono.wav")
	if err := callgen.WriteWAV(mono, 16000, callgen.Int16, mix); err != nil {
		t.Fatal(err)
	}
	c, err := Import(ctx, lib, ImportRequest{Path: mono}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Result.Diarization == nil || c.Result.Diarization.Rep != 0 {
		t.Fatalf("import: diarization %+v, want a split without a rep", c.Result.Diarization)
	}
	if _, err := SetVoices(ctx, lib, c.ID, VoicesChange{Swap: true}); err == nil {
		t.Error("swap before the rep is known: got no error")
	}
	c1, err := SetVoices(ctx, lib, c.ID, VoicesChange{Rep: 1})
	if err != nil {
		t.Fatal(err)
	}
	share1 := c1.Result.RepTalkShare
	if c1.Result.Diarization.Rep != 1 || share1 <= 0 || len(c1.Result.SegmentsOf(analysis.Rep)) == 0 {
		t.Fatalf("rep = voice 1: diarization %+v share %.2f", c1.Result.Diarization, share1)
	}
	c2, err := SetVoices(ctx, lib, c.ID, VoicesChange{Swap: true})
	if err != nil {
		t.Fatal(err)
	}
	if c2.Result.Diarization.Rep != 2 || math.Abs(c2.Result.RepTalkShare-(1-share1)) > 0.01 {
		t.Errorf("swapped: rep %d share %.3f, want voice 2 and %.3f", c2.Result.Diarization.Rep, c2.Result.RepTalkShare, 1-share1)
	}
	// Give the first 20 s to voice 2 (now the rep): the rep's talk grows.
	mark := &analysis.Correction{Start: 0, End: analysis.Dur(20 * time.Second), Speaker: 2}
	c3, err := SetVoices(ctx, lib, c.ID, VoicesChange{Mark: mark})
	if err != nil {
		t.Fatal(err)
	}
	if c3.Result.Talk.Rep <= c2.Result.Talk.Rep || len(c3.Result.Diarization.Corrections) != 1 {
		t.Errorf("marked: rep talk %v (was %v), corrections %v", c3.Result.Talk.Rep, c2.Result.Talk.Rep, c3.Result.Diarization.Corrections)
	}
	for _, s := range c3.Result.SegmentsOf(analysis.Customer) {
		if s.Start < mark.End {
			t.Errorf("customer segment %v–%v inside the stretch marked as the rep's", s.Start, s.End)
		}
	}
	// Stored, and kept by a re-analysis from the audio.
	c4, err := Reanalyze(ctx, lib, c.ID, Reanalysis{})
	if err != nil {
		t.Fatal(err)
	}
	if d := c4.Result.Diarization; d == nil || d.Rep != 2 || len(d.Corrections) != 1 || math.Abs(float64(c4.Result.Talk.Rep-c3.Result.Talk.Rep)) > float64(time.Second) {
		t.Errorf("after re-analysis: diarization %+v talk %v, want rep 2, the mark, talk %v", d, c4.Result.Talk.Rep, c3.Result.Talk.Rep)
	}
	c5, err := SetVoices(ctx, lib, c.ID, VoicesChange{Undo: true})
	if err != nil || len(c5.Result.Diarization.Corrections) != 0 {
		t.Errorf("undo: %v, corrections %v", err, c5.Result.Diarization.Corrections)
	}
}

// TestConfirmSplit: a real meeting excerpt mixed on one channel (AMI trn00)
// splits unsure, so it gets no verdict, even with its rep picked by hand.
// Once the person confirms the split, it gets its verdict, flagged as a
// split confirmed by them; a re-analysis that gives the same lanes keeps
// the confirmation, and taking it back takes the verdict away again.
func TestConfirmSplit(t *testing.T) {
	lib := mustOpen(t)
	c, err := Import(ctx, lib, ImportRequest{Path: filepath.Join("..", "..", "shared", "data", "real-speech", "trn00.wav"), Title: "Meeting"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := c.Result.Diarization
	if d == nil || !d.Unsure {
		t.Fatalf("trn00: diarization %+v, want an unsure split", d)
	}
	if _, err := SetVoices(ctx, lib, c.ID, VoicesChange{Confirm: true}); err == nil {
		t.Error("confirm before the rep is picked: got no error")
	}
	picked, err := SetVoices(ctx, lib, c.ID, VoicesChange{Rep: 2})
	if err != nil {
		t.Fatal(err)
	}
	if v := picked.Result.Listening.Verdict; v != analysis.NoVerdict {
		t.Fatalf("unsure split with the rep picked: verdict %q, want none", v)
	}
	confirmed, err := SetVoices(ctx, lib, c.ID, VoicesChange{Confirm: true})
	if err != nil {
		t.Fatal(err)
	}
	l := confirmed.Result.Listening
	if !confirmed.Result.Diarization.Confirmed || l.Verdict == analysis.NoVerdict {
		t.Fatalf("confirmed split: confirmed %v, verdict %q, reasons %q", confirmed.Result.Diarization.Confirmed, l.Verdict, l.Reasons)
	}
	if len(l.Reasons) == 0 || !strings.Contains(l.Reasons[0], "split confirmed by you") {
		t.Errorf("the verdict does not say the split was confirmed by the user: %q", l.Reasons)
	}
	if !confirmed.Result.Diarization.Unsure {
		t.Error("confirming rewrote the analysis' own doubt (Unsure)")
	}
	again, err := Reanalyze(ctx, lib, c.ID, Reanalysis{})
	if err != nil {
		t.Fatal(err)
	}
	if !again.Result.Diarization.Confirmed || again.Result.Listening.Verdict != l.Verdict {
		t.Errorf("after a re-analysis: confirmed %v, verdict %q (was %q)", again.Result.Diarization.Confirmed, again.Result.Listening.Verdict, l.Verdict)
	}
	back, err := SetVoices(ctx, lib, c.ID, VoicesChange{Unconfirm: true})
	if err != nil {
		t.Fatal(err)
	}
	if back.Result.Diarization.Confirmed || back.Result.Listening.Verdict != analysis.NoVerdict {
		t.Errorf("unconfirmed: confirmed %v, verdict %q; want none", back.Result.Diarization.Confirmed, back.Result.Listening.Verdict)
	}
}
