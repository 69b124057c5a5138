package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"callcoach/analysis"
	"callcoach/audio"
	"callcoach/callflow"
	"callcoach/store"
)

// libraryColumns are the call table's columns and their widths.
var libraryColumns = []struct {
	title string
	width float32
}{
	{"Date", 150}, {"Title", 220}, {"Rep", 110}, {"Length", 70},
	{"Talk share", 85}, {"Interrupts", 85}, {"Verdict", 110}, {"Recording", 175}, {"Script reuse", 95}, {"Tags", 200},
}

// allFilter is the filter choice that does not filter.
const allFilter = "All"

// libraryScreen lists the calls with search, filters, import and trash.
type libraryScreen struct {
	app  *App
	rows []store.CallSummary
	sel  int // selected row, -1 for none

	search    *widget.Entry
	rep       *widget.Select
	tag       *widget.Select
	verdict   *widget.Select
	since     *widget.Entry
	until     *widget.Entry
	trash     *widget.Check
	warned    *widget.Check
	table     *callTable
	count     *widget.Label
	openBtn   *widget.Button
	trashBtn  *widget.Button
	undoBtn   *widget.Button
	demoBtn   *widget.Button
	undoID    int64
	undoTimer *time.Timer
	content   fyne.CanvasObject

	// reloadSeq drops results of superseded queries.
	reloadSeq int
	// onReloaded is called after each reload lands (tests wait on it).
	onReloaded func()
	// importing counts imports under way.
	importing int
}

var verdictChoices = []string{allFilter, "Listening", "Mixed", "Script-driven"}

func verdictFromChoice(s string) analysis.Verdict {
	switch s {
	case "Listening":
		return analysis.VerdictListening
	case "Mixed":
		return analysis.VerdictMixed
	case "Script-driven":
		return analysis.VerdictScriptDriven
	}
	return analysis.NoVerdict
}

func newLibraryScreen(a *App) *libraryScreen {
	l := &libraryScreen{app: a, sel: -1}
	l.search = widget.NewEntry()
	l.search.SetPlaceHolder("Search title, rep or customer")
	l.search.OnChanged = func(string) { l.reload() }
	l.rep = widget.NewSelect([]string{allFilter}, func(string) { l.reload() })
	l.rep.PlaceHolder = "Rep"
	l.tag = widget.NewSelect([]string{allFilter}, func(string) { l.reload() })
	l.tag.PlaceHolder = "Tag"
	l.verdict = widget.NewSelect(verdictChoices, func(string) { l.reload() })
	l.verdict.PlaceHolder = "Verdict"
	l.since = widget.NewEntry()
	l.since.SetPlaceHolder("from YYYY-MM-DD")
	l.since.OnChanged = func(string) { l.reload() }
	l.until = widget.NewEntry()
	l.until.SetPlaceHolder("to YYYY-MM-DD")
	l.until.OnChanged = func(string) { l.reload() }
	l.trash = widget.NewCheck("Trash", func(bool) { l.reload() })
	l.warned = widget.NewCheck("With warnings", func(bool) { l.reload() })

	l.table = newCallTable(
		func() (int, int) { return len(l.rows), len(libraryColumns) },
		func() fyne.CanvasObject {
			lbl := widget.NewLabel("Wed 30 Dec 2026 23:59")
			lbl.Truncation = fyne.TextTruncateEllipsis
			return lbl
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			lbl := o.(*widget.Label)
			if id.Row >= len(l.rows) {
				return
			}
			text, imp := cellText(l.rows[id.Row], id.Col)
			lbl.Importance = imp
			lbl.TextStyle.Bold = id.Col == 6
			lbl.SetText(text)
		})
	l.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	l.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(libraryColumns) {
			o.(*widget.Label).SetText(libraryColumns[id.Col].title)
		}
	}
	for i, c := range libraryColumns {
		l.table.SetColumnWidth(i, c.width)
	}
	l.table.OnSelected = func(id widget.TableCellID) { l.onSelect(id.Row) }
	l.table.OnUnselected = func(widget.TableCellID) { l.onSelect(-1) }
	l.table.onOpen = l.onOpen

	l.count = widget.NewLabel("")
	l.openBtn = widget.NewButtonWithIcon("Review", theme.MediaPlayIcon(), l.onOpen)
	l.openBtn.Importance = widget.HighImportance
	l.trashBtn = widget.NewButtonWithIcon("Move to trash", theme.DeleteIcon(), l.onTrash)
	l.undoBtn = widget.NewButtonWithIcon("Undo", theme.ContentUndoIcon(), l.onUndo)
	l.undoBtn.Hide()
	importBtn := widget.NewButtonWithIcon("Import WAV…", theme.FolderOpenIcon(), l.onImport)
	pairBtn := widget.NewButtonWithIcon("Import two files…", theme.FolderOpenIcon(), l.onImportPair)
	l.demoBtn = widget.NewButtonWithIcon("Demo call", theme.InfoIcon(), func() {
		if a.opts.Demo != nil {
			a.showDemo()
		}
	})
	if a.opts.Demo == nil {
		l.demoBtn.Hide()
	}
	l.updateButtons()

	filters := container.NewBorder(nil, nil, nil, container.NewHBox(l.warned, l.trash),
		container.NewGridWithColumns(5, l.rep, l.tag, l.verdict, l.since, l.until))
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewHBox(importBtn, pairBtn, l.demoBtn), l.search),
		filters,
	)
	csvBtn := widget.NewButtonWithIcon("Export CSV…", theme.DocumentSaveIcon(), l.onExportCSV) // share.go
	bottom := container.NewBorder(nil, nil, l.count, container.NewHBox(csvBtn, l.undoBtn, l.trashBtn, l.openBtn))
	hint := widget.NewLabel("Drop WAV files on the window to import them.")
	hint.SizeName = theme.SizeNameCaptionText
	l.content = container.NewBorder(top, container.NewVBox(bottom, hint), nil, nil, l.table)
	return l
}

