package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"callcoach/audio"
)

// Clip is an annotation's range cut out of its call as a WAV of its own
// (both channels, the samples exactly as in the call's file). It keeps its
// own copy of the text it shows, and survives its annotation and its call
// being deleted (AnnotationID and CallID then become nil): the training
// set a coach builds.
type Clip struct {
	ID           int64
	AnnotationID *int64
	CallID       *int64
	// Path is relative to the library; Library.Abs makes it absolute.
	Path       string
	Start, End time.Duration // the range in the call
	Tag        string
	Note       string
	Rep        string
	CallTitle  string
	Created    time.Time
}

// Len is the clip's length.
func (c *Clip) Len() time.Duration { return c.End - c.Start }

// ClipFilter selects clips; zero fields do not filter.
type ClipFilter struct {
	Tag string // exact, case-insensitive
	Rep string // exact, case-insensitive
	// Limit caps the rows returned (0: all); Offset skips rows first.
	Limit, Offset int
}

// SaveClip cuts annotation annotationID's range out of its call's audio
// (audio.Cut) into the library and stores the clip. A point annotation has
// no range to cut. Saving the same annotation again returns the clip
// already made, unless the annotation's range has changed since.
func (l *Library) SaveClip(ctx context.Context, annotationID int64) (*Clip, error) {
	var c Clip
	var start, end int64
	var audioPath, status string
	var callID int64
	err := l.db.QueryRowContext(ctx, `SELECT a.start_ns, a.end_ns, coalesce(t.name, ''), a.note, a.call_id,
			c.audio_path, c.status, c.title, coalesce(r.name, '')
		FROM annotations a JOIN calls c ON c.id = a.call_id
		LEFT JOIN tags t ON t.id = a.tag_id LEFT JOIN reps r ON r.id = c.rep_id
		WHERE a.id = ?`, annotationID).Scan(&start, &end, &c.Tag, &c.Note, &callID,
		&audioPath, &status, &c.CallTitle, &c.Rep)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("annotation", annotationID)
	}
	if err != nil {
		return nil, fmt.Errorf("reading annotation %d: %w", annotationID, err)
	}
	c.Start, c.End = time.Duration(start), time.Duration(end)
	if c.End <= c.Start {
		return nil, invalidf("annotation %d marks a moment (%s), not a range: give it an end to clip it", annotationID, secs(c.Start))
	}
	if status == StatusRecording {
		return nil, invalidf("call %d is still recording: clip it once it is finished", callID)
	}
	// Clipping the same range twice gives the clip already made.
	var existing int64
	err = l.db.QueryRowContext(ctx, `SELECT id FROM clips WHERE annotation_id = ? AND start_ns = ? AND end_ns = ?`,
		annotationID, start, end).Scan(&existing)
	if err == nil {
		return l.Clip(ctx, existing)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("reading the clips of annotation %d: %w", annotationID, err)
	}

	p, err := l.newPending(ClipsDir)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			p.abort()
		}
	}()
	if err := p.cut(l.Abs(audioPath), c.Start, c.End); err != nil {
		return nil, err
	}
	c.Created = l.now()
	err = l.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO clips (annotation_id, call_id, path, start_ns, end_ns, tag, note, rep, call_title, created_ms)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, annotationID, callID, p.Rel, start, end, c.Tag, c.Note, c.Rep, c.CallTitle, ms(c.Created))
		if err != nil {
			return fmt.Errorf("adding the clip: %w", err)
		}
		c.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return nil, err
	}
	ok = true
	if err := p.commit(); err != nil {
		l.db.ExecContext(ctx, `DELETE FROM clips WHERE id = ?`, c.ID)
		os.Remove(p.Partial)
		return nil, err
	}
	c.AnnotationID, c.CallID, c.Path = &annotationID, &callID, p.Rel
	return &c, nil
}

// cut fills the partial file with src's audio from start to end. audio.Cut
// writes a new file, so it cuts into a private temp folder and the result is
// copied into the (locked) partial file.
func (p *pending) cut(src string, start, end time.Duration) error {
	tmp, err := os.MkdirTemp("", "callcoach-clip-")
	if err != nil {
		return fmt.Errorf("cutting the clip: %w", err)
	}
	defer os.RemoveAll(tmp)
	cut := filepath.Join(tmp, "clip.wav")
	if err := audio.Cut(src, start, end, cut); err != nil {
		return err
	}
	in, err := os.Open(cut)
	if err != nil {
		return fmt.Errorf("cutting the clip: %w", err)
	}
	defer in.Close()
	if _, err := io.Copy(p.f, in); err != nil {
		return fmt.Errorf("saving the clip: %w", err)
	}
	if err := p.f.Sync(); err != nil {
		return fmt.Errorf("saving the clip: %w", err)
	}
	return nil
}

const clipCols = `id, annotation_id, call_id, path, start_ns, end_ns, tag, note, rep, call_title, created_ms FROM clips`

func scanClip(s scanner) (Clip, error) {
	var c Clip
	var ann, call sql.NullInt64
	var start, end, created int64
	err := s.Scan(&c.ID, &ann, &call, &c.Path, &start, &end, &c.Tag, &c.Note, &c.Rep, &c.CallTitle, &created)
	if ann.Valid {
		c.AnnotationID = &ann.Int64
	}
	if call.Valid {
		c.CallID = &call.Int64
	}
	c.Start, c.End, c.Created = time.Duration(start), time.Duration(end), fromMS(created)
	return c, err
}

// Clip returns one clip.
func (l *Library) Clip(ctx context.Context, id int64) (*Clip, error) {
	c, err := scanClip(l.db.QueryRowContext(ctx, `SELECT `+clipCols+` WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("clip", id)
	}
	if err != nil {
		return nil, fmt.Errorf("reading clip %d: %w", id, err)
	}
	return &c, nil
}

// Clips lists the clips f selects, newest first.
func (l *Library) Clips(ctx context.Context, f ClipFilter) ([]Clip, error) {
	var conds []string
	var args []any
	if t := strings.TrimSpace(f.Tag); t != "" {
		conds = append(conds, "tag = ? COLLATE NOCASE")
		args = append(args, t)
	}
	if r := strings.TrimSpace(f.Rep); r != "" {
		conds = append(conds, "rep = ? COLLATE NOCASE")
		args = append(args, r)
	}
	q := `SELECT ` + clipCols
	if len(conds) > 0 {
		q += ` WHERE ` + strings.Join(conds, " AND ")
	}
	q += ` ORDER BY created_ms DESC, id DESC`
	if f.Limit > 0 || f.Offset > 0 {
		limit := f.Limit
		if limit <= 0 {
			limit = -1
		}
		q += ` LIMIT ? OFFSET ?`
		args = append(args, limit, f.Offset)
	}
	rows, err := l.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("listing clips: %w", err)
	}
	defer rows.Close()
	var out []Clip
	for rows.Next() {
		c, err := scanClip(rows)
		if err != nil {
			return nil, fmt.Errorf("listing clips: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// DeleteClip deletes a clip and its audio.
func (l *Library) DeleteClip(ctx context.Context, id int64) error {
	var path string
	err := l.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `DELETE FROM clips WHERE id = ? RETURNING path`, id).Scan(&path)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("clip", id)
		}
		if err != nil {
			return fmt.Errorf("deleting clip %d: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	l.removeFile(path)
	return nil
}
