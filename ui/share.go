package ui

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"callcoach/callflow"
	"callcoach/callflow/interchange"
	"callcoach/callflow/report"
	"callcoach/store"
)

// Sharing from the app: "Report…", "Export…" and "Import annotations…" in
// Review, "Report…" in Trends, "Export CSV…" in the Library. Each asks
// its few questions in a form, then where to save (or what to open), and
// runs the callflow use case the command line runs too; the work runs off
// the UI goroutine and the result comes back as a dialog.

// Format choices as the forms show them.
const (
	choiceHTML = "Web page (HTML) — opens in any browser"
	choicePDF  = "PDF — ready to print"
)

func reportFormat(choice string) callflow.ReportFormat {
	if choice == choicePDF {
		return callflow.ReportPDF
	}
	return callflow.ReportHTML
}

// reportChoices are the form items every report asks: the format and the
// PDF's paper (the locale's by default).
type reportChoices struct {
	format *widget.RadioGroup
	paper  *widget.Select
}

func newReportChoices() *reportChoices {
	c := &reportChoices{format: widget.NewRadioGroup([]string{choiceHTML, choicePDF}, nil),
		paper: widget.NewSelect([]string{report.A4.Name, report.Letter.Name}, nil)}
	c.format.Required = true
	c.format.SetSelected(choiceHTML)
	c.paper.SetSelected(callflow.DefaultPaper().Name)
	return c
}

func (c *reportChoices) items() []*widget.FormItem {
	return []*widget.FormItem{
		{Text: "Format", Widget: c.format},
		{Text: "Paper (PDF)", Widget: c.paper, HintText: "follows your locale; A4 and Letter both print the HTML"},
	}
}

func (c *reportChoices) get() (callflow.ReportFormat, report.Paper) {
	p := report.A4
	if c.paper.Selected == report.Letter.Name {
		p = report.Letter
	}
	return reportFormat(c.format.Selected), p
}

// askSave asks where to save a file called name (ending in ext), then runs
// write on it in the background and shows what happened: done's message,
// with "Open" to show the file in the system's viewer.
func (a *App) askSave(title, name, ext string, write func(path string) (string, error)) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			a.showError("Could not save", err)
			return
		}
		if w == nil {
			return
		}
		path := w.URI().Path()
		w.Close()
		if filepath.Ext(path) == "" {
			path += ext
		}
		a.notify("Saving " + filepath.Base(path) + "…")
		runAsync(func() {
			msg, err := write(path)
			fyne.Do(func() {
				if err != nil {
					a.showError(title+" failed", err)
					return
				}
				a.showSaved(title, path, msg)
			})
		})
	}, a.win)
	d.SetFileName(name + ext)
	d.SetFilter(storage.NewExtensionFileFilter([]string{ext}))
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

// showSaved says a file was saved, with a button that opens it.
func (a *App) showSaved(title, path, msg string) {
	a.notify(msg)
	open := widget.NewButtonWithIcon("Open", theme.FileIcon(), func() {
		u := &url.URL{Scheme: "file", Path: path}
		if err := a.fyneApp.OpenURL(u); err != nil {
			a.showError("Could not open "+filepath.Base(path), err)
		}
	})
	body := widget.NewLabel(msg + "\n" + path)
	body.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(title, "Close", container.NewVBox(body, container.NewHBox(open)), a.win)
	d.Resize(fyne.NewSize(520, 180))
	d.Show()
}

// shareBar is the Review screen's row of sharing buttons.
func (r *reviewScreen) shareBar() fyne.CanvasObject {
	r.reportBtn = widget.NewButtonWithIcon("Report…", theme.DocumentPrintIcon(), r.onReport)
	r.exportBtn = widget.NewButtonWithIcon("Export…", theme.DocumentSaveIcon(), r.onExport)
	r.importBtn = widget.NewButtonWithIcon("Import annotations…", theme.FolderOpenIcon(), r.onImportAnnotations)
	r.updateShare()
	return container.NewHBox(r.reportBtn, r.exportBtn, r.importBtn)
}

