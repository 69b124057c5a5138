package analysis

import (
	"fmt"
	"math"
	"runtime"
	"time"
)

// Layout says what the channels fed to an Analyzer carry.
type Layout uint8

const (
	// TwoParty: two channels, the rep's and the customer's.
	TwoParty Layout = iota
	// OneChannel: one channel carrying both parties (a mono file, or a
	// stereo file whose channels are identical). The speech is split
	// between two voices at Finish (diarize.go).
	OneChannel
)

// OneChannel is the old name of OneChannel.
//
// Deprecated: use OneChannel.
const MonoMixed = OneChannel

// Analyzer measures a call incrementally: feed samples as they arrive, read
// the figures so far at any time. The same code serves the live meter during
// a call and the analysis of a finished file.
//
// Per sample it high-passes both channels, keeps them in a one-second ring
// for the crosstalk estimator, and sums frame energies of each channel and of
// each channel minus its predicted crosstalk (a three-tap filter). Per 10 ms
// frame each party's activity is decided (activity.go); every few seconds
// early on and every LeakStable after that the crosstalk paths are
// re-estimated from the ring (leak.go). Memory is flat in call length: the
// rings, a few per-channel counters and the segment list.
//
// An Analyzer is not safe for concurrent use: the caller serialises Write,
// Snapshot, Levels and Finish (the live meter calls them from one goroutine
// or under one mutex).
type Analyzer struct {
	cfg    Config
	rate   int
	layout Layout
	frame  time.Duration
	fp, fq int64 // samples per frame = fp/fq

	pos     int64 // samples written
	k       int64 // current frame
	nextEnd int64 // absolute sample at which frame k ends
	start   int64 // absolute sample at which frame k starts

	hp [2]biquad
	// Per-frame sums of the raw (high-passed) energy.
	eRaw [2]float64
	// The residual after subtracting the predicted leak, and the predicted
	// leak's energy, summed per frame resLag samples behind the newest
	// sample (residuals): resK is the frame being summed, ending at
	// absolute sample resEnd, resPos the next sample to sum.
	resLag          int
	resPos, resEnd  int64
	resK            int64
	resSum, predSum [2]float64
	eCross          float64 // Σ rep·customer (high-passed), for sameCheck
	// tail: the predicted leak energy held with the decay of a room's
	// reverberation (decay per frame), what a leak can still carry.
	tail  [2]float64
	decay float64
	// tailRoom: the same held with a room's decay (roomTail), which a
	// leak three taps do not model must stay under for speech to start
	// on its channel while the canceller is on trial.
	tailRoom  [2]float64
	roomDecay float64
	// tailX: the leak the canceller predicts on each channel, held as
	// tailC but every frame it has one (roomCancel reads it).
	tailX [2]float64

	party [2]partyState
	voice *voicer // mono only, when the voicing test is on
	// voices: the two parties' voicing tests (VADConfig.PartyVoiced).
	voices [2]*voicer
	// cep and feats: the speech features of a one-channel call, kept for
	// the diarization at Finish (diarize.go); nil for two parties.
	cep   *Cepstrum
	feats featureStore
	fbuf  Features
	// same checks whether a two-party call's channels are one and the
	// same audio (identical.go); nil once they are known to differ.
	same *sameCheck
	// repVoice collects the rep's own speech features of a two-party call
	// for their voice profile (KeepRepVoice); nil unless asked for.
	repVoice *repVoice
	leak     *leakEstimator
	path     [2]leakPath // path[i]: crosstalk into channel i (0 = rep, 1 = customer)
	live     [2]residueTracker
	retrack  [2]int64 // earliest sample of the next refit the tracker may ask for
	backoff  [2]int64 // samples between tracker refits: doubles while refits find the same lag
	fitAt    [2]int64 // sample of the last accepted estimate
	// driftEvery: how often (samples) a drifting leak is tracked, from how
	// fast its lag moved between fits; 0 while it has not moved.
	driftEvery [2]int64
	driftDir   [2]int   // the way the lag last moved (+1, -1)
	asked      [2]bool  // the next fit was asked for by the tracker
	due        [2]int64 // sample at which path[i] is next re-estimated
	full       [2]int64 // sample at which path[i] next needs a full correlation
	zeros      []float32
	// Runs of digital silence (exact zeros) per channel: the current
	// run and the longest in this frame, in samples (dropoutGuard).
	zrun, zmax [2]int
	gapRun     int // samples in dropoutRun

	// absentOnce[i]: a look found no leak into channel i while none was
	// known; a second must agree before its absence is taken.
	absentOnce [2]bool

	// Two-party decisions wait lat frames, so that the crosstalk
	// canceller (canceller.go), which looks ahead, has the residual of the
	// frame being decided; pend holds the frames not decided yet.
	lat     int64
	pend    [64]pendingFrame
	decided int64      // next frame to decide
	xc      *canceller // nil until a leak needs it
	tailC   [2]float64 // as tail, for the canceller's predicted leak
	lastRaw [2]float64 // the latest frame's raw level, dBFS (Levels)

	// prime is set while an offline analyzer learns the crosstalk on the
	// call's first part (NewFileAnalyzer).
	prime *primer
	// primedAvg is how many windows of the averaged cross spectrum came
	// from the scout: they were the call's first part, not the audio
	// this analyzer has seen, so they do not settle a leak's absence.
	primedAvg int

	stats [2]sideStats // per channel, for the recording's diagnosis (recording.go)
	// diff[i]: the power-domain model of a diffuse leak into channel i
	// (diffuse.go), used where no leak model is.
	diff      [2]diffuseLeak
	diffDecay float64    // per frame, a diffuse leak's tail (diffuseTail)
	revTail   [2]float64 // reverseUnder: the reverse direction's predicted leak, held

	invalid int64 // NaN/Inf samples, taken as silence
	clipped int64 // samples beyond full scale, clipped
	done    bool
	final   Result
}

// primer holds the first part of a call while a scout analyzer learns its
// crosstalk paths from it.
type primer struct {
	scout *Analyzer
	// buf holds the audio as 16-bit samples (lossless for 16-bit files,
	// under −96 dBFS of error otherwise), in chunks of a second per
	// channel allocated as it comes: a short file holds little, nothing is
	// copied to grow, and an hour's analysis peaks at half the memory.
	// NaN, infinities and samples beyond full scale are counted by the
	// scout and stored as 0 or full scale.
	buf   [2][][]int16
	chunk int
	n     int
	max   int // samples per channel held at most
}

// hold appends x (then zeros silent samples) to channel ch's chunks.
func (p *primer) hold(ch int, x []float32, zeros int) {
	for len(x) > 0 || zeros > 0 {
		b := &p.buf[ch]
		if len(*b) == 0 || len((*b)[len(*b)-1]) == p.chunk {
			*b = append(*b, make([]int16, 0, p.chunk))
		}
		last := &(*b)[len(*b)-1]
		room := p.chunk - len(*last)
		if len(x) > 0 {
			m := min(room, len(x))
			for _, v := range x[:m] {
				q := float64(v) * 32768
				if !(q > -32768) { // NaN too
					q = max(-32768, min(0, q))
					if v != v {
						q = 0
					}
				}
				*last = append(*last, int16(min(32767, math.Round(q))))
			}
			x = x[m:]
			continue
		}
		m := min(room, zeros)
		*last = (*last)[:len(*last)+m]
		clear((*last)[len(*last)-m:])
		zeros -= m
	}
}

