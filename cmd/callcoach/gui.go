package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"callcoach/analysis"
	"callcoach/assets"
	"callcoach/audio"
	"callcoach/callflow"
	"callcoach/store"
	"callcoach/ui"
)

func init() {
	register(command{
		name:    "gui",
		summary: "open the desktop app (the default with no command)",
		run:     runGUI,
	})
}

const guiUsage = `Usage:
  callcoach [gui] [--data DIR]

Opens the CallCoach app on the library in DIR (default: $CALLCOACH_DATA,
else the folder chosen in Settings, else the user's data folder).

Flags:
`

// appStarted, when set, is called once the app has started: the
// real-window test (gui_window_test.go) tours the screens with it and
// calls quit when done. The shipped command leaves it nil.
var appStarted func(a *ui.App, lib *store.Library, quit func(error))

func runGUI(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("gui", guiUsage, stderr)
	data := fs.String("data", "", "the library folder")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("gui takes no arguments, got %q", fs.Args())
	}

	fa := app.NewWithID("io.callcoach.app")
	fa.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon()))
	dir, err := callflow.LibraryDir(*data, fa.Preferences().String(ui.PrefLibraryDir))
	if err != nil {
		return err
	}
	lib, err := store.Open(dir)
	if store.IsDamaged(err) {
		return runDamaged(fa, dir, err)
	}
	if err != nil {
		return fmt.Errorf("cannot open the library in %s: %w", dir, err)
	}
	defer lib.Close()

	ctx := context.Background()
	cfg, err := callflow.Config(ctx, lib)
	if err != nil {
		log.Printf("callcoach: %v", err)
	}
	opts := ui.Options{Library: lib}
	if c, err := os.UserCacheDir(); err == nil {
		opts.CacheDir = filepath.Join(c, "callcoach", "waveforms")
	}
	if wav, res, ok := assets.Demo(); ok {
		// The demo is analysed like any call (a 40-second call takes a few
		// milliseconds), so it shows what the analysis really makes of it.
		demo, err := ui.DemoCall(wav, res, func(path string) (*analysis.Result, error) {
			r, err := audio.AnalyzeFile(ctx, audio.AnalyzeRequest{Path: path}, cfg)
			return &r, err
		})
		if err != nil {
			log.Printf("callcoach: %v", err)
		} else {
			opts.Demo = demo
		}
	}
	player := &ui.DevicePlayer{}
	opts.Player = player
	opts.Recorder = &ui.DeviceRecorder{Lib: lib, Config: func() analysis.Config {
		cfg, _ := callflow.Config(ctx, lib)
		return cfg
	}}
	// Keep what a crash left half-recorded: repair, analyse and file it.
	go func() {
		calls, err := callflow.Recover(ctx, lib)
		if err != nil {
			log.Printf("callcoach: recovering unfinished recordings: %v", err)
		}
		if len(calls) > 0 {
			log.Printf("callcoach: recovered %d unfinished recording(s)", len(calls))
		}
	}()

	w := fa.NewWindow("CallCoach")
	a := ui.New(fa, w, opts)
	w.Resize(a.WindowSize())
	w.SetMaster()
	w.SetCloseIntercept(func() { a.RequestClose(w.Close) })
	w.SetOnDropped(a.OnDropped)
	a.Start()
	var tourErr error
	if appStarted != nil {
		appStarted(a, lib, func(err error) {
			tourErr = err
			fyne.Do(fa.Quit)
		})
	}
	w.ShowAndRun()
	a.Close()
	player.Close()
	return tourErr
}

// runDamaged shows the damaged library's screen instead of the app: the
// sentence, Repair (callflow.Repair), the report, and then the app again
// (this program started afresh on the repaired library).
func runDamaged(fa fyne.App, dir string, openErr error) error {
	w := fa.NewWindow("CallCoach")
	d := ui.NewDamaged(openErr, func(ctx context.Context) (string, error) {
		rep, err := callflow.Repair(ctx, dir)
		return rep.String(), err
	}, func() {
		err := restart()
		log.Printf("callcoach: start CallCoach again to open the repaired library (%v)", err)
		fa.Quit()
	})
	w.SetContent(d.Content)
	w.Resize(fyne.NewSize(720, 480))
	w.ShowAndRun()
	return nil
}
