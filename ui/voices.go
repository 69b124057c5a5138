package ui

import (
	"context"
	"fmt"
	"time"

	"callcoach/analysis"
	"callcoach/callflow"
	"callcoach/store"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// voicesPanel is Review's control for a one-channel call split between
// two voices: how sure the split is, a few seconds of each voice to hear,
// which one is the rep (pick, swap), and the timeline selection given to
// one voice when the split got it wrong. Every change goes through
// callflow.SetVoices, which re-measures and stores; Review then reopens
// the call with the new figures.
type voicesPanel struct {
	r      *reviewScreen
	box    *fyne.Container
	status *widget.Label
	play   [2]*widget.Button
	isRep  [2]*widget.Button
	swap   *widget.Button
	mark   [2]*widget.Button
	undo   *widget.Button
	// confirm vouches for an unsure split (callflow.VoicesChange.Confirm),
	// or takes that back once given.
	confirm *widget.Button
}

func newVoicesPanel(r *reviewScreen) *voicesPanel {
	v := &voicesPanel{r: r, status: widget.NewLabel("")}
	v.status.Wrapping = fyne.TextWrapWord
	for i := range v.play {
		n := i + 1
		v.play[i] = widget.NewButtonWithIcon(fmt.Sprintf("Hear voice %d", n), theme.MediaPlayIcon(), func() { v.onHear(n) })
		v.isRep[i] = widget.NewButton(fmt.Sprintf("Voice %d is the rep", n), func() { v.change(callflow.VoicesChange{Rep: n}) })
		v.mark[i] = widget.NewButton(fmt.Sprintf("Selection is voice %d", n), func() { v.onMark(n) })
	}
	v.swap = widget.NewButtonWithIcon("Swap voices", theme.ViewRefreshIcon(), func() { v.change(callflow.VoicesChange{Swap: true}) })
	v.undo = widget.NewButtonWithIcon("Undo mark", theme.ContentUndoIcon(), func() { v.change(callflow.VoicesChange{Undo: true}) })
	v.confirm = widget.NewButtonWithIcon("The lanes are right: confirm the split", theme.ConfirmIcon(), v.onConfirm)
	v.box = container.NewVBox(
		widget.NewLabelWithStyle("Voices (one-channel recording)", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		v.status,
		container.NewHBox(v.play[0], v.play[1]),
		container.NewHBox(v.isRep[0], v.isRep[1], v.swap),
		container.NewHBox(v.mark[0], v.mark[1], v.undo),
		container.NewHBox(v.confirm),
	)
	v.box.Hide()
	return v
}

// show fills the panel for c, hidden for a call that was not split.
func (v *voicesPanel) show(c *store.Call) {
	if c == nil || c.Result == nil || c.Result.Diarization == nil {
		v.box.Hide()
		return
	}
	d := c.Result.Diarization
	sure := "sure"
	switch {
	case d.Unsure && d.Confirmed:
		sure = "unsure by the sound alone, confirmed by you: the verdict rests on your check"
	case d.Unsure && d.Rep != 0:
		sure = "unsure: check the lanes, correct them, then confirm the split to get a verdict"
	case d.Unsure:
		sure = "unsure: check the lanes and correct them; no verdict until then"
	}
	who := "Which voice is the rep? Hear both, then pick."
	switch {
	case d.Rep != 0 && d.RepBy == analysis.RepByVoice:
		who = fmt.Sprintf("The rep is voice %d, recognised from their voice profile (%.0f%%).", d.Rep, 100*d.RepMatch)
	case d.Rep != 0:
		who = fmt.Sprintf("The rep is voice %d (picked by hand).", d.Rep)
	}
	v.status.SetText(fmt.Sprintf("The two voices were told apart by their sound (confidence %.0f%%, %s). %s", 100*d.Confidence, sure, who))
	editable := c.ID > 0 && v.r.app.lib != nil
	for i := range v.play {
		setEnabled(v.play[i], d.Samples[i].End > d.Samples[i].Start)
		setEnabled(v.isRep[i], editable && d.Rep != i+1)
		setEnabled(v.mark[i], editable && !v.r.timeline.Selection().Empty())
	}
	setEnabled(v.swap, editable && d.Rep != 0)
	setEnabled(v.undo, editable && len(d.Corrections) > 0)
	// Only an unsure split needs a person's word; it needs the rep first.
	if d.Confirmed {
		v.confirm.SetText("Take back my confirmation")
		v.confirm.SetIcon(theme.CancelIcon())
	} else {
		v.confirm.SetText("The lanes are right: confirm the split")
		v.confirm.SetIcon(theme.ConfirmIcon())
	}
	if d.Unsure || d.Confirmed {
		v.confirm.Show()
	} else {
		v.confirm.Hide()
	}
	setEnabled(v.confirm, editable && (d.Confirmed || d.Rep != 0))
	v.box.Show()
}

func setEnabled(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// selected follows the timeline selection (the mark buttons need one).
func (v *voicesPanel) selected(sel Range) {
	if v.r.call != nil {
		v.show(v.r.call)
	}
}

// onHear plays voice n's sample and stops at its end.
func (v *voicesPanel) onHear(n int) {
	c := v.r.call
	if c == nil || c.Result == nil || c.Result.Diarization == nil {
		return
	}
	s := c.Result.Diarization.Samples[n-1]
	v.r.stopPlayback()
	v.r.seek(s.Start.D())
	v.r.onPlayPause()
	if !v.r.playing {
		return
	}
	seq := v.r.loadSeq
	time.AfterFunc(s.Len(), func() {
		fyne.Do(func() {
			if v.r.playing && v.r.loadSeq == seq {
				v.r.stopPlayback()
			}
		})
	})
}

// onConfirm confirms the split (or takes the confirmation back).
func (v *voicesPanel) onConfirm() {
	c := v.r.call
	if c == nil || c.Result == nil || c.Result.Diarization == nil {
		return
	}
	if c.Result.Diarization.Confirmed {
		v.change(callflow.VoicesChange{Unconfirm: true})
		return
	}
	v.change(callflow.VoicesChange{Confirm: true})
}

// onMark gives the timeline selection to voice n.
func (v *voicesPanel) onMark(n int) {
	sel := v.r.timeline.Selection()
	if sel.Empty() {
		return
	}
	v.change(callflow.VoicesChange{Mark: &analysis.Correction{Start: analysis.Dur(sel.Start), End: analysis.Dur(sel.End), Speaker: n}})
}

// change applies ch through the workflow and reopens the call.
func (v *voicesPanel) change(ch callflow.VoicesChange) {
	c, lib := v.r.call, v.r.app.lib
	if c == nil || lib == nil || c.ID <= 0 {
		return
	}
	at := v.r.timeline.Playhead()
	id := c.ID
	runAsync(func() {
		nc, err := callflow.SetVoices(context.Background(), lib, id, ch)
		fyne.Do(func() {
			if err != nil {
				v.r.app.showError("Cannot change the voices", err)
				return
			}
			if v.r.call != nil && v.r.call.ID == id {
				v.r.Open(nc, at)
			}
			v.r.app.library.reload() // its talk share and verdict changed
		})
	})
}
