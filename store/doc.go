// Package store is CallCoach's call library: calls with their full analysis,
// annotations, clips, tags, reps and settings, in one directory holding a
// SQLite database (github.com/mattn/go-sqlite3) and the audio.
//
// The store keeps rows and files; it does not analyse audio. The use cases
// that do (import, record, re-analyse, recover) are in callflow, which
// files their results through the primitives below.
//
// # Layout
//
//	DIR/callcoach.db     the database (0600; WAL, so also -wal and -shm)
//	DIR/calls/*.wav      one WAV per call (0600)
//	DIR/clips/*.wav      one WAV per clip (0600)
//	DIR/calls/*.json     each call's rows beside its audio: call, analysis, annotations (0600)
//	DIR/clips/*.json     each clip's row beside its audio (0600)
//	DIR/library.json     tags, reps, settings and the change count (0600)
//
// Directories are 0700. The database stores paths relative to DIR
// (Call.AudioPath, Clip.Path; Library.Abs resolves them), so a library can
// be moved or copied whole. DefaultDir is $XDG_DATA_HOME/callcoach (else
// ~/.local/share/callcoach) on Linux; the command line's --data and
// CALLCOACH_DATA override it.
//
// # API
//
//	Open(dir) (*Library, error); Close; Dir; Abs(rel); Version; SchemaVersion()
//	Library.Now func() time.Time                      // injectable clock
//
//	Calls(ctx, CallFilter) ([]CallSummary, error)     // newest first; Limit/Offset page
//	CallCount(ctx, CallFilter) (int, error)
//	Call(ctx, id) (*Call, error)                      // with its analysis.Result
//	Stage(ctx, StageRequest) (*Staged, error)         // copy (or merge a pair) in, refuse duplicates
//	AddStaged(ctx, *Staged, CallInfo, *Result) (*Call, error) // file it as a call; Staged.Discard drops it
//	AddRecording(ctx, RecordingRequest) (*Call, error)// a finished recording made elsewhere
//	NewCallPath() (string, error)                     // a fresh name in calls/ for a recording
//	BeginRecording(ctx, RecordingStart) (*Call, error)// status "recording" at that name; write the WAV there
//	FinishRecording(ctx, id, *Result, status) error   // "complete" or "recovered"
//	UnfinishedRecordings(ctx) ([]Call, error)         // status "recording": in progress or cut short (see audio/record.Mark)
//	Watch(interval, changed) (stop func())            // follow changes made by other connections and processes
//	SetResult(ctx, id, *Result) error                 // re-analysed (new settings or channel map)
//	UpdateCall(ctx, id, title, rep, customer) error
//	Trash / Restore / DeleteCall(ctx, id) error; PurgeTrash(ctx, olderThan) (int, error)
//
//	AddAnnotation(ctx, *Annotation) error; UpdateAnnotation; DeleteAnnotation(ctx, id)
//	Annotation(ctx, id); Annotations(ctx, callID)     // in time order
//	SaveClip(ctx, annotationID) (*Clip, error)        // audio.Cut into clips/
//	Clip(ctx, id); Clips(ctx, ClipFilter); DeleteClip(ctx, id)
//	Tags(ctx); AddTag(ctx, name); RenameTag(ctx, old, new); DeleteTag(ctx, name)
//	Reps(ctx); Trend(ctx, rep, VerdictConfig) ([]TrendPoint, error)
//	Setting(ctx, key, &v) error; SetSetting(ctx, key, v) error   // JSON values
//	Backup(ctx, dest) (BackupReport, error)
//	Repair(ctx, dir, RepairOptions) (RepairReport, error) // rebuild a damaged library (sidecar.go, repair.go)
//	IsDamaged(err) bool                               // SQLite's corruption errors, or a *DamagedError
//
// Errors: a missing row is a *NotFoundError (errors.Is ErrNotFound); audio
// already imported a *DuplicateError (ErrDuplicate, with the call's id);
// a refused request an *InvalidError (ErrInvalid) whose text says why; a
// library from a newer CallCoach a *SchemaError (ErrNewerSchema): "this
// library was made by a newer CallCoach (schema 5, this app knows 3):
// update the app"; a damaged or lost database a *DamagedError
// (ErrDamaged) naming 'callcoach repair'. Every message is a sentence a
// user can read.
//
// # Schema and migrations
//
// The schema is migrations/NNN_name.sql, embedded, applied in order at
// Open, each in its own transaction and recorded in schema_migrations:
//
//	001_calls.sql              reps, calls (summary columns), call_results (the Result JSON), tags (seeded), settings
//	002_annotations_clips.sql  annotations (cascade with their call), clips (survive their call and annotation)
//	003_list_indexes.sql       the indexes behind the list and its filters
//
// Times are unix milliseconds (*_ms), offsets and lengths nanoseconds
// (*_ns). A call's full analysis.Result is kept as JSON in call_results, so
// showing a call never re-analyses it; the figures the list shows and
// filters on (duration, rep talk share, the rep's interruptions, verdict,
// score) are copied into calls, whose rows stay narrow. A call's Tags are
// the tags of its annotations.
//
// # Crashes and concurrency
//
// Every write is one transaction. The database runs in WAL mode with a busy
// timeout and BEGIN IMMEDIATE transactions, so the app and the command line
// can use one library at once. Nothing else may open callcoach.db in a
// process that uses the library (not even os.Open to read it): closing any
// descriptor of the file drops all of the process's SQLite locks on it,
// and writes get lost (TestTwoProcesses caught the store itself doing so). Audio is placed so that a crash at any point
// leaves nothing inconsistent: a file is written as NAME.wav.partial (locked
// while its writer lives), the row naming NAME.wav is committed, and only
// then is the file renamed. Open finishes such renames, deletes partial
// files whose writer died before its commit and audio files no row names
// (a deletion cut short). Only the store writes into calls/ and clips/;
// the recorder writes where BeginRecording says, after the row exists. A
// recording in progress is told from one a crash cut short by its own
// mark (audio/record.Mark, owned by callflow), not by the store.
//
// # Speed
//
// In a library of 10,000 calls, a page of 100 takes about 0.3 ms, the whole
// list 10–20 ms and each filter under 15 ms (BenchmarkCalls10k,
// BenchmarkCallsFiltered10k; store/README.md has the figures).
package store
