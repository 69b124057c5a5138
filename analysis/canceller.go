package analysis

import (
	"math"
	"time"
)

// The crosstalk canceller: where the leak detector (leak.go) finds the
// other party on a channel and its three-tap model cannot remove it (a
// voice through a room, with its reverberation), an adaptive filter learns
// the whole path, up to CancelTail long, and subtracts it. It runs in both
// directions at once and is built for offline analysis:
//
//   - A partitioned-block frequency-domain adaptive filter (MDF: Soo and
//     Pang's multidelay filter, the design of SpeexDSP's echo canceller) on
//     the channels low-passed and decimated to ~8 kHz (the band where
//     speech, and the decision, live; 4× cheaper than full band at 16 kHz),
//     blocks of ~32 ms, overlap-save, one partition's gradient constrained
//     per block (AUMDF, as Speex does).
//   - Look-ahead: the channel being cleaned is delayed by CancelLookahead,
//     so bleed that arrives before its reference (two devices with their own
//     latencies) falls inside the filter. The analyzer's decisions wait for
//     it (a few frames).
//   - Two filters per direction, as in Speex's two-path mode: a background
//     filter adapts; the foreground filter, which produces the residual,
//     takes the background's taps only when they cancel clearly better, and
//     the background is reset to the foreground when it diverges.
//   - Adaptation is frozen unless the reference party talks alone: the
//     reference is active (well above its noise floor), the channel being
//     cleaned carries no more than the known leak ratio allows, and — the
//     two-live-microphones case — the reference channel is not itself mostly
//     explained by the other (the reverse direction's residual). WebRTC's
//     AEC3 gates on active render the same way; an adaptive filter that
//     adapted while the near party spoke would learn to cancel the near
//     party, which with two live microphones it can (each channel carries
//     both voices). Within gated blocks the step follows Valin's rule:
//     the expected leak over the error, times the share of the error that
//     is not the channel's own noise.
//
// Per 10 ms frame it reports, per channel, the low-band energy of the
// delayed channel, of the residual and of the predicted leak (the residual
// is never taken above the channel itself: a linear canceller can push a
// faint copy of the reference into a near-silent channel, and that copy is
// not speech).
type canceller struct {
	D    int // decimation factor from the analyzer's rate
	rate int // canceller rate, Hz
	B, N int // block and transform size (N = 2B)
	P    int // partitions: P·B samples of filter
	la   int // look-ahead, samples at rate

	lp     [2][2]biquad // anti-alias low-pass per channel (4th order)
	phase  int          // input samples until the next kept one
	hist   [2][]float64 // the last 2B+la decimated samples per channel
	fill   int          // new samples in the current block
	tr     *fft
	z      []complex128
	yf     []complex128 // scratch spectra (B+1)
	yb     []complex128
	X      [2][]complex128 // frequency-domain delay line: P × (B+1), ring
	head   int             // partition slot of the newest block
	pw     [2][]float64    // per bin: Σ over the delay line of |X|²
	dir    [2]mdfPath      // dir[i]: cancels channel 1-i out of channel i
	spare  [2]mdfPath      // a stopped direction's buffers, for its next start
	block  int64           // blocks processed
	adaptN int             // blocks with any adaptation

	floor [2]blockFloor
	// sub[ch]: energies of the channel's last sub-blocks (subLen samples,
	// undelayed), by absolute index % len, so the gate can find the
	// reference's energy wherever within the leak's delays it came from.
	sub      [2][64]float64
	arate    int       // the analyzer's rate
	cfg      VADConfig // as made with
	maxLag   int       // samples: the longest leak delay looked for
	quantile float64   // of the pure-leak ratios taken as the residue

	// Frame mapping: the analyzer's frame k covers its samples
	// [k·fp/fq, (k+1)·fp/fq); a canceller sample m is analyzer sample m·D.
	fp, fq int64
	origin int64 // the analyzer sample of canceller sample 0
	k      int64 // frame being accumulated
	kEnd   int64 // canceller sample at which frame k ends
	acc    cancelFrame
	frames [64]cancelFrame // emitted frames, by k % 64
	last   int64           // last frame emitted (-1: none)
	from   int64           // frames before this are not emitted (already decided)
}

// mdfPath is one direction of the canceller.
type mdfPath struct {
	on     bool
	wf, wb []complex128 // foreground, background: P × (B+1)
	yf, yb []float64    // time-domain predictions of the block (B)
	ef, eb []float64    // residuals (B)
	cons   int          // next partition whose gradient is constrained

	// Clock drift: the leak's delay creeps when the two channels come
	// from devices with their own clocks. snap is the foreground as it was
	// at snapAt (adapted blocks); the delay change since, from the phase
	// of the two, gives the drift, and every block both filters are
	// turned by it (rot: e^(−iωδ) per bin, δ = drift samples per block).
	snap      []complex128
	snapAt    int
	snapBlock int64
	drift     float64
	turnIn    int // blocks until the filters are next turned by the drift
	rot       []complex128

	gain    float64 // leak energy over source energy on pure-leak blocks
	sf, sb  float64 // smoothed foreground/background error on gated blocks
	sd      float64 // smoothed channel energy on gated blocks
	ld, lf  float64 // slowly smoothed channel and foreground error energy on gated blocks
	adapted int     // blocks adapted
	gated   bool    // this block: the source talked alone
	good    bool    // the foreground cancels: its residual can be used
	// ratios: log residual/predicted energy of recent pure-leak frames
	// (the residue the decision allows for), and their count.
	ratios  [256]float32
	nRatios int
	residue float64 // linear, from the ratios' quantile
}

