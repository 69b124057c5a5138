package ui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"callcoach/analysis"
	"callcoach/callflow"
)

func TestSaveClipAppearsInClips(t *testing.T) {
	a, p, lib, id := openSample(t)
	r := a.review
	dragAcross(r.timeline, timelineAt(r.timeline, 7*time.Second), timelineAt(r.timeline, 10*time.Second))
	test.Tap(r.annotate)
	f := a.pendingNote
	f.tag.SetText("interrupted")
	f.note.SetText("rep cuts in")
	f.clip.SetChecked(true)
	tapDialogButton(t, a, "Save")

	a.Show("clips")
	c := a.clips
	if len(c.clips) != 1 {
		t.Fatalf("Clips lists %d clips, want 1", len(c.clips))
	}
	cl := c.clips[0]
	if cl.Tag != "interrupted" || cl.CallID == nil || *cl.CallID != id || cl.CallTitle != "Acme renewal" || cl.Rep != "Ann" {
		t.Errorf("clip: got %+v", cl)
	}
	if d := cl.End - cl.Start; d < 2900*time.Millisecond || d > 3100*time.Millisecond {
		t.Errorf("clip length: got %v, want 3 s", d)
	}
	clipPath := lib.Abs(cl.Path)
	if _, err := os.Stat(clipPath); err != nil {
		t.Errorf("clip audio: %v", err)
	}
	// Filter by tag and rep.
	c.tag.SetSelected("good question")
	if len(c.clips) != 0 {
		t.Errorf("tag filter 'good question': %d clips, want 0", len(c.clips))
	}
	c.tag.SetSelected(allFilter)
	c.rep.SetSelected("Ann")
	if len(c.clips) != 1 {
		t.Errorf("rep filter Ann: %d clips, want 1", len(c.clips))
	}
	c.list.Select(0)
	// Play loads the clip's audio.
	test.Tap(c.playBtn)
	if p.path != clipPath || !p.Playing() {
		t.Errorf("Play: player has %q (playing %v), want the clip %q", p.path, p.Playing(), clipPath)
	}
	// Export copies the WAV byte for byte.
	dst := filepath.Join(t.TempDir(), exportName(cl))
	if err := exportClip(clipPath, dst); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(clipPath)
	got, _ := os.ReadFile(dst)
	if len(want) == 0 || !bytes.Equal(got, want) {
		t.Errorf("exported clip: %d bytes, want the %d bytes of the clip", len(got), len(want))
	}
	// Open the source call at the clip's moment.
	srcID := cl.ID
	defer func() {
		// Delete it, after the question; its audio goes too.
		a.Show("clips")
		c.list.Select(0)
		test.Tap(c.delBtn)
		tapDialogButton(t, a, "Yes")
		if len(c.clips) != 0 {
			t.Errorf("after Delete the clips screen lists %d clips", len(c.clips))
		}
		if _, err := lib.Clip(context.Background(), srcID); err == nil {
			t.Error("the deleted clip is still in the library")
		}
		if _, err := os.Stat(clipPath); !os.IsNotExist(err) {
			t.Errorf("the deleted clip's audio: %v", err)
		}
	}()
	test.Tap(c.srcBtn)
	if a.Current() != "review" || a.review.call.ID != id || a.review.timeline.Playhead() != cl.Start {
		t.Errorf("source call: %q, call %d, playhead %v; want review of %d at %v", a.Current(), a.review.call.ID, a.review.timeline.Playhead(), id, cl.Start)
	}
	// And playing the call again reloads the call's audio.
	test.Tap(a.review.playBtn)
	if p.path != lib.Abs(a.review.call.AudioPath) {
		t.Errorf("after the clip, Play loaded %q, want the call", p.path)
	}
}

func TestSaveClipFromAnnotationList(t *testing.T) {
	a, _, _, _ := openSample(t)
	r := a.review
	r.timeline.SetSelection(Range{2 * time.Second, 4 * time.Second})
	r.onSelect(r.timeline.Selection())
	test.Tap(r.annotate)
	a.pendingNote.tag.SetText("good question")
	tapDialogButton(t, a, "Save")
	if len(a.clips.clips) != 0 {
		t.Fatal("a clip was saved without asking")
	}
	r.onSaveClip(r.notes[0])
	if len(a.clips.clips) != 1 || a.clips.clips[0].Tag != "good question" {
		t.Errorf("after Clip on the annotation: %+v", a.clips.clips)
	}
}

