package analysis

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DeliveryCue is how the rep spoke during one monologue long enough to
// measure: the cues that tell reading aloud from talking freely (issue 10).
// A figure that could not be measured on this stretch (too few pauses for a
// spread, too little voicing for a pitch) is null in JSON.
type DeliveryCue struct {
	Start Dur `json:"start_s"`
	End   Dur `json:"end_s"`
	// Syllables counts the syllable nuclei: peaks of the level in the
	// telephone band with a dip on each side, voiced (de Jong & Wempe 2009).
	Syllables int `json:"syllables"`
	// RateSyl is the speaking rate: syllable nuclei per second of
	// speaking, pauses left out.
	RateSyl *float64 `json:"rate_syl_s"`
	// RateCV is the rate's coefficient of variation across the stretch's
	// phrases: low is a steady pace.
	RateCV *float64 `json:"rate_cv"`
	// PauseCV is the coefficient of variation of the pauses' lengths: low
	// is evenly long pauses.
	PauseCV *float64 `json:"pause_cv"`
	// Phrase is the mean length of a phrase (speech between two pauses), in
	// seconds.
	Phrase *float64 `json:"phrase_s"`
	// PitchRange is the spread of the voice's pitch, in semitones (10th to
	// 90th percentile of the voiced frames).
	PitchRange *float64 `json:"pitch_range_st"`
	// Declination is the pitch's drift within phrases, in semitones per
	// second (negative: falling).
	Declination *float64 `json:"pitch_declination_st_s"`
	// FilledPauses counts "uh" and "um": steady voiced stretches with a flat
	// pitch and a still spectrum.
	FilledPauses int `json:"filled_pauses"`
	// ReadLikelihood (0..1) combines only the cues that told real read
	// speech from real spontaneous speech on held-out speakers; null when
	// none of them could be measured here.
	ReadLikelihood *float64 `json:"read_likelihood"`
}

// DeliveryConfig tunes the delivery meter. The defaults were set on the
// tuning half of shared/data/read-vs-spontaneous (speakers listed in
// delivery_real_test.go) after a telephone band; the other half reports.
type DeliveryConfig struct {
	// MinMonologue: rep monologues this long or longer get delivery cues
	// (issue 10: 8 s; shorter stretches hold too few phrases and pauses
	// for a spread).
	MinMonologue time.Duration `json:"min_monologue"`
	// PauseBelow: a 10 ms frame belongs to a pause when its level in the
	// telephone band is this many dB below the stretch's speech level (its
	// 95th percentile; de Jong & Wempe 2009 use 25 dB), or, on a line whose
	// noise floor (5th percentile) comes closer than that, in the lower
	// third between floor and speech.
	PauseBelow float64 `json:"pause_below_db"`
	// MinPause: a quieter run this long or longer is a pause between
	// phrases; shorter ones are stop closures and breaths inside a phrase
	// (0.25 s, as Goldman-Eisler's classic cut-off for pauses).
	MinPause time.Duration `json:"min_pause"`
	// NucleusDip: a peak of the level counts as a syllable nucleus when the
	// level dips at least this many dB on each side of it (de Jong &
	// Wempe 2009: 2 dB) and the frame is voiced.
	NucleusDip float64 `json:"nucleus_dip_db"`
	// Aperiodicity: a frame is voiced when the YIN aperiodicity of its
	// pitch period is below this (de Cheveigné & Kawahara 2002 use 0.1 on
	// clean speech; telephone speech needs more).
	Aperiodicity float64 `json:"aperiodicity"`
	// FilledMin, FilledPitchSD, FilledShape: a filled pause ("uh", "um") is
	// a voiced run of FilledMin or more whose pitch varies by at most
	// FilledPitchSD semitones (standard deviation) and whose spectral
	// shape (levels of four bands relative to their mean) moves by at most
	// FilledShape dB on average, with no syllable nucleus inside but the
	// one it is.
	FilledMin     time.Duration `json:"filled_min"`
	FilledPitchSD float64       `json:"filled_pitch_sd_st"`
	FilledShape   float64       `json:"filled_shape_db"`
}

