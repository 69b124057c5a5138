package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Nothing a user wrote depends on the database alone. Beside each call's
// audio the store keeps its rows as JSON (calls/NAME.json: the call, its
// analysis, its annotations and any per-call part), beside each clip's
// audio the clip's row (clips/NAME.json), and in DIR/library.json the tags,
// reps and settings. Repair rebuilds the database from these files, the
// audio and whatever SQLite can still read.
//
// How the files follow the database: triggers (004_sidecars.sql) mark,
// inside every writing transaction, each call or clip whose file is out of
// date (sidecar_dirty). After the commit, flushSidecars rewrites the files
// marked (temp file, fsync, rename; 0600) and clears the marks, in one
// BEGIN IMMEDIATE transaction, so flushes from several processes never
// interleave. A crash between the commit and the flush leaves the marks,
// and the next write or Open finishes them. The store's write paths need no
// hook of their own: tx flushes after each commit.

// LibraryFile is the library-wide sidecar: tags, reps, settings and the
// change count its files have reached.
const LibraryFile = "library.json"

// sidecarSuffix replaces ".wav" in a sidecar's name.
const sidecarSuffix = ".json"

// Sidecar formats, in each file's "format"; version 1 is the first.
const (
	callFormat    = "callcoach call"
	clipFormat    = "callcoach clip"
	libraryFormat = "callcoach library"
	sidecarV1     = 1
)

// flushBatch caps the files one flush transaction writes (the first open of
// a library from before sidecars writes them all).
const flushBatch = 200

// callFile is a call's sidecar. Times and lengths are kept as the database
// keeps them (unix ms, ns), so a rebuilt row is the row that was.
type callFile struct {
	Format      string           `json:"format"`
	Version     int              `json:"version"`
	Changes     int64            `json:"changes"` // library_state.changes when written
	Call        callRow          `json:"call"`
	Result      json.RawMessage  `json:"result,omitempty"` // the analysis.Result as stored
	Annotations []annotationRow  `json:"annotations"`
	Parts       map[string]jsonV `json:"parts,omitempty"` // see sidecarParts
}

// jsonV is a raw JSON value.
type jsonV = json.RawMessage

type callRow struct {
	ID               int64           `json:"id"`
	Title            string          `json:"title"`
	Rep              string          `json:"rep"`
	Customer         string          `json:"customer"`
	RecordedMS       int64           `json:"recorded_ms"`
	DurationNS       int64           `json:"duration_ns"`
	AudioPath        string          `json:"audio_path"`
	Channels         json.RawMessage `json:"channels"`
	Source           string          `json:"source"`
	Status           string          `json:"status"`
	Hash             string          `json:"hash"`
	RepTalkShare     float64         `json:"rep_talk_share"`
	RepInterruptions int64           `json:"rep_interruptions"`
	Verdict          string          `json:"verdict"`
	Score            int64           `json:"score"`
	TrashedMS        *int64          `json:"trashed_ms,omitempty"`
	CreatedMS        int64           `json:"created_ms"`
}

type annotationRow struct {
	ID        int64  `json:"id"`
	CallID    int64  `json:"call_id"`
	StartNS   int64  `json:"start_ns"`
	EndNS     int64  `json:"end_ns"`
	Tag       string `json:"tag"`
	Note      string `json:"note"`
	Author    string `json:"author"`
	CreatedMS int64  `json:"created_ms"`
	EditedMS  int64  `json:"edited_ms"`
}

// clipFile is a clip's sidecar.
type clipFile struct {
	Format  string  `json:"format"`
	Version int     `json:"version"`
	Changes int64   `json:"changes"`
	Clip    clipRow `json:"clip"`
}

type clipRow struct {
	ID           int64  `json:"id"`
	AnnotationID *int64 `json:"annotation_id"`
	CallID       *int64 `json:"call_id"`
	Path         string `json:"path"`
	StartNS      int64  `json:"start_ns"`
	EndNS        int64  `json:"end_ns"`
	Tag          string `json:"tag"`
	Note         string `json:"note"`
	Rep          string `json:"rep"`
	CallTitle    string `json:"call_title"`
	CreatedMS    int64  `json:"created_ms"`
}

// libraryFile is DIR/library.json.
type libraryFile struct {
	Format   string       `json:"format"`
	Version  int          `json:"version"`
	Changes  int64        `json:"changes"`
	Tags     []nameRow    `json:"tags"`
	Reps     []nameRow    `json:"reps"`
	Settings []settingRow `json:"settings"`
}

type nameRow struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	CreatedMS int64  `json:"created_ms"`
}

type settingRow struct {
	Key       string          `json:"key"`
	Value     json.RawMessage `json:"value"`
	UpdatedMS int64           `json:"updated_ms"`
}

