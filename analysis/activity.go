package analysis

import (
	"math"
	"time"
)

// activity is one channel's frame-by-frame speech decision.
//
// Each frame's energy (dB, of the high-passed signal minus any predicted
// crosstalk) is compared with an adaptive noise floor that starts at the
// first frame, drops at once to any quieter frame, climbs at most
// VADConfig.FloorRise dB/s, and jumps up to the minimum of the last
// FloorWindow when even that is above it (a fan switched on: the minimum
// over a few seconds is noise, since speech pauses), and ignores a short
// dropout to digital silence (dropoutGuard): noise sits at the
// floor, speech rises well above it, whatever the channel's gain — a quiet
// rep at −20 dBFS peaks is judged against its own floor, not the
// customer's. A run of candidate frames (OnsetSNR above the floor, HoldSNR
// while running) becomes speech once it lasts Onset; it stays on for Hangover
// after the last candidate. In a mono recording speech must also be voiced
// now and then (voicing.go, VADMono.VoicedCorr): it starts only with a
// voiced frame and stops VoicedBack after the last one. Active frames go to
// the segmenter.
type activity struct {
	onSNR, holdSNR, minLevel float64
	onMin                    float64 // absolute onset level, dBFS
	rise                     float64 // dB per frame
	onsetFrames, hangFrames  int

	started bool
	floor   float64
	win     windowMin
	drop    dropoutGuard
	digital bool    // the floor came from digital silence (dropoutGuard)
	speech  float64 // recent speech level (slow peak follower), dB
	spRise  float64 // fraction of the way to a louder frame per frame
	spFall  float64 // dB per frame the speech level sinks otherwise
	spRange float64 // onsets must be within this of the speech level
	spHold  float64 // running speech may sink this much further
	running bool
	run     int   // consecutive candidate frames while not running
	runFrom int64 // first frame of that run
	hang    int

	// Voicing gate (mono only, see VADMono): the last voiced frame, how
	// long speech may run on after it, how far an onset may reach back
	// before it.
	gate          bool
	lastVoiced    int64
	vBack, vAhead int64

	seg segmenter
}

func newActivity(s Speaker, cfg Config, frame time.Duration) activity {
	v := cfg.VAD
	if s == Unattributed {
		v = v.mono()
	}
	perFrame := frame.Seconds()
	minCore := max(1, int64(v.MinSegment/frame))
	gate := s == Unattributed && v.Mono.VoicedCorr > 0
	return activity{
		gate:        gate,
		lastVoiced:  math.MinInt32,
		vBack:       int64(v.Mono.VoicedBack / frame),
		vAhead:      int64(v.Mono.VoicedAhead / frame),
		onSNR:       v.OnsetSNR,
		holdSNR:     v.HoldSNR,
		minLevel:    v.MinLevel,
		onMin:       v.OnsetLevel,
		rise:        v.FloorRise * perFrame,
		onsetFrames: max(1, int(v.Onset/frame)),
		hangFrames:  int(v.Hangover / frame),
		win:         newWindowMin(max(6, int(v.FloorWindow/frame))),
		drop:        dropoutGuard{hold: int(v.DropoutHold / frame)},
		spRise:      v.SpeechRise,
		spFall:      v.SpeechFall * perFrame,
		spRange:     v.SpeechRange,
		spHold:      v.SpeechHold,
		seg:         newSegmenter(s, frame, cfg.BridgeGap, v.MaskedBridge, minCore),
	}
}