func TestImport(t *testing.T) {
	lib := newTestLibrary(t)
	a := newTestApp(t, Options{Library: lib})
	segs, dur := sampleSegments()
	dir := t.TempDir()
	path := filepath.Join(dir, "monday-call.wav")
	writeCallWAV(t, path, segs, dur)

	// Through the import form (as after the file dialog).
	a.library.askImport(path)
	top := a.win.Canvas().Overlays().Top()
	var title *widget.Entry
	var rep *widget.SelectEntry
	for _, o := range test.LaidOutObjects(top) {
		switch e := o.(type) {
		case *widget.Entry:
			title = e
		case *widget.SelectEntry:
			rep = e
		}
	}
	if title == nil || rep == nil || title.Text != "monday-call" {
		t.Fatalf("import form: title %v, rep %v", title, rep)
	}
	rep.SetText("Ann")
	tapDialogButton(t, a, "Import")
	rows := a.library.rows
	if len(rows) != 1 || rows[0].Title != "monday-call" || rows[0].Rep != "Ann" {
		t.Fatalf("after import the library lists %+v", rows)
	}
	if rows[0].Duration != dur {
		t.Errorf("imported duration: got %v, want %v", rows[0].Duration, dur)
	}
	// The same file again is refused with a message.
	a.library.Import(callflow.ImportRequest{Path: path})
	if len(a.library.rows) != 1 {
		t.Errorf("a duplicate import added a call")
	}
	if a.win.Canvas().Overlays().Top() == nil {
		t.Error("no message for the duplicate import")
	}

	// Drag and drop: WAV files are imported, others explained.
	other := filepath.Join(dir, "tuesday.wav")
	writeCallWAV(t, other, segs[:3], dur)
	a.OnDropped(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(other)})
	if len(a.library.rows) != 2 {
		t.Errorf("after dropping a WAV: %d calls, want 2", len(a.library.rows))
	}
	a.OnDropped(fyne.NewPos(10, 10), []fyne.URI{storage.NewFileURI(filepath.Join(dir, "notes.txt"))})
	if len(a.library.rows) != 2 {
		t.Errorf("dropping a text file imported something")
	}
}

// TestImportChannelMapAndNames imports through the app's import form a
// stereo call with the rep on the right, naming rep and customer, and a
// call given as two mono files: the library stores the channel map, the
// names and the analysis of the right channels.
func TestImportChannelMapAndNames(t *testing.T) {
	lib := newTestLibrary(t)
	a := newTestApp(t, Options{Library: lib})
	calls := filepath.Join("..", "analysis", "testdata", "calls")

	a.library.askImport(filepath.Join(calls, "short_call_int24_16k.wav"))
	f := a.pendingImport
	if f == nil || f.channel == nil {
		t.Fatalf("the import form of a stereo file has no channel choice: %+v", f)
	}
	f.repPick.SetText("Ann")
	f.customer.SetText("Acme Ltd")
	f.channel.SetSelected("right")
	tapDialogButton(t, a, "Import")
	rows := a.library.rows
	if len(rows) != 1 {
		t.Fatalf("after the import the library lists %d calls", len(rows))
	}
	c, err := lib.Call(context.Background(), rows[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Rep != "Ann" || c.Customer != "Acme Ltd" || c.Channels != (analysis.Channels{Rep: "right", Customer: "left"}) {
		t.Errorf("stored rep %q customer %q channels %+v", c.Rep, c.Customer, c.Channels)
	}
	// The left channel carries the generated call's rep (7.8 s of talk in
	// truth), the right its customer (11.3 s): with the rep on the right,
	// the rep's talk is the truth's customer's.
	if c.Result.Talk.Rep <= c.Result.Talk.Customer {
		t.Errorf("talk rep %v customer %v: want the channels swapped", c.Result.Talk.Rep, c.Result.Talk.Customer)
	}

	// A mono file offers no channel choice.
	a.library.askImport(filepath.Join(calls, "short_call_two_mono.rep.wav"))
	if a.pendingImport == nil || a.pendingImport.channel != nil {
		t.Error("the import form of a mono file offers a channel choice")
	}
	tapDialogButton(t, a, "Cancel")

	// Two mono files, one per party.
	a.library.askImportPair(filepath.Join(calls, "short_call_two_mono.rep.wav"), filepath.Join(calls, "short_call_two_mono.customer.wav"))
	p := a.pendingImport
	p.repPick.SetText("Bob")
	p.customer.SetText("Globex")
	p.title.SetText("Globex renewal")
	tapDialogButton(t, a, "Import")
	if len(a.library.rows) != 2 || a.library.rows[0].Title != "Globex renewal" {
		t.Fatalf("after the pair import the library lists %+v", a.library.rows)
	}
	pc, _ := lib.Call(context.Background(), a.library.rows[0].ID)
	if pc.Rep != "Bob" || pc.Customer != "Globex" || !strings.Contains(pc.Result.File, "short_call_two_mono.rep.wav + short_call_two_mono.customer.wav") {
		t.Errorf("pair call: rep %q customer %q file %q", pc.Rep, pc.Customer, pc.Result.File)
	}
	if pc.Result.Talk.Rep == 0 || pc.Result.Talk.Customer == 0 {
		t.Errorf("pair call talk %+v, want both parties", pc.Result.Talk)
	}
}
