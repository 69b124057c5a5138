package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"callcoach/store"
)

// clipsScreen is the clip library across calls: filter, play, export, and
// open the source call at the clip's moment.
type clipsScreen struct {
	app   *App
	clips []store.Clip
	sel   int

	tag     *widget.Select
	rep     *widget.Select
	list    *widget.List
	count   *widget.Label
	empty   *widget.Label
	playBtn *widget.Button
	expBtn  *widget.Button
	srcBtn  *widget.Button
	delBtn  *widget.Button
	content fyne.CanvasObject

	playing    bool
	reloadSeq  int
	onReloaded func()
}

func newClipsScreen(a *App) *clipsScreen {
	c := &clipsScreen{app: a, sel: -1}
	c.tag = widget.NewSelect([]string{allFilter}, func(string) { c.reload() })
	c.tag.PlaceHolder = "Tag"
	c.rep = widget.NewSelect([]string{allFilter}, func(string) { c.reload() })
	c.rep.PlaceHolder = "Rep"
	c.list = widget.NewList(
		func() int { return len(c.clips) },
		func() fyne.CanvasObject {
			head := widget.NewLabelWithStyle("tag", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			head.Truncation = fyne.TextTruncateEllipsis
			sub := widget.NewLabel("note")
			sub.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(head, sub)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(c.clips) {
				return
			}
			cl := c.clips[id]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(clipHeadline(cl))
			box.Objects[1].(*widget.Label).SetText(clipDetail(cl))
		})
	c.list.OnSelected = func(id widget.ListItemID) { c.sel = id; c.updateButtons() }
	c.count = widget.NewLabel("")
	c.playBtn = widget.NewButtonWithIcon("Play", theme.MediaPlayIcon(), c.onPlay)
	c.expBtn = widget.NewButtonWithIcon("Export WAV…", theme.DocumentSaveIcon(), c.onExport)
	c.srcBtn = widget.NewButtonWithIcon("Open source call", theme.NavigateNextIcon(), c.onOpenSource)
	c.delBtn = widget.NewButtonWithIcon("Delete", theme.DeleteIcon(), c.onDelete)
	c.updateButtons()
	top := container.NewGridWithColumns(3, c.tag, c.rep, c.count)
	bottom := container.NewHBox(c.playBtn, c.expBtn, c.srcBtn, layout.NewSpacer(), c.delBtn)
	c.empty = widget.NewLabel("No clips yet. In Review, drag across a moment, Annotate it and tick \"Also save as a clip\".")
	c.empty.Wrapping = fyne.TextWrapWord
	c.content = container.NewBorder(top, bottom, nil, nil, container.NewStack(c.empty, c.list))
	return c
}

func clipHeadline(c store.Clip) string {
	tag := c.Tag
	if tag == "" {
		tag = "(no tag)"
	}
	return fmt.Sprintf("%s · %s · %s", tag, fmtClock(c.End-c.Start), firstNonEmpty(c.Rep, "unknown rep"))
}

func clipDetail(c store.Clip) string {
	parts := []string{fmt.Sprintf("from %q at %s", firstNonEmpty(c.CallTitle, "a deleted call"), fmtClock(c.Start))}
	if c.Note != "" {
		parts = append(parts, c.Note)
	}
	if !c.Created.IsZero() {
		parts = append(parts, "saved "+c.Created.Local().Format("2 Jan 2006"))
	}
	return strings.Join(parts, " — ")
}

func (c *clipsScreen) setTags(tags []string) {
	c.tag.Options = append([]string{allFilter}, tags...)
	c.tag.Refresh()
}

func (c *clipsScreen) filter() (tag, rep string) {
	if c.tag.Selected != allFilter {
		tag = c.tag.Selected
	}
	if c.rep.Selected != allFilter {
		rep = c.rep.Selected
	}
	return
}

// reload lists the clips in the background.
func (c *clipsScreen) reload() {
	lib := c.app.lib
	if lib == nil {
		return
	}
	c.reloadSeq++
	seq := c.reloadSeq
	tag, rep := c.filter()
	runAsync(func() {
		clips, err := lib.Clips(context.Background(), store.ClipFilter{Tag: tag, Rep: rep})
		reps, rerr := lib.Reps(context.Background())
		fyne.Do(func() {
			if seq != c.reloadSeq {
				return
			}
			if err != nil {
				c.app.showError("Could not list the clips", err)
				return
			}
			c.clips = clips
			c.sel = -1
			c.list.UnselectAll()
			c.list.Refresh()
			c.count.SetText(fmt.Sprintf("%d clips", len(clips)))
			if len(clips) == 1 {
				c.count.SetText("1 clip")
			}
			if len(clips) == 0 {
				c.empty.Show()
			} else {
				c.empty.Hide()
			}
			if rerr == nil {
				opts := append([]string{allFilter}, repNames(reps)...)
				if !equalStrings(opts, c.rep.Options) {
					c.rep.Options = opts
					c.rep.Refresh()
				}
			}
			c.updateButtons()
			if c.onReloaded != nil {
				c.onReloaded()
			}
		})
	})
}

func (c *clipsScreen) selected() (store.Clip, bool) {
	if c.sel < 0 || c.sel >= len(c.clips) {
		return store.Clip{}, false
	}
	return c.clips[c.sel], true
}

func (c *clipsScreen) updateButtons() {
	cl, ok := c.selected()
	for _, b := range []*widget.Button{c.playBtn, c.expBtn, c.srcBtn, c.delBtn} {
		if ok {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if ok && cl.CallID == nil {
		c.srcBtn.Disable()
	}
}

// onPlay plays the selected clip from its start (or pauses it).
func (c *clipsScreen) onPlay() {
	cl, ok := c.selected()
	if !ok {
		return
	}
	p := c.app.player
	if p == nil {
		c.app.showError("Cannot play the clip", c.app.noPlayerErr())
		return
	}
	if c.playing && p.Playing() {
		_ = p.Pause()
		c.playing = false
		c.playBtn.SetText("Play")
		c.playBtn.SetIcon(theme.MediaPlayIcon())
		return
	}
	c.app.review.stopPlayback()
	runAsync(func() {
		err := c.app.loadPlayer(c.app.lib.Abs(cl.Path))
		if err == nil {
			err = p.Seek(0)
		}
		if err == nil {
			err = p.Play()
		}
		fyne.Do(func() {
			if err != nil {
				c.app.showError("Cannot play the clip", err)
				return
			}
			c.playing = true
			c.playBtn.SetText("Pause")
			c.playBtn.SetIcon(theme.MediaPauseIcon())
		})
	})
}

// stopped marks clip playback as over (the review took the player).
func (c *clipsScreen) stopped() {
	if c.playing {
		c.playing = false
		c.playBtn.SetText("Play")
		c.playBtn.SetIcon(theme.MediaPlayIcon())
	}
}

// onExport saves a copy of the clip's WAV where the user chooses.
func (c *clipsScreen) onExport() {
	cl, ok := c.selected()
	if !ok {
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			c.app.showError("Could not export the clip", err)
			return
		}
		if w == nil {
			return
		}
		runAsync(func() {
			err := copyFileTo(w, c.app.lib.Abs(cl.Path))
			fyne.Do(func() {
				if err != nil {
					c.app.showError("Could not export the clip", err)
					return
				}
				c.app.notify("clip exported to " + w.URI().Path())
			})
		})
	}, c.app.win)
	d.SetFileName(exportName(cl))
	d.SetFilter(storage.NewExtensionFileFilter([]string{".wav"}))
	d.Resize(fyne.NewSize(760, 520))
	d.Show()
}

// exportName is a file name for a clip: its tag and call, safe on any OS.
func exportName(cl store.Clip) string {
	name := fmt.Sprintf("%s-%s-%d.wav", firstNonEmpty(cl.Tag, "clip"), firstNonEmpty(cl.CallTitle, "call"), cl.ID)
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>| `, r) {
			return '_'
		}
		return r
	}, name)
}

// exportClip copies the WAV at src (a clip's audio) to dst (0600).
func exportClip(src, dst string) error {
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", dst, err)
	}
	return copyFileTo(f, src)
}

func copyFileTo(w io.WriteCloser, src string) error {
	in, err := os.Open(src)
	if err != nil {
		w.Close()
		return fmt.Errorf("the clip's audio %s is missing: %w", filepath.Base(src), err)
	}
	defer in.Close()
	_, err = io.Copy(w, in)
	return errors.Join(err, w.Close())
}

// onDelete deletes the selected clip and its audio, after asking.
func (c *clipsScreen) onDelete() {
	cl, ok := c.selected()
	if !ok {
		return
	}
	dialog.ShowConfirm("Delete clip", fmt.Sprintf("Delete the clip %q and its audio? The call and its annotation stay.", clipHeadline(cl)), func(yes bool) {
		if yes {
			c.deleteClip(cl)
		}
	}, c.app.win)
}

func (c *clipsScreen) deleteClip(cl store.Clip) {
	lib := c.app.lib
	runAsync(func() {
		err := lib.DeleteClip(context.Background(), cl.ID)
		fyne.Do(func() {
			if err != nil {
				c.app.showError("Could not delete the clip", err)
				return
			}
			c.app.notify("clip deleted")
			c.reload()
		})
	})
}

func (c *clipsScreen) onOpenSource() {
	cl, ok := c.selected()
	if !ok || cl.CallID == nil {
		return
	}
	c.app.OpenCall(*cl.CallID, cl.Start)
}