// callTable is the Library's table of calls: a click selects a row, a
// double click opens it in Review (as Enter and the Review button do).
type callTable struct {
	widget.Table
	onOpen func()
}

func newCallTable(length func() (int, int), create func() fyne.CanvasObject, update func(widget.TableCellID, fyne.CanvasObject)) *callTable {
	t := &callTable{}
	t.Length, t.CreateCell, t.UpdateCell = length, create, update
	t.ShowHeaderRow = true
	t.ExtendBaseWidget(t)
	return t
}

// DoubleTapped selects the row under the pointer and opens it; a double
// click on the header or below the last row opens nothing.
func (t *callTable) DoubleTapped(e *fyne.PointEvent) {
	hit := false
	onSelected := t.OnSelected
	t.OnSelected = func(id widget.TableCellID) {
		hit = true
		if onSelected != nil {
			onSelected(id)
		}
	}
	t.UnselectAll()
	t.Tapped(e)
	t.OnSelected = onSelected
	if hit && t.onOpen != nil {
		t.onOpen()
	}
}

// cellText is what a column shows for a call, and how it is coloured.
func cellText(c store.CallSummary, col int) (string, widget.Importance) {
	switch col {
	case 0:
		return c.RecordedAt.Local().Format("2 Jan 2006 15:04"), widget.MediumImportance
	case 1:
		t := callTitle(c.ID, c.Title)
		if c.Status == store.StatusRecovered {
			t += " (recovered)"
		}
		return t, widget.MediumImportance
	case 2:
		return c.Rep, widget.MediumImportance
	case 3:
		return fmtClock(c.Duration), widget.MediumImportance
	case 4:
		if c.Unattributed {
			return "one channel", widget.LowImportance // who spoke is not known
		}
		if inDoubt(c) {
			return "in doubt", widget.LowImportance
		}
		return fmtPct(c.RepTalkShare), widget.MediumImportance
	case 5:
		if c.Unattributed || inDoubt(c) {
			return "–", widget.LowImportance
		}
		return fmt.Sprint(c.Interruptions), widget.MediumImportance
	case 6:
		if inDoubt(c) && c.Verdict != analysis.NoVerdict {
			return "held back", widget.LowImportance // as Review: see trustOf
		}
		return verdictLabel(c.Verdict), verdictImportance(c.Verdict)
	case 7:
		return warningsCell(c.Warnings)
	case 8:
		return reuseCell(c.ScriptReuse), widget.MediumImportance
	case 9:
		return strings.Join(c.Tags, ", "), widget.MediumImportance
	}
	return "", widget.MediumImportance
}

