package store

import (
	"context"
	"encoding/json"
	"testing"

	"callcoach/analysis"
)

// TestRepVoice: a rep's profile merges the prints of their calls and
// survives closing and reopening the library; a rep without one reads nil.
func TestRepVoice(t *testing.T) {
	dir := t.TempDir()
	l := MustOpenDir(t, dir)
	ctx := context.Background()
	if v, n, err := l.RepVoice(ctx, "Ann"); v != nil || n != 0 || err != nil {
		t.Fatalf("no profile yet: got %v, %d, %v", v, n, err)
	}
	print := func(shift float64, frames int) *analysis.VoicePrint {
		v := &analysis.VoicePrint{Frames: frames, Mean: make([]float64, 19), Cov: make([]float64, 190), PitchST: 20 + shift, PitchSD: 2, PitchFrames: frames / 2}
		for i := range v.Mean {
			v.Mean[i] = shift
		}
		k := 0
		for i := 0; i < 19; i++ {
			for j := 0; j <= i; j++ {
				if i == j {
					v.Cov[k] = 1
				}
				k++
			}
		}
		return v
	}
	if err := l.AddRepVoice(ctx, "Ann", print(0, 1000)); err != nil {
		t.Fatal(err)
	}
	if err := l.AddRepVoice(ctx, "Ann", print(3, 3000)); err != nil {
		t.Fatal(err)
	}
	if err := l.AddRepVoice(ctx, "Ann", nil); err != nil {
		t.Fatal(err)
	}
	l.Close()
	l = MustOpenDir(t, dir)
	v, n, err := l.RepVoice(ctx, "Ann")
	if err != nil || v == nil || n != 2 {
		t.Fatalf("got %v from %d calls, %v; want a profile from 2", v, n, err)
	}
	// The merge weighs by frames: mean 0·¼ + 3·¾.
	if v.Frames != 4000 || v.Mean[0] < 2.24 || v.Mean[0] > 2.26 || v.PitchST < 22.2 || v.PitchST > 22.3 {
		b, _ := json.Marshal(v)
		t.Errorf("merged profile %s", b)
	}
	reps, err := l.Reps(ctx)
	if err != nil || len(reps) != 1 || reps[0].Name != "Ann" {
		t.Errorf("reps %+v, %v", reps, err)
	}
}
