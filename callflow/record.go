package callflow

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"callcoach/analysis"
	"callcoach/audio"
	"callcoach/audio/device"
	"callcoach/audio/record"
	"callcoach/store"
)

// FirstAudioTimeout is how long a recording waits for sound from both
// devices before it gives up with a sentence saying which is silent.
const FirstAudioTimeout = 5 * time.Second

// Inputs names the devices a call is recorded from, as the user names them
// (any part of the name, see device.Find): two inputs, one party each
// (Rep, the microphone, and Customer, the headset's or the speakers'
// monitor), or one stereo input carrying both (Stereo, with the rep on
// RepChannel).
type Inputs struct {
	Rep, Customer string
	Stereo        string
	RepChannel    audio.Side
	// Rate is the file's sample rate (default 16000 Hz).
	Rate int
}

// Check says whether in names a pair of inputs a call can be recorded
// from, in a sentence saying what to choose if not.
func (in Inputs) Check() error {
	switch {
	case in.Stereo != "" && (in.Rep != "" || in.Customer != ""):
		return errors.New("choose either one stereo device, or the rep's microphone and the customer's source, not both")
	case in.Stereo != "":
		return nil
	case in.Rep == "" || in.Customer == "":
		return errors.New("choose both the rep's microphone and the customer's source (the headset's or the speakers' monitor), or one stereo device")
	case strings.EqualFold(in.Rep, in.Customer):
		return errors.New("the microphone and the customer's source are the same device: choose the headset's monitor (or another input) for the customer, or record from one stereo device")
	}
	return nil
}

// Watch is what a front end hears from a session.
type Watch struct {
	// Live is called from the session's goroutine about 12 times a
	// second: the devices' levels at once, and the call's live figures
	// once recording. It must return quickly.
	Live func(record.Live)
	// Ended is called from the session's goroutine when the session ends
	// by itself (a device unplugged, the disk full). A recording under
	// way is finished and filed first, as Stop would, and rec says what
	// was kept (nil if nothing was recording); why says what happened.
	Ended func(rec *Recorded, why error)
	// Analysing is called as the finished file is analysed, before the
	// call is filed (from Stop's goroutine, or the session's when it
	// ends by itself): an hour of audio takes a few seconds.
	Analysing func(Progress)
}

// Recorded is a finished recording.
type Recorded struct {
	// Call is the call filed in the library (nil for a bare file, or when
	// nothing was recorded).
	Call *store.Call
	// Path is the WAV file ("" when nothing was recorded).
	Path string
	// Analysis is the finished file's analysis, the one the call is filed
	// with and the one importing the file gives (analyzeCall); nil when
	// nothing was recorded. Outcome.Result holds the live figures, which
	// are for the live screen only.
	Analysis *analysis.Result
	record.Outcome
}

// Session is a choice of inputs, open and watched: levels from the moment
// it opens (so that the user sees the right device move, and a dead one at
// once), and a call recorded into the library (Record) or a bare file
// (RecordFile) from the moment that is asked, on streams already running,
// so that nothing is lost to opening devices. Stop ends it; a session
// records at most one call.
//
// While a session is open, what PortAudio and ALSA print on file
// descriptor 2 (pages of it when a device vanishes) goes to a pipe, and
// the log package writes to the real standard error.
type Session struct {
	in    Inputs
	cfg   analysis.Config
	watch Watch
	dev   *device.Recording

	mu       sync.Mutex
	lib      *store.Library
	call     *store.Call
	path     string
	mark     *record.Mark
	began    bool
	stopping bool

	once   sync.Once
	result *Recorded
	err    error
}

// Open opens the inputs in (the rep's alone is enough to watch its level;
// Record needs the pair) and starts watching them. cfg is the analysis
// the recording's live figures and its file's analysis use (Config reads
// the library's).
func Open(in Inputs, cfg analysis.Config, w Watch) (*Session, error) {
	if in.Stereo == "" && in.Rep == "" {
		return nil, errors.New("choose the rep's microphone, or one stereo device")
	}
	if in.Stereo == "" && in.Customer != "" {
		if err := in.Check(); err != nil {
			return nil, err
		}
	}
	quiet()
	s := &Session{in: in, cfg: cfg, watch: w}
	dev, err := device.Record(device.Request{
		RepDevice: in.Rep, CustomerDevice: in.Customer, StereoDevice: in.Stereo, RepChannel: in.RepChannel,
		Rate: in.Rate, Analysis: &cfg, OnLive: w.Live,
	})
	if err != nil {
		unquiet()
		return nil, err
	}
	s.dev = dev
	go s.watchEnd()
	return s, nil
}