// cancelFrame is one analyzer frame as the canceller measured it.
type cancelFrame struct {
	k    int64
	n    int        // samples (canceller rate)
	raw  [2]float64 // delayed channel energy (low band)
	res  [2]float64 // residual energy, per channel being cleaned
	pred [2]float64 // predicted leak energy
	pure [2]bool    // the leak's source talked alone in this frame's block
	on   [2]bool    // the direction was running for all of the frame
}

// blockFloor follows a channel's noise floor in block energies (dB): the
// minimum of the last few seconds, rising slowly.
type blockFloor struct {
	win   windowMin
	floor float64
	rise  float64
	start bool
}

func (f *blockFloor) add(db float64) float64 {
	if !f.start {
		f.start, f.floor = true, db
	}
	if db < f.floor {
		f.floor = db
	} else {
		f.floor += f.rise
	}
	if m, full := f.win.add(db); full && m > f.floor {
		f.floor = m
	}
	return f.floor
}

// newCanceller returns a canceller for an analyzer at rate Hz whose frames
// are fp/fq samples long, its first sample the analyzer's sample origin.
func newCanceller(rate int, fp, fq, origin int64, cfg VADConfig) *canceller {
	c := &canceller{fp: fp, fq: fq, origin: origin, last: -1, arate: rate, cfg: cfg}
	c.D, c.rate, c.B, c.la = cancellerShape(rate, cfg)
	D := c.D
	c.N = 2 * c.B
	tail := int(cfg.CancelTail.Seconds() * float64(c.rate))
	c.P = max(2, (tail+c.la+c.B-1)/c.B)
	c.maxLag = int(cfg.MaxLeakDelay.Seconds() * float64(c.rate))
	c.quantile = cfg.LeakQuantile
	if D > 1 {
		for ch := range c.lp {
			// A 4th-order Butterworth (Q 0.5412 and 1.3066): the
			// same on both channels, so the leak path stays linear.
			c.lp[ch] = [2]biquad{
				newLowPass(0.42*float64(c.rate), float64(rate), 0.5412),
				newLowPass(0.42*float64(c.rate), float64(rate), 1.3066),
			}
		}
	}
	for ch := range c.hist {
		c.hist[ch] = make([]float64, 2*c.B+c.la)
		c.X[ch] = make([]complex128, c.P*(c.B+1))
		c.pw[ch] = make([]float64, c.B+1)
		blocksPerSec := float64(c.rate) / float64(c.B)
		c.floor[ch] = blockFloor{win: newWindowMin(max(6, int(3*blocksPerSec))), rise: 2 / blocksPerSec}
	}
	c.tr = newFFT(c.N)
	c.z = make([]complex128, c.N)
	c.yf = make([]complex128, c.B+1)
	c.yb = make([]complex128, c.B+1)
	// The frame holding origin; if origin is inside it, that frame is
	// not fully seen and is not reported.
	c.k = origin * fq / fp
	c.from = c.k
	if c.k*fp != origin*fq {
		c.from++
	}
	c.kEnd = c.frameEnd(c.k)
	return c
}

// frameEnd is the first canceller sample after frame k.
func (c *canceller) frameEnd(k int64) int64 {
	den := c.fq * int64(c.D)
	return ((k+1)*c.fp - c.origin*c.fq + den - 1) / den
}

// start turns on the direction cancelling channel 1-dst out of channel dst;
// gainDB is the leak's level as the detector measured it.
func (c *canceller) start(dst int, gainDB float64) {
	d := &c.dir[dst]
	if d.on {
		return
	}
	n := c.P * (c.B + 1)
	sp := &c.spare[dst]
	if len(sp.wf) != n {
		*sp = mdfPath{wf: make([]complex128, n), wb: make([]complex128, n),
			yf: make([]float64, c.B), yb: make([]float64, c.B), ef: make([]float64, c.B), eb: make([]float64, c.B),
			snap: make([]complex128, n), rot: make([]complex128, c.B+1)}
	} else {
		for _, s := range [][]complex128{sp.wf, sp.wb, sp.snap, sp.rot} {
			clear(s)
		}
		for _, s := range [][]float64{sp.yf, sp.yb, sp.ef, sp.eb} {
			clear(s)
		}
	}
	*d = mdfPath{on: true, wf: sp.wf, wb: sp.wb, yf: sp.yf, yb: sp.yb, ef: sp.ef, eb: sp.eb, snap: sp.snap, rot: sp.rot,
		// The three-tap fit sees the direct path only; a room adds its
		// reverberation: start 3 dB above it, and no lower than −20 dB
		// (a diffuse leak fits three taps badly); the gated blocks' median
		// brings it down where it belongs.
		gain: max(0.01, min(0.8, 2*math.Pow(10, gainDB/10)))}
}

// better reports whether the direction cleaning channel dst cancels its
// leak better than the three-tap model of path does (and removes at least
// 3 dB): only then are its residuals used.
func (c *canceller) better(dst int, path *leakPath) bool {
	d := &c.dir[dst]
	if !d.on || !d.good || d.nRatios < 32 || d.residue <= 0 || d.residue > 0.5 {
		return false
	}
	return path.state != leakPresent || d.residue < path.residue
}

