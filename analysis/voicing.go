package analysis

import "math"

// voicer measures how periodic (voiced) the last stretch of a channel is,
// for the mono detector: vowels and voiced consonants repeat with the
// talker's pitch (80–400 Hz), while the fans, rustles, keyboard and room
// sounds that a level test lets through mostly do not. The high-passed
// signal is decimated to ~2 kHz by block averages (pitch and its first
// harmonics survive; the band above folds down as noise, which only lowers
// the measure) and, once per frame, the normalised autocorrelation of the
// last 30 ms is searched over pitch lags: ~1,300 multiply-adds a frame,
// about 8 per sample at 16 kHz and less at higher rates.
type voicer struct {
	dec    int     // input samples per decimated sample
	acc    float64 // running block sum
	n      int     // samples in the block
	buf    []float64
	w      int // next write position in buf; samples before it are history
	win    int // window, decimated samples
	lo, hi int // pitch lags searched, decimated samples
	hist   int // history kept when buf wraps (win + hi + 1 + bandSettle)
	// band: scratch for corrBand, in step with buf (its filtered copy of
	// the stretch measured); bandHP the filter, at rest.
	band   []float64
	bandHP biquad
}

// voicerRate is the decimated rate (Hz) the voicing is measured at.
const voicerRate = 2000

// voicedBandCut is where corrBand's speech band starts (Hz): the
// telephone band's lower edge. A close microphone's breath and handling
// noise is strong below it, and that rumble is periodic enough now and
// then to pass for a low voice; speech is voiced above it too (its
// harmonics repeat at the pitch). Chosen on the real close-talk tuning
// pairings (250, 300 and 400 Hz measure alike there).
const voicedBandCut = 300

// bandSettle is how many decimated samples corrBand's high-pass runs
// before the stretch it measures (10 ms: the filter settles in ~2 ms).
const bandSettle = voicerRate / 100

func newVoicer(rate int) *voicer {
	v := &voicer{dec: max(1, rate/voicerRate)}
	r := float64(rate) / float64(v.dec) // the actual decimated rate
	v.win = int(0.030 * r)
	v.lo = int(r / 400)
	v.hi = int(math.Ceil(r / 80))
	v.hist = v.win + v.hi + 1 + bandSettle
	v.buf = make([]float64, 4*v.hist)
	v.band = make([]float64, len(v.buf))
	v.bandHP = newHighPass(voicedBandCut, int(r))
	v.w = v.hist
	return v
}

// add feeds high-passed samples.
func (v *voicer) add(y float64) {
	v.acc += y
	v.n++
	if v.n < v.dec {
		return
	}
	if v.w == len(v.buf) {
		copy(v.buf, v.buf[v.w-v.hist:v.w])
		v.w = v.hist
	}
	v.buf[v.w] = v.acc
	v.w++
	v.acc, v.n = 0, 0
}

// corr returns the largest normalised autocorrelation of the last window
// over the pitch lags (0 for silence).
func (v *voicer) corr() float64 { return v.corrOf(v.buf) }

// corrBand is corr of the channel above voicedBandCut: the stretch
// measured (and bandSettle before it) high-passed afresh into band.
func (v *voicer) corrBand() float64 {
	f := v.bandHP
	for j := v.w - v.hist; j < v.w; j++ {
		v.band[j] = f.step(v.buf[j])
	}
	return v.corrOf(v.band)
}

func (v *voicer) corrOf(buf []float64) float64 {
	x := buf[v.w-v.win : v.w]
	var e0 float64
	for _, s := range x {
		e0 += s * s
	}
	if e0 == 0 {
		return 0
	}
	// e1 is the energy of the window lag samples back, slid lag by lag.
	lagged := buf[v.w-v.win-v.lo : v.w-v.lo]
	var e1 float64
	for _, s := range lagged {
		e1 += s * s
	}
	best := 0.0
	for lag := v.lo; lag <= v.hi; lag++ {
		y := buf[v.w-v.win-lag : v.w-lag]
		var c float64
		for i, s := range x {
			c += s * y[i]
		}
		if c > 0 && e1 > 0 {
			if r := c * c / (e0 * e1); r > best*best {
				best = math.Sqrt(r)
			}
		}
		// Slide: the next lag drops the newest lagged sample, adds one older.
		first := buf[v.w-v.win-lag-1]
		last := buf[v.w-lag-1]
		e1 += first*first - last*last
	}
	return best
}
