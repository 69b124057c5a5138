package analysis

import (
	"math"
	"sort"
	"time"
)

// Crosstalk: the customer's voice reaches the rep's microphone (speakers,
// open headphones) a few milliseconds late and some dB quieter, and the rep's
// voice may reach the customer channel (sidetone). A leakPath models one such
// path as a short FIR filter at a delay, src[n-delay-j]·taps[j], estimated
// from the two channels themselves:
//
//  1. both high-passed channels go through a buffer holding at least the
//     last LeakWindow (a linear buffer whose history is copied to its front
//     when it fills, so every look-back is a plain slice);
//  2. every so often (LeakEarly until stable, LeakStable after) the ring is
//     decimated to ~4 kHz and cross-correlated with GCC-PHAT through one FFT:
//     the peak at a positive lag is the customer→mic path, at a negative lag
//     the mic→customer path, each kept only when it stands LeakMinPeak times
//     above the other lags;
//  3. the lag is refined at the full rate (first-difference correlation) and
//     three taps around it are fitted by least squares (the other party's
//     own speech is uncorrelated with the source, so it does not bias them);
//  4. the leak residue — what is left of a pure-leak frame after subtracting
//     the prediction — is measured on the window's frames (a low percentile
//     of residual/predicted energy, since frames with own speech only raise
//     the ratio). A path that cancels less than LeakMinCancel is not used.
//
// Per sample the analyzer then forms residual = dst − prediction; per frame a
// party is active only if its residual stands LeakMargin above the residue
// expected from the predicted leak (the double-talk decision).

type leakState uint8

const (
	leakUnknown leakState = iota // not estimated yet: warm-up rule applies
	leakAbsent                   // estimated: no significant leak
	leakPresent                  // estimated: taps/delay/residue valid
)

// leakPath is one direction of crosstalk.
type leakPath struct {
	state   leakState
	delay   int        // lag of taps[0], samples
	taps    [3]float32 // FIR taps at delay, delay+1, delay+2
	residue float64    // residual/predicted energy on pure-leak frames (linear)
	gainDB  float64    // predicted leak energy relative to its source, dB
	peakLag int        // the refined correlation peak, samples
	agree   int        // consecutive estimates that agreed with this one
	misses  int        // consecutive estimates that did not find it
}

// The cross-spectrum average: each window's weight decays by avgDecay a
// window (a memory of about ten), it is consulted once avgMin windows are
// in, and an absent leak is looked for every LeakEarly until avgFull
// windows are (and every LeakStable after).
const (
	avgDecay = 0.9
	avgMin   = 4
	avgFull  = 20
	// avgMinPeak: an averaged peak this far above the other lags counts
	// when it held its lag avgSteady looks in a row.
	avgMinPeak = 4
	avgSteady  = 2
	avgCheck   = 5
)

// leakEarlyMax is how long before its source a leak may arrive: two
// recording devices have their own latencies, so the rep's voice can reach
// the customer's channel before the rep's own (3.4–7.5 ms measured on a
// real lapel pair). The lag search and the three-tap model reach this far
// the other way; the analyzer computes its residual that much behind the
// newest sample, within the delay its decisions already wait for the
// canceller (cancellerLatency), so it adds no latency.
const leakEarlyMax = 10 * time.Millisecond

// trackRadius is how far (samples) a known leak's lag is searched when it
// is tracked between full estimates: clock drift between the two channels
// (tens of ppm) moves it by a sample or two every few seconds.
const trackRadius = 3

// maxLeakGainDB is the loudest a leak is taken to be against its source:
// crosstalk through air, a line or a headset is quieter than the voice it
// comes from (the loudest seen, a speakerphone's echo, is some 8 dB down);
// a fit louder than its source by more than this is the other direction
// taken the wrong way round.
const maxLeakGainDB = 6

// agrees reports whether q is the same path as p (lag within trackRadius,
// gain within 2 dB, or both absent).
func (p *leakPath) agrees(q *leakPath) bool {
	if p.state != q.state {
		return false
	}
	if p.state != leakPresent {
		return true
	}
	d := p.peakLag - q.peakLag
	return d >= -trackRadius && d <= trackRadius && math.Abs(p.gainDB-q.gainDB) <= 2
}