// primeLen is how much of a call an offline analysis learns the crosstalk
// on before it analyses the call from the start, and primeMax the most
// samples per channel it holds for that (45 s at 48 kHz: 17 MB; at 16
// kHz 5.8 MB).
const (
	primeLen = 45 * time.Second
	primeMax = 45 * 48000
)

// NewFileAnalyzer returns an Analyzer for a finished recording: it looks
// ahead. A two-party call's crosstalk (leak paths, the canceller's filters,
// clock drift) is learnt on its first 45 s before any of it is decided, so
// the start of the call is judged with what the whole of that part taught,
// not with what the first seconds could. Snapshot reports nothing decided
// until then, and Write allocates while it holds that part (up to 17 MB
// at 48 kHz); use NewAnalyzer for a live call.
func NewFileAnalyzer(cfg Config, rate int, layout Layout) (*Analyzer, error) {
	a, err := NewAnalyzer(cfg, rate, layout)
	if err != nil || layout != TwoParty {
		return a, err
	}
	// The scout only learns the crosstalk; it decides speech with the
	// narrow range, so that far voices (the leak among them) are not its
	// parties' own speech, which would hide the leak from its estimator.
	sc := cfg
	sc.VAD.PartySpeechRange, sc.VAD.PartySpeechHold = 0, 0
	scout, err := NewAnalyzer(sc, rate, layout)
	if err != nil {
		return nil, err
	}
	a.prime = &primer{scout: scout, chunk: rate, max: min(primeMax, int(primeLen.Seconds()*float64(rate)))}
	return a, nil
}

// endPrime takes in what the scout learnt and analyses the held audio.
func (a *Analyzer) endPrime() {
	p := a.prime
	a.prime = nil
	s := p.scout
	a.path = s.path
	for i := range a.path {
		a.path[i].agree = 0 // re-estimated on the way, as early on
	}
	L, M := a.leak, s.leak
	copy(L.avg, M.avg)
	L.nAvg, L.avgLag, L.avgSteady, L.weak = M.nAvg, M.avgLag, M.avgSteady, M.weak
	a.primedAvg = M.nAvg
	a.diff = s.diff // the diffuse leaks' gains as learnt so far
	for i := range a.diff {
		a.diff[i].src = 0
	}
	if s.xc != nil {
		a.xc = s.xc.restart(0)
	}
	a.invalid, a.clipped = s.invalid, s.clipped // the held audio lost them
	var x [2][]float32
	for i := range p.buf[0] {
		for ch := range x {
			c := p.buf[ch][i]
			x[ch] = x[ch][:0]
			for _, v := range c {
				x[ch] = append(x[ch], float32(v)/32768)
			}
			p.buf[ch][i] = nil // let it go as it is analysed
		}
		a.Write(x[0], x[1])
	}
	// The held audio and the scout are garbage now: collected at once,
	// the collector's next goal follows the call's working set (~3 MB)
	// instead of the priming's (~8 MB), which let an hour's heap grow to
	// 16 MB before its next collection. Once per file, about a millisecond.
	runtime.GC()
}

// pendingFrame is a frame's energies kept until it is decided.
type pendingFrame struct {
	eRaw, eRes, ePred [2]float64
	n                 float64 // samples
	gap               [2]bool // a run of digital silence (dropoutRun) in it
}

// partyState is one channel's detector and its bookkeeping.
type partyState struct {
	act    activity
	level  float64    // last frame's level, dBFS
	recent [8]float64 // last frames' levels (ring), for the warm-up rule
	loud   []bool     // last LeakWindow of frames: did this party speak
	nLoud  int
}

// NewAnalyzer returns an Analyzer for audio at rate Hz (8 kHz to 192 kHz).
func NewAnalyzer(cfg Config, rate int, layout Layout) (*Analyzer, error) {
	if rate < 8000 || rate > 192000 {
		return nil, fmt.Errorf("sample rate %d Hz is outside 8000–192000 Hz", rate)
	}
	if layout != TwoParty && layout != OneChannel {
		return nil, fmt.Errorf("unknown channel layout %d", layout)
	}
	if cfg.Frame <= 0 {
		cfg.Frame = 10 * time.Millisecond
	}
	a := &Analyzer{cfg: cfg, rate: rate, layout: layout, frame: cfg.Frame}
	num, den := int64(rate)*int64(cfg.Frame), int64(time.Second)
	g := gcd(num, den)
	a.fp, a.fq = num/g, den/g
	if a.fp < a.fq { // frames shorter than a sample
		return nil, fmt.Errorf("frame %v is shorter than one sample at %d Hz", cfg.Frame, rate)
	}
	a.nextEnd = a.fp / a.fq
	a.gapRun = max(1, int(dropoutRun.Seconds()*float64(rate)))
	hpCut := cfg.VAD.HighPass
	if !(hpCut > 0 && hpCut < float64(rate)/4) {
		hpCut = 0
	}
	windowFrames := max(1, int(cfg.VAD.LeakWindow/cfg.Frame))
	for i := range a.party {
		s := Speaker(i)
		if layout == OneChannel {
			s = Unattributed
		}
		a.hp[i] = newHighPass(hpCut, rate)
		a.party[i].act = newActivity(s, cfg, cfg.Frame)
		a.party[i].loud = make([]bool, windowFrames)
		for j := range a.party[i].recent {
			a.party[i].recent[j] = -150
		}
		a.party[i].level = -150
	}
	if layout == OneChannel && cfg.VAD.Mono.VoicedCorr > 0 {
		a.voice = newVoicer(rate)
	}
	if layout == TwoParty && cfg.VAD.PartyVoiced && cfg.VAD.Mono.VoicedCorr > 0 {
		a.voices = [2]*voicer{newVoicer(rate), newVoicer(rate)}
	}
	if layout == OneChannel && cfg.Diarize.Components > 0 {
		a.cep, _ = NewCepstrum(rate) // the rate was checked above
	}
	if layout == TwoParty {
		a.same = newSameCheck(cfg, rate)
		a.leak = newLeakEstimator(rate, cfg.VAD)
		a.decay = tailDecay(cfg.VAD, int(a.fp/a.fq), rate)
		rc := cfg.VAD
		rc.LeakTail = max(rc.LeakTail, roomTail)
		a.roomDecay = tailDecay(rc, int(a.fp/a.fq), rate)
		a.diffDecay = diffuseDecay(float64(a.fp)/float64(a.fq), rate)
		a.zeros = make([]float32, a.fp/a.fq+2)
		a.lat = cancellerLatency(rate, a.fp, a.fq, cfg.VAD)
		// The residual runs behind by the reach of an early leak (and the
		// tap before the peak); its frames must be summed before they
		// are decided.
		a.resLag = a.leak.early + 2
		a.resEnd = a.nextEnd
		a.lat = max(a.lat, (int64(a.resLag)*a.fq+a.fp-1)/a.fp+1)
	}
	return a, nil
}

