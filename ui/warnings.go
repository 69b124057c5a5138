package ui

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"callcoach/analysis"
	"callcoach/audio"
	"callcoach/callflow"
	"callcoach/store"
)

// warningsBanner is Review's strip above the timeline that lists what is
// wrong with the recording (analysis.Recording.Warnings), each message as
// the analysis words it, before any figure is read. A call whose channels
// look swapped gets a button that swaps them and analyses the call again
// (callflow.Reanalyze), after a confirmation.
type warningsBanner struct {
	r    *reviewScreen
	box  *fyne.Container
	rows *fyne.Container
	// swap is the channels_swapped row's button (nil until shown).
	swap *widget.Button
	// messages are the texts on show, in order (tests read them).
	messages []string
	// swappedID is the call whose channels the user swapped here, and
	// back the button that swaps them back (nil unless shown).
	swappedID int64
	back      *widget.Button
}

func newWarningsBanner(r *reviewScreen) *warningsBanner {
	b := &warningsBanner{r: r, rows: container.NewVBox()}
	bg := canvas.NewRectangle(bannerColor())
	bg.CornerRadius = theme.InputRadiusSize()
	b.box = container.NewStack(bg, container.NewPadded(b.rows))
	b.box.Hide()
	return b
}

// bannerColor is the warning colour, faint enough to read text over.
func bannerColor() color.Color {
	r, g, bl, _ := theme.Color(theme.ColorNameWarning).RGBA()
	return color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), 0x38}
}

// show lists res's warnings; a clean call (or none) hides the banner.
func (b *warningsBanner) show(c *store.Call) {
	b.rows.RemoveAll()
	b.swap, b.back, b.messages = nil, nil, nil
	if c == nil || c.Result == nil {
		b.box.Hide()
		return
	}
	if c.ID != b.swappedID {
		b.swappedID = 0
	}
	if side, ok := callflow.RepChannel(c); ok && b.swappedID != 0 {
		// Just swapped here: say so, and offer the way back.
		b.back = widget.NewButtonWithIcon("Swap back", theme.ContentUndoIcon(), func() { b.reanalyse(c.ID, side.Other()) })
		b.rows.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.InfoIcon()), b.back,
			widget.NewLabel(fmt.Sprintf("You swapped the channels: the rep is the %s channel now, and the call was analysed again.", side))))
	}
	ws := c.Result.Recording.Warnings
	if len(ws) == 0 {
		if b.back != nil {
			b.box.Show()
		} else {
			b.box.Hide()
		}
		b.box.Refresh()
		return
	}
	head := "Check this recording before trusting its figures"
	if len(ws) > 1 {
		head += fmt.Sprintf(" (%d problems)", len(ws))
	}
	b.rows.Add(container.NewHBox(widget.NewIcon(theme.WarningIcon()),
		widget.NewLabelWithStyle(head, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})))
	for _, w := range ws {
		msg := widget.NewLabel(w.Message)
		msg.Wrapping = fyne.TextWrapWord
		b.messages = append(b.messages, w.Message)
		var action fyne.CanvasObject
		if w.Code == analysis.WarnChannelsSwapped {
			if _, ok := callflow.RepChannel(c); ok && c.ID > 0 && b.r.app.lib != nil {
				b.swap = widget.NewButtonWithIcon("Swap channels and re-analyse", theme.ViewRefreshIcon(), b.onSwap)
				b.swap.Importance = widget.WarningImportance
				action = container.NewCenter(b.swap)
			}
		}
		b.rows.Add(container.NewBorder(nil, nil, widget.NewLabel("•"), action, msg))
	}
	b.box.Show()
	b.box.Refresh()
}

// onSwap asks, then re-analyses the call with the rep on the other
// channel. The new map is stored with the call; swapping again undoes it.
func (b *warningsBanner) onSwap() {
	c := b.r.call
	if c == nil || c.ID <= 0 || b.r.app.lib == nil {
		return
	}
	side, ok := callflow.RepChannel(c)
	if !ok {
		b.r.app.showError("Cannot swap the channels", callflow.ErrMono)
		return
	}
	to := side.Other()
	msg := fmt.Sprintf("Take the %s channel as the rep's (it is %s now) and analyse the call again?\n"+
		"Every figure and the verdict are measured anew; annotations and clips stay.\n"+
		"Swap back from here to undo.", to, side)
	dialog.ShowConfirm("Swap channels and re-analyse", msg, func(yes bool) {
		if yes {
			b.reanalyse(c.ID, to)
		}
	}, b.r.app.win)
}

// reanalyse runs callflow.Reanalyze with the rep on side to, off the UI
// goroutine, and reopens the call with its new analysis.
func (b *warningsBanner) reanalyse(id int64, to audio.Side) {
	lib := b.r.app.lib
	for _, btn := range []*widget.Button{b.swap, b.back} {
		if btn != nil {
			btn.Disable()
			btn.SetText("Re-analysing…")
		}
	}
	at := b.r.timeline.Playhead()
	runAsync(func() {
		nc, err := callflow.Reanalyze(context.Background(), lib, id, callflow.Reanalysis{RepChannel: &to})
		fyne.Do(func() {
			if err != nil {
				b.show(b.r.call) // the buttons as they were
				b.r.app.showError("Could not re-analyse the call", err)
				return
			}
			b.swappedID = id
			if b.r.call != nil && b.r.call.ID == id {
				b.r.Open(nc, at)
			}
			b.r.app.library.reload()
			b.r.app.notify(fmt.Sprintf("channels swapped: the rep is the %s channel now; call re-analysed", to))
		})
	})
}

