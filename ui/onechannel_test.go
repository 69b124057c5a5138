package ui

import (
	"context"
	"image"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"callcoach/analysis"
	"callcoach/callflow"
)

// figureText is the metrics panel's rows for the call in Review (what
// showMetrics lays out).
func figureText(r *reviewScreen) string {
	var b strings.Builder
	for _, f := range figureRows(r.call.Result) {
		b.WriteString(f.name + ": " + f.value + "\n")
	}
	return b.String()
}

// TestOneChannelReview imports a real one-channel recording (an AMI
// meeting excerpt) through callflow and opens it: the Library lists it as
// one channel (not 0%), and Review shows its speech, silence and voices,
// with no rep or customer figures of zero.
func TestOneChannelReview(t *testing.T) {
	lib := newTestLibrary(t)
	c, err := callflow.Import(context.Background(), lib, callflow.ImportRequest{
		Path: filepath.Join("..", "..", "shared", "data", "real-speech", "trn00.wav"), Title: "Team meeting"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Result.HasParties() {
		t.Fatalf("the excerpt got rep and customer figures: %+v", c.Result.Talk)
	}
	a := newTestApp(t, Options{Library: lib, Player: &fakePlayer{}})
	a.Show("library")
	row := a.library.rows[0]
	if text, _ := cellText(row, 4); text != "one channel" {
		t.Errorf("talk share cell %q, want 'one channel'", text)
	}
	if text, _ := cellText(row, 5); text == "0" {
		t.Errorf("interruptions cell %q for a call whose interruptions are not known", text)
	}
	a.OpenCall(c.ID, 0)
	got := figureText(a.review)
	for _, want := range []string{"Speech: 0:", "(one channel)", "Silence:", "Voice 1 talk: ", "Voice 2 talk: ", "Pick which voice is the rep"} {
		if !strings.Contains(got, want) {
			t.Errorf("figures lack %q:\n%s", want, got)
		}
	}
	for _, bad := range []string{"Rep talk share", "rep 0:00", "0%"} {
		if strings.Contains(got, bad) {
			t.Errorf("figures show %q:\n%s", bad, got)
		}
	}
}

// TestUnattributedSpeechColour: speech whose speaker is not known is one
// band across both lanes in its own colour, never the "both at once"
// colour, and the legend says what it is.
func TestUnattributedSpeechColour(t *testing.T) {
	res := &analysis.Result{
		Duration: sec(10),
		Channels: analysis.Channels{OneChannel: "mono"},
		Segments: []analysis.Segment{{Speaker: analysis.Unattributed, Start: sec(2), End: sec(6)}},
		Talk:     analysis.PerParty{Unattributed: sec(4)},
	}
	a := newTestApp(t, Options{})
	a.review.timeline.SetCall(res, nil)
	img := a.review.timeline.renderer.paint(1000, 200).(*image.RGBA)
	pal := lightPalette()
	if isDark() {
		pal = darkPalette()
	}
	both := blendOver(pal.overlap, pal.laneBG)
	mid := 40 * 10 // x at 4 s
	var band int
	for y := 0; y < 200; y++ {
		c := img.RGBAAt(mid, y)
		if sameRGB(c, both) {
			t.Fatalf("speech of an unknown speaker drawn in the 'both at once' colour at y=%d", y)
		}
		if c != img.RGBAAt(50, y) { // differs from the silence at 0.5 s
			band++
		}
	}
	if band < 100 {
		t.Errorf("the speech band covers %d of 200 rows, want one band across both lanes", band)
	}
	items := legendItems(res)
	if len(items) != 2 {
		t.Errorf("legend for a one-channel call: %d items, want speech and silence", len(items))
	}
}

// TestConfirmSplitInReview: a real one-channel meeting excerpt (AMI trn00)
// splits unsure. Before the rep is picked, the figures panel shows each
// voice's talk and share and says how to get the rep's figures (no empty
// rep rows); with the rep picked it still has no verdict; "confirm the
// split" gives the verdict, flagged as a split the user confirmed, and
// taking it back removes it.
func TestConfirmSplitInReview(t *testing.T) {
	lib := newTestLibrary(t)
	c, err := callflow.Import(context.Background(), lib, callflow.ImportRequest{
		Path: filepath.Join("..", "..", "shared", "data", "real-speech", "trn00.wav"), Title: "Team meeting"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := c.Result.Diarization; d == nil || !d.Unsure || d.Rep != 0 {
		t.Fatalf("trn00: diarization %+v, want an unsure split without a rep", d)
	}
	a := newTestApp(t, Options{Library: lib, Player: &fakePlayer{}})
	a.OpenCall(c.ID, 0)
	r, v := a.review, a.review.voices
	d := c.Result.Diarization
	figs := figureText(r)
	for _, want := range []string{
		"Voice 1 talk: " + fmtClock(d.Talk[0].D()) + " (", "Voice 2 talk: " + fmtClock(d.Talk[1].D()) + " (", "% of the talk)",
		"Pick which voice is the rep (Voices, above) to get rep figures and a verdict.", "Split: not sure"} {
		if !strings.Contains(figs, want) {
			t.Errorf("figures lack %q:\n%s", want, figs)
		}
	}
	for _, f := range figureRows(r.call.Result) {
		if strings.TrimSpace(f.value) == "" || strings.Contains(f.value, "rep 0:00") {
			t.Errorf("figure %q reads %q", f.name, f.value)
		}
	}
	if !v.confirm.Visible() || !v.confirm.Disabled() {
		t.Errorf("confirm: visible %v disabled %v; want shown, disabled until the rep is picked", v.confirm.Visible(), v.confirm.Disabled())
	}
	test.Tap(v.isRep[1])
	if r.verdict.Text != verdictLabel(analysis.NoVerdict) {
		t.Fatalf("unsure split with the rep picked: verdict %q, want none", r.verdict.Text)
	}
	if v.confirm.Disabled() {
		t.Fatal("confirm is disabled once the rep is picked")
	}
	test.Tap(v.confirm)
	res := r.call.Result
	if !res.Diarization.Confirmed || res.Listening.Verdict == analysis.NoVerdict || r.verdict.Text == verdictLabel(analysis.NoVerdict) {
		t.Fatalf("after confirming: confirmed %v, verdict %q (shown %q)", res.Diarization.Confirmed, res.Listening.Verdict, r.verdict.Text)
	}
	if !strings.Contains(r.reasons.Text, "split confirmed by you") {
		t.Errorf("reasons do not say the split was confirmed by the user:\n%s", r.reasons.Text)
	}
	if !strings.Contains(v.status.Text, "confirmed by you") {
		t.Errorf("voices panel: %q", v.status.Text)
	}
	stored, err := lib.Call(context.Background(), c.ID)
	if err != nil || !stored.Result.Diarization.Confirmed || stored.Result.Listening.Verdict != res.Listening.Verdict {
		t.Errorf("stored: %v, %+v", err, stored.Result.Listening)
	}
	a.Show("library")
	if text, _ := cellText(a.library.rows[0], 6); text != verdictLabel(res.Listening.Verdict) {
		t.Errorf("library verdict cell %q, want %q", text, verdictLabel(res.Listening.Verdict))
	}
	test.Tap(v.confirm) // take it back
	if r.call.Result.Diarization.Confirmed || r.verdict.Text != verdictLabel(analysis.NoVerdict) {
		t.Errorf("after taking the confirmation back: confirmed %v, verdict %q", r.call.Result.Diarization.Confirmed, r.verdict.Text)
	}
}
