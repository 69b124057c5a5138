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
	"callcoach/audio/device"
	"callcoach/audio/record"
	"callcoach/callflow"
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

Records a call into one stereo WAV (left = rep, right = customer) until
--seconds pass or Ctrl-C, showing the levels and talk share live, then
prints the analysis. NAME is any part of a device's name, as listed by
'callcoach devices' (case does not matter). On Linux the customer is
usually the "Monitor of ..." source of the headset or speakers.

Before recording, unfinished recordings next to the output file (left by
a crash or power cut) are repaired and kept.

Flags:
`

func runRecord(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("record", recordUsage, stderr)
	repDev := fs.String("rep-device", "", "the rep's device: the microphone")
	custDev := fs.String("customer-device", "", "the customer's device: the headset or speaker monitor")
	stereoDev := fs.String("stereo-device", "", "one stereo device carrying both parties (instead of the two above)")
	repChannel := fs.String("rep-channel", "left", "the stereo device's channel that carries the rep: left or right")
	seconds := fs.Float64("seconds", 0, "stop after this many seconds (default: at Ctrl-C)")
	out := fs.String("out", "", "the WAV file to write (default: call-DATE-TIME.wav here)")
	rate := fs.Int("rate", 16000, "the file's sample rate in Hz")
	data := fs.String("data", "", "the library whose analysis settings to use")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("record takes flags only (got %q); run 'callcoach record -h'", fs.Arg(0))
	}
	if *stereoDev == "" && (*repDev == "" || *custDev == "") {
		return usagef("name the rep's and the customer's devices (--rep-device and --customer-device) or one --stereo-device; 'callcoach devices' lists them")
	}
	if *seconds < 0 || math.IsNaN(*seconds) {
		return usagef("--seconds must be positive")
	}
	if *rate < 8000 || *rate > 96000 {
		return usagef("--rate must be between 8000 and 96000 Hz")
	}
	path := *out
	if path == "" {
		path = "call-" + time.Now().Format("20060102-150405") + ".wav"
	}
	if !strings.EqualFold(filepath.Ext(path), ".wav") {
		return usagef("--out must name a .wav file")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists: choose another name with --out", path)
	}

	// Keep what an earlier crash left next to the new file.
	recovered, rerr := record.Recover(filepath.Dir(path))
	for _, r := range recovered {
		fmt.Fprintf(stderr, "Repaired an unfinished recording: %s (%s kept)\n", r.Path, r.Report.Duration.Round(100*time.Millisecond))
	}
	if rerr != nil {
		fmt.Fprintln(stderr, rerr)
	}

	ctx := context.Background()
	cfg, note := callflow.ConfigAt(ctx, *data)
	if note != "" {
		fmt.Fprintln(stderr, note)
	}
	meter := newMeter(stdout)
	rec, err := device.Record(device.Request{
		RepDevice: *repDev, CustomerDevice: *custDev, StereoDevice: *stereoDev, RepChannel: *repChannel,
		Path: path, Rate: *rate, Analysis: &cfg, OnLive: meter.live,
	})
	if err != nil {
		return err
	}
	// PortAudio and ALSA complain on stderr when a device vanishes; keep
	// the terminal for our own lines while recording.
	_, restore := device.Quiet()
	defer restore()

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	var timeout <-chan time.Time
	select {
	case <-rec.FirstAudio():
		if *seconds > 0 {
			timeout = time.After(time.Duration(*seconds * float64(time.Second)))
		}
		fmt.Fprintf(stdout, "Recording %s (rep: %s, customer: %s). Press Ctrl-C to stop.\n", path, rec.Rep.Name, rec.Customer.Name)
		meter.start()
	case <-rec.Done():
	case <-time.After(5 * time.Second):
		rec.Stop()
		os.Remove(path)
		return errors.New("no sound arrived from the devices within 5 s: check that they are connected and not muted, then try again")
	}
	select {
	case <-sig:
	case <-timeout:
	case <-rec.Done():
	}
	o, err := rec.Stop()
	meter.stop()
	restore()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Saved %s (%s).\n", o.Path, o.Duration.Round(100*time.Millisecond))
	if o.Dropped > 0 || o.Overflows > 0 {
		fmt.Fprintf(stdout, "Note: %d audio buffers were lost and %d arrived late.\n", o.Dropped, o.Overflows)
	}
	fmt.Fprintln(stdout)
	if err := analysis.WriteSummary(stdout, &o.Result); err != nil {
		return err
	}
	if o.Ended != nil {
		return o.Ended
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
	done    chan struct{}
}

func newMeter(w io.Writer) *meter {
	m := &meter{w: w, every: 5 * time.Second, lives: make(chan record.Live, 1), done: make(chan struct{})}
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
		for l := range m.lives {
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
	close(m.lives)
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
		s += fmt.Sprintf("  interruptions %d (last: %s at %s)", l.Interruptions, l.LastInterruption.By, clockString(l.LastInterruption.At.D()))
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