// Write feeds the next samples of both parties (floats in [-1, 1], equal
// lengths; customer is ignored for OneChannel, and a shorter customer slice is
// padded with silence). NaN and ±Inf are taken as silence, values beyond
// full scale are clipped. Write does not allocate.
func (a *Analyzer) Write(rep, customer []float32) {
	if a.done {
		return
	}
	if p := a.prime; p != nil {
		for len(rep) > 0 {
			m := min(len(rep), p.max-p.n)
			k := min(len(customer), m)
			p.hold(0, rep[:m], 0)
			p.hold(1, customer[:k], m-k)
			p.scout.Write(rep[:m], customer[:k])
			p.n += m
			rep = rep[m:]
			customer = customer[k:]
			if p.n == p.max {
				a.endPrime()
				a.Write(rep, customer)
				return
			}
		}
		return
	}
	if a.same != nil {
		a.same.feed(rep, customer)
		if a.same.identical {
			return // decided: the one-channel analysis carries on alone
		}
	}
	for len(rep) > 0 {
		n := int(min(int64(len(rep)), a.nextEnd-a.pos))
		if a.layout == OneChannel {
			a.gaps(0, rep[:n])
			a.mono(rep[:n])
		} else {
			c := a.zeros
			if len(customer) >= n {
				c, customer = customer[:n], customer[n:]
			} else if len(customer) > 0 {
				// Pad the short tail of customer with silence.
				m := copy(a.zeros[:n], customer)
				clear(a.zeros[m:n])
				c, customer = a.zeros[:n], nil
			} else {
				clear(a.zeros[:n])
				c = a.zeros[:n]
			}
			a.gaps(0, rep[:n])
			a.gaps(1, c[:n])
			a.stereo(rep[:n], c[:n])
		}
		rep = rep[n:]
		a.pos += int64(n)
		if a.pos == a.nextEnd {
			a.endFrame()
		}
	}
}

// fullScale: a sample this close to full scale (or beyond) counts as
// clipped for the recording's diagnosis: an integer file stores a clipped
// peak at ±32767, not beyond.
const fullScale = 0.999

// sanitize maps NaN/Inf to 0 and clips to [-1, 1], counting both, and
// counts channel ch's samples at full scale; valid samples pass unchanged.
// The kernels call it only for samples at or beyond ±fullScale.
func (a *Analyzer) sanitize(ch int, x float32) float32 {
	if x >= fullScale || x <= -fullScale {
		a.stats[ch].full++
	}
	switch {
	case x >= -1 && x <= 1:
		return x
	case x != x || x > math.MaxFloat32 || x < -math.MaxFloat32:
		a.invalid++
		return 0
	case x > 1:
		a.clipped++
		return 1
	default:
		a.clipped++
		return -1
	}
}

// dropoutRun is the run of exact zeros that makes a frame part of a
// dropout: no microphone's noise, nor a 16-bit file's quietest, holds a
// sample at exactly zero for 2 ms.
const dropoutRun = 2 * time.Millisecond

// gaps follows the runs of exact zeros in channel ch's samples x: the
// run carried on at the end, and the longest in this frame once it is
// a.gapRun long or longer (shorter ones may go uncounted). (Digital
// silence is told from the samples, not from the frame's energy: the
// high-pass filter rings on into a 21 ms dropout, leaving it near
// −74 dBFS rather than silent.) A run of gapRun zeros holds a sample at
// every gapRun/2-th index, so only those are tested, and a run is
// measured around one that is zero: a sixteenth of the samples at 16 kHz,
// where testing each cost a tenth of a headset hour's analysis.
func (a *Analyzer) gaps(ch int, x []float32) {
	r, m := a.zrun[ch], a.zmax[ch]
	i := 0
	for i < len(x) && x[i] == 0 {
		i++
	}
	if i > 0 {
		r += i
		m = max(m, r)
	}
	if i == len(x) {
		a.zrun[ch], a.zmax[ch] = r, m
		return
	}
	r = 0
	step := max(1, a.gapRun/2)
	for j := i + step - 1; j < len(x); j += step {
		if x[j] != 0 {
			continue
		}
		lo, hi := j, j+1
		for lo > i && x[lo-1] == 0 {
			lo--
		}
		for hi < len(x) && x[hi] == 0 {
			hi++
		}
		m = max(m, hi-lo)
		if hi == len(x) {
			r = hi - lo
			break
		}
		j = hi - 1
	}
	if r == 0 {
		k := len(x)
		for k > i && x[k-1] == 0 {
			k--
		}
		r = len(x) - k
	}
	a.zrun[ch], a.zmax[ch] = r, m
}

// mono is the per-sample kernel for a mixed recording.
func (a *Analyzer) mono(x []float32) {
	f := a.hp[0]
	vc := a.voice
	var e float64
	for _, v := range x {
		if !(v > -fullScale && v < fullScale) {
			v = a.sanitize(0, v)
		}
		y := f.step(float64(v))
		e += y * y
		if vc != nil {
			vc.add(y)
		}
	}
	a.hp[0] = f
	a.eRaw[0] += e
	if a.cep != nil {
		a.cep.Write(x)
	}
}

// stereo is the per-sample kernel for two parties. Pass one high-passes
// both channels into the leak estimator's buffers and sums their energy;
// pass two, per known leak path, subtracts the predicted leak (three taps
// on the other channel's buffer) and sums residual and predicted energy.
// Both passes run over plain slices: a few multiply-adds per sample.
func (a *Analyzer) stereo(rep, cust []float32) {
	n := len(rep)
	cust = cust[:n]
	L := a.leak
	L.room(n)
	w := L.w
	out0, out1 := L.ring[0][w:w+n], L.ring[1][w:w+n]
	f0, f1 := a.hp[0], a.hp[1]
	var e0, e1, c01 float64
	i := 0
	for ; i+1 < n; i += 2 {
		x0, x1, y0, y1 := rep[i], rep[i+1], cust[i], cust[i+1]
		if !(x0 > -fullScale && x0 < fullScale && x1 > -fullScale && x1 < fullScale &&
			y0 > -fullScale && y0 < fullScale && y1 > -fullScale && y1 < fullScale) {
			x0, x1, y0, y1 = a.sanitize(0, x0), a.sanitize(0, x1), a.sanitize(1, y0), a.sanitize(1, y1)
		}
		u0, u1 := f0.step2(float64(x0), float64(x1))
		v0, v1 := f1.step2(float64(y0), float64(y1))
		out0[i], out0[i+1] = float32(u0), float32(u1)
		out1[i], out1[i+1] = float32(v0), float32(v1)
		e0 += u0*u0 + u1*u1
		e1 += v0*v0 + v1*v1
		c01 += u0*v0 + u1*v1
	}
	for ; i < n; i++ {
		x, y := rep[i], cust[i]
		if !(x > -fullScale && x < fullScale) {
			x = a.sanitize(0, x)
		}
		if !(y > -fullScale && y < fullScale) {
			y = a.sanitize(1, y)
		}
		u, v := f0.step(float64(x)), f1.step(float64(y))
		out0[i], out1[i] = float32(u), float32(v)
		e0 += u * u
		e1 += v * v
		c01 += u * v
	}
	a.hp[0], a.hp[1] = f0, f1
	a.eCross += c01
	if rv := a.repVoice; rv != nil && !rv.full() {
		rv.cep.Write(rep)
	}
	a.eRaw[0] += e0
	a.eRaw[1] += e1
	if a.xc != nil {
		a.xc.write(out0, out1)
	}
	if v0, v1 := a.voices[0], a.voices[1]; v0 != nil {
		for j := range out0 {
			v0.add(float64(out0[j]))
			v1.add(float64(out1[j]))
		}
	}
	L.w += n
	a.residuals(a.pos+int64(n)-int64(a.resLag), a.pos+int64(n))
}

