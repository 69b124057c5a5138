package ui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"callcoach/analysis"
	"callcoach/audio"
	"callcoach/audio/audiotest/callgen"
	"callcoach/callflow"
)

// withWarnings is the sample call carrying warnings with codes.
func withWarnings(t *testing.T, codes ...analysis.WarningCode) *analysis.Result {
	res := sampleResult(t)
	res.Recording = analysis.Recording{Warnings: []analysis.Warning{}}
	for _, c := range codes {
		res.Recording.Warn(c, "Message about "+string(c)+".")
	}
	return res
}

// TestWarningsBanner: a call's warnings are listed above the timeline with
// their messages; a clean call shows no banner; where a warning makes the
// per-party figures wrong, the figures panel says so in words and shows
// no number for them and no verdict; strong bleed rounds the figures and
// marks the verdict tentative.
func TestWarningsBanner(t *testing.T) {
	lib := newTestLibrary(t)
	a := newTestApp(t, Options{Library: lib, Player: &fakePlayer{}})
	open := func(res *analysis.Result) *reviewScreen {
		id := addCall(t, lib, "call", "Ann", res, time.Now())
		a.OpenCall(id, 0)
		return a.review
	}
	clean := sampleResult(t)
	clean.Recording = analysis.Recording{Warnings: []analysis.Warning{}}
	r := open(clean)
	if r.warnings.box.Visible() {
		t.Errorf("a clean call shows the banner: %q", r.warnings.messages)
	}
	if !strings.Contains(figureText(r), "Rep talk share") || r.verdict.Text == verdictLabel(analysis.NoVerdict) {
		t.Fatalf("clean call: verdict %q, figures\n%s", r.verdict.Text, figureText(r))
	}

	for _, tc := range []struct {
		codes    []analysis.WarningCode
		heldBack string // the figures panel's reason, "" when numbers show
		rough    bool
	}{
		{[]analysis.WarningCode{analysis.WarnChannelsSwapped}, "the channels look swapped", false},
		{[]analysis.WarningCode{analysis.WarnSilentChannel, analysis.WarnNoisy}, "carries no speech", false},
		{[]analysis.WarningCode{analysis.WarnIdenticalChannels}, "same audio", false},
		{[]analysis.WarningCode{analysis.WarnStrongBleed}, "", true},
		{[]analysis.WarningCode{analysis.WarnClipping}, "", false},
	} {
		r := open(withWarnings(t, tc.codes...))
		if !r.warnings.box.Visible() || len(r.warnings.messages) != len(tc.codes) {
			t.Errorf("%v: banner visible %v with %q", tc.codes, r.warnings.box.Visible(), r.warnings.messages)
			continue
		}
		for i, c := range tc.codes {
			if want := "Message about " + string(c) + "."; r.warnings.messages[i] != want {
				t.Errorf("%v: banner line %d %q, want %q", tc.codes, i, r.warnings.messages[i], want)
			}
		}
		// The sample call: rep talk share 55%, 1 rep interruption.
		figs := figureText(r)
		share := "Rep talk share: " + fmtPct(r.call.Result.RepTalkShare)
		switch {
		case tc.heldBack != "":
			if !strings.Contains(figs, tc.heldBack) || !strings.Contains(figs, "Rep talk share: not shown") {
				t.Errorf("%v: figures do not hold the party figures back:\n%s", tc.codes, figs)
			}
			if strings.Contains(figs, share) || strings.Contains(figs, "rep 1 · customer") {
				t.Errorf("%v: figures still show confident numbers:\n%s", tc.codes, figs)
			}
			if r.verdict.Text != verdictLabel(analysis.NoVerdict) || r.score.Text != "" {
				t.Errorf("%v: verdict %q, score %q; want none", tc.codes, r.verdict.Text, r.score.Text)
			}
		case tc.rough:
			if !strings.Contains(figs, "may be off") || !strings.Contains(figs, "about ") || !strings.Contains(r.verdict.Text, "tentative") {
				t.Errorf("%v: verdict %q, figures not marked rough:\n%s", tc.codes, r.verdict.Text, figs)
			}
			for _, f := range figureRows(r.call.Result) {
				if f.judged {
					t.Errorf("%v: %s coloured against its target", tc.codes, f.name)
				}
			}
		default:
			if strings.Contains(figs, "not shown") || strings.Contains(figs, "may be off") {
				t.Errorf("%v: figures held back for a warning that does not change them:\n%s", tc.codes, figs)
			}
		}
		if (r.warnings.swap != nil) != (tc.codes[0] == analysis.WarnChannelsSwapped) {
			t.Errorf("%v: swap button %v", tc.codes, r.warnings.swap != nil)
		}
	}
}