// stop turns a direction off; its buffers are kept for the next start (a
// direction stopped after its trial may start again later in the call).
func (c *canceller) stop(dst int) {
	c.spare[dst] = c.dir[dst]
	c.dir[dst] = mdfPath{}
}

// running reports whether any direction is on.
func (c *canceller) running() bool { return c.dir[0].on || c.dir[1].on }

// write feeds n high-passed samples of both channels (analyzer rate).
func (c *canceller) write(x0, x1 []float32) {
	if c.D == 2 && c.phase == 0 {
		n := c.write2(x0, x1)
		x0, x1 = x0[n:], x1[n:]
	}
	for i := 0; i < len(x0); i++ {
		v0, v1 := float64(x0[i]), float64(x1[i])
		switch {
		case c.D == 2 && c.phase == 0 && i+1 < len(x0):
			// Halving, the common case (16 kHz): both samples of the pair
			// through the low-pass at once, the first one kept.
			p0, q0 := c.lp[0][0].step2(v0, float64(x0[i+1]))
			p0, _ = c.lp[0][1].step2(p0, q0)
			p1, q1 := c.lp[1][0].step2(v1, float64(x1[i+1]))
			p1, _ = c.lp[1][1].step2(p1, q1)
			v0, v1 = p0, p1
			i++
		case c.D > 1:
			v0 = c.lp[0][1].step(c.lp[0][0].step(v0))
			v1 = c.lp[1][1].step(c.lp[1][0].step(v1))
			if c.phase > 0 {
				c.phase--
				continue
			}
			c.phase = c.D - 1
		}
		c.put(v0, v1)
	}
}

// write2 is write for the common case, halving (16 kHz) from a kept
// sample: the same filtering as write's, pair by pair, with the four
// sections' states held in locals and the block filled in place. It
// returns how many samples it took (all but an odd last one).
func (c *canceller) write2(x0, x1 []float32) int {
	n := len(x0) &^ 1
	x1 = x1[:len(x0)]
	a0, b0, a1, b1 := c.lp[0][0], c.lp[0][1], c.lp[1][0], c.lp[1][1]
	base := len(c.hist[0]) - c.B
	h0, h1 := c.hist[0], c.hist[1]
	for i := 0; i < n; i += 2 {
		p0, q0 := a0.step2(float64(x0[i]), float64(x0[i+1]))
		p0, _ = b0.step2(p0, q0)
		p1, q1 := a1.step2(float64(x1[i]), float64(x1[i+1]))
		p1, _ = b1.step2(p1, q1)
		j := base + c.fill
		h0[j], h1[j] = p0, p1
		if c.fill++; c.fill == c.B {
			c.processBlock()
			c.fill = 0
			copy(h0, h0[c.B:])
			copy(h1, h1[c.B:])
		}
	}
	c.lp[0][0], c.lp[0][1], c.lp[1][0], c.lp[1][1] = a0, b0, a1, b1
	return n
}

// put adds one decimated sample of both channels to the current block,
// processing it when full.
func (c *canceller) put(v0, v1 float64) {
	j := len(c.hist[0]) - c.B + c.fill
	c.hist[0][j], c.hist[1][j] = v0, v1
	c.fill++
	if c.fill == c.B {
		c.processBlock()
		c.fill = 0
		for ch := range c.hist {
			copy(c.hist[ch], c.hist[ch][c.B:])
		}
	}
}

// flush pads the current block with silence and processes it, so that the
// last frames of the input are reported.
func (c *canceller) flush() {
	if c.fill == 0 {
		return
	}
	for ch := range c.hist {
		clear(c.hist[ch][len(c.hist[ch])-c.B+c.fill:])
	}
	c.processBlock()
	c.fill = 0
}