// DefaultDeliveryConfig returns the documented defaults.
func DefaultDeliveryConfig() DeliveryConfig {
	return DeliveryConfig{
		MinMonologue:  8 * time.Second,
		PauseBelow:    25,
		MinPause:      300 * time.Millisecond,
		NucleusDip:    2,
		Aperiodicity:  0.5,
		FilledMin:     250 * time.Millisecond,
		FilledPitchSD: 0.5,
		FilledShape:   2.5,
	}
}

// DeliverySpans returns the rep's monologues in r that are long enough for
// delivery cues, in time order: the stretches of the rep's audio a caller
// feeds to a DeliveryMeter.
func DeliverySpans(r *Result, cfg DeliveryConfig) []Span {
	var out []Span
	for _, m := range r.Monologues {
		if m.Speaker == Rep && time.Duration(m.End-m.Start) >= cfg.MinMonologue {
			out = append(out, Span{Start: m.Start, End: m.End})
		}
	}
	return out
}

// rateWindow is the stretch of speaking time the rate's steadiness is
// measured over: long enough for ~8 syllables, short enough that an 8 s
// monologue holds three.
const rateWindow = 2 * time.Second

// silentBelow is the level (dBFS, telephone band) under which a frame is
// silence whatever the stretch's own levels.
const silentBelow = -70

// nBands is how many bands describe the spectral shape of a frame.
const nBands = 4

// bandEdges: four bands across the telephone band, roughly the first and
// second formants' ranges split in two.
var bandEdges = [nBands + 1]float64{300, 700, 1300, 2200, 3400}

// dframe is one 10 ms frame of a stretch, as the meter keeps it.
type dframe struct {
	db    float32         // level in the telephone band, dB
	st    [nCand]float32  // candidate pitches, semitones re 100 Hz
	aper  [nCand]float32  // their YIN aperiodicity, deepest first (1: none)
	shape [nBands]float32 // band levels, dB
}

// DeliveryMeter measures the delivery cues of one stretch of a party's
// speech, fed in any chunks at the call's rate. It band-limits to the
// telephone band (300–3400 Hz) first, so a headset microphone and a phone
// line give the same figures, and keeps only a few numbers per 10 ms
// frame: 44 bytes, 4.4 kB per second of the stretch (2.6 MB for a
// 10-minute monologue), about as much again while Cue runs. Reset reuses it for the
// next stretch. Not safe for concurrent use.
type DeliveryMeter struct {
	cfg  DeliveryConfig
	rate int

	d1     int       // input samples per band-rate sample
	aa     [2]biquad // anti-alias low-pass before the first decimation
	r1     float64   // band rate, Hz
	hp, lp biquad    // the telephone band
	bands  [nBands]biquad

	d2   int // band-rate samples per pitch-rate sample
	n2   int
	plp  [2]biquad // low-pass before the pitch decimation
	r2   float64   // pitch rate, Hz
	pbuf []float64 // pitch-rate history
	pw   int       // next write position in pbuf
	win  int       // YIN window, pitch-rate samples
	tmax int       // longest period searched
	tmin int       // shortest period searched
	diff []float64 // YIN difference function, by lag

	frameLen int       // band-rate samples per frame
	stage    []float32 // one frame of input, frameLen·d1 samples
	ns       int       // samples in stage
	work     []float64 // the frame as it is filtered
	tmp      []float64 // a band's output
	fn       int       // band-rate samples in the frame just ended
	e        float64
	be       [nBands]float64
	frames   []dframe
	start    time.Duration
}

// NewDeliveryMeter returns a meter for audio at rate Hz (8–192 kHz).
func NewDeliveryMeter(rate int, cfg DeliveryConfig) *DeliveryMeter {
	m := &DeliveryMeter{cfg: cfg, rate: rate}
	m.d1 = max(1, rate/8000)
	m.r1 = float64(rate) / float64(m.d1)
	m.d2 = max(1, int(math.Round(m.r1/4000)))
	m.r2 = m.r1 / float64(m.d2)
	m.frameLen = int(math.Round(m.r1 / 100))
	m.win = int(math.Round(0.025 * m.r2))
	m.tmax = int(math.Ceil(m.r2 / 70))
	m.tmin = int(m.r2 / 450)
	m.pbuf = make([]float64, 8*(m.win+m.tmax+1))
	m.diff = make([]float64, m.tmax+2)
	m.stage = make([]float32, m.frameLen*m.d1)
	m.work = make([]float64, m.frameLen*m.d1)
	m.tmp = make([]float64, m.frameLen)
	m.Reset(0)
	return m
}

