package main

// Shared by the library commands (import, list, show, annotate, annotations,
// clip, clips, export, backup, delete, restore): finding and opening
// the library, reading call numbers and times, and the JSON shapes they
// print.

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"callcoach/analysis"
	"callcoach/callflow"
	"callcoach/callflow/interchange"
	"callcoach/store"
)

// dataFlag adds the --data flag every library command takes.
func dataFlag(fs *flag.FlagSet) *string {
	return fs.String("data", "", "the library folder (default: $CALLCOACH_DATA, else the standard CallCoach data folder)")
}

// openLibrary opens the library. Only import may create one (create):
// every other command on a folder without a library says so rather than
// leave an empty library behind a mistyped --data.
func openLibrary(data string, create bool) (*store.Library, error) {
	dir, err := callflow.LibraryDir(data, "")
	if err != nil {
		return nil, err
	}
	if !create {
		_, err := os.Stat(filepath.Join(dir, store.DBName))
		if _, lerr := os.Stat(filepath.Join(dir, store.LibraryFile)); errors.Is(err, fs.ErrNotExist) && lerr != nil {
			return nil, fmt.Errorf("there is no CallCoach library in %s yet: import a call first ('callcoach import CALL.wav'), or name the library with --data DIR", dir)
		}
	}
	lib, err := store.Open(dir)
	if err != nil {
		if errors.Is(err, store.ErrNewerSchema) || store.IsDamaged(err) {
			return nil, err // the sentence says what to do
		}
		return nil, fmt.Errorf("cannot open the library in %s: %w; choose a folder you can write to with --data DIR or CALLCOACH_DATA", dir, err)
	}
	return lib, nil
}

// libraryError turns a store error into a sentence that also says what to
// do next.
func libraryError(err error) error {
	var nf *store.NotFoundError
	if errors.As(err, &nf) {
		switch nf.What {
		case "call":
			return fmt.Errorf("%w: run 'callcoach list' to see the calls (and 'callcoach list --trash' for the trash)", err)
		case "annotation":
			return fmt.Errorf("%w: run 'callcoach annotations CALL' to see a call's annotations", err)
		case "clip":
			return fmt.Errorf("%w: run 'callcoach clips' to see the clips", err)
		}
	}
	return err
}

// parseID reads a call, annotation or clip number.
func parseID(what, s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, usagef("%s must be a %s number, not %q", strings.ToUpper(what), what, s)
	}
	return id, nil
}

// openForOne is how a command working on one call (or annotation) starts:
// parse its flags (given anywhere), take the one id, open the library.
// The caller closes the library.
func openForOne(fs *flag.FlagSet, args []string, what string, data *string) (int64, *store.Library, error) {
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return 0, nil, err
	}
	id, err := oneID(what, pos)
	if err != nil {
		return 0, nil, err
	}
	lib, err := openLibrary(*data, false)
	if err != nil {
		return 0, nil, err
	}
	return id, lib, nil
}

// oneID parses the single positional argument of a command taking one id.
func oneID(what string, pos []string) (int64, error) {
	switch len(pos) {
	case 0:
		return 0, usagef("give the %s number (e.g. 'callcoach ... 3')", what)
	case 1:
		return parseID(what, pos[0])
	}
	return 0, usagef("give one %s number, not %d arguments (%s)", what, len(pos), strings.Join(pos, " "))
}

// parseOffset reads a time in a call: seconds ("75", "75.5"), or minutes
// and seconds ("1:15.5"), or hours, minutes and seconds ("1:01:15").
func parseOffset(s string) (time.Duration, error) {
	bad := usagef("a time in the call is seconds (75.5) or m:ss (1:15.5), not %q", s)
	parts := strings.Split(strings.TrimSpace(s), ":")
	if len(parts) > 3 || parts[0] == "" {
		return 0, bad
	}
	var total float64
	for i, p := range parts {
		v, err := strconv.ParseFloat(p, 64)
		if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) || (i > 0 && v >= 60) {
			return 0, bad
		}
		if i < len(parts)-1 && v != math.Trunc(v) {
			return 0, bad
		}
		total = total*60 + v
	}
	return time.Duration(math.Round(total * float64(time.Second))), nil
}