// leakEstimator holds the rings and the scratch of the estimation.
type leakEstimator struct {
	rate   int
	dec    int          // decimation factor to ~4 kHz
	window int          // samples correlated
	maxLag int          // samples
	early  int          // samples a leak may arrive before its source (leakEarlyMax)
	frame  int          // samples per sub-frame used for the residue
	ring   [2][]float32 // linear buffers; samples before w are history
	w      int          // next write position
	hist   int          // history kept when the buffer wraps
	tr     *fft
	buf    []complex128
	cross  []complex128
	// avg is the cross spectrum averaged over the windows so far (each
	// window weighted equally, older ones decaying): a weak or diffuse leak
	// — a voice across a room, 20–30 dB down — rarely stands out in one
	// second, but it does over ten. avgCorr is its PHAT correlation.
	avg     []complex128
	avgCorr []complex128
	nAvg    int
	// avgLag, avgSteady: per direction, the average's last peak lag and
	// how many looks in a row found it there.
	avgLag    [2]int
	avgSteady [2]int
	// weak[dst]: a leak into dst that the average shows steadily but three
	// taps cannot cancel (its level and lag as fitted); gainDB 0 when none.
	weak [2]leakPath
	// unfit[dst]: the last window's clear peak into dst that three taps
	// could not cancel (level and lag as fitted); gainDB 0 when none.
	// Two in a row at one lag make it weak: a reverberant leak that
	// stands out in a window is no less a leak than one the average
	// shows.
	unfit  [2]leakPath
	dsig   [2][]float64
	ratios []float64
	dd, sd []float64 // fit: first differences of the two channels
	// fit: per refined lag, the correlation and the window's energy
	lagC, lagP []float64
	ep, er     []float64    // fit: per-frame predicted and residual energy
	fs         [][7]float64 // fit: per-frame sums x0·x0, x0·x1, x0·x2, y·x0, y·x1, y·x2, y·y
}

func newLeakEstimator(rate int, cfg VADConfig) *leakEstimator {
	e := &leakEstimator{rate: rate}
	e.dec = max(1, rate/4000)
	e.window = max(rate/10, int(cfg.LeakWindow.Seconds()*float64(rate)))
	e.maxLag = max(2, int(cfg.MaxLeakDelay.Seconds()*float64(rate)))
	e.early = int(leakEarlyMax.Seconds() * float64(rate))
	e.frame = max(1, rate/100)
	e.hist = e.window + e.maxLag + e.early + 8
	e.ring[0] = make([]float32, 4*e.hist)
	e.ring[1] = make([]float32, 4*e.hist)
	e.w = e.hist
	k := e.window / e.dec
	n := 2
	for n < k+e.maxLag/e.dec+2 {
		n <<= 1
	}
	e.tr = newFFT(n)
	e.buf = make([]complex128, n)
	e.cross = make([]complex128, n)
	e.avg = make([]complex128, n)
	e.avgCorr = make([]complex128, n)
	e.dsig[0] = make([]float64, k)
	e.dsig[1] = make([]float64, k)
	e.ratios = make([]float64, 0, e.window/e.frame+1)
	e.dd = make([]float64, e.window)
	e.sd = make([]float64, e.window+e.maxLag+e.early+1)
	e.lagC = make([]float64, e.maxLag+e.early+1)
	e.lagP = make([]float64, e.maxLag+e.early+1)
	e.ep = make([]float64, e.window/e.frame+1)
	e.er = make([]float64, e.window/e.frame+1)
	e.fs = make([][7]float64, e.window/e.frame+1)
	return e
}

// ready reports whether the buffers hold enough audio after total samples.
func (e *leakEstimator) ready(total int64) bool {
	return total >= int64(e.hist)
}

// room makes room for n more samples at w (n ≤ 3·hist), moving the history
// to the front when the buffers are full.
func (e *leakEstimator) room(n int) {
	if e.w+n <= len(e.ring[0]) {
		return
	}
	for ch := range e.ring {
		copy(e.ring[ch], e.ring[ch][e.w-e.hist:e.w])
	}
	e.w = e.hist
}

