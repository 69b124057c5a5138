package ui

import (
	"errors"
	"fmt"
	"image/color"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"callcoach/analysis"
)

// liveHz is how often meters and the live bar are redrawn.
const liveHz = 30

// interruptionCueFor is how long the "you interrupted" cue stays up.
const interruptionCueFor = 4 * time.Second

// consentText is shown once before the first recording, and in Settings.
const consentText = "Recording calls may require the other party's consent. " +
	"Depending on where you and the customer are, the law may require telling them " +
	"(or getting their agreement) before you record. Make sure you have it."

const (
	modeTwo    = "Two devices (microphone + customer source)"
	modeStereo = "One stereo device"
)

// recordScreen picks devices, shows their levels, records, and shows the
// live talk share and interruption cue.
type recordScreen struct {
	app *App

	mode       *widget.RadioGroup
	repDev     *widget.Select
	custDev    *widget.Select
	stereoDev  *widget.Select
	repChannel *widget.RadioGroup
	repMeter   *levelMeter
	custMeter  *levelMeter
	repName    *widget.Entry
	title      *widget.Entry
	startBtn   *widget.Button
	elapsed    *widget.Label
	dropped    *widget.Label
	share      *shareBar
	cue        *widget.Label
	devErr     *widget.Label
	twoBox     *fyne.Container
	stereoBox  *fyne.Container
	content    fyne.CanvasObject

	devices   []Device
	recording Recording
	starting  bool
	stopping  bool
	monGen    int
	cueUntil  time.Time
	lastIntAt analysis.Dur

	// The latest live figures and levels, written by the recorder's and the
	// monitors' goroutines and drawn by one ticker at liveHz.
	mu        sync.Mutex
	latest    *Live
	repLvl    float64
	custLvl   float64
	stopMon   []func()
	stopTick  chan struct{}
	monitored string
}

func newRecordScreen(a *App) *recordScreen {
	r := &recordScreen{app: a}
	r.mode = widget.NewRadioGroup([]string{modeTwo, modeStereo}, func(string) { r.onMode() })
	r.mode.Horizontal = true
	r.repDev = widget.NewSelect(nil, func(string) { r.restartMonitors() })
	r.repDev.PlaceHolder = "choose the microphone"
	r.custDev = widget.NewSelect(nil, func(string) { r.restartMonitors() })
	r.custDev.PlaceHolder = "choose the customer's source (e.g. the headset's monitor)"
	r.stereoDev = widget.NewSelect(nil, func(string) { r.restartMonitors() })
	r.stereoDev.PlaceHolder = "choose the stereo device"
	r.repChannel = widget.NewRadioGroup([]string{"left", "right"}, nil)
	r.repChannel.Horizontal = true
	r.repMeter = newLevelMeter()
	r.custMeter = newLevelMeter()
	r.repName = widget.NewEntry()
	r.repName.SetPlaceHolder("your name")
	r.title = widget.NewEntry()
	r.title.SetPlaceHolder("e.g. Acme renewal")
	r.startBtn = widget.NewButtonWithIcon("Start recording", theme.MediaRecordIcon(), r.onStartStop)
	r.startBtn.Importance = widget.DangerImportance
	r.elapsed = widget.NewLabelWithStyle("0:00", fyne.TextAlignLeading, fyne.TextStyle{Bold: true, Monospace: true})
	r.dropped = widget.NewLabel("")
	r.share = newShareBar()
	r.cue = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	r.cue.Importance = widget.DangerImportance
	r.devErr = widget.NewLabel("")
	r.devErr.Wrapping = fyne.TextWrapWord
	r.devErr.Importance = widget.WarningImportance
	refresh := widget.NewButtonWithIcon("Refresh devices", theme.ViewRefreshIcon(), r.loadDevices)

	r.twoBox = container.New(layout.NewFormLayout(),
		widget.NewLabel("Rep microphone"), container.NewBorder(nil, nil, nil, r.repMeter, r.repDev),
		widget.NewLabel("Customer source"), container.NewBorder(nil, nil, nil, r.custMeter, r.custDev),
	)
	r.stereoBox = container.New(layout.NewFormLayout(),
		widget.NewLabel("Stereo device"), r.stereoDev,
		widget.NewLabel("Rep channel"), r.repChannel,
	)
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel("Rep"), r.repName,
		widget.NewLabel("Title"), r.title,
	)
	live := container.NewVBox(
		widget.NewLabelWithStyle("Live", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(widget.NewLabel("Elapsed"), r.elapsed, layout.NewSpacer(), r.dropped),
		widget.NewLabel("Your talk share so far"),
		r.share,
		r.cue,
	)
	hint := widget.NewLabel("Ctrl+R starts and stops recording. Speak and watch the meters: the right device moves.")
	hint.SizeName = theme.SizeNameCaptionText
	r.content = container.NewVScroll(container.NewPadded(container.NewVBox(
		container.NewBorder(nil, nil, nil, refresh, r.mode),
		r.twoBox, r.stereoBox, r.devErr,
		widget.NewSeparator(), form,
		container.NewHBox(r.startBtn), hint,
		widget.NewSeparator(), live,
	)))

	p := a.prefs
	r.repName.SetText(p.Author)
	r.repChannel.SetSelected(p.RepChannel)
	if p.StereoDevice != "" && p.RepDevice == "" {
		r.mode.SetSelected(modeStereo)
	} else {
		r.mode.SetSelected(modeTwo)
	}
	r.onMode()
	return r
}

