package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"callcoach/analysis"
)

// RecordingStart describes a recording about to begin.
type RecordingStart struct {
	// AudioPath is where the recording will be, relative to the library:
	// a name from NewCallPath.
	AudioPath            string
	Title, Rep, Customer string
	RecordedAt           time.Time // zero: now
	// Channels says which channel carries whom; zero means left = rep,
	// right = customer, the recorder's layout.
	Channels analysis.Channels
}

func (s *RecordingStart) channels() analysis.Channels {
	if s.Channels == (analysis.Channels{}) {
		return analysis.Channels{Rep: "left", Customer: "right"}
	}
	return s.Channels
}

// NewCallPath returns a fresh name for a call's audio in the calls folder,
// relative to the library, for a recording about to begin (nothing is
// created).
func (l *Library) NewCallPath() (string, error) {
	p, err := l.newPending(CallsDir)
	if err != nil {
		return "", err
	}
	p.abort()
	return p.Rel, nil
}

// BeginRecording adds a call with status StatusRecording and no analysis,
// whose audio the recorder writes to l.Abs(s.AudioPath) once the row
// exists. FinishRecording completes it. The store keeps the row; whether
// the recording is still in progress or was cut short by a crash is told
// by the recording's own in-progress mark (audio/record.Mark, made before
// BeginRecording and removed after FinishRecording by callflow), which
// UnfinishedRecordings' caller checks.
func (l *Library) BeginRecording(ctx context.Context, s RecordingStart) (*Call, error) {
	rel := path.Clean(filepath.ToSlash(s.AudioPath))
	if s.AudioPath == "" || path.Dir(rel) != CallsDir || !strings.HasSuffix(rel, ".wav") {
		return nil, invalidf("a recording's audio goes into the library's %s folder (NewCallPath), not %q", CallsDir, s.AudioPath)
	}
	var id int64
	err := l.tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = l.insertCall(ctx, tx, newCall{Title: s.Title, Rep: s.Rep, Customer: s.Customer,
			RecordedAt: s.RecordedAt, AudioPath: rel, Channels: s.channels(),
			Source: SourceRecorded, Status: StatusRecording})
		return err
	})
	if err != nil {
		return nil, err
	}
	return l.Call(ctx, id)
}

// FinishRecording stores the analysis of a call begun with BeginRecording
// and sets its status to StatusComplete or StatusRecovered.
func (l *Library) FinishRecording(ctx context.Context, id int64, r *analysis.Result, status string) error {
	if status != StatusComplete && status != StatusRecovered {
		return invalidf("a finished recording is %q or %q, not %q", StatusComplete, StatusRecovered, status)
	}
	return l.setResult(ctx, id, r, status)
}

// SetResult replaces a finished call's analysis (after re-analysing it with
// new settings or a new channel map, say). The call's channel map becomes
// r.Channels, unless that is empty.
func (l *Library) SetResult(ctx context.Context, id int64, r *analysis.Result) error {
	return l.setResult(ctx, id, r, "")
}

func (l *Library) setResult(ctx context.Context, id int64, r *analysis.Result, status string) error {
	if r == nil {
		return invalidf("no analysis given for call %d", id)
	}
	s, err := summarize(r)
	if err != nil {
		return err
	}
	return l.tx(ctx, func(tx *sql.Tx) error {
		var cur string
		err := tx.QueryRowContext(ctx, `SELECT status FROM calls WHERE id = ?`, id).Scan(&cur)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("call", id)
		}
		if err != nil {
			return fmt.Errorf("reading call %d: %w", id, err)
		}
		if status == "" {
			if cur == StatusRecording {
				return invalidf("call %d is still recording", id)
			}
			status = cur
		}
		_, err = tx.ExecContext(ctx, `UPDATE calls SET status = ?, duration_ns = ?, rep_talk_share = ?,
			rep_interruptions = ?, verdict = ?, score = ?, channels = coalesce(?, channels) WHERE id = ?`,
			status, int64(s.duration), s.talkShare, s.interruptions, s.verdict, s.score, s.channels, id)
		if err == nil && l.parties {
			_, err = tx.ExecContext(ctx, `UPDATE calls SET parties = ? WHERE id = ?`, s.parties, id)
		}
		if err == nil && l.warnings {
			_, err = tx.ExecContext(ctx, `UPDATE calls SET warnings = ? WHERE id = ?`, s.warnings, id)
		}
		if err == nil {
			_, err = tx.ExecContext(ctx, `INSERT INTO call_results (call_id, result) VALUES (?, ?)
				ON CONFLICT (call_id) DO UPDATE SET result = excluded.result`, id, s.json)
		}
		if err != nil {
			return fmt.Errorf("saving call %d's analysis: %w", id, err)
		}
		return setScriptReuse(ctx, tx, id, r.Script)
	})
}

