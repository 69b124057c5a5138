package callflow

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"callcoach/analysis"
	"callcoach/audio"
	"callcoach/store"
)

// ImportRequest is a call to bring into the library: one WAV file (Path:
// stereo, with the rep on RepChannel, or mono for a recording of both
// parties mixed), or one mono WAV per party (RepPath and CustomerPath),
// merged into one stereo file with the rep on the left.
type ImportRequest struct {
	Path       string
	RepChannel audio.Side
	// RepPath and CustomerPath may differ in rate and length (they are
	// aligned at their first sample).
	RepPath, CustomerPath string
	// Title defaults to the (rep's) file name without its extension.
	Title, Rep, Customer string
	// RecordedAt defaults to the file's modification time.
	RecordedAt time.Time
}

// Name is how the request's audio is named in messages: the file, or
// "rep.wav + customer.wav".
func (r ImportRequest) Name() string {
	if r.Path != "" {
		return r.Path
	}
	return r.RepPath + " + " + r.CustomerPath
}

func (r ImportRequest) pair() bool { return r.RepPath != "" || r.CustomerPath != "" }

func (r ImportRequest) files() []string {
	if r.pair() {
		return []string{r.RepPath, r.CustomerPath}
	}
	return []string{r.Path}
}

// Stage names a step of a long use case, for progress reports.
type Stage string

// The stages Progress reports.
const (
	// Copying: the audio is copied (or two files merged) into the
	// library; Done and Total count bytes read.
	Copying Stage = "copy"
	// Analysing: Done and Total are nanoseconds of audio.
	Analysing Stage = "analyse"
)

// Progress is how far an import or a re-analysis has come.
type Progress struct {
	Stage       Stage
	Done, Total int64
}

// Fraction is the progress of the whole use case, 0..1. An import's copy
// is its first tenth (a local copy is fast next to the analysis).
func (p Progress) Fraction() float64 {
	f := 0.0
	if p.Total > 0 {
		f = min(1, float64(p.Done)/float64(p.Total))
	}
	if p.Stage == Copying {
		return 0.1 * f
	}
	return 0.1 + 0.9*f
}

// Check says whether req can be imported without copying anything: the
// files exist, are files, and read as WAV; the channel map fits. The
// command line checks every file first, so that one bad file stops a batch
// before anything is copied. Import checks too.
func Check(req ImportRequest) error {
	pair := req.pair()
	switch {
	case req.Path != "" && pair:
		return errors.New("give either one call file or a rep file and a customer file, not both")
	case pair && (req.RepPath == "" || req.CustomerPath == ""):
		return errors.New("give both a rep file and a customer file (one mono WAV per party)")
	case !pair && req.Path == "":
		return errors.New("give a call file to import")
	case pair && req.RepChannel != audio.Left:
		return errors.New("the rep channel applies to a stereo call file; separate rep and customer files carry one party each")
	}
	for _, f := range req.files() {
		fi, err := os.Stat(f)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return fmt.Errorf("cannot read %s: %w", f, err)
		}
		if fi.IsDir() {
			return fmt.Errorf("%s is a folder: give the WAV files in it (e.g. %s/*.wav)", f, strings.TrimRight(f, "/"))
		}
		a, err := audio.Open(f)
		if err != nil {
			return err
		}
		ch := a.Info().Channels
		a.Close()
		if pair && ch != 1 {
			return fmt.Errorf("%s has %d channels; the rep's and the customer's files must be mono, one party each (import a stereo call as one file)", f, ch)
		}
	}
	return nil
}

// Import brings a call into the library: it checks the files, copies (or
// merges) the audio in, analyses it with the library's settings and files
// the call with its analysis. Audio already in the library is refused with
// a *store.DuplicateError (errors.Is store.ErrDuplicate). progress, if not
// nil, is called from Import's goroutine as the work goes. Nothing is left
// behind by a failed, cancelled or killed import.
func Import(ctx context.Context, lib *store.Library, req ImportRequest, progress func(Progress)) (*store.Call, error) {
	if err := Check(req); err != nil {
		return nil, err
	}
	if progress == nil {
		progress = func(Progress) {}
	}
	cfg, cfgErr := Config(ctx, lib)
	staged, err := lib.Stage(ctx, store.StageRequest{Path: req.Path, RepPath: req.RepPath, CustomerPath: req.CustomerPath,
		Progress: func(done, total int64) { progress(Progress{Copying, done, total}) }})
	if err != nil {
		return nil, err
	}
	defer staged.Discard()

	res, err := analyzeCall(ctx, lib, staged.Path, req.RepChannel, req.Rep, cfg, progress, nil)
	if err != nil {
		return nil, fmt.Errorf("cannot import %s: %w", req.Name(), err)
	}
	first := req.files()[0]
	if req.pair() {
		// The merged file carries the rep on the left: its channel map
		// names sides, like any stereo call's, so that it can be swapped.
		res.File = filepath.Base(req.RepPath) + " + " + filepath.Base(req.CustomerPath)
		res.Notes = append(staged.Notes, res.Notes...)
	} else {
		res.File = filepath.Base(req.Path)
	}
	if cfgErr != nil {
		res.Notes = append(res.Notes, sentence(cfgErr))
	}
	info := store.CallInfo{Title: req.Title, Rep: req.Rep, Customer: req.Customer, RecordedAt: req.RecordedAt}
	if strings.TrimSpace(info.Title) == "" {
		base := filepath.Base(first)
		info.Title = strings.TrimSuffix(base, filepath.Ext(base))
	}
	if info.RecordedAt.IsZero() {
		info.RecordedAt = staged.ModTime
	}
	call, err := lib.AddStaged(ctx, staged, info, &res)
	if err != nil {
		return nil, err
	}
	return matchFiled(ctx, lib, call, nil), nil
}

