package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"callcoach/analysis"
)

func TestImport(t *testing.T) {
	l := MustOpen(t)
	src := filepath.Join(t.TempDir(), "Acme renewal.wav")
	left, right := ramp(2*testRate, 11)
	writeWAV(t, src, testRate, left, right)
	mtime := time.Date(2025, 12, 1, 15, 4, 5, 0, time.UTC)
	os.Chtimes(src, mtime, mtime)

	var stages []string
	var lastCopy, lastAnalyse [2]int64
	c, err := l.Import(ctx, ImportRequest{Path: src, Rep: "Ana", RepChannel: "right", Progress: func(stage string, done, total int64) {
		if len(stages) == 0 || stages[len(stages)-1] != stage {
			stages = append(stages, stage)
		}
		if stage == StageCopy {
			lastCopy = [2]int64{done, total}
		} else {
			lastAnalyse = [2]int64{done, total}
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(src)
	if !slices.Equal(stages, []string{StageCopy, StageAnalyse}) || lastCopy != [2]int64{fi.Size(), fi.Size()} ||
		lastAnalyse != [2]int64{int64(2 * time.Second), int64(2 * time.Second)} {
		t.Errorf("progress: got stages %v, last copy %v, last analyse %v", stages, lastCopy, lastAnalyse)
	}
	if c.Title != "Acme renewal" || c.Rep != "Ana" || c.Source != SourceImported || c.Status != StatusComplete ||
		!c.RecordedAt.Equal(mtime) || c.Duration != 2*time.Second || len(c.Hash) != 64 {
		t.Errorf("got %+v", c)
	}
	if c.Channels != (analysis.Channels{Rep: "right", Customer: "left"}) || c.Result == nil || c.Result.Channels != c.Channels ||
		c.Result.File != "Acme renewal.wav" {
		t.Errorf("got channels %+v, result %+v", c.Channels, c.Result)
	}
	want, _ := os.ReadFile(src)
	if got, _ := os.ReadFile(l.Abs(c.AudioPath)); !slices.Equal(got, want) {
		t.Error("the library's copy differs from the file")
	}
	if _, err := os.Stat(src); err != nil {
		t.Errorf("Import must leave the original: %v", err)
	}

	// The same bytes under another name are a duplicate, even in the trash.
	again := filepath.Join(t.TempDir(), "copy.wav")
	os.WriteFile(again, want, 0o600)
	l.Trash(ctx, c.ID)
	_, err = l.Import(ctx, ImportRequest{Path: again})
	var dup *DuplicateError
	if !errors.As(err, &dup) || !errors.Is(err, ErrDuplicate) || dup.ID != c.ID || !dup.Trashed {
		t.Fatalf("second import: got %v, want a duplicate of call %d", err, c.ID)
	}
	if n, _ := l.CallCount(ctx, CallFilter{Trashed: true}); n != 1 {
		t.Errorf("got %d calls, want 1", n)
	}
	assertNoStrays(t, l)
}

func TestImportPair(t *testing.T) {
	l := MustOpen(t)
	dir := t.TempDir()
	left, right := ramp(testRate, 5)
	writeMono(t, filepath.Join(dir, "rep.wav"), left)
	writeMono(t, filepath.Join(dir, "cust.wav"), right[:testRate/2]) // shorter: padded
	c, err := l.Import(ctx, ImportRequest{RepPath: filepath.Join(dir, "rep.wav"), CustomerPath: filepath.Join(dir, "cust.wav"), Title: "pair"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Channels != (analysis.Channels{Rep: "left", Customer: "right"}) || c.Duration != time.Second {
		t.Errorf("got channels %+v duration %v", c.Channels, c.Duration)
	}
	_, gl, gr := readWAV(t, l.Abs(c.AudioPath))
	if len(gl) != testRate || !slices.Equal(gl, left) || !slices.Equal(gr[:testRate/2], right[:testRate/2]) {
		t.Errorf("merged file does not hold rep left, customer right")
	}
	if _, err := l.Import(ctx, ImportRequest{RepPath: filepath.Join(dir, "rep.wav"), CustomerPath: filepath.Join(dir, "cust.wav")}); !errors.Is(err, ErrDuplicate) {
		t.Errorf("second pair import: got %v, want ErrDuplicate", err)
	}
}

func TestImportBadInput(t *testing.T) {
	l := MustOpen(t)
	dir := t.TempDir()
	notWAV := filepath.Join(dir, "notes.wav")
	os.WriteFile(notWAV, []byte("this is not audio at all, just some text"), 0o600)
	good := filepath.Join(dir, "good.wav")
	left, right := ramp(testRate, 1)
	writeWAV(t, good, testRate, left, right)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for _, tt := range []struct {
		name string
		ctx  context.Context
		req  ImportRequest
	}{
		{"no file", ctx, ImportRequest{}},
		{"missing", ctx, ImportRequest{Path: filepath.Join(dir, "nope.wav")}},
		{"not a wav", ctx, ImportRequest{Path: notWAV}},
		{"both forms", ctx, ImportRequest{Path: good, RepPath: good}},
		{"half a pair", ctx, ImportRequest{RepPath: good}},
		{"bad channel", ctx, ImportRequest{Path: good, RepChannel: "middle"}},
		{"cancelled", cancelled, ImportRequest{Path: good}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := l.Import(tt.ctx, tt.req); err == nil {
				t.Fatal("got no error")
			}
			if n, _ := l.CallCount(ctx, CallFilter{}); n != 0 {
				t.Errorf("got %d calls after a failed import, want 0", n)
			}
			assertNoStrays(t, l)
		})
	}
}

// assertNoStrays fails if the audio folders hold anything but the files of
// the library's rows.
func assertNoStrays(t *testing.T, l *Library) {
	t.Helper()
	refs := map[string]bool{}
	rows, _ := l.db.Query(`SELECT audio_path FROM calls UNION ALL SELECT path FROM clips`)
	for rows.Next() {
		var p string
		rows.Scan(&p)
		refs[p] = true
	}
	rows.Close()
	for _, sub := range []string{CallsDir, ClipsDir} {
		des, _ := os.ReadDir(filepath.Join(l.Dir(), sub))
		for _, de := range des {
			rel := sub + "/" + de.Name()
			if !refs[rel] {
				t.Errorf("stray file %s", rel)
			}
			delete(refs, rel)
		}
	}
	var recording []string
	rows, _ = l.db.Query(`SELECT audio_path FROM calls WHERE status = 'recording'`)
	for rows.Next() {
		var p string
		rows.Scan(&p)
		recording = append(recording, p)
	}
	rows.Close()
	for p := range refs {
		if !slices.Contains(recording, p) {
			t.Errorf("row without its file: %s", p)
		}
	}
}