// residuals sums, per known leak path, the residual and predicted energy
// of the samples up to (not including) absolute sample upTo into the
// frames they belong to; wAbs is the absolute sample at buffer index L.w.
// The residual runs resLag samples behind the newest sample, so that a
// leak that arrives before its source (up to leakEarlyMax) has its source
// in the buffer; a frame's sums are complete resLag samples after it
// ends, before it is decided (lat frames after, lat covering resLag), so
// the decisions wait no longer than they did for the canceller. At Finish
// the samples past the end must be zero in the buffers.
func (a *Analyzer) residuals(upTo, wAbs int64) {
	L := a.leak
	for a.resPos < upTo {
		m := int(min(upTo, a.resEnd) - a.resPos)
		j := L.w - int(wAbs-a.resPos) // buffer index of resPos (L.w is at wAbs)
		for dst := 0; dst < 2; dst++ {
			p := &a.path[dst]
			if p.state != leakPresent {
				continue
			}
			d := p.delay
			res, pred := residual(L.ring[dst][j:j+m], L.ring[1-dst][j-d-2:j+m-d], p.taps)
			a.resSum[dst] += res
			a.predSum[dst] += pred
		}
		a.resPos += int64(m)
		if a.resPos == a.resEnd {
			pf := &a.pend[a.resK%int64(len(a.pend))]
			pf.eRes, pf.ePred = a.resSum, a.predSum
			a.resSum, a.predSum = [2]float64{}, [2]float64{}
			a.resK++
			a.resEnd = (a.resK + 1) * a.fp / a.fq
		}
	}
}

// residual returns the energy of dst minus the leak predicted from src
// (src[i+2]·h0 + src[i+1]·h1 + src[i]·h2 for dst[i]) and the energy of the
// prediction.
//
// Four samples a step, the window of src in registers (each source sample
// loaded once); the even samples' sums and the odd ones' apart, as two
// at a time did (the same sums, bit for bit).
func residual(dst, src []float32, h [3]float32) (res, pred float64) {
	src = src[:len(dst)+2]
	h0, h1, h2 := h[0], h[1], h[2]
	var r0, r1, q0, q1 float32
	i := 0
	for ; i+4 <= len(dst); i += 4 {
		d := dst[i : i+4 : i+4]
		x := src[i : i+6 : i+6]
		x0, x1, x2, x3 := x[0], x[1], x[2], x[3]
		p := h0*x2 + h1*x1 + h2*x0
		q := h0*x3 + h1*x2 + h2*x1
		r, s := d[0]-p, d[1]-q
		r0 += r * r
		r1 += s * s
		q0 += p * p
		q1 += q * q
		x4, x5 := x[4], x[5]
		p = h0*x4 + h1*x3 + h2*x2
		q = h0*x5 + h1*x4 + h2*x3
		r, s = d[2]-p, d[3]-q
		r0 += r * r
		r1 += s * s
		q0 += p * p
		q1 += q * q
	}
	for ; i+1 < len(dst); i += 2 {
		p := h0*src[i+2] + h1*src[i+1] + h2*src[i]
		q := h0*src[i+3] + h1*src[i+2] + h2*src[i+1]
		r := dst[i] - p
		s := dst[i+1] - q
		r0 += r * r
		r1 += s * s
		q0 += p * p
		q1 += q * q
	}
	for ; i < len(dst); i++ {
		p := h0*src[i+2] + h1*src[i+1] + h2*src[i]
		r := dst[i] - p
		r0 += r * r
		q0 += p * p
	}
	return float64(r0) + float64(r1), float64(q0) + float64(q1)
}

// endFrame closes frame k, decides the frames whose turn has come (lat
// frames back) and runs the leak estimator when it is due.
func (a *Analyzer) endFrame() {
	n := float64(a.nextEnd - a.start)
	a.pend[a.k%int64(len(a.pend))] = pendingFrame{eRaw: a.eRaw, n: n, // eRes, ePred: residuals
		gap: [2]bool{a.zmax[0] >= a.gapRun, a.zmax[1] >= a.gapRun}}
	a.zmax = [2]int{}
	for i := range a.lastRaw {
		a.lastRaw[i] = dB(a.eRaw[i] / n)
	}
	if a.same != nil && !a.same.decided {
		if !a.same.frame(a.eRaw[0], a.eRaw[1], a.eCross, n) {
			a.same = nil // the channels differ: stop the one-channel copy
		}
	}
	a.eCross = 0
	a.eRaw = [2]float64{}
	a.k++
	a.start = a.nextEnd
	a.nextEnd = (a.k + 1) * a.fp / a.fq
	for a.decided+a.lat < a.k {
		a.decide(a.decided)
		a.decided++
	}
	if a.layout == TwoParty {
		a.maybeEstimate()
	}
}

