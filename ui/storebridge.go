package ui

import (
	"context"
	"errors"
	"fmt"

	"callcoach/callflow"
	"callcoach/store"
)

// StoreBackend adapts a store.Library to the app's Backend.
type StoreBackend struct {
	L *store.Library
}

var _ Backend = (*StoreBackend)(nil)

// NewStoreBackend wraps an open library.
func NewStoreBackend(l *store.Library) *StoreBackend { return &StoreBackend{L: l} }

// Dir is the library folder.
func (b *StoreBackend) Dir() string { return b.L.Dir() }

func rowOf(s store.CallSummary) CallRow {
	return CallRow{
		ID: s.ID, Title: s.Title, Rep: s.Rep, Customer: s.Customer, RecordedAt: s.RecordedAt,
		Duration: s.Duration, RepTalkShare: s.RepTalkShare, Interruptions: s.Interruptions,
		Verdict: s.Verdict, Score: s.Score, Tags: s.Tags, Status: s.Status, Trashed: s.TrashedAt != nil,
	}
}

// Calls lists calls.
func (b *StoreBackend) Calls(ctx context.Context, q CallQuery) ([]CallRow, error) {
	rows, err := b.L.Calls(ctx, store.CallFilter{
		Rep: q.Rep, Tag: q.Tag, Text: q.Text, Verdict: q.Verdict,
		Since: q.Since, Until: q.Until, Trashed: q.Trashed, Limit: q.Limit,
	})
	if err != nil {
		return nil, err
	}
	out := make([]CallRow, len(rows))
	for i, r := range rows {
		out[i] = rowOf(r)
	}
	return out, nil
}

// Call reads a call with its analysis.
func (b *StoreBackend) Call(ctx context.Context, id int64) (*CallDetail, error) {
	c, err := b.L.Call(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &CallDetail{
		CallRow: CallRow{
			ID: c.ID, Title: c.Title, Rep: c.Rep, Customer: c.Customer, RecordedAt: c.RecordedAt,
			Duration: c.Duration, Tags: c.Tags, Status: c.Status, Trashed: c.TrashedAt != nil,
		},
		AudioPath: b.L.Abs(c.AudioPath),
		Result:    c.Result,
	}
	if c.Result != nil {
		d.RepTalkShare = c.Result.RepTalkShare
		d.Verdict = c.Result.Listening.Verdict
		d.Score = c.Result.Listening.Score
	}
	return d, nil
}

// Trash moves a call to the trash.
func (b *StoreBackend) Trash(ctx context.Context, id int64) error { return b.L.Trash(ctx, id) }

// Restore brings a call back from the trash.
func (b *StoreBackend) Restore(ctx context.Context, id int64) error { return b.L.Restore(ctx, id) }

func noteOf(a store.Annotation) Note {
	return Note{ID: a.ID, CallID: a.CallID, Start: a.Start, End: a.End, Tag: a.Tag, Note: a.Note,
		Author: a.Author, Created: a.Created, Edited: a.Edited}
}

// Notes lists a call's annotations.
func (b *StoreBackend) Notes(ctx context.Context, callID int64) ([]Note, error) {
	as, err := b.L.Annotations(ctx, callID)
	if err != nil {
		return nil, err
	}
	out := make([]Note, len(as))
	for i, a := range as {
		out[i] = noteOf(a)
	}
	return out, nil
}

// SaveNote adds or updates an annotation.
func (b *StoreBackend) SaveNote(ctx context.Context, n Note) (Note, error) {
	a := store.Annotation{ID: n.ID, CallID: n.CallID, Start: n.Start, End: n.End, Tag: n.Tag, Note: n.Note, Author: n.Author}
	var err error
	if n.ID == 0 {
		err = b.L.AddAnnotation(ctx, &a)
	} else {
		err = b.L.UpdateAnnotation(ctx, &a)
	}
	if err != nil {
		return n, err
	}
	return noteOf(a), nil
}

// DeleteNote deletes an annotation.
func (b *StoreBackend) DeleteNote(ctx context.Context, id int64) error {
	return b.L.DeleteAnnotation(ctx, id)
}

// Tags lists the tag names.
func (b *StoreBackend) Tags(ctx context.Context) ([]string, error) {
	ts, err := b.L.Tags(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name
	}
	return out, nil
}

// Reps lists the rep names.
func (b *StoreBackend) Reps(ctx context.Context) ([]string, error) {
	rs, err := b.L.Reps(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Name
	}
	return out, nil
}

// Trend reads a rep's trend.
func (b *StoreBackend) Trend(ctx context.Context, rep string) ([]TrendPoint, error) {
	cfg, _ := callflow.Config(ctx, b.L)
	ps, err := b.L.Trend(ctx, rep, cfg.Verdict)
	if err != nil {
		return nil, err
	}
	out := make([]TrendPoint, len(ps))
	for i, p := range ps {
		out[i] = TrendPoint{At: p.At, CallID: p.CallID, TalkShare: p.TalkShare,
			InterruptionsPer10Min: p.InterruptionsPer10Min, Verdict: p.Verdict, Score: p.Score}
	}
	return out, nil
}

// Setting reads a setting; a setting never set reports false.
func (b *StoreBackend) Setting(ctx context.Context, key string, v any) (bool, error) {
	err := b.L.Setting(ctx, key, v)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// SetSetting stores a setting.
func (b *StoreBackend) SetSetting(ctx context.Context, key string, v any) error {
	return b.L.SetSetting(ctx, key, v)
}

// Import files a call through callflow.Import, reporting progress 0..1.
func (b *StoreBackend) Import(ctx context.Context, req ImportRequest, progress func(float64)) (int64, error) {
	r := callflow.ImportRequest{Path: req.Path, RepChannel: req.RepChannel, RepPath: req.RepPath, CustomerPath: req.CustomerPath,
		Title: req.Title, Rep: req.Rep, Customer: req.Customer}
	var report func(callflow.Progress)
	if progress != nil {
		report = func(p callflow.Progress) { progress(p.Fraction()) }
	}
	c, err := callflow.Import(ctx, b.L, r, report)
	if err != nil {
		if errors.Is(err, store.ErrDuplicate) {
			return 0, fmt.Errorf("%w: %w", errDuplicate, err)
		}
		return 0, err
	}
	return c.ID, nil
}

func (b *StoreBackend) clipOf(c store.Clip) ClipRow {
	r := ClipRow{ID: c.ID, Path: b.L.Abs(c.Path), Start: c.Start, End: c.End, Tag: c.Tag, Note: c.Note,
		Rep: c.Rep, CallTitle: c.CallTitle, Created: c.Created}
	if c.AnnotationID != nil {
		r.NoteID = *c.AnnotationID
	}
	if c.CallID != nil {
		r.CallID = *c.CallID
	}
	return r
}

// SaveClip cuts an annotation's range into a clip.
func (b *StoreBackend) SaveClip(ctx context.Context, noteID int64) (ClipRow, error) {
	c, err := b.L.SaveClip(ctx, noteID)
	if err != nil {
		return ClipRow{}, err
	}
	return b.clipOf(*c), nil
}

// Clips lists clips by tag and rep ("" for any).
func (b *StoreBackend) Clips(ctx context.Context, tag, rep string) ([]ClipRow, error) {
	cs, err := b.L.Clips(ctx, store.ClipFilter{Tag: tag, Rep: rep})
	if err != nil {
		return nil, err
	}
	out := make([]ClipRow, len(cs))
	for i, c := range cs {
		out[i] = b.clipOf(c)
	}
	return out, nil
}
