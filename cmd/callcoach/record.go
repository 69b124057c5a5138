package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"callcoach/analysis"
	"callcoach/audio/record"
	"callcoach/callflow"
	"callcoach/store"
)

func init() {
	register(command{
		name:    "record",
		summary: "record a call from a microphone and a headset (or one stereo device) and analyse it",
		run:     runRecord,
	})
}

const recordUsage = `Usage:
  callcoach record --rep-device NAME --customer-device NAME [flags]
  callcoach record --stereo-device NAME [--rep-channel left|right] [flags]

Records a call from the rep's microphone and the customer's side (or one
stereo device) until --seconds pass or Ctrl-C, showing the levels and talk
share live, then files it in the library (--data DIR, else $CALLCOACH_DATA,
else the standard folder) with its analysis, prints the summary and the
call's number: 'callcoach list' shows it at once, as does the app. With
--out FILE.wav it writes that one stereo WAV (left = rep, right =
customer) instead and files nothing.

NAME is any part of a device's name, as listed by 'callcoach devices'
(case does not matter). On Linux the customer is usually the "Monitor of
..." source of the headset or speakers. Recording starts once sound
arrives from both devices (it gives up after 5 s of silence from either).

Before recording, unfinished recordings (left by a crash or power cut) in
the library, or next to --out's file, are repaired and kept.

Flags:
`

func runRecord(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("record", recordUsage, stderr)
	repDev := fs.String("rep-device", "", "the rep's device: the microphone")
	custDev := fs.String("customer-device", "", "the customer's device: the headset or speaker monitor")
	stereoDev := fs.String("stereo-device", "", "one stereo device carrying both parties (instead of the two above)")
	repChannel := fs.String("rep-channel", "left", "the stereo device's channel that carries the rep: left or right")
	seconds := fs.Float64("seconds", 0, "stop after this many seconds of recording (default: at Ctrl-C)")
	out := fs.String("out", "", "write this bare WAV file instead of filing the call in the library")
	rate := fs.Int("rate", 16000, "the file's sample rate in Hz")
	rep := fs.String("rep", "", "the rep's name (default: the library's)")
	title := fs.String("title", "", "the call's title")
	customer := fs.String("customer", "", "the customer or company")
	data := dataFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("record takes flags only (got %q); run 'callcoach record -h'", fs.Arg(0))
	}
	if *stereoDev == "" && (*repDev == "" || *custDev == "") {
		return usagef("name the rep's and the customer's devices (--rep-device and --customer-device) or one --stereo-device; 'callcoach devices' lists them")
	}
	side, err := parseSide(*repChannel)
	if err != nil {
		return err
	}
	if *seconds < 0 || math.IsNaN(*seconds) {
		return usagef("--seconds must be positive")
	}
	if *rate < 8000 || *rate > 96000 {
		return usagef("--rate must be between 8000 and 96000 Hz")
	}
	if *out != "" && !strings.EqualFold(filepath.Ext(*out), ".wav") {
		return usagef("--out must name a .wav file")
	}
	if *out != "" && (*rep != "" || *title != "" || *customer != "") {
		return usagef("--rep, --title and --customer describe a call filed in the library; a bare --out file has none")
	}
	if *out != "" {
		if _, err := os.Stat(*out); err == nil {
			return fmt.Errorf("%s already exists: choose another name with --out", *out)
		}
	}
	in := callflow.Inputs{Rep: *repDev, Customer: *custDev, Stereo: *stereoDev, RepChannel: side, Rate: *rate}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var lib *store.Library
	var cfg analysis.Config
	if *out == "" {
		lib, err = openLibrary(*data, true)
		if err != nil {
			return err
		}
		defer lib.Close()
		recovered, rerr := callflow.Recover(ctx, lib)
		for _, c := range recovered {
			fmt.Fprintf(stderr, "Repaired an unfinished recording: call %d %q (%s kept)\n", c.ID, c.Title, lengthText(c.Duration))
		}
		if rerr != nil {
			fmt.Fprintln(stderr, rerr)
		}
		if cfg, err = callflow.Config(ctx, lib); err != nil {
			fmt.Fprintln(stderr, err)
		}
		if *rep == "" {
			lib.Setting(ctx, store.SettingRep, rep)
		}
	} else {
		// Keep what an earlier crash left next to the new file.
		recovered, rerr := callflow.RecoverFiles(filepath.Dir(*out))
		for _, r := range recovered {
			fmt.Fprintf(stderr, "Repaired an unfinished recording: %s (%s kept)\n", r.Path, r.Report.Duration.Round(100*time.Millisecond))
		}
		if rerr != nil {
			fmt.Fprintln(stderr, rerr)
		}
		var note string
		if cfg, note = callflow.ConfigAt(ctx, *data); note != "" {
			fmt.Fprintln(stderr, note)
		}
	}

	meter := newMeter(stdout)
	sess, err := callflow.Open(in, cfg, callflow.Watch{Live: meter.live})
	if err != nil {
		return err
	}
	defer sess.Close()
	var call *store.Call
	if lib != nil {
		call, err = sess.Record(ctx, lib, store.CallInfo{Title: *title, Rep: *rep, Customer: *customer})
	} else {
		err = sess.RecordFile(ctx, *out)
	}
	if errors.Is(err, context.Canceled) {
		return errors.New("stopped before the recording began; nothing was recorded")
	}
	if err != nil {
		return err
	}
	repD, custD := sess.Devices()
	if call != nil {
		fmt.Fprintf(stdout, "Recording call %d into the library %s (rep: %s, customer: %s). Press Ctrl-C to stop.\n", call.ID, lib.Dir(), repD.Name, custD.Name)
	} else {
		fmt.Fprintf(stdout, "Recording %s (rep: %s, customer: %s). Press Ctrl-C to stop.\n", *out, repD.Name, custD.Name)
	}
	meter.start()
	var timeout <-chan time.Time
	if *seconds > 0 {
		timeout = time.After(time.Duration(*seconds * float64(time.Second)))
	}
	select {
	case <-ctx.Done():
	case <-timeout:
	case <-sess.Done():
	}
	meter.stop()
	// Stop analyses the finished file as an import would: seconds for an
	// hour.
	fmt.Fprintln(stdout, "Analysing the recording…")
	res, err := sess.Stop()
	if err != nil {
		return err
	}
	if res.Call != nil {
		fmt.Fprintf(stdout, "Saved call %d %q (%s) in the library %s.\n", res.Call.ID, res.Call.Title, res.Duration.Round(100*time.Millisecond), lib.Dir())
	} else {
		fmt.Fprintf(stdout, "Saved %s (%s).\n", res.Path, res.Duration.Round(100*time.Millisecond))
	}
	if res.Dropped > 0 || res.Overflows > 0 {
		fmt.Fprintf(stdout, "Note: %d audio buffers were lost and %d arrived late.\n", res.Dropped, res.Overflows)
	}
	fmt.Fprintln(stdout)
	sum := &res.Result // the live figures, if the file was not analysed
	if res.Analysis != nil {
		sum = res.Analysis
	}
	if err := analysis.WriteSummary(stdout, sum); err != nil {
		return err
	}
	if res.Call != nil {
		fmt.Fprintf(stdout, "\nCall %d: 'callcoach show %d' for the details, 'callcoach list' for the library.\n", res.Call.ID, res.Call.ID)
	}
	if res.Ended != nil {
		return res.Ended
	}
	return nil
}

