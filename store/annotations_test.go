package store

import (
	"errors"
	"os"
	"slices"
	"testing"
	"time"

	"callcoach/analysis"
)

func TestAnnotationCRUD(t *testing.T) {
	l := MustOpen(t)
	c := addCall(t, l, "a", "Ana", t0, 10*time.Second, testResult(10*time.Second, .5, 0, 0, "", 0))
	a := &Annotation{CallID: c.ID, Start: 2 * time.Second, End: 4 * time.Second, Tag: " Good Question ", Note: " nice ", Author: "Coach"}
	if err := l.AddAnnotation(ctx, a); err != nil {
		t.Fatal(err)
	}
	// The tag matches the seeded one regardless of case: no new tag.
	if a.ID == 0 || a.Tag != "Good Question" || a.Note != "nice" || a.Created.IsZero() || !a.Created.Equal(a.Edited) {
		t.Errorf("got %+v", a)
	}
	if tags, _ := l.Tags(ctx); len(tags) != 5 {
		t.Errorf("got %d tags, want 5", len(tags))
	}
	point := &Annotation{CallID: c.ID, Start: time.Second, End: time.Second, Tag: "brand new tag"}
	if err := l.AddAnnotation(ctx, point); err != nil {
		t.Fatal(err)
	}
	if !point.IsPoint() {
		t.Error("IsPoint: got false")
	}
	as, err := l.Annotations(ctx, c.ID)
	if err != nil || len(as) != 2 || as[0].ID != point.ID || as[1].ID != a.ID || as[1].Tag != "good question" {
		t.Fatalf("got %+v, %v; want the point then the range, tags as stored", as, err)
	}
	got, _ := l.Call(ctx, c.ID)
	if !slices.Equal(got.Tags, []string{"brand new tag", "good question"}) {
		t.Errorf("call tags: got %v", got.Tags)
	}

	a.End, a.Note, a.Tag = 5*time.Second, "better", ""
	if err := l.UpdateAnnotation(ctx, a); err != nil {
		t.Fatal(err)
	}
	back, err := l.Annotation(ctx, a.ID)
	if err != nil || back.End != 5*time.Second || back.Note != "better" || back.Tag != "" || !back.Edited.After(back.Created) {
		t.Errorf("after update got %+v, %v", back, err)
	}
	if err := l.DeleteAnnotation(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		l.DeleteAnnotation(ctx, a.ID),
		l.UpdateAnnotation(ctx, &Annotation{ID: a.ID}),
		func() error { _, err := l.Annotation(ctx, a.ID); return err }(),
		func() error { _, err := l.Annotations(ctx, 99); return err }(),
	} {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("got %v, want ErrNotFound", err)
		}
	}
}