// processBlock runs one block: spectra of both channels, prediction and
// residual per running direction, the double-talk gate, adaptation, and the
// frame energies.
func (c *canceller) processBlock() {
	B, N, P := c.B, c.N, c.P
	// 1. Spectra of the newest 2B samples of both channels, through one
	// complex transform, into the delay lines.
	{
		z := c.z[:N]
		h0, h1 := c.hist[0][c.la:c.la+N], c.hist[1][c.la:c.la+N]
		h0, h1 = h0[:len(z)], h1[:len(z)]
		for i := range z {
			z[i] = complex(h0[i], h1[i])
		}
	}
	c.tr.transform(c.z, false)
	c.head = (c.head + P - 1) % P
	x0 := c.X[0][c.head*(B+1) : (c.head+1)*(B+1)]
	x1 := c.X[1][c.head*(B+1) : (c.head+1)*(B+1)]
	for k := 0; k <= B; k++ {
		a, b := split(c.z, k, N)
		c.pw[0][k] += abs2(a) - abs2(x0[k])
		c.pw[1][k] += abs2(b) - abs2(x1[k])
		x0[k], x1[k] = a, b
	}

	// Energies of the delayed span of both channels (the span the
	// residual covers).
	var pd [2]float64
	{
		// Both sums in one loop (each in its own order, as two loops).
		h0, h1 := c.hist[0][B:2*B], c.hist[1][B:2*B]
		h1 = h1[:len(h0)]
		var p0, p1 float64
		for i, v := range h0 {
			p0 += v * v
			p1 += h1[i] * h1[i]
		}
		pd = [2]float64{p0, p1}
	}
	var fl [2]float64
	for ch := range fl {
		fl[ch] = c.floor[ch].add(dB(pd[ch] / float64(B)))
	}
	// The reference's energy wherever the leak in the delayed span can
	// have come from (delays −la to maxLag): the most of it over a span's
	// length.
	nsub := B / subLen
	first := c.block * int64(nsub) // the newest block's first sub-block
	for ch := range c.sub {
		for j := 0; j < nsub; j++ {
			var e float64
			for _, v := range c.hist[ch][B+c.la+j*subLen : B+c.la+(j+1)*subLen] {
				e += v * v
			}
			c.sub[ch][(first+int64(j))%int64(len(c.sub[ch]))] = e
		}
	}
	var psMax [2]float64
	lo := max(0, first-int64((c.la+c.maxLag+subLen-1)/subLen))
	for ch := range psMax {
		ring := &c.sub[ch]
		var run float64
		for j := lo; j < lo+int64(nsub); j++ {
			run += ring[j%int64(len(ring))]
		}
		psMax[ch] = run
		for j := lo + int64(nsub); j < first+int64(nsub); j++ {
			run += ring[j%int64(len(ring))] - ring[(j-int64(nsub))%int64(len(ring))]
			psMax[ch] = max(psMax[ch], run)
		}
	}

	// 2. The foreground predictions and residuals of both directions,
	// through one inverse transform.
	var pe, pb, py [2]float64
	if c.predict(true, [2]bool{c.dir[0].on, c.dir[1].on}) {
		for dst := range c.dir {
			if d := &c.dir[dst]; d.on {
				pe[dst], py[dst] = energy2(d.ef, d.yf)
			}
		}
	}

	// 3. The double-talk gate, per direction.
	var rho, noise [2]float64
	var gated [2]bool
	for dst := 0; dst < 2; dst++ {
		d := &c.dir[dst]
		d.gated = false
		if !d.on {
			continue
		}
		src := 1 - dst
		ps := psMax[src]
		srcOn := dB(ps/float64(B)) > fl[src]+cancelSourceSNR
		rho[dst] = min(cancelMaxRatio, 4*d.gain)
		if d.adapted < cancelWarmBlocks {
			rho[dst] = min(cancelMaxRatio, 8*d.gain)
		}
		ratioOK := pd[dst] < rho[dst]*ps
		rev := &c.dir[src]
		revOK := !rev.on || !rev.good || pe[src] >= cancelOwnShare*pd[src]
		gated[dst] = srcOn && ratioOK && revOK
		noise[dst] = math.Pow(10, fl[dst]/10) * float64(B)
		if srcOn && revOK && pd[dst] > 4*noise[dst] && pd[dst] < cancelMaxRatio*ps {
			// The leak's level: the median of the ratio over every block
			// that could be the leak alone, gated or not (a gate that
			// fed its own level could lock out a leak louder than the
			// first guess). Blocks the leak has not reached yet read low,
			// near-end speech reads high; followed in steps of 0.1 dB.
			if r := (pd[dst] - noise[dst]) / ps; r > d.gain {
				d.gain *= 1.023
			} else {
				d.gain /= 1.023
			}
			d.gain = max(1e-5, min(cancelMaxRatio, d.gain))
		}
	}

	// The background predictions, only where they adapt (a gated block).
	var mu [2]float64
	if c.predict(false, gated) {
		for dst := range c.dir {
			d := &c.dir[dst]
			if !gated[dst] {
				continue
			}
			d.gated = true
			pb[dst], _ = energy2(d.eb, nil)
			// Valin's step, bounded: what the error can still hold of
			// the leak over the error, times its share that is not noise.
			expect := rho[dst] * psMax[1-dst]
			mu[dst] = cancelStep * min(1, expect/(pb[dst]+1e-20)) * max(0, min(1, 1-noise[dst]/(pb[dst]+1e-20)))
			// Foreground / background bookkeeping on gated blocks only: a
			// filter that learnt to cancel the near party would look
			// better anywhere else.
			d.sf = 0.6*d.sf + 0.4*pe[dst]
			d.sb = 0.6*d.sb + 0.4*pb[dst]
			d.sd = 0.6*d.sd + 0.4*pd[dst]
			d.adapted++
			switch {
			case d.sb < 0.7*d.sf:
				copy(d.wf, d.wb)
				d.sf = d.sb
				copy(d.ef, d.eb)
				copy(d.yf, d.yb)
				pe[dst] = pb[dst]
			case d.sb > 3*d.sf:
				copy(d.wb, d.wf)
				d.sb = d.sf
				mu[dst] = 0
			}
			// Good once it cancels 3 dB on gated blocks; it stays good
			// until a slow average says it adds more than it removes.
			d.ld = 0.98*d.ld + 0.02*pd[dst]
			d.lf = 0.98*d.lf + 0.02*pe[dst]
			switch {
			case d.adapted >= cancelWarmBlocks && d.sd > 2*d.sf:
				d.good = true
			case d.lf > 1.25*d.ld:
				d.good = false
			}
		}
	}

	// 4. Adaptation: the background filters' gradients (both directions
	// through one transform), then one partition's constraint.
	if mu[0] > 0 || mu[1] > 0 {
		for i := 0; i < B; i++ {
			c.z[i] = 0
			var a, b float64
			if mu[0] > 0 {
				a = c.dir[0].eb[i]
			}
			if mu[1] > 0 {
				b = c.dir[1].eb[i]
			}
			c.z[B+i] = complex(a, b)
		}
		c.tr.transformHalf(c.z, true) // the first half is zero
		for dst := 0; dst < 2; dst++ {
			if mu[dst] == 0 {
				continue
			}
			d := &c.dir[dst]
			X, pw := c.X[1-dst], c.pw[1-dst]
			var mean float64
			for _, v := range pw {
				mean += v
			}
			reg := 1e-3*mean/float64(len(pw)) + 1e-12
			g := c.yf // scratch: the step-scaled error spectrum
			for k := 0; k <= B; k++ {
				var e complex128
				if dst == 0 {
					e = splitA(c.z, k, N)
				} else {
					e = splitB(c.z, k, N)
				}
				s := mu[dst] / (pw[k] + reg)
				g[k] = complex(real(e)*s, imag(e)*s)
			}
			part := func(p int) ([]complex128, []complex128) {
				slot := (c.head + p) % P
				return d.wb[p*(B+1) : (p+1)*(B+1)], X[slot*(B+1) : (slot+1)*(B+1)]
			}
			p := 0
			for ; p+2 <= P; p += 2 {
				w0, x0 := part(p)
				w1, x1 := part(p + 1)
				cmacConj2(g, w0, x0, w1, x1)
			}
			for ; p < P; p++ {
				w0, x0 := part(p)
				cmacConj(w0, g, x0)
			}
		}
		// One partition's gradient constrained every other adapted
		// block: half the cost of Speex's one a block, for a canceller
		// whose residual only has to be right in energy.
		if c.adaptN++; c.adaptN%2 == 0 {
			c.constrain(mu)
		}
	}

	// 5. Clock drift.
	for dst := range c.dir {
		if d := &c.dir[dst]; d.on && d.adapted >= cancelWarmBlocks {
			c.trackDrift(d)
		}
	}

	// 6. Frame energies over the delayed span, a frame's stretch of the
	// block at a time (each sum taken sample by sample, in order).
	m0 := c.block*int64(B) - int64(c.la)
	for i := int(min(int64(B), max(0, -m0))); i < B; {
		for m0+int64(i) >= c.kEnd {
			c.emit()
		}
		e := int(min(int64(B), c.kEnd-m0))
		c.acc.raw[0] = addEnergy(c.acc.raw[0], c.hist[0][B+i:B+e])
		c.acc.raw[1] = addEnergy(c.acc.raw[1], c.hist[1][B+i:B+e])
		for ch := range c.dir {
			if d := &c.dir[ch]; d.on {
				c.acc.res[ch] = addEnergy(c.acc.res[ch], d.ef[i:e])
				c.acc.pred[ch] = addEnergy(c.acc.pred[ch], d.yf[i:e])
				c.acc.pure[ch] = c.acc.pure[ch] || d.gated
			}
		}
		c.acc.n += e - i
		i = e
	}
	for ch := range c.acc.on {
		if !c.dir[ch].on {
			c.acc.on[ch] = false
		}
	}
	c.block++
	if c.block%1024 == 0 {
		c.renorm()
	}
}