// meter prints the live figures on one updating terminal line, at most
// five times a second (once every five seconds when not on a terminal).
type meter struct {
	w       io.Writer
	tty     bool
	every   time.Duration
	last    time.Time
	on      bool
	printed bool
	lives   chan record.Live
	// quit ends the printing; lives is never closed, so that a callback
	// arriving after stop (the devices run until Stop) is simply dropped.
	quit chan struct{}
	done chan struct{}
}

func newMeter(w io.Writer) *meter {
	m := &meter{w: w, every: 5 * time.Second, lives: make(chan record.Live, 1), quit: make(chan struct{}), done: make(chan struct{})}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			m.tty, m.every = true, 200*time.Millisecond
		}
	}
	return m
}

// live is the recorder's callback: it never blocks, it keeps the newest.
func (m *meter) live(l record.Live) {
	select {
	case m.lives <- l:
	default:
		select {
		case <-m.lives:
		default:
		}
		select {
		case m.lives <- l:
		default:
		}
	}
}

func (m *meter) start() {
	m.on = true
	go func() {
		defer close(m.done)
		for {
			var l record.Live
			select {
			case l = <-m.lives:
			case <-m.quit:
				return
			}
			if time.Since(m.last) < m.every {
				continue
			}
			m.last = time.Now()
			if m.tty {
				fmt.Fprintf(m.w, "\r%s\x1b[K", liveLine(l))
			} else {
				fmt.Fprintln(m.w, liveLine(l))
			}
			m.printed = true
		}
	}()
}

func (m *meter) stop() {
	if !m.on {
		return
	}
	close(m.quit)
	<-m.done
	if m.tty && m.printed {
		fmt.Fprintln(m.w)
	}
}

// liveLine is one line of live figures.
func liveLine(l record.Live) string {
	s := fmt.Sprintf("● %s  rep %s  customer %s  rep talk %s",
		clockString(l.Elapsed), bar(l.RepLevel), bar(l.CustomerLevel), percent(l.RepTalkShare, l.Talk))
	if l.LastInterruption != nil {
		s += fmt.Sprintf("  you interrupted %d, talked over %d (last: %s at %s)", l.RepInterruptions, l.TalkedOver,
			l.LastInterruption.By, clockString(l.LastInterruption.At.D()))
	}
	if l.Dropped > 0 {
		s += fmt.Sprintf("  lost buffers %d", l.Dropped)
	}
	return s
}

func percent(share float64, talk analysis.PerParty) string {
	if talk.Rep+talk.Customer == 0 {
		return "--"
	}
	return fmt.Sprintf("%.0f%%", 100*share)
}

func clockString(d time.Duration) string {
	d = d.Round(time.Second)
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}

// bar draws a level in dBFS as eight cells from -60 dB to 0 dB.
func bar(db float64) string {
	n := int(math.Round((db + 60) / 60 * 8))
	n = max(0, min(8, n))
	return "[" + strings.Repeat("#", n) + strings.Repeat(".", 8-n) + "]"
}