// estimate correlates the last window (ending at buffer position end) and
// returns the paths it found (for the directions wanted): into[0] is the path into channel 0 (mic) from
// channel 1, into[1] the path into channel 1 from channel 0. ok[i] says
// whether into[i] is a conclusion (present or absent) rather than
// inconclusive.
func (e *leakEstimator) estimate(end int, want [2]bool, cfg VADConfig) (into [2]leakPath, ok [2]bool) {
	start := end - e.window
	k := len(e.dsig[0])
	// Decimate by block averaging (a crude low-pass; the fine lag is found at
	// the full rate) and remove the mean.
	var energy [2]float64
	for ch := 0; ch < 2; ch++ {
		r, d := e.ring[ch], e.dsig[ch]
		var mean float64
		for i := 0; i < k; i++ {
			var s float32
			for _, v := range r[start+i*e.dec : start+(i+1)*e.dec] {
				s += v
			}
			d[i] = float64(s)
			mean += d[i]
		}
		mean /= float64(k)
		for i := range d {
			d[i] -= mean
			energy[ch] += d[i] * d[i]
		}
	}
	// Two real signals through one complex FFT.
	n := len(e.buf)
	for i := range e.buf {
		if i < k {
			e.buf[i] = complex(e.dsig[0][i], e.dsig[1][i])
		} else {
			e.buf[i] = 0
		}
	}
	e.tr.transform(e.buf, false)
	var sumMag float64
	for i := 0; i < n; i++ {
		z := e.buf[i]
		zc := e.buf[(n-i)&(n-1)]
		zc = complex(real(zc), -imag(zc))
		x := (z + zc) / 2                   // spectrum of channel 0
		y := (z - zc) * complex(0, -0.5)    // spectrum of channel 1
		g := x * complex(real(y), -imag(y)) // cross spectrum: r[τ]=Σ x0[t]·x1[t-τ]
		e.cross[i] = g
		sumMag += math.Sqrt(real(g)*real(g) + imag(g)*imag(g))
	}
	// A window in which one channel is (next to) digital silence, 80 dB
	// or more under the other, holds no leak anyone could hear: its cross
	// spectrum is next to nothing (rounding), and weighted by 1/sumMag like
	// a window of speech it built a steady peak at lag 0 in the average —
	// a clean call with digitally silent pauses took it for a weak leak
	// 33 dB down and ran the canceller for nothing (the same call with
	// independent noise at −70 dBFS on both sides shows no peak).
	if sumMag > 0 && min(energy[0], energy[1]) > 1e-8*max(energy[0], energy[1]) {
		w := 1 / sumMag
		for i, g := range e.cross {
			e.avg[i] = complex(avgDecay*real(e.avg[i])+w*real(g), avgDecay*imag(e.avg[i])+w*imag(g))
		}
		e.nAvg++
	}
	eps := 1e-3*sumMag/float64(n) + 1e-30
	for i, g := range e.cross {
		inv := 1 / (math.Sqrt(real(g)*real(g)+imag(g)*imag(g)) + eps)
		e.cross[i] = complex(real(g)*inv, imag(g)*inv)
	}
	e.tr.transform(e.cross, true)

	maxLagD := max(1, e.maxLag/e.dec)
	earlyD := e.early / e.dec
	// Channel 0 lags channel 1 by τ: a leak into channel 0 at delay τ, or
	// into channel 1 at delay −τ. Each direction is searched from
	// leakEarlyMax before its source to MaxLeakDelay after it, so the two
	// ranges share the lags within leakEarlyMax of 0.
	p0, z0 := corrPeak(e.cross, -earlyD, maxLagD, 0, -1)
	p1, z1 := corrPeak(e.cross, -maxLagD, earlyD, 0, -1)
	sig := [2]bool{z0 >= cfg.LeakMinPeak, z1 >= cfg.LeakMinPeak}
	lags := [2]int{p0, -p1}
	// A peak both searches found is one path, into the channel where it
	// is the quieter copy. Which way round it runs is not the stronger
	// half's to say: two devices whose latencies differ by about the
	// leak's delay put a sidetone at lag 0 or before its source, and taken
	// the wrong way round the rep's own voice becomes a leak 16 dB louder
	// than its source, so the rep is never heard. Both ways are fitted and
	// the one that cancels kept: the quieter where both do, unless the
	// other cancels 6 dB better (taken the wrong way round, a leak fits
	// quieter than it is while the receiving party talks too, and then
	// cancels poorly). The other direction is looked for again away from
	// that peak. This holds when only one search finds the peak clear of
	// its other lags: it is no less ambiguous.
	if (sig[0] || sig[1]) && abs(p0-p1) <= 3 {
		var fits [2]leakPath
		var good [2]bool
		for dst := range fits {
			fits[dst], good[dst] = e.fit(end, dst, lags[dst]*e.dec, e.dec+1, e.window, cfg)
		}
		keep := 0
		if z1 > z0 {
			keep = 1
		}
		usable := func(dst int) bool { return good[dst] && fits[dst].state == leakPresent }
		switch {
		case usable(0) && usable(1):
			keep = 0
			if fits[1].gainDB < fits[0].gainDB {
				keep = 1
			}
			if fits[1-keep].residue*4 < fits[keep].residue {
				keep = 1 - keep
			}
		case usable(0):
			keep = 0
		case usable(1):
			keep = 1
		}
		into[keep], ok[keep] = fits[keep], good[keep]
		other := 1 - keep
		if !want[keep] {
			into[keep], ok[keep] = leakPath{}, false
		}
		if !want[other] {
			return into, ok
		}
		// The other direction's own peak, the shared one and its
		// shoulders left out.
		shared := (p0 + p1) / 2
		var q int
		var z float64
		if other == 0 {
			q, z = corrPeak(e.cross, -earlyD, maxLagD, shared-3, shared+3)
		} else {
			q, z = corrPeak(e.cross, -maxLagD, earlyD, shared-3, shared+3)
			q = -q
		}
		if z < cfg.LeakMinPeak {
			into[other].state = leakAbsent
			ok[other] = true
			return into, ok
		}
		into[other], ok[other] = e.fit(end, other, q*e.dec, e.dec+1, e.window, cfg)
		e.noteUnfit(other, &into[other], ok[other])
		return into, ok
	}
	for dst := 0; dst < 2; dst++ {
		if !want[dst] {
			continue
		}
		if !sig[dst] {
			into[dst].state = leakAbsent
			ok[dst] = true
			continue
		}
		path, good := e.fit(end, dst, lags[dst]*e.dec, e.dec+1, e.window, cfg)
		into[dst], ok[dst] = path, good
		e.noteUnfit(dst, &path, good)
	}
	if !sig[0] && !sig[1] && e.nAvg >= avgMin {
		e.lookWeak(end, want, cfg)
	}
	return into, ok
}

