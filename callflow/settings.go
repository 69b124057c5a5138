package callflow

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"callcoach/analysis"
	"callcoach/store"
)

// EnvData names the environment variable that chooses the library folder
// when no --data flag does.
const EnvData = "CALLCOACH_DATA"

// LibraryDir finds the library folder, the same way for every front end:
// flagDir (the --data flag), else $CALLCOACH_DATA, else chosen (the folder
// picked in the app's Settings; "" from the command line), else
// store.DefaultDir.
func LibraryDir(flagDir, chosen string) (string, error) {
	for _, d := range []string{flagDir, os.Getenv(EnvData), chosen} {
		if d != "" {
			return d, nil
		}
	}
	d, err := store.DefaultDir()
	if err != nil {
		return "", fmt.Errorf("cannot find a folder for the library (%w): give one with --data DIR or %s", err, EnvData)
	}
	return d, nil
}

// Config returns the library's analysis settings (store.SettingAnalysis),
// the documented defaults where they were never set. Only the parameters
// a person may change (analysis.Params: the Settings screen's) are taken
// from the library: the detector's own tuning (speech activity, leak and
// canceller, diarization, the recording checks) is this version's, never a
// copy an earlier version saved along with the user's settings — or the
// improvements of every later version would never reach a user who once
// pressed Save. A setting that cannot be read gives the defaults and the
// error, so the caller can both carry on and say so.
func Config(ctx context.Context, lib *store.Library) (analysis.Config, error) {
	stored := analysis.DefaultConfig()
	err := lib.Setting(ctx, store.SettingAnalysis, &stored)
	switch {
	case err == nil:
		cfg := analysis.DefaultConfig()
		for _, p := range analysis.Params() {
			p.Set(&cfg, p.Get(&stored))
		}
		return cfg, nil
	case errors.Is(err, store.ErrNotFound):
		return analysis.DefaultConfig(), nil
	}
	return analysis.DefaultConfig(), fmt.Errorf("the library's analysis settings could not be read, so the defaults are used: %w", err)
}

// SetConfig stores the analysis settings the library's calls are analysed
// with from now on (calls already analysed keep their figures until
// re-analysed).
func SetConfig(ctx context.Context, lib *store.Library, cfg analysis.Config) error {
	return lib.SetSetting(ctx, store.SettingAnalysis, cfg)
}

// ConfigAt returns the analysis settings of the library in dir (found as
// LibraryDir finds it when dir is "") without creating a library where
// there is none: a file analysed outside the library is measured as the
// library would measure it. With no library it returns the defaults; a
// library that cannot be read gives the defaults and a note saying so
// (a settings problem must not stop an analysis).
func ConfigAt(ctx context.Context, dir string) (cfg analysis.Config, note string) {
	cfg = analysis.DefaultConfig()
	dir, err := LibraryDir(dir, "")
	if err != nil {
		return cfg, ""
	}
	if _, err := os.Stat(filepath.Join(dir, store.DBName)); err != nil {
		return cfg, ""
	}
	lib, err := store.Open(dir)
	if err != nil {
		return cfg, fmt.Sprintf("The library in %s could not be opened (%v), so the default analysis settings were used.", dir, err)
	}
	defer lib.Close()
	cfg, err = Config(ctx, lib)
	if err != nil {
		return cfg, fmt.Sprintf("The library's analysis settings could not be read (%v), so the defaults were used.", errors.Unwrap(err))
	}
	return cfg, ""
}
