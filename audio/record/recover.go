package record

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"callcoach/audio"
)

// Recovered is one unfinished recording that Recover repaired.
type Recovered struct {
	Path   string
	Report audio.RepairReport
}

// Recover finds the recordings in dir whose process died (a Mark left by
// a crash, kill or power cut), repairs each file's header so it holds
// every whole frame written, and removes the mark. A recording in progress
// is left alone; a mark without a file (the crash came before the file
// existed) is removed. It returns what it repaired; the error joins the
// files it could not repair.
func Recover(dir string) ([]Recovered, error) {
	marks, err := filepath.Glob(filepath.Join(dir, "*"+MarkSuffix))
	if err != nil {
		return nil, fmt.Errorf("look for unfinished recordings in %s: %w", dir, err)
	}
	var out []Recovered
	var errs []error
	for _, m := range marks {
		wav := strings.TrimSuffix(m, MarkSuffix)
		if InProgress(wav) {
			continue
		}
		if _, err := os.Stat(wav); errors.Is(err, os.ErrNotExist) {
			os.Remove(m)
			continue
		}
		rep, err := audio.Repair(wav)
		if err != nil {
			errs = append(errs, fmt.Errorf("the unfinished recording %s could not be repaired: %w", wav, err))
			continue
		}
		os.Remove(m)
		out = append(out, Recovered{Path: wav, Report: rep})
	}
	return out, errors.Join(errs...)
}
