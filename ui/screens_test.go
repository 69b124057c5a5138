package ui

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"callcoach/analysis"
	"callcoach/audio/device"
	"callcoach/audio/record"
	"callcoach/callflow"
	"callcoach/store"
)

func TestTrendsRender(t *testing.T) {
	a, _, _ := libraryFixture(t)
	a.Show("trends")
	tr := a.trends
	if tr.rep.Selected != "Ann" {
		t.Fatalf("trends shows rep %q, want the first rep Ann", tr.rep.Selected)
	}
	if len(tr.points) != 2 || len(tr.share.pts) != 2 || len(tr.inter.pts) != 2 {
		t.Fatalf("Ann's trend: %d points (%d drawn), want 2", len(tr.points), len(tr.share.pts))
	}
	if got, want := tr.share.pts[0].Y, tr.points[0].TalkShare*100; got != want {
		t.Errorf("talk share point: got %v, want %v", got, want)
	}
	if tr.share.bandHi != analysis.DefaultVerdictConfig().RepTalkShare.Target {
		t.Errorf("talk share band: got %v, want the verdict target", tr.share.bandHi)
	}
	// The score chart colours each call by its verdict.
	if len(tr.score.pts) != 2 || tr.score.pts[1].Col != verdictColor(analysis.VerdictScriptDriven) {
		t.Errorf("score chart: %+v, want the second call in the script-driven colour", tr.score.pts)
	}
	tr.rep.SetSelected("Bob")
	if len(tr.points) != 1 {
		t.Errorf("Bob's trend: %d points, want 1", len(tr.points))
	}

	// The chart paints its band, line and dots.
	img := image.NewRGBA(image.Rect(0, 0, 300, 100))
	pts := []chartPoint{
		{time.Unix(0, 0), 40, verdictColor(analysis.VerdictListening)},
		{time.Unix(1000, 0), 80, verdictColor(analysis.VerdictScriptDriven)},
	}
	paintChart(img, pts, 0, 100, 0, 55, false)
	if c := img.At(6, 99-40); !sameRGB(c, verdictColor(analysis.VerdictListening)) {
		t.Errorf("first dot: got %v, want the listening colour", c)
	}
	if c := img.At(294, 99-80); !sameRGB(c, verdictColor(analysis.VerdictScriptDriven)) {
		t.Errorf("second dot: got %v, want the script-driven colour", c)
	}
	if band, above := img.At(150, 90), img.At(150, 10); band == above {
		t.Error("the target band is not shaded")
	}
}

func sameRGB(a, b color.Color) bool {
	r1, g1, b1, _ := a.RGBA()
	r2, g2, b2, _ := b.RGBA()
	return r1>>8 == r2>>8 && g1>>8 == g2>>8 && b1>>8 == b2>>8
}

func TestSettingsPersist(t *testing.T) {
	lib := newTestLibrary(t)
	a := newTestApp(t, Options{Library: lib})
	s := a.settings
	s.author.SetText("Coach Kim")
	s.amber.SetText("55")
	s.red.SetText("65")
	s.themeSel.SetSelected("Dark")
	s.rate.SetSelected("48000")
	setParam(t, s, "bridge_gap", "0.25")
	setParam(t, s, "verdict.rep_talk_share_pct.target", "50")
	setParam(t, s, "verdict.rep_talk_share_pct.worst", "75")
	test.Tap(findButton(s.content, "Save settings"))

	// A new app on the same library starts with them.
	b := newTestApp(t, Options{Library: lib})
	p := b.prefs
	if p.Author != "Coach Kim" || p.Amber != 0.55 || p.Red != 0.65 || p.Theme != "dark" || p.Rate != 48000 {
		t.Errorf("prefs after restart: got %+v", p)
	}
	cfg := b.analysisConfig()
	if g := cfg.Verdict.RepTalkShare; cfg.BridgeGap != 250*time.Millisecond || g != (analysis.Goal{Better: analysis.LowerBetter, Target: 50, Worst: 75, Weight: 30}) {
		t.Errorf("analysis config after restart: bridge gap %v, talk share goal %+v", cfg.BridgeGap, g)
	}
	// The CLI reads the same author and analysis settings.
	var author string
	if err := lib.Setting(context.Background(), store.SettingAuthor, &author); err != nil || author != "Coach Kim" {
		t.Errorf("library author setting: %q, %v", author, err)
	}
	if b.settings.author.Text != "Coach Kim" || b.settings.amber.Text != "55" {
		t.Errorf("settings screen shows author %q, amber %q", b.settings.author.Text, b.settings.amber.Text)
	}
	// Bad input is refused with a message, and nothing is saved.
	b.settings.amber.SetText("80")
	test.Tap(findButton(b.settings.content, "Save settings"))
	if b.prefs.Amber != 0.55 {
		t.Errorf("amber above red was saved: %v", b.prefs.Amber)
	}
	if b.win.Canvas().Overlays().Top() == nil {
		t.Error("no error shown for amber above red")
	}
}

