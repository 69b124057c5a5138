package ui

import (
	"context"
	"image"
	"path/filepath"
	"strings"
	"testing"

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
	for _, want := range []string{"Speech: 0:", "(one channel)", "Silence:", "Voices: voice 1"} {
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
