// Package record turns live input streams into a crash-safe stereo call
// file (left = rep, right = customer) and live figures.
//
// It is pure Go: devices reach it through the small Input interface, whose
// callback only copies into a Ring. One writer goroutine drains the rings,
// measures each device's real rate against the system clock, resamples both
// parties to a common rate keeping them aligned, writes the file (header
// brought up to date every second), feeds the analysis and publishes live
// figures. audio/device provides Inputs from PortAudio; tests provide fakes.
//
// A Recorder may start without a file: it then only watches the inputs
// (levels for the meters, a dead device noticed at once) until Begin
// starts the file from the next sample, with streams already running, so
// that a recording loses nothing to opening devices. Mark is the one
// in-progress mark of a recording (mark.go); the use cases in callflow
// decide its lifetime.
package record

import (
	"errors"
	"fmt"
	"math"
	"os"
	"sync"
	"syscall"
	"time"

	"callcoach/analysis"
	"callcoach/audio"
)

// Input is an open capture stream. Its audio callback writes into Ring (and
// nothing else); the recorder starts it, reads the ring and closes it.
type Input interface {
	// Name is the device's name, for messages.
	Name() string
	// Rate is the nominal sample rate the stream was opened at.
	Rate() int
	// Ring is where the callback writes; its channel count is the
	// stream's.
	Ring() *Ring
	Start() error
	Close() error
	// Err reports why the stream stopped delivering (device unplugged,
	// server gone), or nil while it runs.
	Err() error
}

// Poller is an Input whose audio arrives somewhere the writer must fetch it
// from (a queue in C memory filled by an audio thread): the writer calls
// Poll from its goroutine before reading the Ring, which Poll fills.
type Poller interface {
	Poll()
}

// Tap is one party's source: a channel of an input.
type Tap struct {
	Input   Input
	Channel int
}

// FileWriter is what the recorder writes the call through (audio.Writer).
type FileWriter interface {
	// WriteFrames appends interleaved stereo samples in [-1, 1].
	WriteFrames(interleaved []float32) error
	// Sync brings the header up to date and flushes to disk, so that the
	// file is valid as it stands.
	Sync() error
	Close() error
}

// Options configure a recording. Rep and Customer are required, except
// that a recorder that only watches levels (no Path) may lack Customer.
type Options struct {
	// Path is the file to record into from the first audio on; "" watches
	// the inputs until Begin names the file.
	Path string
	// Rate is the file's sample rate (default 16000 Hz).
	Rate     int
	Rep      Tap
	Customer Tap
	// Analysis is the configuration of the live and final analysis
	// (default analysis.DefaultConfig()).
	Analysis *analysis.Config
	// OnLive receives live figures from the writer goroutine, about every
	// LiveEvery. It must return quickly; the UI throttles what it draws.
	OnLive func(Live)
	// LiveEvery is the live figures' period (default 80 ms, two writer
	// ticks; they come at the first tick at least this long after the
	// last).
	LiveEvery time.Duration
	// SyncEvery is how often the file header is brought up to date and
	// flushed (default and at most 1 s: a crash loses at most this much).
	SyncEvery time.Duration
	// StallAfter: a stream that delivers nothing for this long is taken
	// as unplugged and ends the recording (default 2 s).
	StallAfter time.Duration
	// Create opens the output file (default: audio.Create, mode 0600).
	Create func(path string, rate, channels int) (FileWriter, error)
	// Clock returns nanoseconds on the time base of Ring stamps (default
	// Clock). Tests simulate time with it.
	Clock func() int64
}