// Reset starts a new stretch beginning at start in the call.
func (m *DeliveryMeter) Reset(start time.Duration) {
	m.start = start
	m.n2, m.ns, m.fn, m.e = 0, 0, 0, 0
	m.be = [nBands]float64{}
	m.frames = m.frames[:0]
	cut := min(3400, 0.45*m.r1)
	for i := range m.aa {
		m.aa[i] = newLowPass(cut, float64(m.rate), 1/math.Sqrt2)
	}
	m.hp = newHighPassQ(300, 1/math.Sqrt2, m.r1)
	m.lp = newLowPass(cut, m.r1, 1/math.Sqrt2)
	for i := range m.bands {
		m.bands[i] = newBandPass(bandEdges[i], min(bandEdges[i+1], 0.45*m.r1), m.r1)
	}
	for i := range m.plp {
		m.plp[i] = newLowPass(1000, m.r1, 1/math.Sqrt2)
	}
	clear(m.pbuf)
	m.pw = m.win + m.tmax + 1
}

// Write feeds the stretch's next samples. They are gathered into frames
// and each frame's samples are filtered as a block (every filter's state
// held in registers across the block), the meter's hot path.
func (m *DeliveryMeter) Write(x []float32) {
	for len(x) > 0 {
		n := copy(m.stage[m.ns:], x)
		x = x[n:]
		m.ns += n
		if m.ns == len(m.stage) {
			m.frame()
			m.ns = 0
		}
	}
}

// frame filters one frame's input samples (frameLen·d1 of them) and ends
// the frame.
func (m *DeliveryMeter) frame() {
	in := m.work[:len(m.stage)]
	for i, v := range m.stage {
		s := float64(v)
		if !(s >= -1 && s <= 1) { // NaN, Inf, beyond full scale
			s = max(-1, min(1, s))
			if s != s {
				s = 0
			}
		}
		in[i] = s
	}
	y := in
	if m.d1 > 1 {
		m.aa[0].block(in)
		m.aa[1].block(in)
		// Keep every d1-th sample; the first kept is the d1-th.
		y = m.work[:m.frameLen]
		for j := range y {
			y[j] = in[j*m.d1+m.d1-1]
		}
		m.hp.block(y)
	} else {
		m.hp.block(y)
		m.lp.block(y) // at 8 kHz the band's top still needs cutting
	}
	var e float64
	for _, v := range y {
		e += v * v
	}
	m.e = e
	tmp := m.tmp[:len(y)]
	for k := range m.bands {
		copy(tmp, y)
		m.bands[k].block(tmp)
		var be float64
		for _, v := range tmp {
			be += v * v
		}
		m.be[k] = be
	}
	// Full-wave rectified: the telephone band cuts a low voice's
	// fundamental, and rectifying brings it back (the difference tones of
	// neighbouring harmonics), so the period found is the pitch's, not an
	// octave or two above it.
	for j, v := range y {
		tmp[j] = math.Abs(v)
	}
	m.plp[0].block(tmp)
	m.plp[1].block(tmp)
	for _, p := range tmp {
		m.n2++
		if m.n2 < m.d2 {
			continue
		}
		m.n2 = 0
		if m.pw == len(m.pbuf) {
			h := m.win + m.tmax + 1
			copy(m.pbuf, m.pbuf[m.pw-h:m.pw])
			m.pw = h
		}
		m.pbuf[m.pw] = p
		m.pw++
	}
	m.fn = len(y)
	m.endFrame()
}

func (m *DeliveryMeter) endFrame() {
	n := float64(m.fn)
	f := dframe{db: float32(10 * math.Log10(m.e/n+1e-12)), aper: [nCand]float32{1, 1, 1}}
	for i := range m.be {
		f.shape[i] = float32(10 * math.Log10(m.be[i]/n+1e-12))
	}
	m.frames = append(m.frames, f)
	// Pitch every other frame (20 ms is fine for range, slope and a
	// filled pause of 300 ms). The window reaches ~40 ms back, so its
	// middle is the boundary of this frame and the one before: both get it.
	if k := len(m.frames) - 1; k%2 == 1 {
		st, aper := [nCand]float32{}, [nCand]float32{1, 1, 1}
		if max(f.db, m.frames[k-1].db) > -70 {
			st, aper = m.pitch()
		}
		m.frames[k-1].st, m.frames[k-1].aper = st, aper
		m.frames[k].st, m.frames[k].aper = st, aper
	}
	m.fn, m.e = 0, 0
	m.be = [nBands]float64{}
}