// warningShort names each recording warning in a few words for the list
// (Review shows the full message).
var warningShort = map[analysis.WarningCode]string{
	analysis.WarnIdenticalChannels: "one channel twice",
	analysis.WarnChannelsSwapped:   "channels swapped?",
	analysis.WarnSilentChannel:     "a side is silent",
	analysis.WarnClipping:          "clipped",
	analysis.WarnNoisy:             "noisy",
	analysis.WarnStrongBleed:       "strong bleed",
}

// inDoubt: a two-party call whose warnings make its rep and customer
// figures wrong (Review holds them back, trustOf): the list shows none of
// them either.
func inDoubt(c store.CallSummary) bool {
	if c.Unattributed {
		return false
	}
	return analysis.PartiesInDoubt(c.Warnings) != ""
}

// warningsCell is the Recording column: the call's warnings in a few
// words, in amber; "ok" in grey for a clean call.
func warningsCell(codes []analysis.WarningCode) (string, widget.Importance) {
	if len(codes) == 0 {
		return "ok", widget.LowImportance
	}
	words := make([]string, len(codes))
	for i, c := range codes {
		words[i] = warningShort[c]
		if words[i] == "" {
			words[i] = strings.ReplaceAll(string(c), "_", " ")
		}
	}
	return "⚠ " + strings.Join(words, ", "), widget.WarningImportance
}

func verdictImportance(v analysis.Verdict) widget.Importance {
	switch v {
	case analysis.VerdictListening:
		return widget.SuccessImportance
	case analysis.VerdictMixed:
		return widget.WarningImportance
	case analysis.VerdictScriptDriven:
		return widget.DangerImportance
	}
	return widget.LowImportance
}

// query builds the filter from the widgets. A date the user is still typing
// does not filter yet.
func (l *libraryScreen) query() store.CallFilter {
	q := store.CallFilter{Text: strings.TrimSpace(l.search.Text), Trashed: l.trash.Checked, Warned: l.warned.Checked}
	if l.rep.Selected != allFilter {
		q.Rep = l.rep.Selected
	}
	if l.tag.Selected != allFilter {
		q.Tag = l.tag.Selected
	}
	q.Verdict = verdictFromChoice(l.verdict.Selected)
	if t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(l.since.Text), time.Local); err == nil {
		q.Since = t
	}
	if t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(l.until.Text), time.Local); err == nil {
		q.Until = t.AddDate(0, 0, 1) // the whole "to" day
	}
	return q
}

// reload runs the query in the background and shows its result.
func (l *libraryScreen) reload() {
	src := l.app.calls
	if src == nil {
		return
	}
	l.reloadSeq++
	seq := l.reloadSeq
	q := l.query()
	runAsync(func() {
		rows, err := src.Calls(context.Background(), q)
		reps, rerr := src.Reps(context.Background())
		fyne.Do(func() {
			if seq != l.reloadSeq {
				return
			}
			if err != nil {
				l.app.showError("Could not list the calls", err)
				return
			}
			// Keep the selected call selected (the list reloads when the
			// library changes under it).
			var selID int64
			if c, ok := l.selected(); ok {
				selID = c.ID
			}
			l.rows = rows
			l.sel = -1
			l.table.UnselectAll()
			for i, r := range rows {
				if r.ID == selID {
					l.table.Select(widget.TableCellID{Row: i, Col: 0})
					l.sel = i
					break
				}
			}
			l.table.Refresh()
			l.count.SetText(countText(len(rows), q.Trashed))
			if rerr == nil {
				l.setReps(repNames(reps))
			}
			l.updateButtons()
			if l.onReloaded != nil {
				l.onReloaded()
			}
		})
	})
}

