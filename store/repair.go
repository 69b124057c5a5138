package store

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"callcoach/analysis"
	"callcoach/audio"
)

// UnrecoveredDir holds what Repair could not make part of the library
// (audio it could not analyse, sidecars it could not read), kept rather
// than deleted.
const UnrecoveredDir = "unrecovered"

// RepairOptions are the things Repair cannot do by itself.
type RepairOptions struct {
	// Analyze analyses a call's audio that nothing else describes (a call
	// of a library from before sidecars whose database row is lost). The
	// store does not analyse audio; nil sets such audio aside in
	// UnrecoveredDir.
	Analyze func(ctx context.Context, path string) (*analysis.Result, error)
}

// RepairReport says what Repair found and did, for the user.
type RepairReport struct {
	Dir string
	// Healthy: nothing needed repairing, and nothing was changed.
	Healthy bool
	// Problems says what was wrong, in words.
	Problems []string
	// DamagedAs is where the old database was put (absolute; "" if there
	// was none). Its -wal and -shm files, if any, sit beside it.
	DamagedAs string
	// What the library holds now.
	Calls, Annotations, Clips int
	// Where the calls came from: the database, their sidecar files (the
	// database had lost or garbled them), their audio alone (analysed again;
	// title, rep and annotations lost).
	FromDatabase, FromSidecars, FromAudio int
	// UnreadableRows counts rows (or runs of rows) SQLite could not read.
	UnreadableRows int
	// Lost says what could not be brought back, in words.
	Lost []string
	// SetAside lists files moved into UnrecoveredDir.
	SetAside []string
	// Rematched counts the calls whose fingerprints and repeated passages
	// were computed again after the rebuild (by callflow.Repair: they come
	// from the audio, and no sidecar keeps them).
	Rematched int
}

// String tells the report in plain words, one line each.
func (r RepairReport) String() string {
	var b strings.Builder
	if r.Healthy {
		fmt.Fprintf(&b, "The library in %s is not damaged: %d calls, %d annotations, %d clips. Nothing was changed.\n",
			r.Dir, r.Calls, r.Annotations, r.Clips)
		return b.String()
	}
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "Found: %s.\n", p)
	}
	fmt.Fprintf(&b, "Rebuilt the library in %s: %d calls, %d annotations, %d clips.\n", r.Dir, r.Calls, r.Annotations, r.Clips)
	fmt.Fprintf(&b, "Calls from the database: %d; from their sidecar files: %d; from their audio alone: %d.\n",
		r.FromDatabase, r.FromSidecars, r.FromAudio)
	if r.UnreadableRows > 0 {
		fmt.Fprintf(&b, "SQLite could not read %d rows or runs of rows; what they held came from the sidecar files where they had it.\n", r.UnreadableRows)
	}
	for _, l := range r.Lost {
		fmt.Fprintf(&b, "Lost: %s.\n", l)
	}
	for _, f := range r.SetAside {
		fmt.Fprintf(&b, "Set aside (not deleted): %s.\n", f)
	}
	if r.Rematched > 0 {
		fmt.Fprintf(&b, "Fingerprinted the rep's speech and matched the repeated passages again across %d calls (they come from the audio; no file keeps them).\n", r.Rematched)
	}
	if r.DamagedAs != "" {
		fmt.Fprintf(&b, "The old database is kept as %s.\n", r.DamagedAs)
	}
	return b.String()
}

// found is what one source (the database or the files) holds.
type found struct {
	calls     map[string]*callFile // by audio path
	clips     map[string]*clipRow  // by clip path
	tags      []nameRow
	reps      []nameRow
	settings  []settingRow
	changes   int64
	dirty     map[string]bool // sidecar_dirty, database only
	annErrors bool            // the annotations table had unreadable rows
	bad       []string        // sidecar files that do not parse
	readable  bool            // anything at all was read
}

func newFound() *found {
	return &found{calls: map[string]*callFile{}, clips: map[string]*clipRow{}, dirty: map[string]bool{}}
}