// Live is a snapshot of the inputs and of the call in progress.
type Live struct {
	// Recording is false while the recorder only watches its inputs (the
	// call's figures below are then zero).
	Recording bool
	Elapsed   time.Duration
	// RepPeak and CustomerPeak are the peaks (linear, 0..1) of what each
	// party's device delivered since the last snapshot, read before
	// alignment so that each meter moves as soon as its own device
	// delivers; RepWaiting and CustomerWaiting say a device has delivered
	// nothing yet.
	RepPeak, CustomerPeak       float64
	RepWaiting, CustomerWaiting bool
	// RepLevel and CustomerLevel are RMS levels in dBFS over the aligned
	// audio since the last snapshot (-100 for digital silence or none).
	RepLevel, CustomerLevel float64
	// Talk and RepTalkShare come from the same analysis as the final
	// result.
	Talk         analysis.PerParty
	RepTalkShare float64
	// Interruptions counts every interruption so far, RepInterruptions
	// the rep's, TalkedOver the customer's attempts the rep talked over
	// (customer interruptions the rep did not yield to, as the verdict
	// counts them).
	Interruptions, RepInterruptions, TalkedOver int
	LastInterruption                            *analysis.Interruption
	// Dropped counts buffers lost so far (ring full), Overflows buffers
	// the devices reported late.
	Dropped, Overflows uint64
	// Lag is how far these figures trail the newest audio they include:
	// now minus that audio's capture time.
	Lag time.Duration
}

// Outcome is what a finished recording reports.
type Outcome struct {
	Path string
	// Duration is the length of the file ("" Path: nothing was recorded).
	Duration time.Duration
	// FileStart is the capture time (Clock nanoseconds) of the file's
	// first sample.
	FileStart int64
	// Ended says why the recording stopped on its own (device lost, disk
	// full, write error) as a sentence for the user; nil when it was
	// stopped by Stop.
	Ended              error
	Dropped, Overflows uint64
	Buffers            uint64
	// MaxLag is the largest Live.Lag after the first second.
	MaxLag time.Duration
	// Rates are the measured input rates, in the order rep, customer (one
	// entry for a stereo device).
	Rates  []float64
	Result analysis.Result
}

// Errors a recording can end with; Outcome.Ended wraps them.
var (
	ErrDeviceLost = errors.New("input device stopped delivering sound")
	ErrDiskFull   = errors.New("disk full")
	ErrWrite      = errors.New("cannot write the recording")
)

// Recorder records one call. Start it with Start, end it with Stop.
type Recorder struct {
	opt     Options
	out     FileWriter
	disk    *disk
	an      *analysis.Analyzer
	streams []*stream
	rep     [2]int // stream, tap of the rep
	cust    [2]int

	started    bool
	start      float64 // capture time of output sample 0, seconds on Clock
	written    int64   // output frames made (written to the file once recording)
	fileStart  int64   // the output frame that is the file's first (recording)
	recording  bool    // the file is open and the analysis fed
	lastLive   int64
	firstLive  int64
	levelsOnly bool // no customer input: levels of the rep's device only

	begin     chan *beginReq
	pending   *beginReq // a Begin that waits for the first audio
	beganPath string
	// pre keeps the last preRoll of aligned audio while a recorder that
	// may Begin watches, so that a file begun late still starts when it
	// was asked to.
	pre *preRing

	repBuf, custBuf, inter []float32
	lv                     levels

	stop      chan struct{}
	done      chan struct{}
	first     chan struct{}
	begun     chan struct{} // closed when the file starts
	stopOnce  sync.Once
	outcome   Outcome
	finishErr error
	outcomeMu sync.Mutex
	live      Live
}

type levels struct {
	n             int
	repSq, custSq float64
	newestAt      float64
}

// Start opens the file (if Options.Path names one), starts the inputs and
// the writer goroutine.
func Start(opt Options) (*Recorder, error) {
	r, err := newRecorder(opt)
	if err != nil {
		return nil, err
	}
	for i, s := range r.streams {
		if err := s.in.Start(); err != nil {
			for _, t := range r.streams[:i] {
				t.in.Close()
			}
			if r.pending != nil {
				r.pending.disk.close()
				os.Remove(r.opt.Path)
			}
			return nil, fmt.Errorf("start %s: %w", s.in.Name(), err)
		}
	}
	now := r.opt.Clock()
	r.lastLive = now
	go r.loop()
	return r, nil
}