// setParam types v into the entry of the analysis parameter key.
func setParam(t *testing.T, s *settingsScreen, key, v string) {
	t.Helper()
	for i, p := range analysisParams {
		if p.Key == key {
			s.numbers[i].SetText(v)
			return
		}
	}
	t.Fatalf("no settings entry for %s", key)
}

// TestSettingsGoals: the screen lists every analysis parameter (the
// README's table), edits a goal's target and worst, and cannot invert a
// goal: a talk-share target past its worst is refused with a sentence and
// nothing is saved.
func TestSettingsGoals(t *testing.T) {
	lib := newTestLibrary(t)
	a := newTestApp(t, Options{Library: lib})
	s := a.settings
	if len(s.numbers) != len(analysis.Params()) {
		t.Fatalf("entries: got %d, want one per analysis parameter (%d)", len(s.numbers), len(analysis.Params()))
	}
	setParam(t, s, "verdict.rep_talk_share_pct.target", "85")
	_, _, err := s.collect()
	if err == nil || !strings.Contains(err.Error(), "the rep talk share goal's target (85) is past its worst (80)") {
		t.Errorf("inverted goal: got %v, want it refused with a sentence", err)
	}
	test.Tap(findButton(s.content, "Save settings"))
	if a.analysisConfig().Verdict.RepTalkShare.Target != 55 {
		t.Errorf("inverted goal was applied: %+v", a.analysisConfig().Verdict.RepTalkShare)
	}
	var stored analysis.Config
	if err := lib.Setting(context.Background(), store.SettingAnalysis, &stored); err == nil {
		t.Errorf("inverted goal was saved: %+v", stored.Verdict.RepTalkShare)
	}
	// Moving the worst too makes it a valid, stricter-at-85 goal.
	setParam(t, s, "verdict.rep_talk_share_pct.worst", "95")
	if _, cfg, err := s.collect(); err != nil || cfg.Verdict.RepTalkShare.Better != analysis.LowerBetter {
		t.Errorf("target 85, worst 95: got %v, %+v", err, cfg.Verdict.RepTalkShare)
	}
	// A higher-is-better goal the other way round.
	setParam(t, s, "verdict.longest_customer_story_s.target", "1")
	if _, _, err := s.collect(); err == nil || !strings.Contains(err.Error(), "higher is better here") {
		t.Errorf("customer story target under its worst: got %v", err)
	}
}

// fakeRecorder stands in for callflow's sessions: it hands the test the
// Watch of the session last opened, and files nothing itself (the test
// adds the call it reports).
type fakeRecorder struct {
	mu        sync.Mutex
	devices   []device.Device
	opened    []callflow.Inputs
	watch     callflow.Watch
	info      store.CallInfo
	recording bool
	stopped   bool
	lib       *store.Library
	callID    int64
	// analysing, if set, is run by Stop with the session's watch, as the
	// finished file's analysis reports its progress.
	analysing func(callflow.Watch)
}

var _ Recorder = (*fakeRecorder)(nil)

func (f *fakeRecorder) Inputs() ([]device.Device, error) { return f.devices, nil }

func (f *fakeRecorder) Open(in callflow.Inputs, w callflow.Watch) (Session, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.opened = append(f.opened, in)
	f.watch = w
	return &fakeSession{f: f}, nil
}

// live sends live figures as the open session would.
func (f *fakeRecorder) live(l record.Live) {
	f.mu.Lock()
	w := f.watch
	f.mu.Unlock()
	w.Live(l)
}

// lastInputs is the choice the last session was opened for.
func (f *fakeRecorder) lastInputs() callflow.Inputs {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.opened) == 0 {
		return callflow.Inputs{}
	}
	return f.opened[len(f.opened)-1]
}

type fakeSession struct{ f *fakeRecorder }