// energy2 returns the sums of squares of a and, if not nil, of b (as
// long as a), each summed in order.
func energy2(a, b []float64) (ea, eb float64) {
	if b == nil {
		for _, v := range a {
			ea += v * v
		}
		return ea, 0
	}
	b = b[:len(a)]
	for i, v := range a {
		ea += v * v
		eb += b[i] * b[i]
	}
	return ea, eb
}

// addEnergy returns e plus the squares of x, added one by one.
func addEnergy(e float64, x []float64) float64 {
	for _, v := range x {
		e += v * v
	}
	return e
}

// renorm recomputes the delay lines' per-bin power from scratch (the
// running sums drift with rounding over an hour).
func (c *canceller) renorm() {
	B := c.B
	for ch := range c.pw {
		clear(c.pw[ch])
		for i, x := range c.X[ch] {
			c.pw[ch][i%(B+1)] += abs2(x)
		}
	}
}

// packHermitian fills z (length 2·(len(a)-1)) with the spectrum whose
// inverse transform is a' + i·b', a' and b' the real signals with half
// spectra a and b.
func packHermitian(z, a, b []complex128) {
	B := len(a) - 1
	N := 2 * B
	for k := 1; k < B; k++ {
		x, y := a[k], b[k]
		z[k] = complex(real(x)-imag(y), imag(x)+real(y))
		z[N-k] = complex(real(x)+imag(y), real(y)-imag(x))
	}
	z[0] = complex(real(a[0]), real(b[0]))
	z[B] = complex(real(a[B]), real(b[B]))
}

// cmac adds w·x to y, bin by bin.
func cmac(y, w, x []complex128) {
	x = x[:len(y)]
	w = w[:len(y)]
	for k := range y {
		y[k] += w[k] * x[k]
	}
}