// UnfinishedRecordings returns the calls whose status is still
// StatusRecording: recordings in progress (in this process or another) and
// those a crash cut short. Tell them apart by their in-progress mark
// (audio/record.InProgress of l.Abs(AudioPath)); callflow.Recover does.
func (l *Library) UnfinishedRecordings(ctx context.Context) ([]Call, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT id FROM calls WHERE status = 'recording' ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("finding unfinished recordings: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("finding unfinished recordings: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("finding unfinished recordings: %w", err)
	}
	var out []Call
	for _, id := range ids {
		c, err := l.Call(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, nil
}

// RecordingRequest adds a finished recording made outside the library.
type RecordingRequest struct {
	// Path is the WAV; AddRecording moves it into the library (renames it
	// when on the same file system, else copies it and removes the
	// original once saved).
	Path                 string
	Title, Rep, Customer string
	RecordedAt           time.Time // zero: now
	Channels             analysis.Channels
	Result               *analysis.Result
	Status               string // StatusComplete (default) or StatusRecovered
}

// AddRecording moves a recorded WAV and its analysis into the library as a
// new call.
func (l *Library) AddRecording(ctx context.Context, req RecordingRequest) (*Call, error) {
	if req.Result == nil {
		return nil, invalidf("no analysis given for the recording %s", req.Path)
	}
	if req.Status == "" {
		req.Status = StatusComplete
	}
	if req.Status != StatusComplete && req.Status != StatusRecovered {
		return nil, invalidf("a recording is %q or %q, not %q", StatusComplete, StatusRecovered, req.Status)
	}
	if _, err := os.Stat(req.Path); err != nil {
		return nil, fmt.Errorf("cannot read the recording %s: %w", req.Path, err)
	}
	p, err := l.newPending(CallsDir)
	if err != nil {
		return nil, err
	}
	moved, err := p.take(req.Path)
	if err != nil {
		p.abort()
		return nil, err
	}
	start := RecordingStart{Channels: req.Channels}
	var id int64
	err = l.tx(ctx, func(tx *sql.Tx) error {
		id, err = l.insertCall(ctx, tx, newCall{Title: req.Title, Rep: req.Rep, Customer: req.Customer,
			RecordedAt: req.RecordedAt, AudioPath: p.Rel, Channels: start.channels(),
			Source: SourceRecorded, Status: req.Status, Result: req.Result})
		return err
	})
	if err != nil {
		if moved {
			os.Rename(p.Partial, req.Path) // give the file back
		}
		p.abort()
		return nil, err
	}
	if err := l.commitFile(ctx, p, id); err != nil {
		return nil, err
	}
	if !moved {
		os.Remove(req.Path)
	}
	return l.Call(ctx, id)
}

// take fills the partial file with src: a rename when src is on the same
// file system (moved = true), else a copy.
func (p *pending) take(src string) (moved bool, err error) {
	now := time.Now()
	os.Chtimes(src, now, now) // fresh, so Open's sweep leaves it alone until locked
	if os.Rename(src, p.Partial) == nil {
		f, err := os.OpenFile(p.Partial, os.O_RDWR, 0)
		if err == nil {
			if err = lockFile(f); err == nil {
				os.Chmod(p.Partial, 0o600)
				p.f.Close()
				p.f = f
				return true, nil
			}
			f.Close()
		}
		os.Rename(p.Partial, src)
		return false, fmt.Errorf("moving %s into the library: %w", src, err)
	}
	in, err := os.Open(src)
	if err != nil {
		return false, fmt.Errorf("cannot read %s: %w", src, err)
	}
	defer in.Close()
	if _, err := io.Copy(p.f, in); err != nil {
		return false, fmt.Errorf("copying %s into the library: %w", src, err)
	}
	if err := p.f.Sync(); err != nil {
		return false, fmt.Errorf("copying %s into the library: %w", src, err)
	}
	return false, nil
}

// commitFile moves a pending file into place after its call's row was
// committed; if that fails the call is deleted again, so no call is left
// without its audio.
func (l *Library) commitFile(ctx context.Context, p *pending, id int64) error {
	if err := p.commit(); err != nil {
		l.db.ExecContext(ctx, `DELETE FROM calls WHERE id = ?`, id)
		os.Remove(p.Partial)
		return err
	}
	return nil
}