// Devices are the devices the session opened (Customer is the zero
// Device when only the rep's is watched; both are the stereo device).
func (s *Session) Devices() (rep, customer device.Device) { return s.dev.Rep, s.dev.Customer }

// FirstAudio is closed once every input has delivered sound.
func (s *Session) FirstAudio() <-chan struct{} { return s.dev.FirstAudio() }

// Done is closed when the session has ended (Stop, or by itself).
func (s *Session) Done() <-chan struct{} { return s.dev.Done() }

// watchEnd finishes a session that ends by itself and tells the front end.
func (s *Session) watchEnd() {
	<-s.dev.Done()
	s.mu.Lock()
	byStop := s.stopping
	s.mu.Unlock()
	if byStop {
		return
	}
	rec, err := s.finish()
	why := rec.Ended
	if why == nil {
		why = err
	}
	if rec.Path == "" {
		rec = nil
	}
	if s.watch.Ended != nil {
		s.watch.Ended(rec, why)
	}
}

// waitAudio waits for sound from every input.
func (s *Session) waitAudio(ctx context.Context) error {
	t := time.NewTimer(FirstAudioTimeout)
	defer t.Stop()
	select {
	case <-s.dev.FirstAudio():
		return nil
	case <-s.dev.Done():
		_, err := s.Stop()
		if o := s.result; o != nil && o.Ended != nil {
			return o.Ended
		}
		if err == nil {
			err = errors.New("the devices stopped before the recording began")
		}
		return err
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		silent := strings.Join(s.dev.Waiting(), " and ")
		if silent == "" {
			silent = "the devices"
		}
		return fmt.Errorf("no sound arrived from %s within %v: check that it is connected, chosen as the input and not muted, then try again", silent, FirstAudioTimeout)
	}
}

// Record files a call into lib from now on: once both devices deliver
// sound (it waits up to FirstAudioTimeout), the call is added to the
// library as recording and its file begins with the audio captured when
// Record was called (or the first audio, if the devices had sent none
// yet): the time the call's row takes to write is not lost. It returns
// the call as begun. Stop finishes it: analysed and filed.
//
// Crash safety has one owner: the recording's mark (audio/record.Mark),
// made before the call's row and removed after its analysis is saved, so
// that any process (Recover) can tell this recording from one a crash cut
// short; the file's header is brought up to date every second.
func (s *Session) Record(ctx context.Context, lib *store.Library, info store.CallInfo) (*store.Call, error) {
	asked := record.Clock()
	if err := s.in.Check(); err != nil {
		return nil, err
	}
	if err := s.waitAudio(ctx); err != nil {
		return nil, err
	}
	rel, err := lib.NewCallPath()
	if err != nil {
		return nil, err
	}
	abs := lib.Abs(rel)
	mark, err := record.NewMark(abs)
	if err != nil {
		return nil, err
	}
	if info.RecordedAt.IsZero() {
		info.RecordedAt = time.Now()
	}
	call, err := lib.BeginRecording(ctx, store.RecordingStart{AudioPath: rel, Title: info.Title, Rep: info.Rep,
		Customer: info.Customer, RecordedAt: info.RecordedAt})
	if err != nil {
		mark.Done()
		return nil, err
	}
	if err := s.begin(abs, lib, call, mark, asked); err != nil {
		if derr := lib.DeleteCall(context.Background(), call.ID); derr != nil {
			log.Printf("callcoach: removing the call that did not start: %v", derr)
		}
		mark.Done()
		return nil, err
	}
	return call, nil
}

// RecordFile records into the bare WAV file at path (which must not
// exist) instead of the library, from now on, like Record. RecoverFiles
// repairs what a crash leaves of such files.
func (s *Session) RecordFile(ctx context.Context, path string) error {
	asked := record.Clock()
	if err := s.in.Check(); err != nil {
		return err
	}
	if !strings.EqualFold(filepath.Ext(path), ".wav") {
		return fmt.Errorf("%s is not a .wav file name", path)
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists: choose another name", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := s.waitAudio(ctx); err != nil {
		return err
	}
	mark, err := record.NewMark(path)
	if err != nil {
		return err
	}
	if err := s.begin(path, nil, nil, mark, asked); err != nil {
		mark.Done()
		return err
	}
	return nil
}

