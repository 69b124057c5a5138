package ui

import (
	"fmt"
	"image/color"
	"math"
	"time"

	"callcoach/analysis"
)

// fmtClock writes d as m:ss, or h:mm:ss from an hour up.
func fmtClock(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int(d / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// fmtClockTenths writes d as m:ss.t for positions the user seeks to.
func fmtClockTenths(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	return fmt.Sprintf("%s.%d", fmtClock(d), int(d/(100*time.Millisecond))%10)
}

// fmtPct writes a 0..1 share as a whole percentage.
func fmtPct(share float64) string { return fmt.Sprintf("%.0f%%", math.Round(share*100)) }

// verdictLabel is the verdict as the user reads it.
func verdictLabel(v analysis.Verdict) string { return v.Label() }

// verdictColor colours a verdict: green, amber, red; grey for none. The
// shades are dark enough for light backgrounds and bright enough for dark.
func verdictColor(v analysis.Verdict) color.Color {
	switch v {
	case analysis.VerdictListening:
		return color.NRGBA{0x2e, 0xa0, 0x4f, 0xff}
	case analysis.VerdictMixed:
		return color.NRGBA{0xe0, 0x90, 0x10, 0xff}
	case analysis.VerdictScriptDriven:
		return color.NRGBA{0xd8, 0x36, 0x36, 0xff}
	}
	return color.NRGBA{0x88, 0x88, 0x88, 0xff}
}

// ShareLevel grades a live talk share against the amber and red thresholds.
type ShareLevel int

// The three grades of the live talk-share bar.
const (
	ShareOK ShareLevel = iota
	ShareAmber
	ShareRed
)

// GradeShare returns the grade of share (0..1): red above red, amber above
// amber.
func GradeShare(share, amber, red float64) ShareLevel {
	switch {
	case share > red:
		return ShareRed
	case share > amber:
		return ShareAmber
	}
	return ShareOK
}

func (l ShareLevel) String() string {
	return [...]string{"ok", "amber", "red"}[l]
}

// shareColor is the bar colour of a grade.
func shareColor(l ShareLevel) color.Color {
	switch l {
	case ShareRed:
		return color.NRGBA{0xd8, 0x36, 0x36, 0xff}
	case ShareAmber:
		return color.NRGBA{0xf0, 0xa0, 0x20, 0xff}
	}
	return color.NRGBA{0x2e, 0xa0, 0x4f, 0xff}
}

// interruptionsPer10Min is the rate of interruptions by party over a call.
func interruptionsPer10Min(res *analysis.Result, by analysis.Speaker) float64 {
	if res == nil || res.Duration <= 0 {
		return 0
	}
	n := 0
	for _, in := range res.Interruptions {
		if in.By == by {
			n++
		}
	}
	return float64(n) / (res.Duration.Seconds() / 600)
}
