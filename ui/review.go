package ui

import (
	"context"
	"fmt"
	"image/color"
	"log"
	"math"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"callcoach/analysis"
	"callcoach/store"
)

// skipStep is how far the arrow keys and skip buttons move the playhead.
const skipStep = 5 * time.Second

// playheadHz is how often the playhead follows the player while playing.
const playheadHz = 30

// reviewScreen shows one call: timeline, transport, metrics, annotations.
type reviewScreen struct {
	app *App

	call  *store.Call
	notes []store.Annotation
	// loadSeq numbers call loads so a slow envelope of an earlier call never
	// lands on a later one.
	loadSeq int

	title    *widget.Label
	subtitle *widget.Label
	timeline *Timeline
	playBtn  *widget.Button
	zoomIn   *widget.Button
	bothEars *widget.Check
	zoomOut  *widget.Button
	fit      *widget.Button
	position *widget.Label
	annotate *widget.Button
	// reportBtn, exportBtn and importBtn share the call (share.go).
	reportBtn, exportBtn, importBtn *widget.Button
	selLabel                        *widget.Label
	scroll                          *widget.Slider
	verdict                         *canvas.Text
	score                           *widget.Label
	reasons                         *widget.Label
	figures                         *fyne.Container
	delivery                        *deliveryPanel
	voices                          *voicesPanel
	warnings                        *warningsBanner
	repeats                         *repeatsPanel
	interrupts                      *widget.List
	legend                          *fyne.Container
	intsTitle                       *widget.Label
	noteList                        *widget.List
	empty                           *widget.Label
	content                         fyne.CanvasObject

	playing    bool
	stopTicker chan struct{}

	// lastOpen is how long the last call took from request to first draw
	// (analysis and segments shown); lastEnvelope when its waveform landed.
	lastOpen, lastEnvelope time.Duration
	lastCached             bool
	// onEnvelope, if set, is called when the waveform has been read (the
	// screenshot tour waits for it).
	onEnvelope func()
}