// Repair rebuilds the library in dir from everything that survives: what
// SQLite can still read of the database, the sidecar files beside each
// call's and clip's audio (see sidecar.go), library.json and the audio
// files themselves. Every call, annotation and clip comes back with the id
// it had wherever its data survives anywhere. The old database is renamed
// (callcoach.db.damaged-TIME), never deleted; files it cannot use are moved
// into UnrecoveredDir. A library that is not damaged is left as it is
// (RepairReport.Healthy), so repairing twice is harmless.
//
// No other process may use the library while it is repaired: close the app
// first.
func Repair(ctx context.Context, dir string, opt RepairOptions) (RepairReport, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return RepairReport{}, fmt.Errorf("library folder %s: %w", dir, err)
	}
	rep := RepairReport{Dir: abs}
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		return rep, fmt.Errorf("there is no library folder %s to repair", abs)
	}
	dbPath := filepath.Join(abs, DBName)
	db, files := newFound(), newFound()
	var integrity []string
	if fi, err := os.Stat(dbPath); err == nil && fi.Size() > 0 {
		// Read a copy: SQLite would write into the file it opens (replaying
		// or checkpointing its WAL), and the damaged file is kept as it is.
		tmp, err := os.MkdirTemp(abs, ".repair-")
		if err != nil {
			return rep, fmt.Errorf("cannot write into the library folder %s: %w", abs, err)
		}
		defer os.RemoveAll(tmp)
		cp := filepath.Join(tmp, DBName)
		if _, err := copyFile(dbPath, cp); err != nil {
			return rep, fmt.Errorf("copying the database to read it: %w", err)
		}
		if _, err := copyFile(dbPath+"-wal", cp+"-wal"); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return rep, fmt.Errorf("copying the database to read it: %w", err)
		}
		integrity = readDatabase(ctx, cp, db, &rep)
	} else if err == nil {
		rep.Problems = append(rep.Problems, "the database file is empty")
	} else {
		rep.Problems = append(rep.Problems, "the database file is missing")
	}
	if len(integrity) > 0 {
		rep.Problems = append(rep.Problems, "SQLite's integrity check says: "+strings.Join(integrity, "; "))
	}
	readFiles(abs, files, &rep)
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	plan := merge(abs, db, files, &rep)
	if len(rep.Problems) == 0 && plan.fromDB == len(plan.calls) && plan.dbClips == len(plan.clips) && len(plan.badSidecars) == 0 &&
		len(plan.audioOnly) == 0 && len(plan.clipAudioOnly) == 0 && len(plan.reanalyse) == 0 {
		rep.Healthy = true
		rep.Calls, rep.Clips = len(plan.calls), len(plan.clips)
		for _, c := range plan.calls {
			rep.Annotations += len(c.Annotations)
		}
		rep.SetAside = nil
		return rep, nil
	}
	if err := plan.analyseAudio(ctx, abs, opt, &rep); err != nil {
		return rep, err
	}
	if err := plan.build(ctx, abs, &rep); err != nil {
		return rep, err
	}
	return rep, nil
}