// newRecorder checks the options and creates the file and the writer's
// state; it starts nothing.
func newRecorder(opt Options) (*Recorder, error) {
	if opt.Rate == 0 {
		opt.Rate = 16000
	}
	if opt.Rate < 8000 || opt.Rate > 192000 {
		return nil, fmt.Errorf("sample rate %d Hz is out of range (8000 to 192000)", opt.Rate)
	}
	if opt.LiveEvery <= 0 {
		opt.LiveEvery = 2 * writerTick
	}
	if opt.SyncEvery <= 0 || opt.SyncEvery > time.Second {
		opt.SyncEvery = time.Second
	}
	if opt.StallAfter <= 0 {
		opt.StallAfter = 2 * time.Second
	}
	if opt.Clock == nil {
		opt.Clock = Clock
	}
	if opt.Create == nil {
		opt.Create = createWAV
	}
	if opt.Rep.Input == nil || (opt.Customer.Input == nil && opt.Path != "") {
		return nil, errors.New("record: both parties need an input")
	}
	cfg := analysis.DefaultConfig()
	if opt.Analysis != nil {
		cfg = *opt.Analysis
	}
	an, err := analysis.NewAnalyzer(cfg, opt.Rate, analysis.TwoParty)
	if err != nil {
		return nil, fmt.Errorf("start the live analysis: %w", err)
	}
	r := &Recorder{opt: opt, an: an, stop: make(chan struct{}), done: make(chan struct{}), first: make(chan struct{}),
		begun: make(chan struct{}), begin: make(chan *beginReq, 1), levelsOnly: opt.Customer.Input == nil}
	taps := []Tap{opt.Rep}
	if !r.levelsOnly {
		taps = append(taps, opt.Customer)
	}
	for _, tap := range taps {
		if ch := tap.Input.Ring().Channels(); tap.Channel < 0 || tap.Channel >= ch {
			return nil, fmt.Errorf("%s has %d channel(s); channel %d does not exist", tap.Input.Name(), ch, tap.Channel+1)
		}
	}
	switch {
	case r.levelsOnly:
		r.streams = []*stream{newStream(opt.Rep.Input, []int{opt.Rep.Channel}, opt.Rate)}
		r.streams[0].levelsOnly = true
		r.rep, r.cust = [2]int{0, 0}, [2]int{-1, -1}
	case opt.Rep.Input == opt.Customer.Input:
		r.streams = []*stream{newStream(opt.Rep.Input, []int{opt.Rep.Channel, opt.Customer.Channel}, opt.Rate)}
		r.rep, r.cust = [2]int{0, 0}, [2]int{0, 1}
	default:
		r.streams = []*stream{
			newStream(opt.Rep.Input, []int{opt.Rep.Channel}, opt.Rate),
			newStream(opt.Customer.Input, []int{opt.Customer.Channel}, opt.Rate),
		}
		r.rep, r.cust = [2]int{0, 0}, [2]int{1, 0}
	}
	const chunk = 4096
	r.repBuf, r.custBuf, r.inter = make([]float32, chunk), make([]float32, chunk), make([]float32, 2*chunk)
	if !r.levelsOnly && opt.Path == "" {
		r.pre = newPreRing(int(preRoll.Seconds() * float64(opt.Rate)))
	}

	if opt.Path != "" {
		b, err := r.openFile(opt.Path)
		if err != nil {
			return nil, err
		}
		r.pending = b // begins with the first audio
	}
	return r, nil
}

// beginReq hands an open file to the writer goroutine.
type beginReq struct {
	path string
	from int64 // capture time the file should start at (Clock ns); 0: the next sample
	out  FileWriter
	disk *disk
	// at receives the capture time of the file's first sample.
	at chan int64
}

// openFile creates the file and its disk writer (not on the writer
// goroutine: creating a file may take a while).
func (r *Recorder) openFile(path string) (*beginReq, error) {
	out, err := r.opt.Create(path, r.opt.Rate, 2)
	if err != nil {
		return nil, fmt.Errorf("create the recording %s: %w", path, err)
	}
	return &beginReq{path: path, out: out, disk: newDisk(out, r.opt.Rate, r.opt.SyncEvery), at: make(chan int64, 1)}, nil
}

// ErrNotRecordable: Begin on a recorder that watches one device's levels
// only, or that has a file already.
var ErrNotRecordable = errors.New("this recorder cannot begin a recording")