// decide decides frame k for each party.
func (a *Analyzer) decide(k int64) {
	pf := &a.pend[k%int64(len(a.pend))]
	n := pf.n
	parties := 2
	if a.layout == OneChannel {
		parties = 1
	}
	var raw [2]float64
	for i := 0; i < parties; i++ {
		raw[i] = dB(pf.eRaw[i] / n)
	}
	margin := math.Pow(10, a.cfg.VAD.LeakMargin/10)
	rawMargin := math.Pow(10, a.cfg.VAD.LeakRawMargin/10)
	cRawMargin := math.Pow(10, a.cfg.VAD.CancelRawMargin/10)
	slot := int(k % int64(len(a.party[0].recent)))
	var asIs [2]bool // channel i judged as it is, no leak found into it
	if a.layout == TwoParty {
		for i := range a.diff {
			a.diff[i].hold(pf.eRaw[1-i]/n, a.diffDecay)
		}
	}
	for i := 0; i < parties; i++ {
		p := &a.party[i]
		level, ok, masked := raw[i], true, false
		var cf cancelFrame
		useC := false
		if a.layout == TwoParty {
			a.holdCancelled(i, k)
		}
		if a.xc != nil && a.xc.better(i, &a.path[i]) {
			cf, useC = a.xc.frame(k)
			useC = useC && cf.on[i] && cf.n > 0
		}
		if useC {
			// The canceller's residual, in its band: own speech must
			// stand clear of what it cannot remove, and the channel
			// clear of the leak it predicts.
			nc := float64(cf.n)
			level = dB(cf.res[i] / nc)
			a.tailC[i] = max(a.tailC[i]*a.decay, cf.pred[i])
			residue := a.xc.dir[i].residue
			margin := math.Pow(10, a.cfg.VAD.CancelMargin/10)
			rawM := math.Pow(10, a.cfg.VAD.CancelRawMargin/10)
			ok = cf.res[i] > residue*margin*a.tailC[i] && cf.raw[i] > rawM*a.tailC[i]
			thr := max(residue*margin, rawM) * a.tailC[i]
			masked = dB(thr/nc) > p.act.speech-p.act.spRange
		} else if a.layout == TwoParty {
			switch path := &a.path[i]; path.state {
			case leakPresent:
				level = dB(pf.eRes[i] / n)
				a.tail[i] = max(a.tail[i]*a.decay, pf.ePred[i])
				a.tailRoom[i] = max(a.tailRoom[i]*a.roomDecay, pf.ePred[i])
				if dB(a.tail[i]/n) > p.act.floor+p.act.holdSNR {
					// The leak matters in this frame: watch how well it
					// cancels now. Clock drift between the devices (or a
					// moved laptop) degrades it within seconds; refit the
					// taps at once when it has lost 3 dB.
					good := pf.eRes[i] <= 2*path.residue*a.tail[i]
					a.stats[i].tapsHeld(good)
					if a.live[i].add(good, a.cfg.VAD.LeakQuantile) && a.pos >= a.retrack[i] {
						a.due[i] = a.pos
						a.asked[i] = true
						if a.backoff[i] == 0 {
							a.backoff[i] = int64(a.rate) / 2
						}
						a.retrack[i] = a.pos + a.backoff[i]
						a.backoff[i] = min(2*a.backoff[i], int64(a.cfg.VAD.LeakTrack.Seconds()*float64(a.rate)))
					}
				}
				ok = pf.eRes[i] > path.residue*margin*a.tail[i] && pf.eRaw[i] > rawMargin*a.tail[i]
				if ok && !p.act.running && a.onTrial(i, path) {
					// Three taps model a room's direct path, not its
					// reverberation, which outlasts LeakTail: until the
					// canceller has had its trial (it models the whole
					// path), speech does not start on this channel under
					// the leak held with a room's decay. Running speech is
					// held as before, so the party's words just after the
					// other's are not cut.
					t := a.tailRoom[i]
					ok = pf.eRes[i] > path.residue*margin*t && pf.eRaw[i] > rawMargin*t
				} else if cf, room := a.roomCancel(i, path, k); ok && !p.act.running && room {
					// After its trial, a canceller that cancels (good) but
					// whose residue is no lower than the taps' is not
					// decided on; it still models the room's tail, which
					// the taps miss (the leak's words end, the room rings
					// on). So speech does not start where the channel does
					// not stand clear of the leak the canceller predicts,
					// by the margin the canceller's own decisions ask.
					ok = cf.raw[i] > cRawMargin*a.tailX[i]
				}
				// Masked: the party's usual speech (within SpeechRange of
				// its speech level) could not have passed those tests, so
				// a pause seen here is not known to be silence.
				thr := max(path.residue*margin, rawMargin) * a.tail[i]
				masked = dB(thr/n) > p.act.speech-p.act.spRange
			case leakUnknown:
				o := &a.party[1-i]
				var loudest float64 = -150
				for _, l := range o.recent {
					loudest = max(loudest, l)
				}
				loudest = max(loudest, raw[1-i])
				ok = raw[i] >= loudest-a.cfg.VAD.WarmupMargin
				// As under a known leak: a pause where the party's usual
				// speech could not have passed is not known to be silence
				// (the customer's first words over a talking rep, before
				// any leak is known, would otherwise end the rep's turn).
				masked = loudest-a.cfg.VAD.WarmupMargin > p.act.speech-p.act.spRange
			}
		}
		if a.layout == TwoParty && !useC && a.path[i].state == leakAbsent {
			// No leak found into this channel: a diffuse leak, if one was
			// measured, must still be stood clear of (diffuse.go).
			asIs[i] = true
			noise := math.Pow(10, p.act.floor/10)
			ok = ok && a.diff[i].clear(pf.eRaw[i]/n, noise)
		} else if a.layout == TwoParty && !useC && a.path[i].state == leakUnknown && a.absentOnce[i] {
			// One look found no leak, a second is awaited: a diffuse
			// leak's gain is learnt from the first, as if it had settled.
			asIs[i] = true
		}
		both := false // the other channel carries sound too
		if v := &a.cfg.VAD; a.layout == TwoParty && v.PartyVoiced && v.Mono.VoicedCorr > 0 {
			// On a channel with no leak on it, speech is held as the
			// one-channel detector holds it: voiced now and then, far
			// voices counted. Where the other party leaks in, a far voice
			// is likely its rest: the two-party limits stay. So they do
			// while the other channel carries sound too (above its floor
			// by what keeps speech running): with no leak between the
			// parties, a far voice both microphones hear at once is
			// someone else in the room, not this party.
			free := a.leakFree(i) || a.reverseUnder(i, k)
			// The voicing test holds wherever the channel is judged as it
			// is, no leak model used on it — leak-free, or with a
			// canceller started for it that has not proved better than
			// nothing: what passes there is the channel's own sound, and
			// a close microphone's breath and handling noise is loud but
			// not voiced.
			p.act.gate = !useC && a.path[i].state != leakPresent
			p.act.spRange, p.act.spHold, p.act.onMin = v.SpeechRange, v.SpeechHold, v.OnsetLevel
			o := &a.party[1-i]
			both = raw[1-i] > o.act.floor+o.act.holdSNR
			if free && !both {
				p.act.spRange, p.act.spHold = or(v.PartySpeechRange, v.SpeechRange), or(v.PartySpeechHold, v.SpeechHold)
				p.act.onMin = or(v.PartyOnsetLevel, v.OnsetLevel)
			}
			if st := &a.stats[i]; both && st.speechN >= roomVoiceFrames {
				// While both channels carry sound, speech does not start
				// on a frame further under the party's own speech (its
				// mean level so far) than running speech may sink below
				// it: a voice that far down on this microphone, heard by
				// the other at the same time, is a third talker in the
				// room or the rest of a leak, whether or not a leak is
				// known (a leak model predicts the other party, not a
				// third voice).
				own := dB(st.speechE / float64(st.speechN))
				p.act.onMin = max(p.act.onMin, own-v.SpeechRange-v.SpeechHold)
			}
		}
		voiced := false
		vc := a.voice
		if a.layout == TwoParty {
			vc = a.voices[i]
		}
		if vc != nil && level > p.act.floor+p.act.holdSNR && p.act.wantsVoicing(k) {
			// Only frames loud enough to matter pay for the voicing test.
			// While the other channel carries sound, this one's voicing
			// is measured in the speech band: a close microphone's
			// breath and handling rumble, strong below it and now and
			// then periodic, would otherwise pass for this party's
			// speech beside the other's (with no one else talking the
			// full band holds far, quiet voices better). Nor does a
			// voiced frame too quiet to start speech lend its voicing to
			// a louder run just after it: the other party's faint leak
			// is voiced, the breath that follows it is not.
			switch {
			case both && !p.act.running && level <= p.act.onMin:
			case both:
				voiced = vc.corrBand() >= a.cfg.VAD.Mono.VoicedCorr
			default:
				voiced = vc.corr() >= a.cfg.VAD.Mono.VoicedCorr
			}
		}
		if a.cep != nil && level > p.act.floor+p.act.holdSNR {
			// Features only for frames that can be speech.
			a.cep.Frame(&a.fbuf)
			a.feats.add(k, &a.fbuf)
		}
		cand := p.act.step(k, level, pf.gap[i], ok, masked, voiced)
		if rv := a.repVoice; i == 0 && rv != nil && cand && !rv.full() {
			// The rep's own speech (crosstalk excluded) only. (Frames are
			// decided a few frames late, lat, for the canceller: the
			// features taken are those of now, within 60 ms of frame k.)
			rv.cep.Frame(&a.fbuf)
			rv.feats.add(k, &a.fbuf)
		}
		a.stats[i].frame(raw[i], pf.eRaw[i]/n, cand)
		if o := &a.party[1-i]; a.layout == TwoParty && o.loud[int((k-int64(1-i)+int64(len(o.loud)))%int64(len(o.loud)))] {
			// The other party spoke (in this frame, or the one before
			// when it is decided after this one): could this party
			// have been heard?
			a.stats[i].underOther++
			if masked {
				a.stats[i].masked++
			}
		}
		if !cand {
			// A frame the party did not speak in, where a leak mattered:
			// what subtracting it achieved there (the diagnosis's
			// "cancelled", measured, not fitted).
			// The channel's noise is not the leak's: it is taken out of
			// both sides.
			noise := math.Pow(10, p.act.floor/10)
			switch {
			case useC && dB(a.tailC[i]/float64(cf.n)) > p.act.floor+p.act.holdSNR:
				nc := noise * float64(cf.n)
				a.stats[i].leakOnly(cf.raw[i]-nc, cf.res[i]-nc)
			case !useC && a.layout == TwoParty && a.path[i].state == leakPresent && dB(a.tail[i]/n) > p.act.floor+p.act.holdSNR:
				a.stats[i].leakOnly(pf.eRaw[i]-noise*n, pf.eRes[i]-noise*n)
			}
		}
		p.level = raw[i]
		if a.layout == TwoParty {
			// The party's own speech (crosstalk excluded) is what shows a
			// leak from it on the other channel.
			loud := cand
			w := int(k % int64(len(p.loud)))
			if p.loud[w] {
				p.nLoud--
			}
			p.loud[w] = loud
			if loud {
				p.nLoud++
			}
		}
	}
	for i := 0; i < parties; i++ {
		a.party[i].recent[slot] = raw[i]
	}
	if a.layout == TwoParty {
		w := int(k % int64(len(a.party[0].loud)))
		for i := range a.diff {
			if asIs[i] && a.party[1-i].loud[w] {
				a.diff[i].learn(pf.eRaw[i]/n, math.Pow(10, a.party[i].act.floor/10))
			}
		}
	}
}

