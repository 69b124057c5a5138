package ui

import (
	"context"
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
	"callcoach/audio"
	"callcoach/audio/device"
	"callcoach/audio/record"
	"callcoach/callflow"
	"callcoach/store"
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
// live talk share, the interruption cue and the running counts. The
// recording itself is callflow's (through App.rec): one session per choice
// of devices, watched for levels from the moment it is chosen and
// recording on the same running streams when Start is pressed.
type recordScreen struct {
	app *App

	mode       *widget.RadioGroup
	repDev     *widget.Select
	custDev    *widget.Select
	stereoDev  *widget.Select
	repChannel *widget.RadioGroup
	repMeter   *levelMeter
	custMeter  *levelMeter
	repState   *widget.Label
	custState  *widget.Label
	repName    *widget.Entry
	title      *widget.Entry
	startBtn   *widget.Button
	elapsed    *widget.Label
	dropped    *widget.Label
	share      *shareBar
	counts     *widget.Label
	cue        *widget.Label
	devErr     *widget.Label
	twoBox     *fyne.Container
	stereoBox  *fyne.Container
	content    fyne.CanvasObject

	devices []device.Device
	// sess is the session open for the current choice (sessKey); sessGen
	// numbers the sessions so that a superseded one that opens late, or
	// ends, is ignored.
	sess      Session
	sessKey   string
	sessGen   int
	opening   bool
	recording *store.Call // the call being recorded, nil when not
	starting  bool
	stopping  bool
	cueUntil  time.Time
	lastIntAt analysis.Dur

	// The latest live figures, written by the session's goroutine and
	// drawn by one ticker at liveHz.
	mu       sync.Mutex
	latest   record.Live
	fresh    bool
	heard    bool // both devices of the open session have delivered sound
	stopTick chan struct{}
}

func newRecordScreen(a *App) *recordScreen {
	r := &recordScreen{app: a}
	r.mode = widget.NewRadioGroup([]string{modeTwo, modeStereo}, func(string) { r.onMode() })
	r.mode.Horizontal = true
	r.repDev = widget.NewSelect(nil, func(string) { r.reopen() })
	r.repDev.PlaceHolder = "choose the microphone"
	r.custDev = widget.NewSelect(nil, func(string) { r.reopen() })
	r.custDev.PlaceHolder = "choose the customer's source (e.g. the headset's monitor)"
	r.stereoDev = widget.NewSelect(nil, func(string) { r.reopen() })
	r.stereoDev.PlaceHolder = "choose the stereo device"
	r.repChannel = widget.NewRadioGroup([]string{audio.Left.String(), audio.Right.String()}, func(string) { r.reopen() })
	r.repChannel.Horizontal = true
	r.repMeter = newLevelMeter()
	r.custMeter = newLevelMeter()
	r.repState = widget.NewLabel("")
	r.custState = widget.NewLabel("")
	r.repName = widget.NewEntry()
	r.repName.SetPlaceHolder("your name")
	r.title = widget.NewEntry()
	r.title.SetPlaceHolder("e.g. Acme renewal")
	r.startBtn = widget.NewButtonWithIcon("Start recording", theme.MediaRecordIcon(), r.onStartStop)
	r.startBtn.Importance = widget.DangerImportance
	r.elapsed = widget.NewLabelWithStyle("0:00", fyne.TextAlignLeading, fyne.TextStyle{Bold: true, Monospace: true})
	r.dropped = widget.NewLabel("")
	r.share = newShareBar()
	r.counts = widget.NewLabel(countsText(0, 0))
	r.cue = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	r.cue.Importance = widget.DangerImportance
	r.devErr = widget.NewLabel("")
	r.devErr.Wrapping = fyne.TextWrapWord
	r.devErr.Importance = widget.WarningImportance
	refresh := widget.NewButtonWithIcon("Refresh devices", theme.ViewRefreshIcon(), r.loadDevices)

	r.twoBox = container.New(layout.NewFormLayout(),
		widget.NewLabel("Rep microphone"), r.repDev,
		widget.NewLabel("Customer source"), r.custDev,
	)
	r.stereoBox = container.New(layout.NewFormLayout(),
		widget.NewLabel("Stereo device"), r.stereoDev,
		widget.NewLabel("Rep channel"), r.repChannel,
	)
	levels := container.New(layout.NewFormLayout(),
		widget.NewLabel("Rep level"), container.NewBorder(nil, nil, nil, r.repState, r.repMeter),
		widget.NewLabel("Customer level"), container.NewBorder(nil, nil, nil, r.custState, r.custMeter),
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
		r.counts,
		r.cue,
	)
	hint := widget.NewLabel("Ctrl+R starts and stops recording, wherever you are. Speak and watch the meters: the right device moves.")
	hint.SizeName = theme.SizeNameCaptionText
	r.content = container.NewVScroll(container.NewPadded(container.NewVBox(
		container.NewBorder(nil, nil, nil, refresh, r.mode),
		r.twoBox, r.stereoBox, levels, r.devErr,
		widget.NewSeparator(), form,
		container.NewHBox(r.startBtn), hint,
		widget.NewSeparator(), live,
	)))

	p := a.prefs
	r.repName.SetText(p.Author)
	r.repChannel.SetSelected(p.RepChannel.String())
	if p.StereoDevice != "" && p.RepDevice == "" {
		r.mode.SetSelected(modeStereo)
	} else {
		r.mode.SetSelected(modeTwo)
	}
	r.onMode()
	return r
}

// countsText is the running count on the live panel.
func countsText(rep, talkedOver int) string {
	return fmt.Sprintf("Your interruptions: %d   ·   Customer attempts you talked over: %d", rep, talkedOver)
}

func (r *recordScreen) onMode() {
	if r.mode.Selected == modeStereo {
		r.twoBox.Hide()
		r.stereoBox.Show()
	} else {
		r.twoBox.Show()
		r.stereoBox.Hide()
	}
	r.reopen()
}

// onShow lists the devices and starts watching the chosen ones.
func (r *recordScreen) onShow() {
	if len(r.devices) == 0 {
		r.loadDevices()
		return
	}
	r.reopen()
}

// onHide stops watching the devices (not a recording).
func (r *recordScreen) onHide() {
	if r.recording == nil && !r.starting && !r.stopping {
		r.closeSession()
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
		devs, err := rec.Inputs()
		fyne.Do(func() {
			if err != nil {
				r.devErr.SetText(err.Error())
				return
			}
			r.setDevices(devs)
		})
	})
}