// readDatabase reads every row it can of the database at path into f and
// returns SQLite's integrity complaints (nil when it says ok).
func readDatabase(ctx context.Context, path string, f *found, rep *RepairReport) []string {
	sdb, err := sql.Open("sqlite3", dsn(path))
	if err != nil {
		return []string{err.Error()}
	}
	defer sdb.Close()
	sdb.SetMaxOpenConns(1)
	// Read past schema entries that no longer parse (a garbled trigger
	// must not hide the tables).
	sdb.ExecContext(ctx, `PRAGMA writable_schema = ON`)
	var problems []string
	rows, err := sdb.QueryContext(ctx, `PRAGMA integrity_check(20)`)
	if err != nil {
		problems = append(problems, sqliteText(err))
	} else {
		for rows.Next() {
			var s string
			if rows.Scan(&s) == nil && s != "ok" && !strings.HasPrefix(s, "*** in database") && len(problems) < 3 {
				problems = append(problems, s)
			}
		}
		if err := rows.Err(); err != nil {
			problems = append(problems, sqliteText(err))
		}
		rows.Close()
	}
	s := &salvage{db: sdb}
	sdb.QueryRowContext(ctx, `SELECT changes FROM library_state`).Scan(&f.changes)
	if dr, err := sdb.QueryContext(ctx, `SELECT path FROM sidecar_dirty`); err == nil {
		for dr.Next() {
			var p string
			if dr.Scan(&p) == nil {
				f.dirty[p] = true
			}
		}
		dr.Close()
	}
	repNames := map[int64]string{}
	s.rows(ctx, "reps", "name, created_ms", func(r *sql.Rows) (int64, error) {
		var n nameRow
		err := r.Scan(&n.ID, &n.Name, &n.CreatedMS)
		if err == nil {
			f.reps = append(f.reps, n)
			repNames[n.ID] = n.Name
		}
		return n.ID, err
	})
	tagNames := map[int64]string{}
	s.rows(ctx, "tags", "name, created_ms", func(r *sql.Rows) (int64, error) {
		var n nameRow
		err := r.Scan(&n.ID, &n.Name, &n.CreatedMS)
		if err == nil {
			f.tags = append(f.tags, n)
			tagNames[n.ID] = n.Name
		}
		return n.ID, err
	})
	s.rows(ctx, "settings", "key, value, updated_ms", func(r *sql.Rows) (int64, error) {
		var id int64
		var st settingRow
		var v string
		err := r.Scan(&id, &st.Key, &v, &st.UpdatedMS)
		if err == nil && json.Valid([]byte(v)) {
			st.Value = json.RawMessage(v)
			f.settings = append(f.settings, st)
		}
		return id, err
	})
	byID := map[int64]*callFile{}
	s.rows(ctx, "calls", `title, rep_id, customer, recorded_ms, duration_ns, audio_path, channels, source, status, hash,
		rep_talk_share, rep_interruptions, verdict, score, trashed_ms, created_ms`, func(r *sql.Rows) (int64, error) {
		var c callRow
		var repID, trashed sql.NullInt64
		var ch string
		err := r.Scan(&c.ID, &c.Title, &repID, &c.Customer, &c.RecordedMS, &c.DurationNS, &c.AudioPath, &ch,
			&c.Source, &c.Status, &c.Hash, &c.RepTalkShare, &c.RepInterruptions, &c.Verdict, &c.Score, &trashed, &c.CreatedMS)
		if err != nil {
			return c.ID, err
		}
		if !validCallRow(&c) || !json.Valid([]byte(ch)) {
			return c.ID, errors.New("garbled row")
		}
		c.Channels = json.RawMessage(ch)
		if trashed.Valid {
			c.TrashedMS = &trashed.Int64
		}
		if repID.Valid {
			c.Rep = repNames[repID.Int64]
		}
		cf := &callFile{Format: callFormat, Version: sidecarV1, Call: c, Annotations: []annotationRow{}}
		f.calls[c.AudioPath] = cf
		byID[c.ID] = cf
		return c.ID, nil
	})
	s.rows(ctx, "call_results", "result", func(r *sql.Rows) (int64, error) {
		var id int64
		var res string
		err := r.Scan(&id, &res)
		if err == nil && json.Valid([]byte(res)) {
			if c := byID[id]; c != nil {
				c.Result = json.RawMessage(res)
			}
		} else if err == nil {
			err = errors.New("garbled analysis")
		}
		return id, err
	})
	before := s.unreadable
	s.rows(ctx, "annotations", "call_id, start_ns, end_ns, tag_id, note, author, created_ms, edited_ms", func(r *sql.Rows) (int64, error) {
		var a annotationRow
		var tag sql.NullInt64
		err := r.Scan(&a.ID, &a.CallID, &a.StartNS, &a.EndNS, &tag, &a.Note, &a.Author, &a.CreatedMS, &a.EditedMS)
		if err != nil {
			return a.ID, err
		}
		if tag.Valid {
			a.Tag = tagNames[tag.Int64]
		}
		c := byID[a.CallID]
		if c == nil || a.StartNS < 0 || a.EndNS < a.StartNS {
			return a.ID, errors.New("garbled annotation")
		}
		c.Annotations = append(c.Annotations, a)
		return a.ID, nil
	})
	f.annErrors = s.unreadable > before
	s.rows(ctx, "clips", "annotation_id, call_id, path, start_ns, end_ns, tag, note, rep, call_title, created_ms", func(r *sql.Rows) (int64, error) {
		var c clipRow
		var ann, call sql.NullInt64
		err := r.Scan(&c.ID, &ann, &call, &c.Path, &c.StartNS, &c.EndNS, &c.Tag, &c.Note, &c.Rep, &c.CallTitle, &c.CreatedMS)
		if err != nil {
			return c.ID, err
		}
		if !validClipRow(&c) {
			return c.ID, errors.New("garbled clip")
		}
		if ann.Valid {
			c.AnnotationID = &ann.Int64
		}
		if call.Valid {
			c.CallID = &call.Int64
		}
		f.clips[c.Path] = &c
		return c.ID, nil
	})
	for _, c := range byID {
		for _, p := range sidecarParts {
			if data, err := p.Read(ctx, sdb, c.Call.ID); err == nil && data != nil {
				if c.Parts == nil {
					c.Parts = map[string]jsonV{}
				}
				c.Parts[p.Name] = data
			} else if err != nil {
				s.unreadable++
			}
		}
	}
	rep.UnreadableRows = s.unreadable
	if s.unreadable > 0 && len(problems) == 0 {
		problems = append(problems, fmt.Sprintf("SQLite could not read %d rows or runs of rows", s.unreadable))
	}
	f.readable = len(byID) > 0 || len(f.tags) > 0
	return problems
}

// validCallRow and validClipRow reject rows whose bytes were garbled into
// something no write path stores.
func validCallRow(c *callRow) bool {
	return c.ID > 0 && isLibraryName(c.AudioPath, CallsDir) && c.DurationNS >= 0 &&
		(c.Source == SourceRecorded || c.Source == SourceImported) &&
		(c.Status == StatusRecording || c.Status == StatusComplete || c.Status == StatusRecovered)
}

func validClipRow(c *clipRow) bool {
	return c.ID > 0 && isLibraryName(c.Path, ClipsDir) && c.StartNS >= 0 && c.EndNS > c.StartNS
}

