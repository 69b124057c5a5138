package analysis

import "math"

// A diffuse leak: a party's voice reaching the other channel through the
// room (a third microphone summed into that channel, a speaker far from
// its microphone) with no direct path the three-tap model finds — on the
// real close-talk pair coherence 0.01–0.4 by band, yet voiced and 16 dB
// under the voice. It is modelled in the power domain, as SpeexDSP's
// residual-echo suppressor models what its canceller leaves: the leak's
// energy in a frame is gain × the source's energy, held with a long
// room's decay (diffuseTail: what reverberation still carries), the gain
// learnt over the frames where the source talks. A frame on the receiving
// channel is that party's own only where its energy (noise taken out)
// stands diffuseMargin above the predicted leak. The rule applies only to
// a channel no leak was found into (no canceller on it either) and only
// once the learnt gain is at least diffuseFloor: a clean or headset call
// learns a gain far below it and is decided as before. Full band, a few
// operations per frame.

const (
	diffuseBins = 64 // 1 dB bins of the receiving/source energy ratio, −63..0 dB
	// diffuseSpan: a source frame teaches the gain only when it stands this
	// far (dB) above the receiving channel's noise floor; a leak lost in
	// the noise counts in the lowest bin (no gain).
	diffuseSpan = 20.0
	// diffuseQuantile: the gain is this quantile of the ratio over the
	// source's talk: frames where the receiving party talks too lie above
	// it, the leak alone at and below it.
	diffuseQuantile = 0.3
	// diffuseFloor: a gain under this (dB) is no diffuse leak to model.
	diffuseFloor = -30.0
	// diffuseMargin: how far (dB) above the predicted leak a frame must
	// stand to be the receiving party's.
	diffuseMargin = 6.0
	// diffuseTail: the RT60 (seconds) the source's energy is held with.
	diffuseTail = 0.8
	// diffuseMinFrames: source frames (1 s) before the gain is trusted.
	diffuseMinFrames = 100
)

// diffuseLeak is the power-domain model of a diffuse leak into one channel.
type diffuseLeak struct {
	src  float64 // the source's mean energy per sample, held with diffuseTail
	hist [diffuseBins]int32
	n    int
	gain float64 // learnt leak gain (linear); 0 while under diffuseFloor
}

// diffuseDecay is the per-frame decay of a held energy (diffuseTail) for
// frames of n samples at rate.
func diffuseDecay(n float64, rate int) float64 {
	return math.Pow(10, -6*n/(diffuseTail*float64(rate)))
}

// hold updates the source's held energy with frame energy e (per sample).
func (d *diffuseLeak) hold(e, decay float64) {
	d.src = max(e, d.src*decay)
}

// learn counts a frame where the source talks: e is the receiving
// channel's energy per sample and noise its noise floor's.
func (d *diffuseLeak) learn(e, noise float64) {
	if d.src <= 0 || dB(d.src)-dB(noise) < diffuseSpan {
		return
	}
	b := 0
	if r := e - noise; r > 0 {
		b = min(max(int(math.Round(dB(r/d.src)))+diffuseBins-1, 0), diffuseBins-1)
	}
	d.hist[b]++
	d.n++
	if d.n < diffuseMinFrames || d.n%50 != 0 {
		return
	}
	want := int32(math.Ceil(diffuseQuantile * float64(d.n)))
	var c int32
	for i, h := range d.hist {
		if c += h; c >= want {
			d.gain = 0
			if g := float64(i - (diffuseBins - 1)); g >= diffuseFloor {
				d.gain = math.Pow(10, g/10)
			}
			return
		}
	}
}

// clear reports whether a frame of energy e per sample (noise: the
// channel's noise floor's) stands clear of the predicted leak. A frame
// held back here is not counted as masked (tried: it bridged the party's
// own pauses and moved a room draw's turn start 0.5 s early).
func (d *diffuseLeak) clear(e, noise float64) bool {
	return d.gain == 0 || e-noise > d.gain*d.src*math.Pow(10, diffuseMargin/10)
}