// figureTrust is what a recording's warnings say about its figures.
type figureTrust struct {
	// heldBack: the rep's and the customer's figures would be wrong, not
	// merely rough (the channels look swapped, a side is silent, the
	// channels are one channel split as two); the panel says why in words
	// instead of numbers, and no verdict is shown.
	heldBack bool
	// rough: bleed the canceller could not remove: figures are shown
	// rounded, uncoloured, with a caution, and the verdict as tentative.
	rough bool
	// why is the sentence the panel opens with; short is its gist for a
	// figure's row ("the channels look swapped").
	why, short string
	// note is a sentence for a call whose warning changes nothing in the
	// figures but should be read with them (identical channels analysed
	// as one channel).
	note string
}

// trustOf reads res's warnings. The first that holds a figure back wins;
// clipping and noise leave the figures as they are (the banner says it).
func trustOf(res *analysis.Result) figureTrust {
	var t figureTrust
	if res == nil {
		return t
	}
	rec := &res.Recording
	oneChannel := res.Channels.OneChannel != ""
	switch {
	case rec.Warned(analysis.WarnIdenticalChannels) && !oneChannel:
		t.heldBack, t.short = true, "both channels carry the same audio"
		t.why = "Both channels carry the same audio, so telling the rep from the customer by channel means nothing here: these figures are not shown. Analyse the file again (it is then split by voice)."
	case rec.Warned(analysis.WarnChannelsSwapped) && !oneChannel:
		t.heldBack, t.short = true, "the channels look swapped"
		t.why = "The channels look swapped, so the rep's figures here are probably the customer's: they are not shown, and there is no verdict. Swap the channels (above) to measure them for the right party."
	case rec.Warned(analysis.WarnSilentChannel) && !oneChannel:
		silent := "customer channel"
		if res.Talk.Rep <= res.Talk.Customer {
			silent = "rep's microphone"
		}
		t.heldBack, t.short = true, "the "+silent+" carries no speech"
		t.why = fmt.Sprintf("The %s carries no speech, so talk share, interruptions, patience and the verdict cannot be measured: they are not shown. Check the devices before the next call.", silent)
	case rec.Warned(analysis.WarnStrongBleed):
		t.rough, t.short = true, "strong bleed"
		t.why = "Strong bleed between the channels: talk times, overlaps and interruptions may be off, so the figures are rounded and the verdict is tentative."
	}
	if rec.Warned(analysis.WarnIdenticalChannels) && oneChannel {
		t.note = "Both channels of this file carry the same audio, so it was analysed as one channel: the two voices were told apart by their sound, not by channel."
	}
	return t
}

// heldBackRows are the figures of a two-party call whose per-party figures
// cannot be trusted: the reason in words, what is still sound (talk on each
// channel, silences, floor changes), and each party figure named as not
// shown.
func heldBackRows(res *analysis.Result, t figureTrust) []figureRow {
	notShown := "not shown: " + t.short
	rows := []figureRow{{name: "Figures", value: t.why, warn: true}}
	talk := fmt.Sprintf("rep's channel %s · customer channel %s", fmtClock(res.Talk.Rep.D()), fmtClock(res.Talk.Customer.D()))
	if strings.Contains(t.short, "swapped") {
		talk += " (whose voice is on which is in doubt)"
	}
	rows = append(rows,
		figureRow{name: "Talk time", value: talk},
		figureRow{name: "Rep talk share", value: notShown},
		figureRow{name: "Interruptions", value: notShown},
		figureRow{name: "Longest monologue", value: notShown},
		figureRow{name: "Patience", value: notShown},
		figureRow{name: "Long silences", value: fmt.Sprint(len(res.LongSilences))},
		figureRow{name: "Floor changes", value: fmt.Sprintf("%d (%.1f / min)", res.FloorChanges, res.Interactivity)},
	)
	for _, n := range res.Notes {
		rows = append(rows, figureRow{name: "Note", value: n})
	}
	return rows
}

// roughValue is a factor's value for a call with strong bleed, "about"
// before it: a share rounded to 5 points, a figure of 10 or more to whole
// units, a smaller one to a tenth.
func roughValue(f analysis.Factor) string {
	if rest, ok := strings.CutPrefix(f.Unit, "%"); ok {
		return fmt.Sprintf("about %.0f%%%s", 5*math.Round(f.Value/5), rest)
	}
	v := fmt.Sprintf("%.1f", f.Value)
	if math.Abs(f.Value) >= 10 {
		v = fmt.Sprintf("%.0f", f.Value)
	}
	if f.Unit == "" {
		return "about " + v
	}
	return "about " + v + " " + f.Unit
}