// cmac4 adds w0·x0 + w1·x1 + w2·x2 + w3·x3 to y, bin by bin, in that
// order: the sums of four cmac calls, with y loaded and stored once.
func cmac4(y, w0, x0, w1, x1, w2, x2, w3, x3 []complex128) {
	n := len(y)
	w0, x0, w1, x1 = w0[:n], x0[:n], w1[:n], x1[:n]
	w2, x2, w3, x3 = w2[:n], x2[:n], w3[:n], x3[:n]
	for k := range y {
		y[k] = y[k] + w0[k]*x0[k] + w1[k]*x1[k] + w2[k]*x2[k] + w3[k]*x3[k]
	}
}

// cmacConj adds g·conj(x) to w, bin by bin.
func cmacConj(w, g, x []complex128) {
	x = x[:len(w)]
	g = g[:len(w)]
	for k := range w {
		xr, xi := real(x[k]), imag(x[k])
		gr, gi := real(g[k]), imag(g[k])
		w[k] += complex(gr*xr+gi*xi, gi*xr-gr*xi)
	}
}

// cmacConj2 is cmacConj for two partitions at once (g read once).
func cmacConj2(g, w0, x0, w1, x1 []complex128) {
	n := len(g)
	w0, x0, w1, x1 = w0[:n], x0[:n], w1[:n], x1[:n]
	for k := range g {
		gr, gi := real(g[k]), imag(g[k])
		ar, ai := real(x0[k]), imag(x0[k])
		br, bi := real(x1[k]), imag(x1[k])
		w0[k] += complex(gr*ar+gi*ai, gi*ar-gr*ai)
		w1[k] += complex(gr*br+gi*bi, gi*br-gr*bi)
	}
}

// predict forms the predictions of the directions in which (foreground or
// background filters, fg) through one inverse transform, and their
// residuals against the delayed channels; false when none was wanted.
func (c *canceller) predict(fg bool, which [2]bool) bool {
	if !which[0] && !which[1] {
		return false
	}
	B, N, P := c.B, c.N, c.P
	Y := [2][]complex128{c.yf, c.yb}
	for dst := range c.dir {
		clear(Y[dst])
		if !which[dst] {
			continue
		}
		d := &c.dir[dst]
		w := d.wb
		if fg {
			w = d.wf
		}
		X := c.X[1-dst]
		part := func(p int) ([]complex128, []complex128) {
			slot := (c.head + p) % P
			return w[p*(B+1) : (p+1)*(B+1)], X[slot*(B+1) : (slot+1)*(B+1)]
		}
		p := 0
		for ; p+4 <= P; p += 4 {
			w0, x0 := part(p)
			w1, x1 := part(p + 1)
			w2, x2 := part(p + 2)
			w3, x3 := part(p + 3)
			cmac4(Y[dst], w0, x0, w1, x1, w2, x2, w3, x3)
		}
		for ; p < P; p++ {
			w0, x0 := part(p)
			cmac(Y[dst], w0, x0)
		}
	}
	packHermitian(c.z, Y[0], Y[1])
	c.tr.transform(c.z, true)
	inv := 1 / float64(N)
	for dst := range c.dir {
		if !which[dst] {
			continue
		}
		d := &c.dir[dst]
		y, e := d.yb, d.eb
		if fg {
			y, e = d.yf, d.ef
		}
		dd := c.hist[dst][B : 2*B]
		z := c.z[B : 2*B]
		y, e, dd = y[:len(z)], e[:len(z)], dd[:len(z)]
		if dst == 0 {
			for i, v := range z {
				y[i] = real(v) * inv
				e[i] = dd[i] - y[i]
			}
		} else {
			for i, v := range z {
				y[i] = imag(v) * inv
				e[i] = dd[i] - y[i]
			}
		}
	}
	return true
}

// driftEvery is how many adapted blocks apart the filter's delay is
// compared (~1 s: at 100 ppm the delay moves under a sample at 8 kHz, so
// the phase up to 2 kHz does not wrap).
const driftEvery = 32

// driftTurn: the filters are turned by the drift every this many blocks.
const driftTurn = 8

// trackDrift turns both filters by the drift found so far and, every
// driftEvery adapted blocks, measures how fast the foreground's delay moved
// since the last snapshot (a weighted fit of its phase change against
// frequency, below a quarter of the rate) and moves the drift half way
// there: a first-order loop that follows a steady drift without chasing
// the adaptation's noise.
func (c *canceller) trackDrift(d *mdfPath) {
	B := c.B
	// The turn is applied every driftTurn blocks (by that many blocks'
	// drift): under a hundredth of a sample at 200 ppm, an eighth of the
	// cost.
	if d.turnIn--; d.drift != 0 && d.turnIn <= 0 {
		d.turnIn = driftTurn
		for p := 0; p < c.P; p++ {
			wf := d.wf[p*(B+1) : (p+1)*(B+1)]
			wb := d.wb[p*(B+1) : (p+1)*(B+1)]
			for k, r := range d.rot {
				wf[k] *= r
				wb[k] *= r
			}
		}
	}
	if d.snapAt == 0 {
		copy(d.snap, d.wf)
		d.snapAt = d.adapted
		return
	}
	if d.adapted-d.snapAt < driftEvery {
		return
	}
	var num, den float64
	for p := 0; p < c.P; p++ {
		for k := 1; k < B/2; k++ {
			w, o := d.wf[p*(B+1)+k], d.snap[p*(B+1)+k]
			z := w * complex(real(o), -imag(o))
			m := math.Hypot(real(z), imag(z))
			if m == 0 {
				continue
			}
			om := math.Pi * float64(k) / float64(B)
			num += m * om * math.Atan2(imag(z), real(z))
			den += m * om * om
		}
	}
	blocks := float64(c.block - d.snapBlock)
	if den > 0 && blocks > 0 {
		// The delay's growth since the snapshot (samples): the turning
		// and the adaptation together, so the rate itself.
		moved := -num / den
		d.drift += 0.5 * (moved/blocks - d.drift)
		lim := cancelMaxDrift * float64(B)
		d.drift = max(-lim, min(lim, d.drift))
		for k := range d.rot {
			s, co := math.Sincos(-math.Pi * float64(k) / float64(B) * d.drift * driftTurn)
			d.rot[k] = complex(co, s)
		}
	}
	copy(d.snap, d.wf)
	d.snapAt = d.adapted
	d.snapBlock = c.block
}

