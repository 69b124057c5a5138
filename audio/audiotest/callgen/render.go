package callgen

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"callcoach/analysis"
)

// Crosstalk is one party's voice leaking into the other's channel: the
// customer into the rep's microphone (speakers, open headphones) or the
// rep into the customer's channel (sidetone, or the customer's own
// microphone when both sit in one room). GainDB 0 means no leak; a
// negative Delay makes the leak arrive before its source's own channel
// has it (two devices with their own latencies).
//
// The plain form is one delayed, scaled copy (what the spec describes).
// Reverb and Speaker make the leak path a room's: a small loudspeaker's
// band (300 Hz–3.5 kHz) and a diffuse tail of reflections, which no single
// delay-and-gain estimate cancels exactly.
type Crosstalk struct {
	Delay  time.Duration
	GainDB float64 // direct path, relative to the leaking party's clean level, e.g. -10
	// Reverb is the tail's decay time (RT60) after the direct path; 0 = none.
	Reverb time.Duration
	// ReverbDB is the tail's energy relative to the direct path's.
	ReverbDB float64
	// Speaker band-limits the leak to a small loudspeaker's range.
	Speaker bool
	// DriftPPM makes the delay grow by this many parts per million of the
	// elapsed time: the microphone and the playback run on two clocks.
	DriftPPM float64
}

type crosstalkJSON struct {
	Delay    analysis.Dur `json:"delay_s"`
	GainDB   float64      `json:"gain_db"`
	Reverb   analysis.Dur `json:"reverb_rt60_s,omitempty"`
	ReverbDB float64      `json:"reverb_db,omitempty"`
	Speaker  bool         `json:"speaker,omitempty"`
	DriftPPM float64      `json:"drift_ppm,omitempty"`
}

// MarshalJSON writes times in seconds, as every CallCoach file does.
func (c Crosstalk) MarshalJSON() ([]byte, error) {
	return json.Marshal(crosstalkJSON{analysis.Dur(c.Delay), c.GainDB, analysis.Dur(c.Reverb), c.ReverbDB, c.Speaker, c.DriftPPM})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (c *Crosstalk) UnmarshalJSON(b []byte) error {
	var j crosstalkJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("crosstalk: %w", err)
	}
	*c = Crosstalk{Delay: j.Delay.D(), GainDB: j.GainDB, Reverb: j.Reverb.D(), ReverbDB: j.ReverbDB, Speaker: j.Speaker, DriftPPM: j.DriftPPM}
	return nil
}

// RenderOptions are the recording conditions a scenario is rendered under.
// The zero value is a clean 16 kHz call with both parties peaking at
// -4 dBFS.
type RenderOptions struct {
	Condition string `json:"condition,omitempty"` // a name for the truth file
	Rate      int    `json:"rate_hz"`             // Hz, 8000–48000; 0 = 16000
	// Peak level of each party's clean speech, dBFS; 0 = -4.
	RepPeakDBFS      float64 `json:"rep_peak_dbfs"`
	CustomerPeakDBFS float64 `json:"customer_peak_dbfs"`
	// NoiseSNR: room noise on the microphone (pink and brown noise plus
	// mains hum), this many dB below the rep's speech (RMS over the rep's
	// truth segments); 0 = no noise.
	NoiseSNR float64 `json:"noise_snr_db,omitempty"`
	// HumHz is the mains frequency of the hum (50 or 60); 0 = 50.
	HumHz float64 `json:"hum_hz,omitempty"`
	// Typing: the rep types notes while the customer talks: keystrokes on
	// the microphone, their peaks this many dB relative to the rep's speech
	// peak (e.g. -10); 0 = no typing. Keystrokes are not speech.
	Typing float64 `json:"typing_db,omitempty"`
	// CustomerNoiseSNR: line noise on the customer's channel; 0 = none.
	CustomerNoiseSNR float64 `json:"customer_noise_snr_db,omitempty"`
	// Leak: the customer heard on the rep's microphone.
	Leak Crosstalk `json:"leak"`
	// Sidetone: the rep heard on the customer's channel.
	Sidetone Crosstalk `json:"sidetone"`
	// Seed drives the noise.
	Seed uint64 `json:"seed"`
}

func (o RenderOptions) withDefaults() RenderOptions {
	if o.Rate == 0 {
		o.Rate = 16000
	}
	if o.RepPeakDBFS == 0 {
		o.RepPeakDBFS = -4
	}
	if o.CustomerPeakDBFS == 0 {
		o.CustomerPeakDBFS = -4
	}
	if o.HumHz == 0 {
		o.HumHz = 50
	}
	return o
}