// isLibraryName says whether rel is a WAV directly in the library's subdir.
func isLibraryName(rel, subdir string) bool {
	dir, name := path.Split(rel)
	return dir == subdir+"/" && strings.HasSuffix(name, ".wav") && !strings.ContainsAny(name, "/\\\x00") && len(name) > 4
}

// readFiles reads the sidecar files into f. Unreadable ones are noted and
// moved aside later (plan.build).
func readFiles(dir string, f *found, rep *RepairReport) {
	if b, err := os.ReadFile(filepath.Join(dir, LibraryFile)); err == nil {
		var lf libraryFile
		if json.Unmarshal(b, &lf) == nil && lf.Format == libraryFormat {
			f.tags, f.reps, f.settings, f.changes = lf.Tags, lf.Reps, lf.Settings, lf.Changes
			f.readable = true
		} else {
			rep.Problems = append(rep.Problems, LibraryFile+" is unreadable")
		}
	}
	for _, sub := range []string{CallsDir, ClipsDir} {
		des, _ := os.ReadDir(filepath.Join(dir, sub))
		for _, de := range des {
			name := de.Name()
			if !de.Type().IsRegular() || strings.HasPrefix(name, ".") || !strings.HasSuffix(name, sidecarSuffix) {
				continue
			}
			rel := sub + "/" + name
			wav := strings.TrimSuffix(rel, sidecarSuffix) + ".wav"
			b, err := os.ReadFile(filepath.Join(dir, sub, name))
			if err != nil {
				continue
			}
			ok := false
			if sub == CallsDir {
				var cf callFile
				if json.Unmarshal(b, &cf) == nil && cf.Format == callFormat && cf.Call.AudioPath == wav && validCallRow(&cf.Call) {
					if cf.Annotations == nil {
						cf.Annotations = []annotationRow{}
					}
					f.calls[wav] = &cf
					ok = true
				}
			} else {
				var cf clipFile
				if json.Unmarshal(b, &cf) == nil && cf.Format == clipFormat && cf.Clip.Path == wav && validClipRow(&cf.Clip) {
					f.clips[wav] = &cf.Clip
					ok = true
				}
			}
			if !ok {
				rep.Problems = append(rep.Problems, rel+" is unreadable")
				f.bad = append(f.bad, rel)
			} else {
				f.readable = true
			}
		}
	}
}

// plan is the library Repair rebuilds.
type plan struct {
	calls         []*callFile
	clips         []*clipRow
	tags, reps    []nameRow
	settings      []settingRow
	changes       int64
	fromDB        int
	dbClips       int
	audioOnly     []string    // calls/*.wav nothing describes
	clipAudioOnly []string    // clips/*.wav nothing describes
	badSidecars   []string    // sidecar files to set aside
	reanalyse     []*callFile // calls whose analysis is lost everywhere
}

