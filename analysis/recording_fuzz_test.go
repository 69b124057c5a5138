package analysis

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

// FuzzRecordingDiagnosis feeds the diagnosis recordings made wrong in
// every way the fuzzer combines: a side muted, far too loud (clipped) or
// far too quiet, a DC offset, bursts of NaN and infinities, the two sides
// swapped, the same audio on both, a copy of one side leaking into the
// other at any delay and level, at any rate. Whatever comes in, the
// diagnosis must stay a diagnosis: finite figures (the JSON encodes), shares
// in [0, 1], only the known codes, once each and in report order, each a
// sentence; identical channels are never split into rep and customer; and
// a file whose two channels are the same samples says so.
func FuzzRecordingDiagnosis(f *testing.F) {
	f.Add(uint64(1), uint16(8000), uint8(0), int8(0), int8(0), int8(-10), uint8(20))
	f.Add(uint64(2), uint16(16000), uint8(1), int8(0), int8(-128), int8(-3), uint8(35))   // silent customer
	f.Add(uint64(3), uint16(8000), uint8(2), int8(40), int8(0), int8(-10), uint8(20))     // clipped rep
	f.Add(uint64(4), uint16(22050), uint8(4), int8(0), int8(0), int8(-1), uint8(0))       // identical
	f.Add(uint64(5), uint16(8000), uint8(8), int8(0), int8(0), int8(-3), uint8(30))       // swapped, room leak
	f.Add(uint64(6), uint16(48000), uint8(16|32), int8(-60), int8(20), int8(0), uint8(1)) // NaN, DC
	f.Fuzz(func(t *testing.T, seed uint64, rate uint16, faults uint8, repGainDB, custGainDB, leakDB int8, leakMS uint8) {
		r := []int{8000, 11025, 16000, 22050, 44100, 48000}[int(rate)%6]
		c := newSynthCall(r, 12*time.Second, float64(min(leakDB, 0)), time.Duration(leakMS)*time.Millisecond, seed)
		rep, cust := c.rep, c.cust
		gain := func(x []float32, db int8) {
			if db == -128 {
				clear(x) // digital silence
				return
			}
			g := float32(math.Pow(10, float64(db)/20))
			for i := range x {
				x[i] *= g
			}
		}
		gain(rep, repGainDB)
		gain(cust, custGainDB)
		if faults&1 != 0 {
			clear(cust)
		}
		if faults&2 != 0 {
			clear(rep)
		}
		if faults&4 != 0 {
			copy(cust, rep)
		}
		if faults&8 != 0 {
			rep, cust = cust, rep
		}
		if faults&16 != 0 {
			for i := r; i < len(rep) && i < 2*r; i += 7 {
				rep[i] = float32(math.NaN())
				cust[i+1] = float32(math.Inf(1 - 2*(i%2)))
			}
		}
		if faults&32 != 0 {
			for i := range cust {
				cust[i] += 0.3
			}
		}
		same := faults&4 != 0 && faults&(16|32) == 0 && repGainDB == custGainDB && repGainDB > -40 && repGainDB != -128 && faults&3 == 0
		a, err := NewAnalyzer(DefaultConfig(), r, TwoParty)
		if err != nil {
			t.Fatal(err)
		}
		step := r/10 + int(seed%97)
		for i := 0; i < len(rep); i += step {
			e := min(len(rep), i+step)
			a.Write(rep[i:e], cust[i:e])
		}
		res := a.Finish()
		rec := res.Recording
		if _, err := json.Marshal(&res); err != nil {
			t.Fatalf("the result does not encode (a figure is not finite?): %v\n%+v", err, rec)
		}
		for _, sd := range []*Side{rec.Rep, rec.Customer, rec.Mixed} {
			if sd == nil {
				continue
			}
			for _, v := range []float64{sd.ClippedFraction, sd.MaskedShare} {
				if v < 0 || v > 1 {
					t.Errorf("a side's share %v out of [0, 1]: %+v", v, sd)
				}
			}
		}
		if rec.ClippedFraction < 0 || rec.ClippedFraction > 1 {
			t.Errorf("clipped fraction %v", rec.ClippedFraction)
		}
		last := -1
		for _, w := range rec.Warnings {
			rank := -1
			for i, k := range WarningCodes {
				if k == w.Code {
					rank = i
				}
			}
			if rank < 0 || rank <= last {
				t.Errorf("warning %q unknown, repeated or out of order in %v", w.Code, rec.Warnings)
			}
			last = rank
			if m := strings.TrimSpace(w.Message); m == "" || !strings.HasSuffix(m, ".") || strings.Contains(m, "NaN") || strings.Contains(m, "Inf") {
				t.Errorf("warning %s: message %q is not a sentence with finite figures", w.Code, w.Message)
			}
		}
		if rec.Warned(WarnIdenticalChannels) {
			for _, s := range res.Segments {
				if s.Speaker == Rep || s.Speaker == Customer {
					t.Fatalf("identical channels split into a %v segment", s.Speaker)
				}
			}
		}
		if same && !rec.Warned(WarnIdenticalChannels) {
			t.Errorf("the same samples on both channels: warnings %v, want identical_channels", rec.Warnings)
		}
	})
}
