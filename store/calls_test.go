package store

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"callcoach/analysis"
)

func TestAddRecordingAndCall(t *testing.T) {
	l := MustOpen(t)
	r := testResult(3*time.Second, .62, 2, 1, analysis.VerdictMixed, 61)
	src := filepath.Join(t.TempDir(), "rec.wav")
	left, right := ramp(3*testRate, 7)
	writeWAV(t, src, testRate, left, right)
	want, _ := os.ReadFile(src)

	c, err := l.AddRecording(ctx, RecordingRequest{Path: src, Title: " Demo ", Rep: "Ana", Customer: "Acme", RecordedAt: t0, Result: r})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(src); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the recording was not moved: stat gives %v", err)
	}
	if !strings.HasPrefix(c.AudioPath, CallsDir+"/") || filepath.IsAbs(c.AudioPath) {
		t.Errorf("got audio path %q, want one relative to the library under %s/", c.AudioPath, CallsDir)
	}
	if got, _ := os.ReadFile(l.Abs(c.AudioPath)); !slices.Equal(got, want) {
		t.Errorf("the library's copy differs from the recording")
	}
	if c.Title != "Demo" || c.Rep != "Ana" || c.Customer != "Acme" || !c.RecordedAt.Equal(t0) ||
		c.Duration != 3*time.Second || c.Source != SourceRecorded || c.Status != StatusComplete ||
		c.Channels != (analysis.Channels{Rep: "left", Customer: "right"}) || c.TrashedAt != nil {
		t.Errorf("got %+v", c)
	}
	if c.Result == nil || c.Result.RepTalkShare != .62 || len(c.Result.Interruptions) != 3 ||
		c.Result.Listening.Verdict != analysis.VerdictMixed || len(c.Result.Segments) != 2 {
		t.Errorf("got result %+v, want the stored one back", c.Result)
	}
	s, err := l.Calls(ctx, CallFilter{})
	if err != nil || len(s) != 1 {
		t.Fatalf("got %v, %v; want one call", s, err)
	}
	if got := s[0]; got.Interruptions != 2 || got.RepTalkShare != .62 || got.Verdict != analysis.VerdictMixed ||
		got.Score != 61 || got.Duration != 3*time.Second || got.Rep != "Ana" {
		t.Errorf("got summary %+v", got)
	}

	if _, err := l.Call(ctx, 99); !errors.Is(err, ErrNotFound) || err.Error() != "there is no call 99 in this library" {
		t.Errorf("Call(99): got %v", err)
	}
	if _, err := l.AddRecording(ctx, RecordingRequest{Path: filepath.Join(t.TempDir(), "none.wav"), Result: r}); err == nil {
		t.Error("AddRecording of a missing file: got no error")
	}
	if _, err := l.AddRecording(ctx, RecordingRequest{Path: l.Abs(c.AudioPath)}); !errors.Is(err, ErrInvalid) {
		t.Errorf("AddRecording without result: got %v, want ErrInvalid", err)
	}
}