// Begin starts the file at path with the audio captured at from (Clock
// nanoseconds; the moment the user asked to record), and returns the
// capture time of its first sample. The streams run already, so nothing
// is lost to opening devices; and the recorder keeps the last preRoll of
// aligned audio, so nothing is lost to a busy machine or to the library's
// row written first either: the file reaches back to from if it is that
// recent, else to the oldest audio kept. A from of 0, or one not yet
// reached, starts the file with the next sample. Begin waits for the
// first audio of every input if it has not come yet; if the recorder ends
// meanwhile it returns why, and removes the file. Begin may be called
// once.
func (r *Recorder) Begin(path string, from int64) (int64, error) {
	if r.levelsOnly || r.opt.Path != "" {
		return 0, ErrNotRecordable
	}
	b, err := r.openFile(path)
	if err != nil {
		return 0, err
	}
	b.from = from
	select {
	case r.begin <- b:
	default:
		b.disk.close()
		os.Remove(path)
		return 0, ErrNotRecordable
	}
	select {
	case at := <-b.at:
		return at, nil
	case <-r.done:
		select {
		case at := <-b.at: // began just before the end
			return at, nil
		default:
		}
		b.disk.close()
		os.Remove(path)
		if o, _ := r.Stop(); o != nil && o.Ended != nil {
			return 0, o.Ended
		}
		return 0, errors.New("the recording stopped before it began")
	}
}

// startFile makes the file begin with the output frame captured at
// b.from, if the pre-roll still holds it, else with the oldest it holds
// or the next one (writer goroutine, once every input has started).
func (r *Recorder) startFile(b *beginReq) error {
	r.out, r.disk, r.beganPath = b.out, b.disk, b.path
	back := 0
	if r.pre != nil && b.from > 0 {
		first := int64(math.Ceil((float64(b.from)/1e9 - r.start) * float64(r.opt.Rate)))
		back = int(min(max(r.written-first, 0), int64(r.pre.n)))
	}
	r.fileStart = r.written - int64(back)
	r.recording = true
	r.lv = levels{}
	b.at <- int64((r.start + float64(r.fileStart)/float64(r.opt.Rate)) * 1e9)
	close(r.begun)
	if back == 0 {
		return nil
	}
	older, newer := r.pre.last(back)
	r.pre.n = 0
	for _, part := range [][]float32{older, newer} {
		for len(part) > 0 {
			m := min(len(r.repBuf), len(part)/2)
			for i := range m {
				r.repBuf[i], r.custBuf[i] = part[2*i], part[2*i+1]
			}
			if err := r.disk.push(part[:2*m]); err != nil {
				return diskError(err)
			}
			r.an.Write(r.repBuf[:m], r.custBuf[:m])
			part = part[2*m:]
		}
	}
	return nil
}

// preRoll is how much aligned audio a recorder that may Begin keeps while
// it watches. The file used to start only when the writer saw the
// request: 289 ms after the user asked, once, on a busy machine (the
// library's row is written and synced first).
const preRoll = time.Second

// preRing is the pre-roll: the newest frames, interleaved rep and
// customer, in a circle.
type preRing struct {
	buf    []float32
	frames int // capacity
	n      int // frames held
	w      int // the next frame's slot
}

func newPreRing(frames int) *preRing {
	return &preRing{buf: make([]float32, 2*frames), frames: frames}
}

func (p *preRing) add(rep, cust []float32) {
	for i, v := range rep {
		p.buf[2*p.w], p.buf[2*p.w+1] = v, cust[i]
		if p.w++; p.w == p.frames {
			p.w = 0
		}
	}
	p.n = min(p.n+len(rep), p.frames)
}

// last returns the newest k frames (k <= n), oldest first, as two runs of
// the circle.
func (p *preRing) last(k int) (older, newer []float32) {
	start := p.w - k
	if start < 0 {
		start += p.frames
	}
	if start+k <= p.frames {
		return p.buf[2*start : 2*(start+k)], nil
	}
	return p.buf[2*start:], p.buf[:2*(start+k-p.frames)]
}