func newReviewScreen(a *App) *reviewScreen {
	r := &reviewScreen{app: a}
	r.title = widget.NewLabelWithStyle("No call open", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.title.Truncation = fyne.TextTruncateEllipsis
	r.subtitle = widget.NewLabel("Open a call from the Library, or record one.")
	r.subtitle.Truncation = fyne.TextTruncateEllipsis
	r.timeline = NewTimeline()
	r.timeline.OnSeek = r.onSeek
	r.timeline.OnSelect = r.onSelect
	r.timeline.OnInterruption = r.onInterruption
	r.timeline.OnViewChange = func(View) { r.syncScroll() }

	r.playBtn = widget.NewButtonWithIcon("Play", theme.MediaPlayIcon(), r.onPlayPause)
	back := widget.NewButtonWithIcon("", theme.MediaFastRewindIcon(), func() { r.skip(-skipStep) })
	fwd := widget.NewButtonWithIcon("", theme.MediaFastForwardIcon(), func() { r.skip(skipStep) })
	r.position = widget.NewLabel("0:00.0 / 0:00")
	r.zoomIn = widget.NewButtonWithIcon("", theme.ZoomInIcon(), func() { r.timeline.Zoom(0.5) })
	r.zoomOut = widget.NewButtonWithIcon("", theme.ZoomOutIcon(), func() { r.timeline.Zoom(2) })
	r.fit = widget.NewButtonWithIcon("", theme.ZoomFitIcon(), func() { r.timeline.SetView(FullView(r.timeline.View().Total)) })
	r.annotate = widget.NewButtonWithIcon("Annotate…", theme.DocumentCreateIcon(), r.onAnnotate)
	r.annotate.Disable()
	r.selLabel = widget.NewLabel("")
	r.bothEars = widget.NewCheck("Both ears", func(on bool) { r.app.setBothEars(on) })
	r.bothEars.SetChecked(true)
	r.scroll = widget.NewSlider(0, 1)
	r.scroll.Step = 0.001
	r.scroll.OnChanged = r.onScroll

	r.verdict = canvas.NewText("", verdictColor(""))
	r.verdict.TextSize = theme.TextHeadingSize()
	r.verdict.TextStyle.Bold = true
	r.score = widget.NewLabel("")
	r.reasons = widget.NewLabel("")
	r.reasons.Wrapping = fyne.TextWrapWord
	r.figures = container.New(layout.NewFormLayout())
	r.delivery = newDeliveryPanel(r.seek)
	r.repeats = newRepeatsPanel(r)
	r.interrupts = widget.NewList(
		func() int {
			if r.call == nil || r.call.Result == nil {
				return 0
			}
			return len(r.call.Result.Interruptions)
		},
		func() fyne.CanvasObject {
			l := widget.NewLabel("0:00.0  Customer interrupted the rep, who talked on")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if r.call == nil || r.call.Result == nil || id >= len(r.call.Result.Interruptions) {
				return
			}
			in := r.call.Result.Interruptions[id]
			l := o.(*widget.Label)
			l.Importance = widget.WarningImportance
			if in.By == analysis.Rep {
				l.Importance = widget.DangerImportance
			}
			l.SetText(interruptionLine(in))
		})
	r.interrupts.OnSelected = func(id widget.ListItemID) {
		r.onInterruption(id)
		r.interrupts.UnselectAll()
	}
	r.intsTitle = widget.NewLabelWithStyle("Interruptions (tap to hear)", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.intsTitle.Truncation = fyne.TextTruncateEllipsis // never widens the window

	r.noteList = widget.NewList(
		func() int { return len(r.notes) },
		func() fyne.CanvasObject {
			lbl := widget.NewLabel("0:00–0:00  tag: note (author)")
			lbl.Truncation = fyne.TextTruncateEllipsis
			edit := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), nil)
			clip := widget.NewButtonWithIcon("Clip", theme.ContentCutIcon(), nil)
			del := widget.NewButtonWithIcon("", theme.DeleteIcon(), nil)
			return container.NewBorder(nil, nil, nil, container.NewHBox(edit, clip, del), lbl)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(r.notes) {
				return
			}
			n := r.notes[id]
			c := o.(*fyne.Container)
			c.Objects[0].(*widget.Label).SetText(noteLine(n))
			btns := c.Objects[1].(*fyne.Container).Objects
			btns[0].(*widget.Button).OnTapped = func() { r.onEditNote(n) }
			btns[1].(*widget.Button).OnTapped = func() { r.onSaveClip(n) }
			btns[2].(*widget.Button).OnTapped = func() { r.onDeleteNote(n) }
		})
	r.noteList.OnSelected = func(id widget.ListItemID) {
		if id < len(r.notes) {
			n := r.notes[id]
			r.seek(n.Start)
			if n.End > n.Start {
				r.timeline.SetSelection(Range{n.Start, n.End})
				r.onSelect(Range{n.Start, n.End})
			}
		}
		r.noteList.UnselectAll()
	}
	r.empty = widget.NewLabel("No annotations yet: drag across the timeline to select a moment, then Annotate (A).")
	r.empty.Wrapping = fyne.TextWrapWord

	r.voices = newVoicesPanel(r)
	r.warnings = newWarningsBanner(r)
	transport := container.NewHBox(back, r.playBtn, fwd, r.position, r.bothEars, layout.NewSpacer(),
		r.selLabel, r.annotate, widget.NewSeparator(), r.zoomOut, r.zoomIn, r.fit)
	r.legend = container.NewHBox(legendItems(nil)...)
	timelineBox := container.NewBorder(nil, container.NewVBox(r.scroll, r.legend), nil, nil, r.timeline)
	notesBox := container.NewBorder(container.NewVBox(r.repeats.box, widget.NewLabelWithStyle("Annotations", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})),
		nil, nil, nil, container.NewStack(r.empty, r.noteList))
	left := container.NewVSplit(timelineBox, notesBox)
	left.Offset = 0.62

	metrics := container.NewVBox(
		container.NewHBox(r.verdict, r.score),
		r.reasons,
		r.voices.box,
		r.delivery.box,
		widget.NewSeparator(),
		widget.NewLabelWithStyle("Figures (target)", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		r.figures,
	)
	right := container.NewVSplit(container.NewVScroll(metrics),
		container.NewBorder(r.intsTitle, nil, nil, nil, r.interrupts))
	right.Offset = 0.7
	split := container.NewHSplit(left, right)
	split.Offset = 0.68
	header := container.NewVBox(container.NewBorder(nil, nil, nil, r.shareBar(), r.title), r.subtitle, r.warnings.box, transport)
	r.content = container.NewBorder(header, nil, nil, nil, split)
	r.refreshNotes()
	return r
}

