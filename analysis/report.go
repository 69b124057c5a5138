package analysis

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// WriteSummary writes r as a plain-text summary for a person: first the
// recording's warnings (what is wrong with the file and what to do), then
// duration,
// talk time and share, overlap, silences, every interruption with its time,
// backchannels, the longest monologue and customer story, interactivity,
// patience, the verdict with its score and reasons, and the notes. It
// returns the first write error.
func WriteSummary(w io.Writer, r *Result) error {
	p := &printer{w: w}
	d := r.Diarization
	mono := (r.Channels.OneChannel != "" || r.Talk.Unattributed > 0) && d == nil
	voices := d != nil && d.Rep != 1 && d.Rep != 2 // split, rep not known

	if ws := r.Recording.Warnings; len(ws) > 0 {
		p.f("Warnings\n")
		for _, w := range ws {
			p.f("  ! %s\n", w.Message)
			if w.Code == WarnChannelsSwapped {
				other := "right"
				if r.Channels.Rep == "right" {
					other = "left"
				}
				if r.File != "" {
					p.f("    To fix it, run: callcoach analyze %s --rep-channel %s\n", shellQuote(r.File), other)
				} else {
					p.f("    Re-run with --rep-channel %s, or swap the channels in the app's Review.\n", other)
				}
			}
		}
	}

	if r.File != "" {
		p.f("Call           %s\n", r.File)
	}
	p.f("Duration       %s%s\n", fmtDur(r.Duration.D()), channelNote(r.Channels))

	if d != nil {
		sure := "sure"
		switch {
		case d.Unsure && d.Confirmed:
			sure = "unsure by sound alone, split confirmed by the user"
		case d.Unsure:
			sure = "unsure: no verdict"
		}
		rep := "which voice is the rep is not known (--rep-speaker 1|2)"
		switch {
		case d.Rep >= 1 && d.Rep <= 2 && d.RepBy == RepByVoice:
			rep = fmt.Sprintf("the rep is voice %d, recognised from their voice profile (%s)", d.Rep, pct(d.RepMatch))
		case d.Rep >= 1 && d.Rep <= 2:
			rep = fmt.Sprintf("the rep is voice %d, picked by hand", d.Rep)
		}
		p.f("Voices         two, told apart on one channel (confidence %s, %s); %s\n", pct(d.Confidence), sure, rep)
	}
	switch {
	case mono:
		p.f("Talk           %s (both parties on one channel, not told apart)\n", fmtDur(r.Talk.Unattributed.D()))
	case voices:
		tot := d.Talk[0] + d.Talk[1]
		share := 0.0
		if tot > 0 {
			share = float64(d.Talk[0]) / float64(tot)
		}
		p.f("Talk           voice 1 %s (%s), voice 2 %s (%s)\n", fmtDur(d.Talk[0].D()), pct(share), fmtDur(d.Talk[1].D()), pct(1-share))
		p.f("Overlap        %s\n", fmtDur(r.Overlap.D()))
	default:
		custShare := 0.0
		if r.Talk.Rep+r.Talk.Customer > 0 {
			custShare = 1 - r.RepTalkShare
		}
		p.f("Talk           rep %s (%s), customer %s (%s)\n",
			fmtDur(r.Talk.Rep.D()), pct(r.RepTalkShare), fmtDur(r.Talk.Customer.D()), pct(custShare))
		p.f("Overlap        %s\n", fmtDur(r.Overlap.D()))
	}
	p.f("Silence        %s", fmtDur(r.Silence.D()))
	if n := len(r.LongSilences); n > 0 {
		var at []string
		for _, s := range r.LongSilences {
			at = append(at, fmt.Sprintf("%s for %s", clock(s.Start.D()), fmtDur(s.Len())))
		}
		p.f(", %d long: %s", n, strings.Join(at, "; "))
	}
	p.f("\n")

	if !mono {
		p.f("Interruptions  %d\n", len(r.Interruptions))
		for _, in := range r.Interruptions {
			by, of := in.By, in.By.Other()
			outcome := of.String() + " talked on"
			if in.Yielded {
				outcome = of.String() + " yielded"
			}
			p.f("  %s  %s cut in on %s (%s)\n", clock(in.At.D()), by, of, outcome)
		}
		var bcRep, bcCust int
		for _, b := range r.Backchannels {
			if b.By == Rep || b.By == Speaker1 {
				bcRep++
			} else {
				bcCust++
			}
		}
		if voices {
			p.f("Backchannels   %d (voice 1 %d, voice 2 %d)\n", len(r.Backchannels), bcRep, bcCust)
		} else {
			p.f("Backchannels   %d (rep %d, customer %d)\n", len(r.Backchannels), bcRep, bcCust)
		}
		if !voices {
			p.f("Longest monologue       %s\n", fmtDur(r.LongestMonologue.Rep.D()))
			p.f("Longest customer story  %s\n", fmtDur(r.LongestMonologue.Customer.D()))
		}
		p.f("Interactivity  %s floor changes a minute (%d in all)\n", num(round(r.Interactivity, 1)), r.FloorChanges)
		switch {
		case voices:
		case r.Patience.Count > 0:
			answers := "answers"
			if r.Patience.Count == 1 {
				answers = "answer"
			}
			p.f("Patience       %s s mean, %s s median (%d %s)\n",
				num(round(r.Patience.Mean.Seconds(), 2)), num(round(r.Patience.Median.Seconds(), 2)), r.Patience.Count, answers)
		default:
			p.f("Patience       not measured (the rep never answered a customer turn)\n")
		}
	}

	if !mono && len(r.Delivery) > 0 {
		p.f("Delivery       %d long %s (%s)\n", len(r.Delivery), plural(len(r.Delivery), "monologue", "monologues"), DeliveryJudged())
		for _, d := range r.Delivery {
			p.f("  %s–%s  %s\n", clock(d.Start.D()), clock(d.End.D()), d.Words())
		}
	}

	l := r.Listening
	if l.Verdict == NoVerdict {
		p.f("Verdict        none\n")
	} else {
		p.f("Verdict        %s (score %d/100)\n", l.Verdict, l.Score)
	}
	for _, s := range l.Reasons {
		p.f("  - %s\n", s)
	}
	if len(r.Notes) > 0 {
		p.f("Notes\n")
		for _, s := range r.Notes {
			p.f("  - %s\n", s)
		}
	}
	return p.err
}

// printer remembers the first write error so the summary reads straight.
type printer struct {
	w   io.Writer
	err error
}

func (p *printer) f(format string, a ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, a...)
	}
}

func channelNote(c Channels) string {
	switch {
	case c.OneChannel == "identical":
		return " (one channel: the stereo file's two channels are the same)"
	case c.OneChannel != "":
		return " (one channel: " + c.OneChannel + ")"
	case c.Rep != "" || c.Customer != "":
		return fmt.Sprintf(" (rep: %s, customer: %s)", orDash(c.Rep), orDash(c.Customer))
	}
	return ""
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func pct(f float64) string { return fmt.Sprintf("%.0f%%", math.Round(100*f)) }

// clock words a time in the call: "02:31", or "1:02:31" past an hour.
func clock(d time.Duration) string {
	t := int(d / time.Second)
	if t >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", t/3600, t/60%60, t%60)
	}
	return fmt.Sprintf("%02d:%02d", t/60, t%60)
}

// shellQuote quotes a path for a command a user can paste into a shell:
// as it is when it holds only safe characters, else in single quotes.
func shellQuote(s string) string {
	safe := s != ""
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("/._-+,:@%=", c)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