func TestAnnotationBadInput(t *testing.T) {
	l := MustOpen(t)
	c := addCall(t, l, "a", "Ana", t0, 10*time.Second, testResult(10*time.Second, .5, 0, 0, "", 0))
	for _, tt := range []struct {
		name string
		a    Annotation
		want error
	}{
		{"unknown call", Annotation{CallID: 99, Start: 0, End: time.Second}, ErrNotFound},
		{"end before start", Annotation{CallID: c.ID, Start: 3 * time.Second, End: 2 * time.Second}, ErrInvalid},
		{"negative", Annotation{CallID: c.ID, Start: -time.Second, End: time.Second}, ErrInvalid},
		{"past the end", Annotation{CallID: c.ID, Start: 9 * time.Second, End: 11 * time.Second}, ErrInvalid},
		{"point past the end", Annotation{CallID: c.ID, Start: 12 * time.Second, End: 12 * time.Second}, ErrInvalid},
		{"blank tag", Annotation{CallID: c.ID, Start: 0, End: time.Second, Tag: "   "}, ErrInvalid},
		{"tag with a tab", Annotation{CallID: c.ID, Start: 0, End: time.Second, Tag: "a\tb"}, ErrInvalid},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.a
			if err := l.AddAnnotation(ctx, &a); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
	if as, _ := l.Annotations(ctx, c.ID); len(as) != 0 {
		t.Errorf("got %d annotations after bad input, want 0", len(as))
	}
	if tags, _ := l.Tags(ctx); len(tags) != 5 {
		t.Errorf("got %d tags after bad input, want 5", len(tags))
	}
	// The whole call is a valid range.
	if err := l.AddAnnotation(ctx, &Annotation{CallID: c.ID, Start: 0, End: 10 * time.Second}); err != nil {
		t.Errorf("whole call: %v", err)
	}
}

func TestTags(t *testing.T) {
	l := MustOpen(t)
	tags, err := l.Tags(ctx)
	var names []string
	for _, tg := range tags {
		names = append(names, tg.Name)
	}
	if err != nil || !slices.Equal(names, []string{"good question", "interrupted", "let them talk", "missed cue", "read the script"}) {
		t.Fatalf("seeded tags: got %v, %v", names, err)
	}
	if _, err := l.AddTag(ctx, "Objection"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"objection", "", "  "} {
		if _, err := l.AddTag(ctx, name); !errors.Is(err, ErrInvalid) {
			t.Errorf("AddTag(%q): got %v, want ErrInvalid", name, err)
		}
	}
	c := addCall(t, l, "a", "Ana", t0, 4*time.Second, testResult(4*time.Second, .5, 0, 0, "", 0))
	a := &Annotation{CallID: c.ID, Start: 0, End: time.Second, Tag: "objection", Note: "price"}
	l.AddAnnotation(ctx, a)
	clip, err := l.SaveClip(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}

	if err := l.RenameTag(ctx, "OBJECTION", "pushback"); err != nil {
		t.Fatal(err)
	}
	if got, _ := l.Annotation(ctx, a.ID); got.Tag != "pushback" {
		t.Errorf("annotation after rename: got tag %q", got.Tag)
	}
	if err := l.RenameTag(ctx, "pushback", "Missed Cue"); !errors.Is(err, ErrInvalid) {
		t.Errorf("rename onto an existing tag: got %v", err)
	}
	if err := l.RenameTag(ctx, "nope", "x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("rename unknown: got %v", err)
	}
	tags, _ = l.Tags(ctx)
	for _, tg := range tags {
		if tg.Name == "pushback" && tg.Uses != 1 {
			t.Errorf("pushback: got %d uses, want 1", tg.Uses)
		}
	}
	if err := l.DeleteTag(ctx, "pushback"); err != nil {
		t.Fatal(err)
	}
	if got, _ := l.Annotation(ctx, a.ID); got.Tag != "" || got.Note != "price" {
		t.Errorf("annotation after tag delete: got %+v", got)
	}
	if got, _ := l.Clip(ctx, clip.ID); got.Tag != "Objection" {
		t.Errorf("clip after tag rename and delete: got tag %q, want the name it was cut with", got.Tag)
	}
	if err := l.DeleteTag(ctx, "pushback"); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete twice: got %v", err)
	}
}