// lookWeak looks for a leak in the averaged cross spectrum when one window
// showed none: a voice across a room, 20–30 dB down and diffuse, rarely
// stands out in a second but does over ten. What it finds is only handed to
// the adaptive canceller (weak), never to the three-tap model, and only
// when the averaged peak holds its lag over looks avgCheck apart,
// avgSteady times in a row (looks closer together share most of their
// windows, so a chance peak would look steady).
func (e *leakEstimator) lookWeak(end int, want [2]bool, cfg VADConfig) {
	n := len(e.buf)
	maxLagD := max(1, e.maxLag/e.dec)
	var mag float64
	for _, g := range e.avg {
		mag += math.Hypot(real(g), imag(g))
	}
	eps := 1e-3*mag/float64(n) + 1e-30
	// Below 300 Hz the average holds mains hum and rumble, which PHAT
	// would weigh as much as speech and which both channels may share
	// without any leak.
	lo := int(300 * float64(n) * float64(e.dec) / float64(e.rate))
	for i, g := range e.avg {
		if f := min(i, n-i); f < lo {
			e.avgCorr[i] = 0
			continue
		}
		inv := 1 / (math.Hypot(real(g), imag(g)) + eps)
		e.avgCorr[i] = complex(real(g)*inv, imag(g)*inv)
	}
	e.tr.transform(e.avgCorr, true)
	earlyD := e.early / e.dec
	p0, z0 := corrPeak(e.avgCorr, -earlyD, maxLagD, 0, -1)
	p1, z1 := corrPeak(e.avgCorr, -maxLagD, earlyD, 0, -1)
	if e.nAvg%avgCheck != 0 {
		return
	}
	if abs(p0-p1) <= 3 {
		// One peak in the lags both directions search: it is taken the
		// way its sign says (the canceller, which starts both directions
		// for a leak this close to its source, sorts out which helps).
		if p0 >= 0 {
			z1 = 0
		} else {
			z0 = 0
		}
	}
	lags := [2]int{p0, -p1}
	for dst, z := range [2]float64{z0, z1} {
		if z >= avgMinPeak && abs(lags[dst]-e.avgLag[dst]) <= 1 {
			e.avgSteady[dst]++
		} else {
			e.avgSteady[dst] = 0
		}
		e.avgLag[dst] = lags[dst]
		if !want[dst] || e.avgSteady[dst] < avgSteady || e.weak[dst].gainDB != 0 {
			continue
		}
		if path, _ := e.fit(end, dst, lags[dst]*e.dec, e.dec+1, e.window, cfg); path.gainDB != 0 {
			e.weak[dst] = path
		}
	}
}