// countText says how many calls are listed.
func countText(n int, trashed bool) string {
	s := fmt.Sprintf("%d calls", n)
	if n == 1 {
		s = "1 call"
	}
	if trashed {
		s += " in the trash"
	}
	return s
}

func (l *libraryScreen) setReps(reps []string) {
	opts := append([]string{allFilter}, reps...)
	if !equalStrings(opts, l.rep.Options) {
		l.rep.Options = opts
		l.rep.Refresh()
	}
}

func (l *libraryScreen) setTags(tags []string) {
	l.tag.Options = append([]string{allFilter}, tags...)
	l.tag.Refresh()
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (l *libraryScreen) onSelect(row int) {
	l.sel = row
	l.updateButtons()
}

func (l *libraryScreen) selected() (store.CallSummary, bool) {
	if l.sel < 0 || l.sel >= len(l.rows) {
		return store.CallSummary{}, false
	}
	return l.rows[l.sel], true
}

func (l *libraryScreen) updateButtons() {
	_, ok := l.selected()
	if ok {
		l.openBtn.Enable()
		l.trashBtn.Enable()
	} else {
		l.openBtn.Disable()
		l.trashBtn.Disable()
	}
	if l.trash.Checked {
		l.trashBtn.SetText("Restore")
		l.trashBtn.SetIcon(theme.ContentUndoIcon())
	} else {
		l.trashBtn.SetText("Move to trash")
		l.trashBtn.SetIcon(theme.DeleteIcon())
	}
}

func (l *libraryScreen) onOpen() {
	if c, ok := l.selected(); ok {
		l.app.OpenCall(c.ID, 0)
	}
}

// onTrash moves the selected call to the trash (or restores it when the
// trash is shown); a trashed call can be brought back with Undo for a while.
func (l *libraryScreen) onTrash() {
	c, ok := l.selected()
	if !ok {
		return
	}
	restore := l.trash.Checked
	runAsync(func() {
		var err error
		if restore {
			err = l.app.lib.Restore(context.Background(), c.ID)
		} else {
			err = l.app.lib.Trash(context.Background(), c.ID)
		}
		fyne.Do(func() {
			if err != nil {
				l.app.showError("Could not move the call", err)
				return
			}
			if restore {
				l.app.notify(fmt.Sprintf("%q restored", callTitle(c.ID, c.Title)))
			} else {
				l.offerUndo(c)
			}
			l.reload()
			l.app.trends.reload()
		})
	})
}

// undoWindow is how long the Undo button stays after a delete.
const undoWindow = 20 * time.Second

func (l *libraryScreen) offerUndo(c store.CallSummary) {
	l.undoID = c.ID
	l.undoBtn.SetText(fmt.Sprintf("Undo delete of %q", callTitle(c.ID, c.Title)))
	l.undoBtn.Show()
	l.app.notify(fmt.Sprintf("%q moved to the trash", callTitle(c.ID, c.Title)))
	if l.undoTimer != nil {
		l.undoTimer.Stop()
	}
	id := c.ID
	l.undoTimer = time.AfterFunc(undoWindow, func() {
		fyne.Do(func() {
			if l.undoID == id {
				l.undoID = 0
				l.undoBtn.Hide()
			}
		})
	})
}

func (l *libraryScreen) onUndo() {
	id := l.undoID
	if id == 0 {
		return
	}
	l.undoID = 0
	l.undoBtn.Hide()
	runAsync(func() {
		err := l.app.lib.Restore(context.Background(), id)
		fyne.Do(func() {
			if err != nil {
				l.app.showError("Could not restore the call", err)
				return
			}
			l.app.notify("call restored")
			l.reload()
			l.app.trends.reload()
		})
	})
}

// onImport asks for a WAV file and imports it.
func (l *libraryScreen) onImport() {
	if l.app.lib == nil {
		l.app.showError("Cannot import", errNoLibrary)
		return
	}
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			l.app.showError("Could not open the file", err)
			return
		}
		if rc == nil {
			return
		}
		path := rc.URI().Path()
		rc.Close()
		l.askImport(path)
	}, l.app.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".wav", ".WAV"}))
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

