package ui

import (
	"context"
	"errors"
	"fmt"
	"log"
	"math"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"callcoach/analysis"
	"callcoach/callflow"
	"callcoach/store"
)

// PrefLibraryDir is the Fyne preference naming the library folder chosen in
// Settings; it takes effect at the next start (CALLCOACH_DATA and --data
// win over it).
const PrefLibraryDir = "library_dir"

// analysisParams are the analysis parameters the Settings screen edits:
// analysis.Params, the same table the README's parameter section is made
// from. A goal's direction is not among them, so no edit can invert a goal.
var analysisParams = analysis.Params()

// analysisConfig returns the library's analysis settings (defaults where
// unset).
func (a *App) analysisConfig() analysis.Config {
	if a.cfg != nil {
		return *a.cfg
	}
	cfg := analysis.DefaultConfig()
	if a.lib != nil {
		var err error
		if cfg, err = callflow.Config(context.Background(), a.lib); err != nil {
			log.Printf("callcoach: %v", err)
		}
	}
	a.cfg = &cfg
	return cfg
}

// settingsScreen edits the library location, devices, live thresholds,
// analysis thresholds, author and theme.
type settingsScreen struct {
	app *App

	libDir    *widget.Label
	author    *widget.Entry
	themeSel  *widget.RadioGroup
	repDev    *widget.Entry
	custDev   *widget.Entry
	stereoDev *widget.Entry
	rate      *widget.Select
	amber     *widget.Entry
	red       *widget.Entry
	numbers   []*widget.Entry
	content   fyne.CanvasObject
}

var rateChoices = []string{"8000", "16000", "22050", "44100", "48000"}

func newSettingsScreen(a *App) *settingsScreen {
	s := &settingsScreen{app: a}
	dir := "(none)"
	if a.lib != nil {
		dir = a.lib.Dir()
	}
	s.libDir = widget.NewLabel(dir)
	s.libDir.Wrapping = fyne.TextWrapBreak
	change := widget.NewButtonWithIcon("Change…", theme.FolderOpenIcon(), s.onChangeLibrary)
	s.author = widget.NewEntry()
	s.author.SetPlaceHolder("your name, written on annotations")
	s.themeSel = widget.NewRadioGroup([]string{"System", "Light", "Dark"}, nil)
	s.themeSel.Horizontal = true
	s.repDev = widget.NewEntry()
	s.custDev = widget.NewEntry()
	s.stereoDev = widget.NewEntry()
	s.rate = widget.NewSelect(rateChoices, nil)
	s.amber = widget.NewEntry()
	s.red = widget.NewEntry()

	general := container.New(layout.NewFormLayout(),
		widget.NewLabel("Library folder"), container.NewBorder(nil, nil, nil, change, s.libDir),
		widget.NewLabel("Author"), s.author,
		widget.NewLabel("Theme"), s.themeSel,
	)
	devices := container.New(layout.NewFormLayout(),
		widget.NewLabel("Rep microphone"), s.repDev,
		widget.NewLabel("Customer source"), s.custDev,
		widget.NewLabel("Stereo device"), s.stereoDev,
		widget.NewLabel("Sample rate (Hz)"), s.rate,
		widget.NewLabel("Live bar amber above (%)"), s.amber,
		widget.NewLabel("Live bar red above (%)"), s.red,
	)
	grid := container.New(layout.NewGridLayoutWithColumns(4),
		bold("Setting"), bold("Value"), bold("Default"), bold("Source"))
	for _, p := range analysisParams {
		e := widget.NewEntry()
		s.numbers = append(s.numbers, e)
		label := p.Label
		if p.Unit != "" {
			label += " (" + p.Unit + ")"
		}
		l := widget.NewLabel(label)
		l.Wrapping = fyne.TextWrapWord
		src := widget.NewLabel(p.Source)
		src.Wrapping = fyne.TextWrapWord
		src.SizeName = theme.SizeNameCaptionText
		grid.Add(l)
		grid.Add(e)
		grid.Add(widget.NewLabel(fmtNum(p.Default())))
		grid.Add(src)
	}
	consent := widget.NewLabel(consentText)
	consent.Wrapping = fyne.TextWrapWord
	saveBtn := widget.NewButtonWithIcon("Save settings", theme.DocumentSaveIcon(), s.onSave)
	saveBtn.Importance = widget.HighImportance
	resetBtn := widget.NewButtonWithIcon("Restore defaults", theme.ContentUndoIcon(), s.onDefaults)
	s.content = container.NewVScroll(container.NewPadded(container.NewVBox(
		heading("General"), general,
		heading("Recording"), devices,
		heading("Analysis thresholds and verdict targets"),
		widget.NewLabel("New imports and recordings are analysed with these; the defaults come from shared/spec/metrics.md."),
		grid,
		heading("Consent"), consent,
		container.NewHBox(saveBtn, resetBtn),
	)))
	s.load()
	return s
}