// nCand is how many pitch candidates a frame keeps for the tracker.
const nCand = 3

// pitch runs YIN (de Cheveigné & Kawahara 2002) on the latest window:
// the cumulative-mean-normalised difference function, whose deepest local
// minima (refined by a parabola) are the frame's candidate periods. It
// returns them as semitones re 100 Hz with their depths (aperiodicity, 0 =
// perfectly periodic; 1 = none), deepest first; the tracker picks among
// them (track).
func (m *DeliveryMeter) pitch() (st, aper [nCand]float32) {
	x := m.pbuf[m.pw-m.win-m.tmax : m.pw]
	d := m.diff
	d[0] = 1
	var run float64
	for tau := 1; tau <= m.tmax; tau++ {
		s := sqDiff(x[:m.win], x[tau:tau+m.win])
		run += s
		if run > 0 {
			d[tau] = s * float64(tau) / run
		} else {
			d[tau] = 1
		}
	}
	for i := range aper {
		aper[i] = 1
	}
	for tau := max(m.tmin, 2); tau < m.tmax; tau++ {
		if !(d[tau] < d[tau-1] && d[tau] <= d[tau+1]) || float32(d[tau]) >= aper[nCand-1] {
			continue
		}
		t := float64(tau)
		if a, b, c := d[tau-1], d[tau], d[tau+1]; a+c-2*b > 0 {
			t += 0.5 * (a - c) / (a + c - 2*b)
		}
		v, s := float32(d[tau]), float32(12*math.Log2(m.r2/t/100))
		i := nCand - 1
		for i > 0 && aper[i-1] > v {
			aper[i], st[i] = aper[i-1], st[i-1]
			i--
		}
		aper[i], st[i] = v, s
	}
	return st, aper
}

// track picks one candidate per voiced frame: the path through each run
// of voiced frames that is deepest and smoothest (Viterbi: a candidate
// costs its aperiodicity plus octaveCost per octave below the highest
// pitch searched; a step costs jumpCost per semitone), so the telephone
// band's missing fundamental does not throw the track an octave up or
// down. It returns the pitch per frame, NaN where unvoiced.
func (m *DeliveryMeter) track(voiced func(int) bool) []float64 {
	// octaveCost 0 and jumpCost 0.08 agreed best with Praat's pitch of
	// the original wideband clips (tuning half, 91-95% of frames within a
	// semitone).
	const (
		octaveCost = 0.0
		jumpCost   = 0.08
	)
	fr := m.frames
	out := make([]float64, len(fr))
	top := float32(12 * math.Log2(m.r2/float64(max(m.tmin, 2))/100))
	local := func(i, c int) float64 {
		return float64(fr[i].aper[c]) + octaveCost*float64(top-fr[i].st[c])/12
	}
	var cost [][nCand]float64
	var from [][nCand]int8
	for i := 0; i < len(fr); {
		if !voiced(i) {
			out[i] = math.NaN()
			i++
			continue
		}
		j := i
		for j < len(fr) && voiced(j) {
			j++
		}
		cost, from = cost[:0], from[:0]
		for k := i; k < j; k++ {
			var cs [nCand]float64
			var fs [nCand]int8
			for c := range nCand {
				cs[c] = math.Inf(1)
				if fr[k].aper[c] >= 1 {
					continue
				}
				if k == i {
					cs[c] = local(k, c)
					continue
				}
				prev := cost[len(cost)-1]
				for p := range nCand {
					if v := prev[p] + jumpCost*math.Abs(float64(fr[k].st[c]-fr[k-1].st[p])); v < cs[c] {
						cs[c], fs[c] = v, int8(p)
					}
				}
				cs[c] += local(k, c)
			}
			cost = append(cost, cs)
			from = append(from, fs)
		}
		c := 0
		last := cost[len(cost)-1]
		for q := range nCand {
			if last[q] < last[c] {
				c = q
			}
		}
		for k := j - 1; k >= i; k-- {
			out[k] = float64(fr[k].st[c])
			c = int(from[k-i][c])
		}
		i = j
	}
	return out
}