// maybeEstimate re-estimates the crosstalk paths whose turn has come and
// whose source was active enough in the window to show a leak. A stable
// leak is tracked cheaply (its lag refined nearby, taps refitted) every
// LeakTrack; a full correlation runs every LeakStable, or LeakEarly until
// estimates agree.
func (a *Analyzer) maybeEstimate() {
	if !a.leak.ready(a.pos) {
		return
	}
	var active, due, handled [2]bool
	full := false
	for dst := 0; dst < 2; dst++ {
		src := &a.party[1-dst]
		active[dst] = src.nLoud*4 >= len(src.loud)
		due[dst] = active[dst] && a.pos >= a.due[dst]
		// A settled leak the canceller removes better than three taps
		// (its residual is the one decided on) is tracked every
		// LeakTrack, not at the pace of its drift.
		handled[dst] = a.xc != nil && a.xc.better(dst, &a.path[dst])
		if due[dst] && (a.path[dst].state != leakPresent || a.path[dst].agree < 2 || a.pos >= a.full[dst]) {
			full = true
		}
	}
	if !due[0] && !due[1] {
		return
	}
	var into [2]leakPath
	var ok [2]bool
	if full {
		// One correlation serves both directions: update every path whose
		// source spoke enough, due or not, so the two stay in step.
		into, ok = a.leak.estimate(a.leak.w, active, a.cfg.VAD)
		due = active
	} else {
		for dst := 0; dst < 2; dst++ {
			if due[dst] {
				// A scheduled track looks a few samples around the lag,
				// further when the lag is known to drift; a refit the
				// tracker asked for (cancellation lost) as far as clock
				// drift of up to 100 ppm can have moved it (at most 2 ms;
				// beyond that the full correlation finds it).
				since := a.pos - a.fitAt[dst]
				r := trackRadius
				switch {
				case a.asked[dst]:
					r += int(since / 10000)
				case a.driftEvery[dst] > 0:
					r += int(since / (2 * a.driftEvery[dst]))
				}
				a.asked[dst] = false
				// A drifting lag is fitted on the last half second, so
				// the taps are those of now, not of half a second ago.
				win := a.leak.window
				if a.driftEvery[dst] > 0 {
					win = a.rate / 2
				}
				into[dst], ok[dst] = a.leak.fit(a.leak.w, dst, a.path[dst].peakLag, min(r, a.rate/500), win, a.cfg.VAD)
			}
		}
	}
	secs := func(d time.Duration) int64 { return int64(d.Seconds() * float64(a.rate)) }
	for dst := 0; dst < 2; dst++ {
		if !due[dst] {
			continue
		}
		if full {
			a.full[dst] = a.pos + secs(a.cfg.VAD.LeakStable)
		}
		a.due[dst] = a.pos + secs(a.cfg.VAD.LeakEarly)
		if !ok[dst] {
			continue
		}
		old := &a.path[dst]
		nw := into[dst]
		if old.state == leakUnknown && nw.state == leakAbsent && !a.absentOnce[dst] {
			// The first look found no leak: perhaps there is none, perhaps
			// a second holding a fraction of a second of its source could
			// not show one (a room's leak 36 ms late under the customer's
			// first words). Until a second look agrees, the channel stays
			// under the warm-up rule: judged as it is, all of a leak would
			// pass as speech.
			a.absentOnce[dst] = true
			continue
		}
		if old.state == leakPresent && nw.state == leakAbsent && old.misses < 2 {
			// A reverberant leak's peak can dip below the threshold in
			// one window; a known leak is dropped only after three
			// windows in a row without it.
			old.misses++
			continue
		}
		if nw.state == leakPresent && old.state == leakPresent && nw.peakLag != old.peakLag {
			// The lag moved. Twice the same way is drift between the two
			// devices' clocks (a jitter of a sample goes back and forth):
			// track often enough that it never moves half a sample unseen.
			dir := 1
			if nw.peakLag < old.peakLag {
				dir = -1
			}
			if dir == a.driftDir[dst] && a.pos > a.fitAt[dst] {
				a.backoff[dst] = 0
				a.driftEvery[dst] = (a.pos - a.fitAt[dst]) / int64(2*abs(nw.peakLag-old.peakLag))
			} else {
				a.driftEvery[dst] = 0
			}
			a.driftDir[dst] = dir
		}
		if old.state != leakUnknown && old.agrees(&nw) {
			nw.agree = old.agree + 1
			if nw.state == leakPresent && old.state == leakPresent {
				// The same path: average the residue over fits (in dB),
				// a new one counting at most 6 dB worse than the old —
				// a window full of the receiving party's own speech
				// (double talk) inflates it, while the minimum over many
				// fits would be too optimistic.
				nw.residue = math.Sqrt(old.residue * min(nw.residue, 4*old.residue))
			}
		}
		a.path[dst] = nw
		a.live[dst].reset()
		a.fitAt[dst] = a.pos
		if nw.agree >= 2 {
			if nw.state == leakPresent {
				every := secs(a.cfg.VAD.LeakTrack)
				if d := a.driftEvery[dst]; d > 0 {
					every = min(every, max(d, int64(a.rate)/4))
				}
				a.due[dst] = a.pos + every
			} else if a.leak.nAvg-a.primedAvg >= avgFull {
				a.due[dst] = a.pos + secs(a.cfg.VAD.LeakStable)
			}
			// else: keep looking every LeakEarly until the averaged
			// cross spectrum has seen avgFull windows (a weak leak shows
			// only there).
		}
	}
	a.maybeCancel()
}