// noteUnfit keeps a clear peak into dst that three taps could not cancel
// (fit's inconclusive result with a level no louder than maxLeakGainDB)
// and hands it to the canceller as a weak leak when the window before
// found it at the same lag.
func (e *leakEstimator) noteUnfit(dst int, p *leakPath, good bool) {
	if good || p.gainDB == 0 || p.gainDB > maxLeakGainDB {
		e.unfit[dst] = leakPath{}
		return
	}
	if u := &e.unfit[dst]; u.gainDB != 0 && abs(p.peakLag-u.peakLag) <= trackRadius && e.weak[dst].gainDB == 0 {
		e.weak[dst] = *p
	}
	e.unfit[dst] = *p
}

// corrPeak returns the lag of corr's (a circular correlation) highest value
// in [lo, hi] outside [exLo, exHi] (none left out when exLo > exHi) and how
// many times it stands above the RMS of the other lags.
func corrPeak(corr []complex128, lo, hi, exLo, exHi int) (best int, z float64) {
	n := len(corr)
	at := func(tau int) float64 { return real(corr[(tau+n)&(n-1)]) }
	out := func(t int) bool { return t >= exLo && t <= exHi }
	bv := math.Inf(-1)
	for t := lo; t <= hi; t++ {
		if v := at(t); v > bv && !out(t) {
			bv, best = v, t
		}
	}
	var ss float64
	cnt := 0
	for t := lo; t <= hi; t++ {
		if (t < best-2 || t > best+2) && !out(t) {
			v := at(t)
			ss += v * v
			cnt++
		}
	}
	if cnt == 0 || ss == 0 {
		return best, 0
	}
	return best, bv / math.Sqrt(ss/float64(cnt))
}

