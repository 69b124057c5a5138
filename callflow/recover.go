package callflow

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"callcoach/audio"
	"callcoach/audio/record"
	"callcoach/store"
)

// Recover finishes the library's recordings that a crash, a kill or a
// power cut left unfinished: each one whose mark is no longer held by a
// running process (a recording in progress in this process or another is
// left alone) has its file repaired (audio.Repair: every whole frame
// written is kept), analysed with the library's settings as an import is
// (analyzeCall) and filed as recovered. A recording that never got a file (the crash came before the
// first sample) is removed: there is nothing of it to keep. Both front
// ends run it before they record. It returns the calls it filed.
func Recover(ctx context.Context, lib *store.Library) ([]*store.Call, error) {
	calls, err := lib.UnfinishedRecordings(ctx)
	if err != nil {
		return nil, err
	}
	cfg, cfgErr := Config(ctx, lib)
	var out []*store.Call
	var errs []error
	for _, c := range calls {
		path := lib.Abs(c.AudioPath)
		if record.InProgress(path) {
			continue
		}
		if st, err := os.Stat(path); errors.Is(err, os.ErrNotExist) || (err == nil && st.Size() == 0) {
			if err := lib.DeleteCall(ctx, c.ID); err != nil {
				errs = append(errs, err)
			}
			record.ClearMark(path)
			continue
		}
		if _, err := audio.Repair(path); err != nil {
			errs = append(errs, fmt.Errorf("the unfinished recording of call %d could not be repaired: %w", c.ID, err))
			continue
		}
		side, _ := audio.RepSide(c.Channels)
		res, err := analyzeCall(ctx, lib, path, side, c.Rep, cfg, nil, nil)
		if err != nil {
			errs = append(errs, fmt.Errorf("cannot analyse call %d: %w", c.ID, err))
			continue
		}
		res.File = filepath.Base(path)
		res.Notes = append(res.Notes, "This recording was cut short (the program stopped while recording) and repaired: everything written up to then is kept.")
		if cfgErr != nil {
			res.Notes = append(res.Notes, sentence(cfgErr))
		}
		if err := lib.FinishRecording(ctx, c.ID, &res, store.StatusRecovered); err != nil {
			errs = append(errs, err)
			continue
		}
		record.ClearMark(path)
		if got, err := lib.Call(ctx, c.ID); err == nil {
			out = append(out, matchFiled(ctx, lib, got, nil))
		}
	}
	// Marks a crash left before their call's row was written.
	if _, err := record.Recover(filepath.Join(lib.Dir(), store.CallsDir)); err != nil {
		errs = append(errs, err)
	}
	return out, errors.Join(errs...)
}

// RecoverFiles repairs the bare recordings (RecordFile) in dir that a
// crash left unfinished, and returns what it kept.
func RecoverFiles(dir string) ([]record.Recovered, error) {
	return record.Recover(dir)
}