func (s *fakeSession) Record(ctx context.Context, info store.CallInfo) (*store.Call, error) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	s.f.info, s.f.recording = info, true
	return &store.Call{ID: 99, Title: info.Title, Rep: info.Rep, Status: store.StatusRecording}, nil
}

func (s *fakeSession) Stop() (*callflow.Recorded, error) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	if !s.f.recording {
		return &callflow.Recorded{}, nil
	}
	s.f.stopped, s.f.recording = true, false
	if s.f.analysing != nil {
		s.f.analysing(s.f.watch)
	}
	if s.f.callID == 0 {
		return &callflow.Recorded{Path: "x.wav"}, nil
	}
	c, err := s.f.lib.Call(context.Background(), s.f.callID)
	return &callflow.Recorded{Call: c, Path: "x.wav"}, err
}

func TestRecordLiveBar(t *testing.T) {
	lib := newTestLibrary(t)
	rec := &fakeRecorder{lib: lib, devices: []device.Device{
		{Name: "Built-in microphone", Channels: 1, Default: true},
		{Name: "Headset monitor", Channels: 2},
	}}
	a := newTestApp(t, Options{Library: lib, Recorder: rec, Player: &fakePlayer{}})
	a.Show("record")
	r := a.record
	if r.repDev.Selected != "Built-in microphone" {
		t.Errorf("rep device: got %q, want the default input", r.repDev.Selected)
	}
	// The microphone alone is watched at once; with the customer's
	// source chosen too, the pair.
	if in := rec.lastInputs(); in.Rep != "Built-in microphone" || in.Customer != "" {
		t.Errorf("watching %+v, want the microphone alone", in)
	}
	r.custDev.SetSelected("Headset monitor")
	if in := rec.lastInputs(); in.Rep != "Built-in microphone" || in.Customer != "Headset monitor" {
		t.Fatalf("watching %+v, want both devices", in)
	}
	// The level meters move with the devices, before recording; a
	// device that has sent nothing says so.
	rec.live(record.Live{RepPeak: 0.42, CustomerWaiting: true})
	waitFor(t, "the mic meter", func() bool { return r.repMeter.level == 0.42 })
	waitFor(t, "the silent headset", func() bool { return r.custState.Text == "no sound yet" })

	r.title.SetText("Live test")
	test.Tap(r.startBtn)
	// First recording: the consent reminder.
	tapDialogButton(t, a, "I understand, record")
	if !a.prefs.ConsentShown {
		t.Error("consent not remembered")
	}
	rec.mu.Lock()
	recording, info := rec.recording, rec.info
	rec.mu.Unlock()
	if !recording || r.recording == nil {
		t.Fatal("recording did not start")
	}
	if in := rec.lastInputs(); in.Rep != "Built-in microphone" || in.Customer != "Headset monitor" || info.Title != "Live test" {
		t.Errorf("recorded from %+v as %+v", in, info)
	}
	steps := []struct {
		share float64
		want  ShareLevel
	}{{0.45, ShareOK}, {0.65, ShareAmber}, {0.75, ShareRed}, {0.5, ShareOK}}
	for i, s := range steps {
		rec.live(record.Live{Recording: true, Elapsed: time.Duration(i+1) * time.Second, RepTalkShare: s.share,
			Talk: analysis.PerParty{Rep: sec(1), Customer: sec(1)}, RepPeak: 0.3, CustomerPeak: 0.2})
		waitFor(t, "the live bar to show "+s.want.String(), func() bool { return r.share.Level() == s.want })
		if got := r.share.bar.FillColor; got != shareColor(s.want) {
			t.Errorf("share %v: bar colour %v, want %v", s.share, got, shareColor(s.want))
		}
	}
	waitFor(t, "elapsed", func() bool { return r.elapsed.Text == "0:04" })
	// The meters keep moving while recording.
	if r.repMeter.level != 0.3 || r.custMeter.level != 0.2 {
		t.Errorf("meters while recording: %v / %v, want 0.3 / 0.2", r.repMeter.level, r.custMeter.level)
	}
	rec.live(record.Live{Recording: true, Elapsed: 5 * time.Second, RepTalkShare: 0.5, Talk: analysis.PerParty{Rep: sec(2), Customer: sec(2)},
		Interruptions: 2, RepInterruptions: 1, TalkedOver: 1,
		LastInterruption: &analysis.Interruption{At: sec(4.5), By: analysis.Rep}})
	waitFor(t, "the interruption cue", func() bool { return r.cue.Text != "" })
	if want := countsText(1, 1); r.counts.Text != want {
		t.Errorf("running count %q, want %q", r.counts.Text, want)
	}

	// Stop: the file's analysis shows its progress on the stop button,
	// then the call is filed and opens in Review.
	rec.callID = addCall(t, lib, "Live test", "", nil, time.Now())
	var during []string
	rec.analysing = func(w callflow.Watch) {
		for _, done := range []int64{0, 40, 40, 100} {
			w.Analysing(callflow.Progress{Stage: callflow.Analysing, Done: done, Total: 100})
			during = append(during, fmt.Sprintf("%s %v", r.startBtn.Text, r.startBtn.Disabled()))
		}
	}
	test.Tap(r.startBtn)
	if want := "[Analysing… 0% true Analysing… 40% true Analysing… 40% true Analysing… 100% true]"; fmt.Sprint(during) != want {
		t.Errorf("the stop button while analysing: %v, want %v", during, want)
	}
	if !rec.stopped {
		t.Fatal("Stop did not stop the recorder")
	}
	if a.Current() != "review" || a.review.call == nil || a.review.call.ID != rec.callID {
		t.Errorf("after stopping: %q shows %v, want the new call's review", a.Current(), a.review.call)
	}
	if r.recording != nil || r.startBtn.Text != "Start recording" {
		t.Error("record screen still recording after stop")
	}
}

