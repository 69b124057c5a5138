// Package ui is CallCoach's desktop app (Fyne): Library, Review, Record,
// Clips, Trends and Settings. It is the only package that imports Fyne
// widgets. Each screen is a small struct of widgets with onXxx handlers.
// The screens read and write the library through *store.Library and run
// the use cases (import, record, re-analyse) through callflow, which the
// command line runs too; the player and the recorder sit behind the small
// interfaces in backend.go (widget tests fake them). Work that touches
// disk, analysis or audio runs in goroutines that hand their results back
// with fyne.Do, and the app follows the library (store.Library.Watch) so
// that calls filed elsewhere show up.
//
// # Packaging
//
// FyneApp.toml (name, id io.callcoach.app, version, icon assets/icon.png,
// desktop categories) describes the app to the fyne tool
// (go install fyne.io/tools/cmd/fyne@latest). The main package lives in
// cmd/callcoach, so build it first and package the binary from the
// repository root, where FyneApp.toml is:
//
//	go build -o callcoach ./cmd/callcoach
//	fyne package -os linux --exe callcoach --release
//
// This writes CallCoach.tar.xz: the binary, the icon and a .desktop entry
// under usr/local, with a Makefile whose "make install" (as root) installs
// them. On macOS and Windows the same command with -os darwin or -os
// windows (on those systems) makes CallCoach.app or CallCoach.exe.
package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"log"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"callcoach/analysis"
	"callcoach/audio"
	"callcoach/store"
)

// Options wires the app to its parts. Library is required for everything
// but the demo; a nil Player or Recorder disables playback or recording
// with a message saying why.
type Options struct {
	Library  *store.Library
	Player   Player
	Recorder Recorder
	// Demo is the demo call shown on first run (nil: none); its AudioPath
	// is absolute.
	Demo *store.Call
	// CacheDir keeps waveform envelopes between runs ("": no cache).
	CacheDir string

	// calls replaces Library as the Library screen's source (tests).
	calls callLister
}

// Prefs are the app's own settings, kept in the library under prefsKey.
type Prefs struct {
	Author         string     `json:"author"`
	Theme          string     `json:"theme"` // "" (system), "light" or "dark"
	RepDevice      string     `json:"rep_device"`
	CustomerDevice string     `json:"customer_device"`
	StereoDevice   string     `json:"stereo_device"`
	RepChannel     audio.Side `json:"rep_channel"` // of a stereo device
	Rate           int        `json:"sample_rate"`
	Amber          float64    `json:"talk_share_amber"` // live bar turns amber above this share (0..1)
	Red            float64    `json:"talk_share_red"`   // and red above this one
	ConsentShown   bool       `json:"consent_shown"`
	WindowW        float32    `json:"window_width"`
	WindowH        float32    `json:"window_height"`
}

// prefsKey is the library setting holding Prefs.
const prefsKey = "ui.prefs"

// DefaultPrefs are the settings of a new library: the live bar's amber and
// red thresholds are the 60% and 70% (Gong's finding that a talk
// share over 65% hurts sits between them).
func DefaultPrefs() Prefs {
	return Prefs{Rate: 16000, Amber: 0.60, Red: 0.70, RepChannel: audio.Left, WindowW: 1200, WindowH: 760}
}

// App is the running desktop app.
type App struct {
	fyneApp fyne.App
	win     fyne.Window
	lib     *store.Library // nil: the demo only
	calls   callLister     // the Library screen's rows: lib, or a test's fake
	player  Player
	rec     Recorder
	opts    Options
	prefs   Prefs
	cfg     *analysis.Config // the library's analysis settings, read once
	tags    []string

	tabs     *container.AppTabs
	tabItems map[string]*container.TabItem
	status   *widget.Label

	library  *libraryScreen
	review   *reviewScreen
	record   *recordScreen
	clips    *clipsScreen
	trends   *trendsScreen
	settings *settingsScreen

	// pendingNote is the annotate form on screen, if any; pendingImport
	// the import form.
	pendingNote   *noteForm
	pendingImport *importForm
	// lastNotice is the last status message (also shown in the status bar).
	lastNotice string

	// stopWatch stops following the library (Close).
	stopWatch func()

	// playerMu guards playerPath, the file the player has loaded.
	playerMu   sync.Mutex
	playerPath string
}