// legendItems explain the timeline's colours for res (nil: a two-party
// call), each swatch blended over the lane background as the timeline draws
// it: a one-channel call whose speakers are not known has speech, not rep
// and customer speech, and nothing "at once".
func legendItems(res *analysis.Result) []fyne.CanvasObject {
	pal := lightPalette()
	if isDark() {
		pal = darkPalette()
	}
	item := func(c color.NRGBA, text string) fyne.CanvasObject {
		sw := canvas.NewRectangle(blendOver(c, pal.laneBG))
		sw.SetMinSize(fyne.NewSize(14, 10))
		l := widget.NewLabel(text)
		l.SizeName = theme.SizeNameCaptionText
		return container.NewHBox(container.NewCenter(sw), l)
	}
	silence := item(color.NRGBA{0x90, 0x90, 0x90, 0xff}, "long silence (grey wash)")
	switch {
	case res != nil && len(res.SegmentsOf(analysis.Unattributed)) > 0:
		return []fyne.CanvasObject{item(pal.unattributed, "speech (one channel: who spoke is not known)"), silence}
	case res != nil && !res.HasParties():
		return []fyne.CanvasObject{item(pal.rep, "voice 1"), item(pal.customer, "voice 2"), silence}
	}
	return []fyne.CanvasObject{
		item(pal.rep, "rep speech"),
		item(pal.customer, "customer speech"),
		item(pal.overlap, "both at once"),
		item(pal.repInterrupt, "rep interrupts"),
		item(pal.custInterr, "customer interrupts"),
		item(repeatColor(isDark()), "said in other calls"),
		silence,
	}
}

// blendOver is c drawn over an opaque bg.
func blendOver(c, bg color.NRGBA) color.NRGBA {
	a := int(c.A)
	mix := func(f, b uint8) uint8 { return uint8((int(f)*a + int(b)*(255-a)) / 255) }
	return color.NRGBA{mix(c.R, bg.R), mix(c.G, bg.G), mix(c.B, bg.B), 0xff}
}

// noteLine is how a note reads in the list.
func noteLine(n store.Annotation) string {
	var b strings.Builder
	b.WriteString(fmtClock(n.Start))
	if n.End > n.Start {
		b.WriteString("–" + fmtClock(n.End))
	}
	if n.Tag != "" {
		b.WriteString("  [" + n.Tag + "]")
	}
	if n.Note != "" {
		b.WriteString("  " + n.Note)
	}
	if n.Author != "" {
		b.WriteString("  — " + n.Author)
	}
	return b.String()
}

// Open shows a call. The analysis is drawn at once; the waveform is read in
// the background and painted in when ready. at, if positive, is where the
// playhead starts (opening a clip's source at its moment).
func (r *reviewScreen) Open(c *store.Call, at time.Duration) {
	start := time.Now()
	r.stopPlayback()
	r.loadSeq++
	seq := r.loadSeq
	r.call = c
	r.notes = nil
	r.repeats.set(nil)
	r.title.SetText(callTitle(c.ID, c.Title))
	r.app.win.SetTitle("CallCoach — " + callTitle(c.ID, c.Title))
	r.subtitle.SetText(callSubtitle(c))
	r.timeline.SetCall(c.Result, nil)
	r.legend.Objects = legendItems(c.Result)
	r.legend.Refresh()
	r.warnings.show(c)
	r.showMetrics(c.Result)
	r.voices.show(c)
	r.updateShare()
	r.annotate.Disable()
	r.selLabel.SetText("")
	r.refreshNotes()
	if at > 0 {
		r.seek(at)
		r.timeline.SetView(r.timeline.View().Zoom(0.1, at))
	} else {
		r.updatePosition(0)
	}
	r.syncScroll()
	r.lastOpen = time.Since(start)

	path := r.app.audioPath(c)
	id := c.ID
	runAsync(func() {
		var env *Envelope
		var err error
		cached := false
		if path != "" {
			env, cached, err = LoadEnvelopeCached(path, r.app.opts.CacheDir)
		}
		fyne.Do(func() {
			if seq != r.loadSeq {
				return
			}
			if err != nil {
				log.Printf("callcoach: waveform of call %d: %v", id, err)
			} else if env != nil {
				r.timeline.SetEnvelope(env)
			}
			r.lastEnvelope, r.lastCached = time.Since(start), cached
			if r.onEnvelope != nil {
				r.onEnvelope()
			}
		})
	})
	if r.app.player != nil && path != "" {
		runAsync(func() {
			if err := r.app.loadPlayer(path); err != nil {
				log.Printf("callcoach: player: %v", err)
			}
		})
	}
	if c.ID > 0 && r.app.lib != nil {
		r.loadNotes(seq)
		r.loadRepeats(seq)
	}
}

