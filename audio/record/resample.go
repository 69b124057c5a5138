package record

import "math"

// vresampler converts one channel between rates with a step (input samples
// per output sample) the caller may change before every call, so that the
// aligner can follow a device clock that drifts. It is a windowed-sinc
// interpolator (Blackman window, a table of phases), low-passed below the
// lower of the two Nyquist frequencies so that downsampling a 48 kHz
// microphone to 16 kHz does not fold hiss into the speech band.
//
// audio's fixed-ratio resampler converts whole files; this one exists
// because the recorder needs a ratio that moves by parts per million while
// samples stream through.
type vresampler struct {
	half   int       // taps on each side of the output position
	phases int       // table rows per input sample
	table  []float32 // (phases+1) rows of 2*half taps
	hist   []float32 // input samples; hist[0] is absolute input index base
	base   int64
	pos    float64 // position of the next output, relative to hist[0]
}

const (
	resampleZeros  = 8    // sinc zero crossings on each side, at the cutoff
	resamplePhases = 256  // table resolution: 1/256 of an input sample
	resampleGuard  = 0.92 // cutoff as a fraction of the lower Nyquist
)

// newVResampler returns a resampler for a nominal step of in/out. The first
// output sample lands on input sample 0.
func newVResampler(in, out float64) *vresampler {
	cut := resampleGuard * math.Min(1, out/in) // cycles per input sample, relative to input Nyquist
	half := int(math.Ceil(resampleZeros / cut))
	r := &vresampler{half: half, phases: resamplePhases}
	taps := 2 * half
	r.table = make([]float32, (r.phases+1)*taps)
	for p := 0; p <= r.phases; p++ {
		frac := float64(p) / float64(r.phases)
		row := r.table[p*taps : (p+1)*taps]
		sum := 0.0
		vals := make([]float64, taps)
		for j := range taps {
			// tap j multiplies input sample i-half+1+j; its distance from
			// the output position i+frac:
			d := float64(j-half+1) - frac
			x := d * cut
			s := 1.0
			if x != 0 {
				s = math.Sin(math.Pi*x) / (math.Pi * x)
			}
			w := 0.0
			if u := d / float64(half); u > -1 && u < 1 {
				w = 0.42 + 0.5*math.Cos(math.Pi*u) + 0.08*math.Cos(2*math.Pi*u)
			}
			vals[j] = s * w
			sum += vals[j]
		}
		for j := range taps {
			row[j] = float32(vals[j] / sum)
		}
	}
	// Start with half-1 zeros of history so that output 0 sits on input 0.
	r.hist = make([]float32, half-1, 4096)
	r.base = -int64(half - 1)
	r.pos = float64(half - 1)
	return r
}

// Push appends input samples.
func (r *vresampler) Push(in []float32) { r.hist = append(r.hist, in...) }

// PushZeros appends n silent input samples.
func (r *vresampler) PushZeros(n int) {
	for ; n > 0; n-- {
		r.hist = append(r.hist, 0)
	}
}

// Position is the absolute input position of the next output sample.
func (r *vresampler) Position() float64 { return float64(r.base) + r.pos }

// Input is the absolute index one past the last input sample pushed.
func (r *vresampler) Input() int64 { return r.base + int64(len(r.hist)) }

// Skip moves the output position n input samples forward (n may exceed
// what has been pushed; later input fills the gap).
func (r *vresampler) Skip(n float64) { r.pos += n }

// Trim forgets all but the newest keep input samples, keeping Position: a
// stream that waits for the other to start must not pile up audio.
func (r *vresampler) Trim(keep int) {
	drop := len(r.hist) - keep
	if drop <= 0 {
		return
	}
	n := copy(r.hist, r.hist[drop:])
	r.hist = r.hist[:n]
	r.base += int64(drop)
	r.pos -= float64(drop)
}

// clamp moves a position that points before the history kept (after Trim)
// to the first output the history can make.
func (r *vresampler) clamp() {
	if first := float64(r.half - 1); r.pos < first {
		r.pos = first
	}
}

// Ready returns how many output samples can be made now at this step.
func (r *vresampler) Ready(step float64) int {
	// Output k needs input up to floor(pos+k*step)+half < len(hist).
	last := float64(len(r.hist)-r.half-1) - r.pos
	if last < 0 {
		return 0
	}
	return int(last/step) + 1
}

// Pull writes len(out) output samples (the caller checked Ready) advancing
// step input samples per output, then forgets input it no longer needs.
func (r *vresampler) Pull(out []float32, step float64) {
	taps := 2 * r.half
	for k := range out {
		i := int(r.pos)
		frac := r.pos - float64(i)
		p := int(frac*float64(r.phases) + 0.5)
		row := r.table[p*taps : (p+1)*taps : (p+1)*taps]
		src := r.hist[i-r.half+1 : i+r.half+1 : i+r.half+1]
		// Four sums at a time (taps is even; a last pair is added
		// apart): the additions no longer wait on each other.
		var a0, a1, a2, a3 float32
		j := 0
		for ; j+4 <= taps; j += 4 {
			c, x := row[j:j+4:j+4], src[j:j+4:j+4]
			a0 += c[0] * x[0]
			a1 += c[1] * x[1]
			a2 += c[2] * x[2]
			a3 += c[3] * x[3]
		}
		if j < taps {
			a0 += row[j] * src[j]
			a1 += row[j+1] * src[j+1]
		}
		out[k] = (a0 + a2) + (a1 + a3)
		r.pos += step
	}
	// Forget what no future output can reach.
	drop := int(r.pos) - r.half + 1
	if drop > len(r.hist) {
		drop = len(r.hist)
	}
	if drop > len(r.hist)/2 && drop > 0 {
		n := copy(r.hist, r.hist[drop:])
		r.hist = r.hist[:n]
		r.base += int64(drop)
		r.pos -= float64(drop)
	}
}
