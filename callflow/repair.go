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
// are in the database being repaired). The report says, in words, what came
// back from where and what was lost; the damaged database is kept aside.
// Nothing may use the library meanwhile: the app closes it first.
func Repair(ctx context.Context, dir string) (store.RepairReport, error) {
	cfg := analysis.DefaultConfig()
	return store.Repair(ctx, dir, store.RepairOptions{
		Analyze: func(ctx context.Context, path string) (*analysis.Result, error) {
			res, err := audio.AnalyzeFile(ctx, audio.AnalyzeRequest{Path: path}, cfg)
			if err != nil {
				return nil, fmt.Errorf("cannot analyse %s: %w", path, err)
			}
			return &res, nil
		},
	})
}