func (r *recordScreen) setDevices(devs []device.Device) {
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
	r.sessKey = "" // the devices may have changed under the same names
	r.reopen()
}

// inputs is the choice of devices the widgets show.
func (r *recordScreen) inputs() callflow.Inputs {
	in := callflow.Inputs{Rate: r.app.prefs.Rate}
	if r.mode.Selected == modeStereo {
		in.Stereo = r.stereoDev.Selected
		in.RepChannel, _ = audio.ParseSide(r.repChannel.Selected)
		return in
	}
	in.Rep, in.Customer = r.repDev.Selected, r.custDev.Selected
	if in.Rep == in.Customer {
		in.Customer = "" // watch the microphone; Start says what is wrong
	}
	return in
}

// reopen opens a session on the chosen devices (closing the last one) so
// that their meters move. Opening devices can take a while, so it happens
// off the UI goroutine; a newer choice supersedes a pending one.
func (r *recordScreen) reopen() {
	if r.app.rec == nil || r.recording != nil || r.starting || r.stopping || r.app.Current() != "record" {
		return
	}
	in := r.inputs()
	key := fmt.Sprint(in)
	if key == r.sessKey && (r.sess != nil || r.opening) {
		return
	}
	old := r.takeSession()
	r.sessKey = key
	if in.Stereo == "" && in.Rep == "" {
		if old != nil {
			runAsync(func() { old.Stop() })
		}
		return
	}
	gen := r.sessGen
	r.opening = true
	rec := r.app.rec
	runAsync(func() {
		if old != nil {
			old.Stop()
		}
		s, err := rec.Open(in, r.watch(gen))
		fyne.Do(func() {
			if gen != r.sessGen {
				if s != nil {
					go s.Stop() // superseded meanwhile
				}
				return
			}
			r.opening = false
			if err != nil {
				r.devErr.SetText(err.Error())
				return
			}
			r.sess = s
			r.devErr.SetText("")
			r.startTicker()
		})
	})
}