// merge chooses, for each call and clip, the freshest copy that survives.
// A sidecar is written after every change, so it holds what the database
// holds, unless the database has a pending mark for it (the database is
// newer: a crash came between the commit and the file). When the two
// differ otherwise, the database lost or garbled the row and the sidecar
// wins.
func merge(dir string, db, files *found, rep *RepairReport) *plan {
	p := &plan{changes: max(db.changes, files.changes)}
	dbNewer := func(rel string, sideChanges int64) bool {
		return db.dirty[rel] && sideChanges <= db.changes
	}
	if files.changes > db.changes && db.readable {
		rep.Problems = append(rep.Problems, fmt.Sprintf("the database lost changes its files keep (it is at change %d, the files at %d)", db.changes, files.changes))
	}
	paths := map[string]bool{}
	for rel := range db.calls {
		paths[rel] = true
	}
	for rel := range files.calls {
		paths[rel] = true
	}
	onlyFiles, garbled := 0, 0
	for _, rel := range slices.Sorted(mapKeys(paths)) {
		d, s := db.calls[rel], files.calls[rel]
		p.changes = max(p.changes, changesOf(s))
		switch {
		case d != nil && (s == nil || dbNewer(rel, s.Changes)):
			if s != nil && d.Result == nil && d.Call.Status != StatusRecording {
				d.Result = s.Result
			}
			if s != nil && db.annErrors {
				have := map[int64]bool{}
				for _, a := range d.Annotations {
					have[a.ID] = true
				}
				for _, a := range s.Annotations {
					if !have[a.ID] {
						d.Annotations = append(d.Annotations, a)
					}
				}
			}
			if d.Result == nil && d.Call.Status != StatusRecording {
				p.reanalyse = append(p.reanalyse, d)
			}
			p.calls = append(p.calls, d)
			p.fromDB++
		default:
			if d == nil {
				onlyFiles++
			} else if !sameCall(d, s) {
				garbled++
			} else {
				p.fromDB++ // the same either way
				p.calls = append(p.calls, s)
				continue
			}
			p.calls = append(p.calls, s)
		}
	}
	if onlyFiles > 0 {
		rep.Problems = append(rep.Problems, fmt.Sprintf("%d calls were missing from the database", onlyFiles))
	}
	if garbled > 0 {
		rep.Problems = append(rep.Problems, fmt.Sprintf("%d calls differed from their sidecar files (garbled or out of date in the database)", garbled))
	}
	rep.FromDatabase = p.fromDB
	rep.FromSidecars = len(p.calls) - p.fromDB

	clipPaths := map[string]bool{}
	for rel := range db.clips {
		clipPaths[rel] = true
	}
	for rel := range files.clips {
		clipPaths[rel] = true
	}
	clipsOnlyFiles := 0
	for _, rel := range slices.Sorted(mapKeys(clipPaths)) {
		d, s := db.clips[rel], files.clips[rel]
		switch {
		case d != nil && (s == nil || db.dirty[rel] || *d == *s || sameClip(d, s)):
			p.clips = append(p.clips, d)
			p.dbClips++
		default:
			if d == nil {
				clipsOnlyFiles++
			} else {
				rep.Problems = append(rep.Problems, fmt.Sprintf("clip %d differed from its sidecar file", d.ID))
			}
			p.clips = append(p.clips, s)
		}
	}
	if clipsOnlyFiles > 0 {
		rep.Problems = append(rep.Problems, fmt.Sprintf("%d clips were missing from the database", clipsOnlyFiles))
	}

	// Tags, reps, settings: the database's, unless library.json is newer
	// (or the database's are gone); names either side are kept.
	libNewer := !db.readable || (!db.dirty[""] && files.changes > 0) || files.changes > db.changes
	first, second := db, files
	if libNewer {
		first, second = files, db
	}
	p.tags = unionNames(first.tags, second.tags)
	p.reps = unionNames(first.reps, second.reps)
	keys := map[string]bool{}
	for _, s := range first.settings {
		keys[s.Key] = true
		p.settings = append(p.settings, s)
	}
	for _, s := range second.settings {
		if !keys[s.Key] {
			p.settings = append(p.settings, s)
		}
	}

	// Audio that nothing describes.
	have := map[string]bool{}
	for _, c := range p.calls {
		have[c.Call.AudioPath] = true
	}
	for _, c := range p.clips {
		have[c.Path] = true
	}
	for _, sub := range []string{CallsDir, ClipsDir} {
		des, _ := os.ReadDir(filepath.Join(dir, sub))
		for _, de := range des {
			rel := sub + "/" + de.Name()
			if !de.Type().IsRegular() || strings.HasPrefix(de.Name(), ".") {
				continue
			}
			switch {
			case strings.HasSuffix(rel, ".wav") && !have[rel]:
				if sub == CallsDir {
					p.audioOnly = append(p.audioOnly, rel)
				} else {
					p.clipAudioOnly = append(p.clipAudioOnly, rel)
				}
			case strings.HasSuffix(rel, sidecarSuffix) && (!have[strings.TrimSuffix(rel, sidecarSuffix)+".wav"] || slices.Contains(files.bad, rel)):
				p.badSidecars = append(p.badSidecars, rel)
			}
		}
	}
	if n := len(p.audioOnly) + len(p.clipAudioOnly); n > 0 {
		rep.Problems = append(rep.Problems, fmt.Sprintf("%d audio files had no record left", n))
	}
	for _, c := range p.calls {
		if c.Call.Status != StatusRecording {
			if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(c.Call.AudioPath))); errors.Is(err, fs.ErrNotExist) {
				rep.Lost = append(rep.Lost, fmt.Sprintf("the audio of call %d (%s); its analysis and annotations are kept", c.Call.ID, c.Call.AudioPath))
			}
		}
	}
	return p
}

func changesOf(s *callFile) int64 {
	if s == nil {
		return 0
	}
	return s.Changes
}

// sameCall says whether two copies of a call hold the same rows.
func sameCall(a, b *callFile) bool {
	enc := func(c *callFile) []byte {
		x := *c
		x.Changes = 0
		slices.SortFunc(x.Annotations, func(p, q annotationRow) int { return cmp.Compare(p.ID, q.ID) })
		j, _ := json.Marshal(x)
		return j
	}
	return bytes.Equal(enc(a), enc(b))
}