// TestSwapChannelsFromBanner: a real recording with the rep on the right
// (the customer's voice leaking into the rep's microphone, 35 ms late),
// imported as if the rep were on the left, gets channels_swapped; "Swap
// channels and re-analyse" asks, then analyses it again with the rep on
// the right through callflow, stores the map, and the warning goes; "Swap
// back" undoes it.
func TestSwapChannelsFromBanner(t *testing.T) {
	sc, _ := callgen.ScenarioNamed("attentive")
	room, _ := callgen.ConditionNamed("echo_room")
	rep, cust, truth := callgen.RenderCondition(sc, room)
	path := filepath.Join(t.TempDir(), "swapped.wav")
	if err := callgen.WriteStereoWAV(path, truth.Rate, cust, rep); err != nil { // rep on the right
		t.Fatal(err)
	}
	lib := newTestLibrary(t)
	c, err := callflow.Import(context.Background(), lib, callflow.ImportRequest{Path: path, Title: "Swapped", Rep: "Ann"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Result.Recording.Warned(analysis.WarnChannelsSwapped) {
		t.Fatalf("no channels_swapped warning: %+v", c.Result.Recording.Warnings)
	}
	a := newTestApp(t, Options{Library: lib, Player: &fakePlayer{}})
	a.OpenCall(c.ID, 0)
	b := a.review.warnings
	if b.swap == nil {
		t.Fatal("no swap button for a call whose channels look swapped")
	}
	test.Tap(b.swap)
	tapDialogButton(t, a, "Yes")
	got, err := lib.Call(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if side, ok := callflow.RepChannel(got); !ok || side != audio.Right {
		t.Errorf("stored rep channel %v (%v), want right", side, ok)
	}
	if got.Result.Recording.Warned(analysis.WarnChannelsSwapped) {
		t.Errorf("still swapped after the swap: %+v", got.Result.Recording.Warnings)
	}
	if a.review.call.Result.Channels.Rep != "right" || a.review.warnings.swap != nil {
		t.Errorf("Review did not follow: channels %+v, swap button %v", a.review.call.Result.Channels, a.review.warnings.swap != nil)
	}
	share := got.Result.RepTalkShare
	if want := truth.RepTalkShare; share < want-0.05 || share > want+0.05 {
		t.Errorf("rep share after the swap %.3f, want %.3f ± 0.05", share, want)
	}
	if rows := a.library.rows; len(rows) != 1 || rows[0].ID != c.ID || len(rows[0].Warnings) != 0 {
		t.Errorf("library rows after the swap %+v, want the call without warnings", rows)
	}
	// The way back: the banner says what was done and swaps back.
	if b.back == nil || !b.box.Visible() {
		t.Fatalf("after the swap: banner visible %v, swap-back button %v", b.box.Visible(), b.back != nil)
	}
	test.Tap(b.back)
	back, err := lib.Call(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if side, _ := callflow.RepChannel(back); side != audio.Left || !back.Result.Recording.Warned(analysis.WarnChannelsSwapped) {
		t.Errorf("swapped back: rep channel %v, warnings %+v; want left and swapped again", side, back.Result.Recording.Warnings)
	}
	if rows := a.library.rows; len(rows) != 1 || len(rows[0].Warnings) == 0 || rows[0].Warnings[0] != analysis.WarnChannelsSwapped {
		t.Errorf("library rows after swapping back %+v", rows)
	}
}

// TestLibraryMarksWarnings: the Library marks a call with recording
// warnings in its Recording column (amber, a few words per warning), a
// clean call reads "ok", a call whose channels look swapped shows no talk
// share, interruptions or verdict (Review holds them back too), and "With
// warnings" lists the marked calls only.
func TestLibraryMarksWarnings(t *testing.T) {
	lib := newTestLibrary(t)
	now := time.Now()
	clean := sampleResult(t)
	clean.Recording = analysis.Recording{Warnings: []analysis.Warning{}}
	addCall(t, lib, "Clean", "Ann", clean, now.Add(-2*time.Hour))
	addCall(t, lib, "Swapped", "Ann", withWarnings(t, analysis.WarnChannelsSwapped, analysis.WarnNoisy), now.Add(-time.Hour))
	a := newTestApp(t, Options{Library: lib, Player: &fakePlayer{}})
	a.Show("library")
	l := a.library
	if got := titles(l); len(got) != 2 || got[0] != "Swapped" {
		t.Fatalf("library lists %v", got)
	}
	if text, imp := cellText(l.rows[0], 7); text != "⚠ channels swapped?, noisy" || imp != widget.WarningImportance {
		t.Errorf("warned call's Recording cell %q (%v), want the warnings in amber", text, imp)
	}
	// As in Review, a swapped call's party figures and verdict are not shown.
	for col, want := range map[int]string{4: "in doubt", 5: "–", 6: "held back"} {
		if text, _ := cellText(l.rows[0], col); text != want {
			t.Errorf("swapped call's %s cell %q, want %q", libraryColumns[col].title, text, want)
		}
	}
	if text, _ := cellText(l.rows[1], 6); text != verdictLabel(clean.Listening.Verdict) || text == "held back" {
		t.Errorf("clean call's verdict cell %q", text)
	}
	if text, _ := cellText(l.rows[1], 7); text != "ok" {
		t.Errorf("clean call's Recording cell %q, want ok", text)
	}
	if libraryColumns[7].title != "Recording" {
		t.Errorf("column 7 is %q", libraryColumns[7].title)
	}
	test.Tap(l.warned)
	if got := titles(l); len(got) != 1 || got[0] != "Swapped" {
		t.Errorf("with warnings: %v, want [Swapped]", got)
	}
	test.Tap(l.warned)
	if got := titles(l); len(got) != 2 {
		t.Errorf("filter off: %v", got)
	}
}

// TestTrendsLeaveOutCallsInDoubt: a call whose channels look swapped (or
// whose side is silent) has "rep" figures that are probably the
// customer's: Trends draws no talk share, interruptions or script reuse
// for it, says how many calls it left out and why, and keeps a call whose
// warnings do not put the parties in doubt (noise) on the charts.
func TestTrendsLeaveOutCallsInDoubt(t *testing.T) {
	lib := newTestLibrary(t)
	day := func(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, time.Local) }
	addCall(t, lib, "clean", "Ann", withVerdict(t, analysis.VerdictListening), day(2))
	swapped := withWarnings(t, analysis.WarnChannelsSwapped)
	swapped.RepTalkShare, swapped.Listening.Verdict = 0.93, analysis.NoVerdict
	addCall(t, lib, "swapped", "Ann", swapped, day(3))
	silent := withWarnings(t, analysis.WarnSilentChannel)
	silent.RepTalkShare, silent.Listening.Verdict = 1, analysis.NoVerdict
	addCall(t, lib, "silent", "Ann", silent, day(4))
	addCall(t, lib, "noisy", "Ann", withWarnings(t, analysis.WarnNoisy), day(5))
	a := newTestApp(t, Options{Library: lib, Player: &fakePlayer{}})
	a.Show("trends")
	tr := a.trends
	if len(tr.points) != 4 {
		t.Fatalf("Ann's trend: %d points, want all 4 calls", len(tr.points))
	}
	if len(tr.share.pts) != 2 || len(tr.inter.pts) != 2 {
		t.Errorf("talk share %d and interruption %d points drawn, want 2 each (the clean and the noisy call)", len(tr.share.pts), len(tr.inter.pts))
	}
	for _, p := range tr.share.pts {
		if p.Y > 90 {
			t.Errorf("a call in doubt is drawn on the talk share chart at %.0f%%", p.Y)
		}
	}
	if !strings.Contains(tr.info.Text, "2 calls left out of the charts") || !strings.Contains(tr.info.Text, "swapped") {
		t.Errorf("trends info %q does not say that 2 calls were left out and why", tr.info.Text)
	}
}