func (s *Session) begin(path string, lib *store.Library, call *store.Call, mark *record.Mark, from int64) error {
	s.mu.Lock()
	if s.began || s.stopping {
		s.mu.Unlock()
		return errors.New("this session has recorded already; open a new one")
	}
	s.began = true
	s.mu.Unlock()
	if _, err := s.dev.Begin(path, from); err != nil {
		s.mu.Lock()
		s.began = false
		s.mu.Unlock()
		return err
	}
	s.mu.Lock()
	s.lib, s.call, s.path, s.mark = lib, call, path, mark
	s.mu.Unlock()
	return nil
}

// Stop ends the session. A recording under way is finished: the file
// completed, analysed from the file as an import is (Watch.Analysing
// tells how far), filed in the library as complete (or as recovered if it
// had ended by itself), and its mark removed. Until it is filed the call
// stays recording and its mark held, so that a crash meanwhile leaves it
// for Recover, which analyses it the same way. The error is non-nil
// only if that could not be done; what was kept is still in the result
// (and a recording not filed stays for Recover). Stop may be called more
// than once.
func (s *Session) Stop() (*Recorded, error) {
	s.mu.Lock()
	s.stopping = true
	s.mu.Unlock()
	return s.finish()
}

// Close is Stop for a front end that only watched the levels.
func (s *Session) Close() {
	if _, err := s.Stop(); err != nil {
		log.Printf("callcoach: %v", err)
	}
}

func (s *Session) finish() (*Recorded, error) {
	s.once.Do(func() {
		defer unquiet()
		o, err := s.dev.Stop()
		s.mu.Lock()
		lib, call, path, mark := s.lib, s.call, s.path, s.mark
		s.mu.Unlock()
		s.result = &Recorded{Path: path}
		if o != nil {
			s.result.Outcome = *o
		}
		if path == "" { // only watched
			s.result.Path = ""
			return
		}
		if err != nil {
			// The file could not be finished: the mark stays, so that
			// Recover repairs it.
			s.err = err
			return
		}
		ctx := context.Background()
		var rep string
		side := audio.Left // the recorder's layout
		if call != nil {
			rep = call.Rep
			side, _ = audio.RepSide(call.Channels)
		}
		res, aerr := analyzeCall(ctx, lib, path, side, rep, s.cfg, s.watch.Analysing, &o.Result)
		if aerr != nil {
			// Filed with the live figures rather than not at all; a
			// re-analysis can try the file again.
			res = o.Result
			res.Notes = append(res.Notes, "These are the figures measured live: the recording could not be analysed again from its file ("+aerr.Error()+"); re-analyse the call to try again.")
		}
		res.File = filepath.Base(path)
		s.result.Analysis = &res
		if lib == nil {
			mark.Done()
			return
		}
		status := store.StatusComplete
		if o.Ended != nil {
			status = store.StatusRecovered
		}
		if err := lib.FinishRecording(ctx, call.ID, &res, status); err != nil {
			s.err = fmt.Errorf("the recording is kept in %s but could not be filed (%w); it is filed at the next start", path, err)
			mark.Done()
			return
		}
		mark.Done()
		if c, err := lib.Call(ctx, call.ID); err == nil {
			s.result.Call = matchFiled(ctx, lib, c, nil) // repeated passages, script evidence
		} else {
			s.err = err
		}
		if o.Dropped > 0 {
			log.Printf("callcoach: call %d: %d buffers dropped, %d late", call.ID, o.Dropped, o.Overflows)
		}
	})
	return s.result, s.err
}

// The stderr redirection is shared by the sessions open at once (the app
// opens the next before the last has closed).
var (
	quietMu      sync.Mutex
	quietN       int
	quietRestore func()
	quietLog     io.Writer
)

// quiet sends what C libraries print on fd 2 to a pipe while a session is
// open, keeping the log package on the real standard error.
func quiet() {
	quietMu.Lock()
	defer quietMu.Unlock()
	quietN++
	if quietN > 1 {
		return
	}
	real, restore := device.Quiet()
	quietLog = log.Writer()
	log.SetOutput(real)
	quietRestore = restore
}

func unquiet() {
	quietMu.Lock()
	defer quietMu.Unlock()
	quietN--
	if quietN > 0 {
		return
	}
	log.SetOutput(quietLog)
	quietRestore()
}