// constrain zeroes the second half of the time-domain background filter in
// one partition (the next in turn) of each adapting direction: overlap-save
// needs filters of B taps per partition, and constraining one a block
// (AUMDF) keeps them so at a fraction of the cost.
func (c *canceller) constrain(mu [2]float64) {
	B, N := c.B, c.N
	p := c.dir[0].cons
	if mu[0] == 0 {
		p = c.dir[1].cons
	}
	var w [2][]complex128
	for dst := range w {
		if mu[dst] > 0 {
			w[dst] = c.dir[dst].wb[p*(B+1) : (p+1)*(B+1)]
		}
	}
	at := func(dst, k int) complex128 {
		if w[dst] == nil {
			return 0
		}
		return w[dst][k]
	}
	a, b := c.yf, c.yb
	for k := 0; k <= B; k++ {
		a[k], b[k] = at(0, k), at(1, k)
	}
	packHermitian(c.z, a, b)
	c.tr.transform(c.z, true)
	inv := 1 / float64(N)
	for i := 0; i < N; i++ {
		if i >= B {
			c.z[i] = 0
		} else {
			c.z[i] = complex(real(c.z[i])*inv, imag(c.z[i])*inv)
		}
	}
	c.tr.transformHalf(c.z, false) // the second half is zero
	for k := 0; k <= B; k++ {
		a, b := split(c.z, k, N)
		if w[0] != nil {
			w[0][k] = a
		}
		if w[1] != nil {
			w[1][k] = b
		}
	}
	for dst := range w {
		if mu[dst] > 0 {
			c.dir[dst].cons = (p + 1) % c.P
		}
	}
}

// emit closes frame k and starts the next.
func (c *canceller) emit() {
	f := c.acc
	f.k = c.k
	for ch := 0; ch < 2; ch++ {
		// The gate: a residual above the channel itself is the canceller
		// adding a copy of the reference, not the party's speech.
		f.res[ch] = min(f.res[ch], f.raw[ch])
		d := &c.dir[ch]
		if f.on[ch] && f.pure[ch] && f.pred[ch] > 0.1*f.raw[ch] {
			d.addRatio(f.res[ch]/f.pred[ch], c.quantile)
		}
	}
	if c.k >= c.from {
		c.frames[c.k%int64(len(c.frames))] = f
		c.last = c.k
	}
	c.k++
	c.kEnd = c.frameEnd(c.k)
	c.acc = cancelFrame{on: [2]bool{c.dir[0].on, c.dir[1].on}}
}

// frame returns frame k if it was emitted.
func (c *canceller) frame(k int64) (cancelFrame, bool) {
	if k > c.last || k < c.last-int64(len(c.frames))+1 {
		return cancelFrame{}, false
	}
	f := c.frames[k%int64(len(c.frames))]
	return f, f.k == k
}

// restart returns a canceller that starts again at the analyzer's sample
// origin with what c has learnt: both filters of each running direction
// (turned back by the drift over the blocks c ran, so that they fit the
// start), the leak's level, the drift, the residue. An offline analysis
// learns the paths on the call's first part, then analyses the call from
// its start with them.
func (c *canceller) restart(origin int64) *canceller {
	n := newCanceller(c.arate, c.fp, c.fq, origin, c.cfg)
	B := c.B
	for dst := range c.dir {
		d := &c.dir[dst]
		if !d.on {
			continue
		}
		e := &n.dir[dst]
		*e = *d
		e.wf = append([]complex128(nil), d.wf...)
		e.wb = append([]complex128(nil), d.wb...)
		e.yf, e.yb = make([]float64, B), make([]float64, B)
		e.ef, e.eb = make([]float64, B), make([]float64, B)
		e.snap = make([]complex128, len(d.snap))
		e.rot = append([]complex128(nil), d.rot...)
		e.snapAt, e.snapBlock = 0, 0
		if d.drift != 0 {
			back := d.drift * float64(c.block)
			for k := 0; k <= B; k++ {
				sn, co := math.Sincos(math.Pi * float64(k) / float64(B) * back)
				r := complex(co, sn)
				for p := 0; p < c.P; p++ {
					e.wf[p*(B+1)+k] *= r
					e.wb[p*(B+1)+k] *= r
				}
			}
		}
	}
	return n
}