// cutAndFade returns the first cut of s (at rate) with a cutFade fade-out
// ending at the cut.
func cutAndFade(s []float32, cut time.Duration, rate int) []float32 {
	n := int(math.Round(cut.Seconds() * float64(rate)))
	if n >= len(s) {
		return s
	}
	out := append([]float32(nil), s[:n]...)
	f := min(int(cutFade.Seconds()*float64(rate)), n)
	for i := 0; i < f; i++ {
		// Raised-cosine from 1 to 0 over the last f samples.
		g := 0.5 * (1 + math.Cos(math.Pi*float64(i+1)/float64(f)))
		out[n-f+i] *= float32(g)
	}
	return out
}

func dbToGain(db float64) float64 { return math.Pow(10, db/20) }

// Render renders scenario s under opt: the rep's microphone channel, the
// customer's channel (floats in [-1, 1], equal lengths, at opt.Rate) and
// the truth.
func Render(s Scenario, opt RenderOptions) (rep, cust []float32, truth Truth) {
	opt = opt.withDefaults()
	if opt.Rate < 8000 || opt.Rate > 192000 {
		panic("callgen: Render: rate out of range")
	}
	rate := opt.Rate
	clean, act, utts := mix(s, rate)
	n := len(clean[0])
	nFrames := len(act[0])
	truth = Truth{
		Scenario: s.Name, Condition: opt.Condition, Rate: rate,
		Duration:   analysis.Dur(time.Duration(n) * time.Second / time.Duration(rate)),
		Channels:   analysis.Channels{Rep: "left", Customer: "right"},
		Render:     opt,
		Utterances: utts,
	}
	cfg := analysis.DefaultConfig()
	truth.Segments = append(segmentsOf(act[analysis.Rep], analysis.Rep, cfg.BridgeGap),
		segmentsOf(act[analysis.Customer], analysis.Customer, cfg.BridgeGap)...)
	truth.Interruptions, truth.Backchannels = Events(truth.Segments, cfg)
	truth.fillTotals(nFrames)

	// Levels: each party's clean speech peaks at its set level.
	for i, db := range [2]float64{opt.RepPeakDBFS, opt.CustomerPeakDBFS} {
		var peak float32
		for _, v := range clean[i] {
			peak = max(peak, abs32(v))
		}
		if peak > 0 {
			g := float32(dbToGain(db) / float64(peak))
			for j := range clean[i] {
				clean[i][j] *= g
			}
		}
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x6e6f697365))
	rep = append([]float32(nil), clean[analysis.Rep]...)
	cust = append([]float32(nil), clean[analysis.Customer]...)
	addLeak(rep, clean[analysis.Customer], opt.Leak, rate, rng)
	addLeak(cust, clean[analysis.Rep], opt.Sidetone, rate, rng)
	if opt.NoiseSNR != 0 {
		addNoise(rep, speechRMS(clean[analysis.Rep], Frames(truth.Segments, analysis.Rep, nFrames), rate), opt.NoiseSNR, opt.HumHz, rate, rng)
	}
	if opt.Typing != 0 {
		addTyping(rep, truth.SegmentsOf(analysis.Customer), truth.SegmentsOf(analysis.Rep), dbToGain(opt.RepPeakDBFS+opt.Typing), rate, rng)
	}
	if opt.CustomerNoiseSNR != 0 {
		addNoise(cust, speechRMS(clean[analysis.Customer], Frames(truth.Segments, analysis.Customer, nFrames), rate), opt.CustomerNoiseSNR, 0, rate, rng)
	}
	for _, ch := range [][]float32{rep, cust} {
		for i, v := range ch {
			ch[i] = max(-1, min(1, v))
		}
	}
	return rep, cust, truth
}

