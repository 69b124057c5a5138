// Package callflow is how a call flows into and through the library: the
// use cases the desktop app (ui) and the command line (cmd/callcoach) both
// run, written once so that the two cannot behave differently on the same
// call. It sits below both front ends and above store, audio and analysis:
//
//	cmd → ui → callflow → (store, audio, analysis)
//	cmd → callflow
//
// A front end asks callflow to do a thing and gets progress and results
// back through plain callbacks; only the front end turns them into widgets
// (inside fyne.Do) or terminal lines. store keeps rows and files and never
// analyses audio; audio.AnalyzeFile and audio/device.Record are building
// blocks that callflow puts together.
//
// # Settings
//
//	LibraryDir(flagDir, chosen) (string, error)  // --data, $CALLCOACH_DATA, the app's chosen folder, store.DefaultDir
//	Config(ctx, lib) (analysis.Config, error)     // the library's analysis settings, defaults where unset
//	SetConfig(ctx, lib, cfg) error
//	ConfigAt(ctx, dir) (analysis.Config, note)    // the same without creating a library (callcoach analyze)
//
// # Use cases
//
//	Check(ImportRequest) error                    // would Import accept it? (nothing copied)
//	Import(ctx, lib, ImportRequest, progress) (*store.Call, error)
//	Reanalyze(ctx, lib, id, Reanalysis) (*store.Call, error)  // new channel map and/or settings
//	RepChannel(*store.Call) (audio.Side, bool)    // the stored call's rep side, for "swap channels"
//
//	Open(Inputs, cfg, Watch{Live, Ended}) (*Session, error)  // devices open, levels watched
//	(*Session).Record(ctx, lib, store.CallInfo) (*store.Call, error)  // from the next sample, once both deliver
//	(*Session).RecordFile(ctx, path) error        // a bare WAV instead (callcoach record --out)
//	(*Session).Stop() (*Recorded, error)          // finished, analysed, filed
//	Recover(ctx, lib) ([]*store.Call, error)      // what a crash left unfinished, repaired and filed
//	RecoverFiles(dir) ([]record.Recovered, error) // the same for bare files
//	Repair(ctx, dir) (store.RepairReport, error)  // rebuild a damaged library from what survives
//
// A recording's crash safety has one owner: its audio/record.Mark, made
// before the call's row and removed after its analysis is stored; the
// recorder brings the file's header up to date every second.
//
// # Sharing (share.go; formats in callflow/report and callflow/interchange)
//
//	CallReport(ctx, lib, id) / RepReport(ctx, lib, rep, since, until) (*report.Document, error)
//	WriteReport(w, doc, ReportHTML|ReportPDF, paper)  // paper: DefaultPaper() follows the locale
//	Export(ctx, lib, id, interchange.ExportFormat, w) // textgrid, eaf, rttm, labels, csv, json
//	ExportCalls(ctx, lib, filter, w, progress)        // the Library's list as CSV
//	ImportAnnotations(ctx, lib, id, path, author)     // Audacity labels or a TextGrid, all or nothing
//	SaveFile(path, replace, write)                    // 0600, written beside and moved into place
//
// A stereo call's channel map is an audio.Side (the side carrying the
// rep); its text form "left"/"right" is what libraries have always stored.
package callflow