// New builds the app's window content in win. Call Start after the window
// is shown to load the library.
func New(fa fyne.App, win fyne.Window, opts Options) *App {
	a := &App{fyneApp: fa, win: win, lib: opts.Library, player: opts.Player, rec: opts.Recorder, opts: opts, prefs: DefaultPrefs()}
	switch {
	case opts.calls != nil:
		a.calls = opts.calls
	case opts.Library != nil:
		a.calls = opts.Library
	}
	a.loadPrefs()
	a.applyTheme()
	a.status = widget.NewLabel("")
	a.status.Truncation = fyne.TextTruncateEllipsis

	a.review = newReviewScreen(a)
	a.library = newLibraryScreen(a)
	a.record = newRecordScreen(a)
	a.clips = newClipsScreen(a)
	a.trends = newTrendsScreen(a)
	a.settings = newSettingsScreen(a)

	a.tabItems = map[string]*container.TabItem{
		"library":  container.NewTabItemWithIcon("Library", theme.ListIcon(), a.library.content),
		"review":   container.NewTabItemWithIcon("Review", theme.MediaPlayIcon(), a.review.content),
		"record":   container.NewTabItemWithIcon("Record", theme.MediaRecordIcon(), a.record.content),
		"clips":    container.NewTabItemWithIcon("Clips", theme.ContentCutIcon(), a.clips.content),
		"trends":   container.NewTabItemWithIcon("Trends", theme.GridIcon(), a.trends.content),
		"settings": container.NewTabItemWithIcon("Settings", theme.SettingsIcon(), a.settings.content),
	}
	a.tabs = container.NewAppTabs(a.tabItems["library"], a.tabItems["review"], a.tabItems["record"],
		a.tabItems["clips"], a.tabItems["trends"], a.tabItems["settings"])
	a.tabs.OnSelected = a.onTab
	win.SetContent(container.NewBorder(nil, a.status, nil, nil, a.tabs))
	a.installShortcuts()
	return a
}

// Start loads the library list and opens the demo call on first run (an
// empty library). It returns at once; loading happens in the background.
func (a *App) Start() {
	a.refreshTags()
	if a.calls == nil {
		if a.opts.Demo != nil {
			a.showDemo()
		}
		return
	}
	if a.lib != nil {
		a.stopWatch = a.lib.Watch(libraryPoll, func() { fyne.Do(a.onLibraryChanged) })
	}
	runAsync(func() {
		rows, err := a.calls.Calls(context.Background(), store.CallFilter{Limit: 1})
		fyne.Do(func() {
			if err != nil {
				a.showError("Could not read the library", err)
			}
			if len(rows) == 0 && a.opts.Demo != nil {
				a.showDemo()
			}
			a.library.reload()
			a.clips.reload()
			a.trends.reload()
			a.updateRepeats()
		})
	})
}

// libraryPoll is how often the app looks whether the library changed.
const libraryPoll = time.Second

// onLibraryChanged follows the library when something else changed it
// (the command line, a second window): the lists on screen reload.
func (a *App) onLibraryChanged() {
	a.library.reload()
	a.clips.reload()
	a.refreshTags()
	if a.Current() == "trends" {
		a.trends.reload()
	}
}

// Close stops following the library and closes the devices the Record
// screen watches (a recording is finished by RequestClose first).
func (a *App) Close() {
	if a.stopWatch != nil {
		a.stopWatch()
		a.stopWatch = nil
	}
	if a.record.recording == nil {
		a.record.closeSession()
	}
}

// showDemo opens the demo call in Review.
func (a *App) showDemo() {
	a.review.Open(a.opts.Demo, 0)
	a.Show("review")
	a.notify("This is a demo call: press Space to play, tap a red marker to hear an interruption.")
}

// Show selects a screen by name: library, review, record, clips, trends,
// settings.
func (a *App) Show(name string) {
	if it, ok := a.tabItems[name]; ok {
		a.tabs.Select(it)
	}
}

// Current returns the name of the screen shown.
func (a *App) Current() string {
	for n, it := range a.tabItems {
		if it == a.tabs.Selected() {
			return n
		}
	}
	return ""
}

func (a *App) onTab(it *container.TabItem) {
	// A field focused on another screen must not swallow Review's keys
	// (Space, arrows, A).
	a.win.Canvas().Unfocus()
	switch it {
	case a.tabItems["trends"]:
		a.trends.reload()
	case a.tabItems["clips"]:
		a.clips.reload()
	case a.tabItems["record"]:
		a.record.onShow()
	}
	if it != a.tabItems["record"] {
		a.record.onHide()
	}
}

