package callflow

import (
	"context"
	"fmt"

	"callcoach/analysis"
	"callcoach/audio"
	"callcoach/store"
)

// Repair rebuilds the damaged library in dir (store.Repair) from what
// survives of its database, the files kept beside each call's audio and the
// audio itself; a call nothing else describes any more is analysed again
// from its audio, with the default analysis settings (the library's own
// are in the database being repaired). The fingerprints and repeated
// passages are derived from the audio and kept in the database only (no
// sidecar), so a rebuilt library starts without them: Repair fingerprints
// and matches its calls again (UpdateRepeats) before it returns, so that
// every screen, report and export has them at once. The report says, in
// words, what came back from where and what was lost; the damaged
// database is kept aside. Nothing may use the library meanwhile: the app
// closes it first.
func Repair(ctx context.Context, dir string) (store.RepairReport, error) {
	cfg := analysis.DefaultConfig()
	rep, err := store.Repair(ctx, dir, store.RepairOptions{
		Analyze: func(ctx context.Context, path string) (*analysis.Result, error) {
			res, err := audio.AnalyzeFile(ctx, audio.AnalyzeRequest{Path: path}, cfg)
			if err != nil {
				return nil, fmt.Errorf("cannot analyse %s: %w", path, err)
			}
			return &res, nil
		},
	})
	if err != nil || rep.Healthy {
		return rep, err
	}
	if err := rematch(ctx, dir, &rep); err != nil {
		if ctx.Err() != nil {
			return rep, ctx.Err()
		}
		rep.Lost = append(rep.Lost, fmt.Sprintf("for now, the repeated passages across the calls (matching them again failed: %v); the app and `callcoach show` match them when they next open the library", err))
	}
	return rep, nil
}

// rematch fingerprints and matches the calls of the rebuilt library in dir
// again and counts them in rep.
func rematch(ctx context.Context, dir string, rep *store.RepairReport) error {
	lib, err := store.Open(dir)
	if err != nil {
		return err
	}
	defer lib.Close()
	return UpdateRepeats(ctx, lib, func(done, total int) {
		if done == total {
			rep.Rematched = total
		}
	})
}