func TestUpdateTrashRestoreDelete(t *testing.T) {
	l := MustOpen(t)
	c := addCall(t, l, "a", "Ana", t0, time.Second, testResult(time.Second, .5, 0, 0, "", 0))
	if err := l.UpdateCall(ctx, c.ID, "Renewal", "Ben", "Globex"); err != nil {
		t.Fatal(err)
	}
	got, _ := l.Call(ctx, c.ID)
	if got.Title != "Renewal" || got.Rep != "Ben" || got.Customer != "Globex" {
		t.Errorf("after UpdateCall got %q %q %q", got.Title, got.Rep, got.Customer)
	}
	if s, _ := l.Calls(ctx, CallFilter{}); len(s) != 1 || s[0].Title != "Renewal" || s[0].Rep != "Ben" || s[0].Customer != "Globex" {
		t.Errorf("the list after UpdateCall shows %+v", s)
	}
	if err := l.UpdateCall(ctx, 42, "x", "", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("UpdateCall(42): got %v, want ErrNotFound", err)
	}

	if err := l.Trash(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := l.CallCount(ctx, CallFilter{}); n != 0 {
		t.Errorf("after Trash: %d live calls, want 0", n)
	}
	tr, _ := l.Calls(ctx, CallFilter{Trashed: true})
	if len(tr) != 1 || tr[0].TrashedAt == nil {
		t.Fatalf("trash holds %+v, want the call", tr)
	}
	if err := l.Restore(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if n, _ := l.CallCount(ctx, CallFilter{}); n != 1 {
		t.Errorf("after Restore: %d live calls, want 1", n)
	}
	for _, f := range []func() error{
		func() error { return l.Trash(ctx, 42) },
		func() error { return l.Restore(ctx, 42) },
		func() error { return l.DeleteCall(ctx, 42) },
	} {
		if err := f(); !errors.Is(err, ErrNotFound) {
			t.Errorf("got %v, want ErrNotFound", err)
		}
	}

	a := &Annotation{CallID: c.ID, Start: 0, End: time.Second / 2, Tag: "interrupted"}
	if err := l.AddAnnotation(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := l.DeleteCall(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(l.Abs(c.AudioPath)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("audio survives DeleteCall: %v", err)
	}
	if _, err := l.Annotation(ctx, a.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("annotation survives DeleteCall: %v", err)
	}
}

func TestPurgeTrash(t *testing.T) {
	l := MustOpen(t)
	now := t0
	l.Now = func() time.Time { return now }
	old := addCall(t, l, "old", "Ana", t0, time.Second, testResult(time.Second, .5, 0, 0, "", 0))
	recent := addCall(t, l, "recent", "Ana", t0, time.Second, testResult(time.Second, .5, 0, 0, "", 0))
	live := addCall(t, l, "live", "Ana", t0, time.Second, testResult(time.Second, .5, 0, 0, "", 0))
	l.Trash(ctx, old.ID)
	now = now.Add(20 * 24 * time.Hour)
	l.Trash(ctx, recent.ID)
	now = now.Add(24 * time.Hour)

	n, err := l.PurgeTrash(ctx, 30*24*time.Hour)
	if err != nil || n != 0 {
		t.Errorf("purge older than 30 days: got %d, %v; want 0", n, err)
	}
	n, err = l.PurgeTrash(ctx, 7*24*time.Hour)
	if err != nil || n != 1 {
		t.Errorf("purge older than 7 days: got %d, %v; want 1", n, err)
	}
	if _, err := l.Call(ctx, old.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("old trashed call: got %v, want ErrNotFound", err)
	}
	if _, err := os.Stat(l.Abs(old.AudioPath)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("old trashed call's audio: %v, want gone", err)
	}
	if n, _ := l.PurgeTrash(ctx, 0); n != 1 {
		t.Errorf("purge all: got %d, want 1", n)
	}
	if _, err := l.Call(ctx, live.ID); err != nil {
		t.Errorf("live call: %v", err)
	}
}

func TestCallsFilter(t *testing.T) {
	l := MustOpen(t)
	seedCalls(t, l, 200) // call i at t0+i h; rep i%4; verdict i%3; tag every 10th; trash every 50th
	ids := func(f CallFilter) []int64 {
		t.Helper()
		s, err := l.Calls(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		n, err := l.CallCount(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if f.Limit == 0 && f.Offset == 0 && n != len(s) {
			t.Errorf("%+v: CallCount %d, Calls %d", f, n, len(s))
		}
		var out []int64
		for _, c := range s {
			out = append(out, c.ID)
		}
		return out
	}
	// want selects seeded calls (id = i+1) newest first.
	want := func(keep func(i int) bool) []int64 {
		var out []int64
		for i := 199; i >= 0; i-- {
			if keep(i) {
				out = append(out, int64(i+1))
			}
		}
		return out
	}
	live := func(i int) bool { return i%50 != 0 }
	tests := []struct {
		name string
		f    CallFilter
		want []int64
	}{
		{"all live", CallFilter{}, want(live)},
		{"rep", CallFilter{Rep: "ben"}, want(func(i int) bool { return live(i) && i%4 == 1 })},
		{"unknown rep", CallFilter{Rep: "Zed"}, nil},
		{"tag", CallFilter{Tag: "Interrupted"}, want(func(i int) bool { return live(i) && i%10 == 0 })},
		{"verdict", CallFilter{Verdict: analysis.VerdictScriptDriven}, want(func(i int) bool { return live(i) && i%3 == 2 })},
		{"since until", CallFilter{Since: t0.Add(10 * time.Hour), Until: t0.Add(20 * time.Hour)}, want(func(i int) bool { return i >= 10 && i < 20 })},
		{"text title", CallFilter{Text: "call 12 with"}, want(func(i int) bool { return i == 12 })},
		{"text customer", CallFilter{Text: "customer 49"}, want(func(i int) bool { return live(i) && i%50 == 49 })},
		{"text rep", CallFilter{Text: "chlo"}, want(func(i int) bool { return live(i) && i%4 == 2 })},
		{"text wildcard is literal", CallFilter{Text: "%"}, nil},
		{"trashed", CallFilter{Trashed: true}, want(func(i int) bool { return !live(i) })},
		{"rep and verdict", CallFilter{Rep: "Ana", Verdict: analysis.VerdictListening}, want(func(i int) bool { return live(i) && i%4 == 0 && i%3 == 0 })},
		{"page", CallFilter{Limit: 3, Offset: 1}, want(live)[1:4]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(tt.f); !slices.Equal(got, tt.want) {
				t.Errorf("got %v\nwant %v", got, tt.want)
			}
		})
	}
	s, _ := l.Calls(ctx, CallFilter{Tag: "interrupted", Limit: 1})
	if len(s) != 1 || !slices.Equal(s[0].Tags, []string{"interrupted"}) {
		t.Errorf("got tags %v, want [interrupted]", s)
	}
}

// TestQueryPlans checks that each list filter is served by an index rather
// than a scan of the calls table.
func TestQueryPlans(t *testing.T) {
	l := MustOpen(t)
	seedCalls(t, l, 300) // no ANALYZE: a user's library has no statistics
	tests := []struct {
		f    CallFilter
		want string // index in the plan
	}{
		{CallFilter{Limit: 50}, "calls_live_recorded"},
		{CallFilter{Rep: "Ana"}, "calls_rep_recorded"},
		{CallFilter{Tag: "interrupted"}, "annotations_tag_call"},
		{CallFilter{Verdict: analysis.VerdictMixed}, "calls_verdict_recorded"},
		{CallFilter{Since: t0}, "calls_live_recorded"},
		{CallFilter{Trashed: true}, "calls_trashed"},
		{CallFilter{Warned: true}, "calls_warned_live"},
	}
	for _, tt := range tests {
		q, args := callsQuery(tt.f)
		plan := explain(t, l, q, args...)
		if !strings.Contains(plan, tt.want) {
			t.Errorf("%+v: plan does not use %s:\n%s", tt.f, tt.want, plan)
		}
		if strings.Contains(plan, "SCAN c\n") || strings.Contains(plan, "SCAN calls\n") {
			t.Errorf("%+v: plan scans the calls table:\n%s", tt.f, plan)
		}
	}
	if plan := explain(t, l, `SELECT group_concat(id || char(31) || warnings, char(30)) FROM calls WHERE warnings <> ''`); !strings.Contains(plan, "calls_warned") {
		t.Errorf("the warned calls: plan does not use calls_warned:\n%s", plan)
	}
	plan := explain(t, l, `SELECT id FROM clips WHERE tag = ? COLLATE NOCASE ORDER BY created_ms DESC`, "x")
	if !strings.Contains(plan, "clips_tag") {
		t.Errorf("clips by tag: plan does not use clips_tag:\n%s", plan)
	}
}

func explain(t *testing.T, l *Library, q string, args ...any) string {
	t.Helper()
	rows, err := l.db.Query(`EXPLAIN QUERY PLAN `+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, notused int
		var detail string
		rows.Scan(&id, &parent, &notused, &detail)
		b.WriteString(detail + "\n")
	}
	return b.String()
}

// TestRecordingLifecycle follows a recording's row: begun at a name from
// NewCallPath, its file (written after the row) kept by another Open's
// sweep, reported by UnfinishedRecordings until finished. (Whether it is in
// progress or crashed is its in-progress mark's business: callflow's
// TestRecover.)
func TestRecordingLifecycle(t *testing.T) {
	old := partialGrace
	partialGrace = 0
	t.Cleanup(func() { partialGrace = old })
	app := MustOpen(t)
	if _, err := app.BeginRecording(ctx, RecordingStart{Title: "nowhere"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("a recording without a path: got %v, want ErrInvalid", err)
	}
	if _, err := app.BeginRecording(ctx, RecordingStart{AudioPath: "../x.wav"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("a recording outside the calls folder: got %v, want ErrInvalid", err)
	}
	rel, err := app.NewCallPath()
	if err != nil {
		t.Fatal(err)
	}
	c, err := app.BeginRecording(ctx, RecordingStart{AudioPath: rel, Title: "live", Rep: "Ana"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != StatusRecording || c.Result != nil || c.Channels.Rep != "left" || c.AudioPath != rel {
		t.Errorf("got %+v, want a recording without result, rep on the left, at %s", c, rel)
	}
	// The recorder writes the file; another Open (the CLI, say) must not
	// sweep it.
	left, right := ramp(testRate, 3)
	writeWAV(t, app.Abs(c.AudioPath), testRate, left, right)
	l := MustOpenDir(t, app.Dir())
	if _, err := os.Stat(l.Abs(c.AudioPath)); err != nil {
		t.Fatalf("recording swept: %v", err)
	}
	for _, lib := range []*Library{l, app} {
		if un, err := lib.UnfinishedRecordings(ctx); err != nil || len(un) != 1 || un[0].ID != c.ID {
			t.Errorf("unfinished: got %v, %v; want call %d", un, err, c.ID)
		}
	}
	app.Close()
	MustOpenDir(t, l.Dir()) // its sweep keeps the call and its audio
	if _, err := os.Stat(l.Abs(c.AudioPath)); err != nil {
		t.Fatalf("crashed recording swept: %v", err)
	}
	if err := l.SetResult(ctx, c.ID, testResult(time.Second, .4, 0, 0, "", 0)); !errors.Is(err, ErrInvalid) {
		t.Errorf("SetResult while recording: got %v, want ErrInvalid", err)
	}
	if err := l.FinishRecording(ctx, c.ID, testResult(time.Second, .4, 1, 0, analysis.VerdictListening, 80), "done"); !errors.Is(err, ErrInvalid) {
		t.Errorf("FinishRecording with a bad status: got %v", err)
	}
	if err := l.FinishRecording(ctx, c.ID, testResult(time.Second, .4, 1, 0, analysis.VerdictListening, 80), StatusRecovered); err != nil {
		t.Fatal(err)
	}
	got, _ := l.Call(ctx, c.ID)
	if got.Status != StatusRecovered || got.Duration != time.Second || got.Result == nil {
		t.Errorf("got %+v", got)
	}
	if un, _ := l.UnfinishedRecordings(ctx); len(un) != 0 {
		t.Errorf("got %d unfinished, want 0", len(un))
	}
	assertNoStrays(t, l)
	if err := l.SetResult(ctx, c.ID, testResult(time.Second, .9, 5, 0, analysis.VerdictScriptDriven, 20)); err != nil {
		t.Fatal(err)
	}
	s, _ := l.Calls(ctx, CallFilter{})
	if s[0].Interruptions != 5 || s[0].Verdict != analysis.VerdictScriptDriven || s[0].Status != StatusRecovered {
		t.Errorf("after SetResult got %+v", s[0])
	}
}

// oneChannelResult is a mono call's analysis whose speech is not
// attributed to the parties.
func oneChannelResult(dur time.Duration) *analysis.Result {
	return &analysis.Result{
		Duration: analysis.Dur(dur),
		Channels: analysis.Channels{OneChannel: "mono"},
		Segments: []analysis.Segment{{Speaker: analysis.Unattributed, Start: 0, End: analysis.Dur(dur / 2)}},
		Talk:     analysis.PerParty{Unattributed: analysis.Dur(dur / 2)},
	}
}

// TestOneChannelCalls: a call whose speech is not attributed is marked in
// the list (no talk share to show), left out of the trend, and unmarked
// once a re-analysis attributes it; the mark survives a reopen.
func TestOneChannelCalls(t *testing.T) {
	l := MustOpen(t)
	stereo := addCall(t, l, "stereo", "Ana", t0, time.Second, testResult(time.Minute, .4, 1, 0, analysis.VerdictListening, 80))
	mono := addCall(t, l, "mono", "Ana", t0.Add(time.Hour), time.Second, oneChannelResult(time.Minute))
	marks := func(l *Library) map[int64]bool {
		rows, err := l.Calls(ctx, CallFilter{})
		if err != nil {
			t.Fatal(err)
		}
		m := map[int64]bool{}
		for _, r := range rows {
			m[r.ID] = r.Unattributed
		}
		return m
	}
	if m := marks(l); m[stereo.ID] || !m[mono.ID] {
		t.Errorf("unattributed marks %v, want only call %d", m, mono.ID)
	}
	tr, err := l.Trend(ctx, "Ana", analysis.DefaultVerdictConfig())
	if err != nil || len(tr) != 1 || tr[0].CallID != stereo.ID {
		t.Errorf("trend %+v, %v; want the stereo call only", tr, err)
	}
	again := MustOpenDir(t, l.Dir())
	if m := marks(again); !m[mono.ID] {
		t.Error("the mark did not survive a reopen")
	}
	// The voices told apart and the rep picked: it has parties now.
	r := oneChannelResult(time.Minute)
	r.Segments = []analysis.Segment{{Speaker: analysis.Rep, Start: 0, End: analysis.Dur(10 * time.Second)}}
	r.Talk = analysis.PerParty{Rep: analysis.Dur(10 * time.Second), Customer: analysis.Dur(20 * time.Second)}
	if err := l.SetResult(ctx, mono.ID, r); err != nil {
		t.Fatal(err)
	}
	if m := marks(l); m[mono.ID] {
		t.Error("still unattributed after the rep's speech was attributed")
	}
}

// TestPartiesMigration: calls stored before 007_parties get their mark
// from their stored analysis.
func TestPartiesMigration(t *testing.T) {
	dir := t.TempDir()
	old, err := open(dir, partiesSchema-1)
	if err != nil {
		t.Fatal(err)
	}
	mono := addCall(t, old, "mono", "Ana", t0, time.Second, oneChannelResult(time.Minute))
	// A result stored before the one-channel rename said "mixed".
	if _, err := old.db.Exec(`UPDATE call_results SET result = replace(replace(result, '"one_channel"', '"mixed"'), '"unattributed"', '"mixed"') WHERE call_id = ?`, mono.ID); err != nil {
		t.Fatal(err)
	}
	addCall(t, old, "stereo", "Ana", t0.Add(time.Hour), time.Second, testResult(time.Minute, .4, 1, 0, analysis.VerdictListening, 80))
	old.Close()
	l := MustOpenDir(t, dir)
	rows, _ := l.Calls(ctx, CallFilter{})
	for _, r := range rows {
		if want := r.ID == mono.ID; r.Unattributed != want {
			t.Errorf("call %d (%s): unattributed %v, want %v", r.ID, r.Title, r.Unattributed, want)
		}
	}
}

// warned is testResult with recording warnings of codes.
func warned(codes ...analysis.WarningCode) *analysis.Result {
	r := testResult(time.Minute, .4, 1, 0, analysis.VerdictListening, 80)
	r.Recording.Warnings = []analysis.Warning{}
	for _, c := range codes {
		r.Recording.Warn(c, "About "+string(c)+".")
	}
	return r
}

// TestCallWarnings: the list carries each call's warning codes in report
// order without reading its analysis, filters on them, follows a new
// analysis (warnings gone, or come), and keeps them across a reopen and a
// repair.
func TestCallWarnings(t *testing.T) {
	l := MustOpen(t)
	clean := addCall(t, l, "clean", "Ana", t0, time.Second, warned())
	swapped := addCall(t, l, "swapped", "Ana", t0.Add(time.Hour), time.Second, warned(analysis.WarnNoisy, analysis.WarnChannelsSwapped))
	bled := addCall(t, l, "bleed", "Ben", t0.Add(2*time.Hour), time.Second, warned(analysis.WarnStrongBleed))
	codes := func(l *Library, f CallFilter) map[int64]string {
		rows, err := l.Calls(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		m := map[int64]string{}
		for _, r := range rows {
			m[r.ID] = fmt.Sprint(r.Warnings)
		}
		return m
	}
	want := map[int64]string{clean.ID: "[]", swapped.ID: "[channels_swapped noisy]", bled.ID: "[strong_bleed]"}
	if got := codes(l, CallFilter{}); !maps.Equal(got, want) {
		t.Errorf("warnings %v, want %v", got, want)
	}
	if got := codes(l, CallFilter{Warned: true}); len(got) != 2 || got[clean.ID] != "" {
		t.Errorf("warned filter: %v, want calls %d and %d", got, swapped.ID, bled.ID)
	}
	if got := codes(l, CallFilter{Warned: true, Rep: "Ben"}); len(got) != 1 || got[bled.ID] == "" {
		t.Errorf("warned calls of Ben: %v, want call %d", got, bled.ID)
	}
	// Re-analysed with the channels swapped back: clean; the clean call
	// re-analysed finds clipping.
	if err := l.SetResult(ctx, swapped.ID, warned()); err != nil {
		t.Fatal(err)
	}
	if err := l.SetResult(ctx, clean.ID, warned(analysis.WarnClipping)); err != nil {
		t.Fatal(err)
	}
	want = map[int64]string{clean.ID: "[clipping]", swapped.ID: "[]", bled.ID: "[strong_bleed]"}
	if got := codes(l, CallFilter{}); !maps.Equal(got, want) {
		t.Errorf("after new analyses: %v, want %v", got, want)
	}
	if got := codes(MustOpenDir(t, l.Dir()), CallFilter{}); !maps.Equal(got, want) {
		t.Errorf("after a reopen: %v, want %v", got, want)
	}
	if _, err := l.db.Exec(`UPDATE calls SET warnings = ''`); err != nil {
		t.Fatal(err)
	}
	if _, err := l.db.Exec(backfillWarnings); err != nil {
		t.Fatal(err)
	}
	if got := codes(l, CallFilter{}); !maps.Equal(got, want) {
		t.Errorf("after the repair's backfill: %v, want %v", got, want)
	}
}

// TestWarningsMigration: calls stored before 008_warnings get their codes
// from their stored analysis; those without warnings (or analysed before
// warnings existed) get none.
func TestWarningsMigration(t *testing.T) {
	dir := t.TempDir()
	old, err := open(dir, warningsSchema-1)
	if err != nil {
		t.Fatal(err)
	}
	a := addCall(t, old, "two warnings", "Ana", t0, time.Second, warned(analysis.WarnSilentChannel, analysis.WarnClipping))
	b := addCall(t, old, "clean", "Ana", t0.Add(time.Hour), time.Second, warned())
	c := addCall(t, old, "from before warnings", "Ana", t0.Add(2*time.Hour), time.Second, warned(analysis.WarnNoisy))
	if _, err := old.db.Exec(`UPDATE call_results SET result = json_remove(result, '$.recording') WHERE call_id = ?`, c.ID); err != nil {
		t.Fatal(err)
	}
	old.Close()
	l := MustOpenDir(t, dir)
	rows, err := l.Calls(ctx, CallFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]string{a.ID: "[silent_channel clipping]", b.ID: "[]", c.ID: "[]"}
	for _, r := range rows {
		if got := fmt.Sprint(r.Warnings); got != want[r.ID] {
			t.Errorf("call %d (%s): warnings %s, want %s", r.ID, r.Title, got, want[r.ID])
		}
	}
}
