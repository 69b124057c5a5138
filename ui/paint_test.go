package ui

import (
	"image"
	"image/color"
	"path/filepath"
	"testing"
	"time"
)

// TestPaintTimeline checks the pixels that carry meaning: segments in their
// party's lane and colour, the overlap shaded, interruption markers in the
// interrupter's colour, the long silence washed grey.
func TestPaintTimeline(t *testing.T) {
	res := sampleResult(t)
	segs, dur := sampleSegments()
	path := filepath.Join(t.TempDir(), "call.wav")
	writeCallWAV(t, path, segs, dur)
	env, err := LoadEnvelope(path)
	if err != nil {
		t.Fatal(err)
	}
	const w, h = 640, 200 // 20 px per second
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	pal := lightPalette()
	v := FullView(dur)
	paintTimeline(img, v, res, env, []Range{{20 * time.Second, 22 * time.Second}}, pal)

	x := func(s float64) int { return int(v.X(time.Duration(s*float64(time.Second)), w)) }
	repY0, repY1 := laneBounds(0, h)
	custY0, custY1 := laneBounds(1, h)
	repMid, custMid := (repY0+repY1)/2, (custY0+custY1)/2
	near := func(got color.Color, want color.NRGBA, bg color.NRGBA) bool {
		// want blended over bg, give or take the waveform behind it
		r, g, b, _ := got.RGBA()
		a := float64(want.A) / 255
		er := a*float64(want.R) + (1-a)*float64(bg.R)
		eg := a*float64(want.G) + (1-a)*float64(bg.G)
		eb := a*float64(want.B) + (1-a)*float64(bg.B)
		d := func(v uint32, e float64) float64 { return float64(v>>8) - e }
		return d(r, er)*d(r, er)+d(g, eg)*d(g, eg)+d(b, eb)*d(b, eb) < 60*60
	}
	isRed := func(c color.Color) bool {
		r, g, b, _ := c.RGBA()
		return r>>8 > 0xb0 && g>>8 < 0x60 && b>>8 < 0x60
	}
	// A rep segment at 2 s, lane middle (off the waveform's zero line).
	if c := img.At(x(2), repMid-(repY1-repY0)/4); !near(c, pal.rep, pal.laneBG) {
		t.Errorf("rep lane at 2 s: got %v, want rep colour", c)
	}
	if c := img.At(x(2), custMid-(custY1-custY0)/4); !near(c, pal.laneAltBG, pal.laneAltBG) {
		t.Errorf("customer lane at 2 s: got %v, want the empty lane", c)
	}
	if c := img.At(x(6.5), custMid-(custY1-custY0)/4); !near(c, pal.customer, pal.laneAltBG) {
		t.Errorf("customer lane at 6.5 s: got %v, want customer colour", c)
	}
	// The overlap 4–5 s shades the lane behind (pink: less green than the bare lane) but the
	// customer's segment keeps its green.
	if _, g1, _, _ := img.At(x(4.5), repY0+3).RGBA(); int(g1>>8) > int(pal.laneBG.G)-20 {
		t.Errorf("overlap at 4.5 s: lane background %v not shaded", img.At(x(4.5), repY0+3))
	}
	if c := img.At(x(4.6), custMid-(custY1-custY0)/4); func() bool { r, g, b, _ := c.RGBA(); return !(g>>8 > r>>8 && g>>8 > b>>8) }() {
		t.Errorf("customer segment inside the overlap: got %v, want it still green", c)
	}
	// Interruption markers: the rep's cut-in at 8 s is red.
	found := false
	for _, in := range res.Interruptions {
		if in.By.String() == "rep" {
			found = true
			if c := img.At(x(in.At.Seconds()), 2); !isRed(c) {
				t.Errorf("rep interruption at %v s: got %v, want red", in.At.Seconds(), c)
			}
		}
	}
	if !found {
		t.Fatal("the sample call has no rep interruption")
	}
	// The long silence 14–19 s is washed grey across both lanes: darker than
	// the bare lane.
	bare := img.At(x(30.5), repY0+3)
	wash := img.At(x(16.5), repY0+3)
	if lum(wash) >= lum(bare) {
		t.Errorf("long silence: got %v, want darker than the bare lane %v", wash, bare)
	}
	// The annotation 20–22 s is a gold bar along the bottom.
	if c := img.At(x(21), h-1); !near(c, pal.mark, pal.laneAltBG) {
		t.Errorf("annotation mark at 21 s: got %v, want gold", c)
	}
	if c := img.At(x(24), h-1); near(c, pal.mark, pal.laneAltBG) {
		t.Errorf("no annotation at 24 s, but the bar is there")
	}
	// The waveform is drawn behind the band: at 2 s the rep's tone (±0.5)
	// darkens the band near the zero line but not at its edge.
	inWave, outWave := img.At(x(2), repMid+10), img.At(x(2), repMid+28)
	if lum(inWave) >= lum(outWave) {
		t.Errorf("waveform at 2 s: got %v inside and %v outside its peak, want darker inside", inWave, outWave)
	}
}

func lum(c color.Color) int {
	r, g, b, _ := c.RGBA()
	return int(r>>8 + g>>8 + b>>8)
}

func BenchmarkPaintTimelineHour(b *testing.B) {
	path, res := hourCall(b, b.TempDir())
	env, err := LoadEnvelope(path)
	if err != nil {
		b.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 1600, 400))
	v := FullView(time.Hour)
	b.ResetTimer()
	for range b.N {
		paintTimeline(img, v, res, env, nil, lightPalette())
	}
}