func (r *recordScreen) onMode() {
	if r.mode.Selected == modeStereo {
		r.twoBox.Hide()
		r.stereoBox.Show()
	} else {
		r.twoBox.Show()
		r.stereoBox.Hide()
	}
	r.restartMonitors()
}

// onShow lists the devices and starts the level monitors.
func (r *recordScreen) onShow() {
	if len(r.devices) == 0 {
		r.loadDevices()
		return
	}
	r.restartMonitors()
}

// onHide stops the monitors (not a recording).
func (r *recordScreen) onHide() {
	if r.recording == nil {
		r.stopMonitors()
	}
}

func (r *recordScreen) loadDevices() {
	if r.app.rec == nil {
		r.devErr.SetText("Recording is not available.")
		r.startBtn.Disable()
		return
	}
	rec := r.app.rec
	runAsync(func() {
		devs, err := rec.Devices()
		fyne.Do(func() {
			if err != nil {
				r.devErr.SetText(err.Error())
				return
			}
			r.setDevices(devs)
		})
	})
}

func (r *recordScreen) setDevices(devs []Device) {
	r.devices = devs
	var names, stereo []string
	defIn := ""
	for _, d := range devs {
		names = append(names, d.Name)
		if d.Channels >= 2 {
			stereo = append(stereo, d.Name)
		}
		if d.Default && defIn == "" {
			defIn = d.Name
		}
	}
	r.repDev.Options, r.custDev.Options, r.stereoDev.Options = names, names, stereo
	p := r.app.prefs
	pick := func(s *widget.Select, want, fallback string) {
		for _, n := range s.Options {
			if n == want {
				s.SetSelected(n)
				return
			}
		}
		if fallback != "" {
			s.SetSelected(fallback)
		}
	}
	pick(r.repDev, p.RepDevice, defIn)
	pick(r.custDev, p.CustomerDevice, "")
	pick(r.stereoDev, p.StereoDevice, "")
	if len(devs) == 0 {
		r.devErr.SetText("No input devices found: plug in a microphone or headset, check the system's sound settings, then Refresh devices.")
	} else {
		r.devErr.SetText("")
	}
	r.restartMonitors()
}

// restartMonitors watches the chosen devices' levels before recording.
// Opening and closing devices can take a while, so it happens off the UI
// goroutine; a newer choice supersedes a pending one.
func (r *recordScreen) restartMonitors() {
	if r.app.rec == nil || r.recording != nil || r.starting || r.app.Current() != "record" {
		return
	}
	key := r.mode.Selected + "|" + r.repDev.Selected + "|" + r.custDev.Selected + "|" + r.stereoDev.Selected
	if key == r.monitored {
		return
	}
	old := r.takeMonitors()
	r.monitored = key
	gen := r.monGen
	type watch struct {
		dev string
		set func(float64)
	}
	setRep := func(v float64) { r.mu.Lock(); r.repLvl = v; r.mu.Unlock() }
	setCust := func(v float64) { r.mu.Lock(); r.custLvl = v; r.mu.Unlock() }
	var ws []watch
	if r.mode.Selected == modeStereo {
		ws = append(ws, watch{r.stereoDev.Selected, setRep})
	} else {
		ws = append(ws, watch{r.repDev.Selected, setRep}, watch{r.custDev.Selected, setCust})
	}
	rec := r.app.rec
	runAsync(func() {
		closeAll(old)
		var stops []func()
		var errs []string
		for _, w := range ws {
			if w.dev == "" {
				continue
			}
			stop, err := rec.Monitor(w.dev, w.set)
			if err != nil {
				errs = append(errs, err.Error())
				continue
			}
			stops = append(stops, stop)
		}
		fyne.Do(func() {
			if gen != r.monGen {
				go closeAll(stops) // superseded meanwhile
				return
			}
			r.stopMon = stops
			r.devErr.SetText(strings.Join(errs, "\n"))
			r.startTicker()
		})
	})
}