func sameClip(a, b *clipRow) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func mapKeys[K comparable, V any](m map[K]V) func(func(K) bool) {
	return func(yield func(K) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// unionNames keeps first's rows and adds second's names first lacks.
func unionNames(first, second []nameRow) []nameRow {
	out := slices.Clone(first)
	seen := map[string]bool{}
	for _, n := range first {
		seen[strings.ToLower(n.Name)] = true
	}
	for _, n := range second {
		if !seen[strings.ToLower(n.Name)] {
			seen[strings.ToLower(n.Name)] = true
			out = append(out, n)
		}
	}
	return out
}

// analyseAudio makes calls of the audio nothing describes, and clips of
// clip audio nothing describes (its range in the call is lost: 0 to its
// length).
func (p *plan) analyseAudio(ctx context.Context, dir string, opt RepairOptions, rep *RepairReport) error {
	for _, rel := range p.audioOnly {
		abs := filepath.Join(dir, filepath.FromSlash(rel))
		var res *analysis.Result
		var err error
		if opt.Analyze != nil {
			res, err = opt.Analyze(ctx, abs)
		} else {
			err = errors.New("no analysis given")
		}
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if err != nil {
			p.badSidecars = append(p.badSidecars, rel) // set aside, not deleted
			rep.Lost = append(rep.Lost, fmt.Sprintf("%s could not be analysed (%v)", rel, err))
			continue
		}
		res.Notes = append(res.Notes, "Rebuilt from the audio alone by repair: the title, rep, customer and annotations were lost.")
		b, err := json.Marshal(res)
		if err != nil {
			return fmt.Errorf("encoding the analysis of %s: %w", rel, err)
		}
		s, _ := summarize(res)
		ch, _ := json.Marshal(res.Channels)
		fi, _ := os.Stat(abs)
		at := time.Now()
		if fi != nil {
			at = fi.ModTime()
		}
		base := path.Base(rel)
		p.calls = append(p.calls, &callFile{Format: callFormat, Version: sidecarV1, Call: callRow{
			Title: strings.TrimSuffix(base, ".wav"), RecordedMS: ms(at), DurationNS: int64(s.duration),
			AudioPath: rel, Channels: ch, Source: SourceRecorded, Status: StatusRecovered,
			RepTalkShare: s.talkShare, RepInterruptions: int64(s.interruptions), Verdict: s.verdict,
			Score: int64(s.score), CreatedMS: ms(time.Now())}, Result: b, Annotations: []annotationRow{}})
		rep.FromAudio++
	}
	for _, c := range p.reanalyse {
		var res *analysis.Result
		err := errors.New("no analysis given")
		if opt.Analyze != nil {
			res, err = opt.Analyze(ctx, filepath.Join(dir, filepath.FromSlash(c.Call.AudioPath)))
		}
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if err == nil {
			c.Result, err = json.Marshal(res)
		}
		if err != nil {
			// Marked as recording, the app's recovery of unfinished
			// recordings analyses it again.
			rep.Lost = append(rep.Lost, fmt.Sprintf("the analysis of call %d (%v): it is marked unfinished, to be analysed again", c.Call.ID, err))
			c.Call.Status = StatusRecording
			continue
		}
		rep.Lost = append(rep.Lost, fmt.Sprintf("the stored analysis of call %d: analysed again from its audio", c.Call.ID))
	}
	for _, rel := range p.clipAudioOnly {
		abs := filepath.Join(dir, filepath.FromSlash(rel))
		r, err := audio.Open(abs)
		if err != nil {
			p.badSidecars = append(p.badSidecars, rel)
			rep.Lost = append(rep.Lost, fmt.Sprintf("the clip %s is unreadable (%v)", rel, err))
			continue
		}
		d := r.Info().Duration
		r.Close()
		fi, _ := os.Stat(abs)
		at := time.Now()
		if fi != nil {
			at = fi.ModTime()
		}
		if d <= 0 {
			d = time.Millisecond
		}
		p.clips = append(p.clips, &clipRow{Path: rel, StartNS: 0, EndNS: int64(d), Note: "rebuilt by repair from the clip's audio: its call, range and text were lost", CreatedMS: ms(at)})
		rep.Lost = append(rep.Lost, fmt.Sprintf("the text and range of the clip %s (its audio is kept)", rel))
	}
	return nil
}

// build writes the planned library as a new database, puts the old one
// aside and opens the result (which writes every sidecar afresh).
func (p *plan) build(ctx context.Context, dir string, rep *RepairReport) error {
	stamp := time.Now().UTC().Format("20060102-150405")
	tmp := filepath.Join(dir, DBName+".rebuild-"+stamp)
	for _, s := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(tmp + s)
	}
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("cannot write the rebuilt database %s: %w", tmp, err)
	}
	f.Close()
	sdb, err := sqlOpen(tmp)
	if err != nil {
		return fmt.Errorf("creating the rebuilt database: %w", err)
	}
	nl := &Library{db: sdb, dir: dir, Now: time.Now}
	err = nl.migrate(ctx, 0)
	if err == nil {
		err = nl.tx(ctx, func(tx *sql.Tx) error { return p.insert(ctx, tx, rep) })
	}
	if cerr := sdb.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("rebuilding the library: %w", err)
	}
	// Put aside what cannot be used, then the old database.
	for _, rel := range p.badSidecars {
		if err := os.MkdirAll(filepath.Join(dir, UnrecoveredDir), 0o700); err != nil {
			return err
		}
		dst := filepath.Join(dir, UnrecoveredDir, strings.ReplaceAll(rel, "/", "-"))
		if err := os.Rename(filepath.Join(dir, filepath.FromSlash(rel)), dst); err == nil {
			rep.SetAside = append(rep.SetAside, dst)
		}
	}
	old := filepath.Join(dir, DBName)
	if _, err := os.Stat(old); err == nil {
		rep.DamagedAs = old + ".damaged-" + stamp
		if err := os.Rename(old, rep.DamagedAs); err != nil {
			return fmt.Errorf("putting the damaged database aside: %w", err)
		}
	}
	for _, s := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(old + s); err == nil {
			dst := old + ".damaged-" + stamp + s
			if rep.DamagedAs == "" {
				rep.DamagedAs = dst
			}
			os.Rename(old+s, dst)
		}
	}
	if err := os.Rename(tmp, old); err != nil {
		return fmt.Errorf("putting the rebuilt database in place: %w", err)
	}
	syncDir(dir)
	l, err := Open(dir)
	if err != nil {
		return fmt.Errorf("opening the rebuilt library: %w", err)
	}
	return l.Close()
}