// Waiting names the inputs that have delivered nothing yet. Safe from any
// goroutine.
func (r *Recorder) Waiting() []string {
	var out []string
	for _, s := range r.streams {
		if !s.delivered.Load() {
			out = append(out, s.in.Name())
		}
	}
	return out
}

// FirstAudio is closed once every input has delivered its first buffer.
func (r *Recorder) FirstAudio() <-chan struct{} { return r.first }

// Done is closed when the recording has ended, by Stop or on its own
// (device lost, disk full); Stop then returns the outcome.
func (r *Recorder) Done() <-chan struct{} { return r.done }

// Begun is closed when the file has started.
func (r *Recorder) Begun() <-chan struct{} { return r.begun }

// Live returns the latest live figures.
func (r *Recorder) Live() Live {
	r.outcomeMu.Lock()
	defer r.outcomeMu.Unlock()
	return r.live
}

// Stop ends the recording (if it has not ended on its own), finishes the
// file and the analysis and returns the outcome. The returned error is
// non-nil only if the file could not be finished; the outcome then still
// says what was kept.
func (r *Recorder) Stop() (*Outcome, error) {
	r.stopOnce.Do(func() { close(r.stop) })
	<-r.done
	o := r.outcome
	return &o, r.finishErr
}

func (r *Recorder) loop() {
	defer close(r.done)
	tick := time.NewTicker(writerTick)
	defer tick.Stop()
	var ended error
	for ended == nil {
		select {
		case b := <-r.begin:
			r.pending = b
		case <-r.stop:
			for _, s := range r.streams {
				s.in.Close()
			}
			ended = r.pump(true)
			if ended == nil {
				ended = errStopped
			}
		case <-tick.C:
			ended = r.pump(false)
		}
	}
	if ended == errStopped {
		ended = nil
	} else {
		for _, s := range r.streams {
			s.in.Close()
		}
	}
	r.finish(ended)
}

var errStopped = errors.New("stopped")

func diskError(err error) error {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return fmt.Errorf("%w: %w", ErrDiskFull, err)
	}
	return fmt.Errorf("%w: %w", ErrWrite, err)
}

// writerTick is how often the writer wakes to drain the rings: often enough
// for live figures well within 150 ms, seldom enough to cost little. It is
// the devices' fragment (audio/device bufferTime): a shorter tick finds no
// more audio, and on an idle machine each wake-up of the Go scheduler costs
// more than the tick's work (measured: 25 ms ticks, ~45 timer wake-ups a
// second with the disk's, were half the Go threads' CPU).
const writerTick = 40 * time.Millisecond

// DeviceLostError says which input went away, and how; it is ErrDeviceLost
// for errors.Is.
type DeviceLostError struct {
	Device string
	Err    error
}

func (e *DeviceLostError) Error() string {
	return fmt.Sprintf("%s went away: %v", e.Device, e.Err)
}

func (e *DeviceLostError) Is(target error) bool { return target == ErrDeviceLost }

func (e *DeviceLostError) Unwrap() error { return e.Err }

// pump moves all the audio that is ready from the rings to the file, the
// analysis and the live figures. It returns non-nil when the recording
// must end. The final pump, after the inputs are closed, only drains.
func (r *Recorder) pump(final bool) error {
	now := r.opt.Clock()
	for _, s := range r.streams {
		s.drain()
		if final {
			continue
		}
		if err := s.in.Err(); err != nil {
			return &DeviceLostError{Device: s.in.Name(), Err: err}
		}
		if c := s.ring.Counts(); c.Buffers+c.Dropped != s.lifeCount || s.lifeAt == 0 {
			s.lifeCount, s.lifeAt = c.Buffers+c.Dropped, now
		}
		if s.started && now-s.lifeAt > int64(r.opt.StallAfter) {
			return &DeviceLostError{Device: s.in.Name(), Err: fmt.Errorf("it sent no sound for %v", r.opt.StallAfter)}
		}
	}
	if !r.started && !r.levelsOnly {
		ready := true
		for _, s := range r.streams {
			if !s.started {
				ready = false
				break
			}
			r.start = math.Max(r.start, s.t0)
		}
		if ready {
			r.started = true
			r.firstLive = now
			close(r.first)
		} else {
			for _, s := range r.streams {
				if s.started {
					s.trimWaiting()
				}
			}
		}
	} else if !r.started && r.streams[0].started { // levels only
		r.started = true
		r.firstLive = now
		close(r.first)
	}
	if r.started && !r.levelsOnly {
		if r.pending != nil && !final {
			b := r.pending
			r.pending = nil
			if err := r.startFile(b); err != nil {
				return err
			}
		}
		if err := r.align(); err != nil {
			return err
		}
	}
	// Half a tick early counts: ticks jitter, and a period of two ticks
	// must not become three.
	if now-r.lastLive >= int64(r.opt.LiveEvery-writerTick/2) && (r.lv.n > 0 || !r.recording) {
		r.lastLive = now
		r.publish(now)
	}
	return nil
}