func (r *reviewScreen) loadNotes(seq int) {
	id := r.call.ID
	runAsync(func() {
		notes, err := r.app.lib.Annotations(context.Background(), id)
		fyne.Do(func() {
			if seq != r.loadSeq {
				return
			}
			if err != nil {
				r.app.showError("Could not read this call's annotations", err)
				return
			}
			r.notes = notes
			r.refreshNotes()
		})
	})
}

func (r *reviewScreen) refreshNotes() {
	marks := make([]Range, len(r.notes))
	for i, n := range r.notes {
		marks[i] = Range{n.Start, n.End}
	}
	r.timeline.SetMarks(marks)
	if len(r.notes) == 0 {
		r.empty.Show()
	} else {
		r.empty.Hide()
	}
	r.noteList.Refresh()
}

// callTitle is a call's title, or what to call it without one.
func callTitle(id int64, title string) string {
	if title != "" {
		return title
	}
	if id == 0 {
		return "Demo call"
	}
	return fmt.Sprintf("Call %d", id)
}

func callSubtitle(c *store.Call) string {
	var parts []string
	if c.Rep != "" {
		parts = append(parts, "Rep: "+c.Rep)
	}
	if c.Customer != "" {
		parts = append(parts, "Customer: "+c.Customer)
	}
	if !c.RecordedAt.IsZero() {
		parts = append(parts, c.RecordedAt.Local().Format("Mon 2 Jan 2006 15:04"))
	}
	parts = append(parts, fmtClock(c.Duration))
	if c.ID == 0 {
		parts = append(parts, "a generated demo: import or record your own call")
	}
	return strings.Join(parts, " · ")
}

// showMetrics fills the metrics panel: verdict, reasons, each figure with its
// target, and the interruptions as jump buttons.
func (r *reviewScreen) showMetrics(res *analysis.Result) {
	r.figures.RemoveAll()
	if t := trustOf(res); t.heldBack && res.HasParties() {
		r.delivery.set(nil) // the "rep's" monologues may be the customer's
	} else {
		r.delivery.set(res)
	}
	r.interrupts.Refresh()
	r.interrupts.ScrollToTop()
	if res == nil {
		r.verdict.Text = ""
		r.verdict.Refresh()
		r.score.SetText("")
		r.reasons.SetText("This call has no analysis.")
		return
	}
	l := res.Listening
	t := trustOf(res)
	if t.heldBack && res.HasParties() {
		// The verdict would judge the wrong party (or nobody): say why.
		l = analysis.Listening{Verdict: analysis.NoVerdict, Reasons: []string{"No verdict: " + t.short + " (see the warning above)."}}
	}
	r.verdict.Text = verdictLabel(l.Verdict)
	if t.rough && l.Verdict != analysis.NoVerdict {
		r.verdict.Text += " (tentative)"
	}
	r.verdict.Color = verdictColor(l.Verdict)
	r.verdict.Refresh()
	switch {
	case l.Verdict != analysis.NoVerdict && t.rough:
		r.score.SetText(fmt.Sprintf("listening score about %d / 100, may be off (bleed)", 5*int(math.Round(float64(l.Score)/5))))
	case l.Verdict != analysis.NoVerdict:
		r.score.SetText(fmt.Sprintf("listening score %d / 100", l.Score))
	default:
		r.score.SetText("")
	}
	if len(l.Reasons) > 0 {
		r.reasons.SetText("• " + strings.Join(l.Reasons, "\n• "))
	} else {
		r.reasons.SetText("")
	}
	for _, f := range figureRows(res) {
		name := widget.NewLabel(f.name)
		val := widget.NewLabel(f.value)
		if f.warn {
			name.TextStyle.Bold = true
			val.Importance = widget.WarningImportance
		} else if f.judged {
			if f.ok {
				val.Importance = widget.SuccessImportance
			} else {
				val.Importance = widget.DangerImportance
			}
		}
		val.Wrapping = fyne.TextWrapWord
		r.figures.Add(name)
		r.figures.Add(val)
	}
	switch {
	case res.HasParties() && t.heldBack:
		r.intsTitle.SetText(fmt.Sprintf("Interruptions: %d, whose is in doubt", len(res.Interruptions)))
	case res.HasParties() && t.rough:
		r.intsTitle.SetText(fmt.Sprintf("Interruptions: about %d, may be off (tap to hear)", len(res.Interruptions)))
	case res.HasParties():
		r.intsTitle.SetText(fmt.Sprintf("Interruptions: %d (tap to hear)", len(res.Interruptions)))
	case res.Diarization != nil:
		r.intsTitle.SetText(fmt.Sprintf("Interruptions between the voices: %d (tap to hear)", len(res.Interruptions)))
	default:
		r.intsTitle.SetText("Interruptions: not known (one channel, speakers not told apart)")
	}
}

