package callflow

import (
	"context"
	"errors"
	"fmt"
	"time"

	"callcoach/analysis"
	"callcoach/audio"
	"callcoach/store"
)

// Reanalysis says how to analyse a stored call again. The zero value
// re-analyses with the library's current settings and the call's own
// channel map.
type Reanalysis struct {
	// RepChannel, if not nil, is the stereo call's new channel map: the
	// side that carries the rep ("swap channels" is the other side of
	// the stored one, see RepChannel). The map is stored with the result.
	RepChannel *audio.Side
	// Config, if not nil, is analysed with instead of the library's
	// settings (which it does not change).
	Config *analysis.Config
	// Progress, if not nil, is called from Reanalyze's goroutine.
	Progress func(Progress)
}

// ErrMono: a mono call has one channel, which no channel map can split.
var ErrMono = errors.New("a mono recording carries both parties on one channel, so there are no rep and customer channels to set or swap")

// RepChannel is the side of a stored stereo call that carries the rep;
// ok is false for a mono call (or one whose map names no side).
func RepChannel(c *store.Call) (side audio.Side, ok bool) {
	ch := c.Channels
	if c.Result != nil && c.Result.Channels != (analysis.Channels{}) {
		ch = c.Result.Channels
	}
	return audio.RepSide(ch)
}

// Reanalyze analyses call id's audio again (with a new channel map or new
// settings, see Reanalysis) and stores the new analysis and map in place
// of the old; the call's annotations and clips stay. It returns the call
// as stored. A call still being recorded is refused.
func Reanalyze(ctx context.Context, lib *store.Library, id int64, r Reanalysis) (*store.Call, error) {
	c, err := lib.Call(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Status == store.StatusRecording {
		return nil, fmt.Errorf("call %d is still being recorded; re-analyse it once it is finished", id)
	}
	side, _ := RepChannel(c)
	if r.RepChannel != nil {
		if c.Channels.OneChannel != "" || (c.Result != nil && c.Result.Channels.OneChannel != "") {
			return nil, ErrMono
		}
		side = *r.RepChannel
	}
	cfg := analysis.DefaultConfig()
	var cfgErr error
	if r.Config != nil {
		cfg = *r.Config
	} else {
		cfg, cfgErr = Config(ctx, lib)
	}
	progress := r.Progress
	if progress == nil {
		progress = func(Progress) {}
	}
	res, err := analyzeStored(ctx, lib, c, side, cfg, progress)
	if err != nil {
		return nil, err
	}
	if cfgErr != nil {
		res.Notes = append(res.Notes, sentence(cfgErr))
	}
	keepVoices(c.Result, &res, cfg)
	if err := lib.SetResult(ctx, id, &res); err != nil {
		return nil, err
	}
	// The rep's side or speech may have changed: match its repeats again.
	c, err = lib.Call(ctx, id)
	if err != nil {
		return nil, err
	}
	return matchFiled(ctx, lib, c, &cfg), nil
}

// analyzeStored analyses a call's audio in the library, keeping the name
// the result gives its file.
func analyzeStored(ctx context.Context, lib *store.Library, c *store.Call, side audio.Side, cfg analysis.Config, progress func(Progress)) (analysis.Result, error) {
	res, err := audio.AnalyzeFile(ctx, audio.AnalyzeRequest{Path: lib.Abs(c.AudioPath), RepChannel: side,
		Progress: func(done, total time.Duration) { progress(Progress{Analysing, int64(done), int64(total)}) }}, cfg)
	if err != nil {
		return res, fmt.Errorf("cannot analyse call %d: %w", c.ID, err)
	}
	if c.Result != nil && c.Result.File != "" {
		res.File = c.Result.File
	}
	return res, nil
}
