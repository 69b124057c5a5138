package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Annotation marks a range of a call, or a point (End == Start), with an
// optional tag, a note and its author.
type Annotation struct {
	ID     int64
	CallID int64
	Start  time.Duration // from the start of the call
	End    time.Duration // == Start for a point
	// Tag names one of Tags; "" for none. AddAnnotation and
	// UpdateAnnotation add a tag they do not know yet.
	Tag     string
	Note    string
	Author  string
	Created time.Time
	Edited  time.Time
}

// IsPoint says whether a marks a moment rather than a range.
func (a *Annotation) IsPoint() bool { return a.End == a.Start }

// checkAnnotation validates a against its call (read in tx) and returns
// the tag id to store.
func (l *Library) checkAnnotation(ctx context.Context, tx *sql.Tx, a *Annotation) (sql.NullInt64, error) {
	var none sql.NullInt64
	if a.Start < 0 {
		return none, invalidf("an annotation cannot start before the call (%s)", secs(a.Start))
	}
	if a.End < a.Start {
		return none, invalidf("the annotation ends (%s) before it starts (%s)", secs(a.End), secs(a.Start))
	}
	var dur int64
	var status string
	err := tx.QueryRowContext(ctx, `SELECT duration_ns, status FROM calls WHERE id = ?`, a.CallID).Scan(&dur, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return none, notFound("call", a.CallID)
	}
	if err != nil {
		return none, fmt.Errorf("reading call %d: %w", a.CallID, err)
	}
	// A call still recording has no final length yet: marks made live are
	// checked against it once it is finished, by the app.
	if status != StatusRecording && a.End > time.Duration(dur) {
		return none, invalidf("the annotation (%s to %s) runs past the end of call %d (%s long)",
			secs(a.Start), secs(a.End), a.CallID, secs(time.Duration(dur)))
	}
	if a.Tag == "" {
		return none, nil
	}
	name := strings.TrimSpace(a.Tag)
	if name == "" {
		return none, invalidf("a tag cannot be blank")
	}
	a.Tag = name
	return l.tagID(ctx, tx, name)
}

// secs formats d as seconds for messages: "12.5 s".
func secs(d time.Duration) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.3f", d.Seconds()), "0"), ".") + " s"
}

// AddAnnotation adds a to its call and sets a.ID, a.Created and a.Edited.
func (l *Library) AddAnnotation(ctx context.Context, a *Annotation) error {
	now := l.now()
	return l.tx(ctx, func(tx *sql.Tx) error { return l.insertAnnotation(ctx, tx, a, now) })
}

// AddAnnotations adds several annotations (each to its CallID) in one
// transaction: all of them, or — when one does not fit its call — none,
// with that one's error. It sets each one's ID, Created and Edited.
func (l *Library) AddAnnotations(ctx context.Context, as []Annotation) error {
	now := l.now()
	return l.tx(ctx, func(tx *sql.Tx) error {
		for i := range as {
			if err := l.insertAnnotation(ctx, tx, &as[i], now); err != nil {
				return err
			}
		}
		return nil
	})
}

func (l *Library) insertAnnotation(ctx context.Context, tx *sql.Tx, a *Annotation, now time.Time) error {
	tag, err := l.checkAnnotation(ctx, tx, a)
	if err != nil {
		return err
	}
	a.Note = strings.TrimSpace(a.Note)
	a.Author = strings.TrimSpace(a.Author)
	res, err := tx.ExecContext(ctx, `INSERT INTO annotations (call_id, start_ns, end_ns, tag_id, note, author, created_ms, edited_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a.CallID, int64(a.Start), int64(a.End), tag, a.Note, a.Author, ms(now), ms(now))
	if err != nil {
		return fmt.Errorf("adding the annotation: %w", err)
	}
	if a.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	a.Created, a.Edited = now, now
	return nil
}

// UpdateAnnotation saves a's range, tag, note and author (a.ID names it; its
// call cannot change) and sets a.Edited.
func (l *Library) UpdateAnnotation(ctx context.Context, a *Annotation) error {
	now := l.now()
	return l.tx(ctx, func(tx *sql.Tx) error {
		var callID, created int64
		err := tx.QueryRowContext(ctx, `SELECT call_id, created_ms FROM annotations WHERE id = ?`, a.ID).Scan(&callID, &created)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("annotation", a.ID)
		}
		if err != nil {
			return fmt.Errorf("reading annotation %d: %w", a.ID, err)
		}
		a.CallID = callID
		tag, err := l.checkAnnotation(ctx, tx, a)
		if err != nil {
			return err
		}
		a.Note = strings.TrimSpace(a.Note)
		a.Author = strings.TrimSpace(a.Author)
		_, err = tx.ExecContext(ctx, `UPDATE annotations SET start_ns = ?, end_ns = ?, tag_id = ?, note = ?, author = ?, edited_ms = ?
			WHERE id = ?`, int64(a.Start), int64(a.End), tag, a.Note, a.Author, ms(now), a.ID)
		if err != nil {
			return fmt.Errorf("updating annotation %d: %w", a.ID, err)
		}
		a.Created, a.Edited = fromMS(created), now
		return nil
	})
}

// DeleteAnnotation deletes an annotation; clips cut from it stay.
func (l *Library) DeleteAnnotation(ctx context.Context, id int64) error {
	return l.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM annotations WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("deleting annotation %d: %w", id, err)
		}
		return mustAffect(res, notFound("annotation", id))
	})
}

const annotationCols = `a.id, a.call_id, a.start_ns, a.end_ns, coalesce(t.name, ''), a.note, a.author, a.created_ms, a.edited_ms
	FROM annotations a LEFT JOIN tags t ON t.id = a.tag_id`

type scanner interface{ Scan(dest ...any) error }

func scanAnnotation(s scanner) (Annotation, error) {
	var a Annotation
	var start, end, created, edited int64
	err := s.Scan(&a.ID, &a.CallID, &start, &end, &a.Tag, &a.Note, &a.Author, &created, &edited)
	a.Start, a.End = time.Duration(start), time.Duration(end)
	a.Created, a.Edited = fromMS(created), fromMS(edited)
	return a, err
}

// Annotation returns one annotation.
func (l *Library) Annotation(ctx context.Context, id int64) (*Annotation, error) {
	a, err := scanAnnotation(l.db.QueryRowContext(ctx, `SELECT `+annotationCols+` WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("annotation", id)
	}
	if err != nil {
		return nil, fmt.Errorf("reading annotation %d: %w", id, err)
	}
	return &a, nil
}

// Annotations returns a call's annotations in time order.
func (l *Library) Annotations(ctx context.Context, callID int64) ([]Annotation, error) {
	var one int
	err := l.db.QueryRowContext(ctx, `SELECT 1 FROM calls WHERE id = ?`, callID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("call", callID)
	}
	if err != nil {
		return nil, fmt.Errorf("reading call %d: %w", callID, err)
	}
	rows, err := l.db.QueryContext(ctx, `SELECT `+annotationCols+` WHERE a.call_id = ? ORDER BY a.start_ns, a.id`, callID)
	if err != nil {
		return nil, fmt.Errorf("reading call %d's annotations: %w", callID, err)
	}
	defer rows.Close()
	var out []Annotation
	for rows.Next() {
		a, err := scanAnnotation(rows)
		if err != nil {
			return nil, fmt.Errorf("reading call %d's annotations: %w", callID, err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