// OpenCall loads a call from the library and shows it in Review with the
// playhead at at.
func (a *App) OpenCall(id int64, at time.Duration) {
	if a.lib == nil {
		return
	}
	a.notify("opening call…")
	runAsync(func() {
		c, err := a.lib.Call(context.Background(), id)
		fyne.Do(func() {
			if err != nil {
				a.showError("Could not open the call", err)
				return
			}
			a.review.Open(c, at)
			a.Show("review")
			a.notify("")
		})
	})
}

// refreshTags reloads the tag set the annotate form offers.
func (a *App) refreshTags() {
	if a.lib == nil {
		return
	}
	runAsync(func() {
		ts, err := a.lib.Tags(context.Background())
		if err != nil {
			log.Printf("callcoach: tags: %v", err)
			return
		}
		tags := make([]string, len(ts))
		for i, t := range ts {
			tags[i] = t.Name
		}
		fyne.Do(func() {
			a.tags = tags
			a.library.setTags(tags)
			a.clips.setTags(tags)
		})
	})
}

func (a *App) loadPrefs() {
	if a.lib == nil {
		return
	}
	p := DefaultPrefs()
	if _, err := a.setting(prefsKey, &p); err != nil {
		log.Printf("callcoach: settings: %v", err)
		return
	}
	if p.Author == "" {
		var author string
		if ok, _ := a.setting(store.SettingAuthor, &author); ok {
			p.Author = author
		}
	}
	a.prefs = p
}

// setting reads a library setting into v, reporting whether it was set.
func (a *App) setting(key string, v any) (bool, error) {
	err := a.lib.Setting(context.Background(), key, v)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

func (a *App) savePrefs() {
	if a.lib == nil {
		return
	}
	p := a.prefs
	runAsync(func() {
		if err := a.lib.SetSetting(context.Background(), prefsKey, p); err != nil {
			fyne.Do(func() { a.showError("Could not save the settings", err) })
		}
	})
}

// applyTheme sets the light or dark variant chosen in Settings ("" follows
// the system).
func (a *App) applyTheme() {
	if a.fyneApp == nil {
		return
	}
	switch a.prefs.Theme {
	case "light":
		a.fyneApp.Settings().SetTheme(&variantTheme{Theme: theme.DefaultTheme(), variant: theme.VariantLight})
	case "dark":
		a.fyneApp.Settings().SetTheme(&variantTheme{Theme: theme.DefaultTheme(), variant: theme.VariantDark})
	default:
		a.fyneApp.Settings().SetTheme(theme.DefaultTheme())
	}
}

// variantTheme forces the default theme's light or dark colours.
type variantTheme struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t *variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// The app-wide shortcuts.
var (
	recordShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault}
	importShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyI, Modifier: fyne.KeyModifierShortcutDefault}
)

// installShortcuts binds the keyboard: Space plays or pauses, the arrows
// skip, A annotates (on Review); Ctrl+R starts or stops recording; Ctrl+I
// imports. Ctrl+R and Ctrl+I are also the main menu's: the desktop driver
// gives a menu's shortcuts to the menu before a focused field, so they
// work wherever the focus is (typing the call's title, say), which a
// canvas shortcut does not.
func (a *App) installShortcuts() {
	c := a.win.Canvas()
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) { a.onKey(ev.Name) })
	rec := fyne.NewMenuItem("Start or stop recording", a.onRecordKey)
	rec.Shortcut = recordShortcut
	imp := fyne.NewMenuItem("Import WAV…", a.onImportKey)
	imp.Shortcut = importShortcut
	a.win.SetMainMenu(fyne.NewMainMenu(fyne.NewMenu("File", imp), fyne.NewMenu("Record", rec)))
	c.AddShortcut(recordShortcut, func(fyne.Shortcut) { a.onRecordKey() })
	c.AddShortcut(importShortcut, func(fyne.Shortcut) { a.onImportKey() })
}

func (a *App) onRecordKey() {
	a.Show("record")
	a.record.onStartStop()
}

func (a *App) onImportKey() {
	a.Show("library")
	a.library.onImport()
}

// onKey handles a key typed with nothing focused.
func (a *App) onKey(k fyne.KeyName) {
	if a.Current() != "review" {
		return
	}
	switch k {
	case fyne.KeySpace:
		a.review.onPlayPause()
	case fyne.KeyLeft:
		a.review.skip(-skipStep)
	case fyne.KeyRight:
		a.review.skip(skipStep)
	case fyne.KeyA:
		a.review.onAnnotate()
	case fyne.KeyPlus, fyne.KeyEqual:
		a.review.timeline.Zoom(0.5)
	case fyne.KeyMinus:
		a.review.timeline.Zoom(2)
	}
}