// takeMonitors detaches the running monitors (and cancels pending ones)
// for the caller to close.
func (r *recordScreen) takeMonitors() []func() {
	r.monGen++
	old := r.stopMon
	r.stopMon = nil
	r.monitored = ""
	r.mu.Lock()
	r.repLvl, r.custLvl = 0, 0
	r.mu.Unlock()
	return old
}

func closeAll(stops []func()) {
	for _, s := range stops {
		s()
	}
}

// stopMonitors stops watching the devices (in the background).
func (r *recordScreen) stopMonitors() {
	old := r.takeMonitors()
	if len(old) > 0 {
		runAsync(func() { closeAll(old) })
	}
	if r.recording == nil {
		r.stopTickerNow()
		r.drawLive()
	}
}

// startTicker draws the latest levels and live figures at liveHz.
func (r *recordScreen) startTicker() {
	if r.stopTick != nil {
		return
	}
	stop := make(chan struct{})
	r.stopTick = stop
	go func() {
		t := time.NewTicker(time.Second / liveHz)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				fyne.Do(r.drawLive)
			}
		}
	}()
}

func (r *recordScreen) stopTickerNow() {
	if r.stopTick != nil {
		close(r.stopTick)
		r.stopTick = nil
	}
}

// drawLive applies the latest figures to the widgets (UI goroutine).
func (r *recordScreen) drawLive() {
	r.mu.Lock()
	rep, cust, lv := r.repLvl, r.custLvl, r.latest
	r.latest = nil
	r.mu.Unlock()
	if lv != nil {
		rep, cust = lv.RepLevel, lv.CustomerLevel
		r.applyLive(*lv)
	}
	r.repMeter.SetLevel(rep)
	r.custMeter.SetLevel(cust)
	if !r.cueUntil.IsZero() && time.Now().After(r.cueUntil) {
		r.cue.SetText("")
		r.cueUntil = time.Time{}
	}
}

// applyLive shows one set of live figures.
func (r *recordScreen) applyLive(lv Live) {
	r.elapsed.SetText(fmtClock(lv.Elapsed))
	if lv.Dropped > 0 {
		r.dropped.SetText(fmt.Sprintf("%d dropped buffers", lv.Dropped))
	} else {
		r.dropped.SetText("")
	}
	p := r.app.prefs
	r.share.Set(lv.RepTalkShare, lv.Talked, p.Amber, p.Red)
	if in := lv.LastInterruption; in != nil && in.At != r.lastIntAt {
		r.lastIntAt = in.At
		if in.By == analysis.Rep {
			r.cue.SetText(fmt.Sprintf("You interrupted the customer at %s: let them finish", fmtClock(in.At.D())))
		} else {
			r.cue.SetText(fmt.Sprintf("The customer cut in at %s: let them speak", fmtClock(in.At.D())))
		}
		r.cueUntil = time.Now().Add(interruptionCueFor)
	}
}

// onStartStop starts a recording (after the one-time consent reminder) or
// stops the one under way.
func (r *recordScreen) onStartStop() {
	if r.starting {
		return
	}
	if r.recording != nil {
		r.stop()
		return
	}
	if r.app.rec == nil {
		r.app.showError("Cannot record", errors.New("no recorder is available"))
		return
	}
	if !r.app.prefs.ConsentShown {
		dialog.ShowCustomConfirm("Before you record", "I understand, record", "Cancel",
			wrapLabel(consentText), func(ok bool) {
				if ok {
					r.app.prefs.ConsentShown = true
					r.app.savePrefs()
					r.start()
				}
			}, r.app.win)
		return
	}
	r.start()
}

func wrapLabel(s string) fyne.CanvasObject {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return container.NewGridWrap(fyne.NewSize(420, 110), l)
}

