package callflow

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"callcoach/analysis"
	"callcoach/store"
)

// ErrNotSplit: the call is not a one-channel call split between two
// voices, so there are no voices to name or correct.
var ErrNotSplit = errors.New("this call was not split between two voices (it is stereo, or has too little speech)")

// VoicesChange is what a person changes about a one-channel call's two
// voices, in Review or on the command line. Zero fields change nothing.
type VoicesChange struct {
	// Rep names voice 1 or 2 as the rep.
	Rep int
	// Swap makes the other voice the rep (the rep must be known).
	Swap bool
	// Mark gives a stretch of speech to one voice.
	Mark *analysis.Correction
	// Undo drops the last Mark.
	Undo bool
	// Confirm: the person checked the two lanes and vouches for the split
	// (the rep must be known). An unsure split then gets its verdict,
	// flagged as confirmed by them. Unconfirm takes that back.
	Confirm, Unconfirm bool
}

// SetVoices applies change to call id's split, re-measures every figure
// from it (analysis.Remeasure: no audio is read) and stores the result;
// the correction is kept with the call, so a later re-analysis keeps it.
// It returns the call as stored.
func SetVoices(ctx context.Context, lib *store.Library, id int64, change VoicesChange) (*store.Call, error) {
	c, err := lib.Call(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Result == nil || c.Result.Diarization == nil {
		return nil, ErrNotSplit
	}
	cfg, _ := Config(ctx, lib)
	res := *c.Result
	d := *res.Diarization
	d.Corrections = append([]analysis.Correction(nil), d.Corrections...)
	switch {
	case change.Rep == 1 || change.Rep == 2:
		d.Rep, d.RepBy, d.RepMatch = change.Rep, analysis.RepByUser, 0
	case change.Rep != 0:
		return nil, fmt.Errorf("the rep's voice is 1 or 2, not %d", change.Rep)
	}
	if change.Swap {
		if d.Rep != 1 && d.Rep != 2 {
			return nil, errors.New("pick which voice is the rep first; then the two can be swapped")
		}
		d.Rep, d.RepBy, d.RepMatch = 3-d.Rep, analysis.RepByUser, 0
	}
	if m := change.Mark; m != nil {
		if (m.Speaker != 1 && m.Speaker != 2) || m.End <= m.Start {
			return nil, fmt.Errorf("mark a stretch (start before end) as voice 1 or 2, not %d", m.Speaker)
		}
		d.Corrections = append(d.Corrections, *m)
	}
	if change.Undo && len(d.Corrections) > 0 {
		d.Corrections = d.Corrections[:len(d.Corrections)-1]
	}
	if change.Confirm {
		if d.Rep != 1 && d.Rep != 2 {
			return nil, errors.New("pick which voice is the rep first; then confirm the split")
		}
		d.Confirmed = true
	}
	if change.Unconfirm {
		d.Confirmed = false
	}
	res.Diarization = &d
	res = analysis.Remeasure(res, cfg)
	if err := lib.SetResult(ctx, id, &res); err != nil {
		return nil, err
	}
	// The rep's speech is another now: match its repeats again.
	after, err := lib.Call(ctx, id)
	if err != nil {
		return nil, err
	}
	return matchFiled(ctx, lib, after, &cfg), nil
}

// keepVoices carries what a person decided about a one-channel call's
// voices (the rep they picked, their corrections) over to a new analysis
// of it, and re-measures.
func keepVoices(old *analysis.Result, res *analysis.Result, cfg analysis.Config) {
	if old == nil || old.Diarization == nil || res.Diarization == nil {
		return
	}
	o, d := old.Diarization, *res.Diarization
	if o.RepBy != analysis.RepByUser && len(o.Corrections) == 0 && !o.Confirmed {
		return
	}
	if o.RepBy == analysis.RepByUser {
		d.Rep, d.RepBy, d.RepMatch = o.Rep, o.RepBy, 0
	}
	d.Corrections = o.Corrections
	// A confirmed split stays confirmed only if the new analysis gives the
	// very lanes the person vouched for, with the same rep; else they are
	// asked again (the voices panel offers it).
	d.Confirmed = o.Confirmed && d.Rep == o.Rep && slices.Equal(d.Corrected(), o.Corrected())
	res.Diarization = &d
	*res = analysis.Remeasure(*res, cfg)
}
