package interchange

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"callcoach/store"
)

// ErrStillRecording is returned for a call whose recording is not finished:
// it has no analysis to export yet.
var ErrStillRecording = errors.New("the call is still recording")

// Load reads call id, its annotations and its audio's path from the
// library, ready for any writer.
func Load(ctx context.Context, lib *store.Library, id int64) (Call, error) {
	c, err := lib.Call(ctx, id)
	if err != nil {
		return Call{}, err
	}
	if c.Result == nil {
		return Call{}, fmt.Errorf("call %d: %w: export it once it is finished", id, ErrStillRecording)
	}
	as, err := lib.Annotations(ctx, id)
	if err != nil {
		return Call{}, err
	}
	rs, err := lib.Repeats(ctx, id)
	if err != nil {
		return Call{}, err
	}
	return Call{Call: c, Annotations: as, AudioFile: lib.Abs(c.AudioPath), Repeats: rs}, nil
}

// WriteLibraryCSV writes the calls f selects as CSV (CSVColumns), one row
// per call in the library's order, every figure of each call's analysis.
// progress, if not nil, hears after each call how many are done of how
// many. It returns the number of rows.
func WriteLibraryCSV(ctx context.Context, w io.Writer, lib *store.Library, f store.CallFilter, progress func(done, total int)) (int, error) {
	calls, err := lib.Calls(ctx, f)
	if err != nil {
		return 0, err
	}
	cw := NewCSVWriter(w)
	for i, s := range calls {
		if err := ctx.Err(); err != nil {
			return i, err
		}
		c, err := lib.Call(ctx, s.ID)
		if err != nil {
			return i, err
		}
		as, err := lib.Annotations(ctx, s.ID)
		if err != nil {
			return i, err
		}
		rs, err := lib.Repeats(ctx, s.ID)
		if err != nil {
			return i, err
		}
		if err := cw.Write(Call{Call: c, Annotations: as, AudioFile: lib.Abs(c.AudioPath), Repeats: rs}); err != nil {
			return i, err
		}
		if progress != nil {
			progress(i+1, len(calls))
		}
	}
	return len(calls), cw.Flush()
}

// Imported says what ImportAnnotations added.
type Imported struct {
	*Marks
	Annotations []store.Annotation // as stored, with their ids
	// AlreadyThere counts marks left out because the call already has the
	// same annotation (range, tag and note): importing a file twice does
	// not double its marks.
	AlreadyThere int
}

// ImportAnnotations reads an Audacity label track or a Praat TextGrid
// (ReadMarks) and adds its marks to call id as annotations by author, in
// one transaction: all of them or, on any problem, none. A mark the call
// already has (same range, tag and note) is not added again. name is the
// file's name, for messages.
func ImportAnnotations(ctx context.Context, lib *store.Library, id int64, name string, data []byte, author string) (*Imported, error) {
	c, err := lib.Call(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Result == nil {
		return nil, fmt.Errorf("call %d: %w: import annotations once it is finished", id, ErrStillRecording)
	}
	tags, err := lib.Tags(ctx)
	if err != nil {
		return nil, err
	}
	known := func(s string) bool {
		for _, t := range tags {
			if strings.EqualFold(t.Name, strings.TrimSpace(s)) {
				return true
			}
		}
		return false
	}
	ms, err := ReadMarks(data, c.Duration, known)
	if err != nil {
		return nil, fmt.Errorf("cannot import %s: %w", name, err)
	}
	if len(ms.Marks) == 0 {
		return nil, fmt.Errorf("cannot import %s: it holds only CallCoach's own interruption labels, no annotations", name)
	}
	have, err := lib.Annotations(ctx, id)
	if err != nil {
		return nil, err
	}
	same := func(a store.Annotation, m Mark) bool {
		return a.Start == m.Start && a.End == m.End && strings.EqualFold(a.Tag, m.Tag) && a.Note == m.Note
	}
	im := &Imported{Marks: ms}
	var as []store.Annotation
outer:
	for _, m := range ms.Marks {
		for _, a := range append(have, as...) {
			if same(a, m) {
				im.AlreadyThere++
				continue outer
			}
		}
		as = append(as, store.Annotation{CallID: id, Start: m.Start, End: m.End, Tag: m.Tag, Note: m.Note, Author: author})
	}
	if err := lib.AddAnnotations(ctx, as); err != nil {
		return nil, fmt.Errorf("cannot import %s: %w", name, err)
	}
	im.Annotations = as
	return im, nil
}