// request is the recording the widgets describe.
func (r *recordScreen) request() (RecordRequest, error) {
	req := RecordRequest{Rate: r.app.prefs.Rate, Rep: strings.TrimSpace(r.repName.Text), Title: strings.TrimSpace(r.title.Text)}
	if r.mode.Selected == modeStereo {
		req.StereoDevice, req.RepChannel = r.stereoDev.Selected, r.repChannel.Selected
		if req.StereoDevice == "" {
			return req, errors.New("choose the stereo device first")
		}
		if req.RepChannel == "" {
			req.RepChannel = "left"
		}
		return req, nil
	}
	req.RepDevice, req.CustomerDevice = r.repDev.Selected, r.custDev.Selected
	if req.RepDevice == "" || req.CustomerDevice == "" {
		return req, errors.New("choose both the rep's microphone and the customer's source first")
	}
	if req.RepDevice == req.CustomerDevice {
		return req, errors.New("the microphone and the customer source are the same device: pick the headset's monitor (or another input) for the customer, or use one stereo device")
	}
	return req, nil
}

func (r *recordScreen) start() {
	req, err := r.request()
	if err != nil {
		r.app.showError("Cannot record yet", err)
		return
	}
	old := r.takeMonitors()
	r.starting = true
	r.startBtn.Disable()
	r.startBtn.SetText("Starting…")
	rec := r.app.rec
	runAsync(func() {
		closeAll(old) // the recorder opens the same devices
		recording, err := rec.Start(req, r.onLive, r.onEnded)
		fyne.Do(func() { r.started(req, recording, err) })
	})
}

// started shows a recording under way, or why it could not start.
func (r *recordScreen) started(req RecordRequest, rec Recording, err error) {
	r.starting = false
	r.startBtn.Enable()
	if err != nil {
		r.startBtn.SetText("Start recording")
		r.app.showError("Could not start recording", err)
		r.restartMonitors()
		return
	}
	r.recording = rec
	r.lastIntAt = -1
	r.share.Set(0, false, r.app.prefs.Amber, r.app.prefs.Red)
	r.cue.SetText("")
	r.elapsed.SetText("0:00")
	r.startBtn.SetText("Stop recording")
	r.startBtn.SetIcon(theme.MediaStopIcon())
	r.setPickersEnabled(false)
	p := &r.app.prefs
	p.Author = req.Rep
	p.RepDevice, p.CustomerDevice, p.StereoDevice, p.RepChannel = req.RepDevice, req.CustomerDevice, req.StereoDevice, firstNonEmpty(req.RepChannel, p.RepChannel)
	r.app.savePrefs()
	r.startTicker()
	r.app.notify("recording…")
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// onLive receives live figures on the recorder's goroutine: keep the latest,
// the ticker draws it.
func (r *recordScreen) onLive(lv Live) {
	r.mu.Lock()
	r.latest = &lv
	r.mu.Unlock()
}

// onEnded is called by the recorder when a recording ends by itself.
func (r *recordScreen) onEnded(id int64, err error) {
	fyne.Do(func() {
		r.finished()
		if err != nil {
			r.app.showError("The recording stopped", err)
		}
		if id > 0 {
			r.app.library.reload()
			r.app.OpenCall(id, 0)
		}
	})
}

func (r *recordScreen) stop() {
	if r.stopping {
		return
	}
	r.stopping = true
	rec := r.recording
	r.startBtn.Disable()
	r.startBtn.SetText("Analysing…")
	runAsync(func() {
		id, err := rec.Stop()
		fyne.Do(func() {
			r.finished()
			if err != nil {
				r.app.showError("Could not finish the recording", err)
			}
			if id > 0 {
				r.app.library.reload()
				r.app.trends.reload()
				r.app.OpenCall(id, 0)
			}
		})
	})
}

func (r *recordScreen) finished() {
	r.drawLive()
	r.recording = nil
	r.stopping = false
	r.startBtn.Enable()
	r.startBtn.SetText("Start recording")
	r.startBtn.SetIcon(theme.MediaRecordIcon())
	r.setPickersEnabled(true)
	r.stopTickerNow()
	r.restartMonitors()
}

func (r *recordScreen) setPickersEnabled(on bool) {
	for _, w := range []interface {
		Enable()
		Disable()
	}{r.mode, r.repDev, r.custDev, r.stereoDev, r.repChannel, r.repName, r.title} {
		if on {
			w.Enable()
		} else {
			w.Disable()
		}
	}
}

// levelMeter is a small horizontal input level bar.
type levelMeter struct {
	widget.BaseWidget
	level float64
	bg    *canvas.Rectangle
	bar   *canvas.Rectangle
}

func newLevelMeter() *levelMeter {
	m := &levelMeter{}
	m.bg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	m.bar = canvas.NewRectangle(color.NRGBA{0x2e, 0xa0, 0x4f, 0xff})
	m.ExtendBaseWidget(m)
	return m
}

// SetLevel shows a level in 0..1 (values above 1 clip).
func (m *levelMeter) SetLevel(v float64) {
	v = min(max(v, 0), 1)
	if v == m.level {
		return
	}
	m.level = v
	m.Refresh()
}

func (m *levelMeter) CreateRenderer() fyne.WidgetRenderer {
	return &meterRenderer{m: m}
}

type meterRenderer struct{ m *levelMeter }

func (r *meterRenderer) Layout(s fyne.Size) {
	r.m.bg.Resize(s)
	r.m.bar.Resize(fyne.NewSize(s.Width*float32(r.m.level), s.Height))
}
func (r *meterRenderer) MinSize() fyne.Size { return fyne.NewSize(120, 18) }
func (r *meterRenderer) Refresh() {
	r.m.bg.FillColor = theme.Color(theme.ColorNameInputBackground)
	r.m.bar.FillColor = color.NRGBA{0x2e, 0xa0, 0x4f, 0xff}
	if r.m.level > 0.9 {
		r.m.bar.FillColor = color.NRGBA{0xd8, 0x36, 0x36, 0xff} // clipping
	}
	r.Layout(r.m.Size())
	r.m.bg.Refresh()
	r.m.bar.Refresh()
}
func (r *meterRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.m.bg, r.m.bar} }
func (r *meterRenderer) Destroy()                     {}

