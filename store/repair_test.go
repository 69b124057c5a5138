package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"callcoach/analysis"
)

// fillLibrary gives l calls with annotations and clips, a trashed call, a
// renamed and a deleted tag, and settings: something of every kind a user
// writes.
func fillLibrary(t testing.TB, l *Library, n int) {
	t.Helper()
	for i := range n {
		r := testResult(time.Duration(3+i%3)*time.Second, float64(i%10)/10, i%3, i%2, analysis.VerdictMixed, 40+i)
		// Longer analyses, so the calls span many database pages.
		for k := range 40 {
			r.Segments = append(r.Segments, analysis.Segment{Speaker: analysis.Customer,
				Start: analysis.Dur(time.Duration(k) * time.Millisecond), End: analysis.Dur(time.Duration(k+1) * time.Millisecond)})
		}
		c := addCall(t, l, fmt.Sprintf("Call %d with Acme", i), []string{"Ana", "Ben", "Chloé"}[i%3], t0.Add(time.Duration(i)*time.Hour), r.Duration.D(), r)
		if err := l.UpdateCall(ctx, c.ID, c.Title, c.Rep, fmt.Sprintf("Customer %d", i)); err != nil {
			t.Fatal(err)
		}
		for k := range 1 + i%3 {
			a := &Annotation{CallID: c.ID, Start: time.Duration(k) * 500 * time.Millisecond, End: time.Duration(k+1) * 700 * time.Millisecond,
				Tag: []string{"interrupted", "good question", "my own tag"}[k], Note: fmt.Sprintf("note %d.%d", i, k), Author: "Coach"}
			if err := l.AddAnnotation(ctx, a); err != nil {
				t.Fatal(err)
			}
			if k == 0 && i%2 == 0 {
				if _, err := l.SaveClip(ctx, a.ID); err != nil {
					t.Fatal(err)
				}
			}
			if k == 1 && i%4 == 1 {
				a.Note += " (edited)"
				if err := l.UpdateAnnotation(ctx, a); err != nil {
					t.Fatal(err)
				}
			}
		}
		if i%5 == 4 {
			if err := l.Trash(ctx, c.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n >= 3 {
		if err := l.RenameTag(ctx, "my own tag", "renamed tag"); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.DeleteTag(ctx, "missed cue"); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]any{SettingAuthor: "Coach", SettingRep: "Ana", "ui": map[string]int{"zoom": 3}} {
		if err := l.SetSetting(ctx, k, v); err != nil {
			t.Fatal(err)
		}
	}
}

// libState is everything a user sees of a library, as comparable text.
type libState struct {
	Calls       map[int64]string
	Annotations map[int64]string
	Clips       map[int64]string
	Tags        []string
	Settings    map[string]string
}

func snapshot(t testing.TB, l *Library) (libState, error) {
	t.Helper()
	s := libState{Calls: map[int64]string{}, Annotations: map[int64]string{}, Clips: map[int64]string{}, Settings: map[string]string{}}
	enc := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	for _, trashed := range []bool{false, true} {
		list, err := l.Calls(ctx, CallFilter{Trashed: trashed})
		if err != nil {
			return s, err
		}
		for _, sum := range list {
			c, err := l.Call(ctx, sum.ID)
			if err != nil {
				return s, err
			}
			s.Calls[c.ID] = enc(c) + enc(sum)
			as, err := l.Annotations(ctx, c.ID)
			if err != nil {
				return s, err
			}
			for _, a := range as {
				s.Annotations[a.ID] = enc(a)
			}
		}
	}
	clips, err := l.Clips(ctx, ClipFilter{})
	if err != nil {
		return s, err
	}
	for _, c := range clips {
		b, err := os.ReadFile(l.Abs(c.Path))
		if err != nil {
			return s, err
		}
		s.Clips[c.ID] = enc(c) + fmt.Sprintf(" %d bytes", len(b))
	}
	tags, err := l.Tags(ctx)
	if err != nil {
		return s, err
	}
	for _, tg := range tags {
		s.Tags = append(s.Tags, enc(tg))
	}
	for _, k := range []string{SettingAuthor, SettingRep, "ui"} {
		var v any
		if err := l.Setting(ctx, k, &v); err != nil {
			return s, err
		}
		s.Settings[k] = enc(v)
	}
	return s, nil
}

// diffState says how got differs from want ("" when equal).
func diffState(want, got libState) string {
	var out []string
	for _, part := range []struct {
		name      string
		want, got map[int64]string
	}{{"call", want.Calls, got.Calls}, {"annotation", want.Annotations, got.Annotations}, {"clip", want.Clips, got.Clips}} {
		for id, w := range part.want {
			if g, ok := part.got[id]; !ok {
				out = append(out, fmt.Sprintf("%s %d missing", part.name, id))
			} else if g != w {
				out = append(out, fmt.Sprintf("%s %d:\n got %s\nwant %s", part.name, id, g, w))
			}
		}
		for id := range part.got {
			if _, ok := part.want[id]; !ok {
				out = append(out, fmt.Sprintf("%s %d is new", part.name, id))
			}
		}
	}
	if !slices.Equal(want.Tags, got.Tags) {
		out = append(out, fmt.Sprintf("tags: got %v, want %v", got.Tags, want.Tags))
	}
	for k, w := range want.Settings {
		if got.Settings[k] != w {
			out = append(out, fmt.Sprintf("setting %s: got %s, want %s", k, got.Settings[k], w))
		}
	}
	return strings.Join(out, "\n")
}

// checkSidecars fails unless every call's and clip's sidecar, and
// library.json, hold exactly what the database holds.
func checkSidecars(t *testing.T, l *Library) {
	t.Helper()
	var changes int64
	if err := l.db.QueryRow(`SELECT changes FROM library_state`).Scan(&changes); err != nil {
		t.Fatal(err)
	}
	var dirty int
	l.db.QueryRow(`SELECT count(*) FROM sidecar_dirty`).Scan(&dirty)
	if dirty != 0 {
		t.Errorf("%d sidecars still marked out of date", dirty)
	}
	rows, err := l.db.Query(`SELECT audio_path FROM calls UNION ALL SELECT path FROM clips UNION ALL SELECT ''`)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for rows.Next() {
		var p string
		rows.Scan(&p)
		paths = append(paths, p)
	}
	rows.Close()
	tx, err := l.db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, p := range paths {
		var want []byte
		if p == "" {
			want, err = readLibraryFile(ctx, tx, changes)
		} else {
			want, err = l.readSidecar(ctx, tx, p, changes)
		}
		if err != nil {
			t.Fatal(err)
		}
		file := l.sidecarPath(p)
		got, err := os.ReadFile(file)
		if err != nil {
			t.Errorf("sidecar of %q: %v", p, err)
			continue
		}
		// The count the file was written at may be older than the
		// database's (a later change of another call).
		var gotDoc, wantDoc map[string]any
		json.Unmarshal(got, &gotDoc)
		json.Unmarshal(want, &wantDoc)
		if c, _ := gotDoc["changes"].(float64); int64(c) > changes {
			t.Errorf("sidecar of %q is at change %v, past the database's %d", p, c, changes)
		}
		delete(gotDoc, "changes")
		delete(wantDoc, "changes")
		if g, w := fmt.Sprint(gotDoc), fmt.Sprint(wantDoc); g != w {
			t.Errorf("sidecar of %q:\n got %s\nwant %s", p, g, w)
		}
		if m := mode(t, file); m != 0o600 {
			t.Errorf("sidecar of %q: mode %o, want 600", p, m)
		}
	}
}

// TestSidecarsFollowEveryWrite runs every write path and checks after each
// that the files beside the audio hold what the database holds.
func TestSidecarsFollowEveryWrite(t *testing.T) {
	l := MustOpen(t)
	fillLibrary(t, l, 4)
	checkSidecars(t, l)
	steps := []struct {
		name string
		do   func() error
	}{
		{"set result", func() error {
			return l.SetResult(ctx, 1, testResult(3*time.Second, .9, 5, 0, analysis.VerdictScriptDriven, 10))
		}},
		{"trash", func() error { return l.Trash(ctx, 4) }},
		{"restore", func() error { return l.Restore(ctx, 4) }},
		{"delete annotation", func() error { return l.DeleteAnnotation(ctx, 2) }},
		{"rename tag", func() error { return l.RenameTag(ctx, "interrupted", "cut in") }},
		{"delete clip", func() error {
			cs, _ := l.Clips(ctx, ClipFilter{})
			return l.DeleteClip(ctx, cs[0].ID)
		}},
		{"delete call", func() error { return l.DeleteCall(ctx, 3) }},
		{"begin recording", func() error {
			rel, err := l.NewCallPath()
			if err != nil {
				return err
			}
			c, err := l.BeginRecording(ctx, RecordingStart{AudioPath: rel, Title: "live", Rep: "Dev"})
			if err != nil {
				return err
			}
			if err := l.AddAnnotation(ctx, &Annotation{CallID: c.ID, Start: 0, End: time.Second, Note: "live mark"}); err != nil {
				return err
			}
			left, right := ramp(testRate, 3)
			writeWAV(t, l.Abs(c.AudioPath), testRate, left, right)
			return l.FinishRecording(ctx, c.ID, testResult(time.Second, .5, 0, 0, analysis.VerdictListening, 90), StatusComplete)
		}},
		{"import", func() error {
			src := filepath.Join(t.TempDir(), "in.wav")
			left, right := ramp(testRate, 77)
			writeWAV(t, src, testRate, left, right)
			_, err := stageAndAdd(t, l, StageRequest{Path: src}, CallInfo{Rep: "Ana"}, analysis.Channels{Rep: "left", Customer: "right"})
			return err
		}},
		{"purge", func() error {
			if err := l.Trash(ctx, 2); err != nil {
				return err
			}
			_, err := l.PurgeTrash(ctx, 0)
			return err
		}},
		{"setting", func() error { return l.SetSetting(ctx, SettingAuthor, "Someone else") }},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		checkSidecars(t, l)
		if t.Failed() {
			t.Fatalf("after %s", s.name)
		}
	}
	assertNoStrays(t, l)
}

// A library from before sidecars gets them all on its first open.
func TestSidecarsWrittenForOldLibrary(t *testing.T) {
	dir := t.TempDir()
	old, err := open(dir, sidecarSchema-1)
	if err != nil {
		t.Fatal(err)
	}
	old.Now = MustOpen(t).Now
	fillLibrary(t, old, 3)
	for _, sub := range []string{CallsDir, ClipsDir} {
		des, _ := os.ReadDir(filepath.Join(dir, sub))
		for _, de := range des {
			if strings.HasSuffix(de.Name(), sidecarSuffix) {
				t.Fatalf("an old library has sidecar %s", de.Name())
			}
		}
	}
	old.Close()
	l := MustOpenDir(t, dir)
	checkSidecars(t, l)
	assertNoStrays(t, l)
}

// damage is one way a library's database gets hurt.
type damage struct {
	name string
	// hurt damages the closed library in dir.
	hurt func(t *testing.T, dir string)
	// lateWrites: a child process makes more changes and dies with them
	// still in the WAL before hurt runs.
	lateWrites bool
}

func pageSize(t *testing.T, dir string) int64 {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, DBName))
	if err != nil || len(b) < 100 {
		t.Fatalf("reading the database header: %v", err)
	}
	ps := int64(b[16])<<8 | int64(b[17])
	if ps == 1 {
		ps = 65536
	}
	return ps
}

func overwrite(t *testing.T, path string, off int64, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

func dbSize(t *testing.T, dir string) int64 {
	fi, err := os.Stat(filepath.Join(dir, DBName))
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

var damages = []damage{
	{name: "header overwritten", hurt: func(t *testing.T, dir string) {
		overwrite(t, filepath.Join(dir, DBName), 0, bytes.Repeat([]byte{0xa5}, 16))
	}},
	{name: "bytes overwritten in three pages", hurt: func(t *testing.T, dir string) {
		ps, n := pageSize(t, dir), dbSize(t, dir)/pageSize(t, dir)
		for _, k := range []int64{n / 2, n/2 + 3, n - 2} {
			overwrite(t, filepath.Join(dir, DBName), k*ps+ps/3, []byte("\xde\xad\xbe\xef\x00\x13\x37"))
		}
	}},
	{name: "page headers overwritten", hurt: func(t *testing.T, dir string) {
		ps, n := pageSize(t, dir), dbSize(t, dir)/pageSize(t, dir)
		for _, k := range []int64{n / 3, 2 * n / 3} {
			overwrite(t, filepath.Join(dir, DBName), k*ps, []byte{0xff, 0xff, 0xff, 0xff, 0xff})
		}
	}},
	{name: "whole pages zeroed", hurt: func(t *testing.T, dir string) {
		ps, n := pageSize(t, dir), dbSize(t, dir)/pageSize(t, dir)
		for k := n / 2; k < n/2+4; k++ {
			overwrite(t, filepath.Join(dir, DBName), k*ps, make([]byte, ps))
		}
	}},
	{name: "truncated", hurt: func(t *testing.T, dir string) {
		if err := os.Truncate(filepath.Join(dir, DBName), dbSize(t, dir)/2-123); err != nil {
			t.Fatal(err)
		}
	}},
	{name: "truncated to nothing", hurt: func(t *testing.T, dir string) {
		if err := os.Truncate(filepath.Join(dir, DBName), 0); err != nil {
			t.Fatal(err)
		}
	}},
	{name: "WAL deleted", lateWrites: true, hurt: func(t *testing.T, dir string) {
		wal := filepath.Join(dir, DBName+"-wal")
		if fi, err := os.Stat(wal); err != nil || fi.Size() == 0 {
			t.Fatalf("no WAL to delete: %v", err)
		}
		os.Remove(wal)
		os.Remove(filepath.Join(dir, DBName+"-shm"))
	}},
	{name: "database deleted", lateWrites: true, hurt: func(t *testing.T, dir string) {
		for _, s := range []string{"", "-wal", "-shm"} {
			os.Remove(filepath.Join(dir, DBName+s))
		}
	}},
}

// childLateWrites makes changes of every kind and dies without closing the
// library, so they stay in the WAL (no checkpoint).
func childLateWrites(dir string) int {
	l, err := Open(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	l.Now = func() time.Time { return t0.Add(1000 * time.Hour) }
	c := addCall(childTB{}, l, "late call", "Dev", t0.Add(999*time.Hour), 2*time.Second,
		testResult(2*time.Second, .4, 1, 1, analysis.VerdictListening, 88))
	a := &Annotation{CallID: c.ID, Start: 0, End: time.Second, Tag: "late tag", Note: "late note", Author: "Coach"}
	if err := l.AddAnnotation(ctx, a); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if _, err := l.SaveClip(ctx, a.ID); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	// A change to an old call, too.
	if err := l.AddAnnotation(ctx, &Annotation{CallID: 1, Start: 0, End: time.Second, Note: "added late to call 1"}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if err := l.UpdateCall(ctx, 2, "retitled late", "Ben", "Late customer"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if err := l.SetSetting(ctx, SettingAuthor, "Late coach"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	os.Exit(0) // no Close: the WAL is not checkpointed
	return 0
}

// copyTree copies a library folder (to read its state without touching it).
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	if out, err := exec.Command("cp", "-a", src+"/.", dst).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
}

// TestRepair damages real SQLite files in each way and checks that repair
// brings back every call, annotation and clip with its id, keeps the
// damaged file, and that a second repair changes nothing.
func TestRepair(t *testing.T) {
	for _, d := range damages {
		t.Run(strings.ReplaceAll(d.name, " ", "_"), func(t *testing.T) {
			dir := t.TempDir()
			l := MustOpenDir(t, dir)
			fillLibrary(t, l, 24)
			l.Close()
			if d.lateWrites {
				cmd := exec.Command(os.Args[0], "-test.run=^$")
				cmd.Env = append(os.Environ(), childEnv+"=late-writes", "LIB="+dir)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("child: %v\n%s", err, out)
				}
			}
			// The truth: the library as it was, read from a copy.
			cp := t.TempDir()
			copyTree(t, dir, cp)
			lc := MustOpenDir(t, cp)
			want, err := snapshot(t, lc)
			if err != nil {
				t.Fatal(err)
			}
			lc.Close()
			if d.lateWrites && len(want.Calls) != 25 {
				t.Fatalf("the late writes did not land: %d calls", len(want.Calls))
			}

			d.hurt(t, dir)

			// The damage shows: Open says so and names the repair, or
			// reading the calls does, or what it reads is wrong.
			var openErr error
			if bad, err := Open(dir); err != nil {
				openErr = err
				if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "callcoach repair") {
					t.Fatalf("Open of a damaged library: got %v, want a damaged-library error naming 'callcoach repair'", err)
				}
			} else {
				got, err := snapshot(t, bad)
				bad.Close()
				if err == nil && diffState(want, got) == "" {
					t.Fatalf("the damage was not noticed, and nothing is wrong: a weak damage test")
				}
				if err != nil && !IsDamaged(err) {
					t.Errorf("reading a damaged library: got %v, want an error IsDamaged knows", err)
				}
				t.Logf("opened despite the damage; reading it: %v", err)
			}
			t.Logf("Open: %v", openErr)

			rep, err := Repair(ctx, dir, RepairOptions{})
			if err != nil {
				t.Fatalf("Repair: %v", err)
			}
			t.Logf("repair report:\n%s", rep)
			if rep.Healthy {
				t.Fatal("Repair found a damaged library healthy")
			}
			if d.name != "database deleted" {
				if _, err := os.Stat(rep.DamagedAs); err != nil {
					t.Errorf("the damaged database was not kept: %v", err)
				}
			}
			l = MustOpenDir(t, dir)
			got, err := snapshot(t, l)
			if err != nil {
				t.Fatalf("reading the repaired library: %v", err)
			}
			if diff := diffState(want, got); diff != "" {
				t.Errorf("the repaired library differs:\n%s", diff)
			}
			checkSidecars(t, l)
			assertNoStrays(t, l)
			if rep.Calls != len(want.Calls) || rep.Annotations != len(want.Annotations) || rep.Clips != len(want.Clips) {
				t.Errorf("report counts %d calls, %d annotations, %d clips; want %d, %d, %d",
					rep.Calls, rep.Annotations, rep.Clips, len(want.Calls), len(want.Annotations), len(want.Clips))
			}
			// The repaired library works.
			if err := l.AddAnnotation(ctx, &Annotation{CallID: 1, Start: 0, End: time.Second, Note: "after repair"}); err != nil {
				t.Fatalf("annotating after repair: %v", err)
			}
			l.Close()

			again, err := Repair(ctx, dir, RepairOptions{})
			if err != nil || !again.Healthy {
				t.Fatalf("second repair: healthy=%v, %v\n%s", again.Healthy, err, again)
			}
			l = MustOpenDir(t, dir)
			got2, _ := snapshot(t, l)
			delete(got2.Annotations, int64(len(want.Annotations)+1))
			for id, a := range got2.Annotations {
				if strings.Contains(a, "after repair") {
					delete(got2.Annotations, id)
				}
			}
			for id := range got2.Calls {
				got2.Calls[id] = got.Calls[id] // the new annotation changes call 1's tags only
			}
			if diff := diffState(got, got2); diff != "" {
				t.Errorf("a second repair changed the library:\n%s", diff)
			}
		})
	}
}

// A library from before sidecars whose database is lost: its calls come
// back from their audio (analysed again), its clips from theirs.
func TestRepairFromAudioAlone(t *testing.T) {
	dir := t.TempDir()
	old, err := open(dir, sidecarSchema-1)
	if err != nil {
		t.Fatal(err)
	}
	fillLibrary(t, old, 3)
	old.Close()
	for _, s := range []string{"", "-wal", "-shm"} {
		os.Remove(filepath.Join(dir, DBName+s))
	}
	if _, err := Open(dir); !errors.Is(err, ErrDamaged) {
		t.Fatalf("Open of a library whose database is deleted: got %v, want ErrDamaged (and no audio deleted)", err)
	}
	analysed := 0
	rep, err := Repair(ctx, dir, RepairOptions{Analyze: func(_ context.Context, path string) (*analysis.Result, error) {
		analysed++
		return testResult(3*time.Second, .5, 1, 0, analysis.VerdictMixed, 50), nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("repair report:\n%s", rep)
	if analysed != 3 || rep.FromAudio != 3 || rep.Calls != 3 || rep.Clips != 2 {
		t.Errorf("got %d analysed, %d calls from audio, %d calls, %d clips; want 3, 3, 3, 2", analysed, rep.FromAudio, rep.Calls, rep.Clips)
	}
	l := MustOpenDir(t, dir)
	checkSidecars(t, l)
	assertNoStrays(t, l)
}

// An unreadable sidecar is set aside, not deleted, and does not stop the
// repair.
func TestRepairSetsAsideBadFiles(t *testing.T) {
	dir := t.TempDir()
	l := MustOpenDir(t, dir)
	fillLibrary(t, l, 2)
	c, _ := l.Call(ctx, 1)
	l.Close()
	side := filepath.Join(dir, strings.TrimSuffix(filepath.FromSlash(c.AudioPath), ".wav")+sidecarSuffix)
	os.WriteFile(side, []byte("{not json"), 0o600)
	stray := filepath.Join(dir, CallsDir, "20200101-000000-00000000.json")
	os.WriteFile(stray, []byte("{}"), 0o600)
	rep, err := Repair(ctx, dir, RepairOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Healthy || len(rep.SetAside) != 2 || rep.Calls != 2 {
		t.Errorf("got healthy=%v, set aside %v, %d calls; want a repair setting 2 files aside, 2 calls\n%s", rep.Healthy, rep.SetAside, rep.Calls, rep)
	}
	for _, f := range rep.SetAside {
		if _, err := os.Stat(f); errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s was not kept", f)
		}
	}
	l = MustOpenDir(t, dir)
	checkSidecars(t, l)
}

// TestSalvageRowByRow damages a library from before sidecars, so the
// database is all there is besides the audio: repair must read every row
// SQLite still can (each call that survives comes back exactly, with its
// id), and the calls on lost pages come back from their audio.
func TestSalvageRowByRow(t *testing.T) {
	src := t.TempDir()
	old, err := open(src, sidecarSchema-1)
	if err != nil {
		t.Fatal(err)
	}
	old.Now = MustOpen(t).Now
	fillLibrary(t, old, 40)
	want, err := snapshot(t, old)
	if err != nil {
		t.Fatal(err)
	}
	old.Close()
	ps, n := pageSize(t, src), dbSize(t, src)/pageSize(t, src)
	// Zero one page in the second half whose loss leaves the schema
	// readable but loses rows.
	var dir string
	for k := n / 2; k < n && dir == ""; k++ {
		d := t.TempDir()
		copyTree(t, src, d)
		overwrite(t, filepath.Join(d, DBName), k*ps, make([]byte, ps))
		l, err := open(d, sidecarSchema-1)
		if err != nil {
			continue
		}
		_, err = snapshot(t, l)
		l.Close()
		if err != nil && IsDamaged(err) {
			dir = d
			t.Logf("page %d of %d zeroed", k+1, n)
		}
	}
	if dir == "" {
		t.Fatal("no page found whose loss keeps the schema and loses rows")
	}
	rep, err := Repair(ctx, dir, RepairOptions{Analyze: func(_ context.Context, path string) (*analysis.Result, error) {
		return testResult(3*time.Second, .5, 1, 0, analysis.VerdictMixed, 50), nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("repair report:\n%s", rep)
	if rep.UnreadableRows == 0 || rep.FromDatabase == 0 {
		t.Errorf("got %d unreadable rows, %d calls from the database; want both above 0", rep.UnreadableRows, rep.FromDatabase)
	}
	if rep.Calls != len(want.Calls) {
		t.Errorf("got %d calls back, want all %d (the lost rows from their audio)", rep.Calls, len(want.Calls))
	}
	l := MustOpenDir(t, dir)
	got, err := snapshot(t, l)
	if err != nil {
		t.Fatal(err)
	}
	same := 0
	for id, w := range want.Calls {
		if got.Calls[id] == w {
			same++
		}
	}
	if same < rep.FromDatabase*9/10 || same == 0 {
		t.Errorf("%d calls came back exactly with their ids; the report says %d came from the database", same, rep.FromDatabase)
	}
	t.Logf("%d of %d calls came back exactly, with their ids", same, len(want.Calls))
	checkSidecars(t, l)
	assertNoStrays(t, l)
}

// TestSidecarPart: per-call data another table keeps travels in the call's
// sidecar and comes back with Repair, through a registered sidecarPart
// and the three one-line triggers its table needs (a table a later
// migration adds does the same).
func TestSidecarPart(t *testing.T) {
	const ddl = `CREATE TABLE IF NOT EXISTS test_part (call_id INTEGER PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE, v TEXT NOT NULL);
		CREATE TRIGGER IF NOT EXISTS test_part_si AFTER INSERT ON test_part BEGIN INSERT INTO sidecar_mark SELECT audio_path FROM calls WHERE id = new.call_id; END;
		CREATE TRIGGER IF NOT EXISTS test_part_su AFTER UPDATE ON test_part BEGIN INSERT INTO sidecar_mark SELECT audio_path FROM calls WHERE id = new.call_id; END;
		CREATE TRIGGER IF NOT EXISTS test_part_sd AFTER DELETE ON test_part BEGIN INSERT INTO sidecar_mark SELECT audio_path FROM calls WHERE id = old.call_id; END;`
	old := sidecarParts
	t.Cleanup(func() { sidecarParts = old })
	sidecarParts = append(sidecarParts, sidecarPart{
		Name: "test",
		Read: func(ctx context.Context, q querier, id int64) (json.RawMessage, error) {
			var v string
			err := q.QueryRowContext(ctx, `SELECT v FROM test_part WHERE call_id = ?`, id).Scan(&v)
			if errors.Is(err, sql.ErrNoRows) || (err != nil && strings.Contains(err.Error(), "no such table")) {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			return json.Marshal(v)
		},
		Restore: func(ctx context.Context, tx *sql.Tx, id int64, data json.RawMessage) error {
			var v string
			if err := json.Unmarshal(data, &v); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, ddl); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO test_part (call_id, v) VALUES (?, ?)`, id, v)
			return err
		},
	})
	dir := t.TempDir()
	l := MustOpenDir(t, dir)
	fillLibrary(t, l, 3)
	if _, err := l.db.Exec(ddl); err != nil {
		t.Fatal(err)
	}
	err := l.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO test_part (call_id, v) VALUES (2, 'per-call data')`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := l.Call(ctx, 2)
	side, err := os.ReadFile(l.sidecarPath(c.AudioPath))
	if err != nil || !strings.Contains(string(side), `"per-call data"`) {
		t.Fatalf("call 2's sidecar does not carry the part: %v\n%s", err, side)
	}
	l.Close()
	os.Remove(filepath.Join(dir, DBName))
	if _, err := Repair(ctx, dir, RepairOptions{}); err != nil {
		t.Fatal(err)
	}
	l = MustOpenDir(t, dir)
	var v string
	if err := l.db.QueryRow(`SELECT v FROM test_part WHERE call_id = 2`).Scan(&v); err != nil || v != "per-call data" {
		t.Errorf("after repair the part holds %q, %v; want %q", v, err, "per-call data")
	}
}