// delay returns the delay of the strongest tap of the foreground filter
// cleaning channel dst: how late the leak arrives after its reference
// (negative: before it).
func (c *canceller) delay(dst int) time.Duration {
	d := &c.dir[dst]
	B := c.B
	best, bestV := 0, -1.0
	zero := c.yb[:B+1]
	clear(zero)
	for p := 0; p < c.P; p++ {
		packHermitian(c.z, d.wf[p*(B+1):(p+1)*(B+1)], zero)
		c.tr.transform(c.z, true)
		for j := 0; j < B; j++ {
			if v := math.Abs(real(c.z[j])); v > bestV {
				best, bestV = p*B+j, v
			}
		}
	}
	return time.Duration(float64(best-c.la) / float64(c.rate) * float64(time.Second))
}

// cancellerLatency is canceller.latency for an analyzer at rate Hz with
// frames of fp/fq samples, before any canceller exists.
func cancellerLatency(rate int, fp, fq int64, cfg VADConfig) int64 {
	c := canceller{fp: fp, fq: fq}
	c.D, c.rate, c.B, c.la = cancellerShape(rate, cfg)
	return c.latency()
}

// cancellerShape is the canceller's decimation, rate, block and look-ahead
// for an analyzer at rate Hz.
func cancellerShape(rate int, cfg VADConfig) (D, crate, B, la int) {
	D = max(1, rate/8000)
	crate = rate / D
	B = 256
	if crate >= 12000 {
		B = 512
	}
	la = int(cfg.CancelLookahead.Seconds() * float64(crate))
	return D, crate, B, la
}

// latency is how many analyzer frames after a frame ends its canceller
// energies are known, at most.
func (c *canceller) latency() int64 {
	samples := int64(c.la+c.B+4) * int64(c.D) // look-ahead, block fill, low-pass
	return (samples*c.fq+c.fp-1)/c.fp + 1
}

// addRatio records one pure-leak frame's residual/predicted energy; every
// 32 frames the residue becomes their quantile q (the leak detector's
// LeakQuantile, so that the two residues compare).
func (d *mdfPath) addRatio(r, q float64) {
	d.ratios[d.nRatios%len(d.ratios)] = float32(max(1e-6, r))
	d.nRatios++
	if d.nRatios%32 == 0 {
		n := min(d.nRatios, len(d.ratios))
		var tmp [256]float32
		s := tmp[:n]
		copy(s, d.ratios[:n])
		d.residue = float64(nth(s, min(n-1, int(q*float64(n)))))
	}
}

// nth returns the value s[i] would hold were s sorted (s is reordered):
// Hoare's selection, a few passes over s where a sort takes log n.
func nth(s []float32, i int) float32 {
	lo, hi := 0, len(s)-1
	for lo < hi {
		// The median of three as the pivot.
		m := lo + (hi-lo)/2
		if s[m] < s[lo] {
			s[m], s[lo] = s[lo], s[m]
		}
		if s[hi] < s[lo] {
			s[hi], s[lo] = s[lo], s[hi]
		}
		if s[hi] < s[m] {
			s[hi], s[m] = s[m], s[hi]
		}
		p := s[m]
		a, b := lo, hi
		for a <= b {
			for s[a] < p {
				a++
			}
			for p < s[b] {
				b--
			}
			if a <= b {
				s[a], s[b] = s[b], s[a]
				a++
				b--
			}
		}
		switch {
		case i <= b:
			hi = b
		case i >= a:
			lo = a
		default:
			return s[i]
		}
	}
	return s[i]
}

// split returns the spectra of the two real signals packed in z (as
// z = a + i·b) at bin k.
//
// The halving is written out on the parts: a complex product by 0.5 would
// take four multiplications where two do (the same values).
func split(z []complex128, k, n int) (a, b complex128) {
	zk, zc := z[k], z[(n-k)&(n-1)]
	zr, zi, cr, ci := real(zk), imag(zk), real(zc), imag(zc)
	a = complex((zr+cr)*0.5, (zi-ci)*0.5)
	b = complex((zi+ci)*0.5, -(zr-cr)*0.5)
	return a, b
}

// splitA and splitB are split's a and b alone.
func splitA(z []complex128, k, n int) complex128 {
	zk, zc := z[k], z[(n-k)&(n-1)]
	return complex((real(zk)+real(zc))*0.5, (imag(zk)-imag(zc))*0.5)
}

func splitB(z []complex128, k, n int) complex128 {
	zk, zc := z[k], z[(n-k)&(n-1)]
	return complex((imag(zk)+imag(zc))*0.5, -(real(zk)-real(zc))*0.5)
}

func abs2(z complex128) float64 { return real(z)*real(z) + imag(z)*imag(z) }

// The canceller's fixed design constants (the tunable ones are VADConfig's
// Cancel* settings).
const (
	cancelSourceSNR  = 12   // dB: the reference must stand this far above its floor to adapt on
	cancelMaxRatio   = 0.8  // a leak is at least ~1 dB quieter than its source
	cancelOwnShare   = 0.3  // the reference must be at least this much its own party (reverse residual)
	cancelStep       = 0.5  // the largest step (normalised)
	cancelWarmBlocks = 12   // gated blocks before the foreground's residual is used
	cancelMaxDrift   = 2e-4 // the clock drift followed, at most (200 ppm)
	cancelTrial      = 300  // gated blocks (~10 s of the source alone) a direction has to prove itself
	subLen           = 32   // samples per sub-block of the gate's energy ring
)