// maybeCancel hands the leaks the three-tap model cannot remove (less than
// CancelFrom: a voice through a room) to the adaptive canceller. The
// canceller starts on the last second of both channels, so it has learnt
// something by the time its residual is needed.
//
// A leak through the air usually runs both ways (two microphones in one
// room), and one that arrives within the look-ahead of its reference may
// be either way round (a device that delivers late makes a leak look
// early, or reversed): such a leak starts both directions, and the
// canceller's own measurements decide which one helps (canceller.better).
func (a *Analyzer) maybeCancel() {
	la := int(a.cfg.VAD.CancelLookahead.Seconds() * float64(a.rate))
	for dst := 0; dst < 2; dst++ {
		p := &a.path[dst]
		weak := false
		if w := &a.leak.weak[dst]; p.state != leakPresent && w.gainDB != 0 {
			p, weak = w, true
		} else if p.state != leakPresent || -10*math.Log10(p.residue) >= a.cfg.VAD.CancelFrom {
			continue
		}
		if a.xc == nil {
			L := a.leak
			h := min(a.pos, int64(L.w), int64(a.rate))
			a.xc = newCanceller(a.rate, a.fp, a.fq, a.pos-h, a.cfg.VAD)
			a.xc.start(dst, p.gainDB)
			a.xc.write(L.ring[0][L.w-int(h):L.w], L.ring[1][L.w-int(h):L.w])
		}
		a.xc.start(dst, p.gainDB)
		if o := &a.path[1-dst]; (weak || abs(p.peakLag) <= la) && !a.tapsSuffice(o) {
			a.xc.start(1-dst, p.gainDB)
		}
	}
	if a.xc == nil {
		return
	}
	for dst := range a.xc.dir {
		// A direction that had its trial and does no better than three
		// taps that suffice costs time for nothing.
		if d := &a.xc.dir[dst]; d.on && d.adapted >= cancelTrial && a.tapsSuffice(&a.path[dst]) && !a.xc.better(dst, &a.path[dst]) {
			a.xc.stop(dst)
		}
	}
}

// leakFree reports whether no leak of the other party is known on
// channel i: none found (or not looked for yet), none weak, no canceller.
func (a *Analyzer) leakFree(i int) bool {
	return a.path[i].state != leakPresent && a.leak.weak[i].gainDB == 0 && (a.xc == nil || !a.xc.dir[i].on)
}

// reverseUnder reports whether channel i, judged as it is though the
// canceller runs a direction into it, may take the party's own limits
// (PartySpeechHold: speech runs on 30 dB under the party's level, not
// 20): no leak was found into it, the leak found the other way (for which
// the reverse direction was started) is fainter than diffuseFloor — a
// microphone that hears the other party that faintly says nothing of a
// leak back worth the stricter limits — and the channel stands LeakMargin
// clear of what that direction predicts in frame k (held with the leak's
// tail). On the real close-talk pair the rep's voice was found at −45 dB
// on the summed customer channel, and the stricter limits cut her quiet
// speech, 20-30 dB under her level, out of her turns (rep recall 0.77).
func (a *Analyzer) reverseUnder(i int, k int64) bool {
	if a.path[i].state == leakPresent || a.leak.weak[i].gainDB != 0 || a.xc == nil || !a.xc.dir[i].on {
		return false
	}
	g := a.leak.weak[1-i].gainDB
	if o := &a.path[1-i]; o.state == leakPresent && (g == 0 || o.gainDB > g) {
		g = o.gainDB
	}
	if g == 0 || g >= diffuseFloor {
		return false
	}
	cf, ok := a.xc.frame(k)
	if !ok || !cf.on[i] || cf.n == 0 {
		a.revTail[i] = 0
		return false
	}
	a.revTail[i] = max(a.revTail[i]*a.decay, cf.pred[i])
	return a.revTail[i]*math.Pow(10, a.cfg.VAD.LeakMargin/10) < cf.raw[i]
}

// roomVoiceFrames: frames of a party's speech before its mean level bars a
// room's far voices from starting speech on its channel (1 s).
const roomVoiceFrames = 100

func or(x, y float64) float64 {
	if x != 0 {
		return x
	}
	return y
}

// onTrial reports whether channel i's known leak p is one three taps do
// not model (a voice through a room) while the canceller started for it
// has not yet had its trial.
func (a *Analyzer) onTrial(i int, p *leakPath) bool {
	return !a.tapsSuffice(p) && a.xc != nil && a.xc.dir[i].on && a.xc.dir[i].adapted < cancelTrial
}

// holdCancelled holds the leak the canceller predicts on channel i in
// frame k (tailX), or forgets it where the canceller has no frame for it.
func (a *Analyzer) holdCancelled(i int, k int64) {
	if a.xc == nil || !a.xc.dir[i].on {
		a.tailX[i] = 0
		return
	}
	cf, ok := a.xc.frame(k)
	if !ok || !cf.on[i] || cf.n == 0 {
		a.tailX[i] = 0
		return
	}
	a.tailX[i] = max(a.tailX[i]*a.decay, cf.pred[i])
}

// roomCancel returns the canceller's frame k when three taps decide
// channel i's known leak p, one they do not model (a voice through a
// room), though the canceller started for it has had its trial and
// cancels (good): its residue at the leak's loud frames is no lower than
// the taps', yet it models the reverberation they miss.
func (a *Analyzer) roomCancel(i int, p *leakPath, k int64) (cancelFrame, bool) {
	if a.tapsSuffice(p) || a.xc == nil {
		return cancelFrame{}, false
	}
	if d := &a.xc.dir[i]; !d.on || !d.good || d.adapted < cancelTrial {
		return cancelFrame{}, false
	}
	cf, ok := a.xc.frame(k)
	if !ok || !cf.on[i] || cf.n == 0 {
		return cancelFrame{}, false
	}
	return cf, true
}

// roomTail: the reverberation a leak through a room is held with while
// three taps decide it (onTrial): the longest of the rooms the canceller
// is built for (RT60 0.6 s).
const roomTail = 600 * time.Millisecond

// tapsSuffice reports whether the three-tap model removes a known leak
// well enough (CancelFrom) that no canceller is needed for it.
func (a *Analyzer) tapsSuffice(p *leakPath) bool {
	return p.state == leakPresent && -10*math.Log10(p.residue) >= a.cfg.VAD.CancelFrom
}

// Levels returns the latest 10 ms level of each channel in dBFS (mean
// square of the high-passed signal; −150 for silence), for the live meter.
// For OneChannel, customer is −150.
func (a *Analyzer) Levels() (rep, customer float32) {
	if a.same != nil && a.same.identical {
		return a.same.child.Levels()
	}
	if a.layout == OneChannel {
		return float32(a.lastRaw[0]), -150
	}
	return float32(a.lastRaw[0]), float32(a.lastRaw[1])
}