// querier is what reading a sidecar's rows needs: a *sql.Tx while
// flushing, the damaged *sql.DB while repairing.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// sidecarPart is per-call data kept in a table of its own (beyond the call,
// its analysis and its annotations), carried in the call's sidecar under
// Name so Repair brings it back. A package file adding such a table
// registers a part in an init func and gives the table the three triggers
// of 004_sidecars.sql that mark the call's audio path in sidecar_dirty.
type sidecarPart struct {
	Name string
	// Read returns the call's data as JSON, or nil when it has none.
	Read func(ctx context.Context, q querier, callID int64) (json.RawMessage, error)
	// Restore writes data (from Read) back for the call, ids as they were.
	Restore func(ctx context.Context, tx *sql.Tx, callID int64, data json.RawMessage) error
}

// sidecarParts are the registered parts, in registration order.
var sidecarParts []sidecarPart

// sidecarPath returns the sidecar of the audio at rel (library-relative):
// calls/NAME.wav → calls/NAME.json; "" names library.json.
func (l *Library) sidecarPath(rel string) string {
	if rel == "" {
		return filepath.Join(l.dir, LibraryFile)
	}
	return l.Abs(strings.TrimSuffix(rel, ".wav") + sidecarSuffix)
}

// flushSidecars rewrites the sidecars marked out of date and clears their
// marks. A failure leaves the marks for the next flush; the database
// already holds the change.
func (l *Library) flushSidecars(ctx context.Context) error {
	for {
		n, err := l.flushBatch(ctx)
		if err != nil || n < flushBatch {
			return err
		}
	}
}

