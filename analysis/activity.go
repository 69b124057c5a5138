package analysis

import (
	"math"
	"time"
)

// activity is one channel's frame-by-frame speech decision.
//
// Each frame's energy (dB, of the high-passed signal minus any predicted
// crosstalk) is compared with an adaptive noise floor that drops at once to
// any quieter frame and climbs at most VADConfig.FloorRise dB/s: noise sits
// at the floor, speech rises well above it, whatever the channel's gain — a
// quiet rep at −20 dBFS peaks is judged against its own floor, not the
// customer's. A run of candidate frames (OnsetSNR above the floor, HoldSNR
// while running) becomes speech once it lasts Onset; it stays on for Hangover
// after the last candidate. Active frames go to the segmenter.
type activity struct {
	onSNR, holdSNR, minLevel float64
	onMin                    float64 // absolute onset level, dBFS
	rise                     float64 // dB per frame
	onsetFrames, hangFrames  int

	floor   float64
	speech  float64 // recent speech level (slow peak follower), dB
	spRise  float64 // fraction of the way to a louder frame per frame
	spFall  float64 // dB per frame the speech level sinks otherwise
	spRange float64 // onsets must be within this of the speech level
	spHold  float64 // running speech may sink this much further
	running bool
	run     int   // consecutive candidate frames while not running
	runFrom int64 // first frame of that run
	hang    int

	seg segmenter
}

func newActivity(s Speaker, cfg Config, frame time.Duration) activity {
	v := cfg.VAD
	perFrame := frame.Seconds()
	minCore := max(1, int64(v.MinSegment/frame))
	return activity{
		onSNR:       v.OnsetSNR,
		holdSNR:     v.HoldSNR,
		minLevel:    v.MinLevel,
		onMin:       v.OnsetLevel,
		rise:        v.FloorRise * perFrame,
		onsetFrames: max(1, int(v.Onset/frame)),
		hangFrames:  int(v.Hangover / frame),
		floor:       v.FloorStart,
		speech:      v.FloorStart,
		spRise:      v.SpeechRise,
		spFall:      v.SpeechFall * perFrame,
		spRange:     v.SpeechRange,
		spHold:      v.SpeechHold,
		seg:         newSegmenter(s, frame, cfg.BridgeGap, minCore),
	}
}

// step decides frame k from its energy level (dB) and whether the crosstalk
// test let it through (own speech clearly above the predicted leak). It
// reports whether the frame is a candidate (used for leak bookkeeping).
func (a *activity) step(k int64, level float64, leakOK bool) bool {
	// The floor follows every level, leaked or not: leak is not noise, but
	// it only ever pulls the floor down at its quietest frames.
	if level < a.floor {
		a.floor = level
	} else {
		a.floor += a.rise
	}
	a.floor = math.Max(a.floor, -150)

	if level > a.speech {
		a.speech += (level - a.speech) * a.spRise
	} else {
		a.speech -= a.spFall
	}
	a.speech = math.Max(a.speech, a.floor)

	// Within a bridge gap of the last speech, anything that would count
	// while running resumes it: the gap is bridged into the segment anyway.
	resume := !a.running && a.seg.open && k-a.seg.end < a.seg.bridge
	var cand bool
	if a.running || resume {
		cand = level > a.floor+a.holdSNR && level > a.speech-a.spRange-a.spHold
	} else {
		cand = level > a.floor+a.onSNR && level > a.speech-a.spRange && level > a.onMin
	}
	cand = cand && leakOK && level > a.minLevel

	switch {
	case !a.running && cand:
		if a.run == 0 {
			a.runFrom = k
		}
		a.run++
		if a.run >= a.onsetFrames {
			for f := a.runFrom; f <= k; f++ {
				a.seg.add(f, true)
			}
			a.running, a.run, a.hang = true, 0, a.hangFrames
		}
	case !a.running:
		a.run = 0
		a.seg.idle(k)
	case cand:
		a.seg.add(k, true)
		a.hang = a.hangFrames
	case a.hang > 0:
		a.hang--
		a.seg.add(k, false)
	default:
		a.running = false
		a.seg.idle(k)
	}
	return cand
}

// dB returns 10·log10(x) floored at −150 dB (silence, and NaN-safe).
func dB(x float64) float64 {
	if !(x > 1e-15) {
		return -150
	}
	return 10 * math.Log10(x)
}