// importForm is the import dialog's fields (tests fill them).
type importForm struct {
	rep, title *widget.Entry
	repPick    *widget.SelectEntry
	customer   *widget.Entry
	channel    *widget.RadioGroup // the stereo file's rep side; nil for a mono file
	repFile    *widget.Label      // the two-file form's files
	custFile   *widget.Label
	items      []*widget.FormItem
}

// newImportForm has the fields every import asks: rep, customer, title.
func (l *libraryScreen) newImportForm(title string) *importForm {
	f := &importForm{}
	f.repPick = widget.NewSelectEntry(l.rep.Options[1:])
	f.repPick.SetText(l.app.prefs.Author)
	f.repPick.PlaceHolder = "the rep's name"
	f.customer = widget.NewEntry()
	f.customer.SetPlaceHolder("customer or company")
	f.title = widget.NewEntry()
	f.title.SetText(title)
	f.items = []*widget.FormItem{
		widget.NewFormItem("Rep", f.repPick),
		widget.NewFormItem("Customer", f.customer),
		widget.NewFormItem("Title", f.title),
	}
	return f
}

func (f *importForm) request() callflow.ImportRequest {
	r := callflow.ImportRequest{Rep: strings.TrimSpace(f.repPick.Text), Customer: strings.TrimSpace(f.customer.Text),
		Title: strings.TrimSpace(f.title.Text)}
	if f.channel != nil {
		r.RepChannel, _ = audio.ParseSide(f.channel.Selected)
	}
	return r
}

// askImport asks how to file one WAV: the rep's channel (a stereo file),
// the rep's and the customer's names, the title; then imports it.
func (l *libraryScreen) askImport(path string) {
	f := l.newImportForm(titleFromPath(path))
	channels := 0
	if a, err := audio.Open(path); err == nil {
		channels = a.Info().Channels
		a.Close()
	}
	if channels == 2 {
		f.channel = widget.NewRadioGroup([]string{audio.Left.String(), audio.Right.String()}, nil)
		f.channel.Horizontal = true
		f.channel.SetSelected(audio.Left.String())
		f.items = append(f.items,
			widget.NewFormItem("Rep's channel", f.channel),
			widget.NewFormItem("", widget.NewLabel("Stereo: the rep on this channel, the customer on the other.")))
	} else {
		f.items = append(f.items, widget.NewFormItem("", wrapLabel("One channel: CallCoach tells the two voices apart by their sound. "+
			"If the customer's side is in a file of its own, use Import two files… instead.")))
	}
	l.app.pendingImport = f
	dialog.ShowForm("Import "+filepath.Base(path), "Import", "Cancel", f.items, func(ok bool) {
		l.app.pendingImport = nil
		if ok {
			r := f.request()
			r.Path = path
			l.Import(r)
		}
	}, l.app.win)
}

// onImportPair asks for the rep's and the customer's files (one mono WAV
// per party), the names and the title; then imports them as one call.
func (l *libraryScreen) onImportPair() {
	if l.app.lib == nil {
		l.app.showError("Cannot import", errNoLibrary)
		return
	}
	l.askImportPair("", "")
}