// updateShare enables the sharing buttons for a call of the library (not
// the demo shown without one).
func (r *reviewScreen) updateShare() {
	on := r.call != nil && r.call.ID > 0 && r.call.Result != nil && r.app.lib != nil
	for _, b := range []*widget.Button{r.reportBtn, r.exportBtn, r.importBtn} {
		if b == nil {
			continue
		}
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

func (r *reviewScreen) onReport() {
	if r.call == nil || r.call.ID == 0 {
		return
	}
	c := newReportChoices()
	id := r.call.ID
	d := dialog.NewForm(fmt.Sprintf("Report of call %d", id), "Choose file…", "Cancel", c.items(), func(ok bool) {
		if !ok {
			return
		}
		f, paper := c.get()
		r.app.askSave("Report", fmt.Sprintf("call-%d-report", id), "."+string(f), func(path string) (string, error) {
			return r.writeReport(id, path, f, paper)
		})
	}, r.app.win)
	d.Resize(fyne.NewSize(560, 260))
	d.Show()
}

// writeReport writes call id's report at path (the Report… action once
// the file is chosen).
func (r *reviewScreen) writeReport(id int64, path string, f callflow.ReportFormat, paper report.Paper) (string, error) {
	doc, err := callflow.CallReport(context.Background(), r.app.lib, id)
	if err != nil {
		return "", err
	}
	if err := callflow.SaveFile(path, true, func(w io.Writer) error { return callflow.WriteReport(w, doc, f, paper) }); err != nil {
		return "", err
	}
	what := "Open it in a browser, or print it."
	if f == callflow.ReportPDF {
		what = "A PDF on " + paper.Name + " paper."
	}
	return fmt.Sprintf("Saved the report of call %d. %s", id, what), nil
}

func (r *reviewScreen) onExport() {
	if r.call == nil || r.call.ID == 0 {
		return
	}
	var names []string
	for _, f := range interchange.ExportFormats {
		names = append(names, f.About)
	}
	pick := widget.NewRadioGroup(names, nil)
	pick.Required = true
	pick.SetSelected(names[0])
	id := r.call.ID
	d := dialog.NewForm(fmt.Sprintf("Export call %d", id), "Choose file…", "Cancel", []*widget.FormItem{{Text: "For", Widget: pick}}, func(ok bool) {
		if !ok {
			return
		}
		var f interchange.ExportFormat
		for _, x := range interchange.ExportFormats {
			if x.About == pick.Selected {
				f = x
			}
		}
		r.app.askSave("Export", fmt.Sprintf("call-%d", id), f.Ext, func(path string) (string, error) {
			return r.writeExport(id, path, f)
		})
	}, r.app.win)
	d.Resize(fyne.NewSize(620, 320))
	d.Show()
}

// writeExport writes call id in format f at path.
func (r *reviewScreen) writeExport(id int64, path string, f interchange.ExportFormat) (string, error) {
	err := callflow.SaveFile(path, true, func(w io.Writer) error { return callflow.Export(context.Background(), r.app.lib, id, f, w) })
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Exported call %d for %s.", id, strings.SplitN(f.About, ":", 2)[0]), nil
}

func (r *reviewScreen) onImportAnnotations() {
	if r.call == nil || r.call.ID == 0 {
		return
	}
	id := r.call.ID
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			r.app.showError("Could not open the file", err)
			return
		}
		if rc == nil {
			return
		}
		path := rc.URI().Path()
		rc.Close()
		runAsync(func() {
			msg, err := r.importAnnotations(id, path)
			fyne.Do(func() {
				if err != nil {
					r.app.showError("Nothing was imported", err)
					return
				}
				r.app.showInfo("Annotations imported", msg)
			})
		})
	}, r.app.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".txt", ".TextGrid", ".textgrid"}))
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