func TestRecordNeedsDevices(t *testing.T) {
	lib := newTestLibrary(t)
	rec := &fakeRecorder{lib: lib, devices: []device.Device{{Name: "Mic", Channels: 1, Default: true}}}
	a := newTestApp(t, Options{Library: lib, Recorder: rec})
	a.prefs.ConsentShown = true
	a.Show("record")
	test.Tap(a.record.startBtn)
	if rec.recording {
		t.Error("recording started without a customer source")
	}
	if a.win.Canvas().Overlays().Top() == nil {
		t.Error("no message saying what to choose")
	}
}

func TestRecordWithoutRecorder(t *testing.T) {
	a := newTestApp(t, Options{})
	a.Show("record")
	if a.record.devErr.Text == "" || !a.record.startBtn.Disabled() {
		t.Error("no recorder: the screen does not say so")
	}
}

func TestDemoOnFirstRun(t *testing.T) {
	lib := newTestLibrary(t)
	demo := &store.Call{Title: "Demo", Result: sampleResult(t)}
	a := newTestApp(t, Options{Library: lib, Demo: demo})
	if a.Current() != "review" || a.review.call != demo {
		t.Errorf("first run shows %q, want the demo in review", a.Current())
	}
	if !a.review.annotate.Disabled() {
		t.Error("the demo can be annotated")
	}
}

// TestRecordEndsByItself: a device lost mid-call ends the recording with a
// message, and what was recorded is filed and opened.
func TestRecordEndsByItself(t *testing.T) {
	lib := newTestLibrary(t)
	rec := &fakeRecorder{lib: lib, devices: []device.Device{{Name: "Mic", Channels: 1, Default: true}, {Name: "Headset monitor", Channels: 2}}}
	a := newTestApp(t, Options{Library: lib, Recorder: rec})
	a.prefs.ConsentShown = true
	a.Show("record")
	a.record.custDev.SetSelected("Headset monitor")
	test.Tap(a.record.startBtn)
	if !rec.recording {
		t.Fatal("recording did not start")
	}
	id := addCall(t, lib, "Cut short", "", nil, time.Now())
	c, _ := lib.Call(context.Background(), id)
	rec.watch.Ended(&callflow.Recorded{Call: c, Path: "x.wav"}, errors.New("the headset stopped delivering sound (unplugged?): plug it back in and start a new recording"))
	if txt := overlayText(a); !strings.Contains(txt, "unplugged") {
		t.Errorf("no message about the lost device (dialog says %q)", txt)
	}
	if a.record.recording != nil || a.record.startBtn.Text != "Start recording" {
		t.Error("the record screen still shows a recording")
	}
	if a.review.call == nil || a.review.call.ID != id {
		t.Errorf("the kept recording was not opened")
	}
}

// overlayText is the text on the topmost dialog.
func overlayText(a *App) string {
	top := a.win.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	var b strings.Builder
	for _, o := range test.LaidOutObjects(top) {
		switch w := o.(type) {
		case *widget.Label:
			b.WriteString(w.Text + " ")
		case *widget.RichText:
			b.WriteString(w.String() + " ")
		}
	}
	return b.String()
}
