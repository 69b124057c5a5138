package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"callcoach/audio/device"
)

func shortcut(a *App, k fyne.KeyName) {
	a.win.Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault})
}

func TestShortcuts(t *testing.T) {
	lib := newTestLibrary(t)
	rec := &fakeRecorder{lib: lib, devices: []device.Device{{Name: "Mic", Channels: 1, Default: true}, {Name: "Headset monitor", Channels: 2}}}
	rec.callID = addCall(t, lib, "Shortcut call", "Ann", nil, time.Now())
	a := newTestApp(t, Options{Library: lib, Recorder: rec, Player: &fakePlayer{}})
	a.prefs.ConsentShown = true
	a.Show("record")
	a.record.custDev.SetSelected("Headset monitor")
	a.Show("library")

	// Ctrl+R starts recording from any screen, and stops it.
	shortcut(a, fyne.KeyR)
	if a.Current() != "record" || a.record.recording == nil {
		t.Fatalf("Ctrl+R: screen %q, recording %v", a.Current(), a.record.recording)
	}
	shortcut(a, fyne.KeyR)
	if !rec.stopped || a.Current() != "review" {
		t.Errorf("second Ctrl+R: stopped %v, screen %q, want the new call in review", rec.stopped, a.Current())
	}

	// A annotates the selection on Review.
	a.review.timeline.SetSelection(Range{time.Second, 2 * time.Second})
	a.review.onSelect(a.review.timeline.Selection())
	a.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyA})
	if a.pendingNote == nil {
		t.Error("A did not open the annotate form")
	}
	tapDialogButton(t, a, "Cancel")

	// Ctrl+I opens the import dialog on Library.
	shortcut(a, fyne.KeyI)
	if a.Current() != "library" || a.win.Canvas().Overlays().Top() == nil {
		t.Errorf("Ctrl+I: screen %q, dialog %v", a.Current(), a.win.Canvas().Overlays().Top())
	}
}

func TestWindowSizeRemembered(t *testing.T) {
	lib := newTestLibrary(t)
	a := newTestApp(t, Options{Library: lib})
	a.win.Resize(fyne.NewSize(1010, 690))
	a.SaveWindowSize()
	b := newTestApp(t, Options{Library: lib})
	if got := b.WindowSize(); got.Width != 1010 || got.Height != 690 {
		t.Errorf("window size after restart: got %v, want 1010x690", got)
	}
}

// TestKeysAfterTyping: a search typed in the Library must not keep the
// keyboard once the user switches to Review.
func TestKeysAfterTyping(t *testing.T) {
	a, p, _, _ := openSample(t)
	a.Show("library")
	a.win.Canvas().Focus(a.library.search)
	a.Show("review")
	if a.win.Canvas().Focused() != nil {
		t.Fatalf("focus stayed on %T", a.win.Canvas().Focused())
	}
	a.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeySpace})
	if !p.Playing() {
		t.Error("Space after switching from the library did not play")
	}
}

func TestCloseWhileRecording(t *testing.T) {
	lib := newTestLibrary(t)
	rec := &fakeRecorder{lib: lib, devices: []device.Device{{Name: "Mic", Channels: 1, Default: true}, {Name: "Headset monitor", Channels: 2}}}
	a := newTestApp(t, Options{Library: lib, Recorder: rec})
	a.prefs.ConsentShown = true
	a.Show("record")
	a.record.custDev.SetSelected("Headset monitor")
	test.Tap(a.record.startBtn)
	closed := false
	a.RequestClose(func() { closed = true })
	if closed {
		t.Fatal("closed without asking while recording")
	}
	tapDialogButton(t, a, "Yes")
	if !closed || !rec.stopped {
		t.Errorf("after confirming: closed %v, recording stopped %v", closed, rec.stopped)
	}
	// Not recording: closes at once.
	b := newTestApp(t, Options{Library: lib})
	closed = false
	b.RequestClose(func() { closed = true })
	if !closed {
		t.Error("not recording, but the window did not close")
	}
}
