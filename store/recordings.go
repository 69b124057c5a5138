package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"callcoach/analysis"
)

// RecordingStart describes a recording about to begin.
type RecordingStart struct {
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

// recordingSuffix names the lock file that marks a recording in progress:
// calls/NAME.wav.recording, locked by the process recording NAME.wav for as
// long as it records. Its kernel lock dies with the process, so
// UnfinishedRecordings can tell a recording in progress (in this process
// or another) from one a crash cut short.
const recordingSuffix = ".recording"

// BeginRecording adds a call with status StatusRecording and no analysis,
// and reserves its audio file: the recorder writes the WAV to
// l.Abs(call.AudioPath) (the file does not exist yet). FinishRecording
// completes it. Until then the recording counts as in progress for every
// Library and process that opens the library, unless this process dies or
// closes l; then UnfinishedRecordings reports it, for the app to repair the
// file (audio.Repair) and finish it as StatusRecovered.
func (l *Library) BeginRecording(ctx context.Context, s RecordingStart) (*Call, error) {
	p, err := l.newPending(CallsDir)
	if err != nil {
		return nil, err
	}
	// Only the name is wanted: the recorder creates the final file itself
	// after the row exists.
	p.abort()
	lockPath := p.Final + recordingSuffix
	lock, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot write into the library %s: %w", l.dir, err)
	}
	if err := lockFile(lock); err != nil {
		lock.Close()
		os.Remove(lockPath)
		return nil, fmt.Errorf("locking %s: %w", lockPath, err)
	}
	var id int64
	err = l.tx(ctx, func(tx *sql.Tx) error {
		id, err = l.insertCall(ctx, tx, newCall{Title: s.Title, Rep: s.Rep, Customer: s.Customer,
			RecordedAt: s.RecordedAt, AudioPath: p.Rel, Channels: s.channels(),
			Source: SourceRecorded, Status: StatusRecording})
		return err
	})
	if err != nil {
		lock.Close()
		os.Remove(lockPath)
		return nil, err
	}
	l.liveMu.Lock()
	l.live[id] = lock
	l.liveMu.Unlock()
	return l.Call(ctx, id)
}

// endRecording drops the in-progress mark of call id (audio at rel): the
// lock this Library holds, or a stale lock file whose holder is gone.
func (l *Library) endRecording(id int64, rel string) {
	path := l.Abs(rel) + recordingSuffix
	l.liveMu.Lock()
	f, mine := l.live[id]
	delete(l.live, id)
	l.liveMu.Unlock()
	if mine {
		os.Remove(path)
		f.Close()
		return
	}
	if !recordingInProgress(path) {
		os.Remove(path)
	}
}

// recordingInProgress says whether the lock file at path is held (by any
// Library in any process).
func recordingInProgress(path string) bool {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return false // no lock file: nobody is recording
	}
	defer f.Close()
	return lockFile(f) != nil
}

// FinishRecording stores the analysis of a call begun with BeginRecording
// and sets its status to StatusComplete or StatusRecovered.
func (l *Library) FinishRecording(ctx context.Context, id int64, r *analysis.Result, status string) error {
	if status != StatusComplete && status != StatusRecovered {
		return invalidf("a finished recording is %q or %q, not %q", StatusComplete, StatusRecovered, status)
	}
	var rel string
	if err := l.db.QueryRowContext(ctx, `SELECT audio_path FROM calls WHERE id = ?`, id).Scan(&rel); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("call", id)
		}
		return fmt.Errorf("reading call %d: %w", id, err)
	}
	if err := l.setResult(ctx, id, r, status); err != nil {
		return err
	}
	l.endRecording(id, rel)
	return nil
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

// UnfinishedRecordings returns the calls still marked StatusRecording,
// except those another Library value or process is recording right now: what
// a crash cut short, for the app to repair and finish on its next start
// without touching a recording the command line (or a second app window) is
// making. Recordings l itself began and has not finished are included: l's
// caller knows them. (Without advisory locks, on Windows, every call marked
// StatusRecording is returned.)
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
		l.liveMu.Lock()
		_, mine := l.live[id]
		l.liveMu.Unlock()
		if !mine && recordingInProgress(l.Abs(c.AudioPath)+recordingSuffix) {
			continue
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
