package pulsetest

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// TestJumps: a recording that follows the call continuously has no jump,
// nor one whose time base bends as the recorder's may; one with audio
// inserted or lost mid-call has one, near that moment, of that size.
func TestJumps(t *testing.T) {
	const rate = 16000
	rng := rand.New(rand.NewPCG(1, 2))
	call := make([]float32, 6*rate)
	for i := 0; i < len(call); { // bursts and pauses of random length, as speech has
		n := 1600 + rng.IntN(8000)
		var lp1, lp2 float64
		for j := i; j < min(i+n, len(call)); j++ {
			lp1 += 0.1 * (rng.NormFloat64() - lp1) // low-passed, as speech is
			lp2 += 0.1 * (lp1 - lp2)
			call[j] = float32(lp2)
		}
		i += n + 800 + rng.IntN(4000)
	}
	// bent is the call played 0.2 % slow: the time base a recorder
	// following the system clock may bend.
	bent := make([]float32, int(float64(len(call))*1.002))
	for i := range bent {
		x := float64(i) / 1.002
		k := int(x)
		if k+1 >= len(call) {
			break
		}
		f := float32(x - float64(k))
		bent[i] = call[k]*(1-f) + call[k+1]*f
	}
	lead := make([]float32, 1234)
	join := func(parts ...[]float32) []float32 {
		var out []float32
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	cut := 2*rate + 5000
	for _, tc := range []struct {
		name    string
		rec     []float32
		shift   int
		dropout bool // the insertion is digital silence: the device's
	}{
		{"continuous", join(lead, call, lead), 0, false},
		{"bent", join(lead, bent, lead), 0, false},
		{"inserted silence", join(lead, call[:cut], make([]float32, 3000), call[cut:], lead), 3000, true},
		{"repeated", join(lead, call[:cut], call[cut-3000:cut], call[cut:], lead), 3000, false},
		{"lost", join(lead, call[:cut], call[cut+2400:], lead), -2400, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lag := refineLag(call, tc.rec, len(lead)/80*80, 160)
			if tc.name != "bent" && lag != len(lead) {
				t.Fatalf("the call's start got %d, want %d", lag, len(lead))
			}
			ps := track(call, tc.rec, lag, rate)
			if len(ps) < 12 {
				t.Fatalf("placed %d blocks, want most of the call's 24", len(ps))
			}
			js := jumps(ps, rate)
			if tc.name == "bent" {
				if w := wanderOf(ps); w < 150 || w > 250 {
					t.Errorf("wander got %d samples, want about 0.2 %% of 6 s (192)", w)
				}
				if d, n := skewOf(ps, ps); d != 0 || n != len(ps) {
					t.Errorf("skew of a channel against itself got %d over %d blocks, want 0 over %d", d, n, len(ps))
				}
			}
			if tc.shift == 0 {
				if len(js) != 0 {
					t.Errorf("jumps got %v, want none", js)
				}
				return
			}
			want := time.Duration(tc.shift) * time.Second / rate
			if len(js) != 1 || js[0].Shift != want || js[0].At < time.Second || js[0].At > 4*time.Second {
				t.Fatalf("jumps got %v, want one of %v near 2.3 s", js, want)
			}
			// An insertion of digital silence is the device's dropout,
			// and the time base is measured across it; audio repeated or
			// lost is the recorder's.
			rest, drops := dropouts(js, [][]float32{call, call}, [][]float32{tc.rec, tc.rec}, rate)
			if tc.dropout {
				if len(rest) != 0 || len(drops) != 1 || (drops[0].Silence-want).Abs() > time.Millisecond {
					t.Errorf("got jumps %v, dropouts %v; want one dropout of %v of silence", rest, drops, want)
				}
				if w := wanderOf(across(ps, drops, rate)); w != 0 {
					t.Errorf("wander across the dropout got %d samples, want 0", w)
				}
			} else if len(rest) != 1 || len(drops) != 0 {
				t.Errorf("got jumps %v, dropouts %v; want the jump kept", rest, drops)
			}
			// Silence in one channel only is not the device's.
			other := make([]float32, len(tc.rec))
			for i := range other {
				other[i] = 0.01
			}
			if _, drops := dropouts(js, [][]float32{call, call}, [][]float32{tc.rec, other}, rate); len(drops) != 0 {
				t.Errorf("with the other channel carrying sound got dropouts %v, want none", drops)
			}
		})
	}
}