// Cue returns the cues of the stretch fed since the last Reset, ending at
// end in the call.
func (m *DeliveryMeter) Cue(end time.Duration) DeliveryCue {
	c := DeliveryCue{Start: Dur(m.start), End: Dur(end)}
	fr := m.frames
	if len(fr) < 50 {
		return c
	}
	fsec := float64(m.frameLen) / m.r1

	// Levels: the stretch's speech level and the pause threshold.
	dbs := make([]float64, len(fr))
	for i, f := range fr {
		dbs[i] = float64(f.db)
	}
	sorted := slices.Clone(dbs)
	slices.Sort(sorted)
	speech, floor := percentile(sorted, 0.95), percentile(sorted, 0.05)
	// On a noisy line the floor comes within PauseBelow of the speech:
	// then a pause is what stays in the lower third of the range.
	thr := max(speech-m.cfg.PauseBelow, floor+(speech-floor)/3, silentBelow)
	if speech < silentBelow+10 {
		return c // nothing anyone said
	}

	// Phrases: runs at or above the threshold; quieter runs shorter than
	// MinPause belong to the phrase, louder blips shorter than 0.1 s to the
	// pause.
	loud := make([]bool, len(fr))
	for i, v := range dbs {
		loud[i] = v >= thr
	}
	fill(loud, true, int(0.1/fsec)) // blips
	fill(loud, false, int(m.cfg.MinPause.Seconds()/fsec))
	type run struct{ a, b int }
	var phrases []run
	for i := 0; i < len(loud); {
		if !loud[i] {
			i++
			continue
		}
		j := i
		for j < len(loud) && loud[j] {
			j++
		}
		phrases = append(phrases, run{i, j})
		i = j
	}
	if len(phrases) == 0 {
		return c
	}
	var speakSec float64
	for _, p := range phrases {
		speakSec += float64(p.b-p.a) * fsec
	}
	c.Phrase = ptr(speakSec / float64(len(phrases)))
	if len(phrases) >= 4 {
		pauses := make([]float64, 0, len(phrases)-1)
		for i := 1; i < len(phrases); i++ {
			pauses = append(pauses, float64(phrases[i].a-phrases[i-1].b)*fsec)
		}
		mean, sd := meanSD(pauses)
		c.PauseCV = ptr(sd / mean)
	}

	voiced := func(i int) bool { return fr[i].aper[0] < float32(m.cfg.Aperiodicity) && loud[i] }

	// voicedNear: the level peaks a little apart from the voicing's
	// strongest frames, within 20 ms.
	voicedNear := func(i int) bool {
		for j := max(0, i-2); j < min(len(fr), i+3); j++ {
			if voiced(j) {
				return true
			}
		}
		return false
	}
	// Syllable nuclei: level peaks with a dip of NucleusDip on both sides,
	// voiced, inside a phrase.
	sm := make([]float64, len(dbs))
	for i := range dbs {
		a, b := max(0, i-2), min(len(dbs), i+3)
		var s float64
		for _, v := range dbs[a:b] {
			s += v
		}
		sm[i] = s / float64(b-a)
	}
	nucleus := make([]bool, len(fr))
	{
		dip := m.cfg.NucleusDip
		lo, hi, at := sm[0], sm[0], 0
		rising := true
		for i, v := range sm {
			if rising {
				if v > hi {
					hi, at = v, i
				}
				if v < hi-dip {
					if hi-lo >= dip && voicedNear(at) {
						nucleus[at] = true
					}
					rising, lo = false, v
				}
			} else {
				if v < lo {
					lo = v
				}
				if v > lo+dip {
					rising, hi, at = true, v, i
				}
			}
		}
	}
	// Rate and its steadiness: nuclei per second of speaking, and the
	// spread of the count over consecutive windows of rateWindow of
	// speaking time (pauses cut out, so a pause does not read as a slow
	// stretch).
	win := int(math.Round(rateWindow.Seconds() / fsec))
	var nuclei, inWin, nWin int
	var rates []float64
	for _, p := range phrases {
		for i := p.a; i < p.b; i++ {
			if nucleus[i] {
				nuclei++
				inWin++
			}
			if nWin++; nWin == win {
				rates = append(rates, float64(inWin)/rateWindow.Seconds())
				inWin, nWin = 0, 0
			}
		}
	}
	c.Syllables = nuclei
	c.RateSyl = ptr(float64(nuclei) / speakSec)
	if len(rates) >= 3 {
		mean, sd := meanSD(rates)
		if mean > 0 {
			c.RateCV = ptr(sd / mean)
		}
	}

	// Pitch: range over the voiced frames (median-smoothed track), slope
	// within phrases.
	st := m.track(voiced)
	var pitches []float64
	st = median5(st)
	for _, v := range st {
		if !math.IsNaN(v) {
			pitches = append(pitches, v)
		}
	}
	if len(pitches) >= 50 {
		slices.Sort(pitches)
		c.PitchRange = ptr(percentile(pitches, 0.9) - percentile(pitches, 0.1))
	}
	var slopeSum, slopeW float64
	for _, p := range phrases {
		var n, sx, sy, sxx, sxy float64
		for i := p.a; i < p.b; i++ {
			if v := st[i]; !math.IsNaN(v) {
				t := float64(i) * fsec
				n++
				sx += t
				sy += v
				sxx += t * t
				sxy += t * v
			}
		}
		if n >= 25 {
			if den := n*sxx - sx*sx; den > 0 {
				w := float64(p.b-p.a) * fsec
				slopeSum += w * (n*sxy - sx*sy) / den
				slopeW += w
			}
		}
	}
	if slopeW > 0 {
		c.Declination = ptr(slopeSum / slopeW)
	}

	c.FilledPauses = m.filledPauses(st, nucleus, fsec)
	c.ReadLikelihood = readLikelihoodModel.likelihood(func(name string) *float64 { return cueByName(c, name) })
	return c
}