func TestRepsAndTrend(t *testing.T) {
	l := MustOpen(t)
	addCall(t, l, "2", "Ana", t0.Add(48*time.Hour), 20*time.Minute/1000, testResult(20*time.Minute, .8, 4, 0, analysis.VerdictScriptDriven, 30))
	first := addCall(t, l, "1", "Ana", t0, time.Second, testResult(10*time.Minute, .6, 1, 2, analysis.VerdictMixed, 60))
	addCall(t, l, "b", "Ben", t0, time.Second, testResult(time.Minute, .4, 0, 0, analysis.VerdictListening, 90))
	trashed := addCall(t, l, "x", "Ana", t0.Add(time.Hour), time.Second, testResult(time.Minute, .4, 0, 0, analysis.VerdictListening, 90))
	l.Trash(ctx, trashed.ID)
	rel, err := l.NewCallPath()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.BeginRecording(ctx, RecordingStart{AudioPath: rel, Rep: "Ana"}); err != nil {
		t.Fatal(err)
	}

	reps, err := l.Reps(ctx)
	if err != nil || len(reps) != 2 || reps[0].Name != "Ana" || reps[0].Calls != 3 || reps[1].Calls != 1 {
		t.Fatalf("got %+v, %v", reps, err)
	}
	tr, err := l.Trend(ctx, "ana", analysis.DefaultVerdictConfig())
	if err != nil {
		t.Fatal(err)
	}
	want := []TrendPoint{
		{At: t0, CallID: first.ID, TalkShare: .6, InterruptionsPer10Min: 1, Verdict: analysis.VerdictMixed, Score: 60},
		{At: t0.Add(48 * time.Hour), CallID: 1, TalkShare: .8, InterruptionsPer10Min: 2, Verdict: analysis.VerdictScriptDriven, Score: 30},
	}
	if len(tr) != 2 {
		t.Fatalf("got %+v, want 2 points", tr)
	}
	for i := range want {
		if g := tr[i]; !g.At.Equal(want[i].At) || g.CallID != want[i].CallID || g.TalkShare != want[i].TalkShare ||
			g.InterruptionsPer10Min != want[i].InterruptionsPer10Min || g.Verdict != want[i].Verdict || g.Score != want[i].Score {
			t.Errorf("point %d: got %+v, want %+v", i, g, want[i])
		}
	}
	// A point carries its call's warning codes (Trends leaves out the calls
	// they put in doubt).
	warned := testResult(time.Minute, .9, 0, 0, analysis.NoVerdict, 0)
	warned.Recording.Warn(analysis.WarnChannelsSwapped, "swapped")
	warned.Recording.Warn(analysis.WarnNoisy, "noisy")
	addCall(t, l, "w", "Ben", t0.Add(time.Hour), time.Second, warned)
	tr, err = l.Trend(ctx, "Ben", analysis.DefaultVerdictConfig())
	if err != nil || len(tr) != 2 || len(tr[0].Warnings) != 0 ||
		!slices.Equal(tr[1].Warnings, []analysis.WarningCode{analysis.WarnChannelsSwapped, analysis.WarnNoisy}) {
		t.Errorf("Ben's trend: %+v, %v; want the second point with the codes channels_swapped, noisy", tr, err)
	}
	if _, err := l.Trend(ctx, "Zed", analysis.DefaultVerdictConfig()); !errors.Is(err, ErrNotFound) {
		t.Errorf("Trend(Zed): got %v", err)
	}
}

func TestSettings(t *testing.T) {
	l := MustOpen(t)
	var cfg analysis.Config
	if err := l.Setting(ctx, SettingAnalysis, &cfg); !errors.Is(err, ErrNotFound) {
		t.Errorf("unset: got %v, want ErrNotFound", err)
	}
	want := analysis.DefaultConfig()
	want.FloorMin = 1500 * time.Millisecond
	if err := l.SetSetting(ctx, SettingAnalysis, want); err != nil {
		t.Fatal(err)
	}
	if err := l.Setting(ctx, SettingAnalysis, &cfg); err != nil || cfg != want {
		t.Errorf("got %+v, %v; want %+v", cfg, err, want)
	}
	l.SetSetting(ctx, "window", map[string]int{"w": 1200, "h": 800})
	l.SetSetting(ctx, "window", map[string]int{"w": 1000, "h": 700})
	var win map[string]int
	if err := l.Setting(ctx, "window", &win); err != nil || win["w"] != 1000 {
		t.Errorf("got %v, %v", win, err)
	}
	if err := l.SetSetting(ctx, "", 1); !errors.Is(err, ErrInvalid) {
		t.Errorf("empty key: got %v", err)
	}
	if err := l.SetSetting(ctx, "bad", func() {}); err == nil {
		t.Error("unencodable value: got no error")
	}
}