// parseDate reads --since/--until: a date (2026-03-02) or a date and time
// (2026-03-02 14:30, 2026-03-02T14:30), local time, or RFC 3339.
func parseDate(flag, s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, usagef("--%s takes a date like 2026-03-02 or 2026-03-02 14:30, not %q", flag, s)
}

// lengthText formats a length as m:ss (h:mm:ss from an hour).
func lengthText(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// secondsText formats an offset in a call: "75.5 s".
func secondsText(d time.Duration) string {
	return strconv.FormatFloat(math.Round(d.Seconds()*1000)/1000, 'f', -1, 64) + " s"
}

// The JSON the library commands print: times in RFC 3339, lengths and
// offsets in seconds, files as absolute paths.

type summaryJSON struct {
	ID            int64            `json:"id"`
	Title         string           `json:"title"`
	Rep           string           `json:"rep"`
	Customer      string           `json:"customer"`
	RecordedAt    time.Time        `json:"recorded_at"`
	Duration      analysis.Dur     `json:"duration_s"`
	RepTalkShare  float64          `json:"rep_talk_share"`
	Interruptions int              `json:"rep_interruptions"`
	Verdict       analysis.Verdict `json:"verdict"`
	Score         int              `json:"score"`
	Tags          []string         `json:"tags"`
	Source        string           `json:"source"`
	Status        string           `json:"status"`
	TrashedAt     *time.Time       `json:"trashed_at,omitempty"`
	// Unattributed: one channel, speech not attributed to the parties
	// (the talk share, interruptions and score are then not measured).
	Unattributed bool `json:"unattributed,omitempty"`
}

func toSummaryJSON(s store.CallSummary) summaryJSON {
	return summaryJSON{ID: s.ID, Title: s.Title, Rep: s.Rep, Customer: s.Customer, RecordedAt: s.RecordedAt,
		Duration: analysis.Dur(s.Duration), RepTalkShare: s.RepTalkShare, Interruptions: s.Interruptions,
		Verdict: s.Verdict, Score: s.Score, Tags: nonNil(s.Tags), Source: s.Source, Status: s.Status, TrashedAt: s.TrashedAt,
		Unattributed: s.Unattributed}
}

// callJSON and annotationJSON are the interchange package's JSON shapes,
// so 'show --json' and 'export --format json' print the same thing.
type (
	callJSON       = interchange.CallJSON
	annotationJSON = interchange.AnnotationJSON
)

func toCallJSON(lib *store.Library, c *store.Call, as []store.Annotation, rs []analysis.Repeat) callJSON {
	return interchange.NewCallJSON(interchange.Call{Call: c, Annotations: as, AudioFile: lib.Abs(c.AudioPath), Repeats: rs})
}

func toAnnotationJSON(a store.Annotation) annotationJSON { return interchange.NewAnnotationJSON(a) }

type clipJSON struct {
	ID           int64        `json:"id"`
	AnnotationID *int64       `json:"annotation_id"`
	CallID       *int64       `json:"call_id"`
	File         string       `json:"file"`
	Start        analysis.Dur `json:"start_s"`
	End          analysis.Dur `json:"end_s"`
	Tag          string       `json:"tag"`
	Note         string       `json:"note"`
	Rep          string       `json:"rep"`
	CallTitle    string       `json:"call_title"`
	Created      time.Time    `json:"created"`
}

func toClipJSON(lib *store.Library, c store.Clip) clipJSON {
	return clipJSON{ID: c.ID, AnnotationID: c.AnnotationID, CallID: c.CallID, File: lib.Abs(c.Path),
		Start: analysis.Dur(c.Start), End: analysis.Dur(c.End), Tag: c.Tag, Note: c.Note, Rep: c.Rep,
		CallTitle: c.CallTitle, Created: c.Created}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// orDash shows an empty field as "-" in tables.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
