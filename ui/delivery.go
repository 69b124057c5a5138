package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"callcoach/analysis"
)

// deliveryPanel lists the rep's long monologues with their delivery cues in
// Review's metrics panel: each row jumps to its monologue, and a line says
// whether the verdict judges by them (analysis.DeliveryJudged).
type deliveryPanel struct {
	box  *fyne.Container
	seek func(time.Duration)
}

func newDeliveryPanel(seek func(time.Duration)) *deliveryPanel {
	return &deliveryPanel{box: container.NewVBox(), seek: seek}
}

// set shows res's delivery cues, or nothing for a call without any.
func (p *deliveryPanel) set(res *analysis.Result) {
	p.box.RemoveAll()
	if res == nil || len(res.Delivery) == 0 {
		return
	}
	p.box.Add(widget.NewSeparator())
	p.box.Add(widget.NewLabelWithStyle(fmt.Sprintf("Your long monologues: how you spoke (%d)", len(res.Delivery)), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	note := widget.NewLabel(capitalise(analysis.DeliveryJudged()) + ".")
	note.Wrapping = fyne.TextWrapWord
	note.SizeName = theme.SizeNameCaptionText
	p.box.Add(note)
	for _, d := range res.Delivery {
		at := d.Start.D()
		jump := widget.NewButtonWithIcon("", theme.MediaPlayIcon(), func() { p.seek(at) })
		l := widget.NewLabel(fmt.Sprintf("%s–%s  %s", fmtClock(d.Start.D()), fmtClock(d.End.D()), d.Words()))
		l.Wrapping = fyne.TextWrapWord
		if d.ReadLikelihood != nil && *d.ReadLikelihood >= 0.5 {
			l.Importance = widget.WarningImportance
		}
		p.box.Add(container.NewBorder(nil, nil, jump, nil, l))
	}
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