// watch is what session gen reports to the screen.
func (r *recordScreen) watch(gen int) callflow.Watch {
	return callflow.Watch{
		Live: r.onLive,
		Ended: func(rec *callflow.Recorded, why error) {
			fyne.Do(func() { r.onEnded(gen, rec, why) })
		},
		Analysing: r.analysing(gen),
	}
}

// analysing shows how far the finished recording's analysis has come on
// the (disabled) stop button, a step per percent, until it is filed.
func (r *recordScreen) analysing(gen int) func(callflow.Progress) {
	last := -1
	return func(p callflow.Progress) {
		pc := 0
		if p.Total > 0 {
			pc = int(min(100, 100*p.Done/p.Total))
		}
		if pc == last {
			return
		}
		last = pc
		fyne.Do(func() {
			if gen != r.sessGen || r.recording == nil {
				return
			}
			r.startBtn.Disable()
			r.startBtn.SetText(fmt.Sprintf("Analysing… %d%%", pc))
		})
	}
}

// takeSession detaches the open session (and cancels a pending one) for
// the caller to stop, and blanks the meters.
func (r *recordScreen) takeSession() Session {
	r.sessGen++
	old := r.sess
	r.sess, r.sessKey, r.opening = nil, "", false
	r.mu.Lock()
	r.latest, r.fresh, r.heard = record.Live{}, true, false
	r.mu.Unlock()
	return old
}