// importAnnotations adds the marks of an Audacity label track or a
// TextGrid to call id, by the author in the settings, and shows them.
func (r *reviewScreen) importAnnotations(id int64, path string) (string, error) {
	im, err := callflow.ImportAnnotations(context.Background(), r.app.lib, id, path, r.app.prefs.Author)
	if err != nil {
		return "", err
	}
	fyne.Do(func() {
		if r.call != nil && r.call.ID == id {
			r.loadNotes(r.loadSeq)
		}
		r.app.library.reload()
	})
	from := "the Audacity label track"
	if im.Format == interchange.FormatTextGrid {
		from = "the TextGrid (" + strings.Join(im.Tiers, ", ") + ")"
	}
	msg := fmt.Sprintf("Added %d annotation%s to call %d from %s.", len(im.Annotations), plural(len(im.Annotations)), id, from)
	if im.AlreadyThere > 0 {
		msg += fmt.Sprintf(" %d were already on the call.", im.AlreadyThere)
	}
	if im.Skipped > 0 {
		msg += fmt.Sprintf(" Left out %d interruption label%s CallCoach made.", im.Skipped, plural(im.Skipped))
	}
	return msg, nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// onReport (Trends) asks for the period and the format of a rep's report.
func (t *trendsScreen) onReport() {
	rep := t.rep.Selected
	if rep == "" || t.app.lib == nil {
		t.app.showInfo("Report", "Choose a rep first.")
		return
	}
	since, until := widget.NewEntry(), widget.NewEntry()
	since.SetPlaceHolder("YYYY-MM-DD (empty: from the first call)")
	until.SetPlaceHolder("YYYY-MM-DD (empty: to the last call)")
	if len(t.points) > 0 {
		last := t.points[len(t.points)-1].At.Local()
		since.SetText(last.AddDate(0, -1, 0).Format("2006-01-02"))
		until.SetText(last.Format("2006-01-02"))
	}
	dateOK := func(s string) error {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		if _, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), time.Local); err != nil {
			return fmt.Errorf("a date reads 2026-03-31")
		}
		return nil
	}
	since.Validator, until.Validator = dateOK, dateOK
	c := newReportChoices()
	items := append([]*widget.FormItem{{Text: "From", Widget: since}, {Text: "To (inclusive)", Widget: until}}, c.items()...)
	d := dialog.NewForm("Report of "+rep, "Choose file…", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		from, to := parseDay(since.Text), parseDay(until.Text)
		if !to.IsZero() {
			to = to.AddDate(0, 0, 1) // the whole "to" day
		}
		f, paper := c.get()
		t.app.askSave("Report", "rep-"+fileSafe(rep)+"-report", "."+string(f), func(path string) (string, error) {
			return t.writeReport(rep, from, to, path, f, paper)
		})
	}, t.app.win)
	d.Resize(fyne.NewSize(560, 360))
	d.Show()
}

func parseDay(s string) time.Time {
	d, _ := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), time.Local)
	return d
}

// writeReport writes rep's report over [from, to) at path.
func (t *trendsScreen) writeReport(rep string, from, to time.Time, path string, f callflow.ReportFormat, paper report.Paper) (string, error) {
	doc, err := callflow.RepReport(context.Background(), t.app.lib, rep, from, to)
	if err != nil {
		return "", err
	}
	if err := callflow.SaveFile(path, true, func(w io.Writer) error { return callflow.WriteReport(w, doc, f, paper) }); err != nil {
		return "", err
	}
	return "Saved " + rep + "'s report.", nil
}

// onExportCSV saves the calls the Library lists (its filters applied) as CSV.
func (l *libraryScreen) onExportCSV() {
	if l.app.lib == nil {
		l.app.showError("Cannot export", errNoLibrary)
		return
	}
	q := l.query()
	l.app.askSave("Export CSV", "callcoach-calls", ".csv", func(path string) (string, error) {
		return l.exportCSV(q, path)
	})
}

// exportCSV writes the calls q selects at path, one row per call.
func (l *libraryScreen) exportCSV(q store.CallFilter, path string) (string, error) {
	var n int
	err := callflow.SaveFile(path, true, func(w io.Writer) error {
		var err error
		n, err = callflow.ExportCalls(context.Background(), l.app.lib, q, w, func(done, total int) {
			if done%50 == 0 || done == total {
				fyne.Do(func() { l.app.notify(fmt.Sprintf("Exporting: %d of %d calls", done, total)) })
			}
		})
		return err
	})
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Exported %d call%s as CSV (one row per call, every figure).", n, plural(n)), nil
}

// fileSafe turns a name into a file name part: "Zoë Ångström" → "Zoë-Ångström".
func fileSafe(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.TrimSpace(s) {
		if r == '.' || r == '_' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	if out := strings.Trim(b.String(), "-."); out != "" {
		return out
	}
	return "rep"
}