// mix places the scenario's utterances at rate: each party's clean
// channel, its raw (unbridged) truth activity per 10 ms frame, and the
// utterances as placed.
func mix(s Scenario, rate int) (clean [2][]float32, act [2][]bool, utts []PlacedTruth) {
	n := int(math.Round(s.Length.Seconds() * float64(rate)))
	nFrames := framesIn(n, rate)
	clean = [2][]float32{make([]float32, n), make([]float32, n)}
	act = [2][]bool{make([]bool, nFrames), make([]bool, nFrames)}
	for _, p := range s.Placements {
		u := utterance(p.ID)
		x := samplesAt(u, rate)
		if p.Cut > 0 {
			x = cutAndFade(x, p.Cut, rate)
		}
		off := int(math.Round(p.Start.Seconds() * float64(rate)))
		if off+len(x) > n {
			x = x[:max(n-off, 0)]
		}
		ch := clean[p.Speaker]
		for i, v := range x {
			ch[off+i] += v
		}
		markActive(act[p.Speaker], x, off, rate)
		utts = append(utts, PlacedTruth{
			Speaker: p.Speaker, ID: p.ID, Kind: u.Kind.String(), Text: plainText(u.Text),
			Start: analysis.Dur(p.Start),
			End:   analysis.Dur(p.Start + time.Duration(len(x))*time.Second/time.Duration(rate)),
			Cut:   p.Cut > 0,
		})
	}
	return clean, act, utts
}

// plainText drops SSML tags (<break .../>) from a bank text.
func plainText(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}

func addLeak(dst, src []float32, c Crosstalk, rate int, rng *rand.Rand) {
	if c.GainDB == 0 {
		return
	}
	if c.Speaker {
		src = speakerBand(src, rate)
	}
	ds := c.Delay.Seconds() * float64(rate)
	d := int(math.Floor(ds))
	if frac := ds - float64(d); frac > 1e-9 || c.DriftPPM != 0 {
		src = warp(src, frac, c.DriftPPM)
	}
	g := float32(dbToGain(c.GainDB))
	// A negative delay: the leak arrives before its source's own channel
	// has it (two devices with their own latencies).
	for i := max(d, 0); i < len(dst) && i-d < len(src); i++ {
		dst[i] += g * src[i-d]
	}
	if c.Reverb <= 0 {
		return
	}
	// A diffuse tail: reflections at random times over the decay, their
	// gains falling 60 dB over Reverb, scaled to ReverbDB of the direct
	// path's energy.
	const reflections = 80
	type tap struct {
		at int
		g  float64
	}
	taps := make([]tap, reflections)
	n := int(c.Reverb.Seconds() * float64(rate))
	var e float64
	for i := range taps {
		t := 1 + rng.IntN(n)
		taps[i] = tap{d + int(0.002*float64(rate)) + t, rng.NormFloat64() * math.Pow(10, -3*float64(t)/float64(n))}
		e += taps[i].g * taps[i].g
	}
	scale := float64(g) * math.Sqrt(dbToGain(c.ReverbDB)*dbToGain(c.ReverbDB)/e)
	for _, tp := range taps {
		tg := float32(tp.g * scale)
		for i := max(tp.at, 0); i < len(dst) && i-tp.at < len(src); i++ {
			dst[i] += tg * src[i-tp.at]
		}
	}
}

// warp returns y with y[i] = x at input position i*(1-ppm·1e-6) - frac:
// a delay of frac samples that grows by ppm parts per million of the
// elapsed time (the microphone and the playback run on two clocks),
// band-limited interpolation so that a fractional delay does not also
// low-pass the leak.
func warp(x []float32, frac, ppm float64) []float32 {
	pp := polyphaseFor(1)
	y := make([]float32, len(x))
	r := 1 - ppm*1e-6
	for i := range y {
		y[i] = pp.at(x, float64(i)*r-frac)
	}
	return y
}

// speakerBand filters x through a small loudspeaker's band: 2nd-order
// high-pass at 300 Hz and low-pass at 3.5 kHz (RBJ biquads, Q 0.707).
func speakerBand(x []float32, rate int) []float32 {
	y := biquad(x, rate, 300, true)
	if float64(rate)/2 > 3500*1.2 {
		y = biquad(y, rate, 3500, false)
	}
	return y
}

func biquad(x []float32, rate int, f0 float64, highpass bool) []float32 {
	w := 2 * math.Pi * f0 / float64(rate)
	const q = math.Sqrt2 / 2
	alpha := math.Sin(w) / (2 * q)
	cw := math.Cos(w)
	var b0, b1, b2 float64
	if highpass {
		b0, b1, b2 = (1+cw)/2, -(1 + cw), (1+cw)/2
	} else {
		b0, b1, b2 = (1-cw)/2, 1-cw, (1-cw)/2
	}
	a0, a1, a2 := 1+alpha, -2*cw, 1-alpha
	b0, b1, b2, a1, a2 = b0/a0, b1/a0, b2/a0, a1/a0, a2/a0
	y := make([]float32, len(x))
	var x1, x2, y1, y2 float64
	for i, v := range x {
		xv := float64(v)
		yv := b0*xv + b1*x1 + b2*x2 - a1*y1 - a2*y2
		x2, x1, y2, y1 = x1, xv, y1, yv
		y[i] = float32(yv)
	}
	return y
}