// TestDropoutBothChannels: a dropout is in every channel of the recording,
// so the one found on the channel that talks across it also bends the
// other's time base back, though that one is silent for seconds around
// it (too long between its placed blocks for a 21 ms shift to be a
// jump): measured once on PipeWire, the customer's wander read 21 ms.
func TestDropoutBothChannels(t *testing.T) {
	const rate = 16000
	rng := rand.New(rand.NewPCG(3, 4))
	burst := func(x []float32) {
		var lp1, lp2 float64
		for j := range x {
			lp1 += 0.1 * (rng.NormFloat64() - lp1)
			lp2 += 0.1 * (lp1 - lp2)
			x[j] = float32(lp2) + float32(rng.NormFloat64()*1e-4) // and noise
		}
	}
	var call [2][]float32
	for ch := range 2 {
		call[ch] = make([]float32, 8*rate)
		for i := range call[ch] {
			call[ch][i] = float32(rng.NormFloat64() * 1e-4) // the line's noise
		}
	}
	burst(call[0][rate : 7*rate])          // the rep talks through the dropout
	burst(call[1][rate/2 : 2*rate])        // the customer before it
	burst(call[1][6*rate : 7*rate+rate/2]) // and long after it
	cut, gap := 4*rate, 341                // 21.3 ms of digital silence at 4 s
	var rec [2][]float32
	for ch := range 2 {
		rec[ch] = append(append(append(make([]float32, 800), call[ch][:cut]...), make([]float32, gap)...), call[ch][cut:]...)
	}
	r := compare(call, rec, rate)
	if len(r.Jumps) != 0 || len(r.Dropouts) != 1 {
		t.Fatalf("jumps %v, dropouts %v: want one dropout", r.Jumps, r.Dropouts)
	}
	want := time.Duration(gap) * time.Second / rate
	if d := r.Dropouts[0]; d.Channel != 0 || (d.Shift-want).Abs() > time.Millisecond {
		t.Errorf("dropout %+v, want %v on the rep channel", d, want)
	}
	for ch, w := range r.Wander {
		if w > time.Millisecond {
			t.Errorf("channel %d wander across the dropout got %v, want 0", ch, w)
		}
	}
}

// TestTrackKeepsPlaceOnAVowel: on a long, steady vowel the envelope is
// flat and places a block anywhere within its reach; refined from there
// the block matches a pitch period off as well as in place. Tracking
// keeps each block where the previous one lay unless the envelope's
// place matches better: every block of a recording that follows the
// call continuously lies at the same shift.
func TestTrackKeepsPlaceOnAVowel(t *testing.T) {
	const rate, period = 16000, 150 // a 107 Hz voice
	rng := rand.New(rand.NewPCG(5, 6))
	call := make([]float32, 6*rate)
	for i := range call {
		call[i] = float32(rng.NormFloat64() * 1e-4)
	}
	var lp float64
	for i := rate / 2; i < rate; i++ { // a consonant-like burst to begin with
		lp += 0.2 * (rng.NormFloat64() - lp)
		call[i] += float32(lp) * 0.3
	}
	for i := rate; i < 5*rate; i++ { // then a four-second vowel
		ph := 2 * math.Pi * float64(i%period) / period
		call[i] += float32(0.3*math.Sin(ph) + 0.1*math.Sin(2*ph+0.5) + 0.05*math.Sin(3*ph+1))
	}
	lead := 1234
	rec := append(make([]float32, lead), call...)
	ps := track(call, rec, lead, rate)
	if len(ps) < 16 {
		t.Fatalf("placed %d blocks, want the vowel's 16 and more", len(ps))
	}
	for _, p := range ps {
		if p.shift != lead {
			t.Errorf("block %d placed at shift %d, want %d", p.block, p.shift, lead)
		}
	}
}