// fit refines the lag of the path into channel dst within radius of lag
// (samples; negative for a leak that arrives before its source, down to
// leakEarlyMax) and fits its taps and residue on the last win samples
// before end — before end less the lead, for a leak that leads its source,
// so that the source it is predicted from is in the buffer.
func (e *leakEstimator) fit(end int, dst, lag, radius, win int, cfg VADConfig) (leakPath, bool) {
	d, s := e.ring[dst], e.ring[1-dst]
	win = min(win, e.window)
	lo, hi := max(-e.early, lag-radius), min(e.maxLag, lag+radius)
	if lo > hi {
		return leakPath{}, false
	}
	stop := end - max(0, 1-lo)
	start := stop - win
	// Refine: first-difference (whitened) correlation at full rate,
	// |Σ dd·sd| / √(Σ sd²) at every lag, over scratch copies of the
	// differences. The correlations run four lags per pass (each
	// difference loaded once for all four); the energies of the shifted
	// windows are one sliding sum.
	dd := e.dd[:win]
	{
		src := d[start-1 : start+win]
		src = src[:len(dd)+1]
		for i := range dd {
			dd[i] = float64(src[i+1] - src[i])
		}
	}
	nl := hi - lo + 1
	sd := e.sd[:win+nl-1] // sd[j] is the difference at start-hi+j
	{
		src := s[start-hi-1 : start-hi+len(sd)]
		src = src[:len(sd)+1]
		for j := range sd {
			sd[j] = float64(src[j+1] - src[j])
		}
	}
	// Lag l reads sd[o : o+win], o = hi-l. Past the last whole four, one
	// more four that overlaps them.
	corr, pw := e.lagC[:nl], e.lagP[:nl]
	if nl < 4 {
		for o := range corr {
			corr[o] = xcorr1(dd, sd[o:o+win])
		}
	} else {
		for o := 0; o < nl; o += 4 {
			o = min(o, nl-4)
			corr[o], corr[o+1], corr[o+2], corr[o+3] = xcorr4(dd, sd[o:o+win+3])
		}
	}
	{
		var ps float64
		for _, v := range sd[:win] {
			ps += v * v
		}
		pw[0] = ps
		for o := 1; o < nl; o++ {
			out, in := sd[o-1], sd[o-1+win]
			ps += in*in - out*out
			pw[o] = ps
		}
	}
	// A window of zero differences has no correlation; its sliding energy
	// may be left at a rounding's worth instead of 0.
	best, bestV := lag, math.Inf(-1)
	for l := lo; l <= hi; l++ {
		o := hi - l
		if pw[o] <= 0 || corr[o] == 0 {
			continue
		}
		if v := math.Abs(corr[o]) / math.Sqrt(pw[o]); v > bestV {
			best, bestV = l, v
		}
	}
	t0 := best - 1
	// Least squares for three taps at t0, t0+1, t0+2, from sums kept per
	// sub-frame (the residue below needs them so). The source at the
	// three taps is one signal shifted by a sample: of its six products
	// only x0·x0, x0·x1 and x0·x2 are summed, the other three follow from
	// them by the ends of the span (sums of exact float32 products, so
	// they differ from summing them afresh by rounding only).
	nf := win / e.frame
	fs := e.fs[:nf]
	var r00, r01, r02, b0, b1, b2 float64
	for f := 0; f*e.frame < win; f++ {
		a := start + f*e.frame
		ys := d[a:min(a+e.frame, stop)]
		xs := s[a-t0-2 : a+len(ys)-t0] // at i = a+m: x0 = xs[m+2], x1 = xs[m+1], x2 = xs[m]
		x2, x1 := float64(xs[0]), float64(xs[1])
		xs = xs[2:]
		xs = xs[:len(ys)]
		var q00, q01, q02, c0, c1, c2, yy float64
		for m, yv := range ys {
			x0, y := float64(xs[m]), float64(yv)
			q00 += x0 * x0
			q01 += x0 * x1
			q02 += x0 * x2
			c0 += y * x0
			c1 += y * x1
			c2 += y * x2
			yy += y * y
			x2, x1 = x1, x0
		}
		if f < nf {
			fs[f] = [7]float64{q00, q01, q02, c0, c1, c2, yy}
		}
		r00 += q00
		r01 += q01
		r02 += q02
		b0 += c0
		b1 += c1
		b2 += c2
	}
	r11, r22, r12 := shifted(s, start-t0, stop-t0, r00, r01)
	tr := r00 + r11 + r22
	if tr == 0 {
		return leakPath{state: leakAbsent}, true
	}
	ridge := 1e-6 * tr
	h, okSolve := solve3([3][3]float64{{r00 + ridge, r01, r02}, {r01, r11 + ridge, r12}, {r02, r12, r22 + ridge}}, [3]float64{b0, b1, b2})
	if !okSolve {
		return leakPath{}, false
	}
	p := leakPath{state: leakPresent, delay: t0, peakLag: best}
	for j := range h {
		p.taps[j] = float32(h[j])
	}
	// Residue: per sub-frame residual and predicted energy, from the
	// sub-frame's sums (Σ(y−ŷ)² = Σy² − 2·hᵀb + hᵀRh, with the taps as
	// kept), then a low quantile of their ratio where the leak mattered.
	h0, h1, h2 := float64(p.taps[0]), float64(p.taps[1]), float64(p.taps[2])
	ep, er := e.ep[:nf], e.er[:nf]
	var maxEp, sumEp, sumEs float64
	for f, q := range fs {
		a := start + f*e.frame - t0
		q11, q22, q12 := shifted(s, a, a+e.frame, q[0], q[1])
		pred := h0*h0*q[0] + h1*h1*q11 + h2*h2*q22 + 2*(h0*h1*q[1]+h1*h2*q12+h0*h2*q[2])
		res := q[6] - 2*(h0*q[3]+h1*q[4]+h2*q[5]) + pred
		pred, res = max(0, pred), max(0, res)
		ep[f], er[f] = pred, res
		sumEp += pred
		maxEp = max(maxEp, pred)
	}
	sumEs = r11 // the source's energy as it leaks (middle tap)
	if maxEp == 0 || sumEs == 0 {
		return leakPath{state: leakAbsent}, true
	}
	decay := tailDecay(cfg, e.frame, e.rate)
	var tail float64
	e.ratios = e.ratios[:0]
	for f := range ep {
		tail = max(tail*decay, ep[f])
		if tail >= 0.01*maxEp {
			e.ratios = append(e.ratios, er[f]/tail)
		}
	}
	if len(e.ratios) < 5 {
		return leakPath{}, false
	}
	sort.Float64s(e.ratios)
	q := min(len(e.ratios)-1, int(cfg.LeakQuantile*float64(len(e.ratios))))
	p.residue = max(1e-3, e.ratios[max(0, q)])
	p.gainDB = 10 * math.Log10(sumEp/sumEs)
	if p.gainDB > maxLeakGainDB {
		// Louder than its source: not a leak into dst but the other
		// party's path seen from the wrong side (it arrives before its
		// source, beyond the reach of three taps); the canceller may
		// take it.
		return leakPath{gainDB: p.gainDB, peakLag: p.peakLag}, false
	}
	if -10*math.Log10(p.residue) < cfg.LeakMinCancel {
		// A clear correlation peak that subtraction cannot remove: the
		// receiving party spoke all through the window, or the leak is
		// too diffuse for three taps. Try again later (the level and
		// lag found go back for the canceller).
		return leakPath{gainDB: p.gainDB, peakLag: p.peakLag}, false
	}
	return p, true
}