// filledPauses counts the steady voiced runs of the stretch: at least
// FilledMin of voiced frames whose pitch and spectral shape hold still.
func (m *DeliveryMeter) filledPauses(st []float64, nucleus []bool, fsec float64) int {
	need := max(2, int(math.Ceil(m.cfg.FilledMin.Seconds()/fsec)))
	steady := func(a, b int) bool {
		var ps []float64
		var mean [nBands]float64
		nuc := 0
		for i := a; i < b; i++ {
			if math.IsNaN(st[i]) {
				return false
			}
			ps = append(ps, st[i])
			for k := range mean {
				mean[k] += float64(m.frames[i].shape[k] - m.frames[i].db)
			}
			if nucleus[i] {
				nuc++
			}
		}
		if nuc > 1 {
			return false
		}
		if _, sd := meanSD(ps); sd > m.cfg.FilledPitchSD {
			return false
		}
		n := float64(b - a)
		var move float64
		for i := a; i < b; i++ {
			for k := range mean {
				move += math.Abs(float64(m.frames[i].shape[k]-m.frames[i].db) - mean[k]/n)
			}
		}
		return move/(n*nBands) <= m.cfg.FilledShape
	}
	count := 0
	for i := 0; i+need <= len(st); {
		if !steady(i, i+need) {
			i++
			continue
		}
		j := i + need
		for j < len(st) && steady(i, j+1) {
			j++
		}
		count++
		i = j
	}
	return count
}

// fill sets runs of v shorter than n frames (and bounded on both sides by
// !v) to !v.
func fill(xs []bool, v bool, n int) {
	for i := 0; i < len(xs); {
		if xs[i] != v {
			i++
			continue
		}
		j := i
		for j < len(xs) && xs[j] == v {
			j++
		}
		if i > 0 && j < len(xs) && j-i < n {
			for k := i; k < j; k++ {
				xs[k] = !v
			}
		}
		i = j
	}
}

// median5 returns the 5-point running median of xs, ignoring NaNs (a
// frame stays NaN when it was).
func median5(xs []float64) []float64 {
	out := make([]float64, len(xs))
	var w []float64
	for i, v := range xs {
		if math.IsNaN(v) {
			out[i] = v
			continue
		}
		w = w[:0]
		for j := max(0, i-2); j < min(len(xs), i+3); j++ {
			if !math.IsNaN(xs[j]) {
				w = append(w, xs[j])
			}
		}
		slices.Sort(w)
		out[i] = w[len(w)/2]
	}
	return out
}