func TestClips(t *testing.T) {
	l := MustOpen(t)
	c := addCall(t, l, "Demo call", "Ana", t0, 3*time.Second, testResult(3*time.Second, .5, 0, 0, "", 0))
	_, left, right := readWAV(t, l.Abs(c.AudioPath))
	// Ranges on and off the sample grid: 8 kHz, so 125 µs per sample.
	for _, tt := range []struct{ start, end time.Duration }{
		{500 * time.Millisecond, 1250 * time.Millisecond},
		{0, 3 * time.Second},
		{1000*time.Millisecond + 125*time.Microsecond, 1000*time.Millisecond + 375*time.Microsecond},
	} {
		a := &Annotation{CallID: c.ID, Start: tt.start, End: tt.end, Tag: "good question", Note: "n"}
		if err := l.AddAnnotation(ctx, a); err != nil {
			t.Fatal(err)
		}
		clip, err := l.SaveClip(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if again, err := l.SaveClip(ctx, a.ID); err != nil || again.ID != clip.ID {
			t.Errorf("saving the clip again: got %+v, %v; want clip %d", again, err, clip.ID)
		}
		if mode(t, l.Abs(clip.Path)) != 0o600 {
			t.Errorf("clip mode %o, want 600", mode(t, l.Abs(clip.Path)))
		}
		rate, gl, gr := readWAV(t, l.Abs(clip.Path))
		i, j := int(tt.start*testRate/time.Second), int(tt.end*testRate/time.Second)
		if rate != testRate || !slices.Equal(gl, left[i:j]) || !slices.Equal(gr, right[i:j]) {
			t.Errorf("%v–%v: got %d frames at %d Hz, want samples %d..%d of the call exactly", tt.start, tt.end, len(gl), rate, i, j)
		}
	}
	point := &Annotation{CallID: c.ID, Start: time.Second, End: time.Second}
	l.AddAnnotation(ctx, point)
	if _, err := l.SaveClip(ctx, point.ID); !errors.Is(err, ErrInvalid) {
		t.Errorf("clip of a point: got %v, want ErrInvalid", err)
	}
	if _, err := l.SaveClip(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("clip of an unknown annotation: got %v", err)
	}

	other := addCall(t, l, "Other", "Ben", t0, 2*time.Second, testResult(2*time.Second, .5, 0, 0, "", 0))
	oa := &Annotation{CallID: other.ID, Start: 0, End: time.Second, Tag: "missed cue"}
	l.AddAnnotation(ctx, oa)
	oclip, err := l.SaveClip(ctx, oa.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		f    ClipFilter
		want int
	}{
		{ClipFilter{}, 4},
		{ClipFilter{Tag: "Good Question"}, 3},
		{ClipFilter{Rep: "ben"}, 1},
		{ClipFilter{Rep: "ben", Tag: "good question"}, 0},
		{ClipFilter{Limit: 2}, 2},
	} {
		if got, err := l.Clips(ctx, tt.f); err != nil || len(got) != tt.want {
			t.Errorf("Clips(%+v): got %d, %v; want %d", tt.f, len(got), err, tt.want)
		}
	}

	// The clip survives its call being deleted.
	audio, _ := os.ReadFile(l.Abs(oclip.Path))
	if err := l.DeleteCall(ctx, other.ID); err != nil {
		t.Fatal(err)
	}
	got, err := l.Clip(ctx, oclip.ID)
	if err != nil || got.CallID != nil || got.AnnotationID != nil || got.Rep != "Ben" || got.CallTitle != "Other" || got.Tag != "missed cue" {
		t.Fatalf("clip after its call's deletion: got %+v, %v", got, err)
	}
	if now, _ := os.ReadFile(l.Abs(got.Path)); !slices.Equal(now, audio) {
		t.Error("clip audio changed or vanished with its call")
	}
	if err := l.DeleteClip(ctx, oclip.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(l.Abs(oclip.Path)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("clip audio after DeleteClip: %v", err)
	}
	if err := l.DeleteClip(ctx, oclip.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("DeleteClip twice: got %v", err)
	}
	assertNoStrays(t, l)
}

func TestBackup(t *testing.T) {
	l := MustOpen(t)
	c := addCall(t, l, "Demo", "Ana", t0, 2*time.Second, testResult(2*time.Second, .5, 1, 0, analysis.VerdictMixed, 50))
	a := &Annotation{CallID: c.ID, Start: 0, End: time.Second, Tag: "interrupted"}
	l.AddAnnotation(ctx, a)
	clip, _ := l.SaveClip(ctx, a.ID)
	l.SetSetting(ctx, SettingAuthor, "Coach")

	dest := t.TempDir() + "/backup"
	rep, err := l.Backup(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Files != 2 || rep.MissingFiles != 0 {
		t.Errorf("got %+v, want 2 files", rep)
	}
	if _, err := l.Backup(ctx, dest); !errors.Is(err, ErrInvalid) {
		t.Errorf("backup into a non-empty folder: got %v", err)
	}
	if _, err := l.Backup(ctx, l.Dir()+"/inside"); !errors.Is(err, ErrInvalid) {
		t.Errorf("backup inside the library: got %v", err)
	}
	// The original keeps working; the copy is a library of its own.
	l.DeleteCall(ctx, c.ID)
	b := MustOpenDir(t, dest)
	got, err := b.Call(ctx, c.ID)
	if err != nil || got.Result == nil || got.Result.Listening.Verdict != analysis.VerdictMixed {
		t.Fatalf("backup call: %+v, %v", got, err)
	}
	as, _ := b.Annotations(ctx, c.ID)
	if len(as) != 1 || as[0].Tag != "interrupted" {
		t.Errorf("backup annotations: %+v", as)
	}
	for _, p := range []string{got.AudioPath, clip.Path} {
		if _, err := os.Stat(b.Abs(p)); err != nil {
			t.Errorf("backup audio %s: %v", p, err)
		}
	}
	for _, p := range []string{dest, dest + "/" + DBName, b.Abs(clip.Path)} {
		if m := mode(t, p); m&0o077 != 0 {
			t.Errorf("%s: mode %o, want private", p, m)
		}
	}
	var author string
	if b.Setting(ctx, SettingAuthor, &author); author != "Coach" {
		t.Errorf("backup setting: got %q", author)
	}
	assertNoStrays(t, b)
}

// A short call's rate on the trend is the verdict's rate: the call counts as
// RateMinCall long, following the settings given.
func TestTrendRateMatchesVerdict(t *testing.T) {
	l := MustOpen(t)
	addCall(t, l, "c", "Cy", t0, time.Second, testResult(time.Minute, .5, 1, 0, analysis.VerdictMixed, 60))
	cfg := analysis.DefaultConfig()
	for _, minCall := range []time.Duration{3 * time.Minute, time.Minute} {
		cfg.Verdict.RateMinCall = minCall
		tr, err := l.Trend(ctx, "Cy", cfg.Verdict)
		if err != nil || len(tr) != 1 {
			t.Fatalf("got %+v, %v", tr, err)
		}
		want := cfg.Verdict.Per10Min(1, time.Minute)
		if got := tr[0].InterruptionsPer10Min; got != want {
			t.Errorf("RateMinCall %v: got %v per 10 min, want %v", minCall, got, want)
		}
	}
	if want := 10.0; cfg.Verdict.Per10Min(1, time.Minute) != want {
		t.Errorf("one interruption in a minute with RateMinCall 1m: got %v, want %v", cfg.Verdict.Per10Min(1, time.Minute), want)
	}
}

// TestAddAnnotationsAllOrNothing: a batch with one annotation past the end
// of its call adds none of them (and none of their new tags).
func TestAddAnnotationsAllOrNothing(t *testing.T) {
	l := MustOpen(t)
	c := addCall(t, l, "a", "Ana", t0, 10*time.Second, testResult(10*time.Second, .5, 0, 0, "", 0))
	batch := []Annotation{
		{CallID: c.ID, Start: time.Second, End: 2 * time.Second, Tag: "imported tag", Note: "first"},
		{CallID: c.ID, Start: 9 * time.Second, End: 11 * time.Second, Note: "past the end"},
	}
	err := l.AddAnnotations(ctx, batch)
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("got %v, want an invalid-annotation error", err)
	}
	if as, _ := l.Annotations(ctx, c.ID); len(as) != 0 {
		t.Errorf("half imported: %+v", as)
	}
	if tags, _ := l.Tags(ctx); len(tags) != 5 {
		t.Errorf("the rolled-back batch left a tag: %+v", tags)
	}
	batch[1].End = 10 * time.Second
	if err := l.AddAnnotations(ctx, batch); err != nil {
		t.Fatal(err)
	}
	as, _ := l.Annotations(ctx, c.ID)
	if len(as) != 2 || as[0].ID != batch[0].ID || as[0].Tag != "imported tag" || as[1].Note != "past the end" || batch[1].Created.IsZero() {
		t.Errorf("got %+v", as)
	}
}