// askImportPair is the two-file form, with any files already chosen.
func (l *libraryScreen) askImportPair(repPath, custPath string) {
	f := l.newImportForm("")
	f.repFile, f.custFile = widget.NewLabel(orNone(repPath)), widget.NewLabel(orNone(custPath))
	pick := func(label *widget.Label, set func(string)) *widget.Button {
		return widget.NewButtonWithIcon("Choose…", theme.FolderOpenIcon(), func() {
			d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
				if err != nil || rc == nil {
					return
				}
				p := rc.URI().Path()
				rc.Close()
				set(p)
				label.SetText(filepath.Base(p))
			}, l.app.win)
			d.SetFilter(storage.NewExtensionFileFilter([]string{".wav", ".WAV"}))
			d.Resize(fyne.NewSize(760, 520))
			d.Show()
		})
	}
	repBtn := pick(f.repFile, func(p string) {
		repPath = p
		if f.title.Text == "" {
			f.title.SetText(titleFromPath(p))
		}
	})
	custBtn := pick(f.custFile, func(p string) { custPath = p })
	f.items = append([]*widget.FormItem{
		widget.NewFormItem("Rep's file", container.NewBorder(nil, nil, nil, repBtn, f.repFile)),
		widget.NewFormItem("Customer's file", container.NewBorder(nil, nil, nil, custBtn, f.custFile)),
		widget.NewFormItem("", widget.NewLabel("One mono WAV per party; they may differ in rate and length.")),
	}, f.items...)
	l.app.pendingImport = f
	d := dialog.NewForm("Import two files", "Import", "Cancel", f.items, func(ok bool) {
		l.app.pendingImport = nil
		if !ok {
			return
		}
		r := f.request()
		r.RepPath, r.CustomerPath = repPath, custPath
		if err := callflow.Check(r); err != nil {
			l.app.showError("Cannot import", err)
			return
		}
		l.Import(r)
	}, l.app.win)
	d.Resize(fyne.NewSize(560, 340))
	d.Show()
}

func orNone(p string) string {
	if p == "" {
		return "(none chosen)"
	}
	return filepath.Base(p)
}

func titleFromPath(p string) string {
	return strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
}

// onDropped imports WAV files dropped on the window.
func (l *libraryScreen) onDropped(uris []fyne.URI) {
	var n int
	for _, u := range uris {
		if strings.EqualFold(u.Extension(), ".wav") {
			l.Import(callflow.ImportRequest{Path: u.Path(), Rep: l.app.prefs.Author, Title: titleFromPath(u.Path())})
			n++
		}
	}
	if n == 0 && len(uris) > 0 {
		l.app.showInfo("Import", "Only WAV files can be imported: convert the file to WAV (stereo, the rep on the left) first.")
	}
	l.app.Show("library")
}

// Import imports a call in the background with a progress dialog, then
// lists it.
func (l *libraryScreen) Import(req callflow.ImportRequest) {
	if l.app.lib == nil {
		l.app.showError("Cannot import", errNoLibrary)
		return
	}
	bar := widget.NewProgressBar()
	name := filepath.Base(req.Path)
	if req.Path == "" {
		name = filepath.Base(req.RepPath) + " + " + filepath.Base(req.CustomerPath)
	}
	prog := dialog.NewCustomWithoutButtons("Importing "+name, container.NewVBox(
		widget.NewLabel("Copying and analysing the call…"), bar), l.app.win)
	prog.Resize(fyne.NewSize(420, 140))
	prog.Show()
	l.importing++
	var last time.Time
	progress := func(p callflow.Progress) {
		// Throttle to about 30 updates a second.
		f := p.Fraction()
		if now := time.Now(); now.Sub(last) > time.Second/30 || f >= 1 {
			last = now
			fyne.Do(func() { bar.SetValue(f) })
		}
	}
	lib := l.app.lib
	runAsync(func() {
		c, err := callflow.Import(context.Background(), lib, req, progress)
		fyne.Do(func() {
			l.importing--
			prog.Hide()
			if err != nil {
				var what = "Could not import " + name
				if errors.Is(err, store.ErrDuplicate) {
					what = name + " is already in the library"
				}
				l.app.showError(what, err)
				return
			}
			l.app.notify(fmt.Sprintf("imported %s as call %d", name, c.ID))
			l.app.warmWaveform(c.ID)
			l.reload()
			l.app.trends.reload()
		})
	})
}

// repNames lists the reps' names.
func repNames(rs []store.Rep) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Name
	}
	return out
}