// figureRow is one line of the metrics panel.
type figureRow struct {
	name, value string
	judged, ok  bool
	// warn: a caution about the figures, not a figure.
	warn bool
}

// figureRows lists the figures: the verdict's factors (value against target)
// when the analysis has them, and the plain measurements always.
//
// A recording whose warnings make the per-party figures wrong (trustOf)
// gets the reason in words instead of them; one with strong bleed gets
// them rounded, uncoloured and marked "may be off".
func figureRows(res *analysis.Result) []figureRow {
	t := trustOf(res)
	var rows []figureRow
	if t.note != "" {
		rows = append(rows, figureRow{name: "Recording", value: t.note, warn: true})
	}
	switch {
	case !res.HasParties():
		return append(rows, oneChannelRows(res)...)
	case t.heldBack:
		return append(rows, heldBackRows(res, t)...)
	case t.rough:
		rows = append(rows, figureRow{name: "Figures", value: t.why, warn: true})
	}
	off := ""
	if t.rough {
		off = " (may be off)"
	}
	seen := map[string]bool{}
	for _, f := range res.Listening.Factors {
		v := factorValue(f)
		if t.rough {
			v = roughValue(f)
		}
		rows = append(rows, figureRow{
			name:   factorName(f.Name),
			value:  fmt.Sprintf("%s (target %s)%s", v, f.Target, off),
			judged: !t.rough, ok: f.OK,
		})
		seen[f.Name] = true
	}
	if !seen["rep_talk_share"] {
		v := fmtPct(res.RepTalkShare)
		if t.rough {
			v = fmt.Sprintf("about %.0f%%", 5*math.Round(20*res.RepTalkShare))
		}
		rows = append(rows, figureRow{name: "Rep talk share", value: v + off})
	}
	rows = append(rows,
		figureRow{name: "Talk time", value: fmt.Sprintf("rep %s · customer %s%s", fmtClock(res.Talk.Rep.D()), fmtClock(res.Talk.Customer.D()), off)},
		figureRow{name: "Interruptions", value: fmt.Sprintf("rep %d · customer %d%s", countBy(res, analysis.Rep), countBy(res, analysis.Customer), off)},
		figureRow{name: "Backchannels", value: fmt.Sprint(len(res.Backchannels)) + off},
		figureRow{name: "Longest monologue", value: fmt.Sprintf("rep %s · customer %s%s", fmtSecs(res.LongestMonologue.Rep.D()), fmtSecs(res.LongestMonologue.Customer.D()), off)},
		figureRow{name: "Long silences", value: fmt.Sprint(len(res.LongSilences))},
		figureRow{name: "Interactivity", value: fmt.Sprintf("%.1f floor changes / min%s", res.Interactivity, off)},
	)
	if res.Patience.Count > 0 {
		rows = append(rows, figureRow{name: "Patience", value: fmt.Sprintf("mean %s, median %s%s", fmtSecs(res.Patience.Mean.D()), fmtSecs(res.Patience.Median.D()), off)})
	}
	for _, n := range res.Notes {
		rows = append(rows, figureRow{name: "Note", value: n})
	}
	return rows
}