// Snapshot returns the figures so far; segments still open are closed
// provisionally at their last active frame. Cheap enough for 10 Hz.
func (a *Analyzer) Snapshot() Result {
	if a.done {
		return a.final
	}
	if a.prime != nil {
		return a.prime.scout.Snapshot()
	}
	return a.result(false, true)
}

// SnapshotFigures is Snapshot without the verdict and the recording's
// diagnosis (Listening and Recording are empty; Notes are left out): the
// talk, share, segments and interruptions a live panel shows, for a
// fraction of the cost — the verdict's reasons were nine tenths of a live
// snapshot's allocations and a third of its time.
func (a *Analyzer) SnapshotFigures() Result {
	if a.done || a.prime != nil || (a.same != nil && a.same.identical) {
		return a.Snapshot()
	}
	return a.result(false, false)
}

// Finish ends the input and returns the final figures. Later calls return
// the same figures; later Writes are ignored.
func (a *Analyzer) Finish() Result {
	if !a.done && a.prime != nil {
		a.endPrime()
	}
	if !a.done {
		if a.xc != nil {
			// Run the canceller past the end so the last frames have
			// their residual.
			for need := int64(a.xc.latency()+2) * a.fp / a.fq; need > 0; {
				m := min(need, int64(len(a.zeros)))
				clear(a.zeros[:m])
				a.xc.write(a.zeros[:m], a.zeros[:m])
				need -= m
			}
		}
		if a.layout == TwoParty {
			// The last frames' residuals, with silence after the end.
			L := a.leak
			L.room(a.resLag)
			clear(L.ring[0][L.w : L.w+a.resLag])
			clear(L.ring[1][L.w : L.w+a.resLag])
			a.residuals(a.pos, a.pos)
		}
		for ; a.decided < a.k; a.decided++ {
			a.decide(a.decided)
		}
		a.final = a.result(true, true)
		a.done = true
	}
	return a.final
}

// result computes the figures; without full, only those SnapshotFigures
// returns.
func (a *Analyzer) result(final, full bool) Result {
	if a.same != nil {
		if final && !a.same.decided {
			a.same.decideAtEnd()
		}
		if a.same.identical {
			return a.same.result(final)
		}
	}
	parties := 2
	if a.layout == OneChannel {
		parties = 1
	}
	var lists [2][]Segment
	total := 0
	for i := 0; i < parties; i++ {
		g := &a.party[i].act.seg
		if final {
			g.close()
			lists[i] = g.closed
		} else {
			lists[i] = g.closed
			if s, ok := g.provisional(); ok {
				lists[i] = append(lists[i][:len(lists[i]):len(lists[i])], s)
			}
		}
		total += len(lists[i])
	}
	// Merge by start: each party's segments stay in time order.
	segs := make([]Segment, 0, total)
	x, y := lists[0], lists[1]
	for len(x) > 0 || len(y) > 0 {
		if len(y) == 0 || (len(x) > 0 && x[0].Start <= y[0].Start) {
			segs, x = append(segs, x[0]), x[1:]
		} else {
			segs, y = append(segs, y[0]), y[1:]
		}
	}
	dur := time.Duration(float64(a.pos) / float64(a.rate) * float64(time.Second))
	var r Result
	if d, ok := a.diarize(final, segs); ok {
		r = measureSplit(d.Split, d, dur, a.cfg)
	} else {
		r = measureCall(segs, a.layout, dur, a.cfg, full)
	}
	if !full {
		return r
	}
	r.Notes = append(r.Notes, a.notes()...)
	if final && a.repVoice != nil {
		r.RepVoice = a.repVoice.print()
	}
	r.Recording = a.recording()
	if r.Recording.withheld() != "" {
		// The diagnosis comes after the figures: judge again with it.
		r.Listening = Judge(&r, a.cfg.Verdict)
	}
	return r
}

// notes are the plain sentences only the detector can write.
func (a *Analyzer) notes() []string {
	var out []string
	if a.layout == TwoParty {
		// when says how late (or, from two devices' latencies, how early)
		// the leak arrives.
		when := func(p *leakPath) string {
			ms := float64(p.peakLag) * 1000 / float64(a.rate)
			if ms < -0.5 {
				return fmt.Sprintf("%.0f ms early", -ms)
			}
			return fmt.Sprintf("%.0f ms late", max(0, ms))
		}
		if p := &a.path[0]; p.state == leakPresent {
			out = append(out, fmt.Sprintf("The customer is heard on the rep's microphone (crosstalk about %s, %.0f dB quieter); it was not counted as the rep's speech.", when(p), -p.gainDB))
		}
		if p := &a.path[1]; p.state == leakPresent {
			out = append(out, fmt.Sprintf("The rep is heard on the customer channel (sidetone about %s, %.0f dB quieter); it was not counted as the customer's speech.", when(p), -p.gainDB))
		}
	}
	if a.invalid > 0 {
		out = append(out, fmt.Sprintf("%d samples were not numbers (NaN or infinity) and were taken as silence.", a.invalid))
	}
	if a.clipped > 0 {
		out = append(out, fmt.Sprintf("%d samples were beyond full scale and were clipped.", a.clipped))
	}
	return out
}

// biquad is a 2nd-order Butterworth high-pass in direct form I, the form
// whose feedback path is shortest (one multiply and one add per sample).
type biquad struct {
	b0, b1, b2, a1, a2 float64
	c1, c2             float64 // a1²−a2 and a1·a2, for step2
	x1, x2, y1, y2     float64
}

// newHighPass returns a high-pass at cut Hz, or a pass-through for cut 0.
func newHighPass(cut float64, rate int) biquad {
	if cut <= 0 {
		return biquad{b0: 1}
	}
	w := 2 * math.Pi * cut / float64(rate)
	sn, cs := math.Sincos(w)
	alpha := sn / math.Sqrt2 // Q = 1/√2
	a0 := 1 + alpha
	f := biquad{
		b0: (1 + cs) / 2 / a0,
		b1: -(1 + cs) / a0,
		b2: (1 + cs) / 2 / a0,
		a1: -2 * cs / a0,
		a2: (1 - alpha) / a0,
	}
	f.c1, f.c2 = f.a1*f.a1-f.a2, f.a1*f.a2
	return f
}

// step2 filters two samples at once. The second output is written in
// terms of the state before the first (y[n+1] = ff[n+1] − a1·ff[n] +
// (a1²−a2)·y[n−1] + a1·a2·y[n−2]), so the feedback chain — the bound on
// speed — is one multiply-add per two samples.
func (f *biquad) step2(x0, x1 float64) (float64, float64) {
	ff0 := f.b0*x0 + f.b1*f.x1 + f.b2*f.x2
	ff1 := f.b0*x1 + f.b1*x0 + f.b2*f.x1
	y0 := ff0 - f.a1*f.y1 - f.a2*f.y2
	y1 := (ff1 - f.a1*ff0) + f.c1*f.y1 + f.c2*f.y2
	f.x2, f.x1 = x0, x1
	f.y2, f.y1 = y0, y1
	return y0, y1
}

func (f *biquad) step(x float64) float64 {
	ff := f.b0*x + f.b1*f.x1 + f.b2*f.x2 - f.a2*f.y2
	y := ff - f.a1*f.y1
	f.x2, f.x1 = f.x1, x
	f.y2, f.y1 = f.y1, y
	return y
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