// shareBar is the live talk-share bar: green, amber above the amber
// threshold, red above the red one, with the thresholds marked.
type shareBar struct {
	widget.BaseWidget
	share      float64
	talked     bool
	amber, red float64
	level      ShareLevel

	bg, bar           *canvas.Rectangle
	amberMark, redMrk *canvas.Line
	text              *canvas.Text
}

func newShareBar() *shareBar {
	b := &shareBar{amber: 0.6, red: 0.7}
	b.bg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	b.bar = canvas.NewRectangle(shareColor(ShareOK))
	b.amberMark = canvas.NewLine(shareColor(ShareAmber))
	b.amberMark.StrokeWidth = 2
	b.redMrk = canvas.NewLine(shareColor(ShareRed))
	b.redMrk.StrokeWidth = 2
	b.text = canvas.NewText("no speech yet", theme.Color(theme.ColorNameForeground))
	b.text.TextStyle.Bold = true
	b.ExtendBaseWidget(b)
	return b
}

// Set shows the rep's share (0..1) so far against the thresholds.
func (b *shareBar) Set(share float64, talked bool, amber, red float64) {
	b.share, b.talked, b.amber, b.red = share, talked, amber, red
	b.level = GradeShare(share, amber, red)
	if !talked {
		b.level = ShareOK
	}
	b.Refresh()
}

// Level is the bar's current grade.
func (b *shareBar) Level() ShareLevel { return b.level }

func (b *shareBar) CreateRenderer() fyne.WidgetRenderer { return &shareRenderer{b: b} }

type shareRenderer struct{ b *shareBar }

func (r *shareRenderer) Layout(s fyne.Size) {
	b := r.b
	b.bg.Resize(s)
	w := float32(0)
	if b.talked {
		w = s.Width * float32(min(max(b.share, 0), 1))
	}
	b.bar.Resize(fyne.NewSize(w, s.Height))
	b.amberMark.Position1 = fyne.NewPos(s.Width*float32(b.amber), 0)
	b.amberMark.Position2 = fyne.NewPos(s.Width*float32(b.amber), s.Height)
	b.redMrk.Position1 = fyne.NewPos(s.Width*float32(b.red), 0)
	b.redMrk.Position2 = fyne.NewPos(s.Width*float32(b.red), s.Height)
	ts := b.text.MinSize()
	b.text.Move(fyne.NewPos(8, (s.Height-ts.Height)/2))
}

func (r *shareRenderer) MinSize() fyne.Size { return fyne.NewSize(300, 36) }

func (r *shareRenderer) Refresh() {
	b := r.b
	b.bg.FillColor = theme.Color(theme.ColorNameInputBackground)
	b.bar.FillColor = shareColor(b.level)
	b.text.Color = theme.Color(theme.ColorNameForeground)
	if b.talked {
		b.text.Text = fmt.Sprintf("%s  (amber above %s, red above %s)", fmtPct(b.share), fmtPct(b.amber), fmtPct(b.red))
	} else {
		b.text.Text = "no speech yet"
	}
	r.Layout(b.Size())
	for _, o := range r.Objects() {
		o.Refresh()
	}
}

func (r *shareRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.b.bg, r.b.bar, r.b.amberMark, r.b.redMrk, r.b.text}
}
func (r *shareRenderer) Destroy() {}