// insert writes the plan's rows, with the ids they had; an id two copies
// claim goes to the first, the other gets a new one (and the report says).
func (p *plan) insert(ctx context.Context, tx *sql.Tx, rep *RepairReport) error {
	exec := func(q string, args ...any) error {
		_, err := tx.ExecContext(ctx, q, args...)
		return err
	}
	if err := exec(`UPDATE library_state SET changes = ?`, p.changes+1); err != nil {
		return err
	}
	if len(p.tags) > 0 {
		if err := exec(`DELETE FROM tags`); err != nil {
			return err
		}
	}
	tagIDs := map[string]int64{}
	for _, t := range p.tags {
		if err := exec(`INSERT INTO tags (id, name, created_ms) VALUES (nullif(?, 0), ?, ?)`, t.ID, t.Name, t.CreatedMS); err != nil {
			if err := exec(`INSERT INTO tags (name, created_ms) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, t.Name, t.CreatedMS); err != nil {
				return err
			}
		}
	}
	repIDs := map[string]int64{}
	for _, r := range p.reps {
		if err := exec(`INSERT INTO reps (id, name, created_ms) VALUES (?, ?, ?)`, r.ID, r.Name, r.CreatedMS); err != nil {
			if err := exec(`INSERT INTO reps (name, created_ms) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, r.Name, r.CreatedMS); err != nil {
				return err
			}
		}
	}
	for _, s := range p.settings {
		if err := exec(`INSERT INTO settings (key, value, updated_ms) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING`, s.Key, string(s.Value), s.UpdatedMS); err != nil {
			return err
		}
	}
	lookup := func(table, name string, cache map[string]int64) (sql.NullInt64, error) {
		if name == "" {
			return sql.NullInt64{}, nil
		}
		if id, ok := cache[strings.ToLower(name)]; ok {
			return sql.NullInt64{Int64: id, Valid: true}, nil
		}
		if err := exec(`INSERT INTO `+table+` (name, created_ms) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, ms(time.Now())); err != nil {
			return sql.NullInt64{}, err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM `+table+` WHERE name = ?`, name).Scan(&id); err != nil {
			return sql.NullInt64{}, err
		}
		cache[strings.ToLower(name)] = id
		return sql.NullInt64{Int64: id, Valid: true}, nil
	}
	// Calls with the ids they had first, then the ones whose id was taken
	// or never known.
	taken := map[int64]bool{}
	annTaken := map[int64]bool{}
	var again []*callFile
	callIDs := map[int64]int64{} // old id → new, for clips
	var insertCall func(c *callFile, keepID bool) error
	insertCall = func(c *callFile, keepID bool) error {
		repID, err := lookup("reps", c.Call.Rep, repIDs)
		if err != nil {
			return err
		}
		var id any
		if keepID && c.Call.ID > 0 {
			id = c.Call.ID
		}
		var trashed any
		if c.Call.TrashedMS != nil {
			trashed = *c.Call.TrashedMS
		}
		hash := c.Call.Hash
		if hash != "" {
			var other int64
			if tx.QueryRowContext(ctx, `SELECT id FROM calls WHERE hash = ?`, hash).Scan(&other) == nil {
				hash = "" // two calls of the same audio: the second keeps its rows
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO calls (id, title, rep_id, customer, recorded_ms, duration_ns, audio_path,
			channels, source, status, hash, rep_talk_share, rep_interruptions, verdict, score, trashed_ms, created_ms)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, cleanText(c.Call.Title), repID, cleanText(c.Call.Customer), c.Call.RecordedMS, c.Call.DurationNS, c.Call.AudioPath,
			string(c.Call.Channels), c.Call.Source, c.Call.Status, hash, c.Call.RepTalkShare, c.Call.RepInterruptions,
			c.Call.Verdict, c.Call.Score, trashed, c.Call.CreatedMS)
		if err != nil {
			return fmt.Errorf("call %d: %w", c.Call.ID, err)
		}
		newID, _ := res.LastInsertId()
		if c.Call.ID > 0 && newID != c.Call.ID {
			rep.Lost = append(rep.Lost, fmt.Sprintf("call %d's number (another call had it): it is now call %d", c.Call.ID, newID))
		}
		if c.Call.ID > 0 {
			callIDs[c.Call.ID] = newID
		}
		c.Call.ID = newID
		if c.Result != nil {
			var buf bytes.Buffer
			if json.Compact(&buf, c.Result) == nil {
				if err := exec(`INSERT INTO call_results (call_id, result) VALUES (?, ?)`, newID, buf.String()); err != nil {
					return fmt.Errorf("call %d's analysis: %w", newID, err)
				}
				// The Library's script reuse summary follows the result
				// (setScriptReuse), as every write of a result keeps it.
				var r struct {
					Script *analysis.ScriptEvidence `json:"script"`
				}
				if json.Unmarshal(buf.Bytes(), &r) == nil {
					if err := setScriptReuse(ctx, tx, newID, r.Script); err != nil {
						return err
					}
				}
			}
		}
		tagCache := tagIDs
		for _, a := range c.Annotations {
			tag, err := lookup("tags", a.Tag, tagCache)
			if err != nil {
				return err
			}
			var aid any
			if a.ID > 0 && !annTaken[a.ID] {
				aid = a.ID
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO annotations (id, call_id, start_ns, end_ns, tag_id, note, author, created_ms, edited_ms)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, aid, newID, a.StartNS, a.EndNS, tag, a.Note, a.Author, a.CreatedMS, a.EditedMS)
			if err != nil {
				return fmt.Errorf("annotation %d: %w", a.ID, err)
			}
			got, _ := res.LastInsertId()
			if a.ID > 0 && got != a.ID {
				rep.Lost = append(rep.Lost, fmt.Sprintf("annotation %d's number (another had it): it is now annotation %d", a.ID, got))
			}
			annTaken[got] = true
			rep.Annotations++
		}
		for _, part := range sidecarParts {
			if data, ok := c.Parts[part.Name]; ok {
				if err := part.Restore(ctx, tx, newID, data); err != nil {
					return fmt.Errorf("call %d's %s: %w", newID, part.Name, err)
				}
			}
		}
		rep.Calls++
		return nil
	}
	slices.SortFunc(p.calls, func(a, b *callFile) int { return cmp.Compare(a.Call.ID, b.Call.ID) })
	for _, c := range p.calls {
		if c.Call.ID <= 0 || taken[c.Call.ID] {
			again = append(again, c)
			continue
		}
		taken[c.Call.ID] = true
		if err := insertCall(c, true); err != nil {
			return err
		}
	}
	for _, c := range again {
		if err := insertCall(c, false); err != nil {
			return err
		}
	}
	// Which calls tell the rep from the customer, from their analyses.
	if err := exec(backfillParties); err != nil {
		return fmt.Errorf("marking the one-channel calls: %w", err)
	}
	if err := exec(backfillWarnings); err != nil {
		return fmt.Errorf("marking the calls with recording warnings: %w", err)
	}
	// Clips: their annotation and call where those came back.
	slices.SortFunc(p.clips, func(a, b *clipRow) int { return cmp.Compare(a.ID, b.ID) })
	clipTaken := map[int64]bool{}
	for _, c := range p.clips {
		var ann, call, id any
		if c.AnnotationID != nil && annTaken[*c.AnnotationID] {
			ann = *c.AnnotationID
		}
		if c.CallID != nil {
			if n, ok := callIDs[*c.CallID]; ok {
				call = n
			}
		}
		if c.ID > 0 && !clipTaken[c.ID] {
			id = c.ID
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO clips (id, annotation_id, call_id, path, start_ns, end_ns, tag, note, rep, call_title, created_ms)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, ann, call, c.Path, c.StartNS, c.EndNS, c.Tag, c.Note, c.Rep, c.CallTitle, c.CreatedMS)
		if err != nil {
			return fmt.Errorf("clip %d: %w", c.ID, err)
		}
		got, _ := res.LastInsertId()
		clipTaken[got] = true
		rep.Clips++
	}
	return nil
}