// showError shows what happened and what to do in a dialog.
func (a *App) showError(what string, err error) {
	log.Printf("callcoach: %s: %v", what, err)
	a.lastNotice = what + ": " + err.Error()
	dialog.ShowError(fmt.Errorf("%s: %w", what, err), a.win)
}

func (a *App) showInfo(title, msg string) {
	a.lastNotice = msg
	dialog.ShowInformation(title, msg, a.win)
}

// notify shows a short message in the status bar.
func (a *App) notify(msg string) {
	a.lastNotice = msg
	a.status.SetText(msg)
}

// RequestClose is the window's close intercept: it remembers the window
// size and, if a call is being recorded, asks first and finishes the
// recording (filed in the library) before calling closeWindow.
func (a *App) RequestClose(closeWindow func()) {
	a.SaveWindowSize()
	sess := a.record.sess
	if a.record.recording == nil || sess == nil {
		a.record.closeSession()
		closeWindow()
		return
	}
	dialog.ShowConfirm("A call is being recorded", "Stop the recording, keep it in the library and quit?", func(ok bool) {
		if !ok {
			return
		}
		a.record.stopping = true
		a.notify("finishing the recording…")
		runAsync(func() {
			_, err := sess.Stop()
			if err != nil {
				log.Printf("callcoach: finishing the recording: %v", err)
			}
			fyne.Do(closeWindow)
		})
	}, a.win)
}

// SaveWindowSize remembers the window's size for the next start.
func (a *App) SaveWindowSize() {
	s := a.win.Canvas().Size()
	if s.Width < 200 || s.Height < 200 {
		return
	}
	a.prefs.WindowW, a.prefs.WindowH = s.Width, s.Height
	if a.lib != nil {
		if err := a.lib.SetSetting(context.Background(), prefsKey, a.prefs); err != nil {
			log.Printf("callcoach: saving the window size: %v", err)
		}
	}
}

// WindowSize is the size to open the window at.
func (a *App) WindowSize() fyne.Size {
	return fyne.NewSize(max(a.prefs.WindowW, 800), max(a.prefs.WindowH, 560))
}

var errNoLibrary = errors.New("no library is open")

// audioPath is the absolute path of a call's audio (the demo's is already).
func (a *App) audioPath(c *store.Call) string {
	if a.lib == nil {
		return c.AudioPath
	}
	return a.lib.Abs(c.AudioPath)
}

// loadPlayer loads path into the player unless it is loaded already. It
// may block on the audio device: call it off the UI goroutine.
func (a *App) loadPlayer(path string) error {
	a.playerMu.Lock()
	defer a.playerMu.Unlock()
	if a.player == nil {
		return a.noPlayerErr()
	}
	if a.playerPath == path {
		return nil
	}
	if err := a.player.Load(path); err != nil {
		a.playerPath = ""
		return err
	}
	a.playerPath = path
	return nil
}

// warmWaveform reads a new call's waveform into the cache in the
// background, so that its first review opens as fast as later ones.
func (a *App) warmWaveform(id int64) {
	if a.lib == nil || a.opts.CacheDir == "" {
		return
	}
	go func() {
		c, err := a.lib.Call(context.Background(), id)
		if err != nil || c.AudioPath == "" {
			return
		}
		if _, _, err := LoadEnvelopeCached(a.audioPath(c), a.opts.CacheDir); err != nil {
			log.Printf("callcoach: waveform of call %d: %v", id, err)
		}
	}()
}

// bothEars is a Player that can play both parties in both ears rather
// than the rep left and the customer right.
type bothEars interface{ SetBothEars(bool) }

// setBothEars chooses both ears (on) or stereo for playback.
func (a *App) setBothEars(on bool) {
	if p, ok := a.player.(bothEars); ok {
		p.SetBothEars(on)
	}
}

// noPlayerErr says why nothing can be played.
func (a *App) noPlayerErr() error {
	return errors.New("no sound output is available: connect headphones or speakers, check the system sound settings, then restart CallCoach")
}

// runAsync runs one-shot background work (disk, analysis, audio) off the UI
// goroutine; its results come back through fyne.Do. Widget tests replace it
// with a synchronous call so that each flow is deterministic.
var runAsync = func(f func()) { go f() }