// shifted returns x1·x1, x2·x2 and x1·x2 summed where x0 = s[k] runs
// over s[a:b] (x1 = s[k-1], x2 = s[k-2]), from x0·x0 and x0·x1 summed
// there: the same sums over a span one sample earlier.
func shifted(s []float32, a, b int, r00, r01 float64) (r11, r22, r12 float64) {
	a1, a2 := float64(s[a-1]), float64(s[a-2])
	b1, b2 := float64(s[b-1]), float64(s[b-2])
	r11 = r00 + a1*a1 - b1*b1
	r22 = r11 + a2*a2 - b2*b2
	r12 = r01 + a1*a2 - b1*b2
	return r11, r22, r12
}

// xcorr4 returns Σ a[i]·b[i+o] for o = 0..3 (len(b) ≥ len(a)+3), each
// b loaded once for the four; four samples a step, so that the window of
// b stays in registers.
func xcorr4(a, b []float64) (c0, c1, c2, c3 float64) {
	b = b[:len(a)+3]
	i := 0
	for ; i+4 <= len(a); i += 4 {
		p := a[i : i+4 : i+4]
		q := b[i : i+7 : i+7]
		b0, b1, b2, b3 := q[0], q[1], q[2], q[3]
		v := p[0]
		c0 += v * b0
		c1 += v * b1
		c2 += v * b2
		c3 += v * b3
		b4 := q[4]
		v = p[1]
		c0 += v * b1
		c1 += v * b2
		c2 += v * b3
		c3 += v * b4
		b5 := q[5]
		v = p[2]
		c0 += v * b2
		c1 += v * b3
		c2 += v * b4
		c3 += v * b5
		b6 := q[6]
		v = p[3]
		c0 += v * b3
		c1 += v * b4
		c2 += v * b5
		c3 += v * b6
	}
	for ; i < len(a); i++ {
		v := a[i]
		c0 += v * b[i]
		c1 += v * b[i+1]
		c2 += v * b[i+2]
		c3 += v * b[i+3]
	}
	return c0, c1, c2, c3
}