func ptr(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// cueByName returns the named cue of d (the names of the README's table).
func cueByName(d DeliveryCue, name string) *float64 {
	switch name {
	case "rate_syl_s":
		return d.RateSyl
	case "rate_cv":
		return d.RateCV
	case "pause_cv":
		return d.PauseCV
	case "phrase_s":
		return d.Phrase
	case "pitch_range_st":
		return d.PitchRange
	case "pitch_declination_st_s":
		return d.Declination
	case "filled_per_min":
		if mins := (d.End - d.Start).D().Minutes(); mins > 0 {
			return ptr(float64(d.FilledPauses) / mins)
		}
	}
	return nil
}

// readTerm is one cue of the read-likelihood model: z = (cue − Mean) / SD,
// weighted.
type readTerm struct {
	Name             string
	Mean, SD, Weight float64
}

// readModel is a logistic model of "read aloud" over delivery cues.
type readModel struct {
	Bias float64
	Cues []readTerm
}

// likelihood returns the model's probability that the stretch whose cues
// get returns was read aloud; a cue not measured counts as the mean, and
// nil is returned when no cue of the model was measured.
func (m readModel) likelihood(get func(name string) *float64) *float64 {
	if len(m.Cues) == 0 {
		return nil
	}
	eta, seen := m.Bias, false
	for _, t := range m.Cues {
		if v := get(t.Name); v != nil && t.SD > 0 {
			eta += t.Weight * (*v - t.Mean) / t.SD
			seen = true
		}
	}
	if !seen {
		return nil
	}
	return ptr(1 / (1 + math.Exp(-eta)))
}

// readLikelihoodModel combines the judged cues (JudgedDeliveryCues): the
// logistic fit on the tuning half of the read-vs-spontaneous set, kept in
// step with it by TestDeliveryReadVsSpontaneous.
var readLikelihoodModel = readModel{}

// JudgedDeliveryCues names the cues that separated real read from real
// spontaneous speech on held-out speakers (AUC 0.85 or more) and so enter
// read_likelihood and the verdict; the others are shown, not judged.
func JudgedDeliveryCues() []string {
	var out []string
	for _, t := range readLikelihoodModel.Cues {
		out = append(out, t.Name)
	}
	return out
}

// DeliveryJudged says in a sentence how the delivery cues count: which
// ones the verdict weighs, or that none does and why.
func DeliveryJudged() string {
	if js := JudgedDeliveryCues(); len(js) > 0 {
		return "judged by " + strings.Join(js, ", ") + ", the cues that told real read from real spontaneous speech on held-out speakers"
	}
	return "figures only: no cue told real read from real spontaneous speech apart on held-out speakers well enough to judge by"
}

// Words writes the cue's figures for a person: "4.2 syllables/s, pace
// varies 12%, phrases 1.6 s, pauses vary 30%, pitch spans 8.3 semitones,
// falling 1.2 a second, 2 uh/um". Figures not measured are left out.
func (d DeliveryCue) Words() string {
	var ws []string
	if d.RateSyl != nil {
		ws = append(ws, num(round(*d.RateSyl, 1))+" syllables/s")
	}
	if d.RateCV != nil {
		ws = append(ws, fmt.Sprintf("pace varies %.0f%%", 100**d.RateCV))
	}
	if d.Phrase != nil {
		ws = append(ws, "phrases "+num(round(*d.Phrase, 1))+" s")
	}
	if d.PauseCV != nil {
		ws = append(ws, fmt.Sprintf("pauses vary %.0f%%", 100**d.PauseCV))
	}
	if d.PitchRange != nil {
		ws = append(ws, "pitch spans "+num(round(*d.PitchRange, 1))+" semitones")
	}
	if d.Declination != nil {
		v := round(*d.Declination, 1)
		switch {
		case v < 0:
			ws = append(ws, "falling "+num(-v)+" a second")
		case v > 0:
			ws = append(ws, "rising "+num(v)+" a second")
		}
	}
	ws = append(ws, strconv.Itoa(d.FilledPauses)+" uh/um")
	if d.ReadLikelihood != nil {
		ws = append(ws, fmt.Sprintf("sounds read: %.0f%% likely", 100**d.ReadLikelihood))
	}
	return strings.Join(ws, ", ")
}