// addTyping adds bursts of keystrokes inside the customer's longer
// segments, clear of the rep's speech by 0.3 s: each keystroke a 4–12 ms
// click of high-passed noise with a fast decay, 5–9 a second, peaking
// near peak.
func addTyping(dst []float32, cust, rep []analysis.Segment, peak float64, rate int, rng *rand.Rand) {
	clear := func(a, b time.Duration) bool {
		for _, s := range rep {
			if s.Start.D() < b+300*time.Millisecond && a-300*time.Millisecond < s.End.D() {
				return false
			}
		}
		return true
	}
	for _, s := range cust {
		if s.Len() < 2*time.Second {
			continue
		}
		for t := s.Start.D() + 300*time.Millisecond; t < s.End.D()-200*time.Millisecond; {
			if !clear(t, t+20*time.Millisecond) {
				t += 100 * time.Millisecond
				continue
			}
			at := int(t.Seconds() * float64(rate))
			n := int((0.004 + 0.008*rng.Float64()) * float64(rate))
			g := peak * (0.5 + 0.5*rng.Float64())
			var prev float64
			for i := 0; i < n && at+i < len(dst); i++ {
				w := rng.NormFloat64()
				hp := w - prev // first difference: a bright click
				prev = w
				dst[at+i] += float32(g * 0.5 * hp * math.Exp(-5*float64(i)/float64(n)))
			}
			t += time.Duration((0.11 + 0.09*rng.Float64()) * float64(time.Second))
		}
	}
}

// speechRMS is the RMS of x over its active frames.
func speechRMS(x []float32, act []bool, rate int) float64 {
	var e float64
	var n int
	for k, a := range act {
		if !a {
			continue
		}
		for i := frameStart(k, rate); i < min(frameStart(k+1, rate), len(x)); i++ {
			e += float64(x[i]) * float64(x[i])
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return math.Sqrt(e / float64(n))
}

// addNoise adds room noise snr dB below level (an RMS): pink noise (fans,
// air), brown noise (rumble) and, if hum > 0, mains hum with harmonics.
func addNoise(dst []float32, level, snr, hum float64, rate int, rng *rand.Rand) {
	if level == 0 {
		level = dbToGain(-30)
	}
	noise := make([]float64, len(dst))
	var b0, b1, b2, b3, b4, b5, b6, brown float64
	ph := rng.Float64() * 2 * math.Pi
	re, im := math.Cos(ph), math.Sin(ph)
	cr, sr := math.Cos(2*math.Pi*hum/float64(rate)), math.Sin(2*math.Pi*hum/float64(rate))
	for i := range noise {
		w := rng.NormFloat64()
		// Paul Kellet's pink noise filter.
		b0 = 0.99886*b0 + w*0.0555179
		b1 = 0.99332*b1 + w*0.0750759
		b2 = 0.96900*b2 + w*0.1538520
		b3 = 0.86650*b3 + w*0.3104856
		b4 = 0.55000*b4 + w*0.5329522
		b5 = -0.7616*b5 - w*0.0168980
		pink := b0 + b1 + b2 + b3 + b4 + b5 + b6 + w*0.5362
		b6 = w * 0.115926
		brown = 0.995*brown + 0.05*w
		v := 0.12*pink + 0.8*brown
		if hum > 0 {
			// sin(θ), sin(2θ), sin(3θ) from a rotating phasor.
			c1, s1 := re, im
			c2, s2 := c1*c1-s1*s1, 2*s1*c1
			s3 := s2*c1 + c2*s1
			v += 0.35*s1 + 0.15*s2 + 0.08*s3
			re, im = re*cr-im*sr, re*sr+im*cr
		}
		noise[i] = v
	}
	var e float64
	for _, v := range noise {
		e += v * v
	}
	rms := math.Sqrt(e / float64(len(noise)))
	if rms == 0 {
		return
	}
	g := level * dbToGain(-snr) / rms
	for i, v := range noise {
		dst[i] += float32(v * g)
	}
}