// analyzeCall is the analysis every call is filed with, however it came
// in (Import, a recording's Stop or its end by itself, Recover), so that a
// recorded call and the same audio imported get the same figures: the
// file analysis of the finished audio at path (audio.AnalyzeFile: the
// crosstalk learnt on the call's first 45 s, the delivery cues of the
// rep's monologues), then the rep's voice (learnOrFindRep: a stereo call
// teaches the named rep's voice profile, a one-channel call finds its rep
// in it). side is the channel carrying the rep; progress is called from
// analyzeCall's goroutine. Repeats are matched once the call is filed
// (matchFiled). live is a recording's live analysis (nil for an import or
// a recovery): when the file analysis disagrees with it grossly, the call
// is filed with the live figures and a note (checkLive).
func analyzeCall(ctx context.Context, lib *store.Library, path string, side audio.Side, rep string, cfg analysis.Config, progress func(Progress), live *analysis.Result) (analysis.Result, error) {
	if progress == nil {
		progress = func(Progress) {}
	}
	res, err := audio.AnalyzeFile(ctx, audio.AnalyzeRequest{Path: path, RepChannel: side,
		KeepRepVoice: strings.TrimSpace(rep) != "",
		Progress:     func(done, total time.Duration) { progress(Progress{Analysing, int64(done), int64(total)}) }}, cfg)
	if err != nil {
		return res, err
	}
	if err := learnOrFindRep(ctx, lib, rep, &res, cfg); err != nil {
		return res, err
	}
	if live != nil {
		res = checkLive(res, *live)
	}
	return res, nil
}

// A recording's file and live analyses disagree grossly when a party's
// talk differs by more than disagreeShare of the larger figure and more
// than disagreeTalk.
const (
	disagreeShare = 0.25
	disagreeTalk  = 2 * time.Second
)

// checkLive compares a recording's file analysis with its live one. Both
// measure the same audio and normally agree within a few percent; two
// devices whose timing shifts under load have made the file analysis go
// badly wrong now and then while the live one did not (1.6 s of the rep's
// 38 s). When they disagree grossly, the live figures are filed (they
// have no delivery cues) with a note saying so in words, since neither
// can then be taken on trust.
func checkLive(file, live analysis.Result) analysis.Result {
	var off []string
	for _, p := range []struct {
		name string
		f, l analysis.Dur
	}{{"the rep", file.Talk.Rep, live.Talk.Rep}, {"the customer", file.Talk.Customer, live.Talk.Customer}} {
		d := time.Duration(p.f - p.l).Abs()
		if d > disagreeTalk && float64(d) > disagreeShare*float64(max(p.f, p.l)) {
			off = append(off, fmt.Sprintf("%s talked %.1f s by the recorded file, %.1f s live", p.name, p.f.D().Seconds(), p.l.D().Seconds()))
		}
	}
	if len(off) == 0 {
		return file
	}
	res := live
	res.Notes = append(slices.Clip(live.Notes), "The analysis of the recorded file and the live analysis disagreed ("+strings.Join(off, "; ")+"): these are the live figures, which may be off too; check the figures against the recording before relying on them, or re-analyse the call.")
	return res
}

// matchFiled matches a call just filed against the rep's other calls
// (MatchRepeats; judged with cfg, nil for the library's settings) and
// returns it as stored. The call is filed either way: if matching fails,
// its result says so and UpdateRepeats tries again.
func matchFiled(ctx context.Context, lib *store.Library, call *store.Call, cfg *analysis.Config) *store.Call {
	err := newMatcher(lib, cfg).match(ctx, call.ID)
	if err != nil && call.Result != nil {
		res := *call.Result
		res.Notes = append(slices.Clip(res.Notes), "Repeated passages were not matched with the rep's other calls ("+err.Error()+"); CallCoach tries again when the library is next opened.")
		lib.SetResult(context.WithoutCancel(ctx), call.ID, &res)
	}
	if c, err := lib.Call(context.WithoutCancel(ctx), call.ID); err == nil {
		return c
	}
	return call
}

// learnOrFindRep ties a call to its rep's voice: a stereo call's rep voice
// print joins the rep's voice profile (store.AddRepVoice); a one-channel
// call split between two voices gets its rep from that profile when one
// voice clearly matches (analysis.MatchRep), else it waits for a person
// to pick (Review, or callcoach analyze --rep-speaker). The print itself
// is not kept with the call.
func learnOrFindRep(ctx context.Context, lib *store.Library, rep string, res *analysis.Result, cfg analysis.Config) error {
	if strings.TrimSpace(rep) == "" {
		return nil
	}
	if v := res.RepVoice; v != nil {
		res.RepVoice = nil
		if !res.Recording.Warned(analysis.WarnChannelsSwapped) {
			return lib.AddRepVoice(ctx, rep, v)
		}
		return nil // the rep may be on the other channel: do not learn from it
	}
	if res.Diarization == nil || res.Diarization.Rep != 0 {
		return nil
	}
	prof, _, err := lib.RepVoice(ctx, rep)
	if err != nil || prof == nil {
		return err
	}
	if voice, match, ok := analysis.MatchRep(res, prof); ok {
		if r, err := analysis.SetRep(*res, voice, analysis.RepByVoice, match, cfg); err == nil {
			*res = r
		}
	}
	return nil
}

// sentence makes an error's text a sentence for a note.
func sentence(err error) string {
	s := err.Error()
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
