package ui

import (
	"context"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Damaged is what the window shows instead of the app when the library's
// database is damaged: the sentence saying so, and a Repair button that
// runs the repair (callflow.Repair through the repair func) and then shows
// its report in plain words, with a button to open the repaired library.
type Damaged struct {
	Content fyne.CanvasObject

	repair func(context.Context) (string, error)
	opened func()

	title, message, report *widget.Label
	progress               *widget.ProgressBarInfinite
	repairBtn              *widget.Button
	openBtn                *widget.Button
}

// NewDamaged builds the screen for the damaged library whose Open failed
// with err. repair rebuilds the library and returns its report; open is
// called when the user asks to open the repaired library.
func NewDamaged(err error, repair func(context.Context) (string, error), open func()) *Damaged {
	d := &Damaged{repair: repair, opened: open}
	d.title = widget.NewLabelWithStyle("The library needs repairing", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.message = widget.NewLabel(sentence(err.Error()))
	d.message.Wrapping = fyne.TextWrapWord
	note := widget.NewLabel("Repair rebuilds the library from what survives: what can still be read of the database, " +
		"the files kept beside each call's audio, and the audio itself. Nothing is deleted.")
	note.Wrapping = fyne.TextWrapWord
	d.report = widget.NewLabel("")
	d.report.Wrapping = fyne.TextWrapWord
	d.report.Hide()
	d.progress = widget.NewProgressBarInfinite()
	d.progress.Stop()
	d.progress.Hide()
	d.repairBtn = widget.NewButton("Repair", d.onRepair)
	d.repairBtn.Importance = widget.HighImportance
	d.openBtn = widget.NewButton("Open the library", func() { d.opened() })
	d.openBtn.Importance = widget.HighImportance
	d.openBtn.Hide()
	d.Content = container.NewPadded(container.NewVBox(d.title, d.message, note, d.progress,
		container.NewHBox(d.repairBtn, d.openBtn), d.report))
	return d
}

// onRepair runs the repair off the UI goroutine and shows what it did.
func (d *Damaged) onRepair() {
	d.repairBtn.Disable()
	d.progress.Show()
	d.progress.Start()
	runAsync(func() {
		rep, err := d.repair(context.Background())
		fyne.Do(func() {
			d.progress.Stop()
			d.progress.Hide()
			d.report.Show()
			if err != nil {
				d.report.SetText("The repair did not finish: " + err.Error())
				d.repairBtn.Enable()
				return
			}
			d.report.SetText(rep)
			d.title.SetText("The library was repaired")
			d.message.SetText("Here is what the repair found and brought back.")
			d.repairBtn.Hide()
			d.openBtn.Show()
		})
	})
}

// sentence starts s with a capital letter (errors are lower-case, as Go's
// are; on a screen of its own the message is a sentence).
func sentence(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}