// closeSession stops watching the devices (in the background).
func (r *recordScreen) closeSession() {
	if old := r.takeSession(); old != nil {
		runAsync(func() { old.Stop() })
	}
	r.stopTickerNow()
	r.drawLive()
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

// drawLive applies the latest figures to the widgets (UI goroutine): the
// meters always (before and during a recording, so a dead device shows at
// once), the call's figures while recording.
func (r *recordScreen) drawLive() {
	r.mu.Lock()
	lv, fresh := r.latest, r.fresh
	r.fresh = false
	r.mu.Unlock()
	if fresh {
		r.repMeter.SetLevel(lv.RepPeak)
		r.custMeter.SetLevel(lv.CustomerPeak)
		r.repState.SetText(waitingText(r.sess != nil && lv.RepWaiting))
		r.custState.SetText(waitingText(r.sess != nil && lv.CustomerWaiting && r.expectsCustomer()))
		if lv.Recording && r.recording != nil {
			r.applyLive(lv)
		}
	}
	if !r.cueUntil.IsZero() && time.Now().After(r.cueUntil) {
		r.cue.SetText("")
		r.cueUntil = time.Time{}
	}
}

// expectsCustomer says whether the choice has a customer device to meter.
func (r *recordScreen) expectsCustomer() bool {
	in := r.inputs()
	return in.Stereo != "" || in.Customer != ""
}

func waitingText(waiting bool) string {
	if waiting {
		return "no sound yet"
	}
	return ""
}

// applyLive shows one set of live figures.
func (r *recordScreen) applyLive(lv record.Live) {
	r.elapsed.SetText(fmtClock(lv.Elapsed))
	if n := lv.Dropped + lv.Overflows; n > 0 {
		r.dropped.SetText(fmt.Sprintf("%d dropped buffers", n))
	} else {
		r.dropped.SetText("")
	}
	p := r.app.prefs
	r.share.Set(lv.RepTalkShare, lv.Talk.Rep+lv.Talk.Customer > 0, p.Amber, p.Red)
	r.counts.SetText(countsText(lv.RepInterruptions, lv.TalkedOver))
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

// start records on the open session (or opens one), and says "recording"
// only once sound flows from both devices.
func (r *recordScreen) start() {
	in := r.inputs()
	if r.mode.Selected != modeStereo {
		in.Customer = r.custDev.Selected
	}
	if err := in.Check(); err != nil {
		r.app.showError("Cannot record yet", err)
		return
	}
	sess := r.sess
	if fmt.Sprint(in) != r.sessKey {
		sess = nil
	}
	gen := r.sessGen
	if sess == nil {
		if old := r.takeSession(); old != nil {
			runAsync(func() { old.Stop() })
		}
		gen = r.sessGen
		r.sessKey = fmt.Sprint(in)
	}
	r.starting = true
	r.startBtn.Disable()
	r.startBtn.SetText("Starting… waiting for sound from both devices")
	r.setPickersEnabled(false)
	info := store.CallInfo{Title: strings.TrimSpace(r.title.Text), Rep: strings.TrimSpace(r.repName.Text)}
	rec := r.app.rec
	r.startTicker()
	runAsync(func() {
		s, err := sess, error(nil)
		if s == nil {
			s, err = rec.Open(in, r.watch(gen))
		}
		var call *store.Call
		if err == nil {
			call, err = s.Record(context.Background(), info)
		}
		fyne.Do(func() { r.started(gen, in, s, call, err) })
	})
}

// started shows a recording under way, or why it could not start.
func (r *recordScreen) started(gen int, in callflow.Inputs, s Session, call *store.Call, err error) {
	r.starting = false
	r.startBtn.Enable()
	r.setPickersEnabled(true)
	if err != nil || gen != r.sessGen {
		r.startBtn.SetText("Start recording")
		if s != nil {
			go s.Stop()
		}
		r.sess, r.sessKey = nil, ""
		if err != nil {
			r.app.showError("Could not start recording", err)
		}
		r.reopen()
		return
	}
	r.sess, r.opening = s, false
	r.recording = call
	r.lastIntAt = -1
	r.share.Set(0, false, r.app.prefs.Amber, r.app.prefs.Red)
	r.counts.SetText(countsText(0, 0))
	r.cue.SetText("")
	r.elapsed.SetText("0:00")
	r.startBtn.SetText("Stop recording")
	r.startBtn.SetIcon(theme.MediaStopIcon())
	r.setPickersEnabled(false)
	p := &r.app.prefs
	p.Author = firstNonEmpty(call.Rep, p.Author)
	p.RepDevice, p.CustomerDevice, p.StereoDevice, p.RepChannel = in.Rep, in.Customer, in.Stereo, in.RepChannel
	r.app.savePrefs()
	r.app.notify("recording…")
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// onLive receives live figures on the session's goroutine: keep the
// latest, the ticker draws it.
func (r *recordScreen) onLive(lv record.Live) {
	r.mu.Lock()
	r.latest, r.fresh = lv, true
	r.heard = !lv.RepWaiting && !lv.CustomerWaiting
	r.mu.Unlock()
}

// soundFromBoth says whether both chosen devices have delivered sound.
func (r *recordScreen) soundFromBoth() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.heard
}

// onEnded handles a session that ended by itself (UI goroutine): a
// recording is filed already and opens in Review; a device lost while
// only watched is said.
func (r *recordScreen) onEnded(gen int, rec *callflow.Recorded, why error) {
	if gen != r.sessGen {
		return
	}
	wasRecording := r.recording != nil
	r.sess, r.sessKey = nil, ""
	if !wasRecording {
		if why != nil {
			r.devErr.SetText(why.Error())
		}
		r.mu.Lock()
		r.latest, r.fresh = record.Live{}, true
		r.mu.Unlock()
		return
	}
	r.finished()
	if why != nil {
		r.app.showError("The recording stopped", why)
	}
	if rec != nil && rec.Call != nil {
		r.app.library.reload()
		r.app.trends.reload()
		r.app.OpenCall(rec.Call.ID, 0)
	}
}

func (r *recordScreen) stop() {
	if r.stopping {
		return
	}
	r.stopping = true
	sess := r.sess
	r.startBtn.Disable()
	r.startBtn.SetText("Analysing…")
	runAsync(func() {
		rec, err := sess.Stop()
		fyne.Do(func() {
			r.sess, r.sessKey = nil, ""
			r.sessGen++
			r.finished()
			if err != nil {
				r.app.showError("Could not finish the recording", err)
			}
			if rec != nil && rec.Call != nil {
				r.app.library.reload()
				r.app.trends.reload()
				r.app.OpenCall(rec.Call.ID, 0)
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
	r.reopen()
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