// xcorr1 returns Σ a·b.
func xcorr1(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1 float64
	i := 0
	for ; i+1 < len(a); i += 2 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return s0 + s1
}

// residueTracker watches the leak residue between fits: over the last
// frames in which the leak mattered, how many still cancelled to within
// 3 dB of the fitted residue. Clock drift or a changed room degrade the
// cancellation within seconds; when fewer than the LeakQuantile share of
// frames still cancel that well, it asks for a refit. Frames with the
// receiving party's own speech only count against the share, so double talk
// can ask for a refit too (which then keeps the proven residue).
type residueTracker struct {
	good     [100]bool
	nGood, n int
	next     int
}

func (t *residueTracker) reset() { *t = residueTracker{} }

// add records whether a frame cancelled well and reports whether the
// cancellation has degraded (at least 10 frames seen).
func (t *residueTracker) add(good bool, q float64) bool {
	if t.n == len(t.good) {
		if t.good[t.next] {
			t.nGood--
		}
	} else {
		t.n++
	}
	t.good[t.next] = good
	if good {
		t.nGood++
	}
	t.next = (t.next + 1) % len(t.good)
	return t.n >= 10 && float64(t.nGood) < q*float64(t.n)
}

// tailDecay is the factor per frame of n samples by which the predicted
// leak energy may fall: a room's reverberant tail dies 60 dB over LeakTail,
// so a leak's energy lingers after its source stops.
func tailDecay(cfg VADConfig, n, rate int) float64 {
	if cfg.LeakTail <= 0 {
		return 0
	}
	perFrame := 60 * float64(n) / (cfg.LeakTail.Seconds() * float64(rate))
	return math.Pow(10, -perFrame/10)
}

// solve3 solves R·h = b by Gaussian elimination with partial pivoting.
func solve3(R [3][3]float64, b [3]float64) ([3]float64, bool) {
	var h [3]float64
	for c := 0; c < 3; c++ {
		piv := c
		for r := c + 1; r < 3; r++ {
			if math.Abs(R[r][c]) > math.Abs(R[piv][c]) {
				piv = r
			}
		}
		if R[piv][c] == 0 {
			return h, false
		}
		R[c], R[piv] = R[piv], R[c]
		b[c], b[piv] = b[piv], b[c]
		for r := c + 1; r < 3; r++ {
			f := R[r][c] / R[c][c]
			for k := c; k < 3; k++ {
				R[r][k] -= f * R[c][k]
			}
			b[r] -= f * b[c]
		}
	}
	for c := 2; c >= 0; c-- {
		s := b[c]
		for k := c + 1; k < 3; k++ {
			s -= R[c][k] * h[k]
		}
		h[c] = s / R[c][c]
	}
	return h, true
}

// Crosstalk is the detector's current estimate of one crosstalk path.
type Crosstalk struct {
	// Known is false until the path was estimated (the source party has
	// not spoken enough yet).
	Known bool
	// Present: the other party is heard on this channel.
	Present bool
	Delay   time.Duration // how late the leak arrives
	GainDB  float64       // leak level relative to its source, dB (negative)
	// CancelDB is how much of the leak subtracting the prediction removes.
	CancelDB float64
}

// Crosstalk returns the current estimates of the customer heard on the
// rep's microphone (intoRep) and of the rep heard on the customer channel
// (intoCustomer). Both are unknown for OneChannel.
func (a *Analyzer) Crosstalk() (intoRep, intoCustomer Crosstalk) {
	conv := func(p *leakPath) Crosstalk {
		c := Crosstalk{Known: p.state != leakUnknown, Present: p.state == leakPresent}
		if c.Present {
			c.Delay = time.Duration(float64(p.peakLag) / float64(a.rate) * float64(time.Second))
			c.GainDB = p.gainDB
			c.CancelDB = -10 * math.Log10(p.residue)
		}
		return c
	}
	return conv(&a.path[0]), conv(&a.path[1])
}
