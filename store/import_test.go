package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"callcoach/analysis"
)

// stageAndAdd imports like callflow.Import does, with a made-up analysis
// standing in for the real one (store does not analyse audio).
func stageAndAdd(t *testing.T, l *Library, req StageRequest, info CallInfo, ch analysis.Channels) (*Call, error) {
	t.Helper()
	s, err := l.Stage(ctx, req)
	if err != nil {
		return nil, err
	}
	r := testResult(time.Second, .5, 0, 0, analysis.VerdictListening, 80)
	r.Channels = ch
	return l.AddStaged(ctx, s, info, r)
}

func TestStageAndAdd(t *testing.T) {
	l := MustOpen(t)
	src := filepath.Join(t.TempDir(), "Acme renewal.wav")
	left, right := ramp(2*testRate, 11)
	writeWAV(t, src, testRate, left, right)
	mtime := time.Date(2025, 12, 1, 15, 4, 5, 0, time.UTC)
	os.Chtimes(src, mtime, mtime)

	var last [2]int64
	calls := 0
	s, err := l.Stage(ctx, StageRequest{Path: src, Progress: func(done, total int64) { last = [2]int64{done, total}; calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(src)
	if calls < 2 || last != [2]int64{fi.Size(), fi.Size()} {
		t.Errorf("progress: %d calls, last %v; want the start and the end (%d bytes)", calls, last, fi.Size())
	}
	if !s.ModTime.Equal(mtime) || len(s.Hash) != 64 {
		t.Errorf("staged: mod time %v hash %q", s.ModTime, s.Hash)
	}
	want, _ := os.ReadFile(src)
	if got, _ := os.ReadFile(s.Path); !slices.Equal(got, want) {
		t.Error("the staged copy differs from the file")
	}
	r := testResult(2*time.Second, .5, 0, 0, analysis.VerdictListening, 80)
	r.Channels = analysis.Channels{Rep: "right", Customer: "left"}
	c, err := l.AddStaged(ctx, s, CallInfo{Title: "Acme renewal", Rep: "Ana", RecordedAt: mtime}, r)
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "Acme renewal" || c.Rep != "Ana" || c.Source != SourceImported || c.Status != StatusComplete ||
		!c.RecordedAt.Equal(mtime) || c.Duration != 2*time.Second || c.Hash != s.Hash {
		t.Errorf("got %+v", c)
	}
	if c.Channels != (analysis.Channels{Rep: "right", Customer: "left"}) || c.Result == nil || c.Result.Channels != c.Channels {
		t.Errorf("got channels %+v, result %+v", c.Channels, c.Result)
	}
	if got, _ := os.ReadFile(l.Abs(c.AudioPath)); !slices.Equal(got, want) {
		t.Error("the library's copy differs from the file")
	}
	if _, err := os.Stat(src); err != nil {
		t.Errorf("Stage must leave the original: %v", err)
	}
	if _, err := l.AddStaged(ctx, s, CallInfo{}, r); !errors.Is(err, ErrInvalid) {
		t.Errorf("filing a staged file twice: got %v, want ErrInvalid", err)
	}

	// The same bytes under another name are a duplicate, even in the trash.
	again := filepath.Join(t.TempDir(), "copy.wav")
	os.WriteFile(again, want, 0o600)
	l.Trash(ctx, c.ID)
	_, err = l.Stage(ctx, StageRequest{Path: again})
	var dup *DuplicateError
	if !errors.As(err, &dup) || !errors.Is(err, ErrDuplicate) || dup.ID != c.ID || !dup.Trashed {
		t.Fatalf("second import: got %v, want a duplicate of call %d", err, c.ID)
	}
	if n, _ := l.CallCount(ctx, CallFilter{Trashed: true}); n != 1 {
		t.Errorf("got %d calls, want 1", n)
	}
	assertNoStrays(t, l)

	// A staged file discarded leaves nothing.
	other := filepath.Join(t.TempDir(), "other.wav")
	writeWAV(t, other, testRate, right, left)
	s2, err := l.Stage(ctx, StageRequest{Path: other})
	if err != nil {
		t.Fatal(err)
	}
	s2.Discard()
	s2.Discard()
	assertNoStrays(t, l)
}

func TestStagePair(t *testing.T) {
	l := MustOpen(t)
	dir := t.TempDir()
	left, right := ramp(testRate, 5)
	writeMono(t, filepath.Join(dir, "rep.wav"), left)
	writeMono(t, filepath.Join(dir, "cust.wav"), right[:testRate/2]) // shorter: padded
	req := StageRequest{RepPath: filepath.Join(dir, "rep.wav"), CustomerPath: filepath.Join(dir, "cust.wav")}
	c, err := stageAndAdd(t, l, req, CallInfo{Title: "pair"}, analysis.Channels{Rep: "rep.wav", Customer: "cust.wav"})
	if err != nil {
		t.Fatal(err)
	}
	_, gl, gr := readWAV(t, l.Abs(c.AudioPath))
	if len(gl) != testRate || !slices.Equal(gl, left) || !slices.Equal(gr[:testRate/2], right[:testRate/2]) {
		t.Errorf("merged file does not hold rep left, customer right")
	}
	if _, err := l.Stage(ctx, req); !errors.Is(err, ErrDuplicate) {
		t.Errorf("second pair import: got %v, want ErrDuplicate", err)
	}
}

func TestStageBadInput(t *testing.T) {
	l := MustOpen(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.wav")
	left, right := ramp(testRate, 1)
	writeWAV(t, good, testRate, left, right)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for _, tt := range []struct {
		name string
		ctx  context.Context
		req  StageRequest
	}{
		{"no file", ctx, StageRequest{}},
		{"missing", ctx, StageRequest{Path: filepath.Join(dir, "nope.wav")}},
		{"both forms", ctx, StageRequest{Path: good, RepPath: good}},
		{"half a pair", ctx, StageRequest{RepPath: good}},
		{"cancelled", cancelled, StageRequest{Path: good}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := l.Stage(tt.ctx, tt.req); err == nil {
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
	sidecars := map[string]bool{}
	for p := range refs {
		sidecars[strings.TrimSuffix(p, ".wav")+sidecarSuffix] = true
	}
	for _, sub := range []string{CallsDir, ClipsDir} {
		des, _ := os.ReadDir(filepath.Join(l.Dir(), sub))
		for _, de := range des {
			rel := sub + "/" + de.Name()
			if sidecars[rel] {
				delete(sidecars, rel)
				continue
			}
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
	for p := range sidecars {
		t.Errorf("row without its sidecar: %s", p)
	}
}