// oneChannelRows are the figures of a one-channel call whose speech is not
// attributed to the rep and the customer: what was measured (speech,
// silence, each voice's talk and share when the voices were told apart,
// the notes), not rep and customer figures of zero; a split call says how
// to get the rep's figures.
func oneChannelRows(res *analysis.Result) []figureRow {
	var speech time.Duration
	for _, s := range res.Segments {
		speech += s.Len()
	}
	if res.Talk.Unattributed > 0 {
		speech = res.Talk.Unattributed.D()
	}
	dur := res.Duration.D()
	rows := []figureRow{{name: "Speech", value: fmt.Sprintf("%s of %s%s (one channel)", fmtClock(speech), fmtClock(dur), ofCall(speech, dur))}}
	d := res.Diarization
	if d != nil {
		rows = append(rows, figureRow{name: "Rep figures", value: "Pick which voice is the rep (Voices, above) to get rep figures and a verdict.", warn: true})
		voiced := d.Talk[0] + d.Talk[1]
		for i := range d.Talk {
			share := ""
			if voiced > 0 {
				share = " (" + fmtPct(float64(d.Talk[i])/float64(voiced)) + " of the talk)"
			}
			rows = append(rows, figureRow{name: fmt.Sprintf("Voice %d talk", i+1), value: fmtClock(d.Talk[i].D()) + share})
		}
		sure := fmt.Sprintf("sure (confidence %.0f%%)", 100*d.Confidence)
		if d.Unsure {
			sure = fmt.Sprintf("not sure (confidence %.0f%%): check the lanes and correct them", 100*d.Confidence)
		}
		rows = append(rows,
			figureRow{name: "Split", value: sure},
			figureRow{name: "Interruptions", value: fmt.Sprintf("voice 1 %d · voice 2 %d", countBy(res, analysis.Speaker1), countBy(res, analysis.Speaker2))},
		)
	}
	rows = append(rows,
		figureRow{name: "Silence", value: fmt.Sprintf("%s%s", fmtClock(res.Silence.D()), ofCall(res.Silence.D(), dur))},
		figureRow{name: "Long silences", value: fmt.Sprint(len(res.LongSilences))},
	)
	if d == nil {
		rows = append(rows, figureRow{name: "Rep and customer", value: "not known for this recording: talk share, interruptions and monologues need two channels, or the rep's voice picked"})
	}
	for _, n := range res.Notes {
		rows = append(rows, figureRow{name: "Note", value: n})
	}
	return rows
}

// ofCall is " (N% of the call)".
func ofCall(d, call time.Duration) string {
	if call <= 0 {
		return ""
	}
	return " (" + fmtPct(float64(d)/float64(call)) + " of the call)"
}

func fmtSecs(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }

func countBy(res *analysis.Result, by analysis.Speaker) int {
	n := 0
	for _, in := range res.Interruptions {
		if in.By == by {
			n++
		}
	}
	return n
}