// step decides frame k from its energy level (dB), whether it holds a
// run of digital silence (gap, see dropoutGuard), whether the crosstalk
// test let it through (own speech clearly above the predicted leak) and
// whether the leak masked it (the party's usual speech could not have
// passed that test). It reports whether the frame is a candidate (used for
// leak bookkeeping).
func (a *activity) step(k int64, level float64, gap, leakOK, masked, voiced bool) bool {
	// The floor follows every level, leaked or not: leak is not noise, but
	// it only ever pulls the floor down at its quietest frames.
	if !a.started {
		if gap && a.drop.lead < a.drop.hold {
			// A recording that begins in digital silence for a moment (a
			// sound server's idle source before the call's audio came)
			// starts its floor after it, not at silence.
			a.drop.lead++
			a.seg.idle(k, masked)
			return false
		}
		a.started, a.floor, a.speech, a.digital = true, level, level, gap
	}
	if !a.drop.skip(gap, a.digital) {
		if level < a.floor {
			a.floor, a.digital = level, gap
		} else {
			a.floor += a.rise
		}
		if m, full := a.win.add(level); full && m > a.floor {
			a.floor, a.digital = m, false
		}
		a.floor = math.Max(a.floor, -150)
	}

	if level > a.speech {
		a.speech += (level - a.speech) * a.spRise
	} else {
		a.speech -= a.spFall
	}
	a.speech = math.Max(a.speech, a.floor)

	// Within a bridge gap of the last speech, anything that would count
	// while running resumes it: the gap is bridged into the segment anyway.
	resume := !a.running && a.seg.reaches(k)
	if voiced {
		a.lastVoiced = k
	}
	var cand bool
	if a.running || resume {
		cand = level > a.floor+a.holdSNR && level > a.speech-a.spRange-a.spHold
		if a.running && a.gate {
			cand = cand && k-a.lastVoiced <= a.vBack
		}
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
		from := a.runFrom
		if a.gate {
			// A run starts speech only with a voiced frame in it (or
			// just before it), reaching back at most VoicedAhead.
			if a.lastVoiced < a.runFrom-a.vBack {
				break
			}
			from = max(from, a.lastVoiced-a.vAhead)
		}
		if a.run >= a.onsetFrames {
			for f := from; f <= k; f++ {
				a.seg.add(f, true)
			}
			a.running, a.run, a.hang = true, 0, a.hangFrames
		}
	case !a.running:
		a.run = 0
		a.seg.idle(k, masked)
	case cand:
		a.seg.add(k, true)
		a.hang = a.hangFrames
	case a.hang > 0:
		a.hang--
		a.seg.add(k, false)
	default:
		a.running = false
		a.seg.idle(k, masked)
	}
	return cand
}

// wantsVoicing reports whether frame k's voicing can change a decision:
// always outside speech (onsets wait for a voiced frame), and within speech
// only once the last voiced frame is a quarter of VoicedBack old (a voiced
// frame every so often is all running speech needs; this keeps the test to
// a few frames a second in a long turn).
func (a *activity) wantsVoicing(k int64) bool {
	return a.gate && (!a.running || k-a.lastVoiced > a.vBack/4)
}

// dropoutGuard tells a dropout from quieter noise. A channel that falls
// to digital silence for a moment has lost audio: a sound server that
// stalled plays a quantum of nothing (PipeWire: 1024 samples, 21 ms at
// 48 kHz), a network call loses a packet. Taken as noise, such a dropout
// pulls the floor 20-50 dB down at once; the floor then climbs back at
// FloorRise (2 dB/s), and the window minimum holds it there for
// FloorWindow: the room noise after the next word end counted as speech,
// 0.7 s of it on a recording through a real PipeWire server stalled for
// 60 ms. So up to hold frames of it are left out of the floor; digital
// silence that lasts longer is the floor (a muted line, a noise gate).
//
// A floor that digital silence set already (a generated call's pauses,
// a line muted for longer) is judged as before: there the silence is the
// channel's noise. The same goes for digital silence the recording
// begins with: up to hold frames of it come before the floor starts (a
// sound server's idle monitor played 128 ms of it before the call in a
// recording that then had seven 21 ms dropouts in its first 3 s; with
// the floor started at silence, the guard stood aside for all of them
// and the rep's talk read 10.3 % long). A floor a leak model's residual took down (the leak
// predicted in full leaves nothing) is not: that says nothing about
// whether silence is the channel's noise.
type dropoutGuard struct {
	hold int // frames of digital silence left out; 0: none
	run  int // consecutive frames of it so far
	lead int // frames of it left out before the floor started
}

// skip reports whether a frame with a run of digital silence in it (gap)
// is left out of a floor; digital: the floor came from such frames.
func (g *dropoutGuard) skip(gap, digital bool) bool {
	if !gap || digital {
		g.run = 0
		return false
	}
	g.run++
	return g.run <= g.hold
}

// dB returns 10·log10(x) floored at −150 dB (silence, and NaN-safe).
func dB(x float64) float64 {
	if !(x > 1e-15) {
		return -150
	}
	return 10 * math.Log10(x)
}

// windowMin is the minimum of the last n values, kept as six block minima
// (Martin's minimum statistics): a few compares per frame.
type windowMin struct {
	block     int // values per block
	mins      [6]float64
	cur       float64
	pos, fill int
	next      int
}

func newWindowMin(n int) windowMin {
	return windowMin{block: max(1, n/6), cur: math.Inf(1)}
}

// add records v and returns the minimum over the window and whether the
// window has filled once.
func (w *windowMin) add(v float64) (float64, bool) {
	w.cur = math.Min(w.cur, v)
	w.pos++
	if w.pos == w.block {
		w.mins[w.next] = w.cur
		w.next = (w.next + 1) % len(w.mins)
		w.fill = min(w.fill+1, len(w.mins))
		w.cur, w.pos = math.Inf(1), 0
	}
	m := w.cur
	for _, b := range w.mins[:w.fill] {
		m = math.Min(m, b)
	}
	return m, w.fill == len(w.mins)
}
