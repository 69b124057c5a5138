package record

import (
	"encoding/json"
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

// Recover finds the recordings in dir whose recorder died (a marker file
// left next to them by a crash, kill or power cut), repairs each file's
// header so it holds every whole frame written, and removes the marker. A
// marker whose recorder is still running is left alone; a marker without a
// file (the crash came before the file existed) is removed. It returns what
// it repaired; the error joins the files it could not repair.
func Recover(dir string) ([]Recovered, error) {
	markers, err := filepath.Glob(filepath.Join(dir, "*"+MarkerSuffix))
	if err != nil {
		return nil, fmt.Errorf("look for unfinished recordings in %s: %w", dir, err)
	}
	var out []Recovered
	var errs []error
	for _, m := range markers {
		var mk marker
		if b, err := os.ReadFile(m); err == nil && json.Unmarshal(b, &mk) == nil {
			if mk.PID != os.Getpid() && processAlive(mk.PID) {
				continue
			}
		}
		wav := strings.TrimSuffix(m, MarkerSuffix)
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