// factorName turns a factor's key into words.
func factorName(key string) string {
	s := strings.ReplaceAll(key, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func factorValue(f analysis.Factor) string {
	switch f.Unit {
	case "%":
		return fmt.Sprintf("%.0f%%", math.Round(f.Value)) // half away from zero, as the summary rounds
	case "":
		return fmt.Sprintf("%.1f", f.Value)
	}
	return fmt.Sprintf("%.1f %s", f.Value, f.Unit)
}

func interruptionLine(in analysis.Interruption) string {
	who := "Rep interrupted the customer"
	switch in.By {
	case analysis.Customer:
		who = "Customer interrupted the rep"
	case analysis.Speaker1:
		who = "Voice 1 interrupted voice 2"
	case analysis.Speaker2:
		who = "Voice 2 interrupted voice 1"
	}
	how := "who talked on"
	if in.Yielded {
		how = "who stopped"
	}
	return fmt.Sprintf("%s  %s, %s", fmtClockTenths(in.At.D()), who, how)
}

// preRoll is how much of the call before an interruption plays when the
// user jumps to it, so that they hear it happen.
const preRoll = 1500 * time.Millisecond

// onInterruption jumps to interruption i (a moment before it) and plays.
func (r *reviewScreen) onInterruption(i int) {
	if r.call == nil || r.call.Result == nil || i >= len(r.call.Result.Interruptions) {
		return
	}
	at := r.call.Result.Interruptions[i].At.D()
	from := max(0, at-preRoll)
	if v := r.timeline.View(); at < v.Start || at > v.End() {
		r.timeline.SetView(v.Follow(from))
	}
	r.seek(from)
	if r.app.player != nil && !r.playing {
		r.onPlayPause()
	}
}

func (r *reviewScreen) onSeek(at time.Duration) {
	r.seekPlayer(at)
	r.updatePosition(at)
}

// seek moves the playhead and the player.
func (r *reviewScreen) seek(at time.Duration) {
	r.timeline.SetPlayhead(at)
	r.seekPlayer(at)
	r.updatePosition(r.timeline.Playhead())
}

func (r *reviewScreen) seekPlayer(at time.Duration) {
	if p := r.app.player; p != nil {
		if err := p.Seek(at); err != nil {
			log.Printf("callcoach: seek: %v", err)
		}
	}
}

func (r *reviewScreen) skip(d time.Duration) { r.seek(r.timeline.Playhead() + d) }

func (r *reviewScreen) updatePosition(at time.Duration) {
	r.position.SetText(fmtClockTenths(at) + " / " + fmtClock(r.timeline.View().Total))
}

func (r *reviewScreen) onSelect(sel Range) {
	if r.voices != nil {
		r.voices.selected(sel)
	}
	if sel.Empty() {
		r.annotate.Disable()
		r.selLabel.SetText("")
		return
	}
	r.selLabel.SetText(fmt.Sprintf("%s–%s selected", fmtClockTenths(sel.Start), fmtClockTenths(sel.End)))
	if r.call != nil && r.call.ID > 0 {
		r.annotate.Enable()
	}
}

func (r *reviewScreen) onScroll(f float64) {
	v := r.timeline.View()
	room := v.Total - v.Span
	if room <= 0 {
		return
	}
	start := time.Duration(f * float64(room))
	if d := start - v.Start; d > 10*time.Millisecond || d < -10*time.Millisecond {
		v.Start = start
		r.timeline.view = v.clamp()
		r.timeline.Refresh()
	}
}

func (r *reviewScreen) syncScroll() {
	v := r.timeline.View()
	room := v.Total - v.Span
	if room <= 0 {
		r.scroll.Disable()
		r.scroll.Value = 0
		r.scroll.Refresh()
		return
	}
	r.scroll.Enable()
	r.scroll.Value = float64(v.Start) / float64(room)
	r.scroll.Refresh()
}

// onPlayPause toggles playback.
func (r *reviewScreen) onPlayPause() {
	if r.call == nil {
		return
	}
	p := r.app.player
	if p == nil {
		r.app.showError("Cannot play this call", r.app.noPlayerErr())
		return
	}
	if r.playing {
		r.stopPlayback()
		return
	}
	r.app.clips.stopped()
	if err := r.app.loadPlayer(r.app.audioPath(r.call)); err != nil {
		r.app.showError("Cannot play this call", err)
		return
	}
	if err := p.Seek(r.timeline.Playhead()); err != nil {
		r.app.showError("Cannot play this call", err)
		return
	}
	if err := p.Play(); err != nil {
		r.app.showError("Cannot play this call", err)
		return
	}
	r.playing = true
	r.playBtn.SetIcon(theme.MediaPauseIcon())
	r.playBtn.SetText("Pause")
	stop := make(chan struct{})
	r.stopTicker = stop
	go r.followPlayer(p, stop)
}

// followPlayer moves the playhead with the player at playheadHz until
// stopped or the call ends.
func (r *reviewScreen) followPlayer(p Player, stop chan struct{}) {
	tick := time.NewTicker(time.Second / playheadHz)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			pos, playing := p.Position(), p.Playing()
			fyne.Do(func() {
				if r.stopTicker != stop {
					return
				}
				r.timeline.SetPlayhead(pos)
				r.updatePosition(pos)
				if !playing {
					r.stopPlayback()
				}
			})
		}
	}
}

func (r *reviewScreen) stopPlayback() {
	if r.stopTicker != nil {
		close(r.stopTicker)
		r.stopTicker = nil
	}
	if r.playing && r.app.player != nil {
		if err := r.app.player.Pause(); err != nil {
			log.Printf("callcoach: pause: %v", err)
		}
	}
	r.playing = false
	r.playBtn.SetIcon(theme.MediaPlayIcon())
	r.playBtn.SetText("Play")
}

// noteForm is the annotate dialog's fields.
type noteForm struct {
	tag    *widget.SelectEntry
	note   *widget.Entry
	author *widget.Entry
	clip   *widget.Check
	items  []*widget.FormItem
}

func (r *reviewScreen) newNoteForm(n store.Annotation, withClip bool) *noteForm {
	f := &noteForm{}
	f.tag = widget.NewSelectEntry(r.app.tags)
	f.tag.SetText(n.Tag)
	f.tag.PlaceHolder = "pick or type a tag"
	f.note = widget.NewMultiLineEntry()
	f.note.SetMinRowsVisible(3)
	f.note.Wrapping = fyne.TextWrapWord
	f.note.SetText(n.Note)
	f.author = widget.NewEntry()
	f.author.SetText(n.Author)
	f.items = []*widget.FormItem{
		widget.NewFormItem("Tag", f.tag),
		widget.NewFormItem("Note", f.note),
		widget.NewFormItem("Author", f.author),
	}
	if withClip {
		f.clip = widget.NewCheck("Also save as a clip", nil)
		f.items = append(f.items, widget.NewFormItem("", f.clip))
	}
	return f
}

