package record

import (
	"math"
	"testing"
)

// TestResampleSine converts a 1 kHz tone between common rates: the output
// holds the tone at its amplitude and in phase with the input's timeline
// (output sample n is input time n/out).
func TestResampleSine(t *testing.T) {
	tests := []struct{ in, out float64 }{
		{48000, 16000}, {44100, 16000}, {16000, 16000}, {8000, 16000}, {48000, 44100},
	}
	for _, tt := range tests {
		r := newVResampler(tt.in, tt.out)
		const f = 1000.0
		in := make([]float32, int(tt.in)) // one second
		for i := range in {
			in[i] = float32(0.5 * math.Sin(2*math.Pi*f*float64(i)/tt.in))
		}
		r.Push(in)
		step := tt.in / tt.out
		n := r.Ready(step)
		if want := int(tt.out) - int(float64(r.half)/step) - 2; n < want {
			t.Fatalf("%v->%v: ready got %d, want at least %d", tt.in, tt.out, n, want)
		}
		out := make([]float32, n)
		r.Pull(out, step)
		var maxErr float64
		for k := int(tt.out / 50); k < n; k++ { // skip the start-up ramp
			want := 0.5 * math.Sin(2*math.Pi*f*float64(k)/tt.out)
			maxErr = math.Max(maxErr, math.Abs(float64(out[k])-want))
		}
		if maxErr > 0.01 {
			t.Errorf("%v->%v: max error got %.4f, want <= 0.01", tt.in, tt.out, maxErr)
		}
	}
}

// TestResampleRejectsAliases: a 12 kHz tone at 48 kHz must not fold into
// the 16 kHz output's band.
func TestResampleRejectsAliases(t *testing.T) {
	r := newVResampler(48000, 16000)
	in := make([]float32, 48000)
	for i := range in {
		in[i] = float32(0.5 * math.Sin(2*math.Pi*12000*float64(i)/48000))
	}
	r.Push(in)
	out := make([]float32, r.Ready(3))
	r.Pull(out, 3)
	var sq float64
	for _, v := range out[1000:] {
		sq += float64(v) * float64(v)
	}
	rms := math.Sqrt(sq / float64(len(out)-1000))
	if db := 20 * math.Log10(rms/0.354); db > -50 {
		t.Errorf("alias level got %.1f dB, want below -50 dB", db)
	}
}

func BenchmarkResample48to16(b *testing.B) {
	r := newVResampler(48000, 16000)
	in := make([]float32, 480) // 10 ms
	out := make([]float32, 160)
	b.ReportAllocs()
	for b.Loop() {
		r.Push(in)
		r.Pull(out[:r.Ready(3)], 3)
	}
}