// align makes the output frames that both parties' audio is in for:
// resampled, aligned, and (once recording) written and analysed.
func (r *Recorder) align() error {
	for {
		n := len(r.repBuf)
		for _, s := range r.streams {
			n = min(n, s.plan(r.start, r.written, float64(r.opt.Rate), len(r.streams) == 1))
		}
		if n <= 0 {
			break
		}
		rs := r.streams[r.rep[0]]
		rs.rs[r.rep[1]].Pull(r.repBuf[:n], rs.step)
		cs := r.streams[r.cust[0]]
		cs.rs[r.cust[1]].Pull(r.custBuf[:n], cs.step)
		for _, s := range r.streams {
			// Channels of one stream move in lockstep; any tap not
			// pulled above is pulled here so its position advances.
			for k, rsm := range s.rs {
				if (s == rs && k == r.rep[1]) || (s == cs && k == r.cust[1]) {
					continue
				}
				rsm.Pull(r.inter[:n], s.step)
			}
		}
		r.written += int64(n)
		r.lv.add(r.repBuf[:n], r.custBuf[:n])
		r.lv.newestAt = r.start + float64(r.written)/float64(r.opt.Rate)
		if !r.recording {
			// Watching only: the aligned audio goes to the levels and the
			// pre-roll.
			if r.pre != nil {
				r.pre.add(r.repBuf[:n], r.custBuf[:n])
			}
			continue
		}
		for i := range n {
			r.inter[2*i], r.inter[2*i+1] = r.repBuf[i], r.custBuf[i]
		}
		if err := r.disk.push(r.inter[:2*n]); err != nil {
			return diskError(err)
		}
		r.an.Write(r.repBuf[:n], r.custBuf[:n])
	}
	if r.recording {
		if err := r.disk.failed(); err != nil {
			return diskError(err)
		}
	}
	return nil
}

func (l *levels) add(rep, cust []float32) {
	for i, v := range rep {
		c := cust[i]
		l.repSq += float64(v) * float64(v)
		l.custSq += float64(c) * float64(c)
	}
	l.n += len(rep)
}

func dBFS(sumSq float64, n int) float64 {
	if n == 0 || sumSq == 0 {
		return -100
	}
	return math.Max(-100, 10*math.Log10(sumSq/float64(n)))
}