// onAnnotate asks for a tag, a note and the author for the selected range
// (or the playhead's moment) and saves them.
func (r *reviewScreen) onAnnotate() {
	if r.call == nil || r.call.ID == 0 {
		r.app.showInfo("Annotations", "The demo call cannot be annotated: import or record a call first.")
		return
	}
	sel := r.timeline.Selection()
	if sel.Empty() {
		at := r.timeline.Playhead()
		sel = Range{at, at}
	}
	n := store.Annotation{CallID: r.call.ID, Start: sel.Start, End: sel.End, Author: r.app.prefs.Author}
	f := r.newNoteForm(n, true)
	r.app.pendingNote = f
	title := fmt.Sprintf("Annotate %s–%s", fmtClockTenths(sel.Start), fmtClockTenths(sel.End))
	d := dialog.NewForm(title, "Save", "Cancel", f.items, func(ok bool) {
		r.app.pendingNote = nil
		if ok {
			r.saveNote(n, f)
		}
	}, r.app.win)
	d.Resize(fyne.NewSize(460, 320))
	d.Show()
	r.app.win.Canvas().Focus(f.note)
}

func (r *reviewScreen) onEditNote(n store.Annotation) {
	f := r.newNoteForm(n, false)
	r.app.pendingNote = f
	d := dialog.NewForm("Edit annotation", "Save", "Cancel", f.items, func(ok bool) {
		r.app.pendingNote = nil
		if ok {
			r.saveNote(n, f)
		}
	}, r.app.win)
	d.Resize(fyne.NewSize(460, 300))
	d.Show()
}

// saveNote stores the form's note (and its clip when asked) off the UI
// thread, then reloads the list.
func (r *reviewScreen) saveNote(n store.Annotation, f *noteForm) {
	n.Tag = strings.TrimSpace(f.tag.Text)
	n.Note = strings.TrimSpace(f.note.Text)
	n.Author = strings.TrimSpace(f.author.Text)
	withClip := f.clip != nil && f.clip.Checked
	if n.Author != "" && n.Author != r.app.prefs.Author {
		r.app.prefs.Author = n.Author
		r.app.savePrefs()
	}
	seq := r.loadSeq
	runAsync(func() {
		ctx := context.Background()
		lib := r.app.lib
		var err error
		if n.ID == 0 {
			err = lib.AddAnnotation(ctx, &n)
		} else {
			err = lib.UpdateAnnotation(ctx, &n)
		}
		if err == nil && withClip {
			_, err = lib.SaveClip(ctx, n.ID)
			if err != nil {
				err = fmt.Errorf("the annotation was saved but the clip was not: %w", err)
			}
		}
		fyne.Do(func() {
			if err != nil {
				r.app.showError("Could not save the annotation", err)
			}
			if withClip && err == nil {
				r.app.clips.reload()
			}
			r.app.refreshTags()
			r.app.library.reload() // the call's tags changed
			if seq == r.loadSeq {
				r.timeline.SetSelection(Range{})
				r.onSelect(Range{})
				r.loadNotes(seq)
			}
			r.app.notify("annotation saved")
		})
	})
}

func (r *reviewScreen) onSaveClip(n store.Annotation) {
	if n.End <= n.Start {
		r.app.showInfo("Save clip", "This annotation marks a single moment: edit it to a range (drag across the timeline and annotate) to save a clip.")
		return
	}
	runAsync(func() {
		c, err := r.app.lib.SaveClip(context.Background(), n.ID)
		fyne.Do(func() {
			if err != nil {
				r.app.showError("Could not save the clip", err)
				return
			}
			r.app.clips.reload()
			r.app.notify(fmt.Sprintf("clip saved: %s, %s", c.Tag, fmtClock(c.End-c.Start)))
		})
	})
}

func (r *reviewScreen) onDeleteNote(n store.Annotation) {
	dialog.ShowConfirm("Delete annotation", "Delete "+noteLine(n)+"? Clips saved from it stay in Clips.", func(ok bool) {
		if ok {
			r.deleteNote(n)
		}
	}, r.app.win)
}

func (r *reviewScreen) deleteNote(n store.Annotation) {
	seq := r.loadSeq
	runAsync(func() {
		err := r.app.lib.DeleteAnnotation(context.Background(), n.ID)
		fyne.Do(func() {
			if err != nil {
				r.app.showError("Could not delete the annotation", err)
				return
			}
			if seq == r.loadSeq {
				r.loadNotes(seq)
			}
			r.app.library.reload()
		})
	})
}