func bold(s string) fyne.CanvasObject {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

func heading(s string) fyne.CanvasObject {
	l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return container.NewVBox(widget.NewSeparator(), l)
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// fmtShare writes a 0..1 share as a percentage number, rounded to 0.01.
func fmtShare(v float64) string { return fmtNum(math.Round(v*10000) / 100) }

// load fills the widgets from the app's settings.
func (s *settingsScreen) load() {
	p := s.app.prefs
	s.author.SetText(p.Author)
	switch p.Theme {
	case "light":
		s.themeSel.SetSelected("Light")
	case "dark":
		s.themeSel.SetSelected("Dark")
	default:
		s.themeSel.SetSelected("System")
	}
	s.repDev.SetText(p.RepDevice)
	s.custDev.SetText(p.CustomerDevice)
	s.stereoDev.SetText(p.StereoDevice)
	s.rate.SetSelected(strconv.Itoa(p.Rate))
	s.amber.SetText(fmtShare(p.Amber))
	s.red.SetText(fmtShare(p.Red))
	cfg := s.app.analysisConfig()
	for i, p := range analysisParams {
		s.numbers[i].SetText(fmtNum(p.Get(&cfg)))
	}
}

func (s *settingsScreen) onDefaults() {
	cfg := analysis.DefaultConfig()
	for i, p := range analysisParams {
		s.numbers[i].SetText(fmtNum(p.Get(&cfg)))
	}
	d := DefaultPrefs()
	s.amber.SetText(fmtShare(d.Amber))
	s.red.SetText(fmtShare(d.Red))
	s.rate.SetSelected(strconv.Itoa(d.Rate))
}

// collect reads and checks the widgets.
func (s *settingsScreen) collect() (Prefs, analysis.Config, error) {
	p := s.app.prefs
	p.Author = strings.TrimSpace(s.author.Text)
	p.Theme = map[string]string{"Light": "light", "Dark": "dark"}[s.themeSel.Selected]
	p.RepDevice = strings.TrimSpace(s.repDev.Text)
	p.CustomerDevice = strings.TrimSpace(s.custDev.Text)
	p.StereoDevice = strings.TrimSpace(s.stereoDev.Text)
	if r, err := strconv.Atoi(s.rate.Selected); err == nil {
		p.Rate = r
	}
	amber, err1 := parsePct(s.amber.Text)
	red, err2 := parsePct(s.red.Text)
	if err := errors.Join(err1, err2); err != nil {
		return p, analysis.Config{}, fmt.Errorf("live bar thresholds: %w", err)
	}
	if amber >= red {
		return p, analysis.Config{}, errors.New("the amber threshold must be below the red one")
	}
	p.Amber, p.Red = amber, red
	cfg := s.app.analysisConfig()
	for i, ap := range analysisParams {
		v, err := strconv.ParseFloat(strings.TrimSpace(s.numbers[i].Text), 64)
		if err != nil || v < 0 {
			return p, cfg, fmt.Errorf("%s: %q is not a number of zero or more", ap.Label, s.numbers[i].Text)
		}
		ap.Set(&cfg, v)
	}
	if err := cfg.Validate(); err != nil {
		return p, cfg, err
	}
	return p, cfg, nil
}

func parsePct(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%")), 64)
	if err != nil || v <= 0 || v >= 100 {
		return 0, fmt.Errorf("%q is not a percentage between 0 and 100", s)
	}
	return v / 100, nil
}

// onSave stores the settings in the library.
func (s *settingsScreen) onSave() {
	p, cfg, err := s.collect()
	if err != nil {
		s.app.showError("Settings not saved", err)
		return
	}
	a := s.app
	a.prefs = p
	a.cfg = &cfg
	a.applyTheme()
	a.record.repName.SetText(p.Author)
	if a.lib == nil {
		return
	}
	runAsync(func() {
		ctx := context.Background()
		err := errors.Join(
			a.lib.SetSetting(ctx, prefsKey, p),
			a.lib.SetSetting(ctx, store.SettingAuthor, p.Author),
			callflow.SetConfig(ctx, a.lib, cfg),
		)
		fyne.Do(func() {
			if err != nil {
				a.showError("Settings not saved", err)
				return
			}
			a.notify("settings saved")
			a.trends.loadTrend()
		})
	})
}

// onChangeLibrary picks another library folder for the next start.
func (s *settingsScreen) onChangeLibrary() {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			return
		}
		s.app.fyneApp.Preferences().SetString(PrefLibraryDir, u.Path())
		s.libDir.SetText(u.Path() + "  (from the next start)")
		s.app.showInfo("Library folder", "CallCoach will open "+u.Path()+" the next time it starts.")
	}, s.app.win)
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}