func (r *Recorder) publish(now int64) {
	lv := Live{
		Recording:     r.recording,
		RepLevel:      dBFS(r.lv.repSq, r.lv.n),
		CustomerLevel: dBFS(r.lv.custSq, r.lv.n),
		Lag:           time.Duration(float64(now) - r.lv.newestAt*1e9),
	}
	rs := r.streams[r.rep[0]]
	lv.RepPeak, lv.RepWaiting = float64(rs.takePeak(r.rep[1])), !rs.started
	if r.levelsOnly {
		lv.CustomerWaiting = true
	} else {
		cs := r.streams[r.cust[0]]
		lv.CustomerPeak, lv.CustomerWaiting = float64(cs.takePeak(r.cust[1])), !cs.started
	}
	if r.recording {
		res := r.an.SnapshotFigures()
		lv.Elapsed = time.Duration(r.written-r.fileStart) * time.Second / time.Duration(r.opt.Rate)
		lv.Talk, lv.RepTalkShare = res.Talk, res.RepTalkShare
		lv.Interruptions = len(res.Interruptions)
		for _, in := range res.Interruptions {
			switch {
			case in.By == analysis.Rep:
				lv.RepInterruptions++
			case in.By == analysis.Customer && !in.Yielded:
				lv.TalkedOver++
			}
		}
		if k := len(res.Interruptions); k > 0 {
			last := res.Interruptions[k-1]
			lv.LastInterruption = &last
		}
	}
	if r.lv.n == 0 {
		lv.Lag = 0
	}
	for _, s := range r.streams {
		c := s.ring.Counts()
		lv.Dropped += c.Dropped
		lv.Overflows += c.Overflows
	}
	r.lv = levels{}
	if r.recording && now-r.firstLive > int64(time.Second) && lv.Lag > r.outcome.MaxLag {
		r.outcome.MaxLag = lv.Lag
	}
	r.outcomeMu.Lock()
	r.live = lv
	r.outcomeMu.Unlock()
	if r.opt.OnLive != nil {
		r.opt.OnLive(lv)
	}
}

func createWAV(path string, rate, channels int) (FileWriter, error) {
	return audio.Create(path, rate, channels)
}

// finish closes the file, completes the analysis and fills in the
// outcome. A recorder that never began a file reports why it ended and
// nothing else.
func (r *Recorder) finish(ended error) {
	o := Outcome{MaxLag: r.outcome.MaxLag}
	for _, s := range r.streams {
		c := s.ring.Counts()
		o.Dropped += c.Dropped
		o.Overflows += c.Overflows
		o.Buffers += c.Buffers
		o.Rates = append(o.Rates, s.clock.rate(s.rate))
	}
	if r.pending != nil { // a file that never began
		r.pending.disk.close()
		if r.opt.Path != "" {
			os.Remove(r.opt.Path)
		}
		r.pending = nil
	}
	if !r.recording {
		o.Ended = ended
		r.outcomeMu.Lock()
		r.outcome = o
		r.outcomeMu.Unlock()
		return
	}
	path := r.opt.Path
	if path == "" {
		path = r.beganPath
	}
	o.Path = path
	o.FileStart = int64((r.start + float64(r.fileStart)/float64(r.opt.Rate)) * 1e9)
	o.Duration = time.Duration(r.written-r.fileStart) * time.Second / time.Duration(r.opt.Rate)
	if err := r.disk.close(); err != nil && ended == nil {
		r.finishErr = fmt.Errorf("finish the recording %s: %w", path, err)
	}
	if ended != nil {
		// Whatever went wrong, leave a file whose header matches its
		// samples.
		if _, err := audio.Repair(path); err != nil && r.finishErr == nil {
			r.finishErr = err
		}
	}
	o.Ended = endedSentence(ended, o.Duration)
	res := r.an.Finish()
	res.File = path
	res.Channels = audio.Left.Channels()
	if o.Dropped > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d audio buffers were lost while recording (the computer fell behind); those moments are silent.", o.Dropped))
	}
	if o.Ended != nil {
		res.Notes = append(res.Notes, o.Ended.Error())
	}
	o.Result = res
	r.outcomeMu.Lock()
	r.outcome = o
	r.outcomeMu.Unlock()
}

// endedSentence turns the reason a recording stopped on its own into what
// the user reads; it keeps the cause for errors.Is.
func endedSentence(err error, kept time.Duration) error {
	if err == nil {
		return nil
	}
	k := kept.Round(100 * time.Millisecond)
	switch {
	case errors.Is(err, ErrDeviceLost):
		return fmt.Errorf("the recording stopped after %v because %w; everything up to then is saved — plug the device back in and start a new recording", k, err)
	case errors.Is(err, ErrDiskFull):
		return fmt.Errorf("the recording stopped after %v because the disk is full; everything up to then is saved — free some space before recording again (%w)", k, err)
	}
	return fmt.Errorf("the recording stopped after %v because the file could not be written; everything up to then is saved (%w)", k, err)
}