// flushBatch writes up to flushBatch marked sidecars and returns how many
// marks it found.
func (l *Library) flushBatch(ctx context.Context) (int, error) {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("saving the library's files: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT path FROM sidecar_dirty ORDER BY path LIMIT ?`, flushBatch)
	if err != nil {
		return 0, fmt.Errorf("saving the library's files: %w", err)
	}
	var paths []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return 0, fmt.Errorf("saving the library's files: %w", err)
		}
		paths = append(paths, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("saving the library's files: %w", err)
	}
	if len(paths) == 0 {
		return 0, nil
	}
	var changes int64
	if err := tx.QueryRowContext(ctx, `SELECT changes FROM library_state`).Scan(&changes); err != nil {
		return 0, fmt.Errorf("saving the library's files: %w", err)
	}
	dirs := make(map[string]bool)
	for _, p := range paths {
		if p == "" {
			continue // library.json is written last, below
		}
		doc, err := l.readSidecar(ctx, tx, p, changes)
		if err != nil {
			return 0, err
		}
		dst := l.sidecarPath(p)
		if doc == nil { // its call or clip is gone
			if err := os.Remove(dst); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return 0, fmt.Errorf("removing %s: %w", dst, err)
			}
		} else if err := writeFileAtomic(dst, doc); err != nil {
			return 0, err
		}
		dirs[filepath.Dir(dst)] = true
	}
	for d := range dirs {
		syncDir(d)
	}
	// library.json last, with the change count: it says every file above
	// is written up to this count.
	lib, err := readLibraryFile(ctx, tx, changes)
	if err != nil {
		return 0, err
	}
	if err := writeFileAtomic(filepath.Join(l.dir, LibraryFile), lib); err != nil {
		return 0, err
	}
	syncDir(l.dir)
	for _, p := range paths {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sidecar_dirty WHERE path = ?`, p); err != nil {
			return 0, fmt.Errorf("saving the library's files: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("saving the library's files: %w", err)
	}
	return len(paths), nil
}

// readSidecar builds the sidecar of the call or clip whose audio is rel,
// or returns nil when neither exists.
func (l *Library) readSidecar(ctx context.Context, q querier, rel string, changes int64) ([]byte, error) {
	if strings.HasPrefix(rel, ClipsDir+"/") {
		c, err := readClipRow(ctx, q, `path = ?`, rel)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading the clip %s: %w", rel, err)
		}
		return json.MarshalIndent(clipFile{Format: clipFormat, Version: sidecarV1, Changes: changes, Clip: c}, "", "\t")
	}
	f, err := readCallFile(ctx, q, rel)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the call %s: %w", rel, err)
	}
	f.Changes = changes
	return json.MarshalIndent(f, "", "\t")
}

const callRowCols = `c.id, c.title, coalesce(r.name, ''), c.customer, c.recorded_ms, c.duration_ns, c.audio_path,
	c.channels, c.source, c.status, c.hash, c.rep_talk_share, c.rep_interruptions, c.verdict, c.score,
	c.trashed_ms, c.created_ms FROM calls c LEFT JOIN reps r ON r.id = c.rep_id`

func scanCallRow(s scanner) (callRow, error) {
	var c callRow
	var ch string
	var trashed sql.NullInt64
	err := s.Scan(&c.ID, &c.Title, &c.Rep, &c.Customer, &c.RecordedMS, &c.DurationNS, &c.AudioPath,
		&ch, &c.Source, &c.Status, &c.Hash, &c.RepTalkShare, &c.RepInterruptions, &c.Verdict, &c.Score,
		&trashed, &c.CreatedMS)
	c.Channels = json.RawMessage(ch)
	if trashed.Valid {
		c.TrashedMS = &trashed.Int64
	}
	return c, err
}

// readCallFile reads the call whose audio is rel with everything its
// sidecar carries (sql.ErrNoRows: no such call).
func readCallFile(ctx context.Context, q querier, rel string) (*callFile, error) {
	c, err := scanCallRow(q.QueryRowContext(ctx, `SELECT `+callRowCols+` WHERE c.audio_path = ?`, rel))
	if err != nil {
		return nil, err
	}
	f := &callFile{Format: callFormat, Version: sidecarV1, Call: c, Annotations: []annotationRow{}}
	var res sql.NullString
	err = q.QueryRowContext(ctx, `SELECT result FROM call_results WHERE call_id = ?`, c.ID).Scan(&res)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if res.Valid {
		f.Result = json.RawMessage(res.String)
	}
	if f.Annotations, err = readAnnotationRows(ctx, q, `a.call_id = ?`, c.ID); err != nil {
		return nil, err
	}
	for _, p := range sidecarParts {
		data, err := p.Read(ctx, q, c.ID)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name, err)
		}
		if data != nil {
			if f.Parts == nil {
				f.Parts = make(map[string]jsonV)
			}
			f.Parts[p.Name] = data
		}
	}
	return f, nil
}

const annotationRowCols = `a.id, a.call_id, a.start_ns, a.end_ns, coalesce(t.name, ''), a.note, a.author, a.created_ms, a.edited_ms
	FROM annotations a LEFT JOIN tags t ON t.id = a.tag_id`

func scanAnnotationRow(s scanner) (annotationRow, error) {
	var a annotationRow
	err := s.Scan(&a.ID, &a.CallID, &a.StartNS, &a.EndNS, &a.Tag, &a.Note, &a.Author, &a.CreatedMS, &a.EditedMS)
	return a, err
}

func readAnnotationRows(ctx context.Context, q querier, where string, args ...any) ([]annotationRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+annotationRowCols+` WHERE `+where+` ORDER BY a.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []annotationRow{}
	for rows.Next() {
		a, err := scanAnnotationRow(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

const clipRowCols = `id, annotation_id, call_id, path, start_ns, end_ns, tag, note, rep, call_title, created_ms FROM clips`

func scanClipRow(s scanner) (clipRow, error) {
	var c clipRow
	var ann, call sql.NullInt64
	err := s.Scan(&c.ID, &ann, &call, &c.Path, &c.StartNS, &c.EndNS, &c.Tag, &c.Note, &c.Rep, &c.CallTitle, &c.CreatedMS)
	if ann.Valid {
		c.AnnotationID = &ann.Int64
	}
	if call.Valid {
		c.CallID = &call.Int64
	}
	return c, err
}

func readClipRow(ctx context.Context, q querier, where string, args ...any) (clipRow, error) {
	return scanClipRow(q.QueryRowContext(ctx, `SELECT `+clipRowCols+` WHERE `+where, args...))
}

// readLibraryFile builds library.json.
func readLibraryFile(ctx context.Context, q querier, changes int64) ([]byte, error) {
	f := libraryFile{Format: libraryFormat, Version: sidecarV1, Changes: changes}
	var err error
	if f.Tags, err = readNameRows(ctx, q, "tags"); err != nil {
		return nil, err
	}
	if f.Reps, err = readNameRows(ctx, q, "reps"); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT key, value, updated_ms FROM settings ORDER BY key`)
	if err != nil {
		return nil, fmt.Errorf("reading the settings: %w", err)
	}
	defer rows.Close()
	f.Settings = []settingRow{}
	for rows.Next() {
		var s settingRow
		var v string
		if err := rows.Scan(&s.Key, &v, &s.UpdatedMS); err != nil {
			return nil, fmt.Errorf("reading the settings: %w", err)
		}
		s.Value = json.RawMessage(v)
		f.Settings = append(f.Settings, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the settings: %w", err)
	}
	return json.MarshalIndent(f, "", "\t")
}

func readNameRows(ctx context.Context, q querier, table string) ([]nameRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, created_ms FROM `+table+` ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("reading the %s: %w", table, err)
	}
	defer rows.Close()
	out := []nameRow{}
	for rows.Next() {
		var r nameRow
		if err := rows.Scan(&r.ID, &r.Name, &r.CreatedMS); err != nil {
			return nil, fmt.Errorf("reading the %s: %w", table, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// writeFileAtomic replaces path with data: a temp file beside it (0600),
// fsynced, renamed over path. A reader sees the old file or the new one,
// never a part.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o600)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}

// libraryChanges reads the change count library.json records (0 when it is
// missing or unreadable: nothing to compare with).
func (l *Library) libraryChanges() int64 {
	b, err := os.ReadFile(filepath.Join(l.dir, LibraryFile))
	if err != nil {
		return 0
	}
	var f struct {
		Changes int64 `json:"changes"`
	}
	if json.Unmarshal(b, &f) != nil {
		return 0
	}
	return f.Changes
}
