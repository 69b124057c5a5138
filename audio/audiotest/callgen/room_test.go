package callgen

import (
	"flag"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"callcoach/analysis"
)

// roomDraws is how many random rooms TestRoomDraws renders each scenario
// in.
const roomDraws = 6

// roomSeeds names the draws (their seeds): room_drawn_0..5 by default;
// another prefix draws rooms no one has looked at, for a held-out figure.
// room_blind_ is the report set (room_heldout_'s miss has been looked
// into, so those draws are tuning data now, guarded below):
//
//	go test ./audio/audiotest/callgen -run 'TestRoomDraws(File)?$' -v -args -room.seeds=room_blind_
var roomSeeds = flag.String("room.seeds", "room_drawn_", "name prefix of TestRoomDraws' draws (seeds them)")

// roomHeldOut names the draws first measured blind, as a held-out figure.
// Their one live miss (room_heldout_3 script_driven) has since been taken
// apart (README, "Bleed through the air"), so they are tuning data, held
// to the spec here as the drawn rooms are.
const roomHeldOut = "room_heldout_"

// TestRoomDraws renders every scenario in rooms drawn across the
// canceller's range (laptop speakers or two microphones in one room, the
// other voice 3–12 dB under the wearer, 0.2–0.6 s of reverberation, clocks
// up to ±50 ppm apart, leaks up to 7.5 ms early) and holds every call to
// the spec's echo tolerances: each party's frame F1 at least 0.95 and talk
// within 5 %, the rep's share within 4 points, no backchannel counted as
// an interruption, and interruptions pooled over the draws at precision
// and recall of 0.9 or better (as TestAccuracy pools them per condition).
// Before the decisions' warm-up and room-tail rules (analyzer.go) 2 of
// these 18 calls missed the talk tolerance and 1 the F1.
func TestRoomDraws(t *testing.T) {
	roomDrawsWith(t, "live", analyse, *roomSeeds, 0)
}

// TestRoomDrawsHeldOut holds the live analysis on the former held-out
// draws to the same tolerances. room_heldout_3 script_driven (a lapel
// pair) missed them until the frames decided on three taps past the
// canceller's trial were kept from starting speech under the leak the
// canceller predicts (analyzer.go, roomCancel): its canceller adapts on
// the customer's words (README), and the rep's reverberation had passed
// as hers.
func TestRoomDrawsHeldOut(t *testing.T) {
	roomDrawsWith(t, "live", analyse, roomHeldOut, 0)
}

// TestRoomDrawsFile holds the file analysis (NewFileAnalyzer: the 45 s
// scout, then the main pass from its paths and canceller), which every
// filed call gets, on the same drawn rooms and to the same tolerances.
// Before speech was kept from starting under the leak the canceller
// predicts where three taps decide a room's leak past the canceller's
// trial (analyzer.go, roomCancel), room_drawn_2 attentive's rep talk was
// 5.5 % long here and one backchannel was counted: the canceller carried
// over from the scout, past its trial and no lower in residue than the
// taps, was not decided on, and the room's reverberation after the
// customer's words started rep speech.
func TestRoomDrawsFile(t *testing.T) {
	roomDrawsWith(t, "file", analyseFile, *roomSeeds, 0)
}

// TestRoomDrawsFileHeldOut holds the file analysis on the former held-out
// draws to the same tolerances.
func TestRoomDrawsFileHeldOut(t *testing.T) {
	roomDrawsWith(t, "file", analyseFile, roomHeldOut, 0)
}

// analyseFile analyses a call as a file is analysed, in 20 ms chunks.
func analyseFile(tb testing.TB, rate int, rep, cust []float32) analysis.Result {
	tb.Helper()
	a, err := analysis.NewFileAnalyzer(analysis.DefaultConfig(), rate, analysis.TwoParty)
	if err != nil {
		tb.Fatalf("NewFileAnalyzer(%d Hz): %v", rate, err)
	}
	n := int(chunk.Seconds() * float64(rate))
	for i := 0; i < len(rep); i += n {
		e := min(i+n, len(rep))
		a.Write(rep[i:e], cust[i:e])
	}
	return a.Finish()
}

// roomDrawsWith analyses every room drawn with the seeds named prefix0..5
// with an and holds the calls to the spec's tolerances, allowing slack
// calls to miss each one.
func roomDrawsWith(t *testing.T, path string, an func(testing.TB, int, []float32, []float32) analysis.Result, prefix string, slack int) {
	var pooled caseScore
	var n, f1OK, talkOK, shareOK, bcOK int
	var rows []string
	var f1Sum, talkSum float64
	for d := range roomDraws {
		cond := RoomDraw
		cond.Name = fmt.Sprintf("%s%d", prefix, d)
		for _, sc := range Scenarios() {
			rep, cust, truth := RenderCondition(sc, cond)
			got := an(t, truth.Rate, rep, cust)
			c := score(sc.Name, truth, got)
			n++
			if min(c.f1[0], c.f1[1]) >= minFrameF1 {
				f1OK++
			}
			if max(c.talkErr[0], c.talkErr[1]) <= talkTolerance {
				talkOK++
			}
			if c.shareErr <= shareToleranceHard {
				shareOK++
			}
			if c.backchannelAsInter == 0 {
				bcOK++
			}
			f1Sum += min(c.f1[0], c.f1[1])
			talkSum += max(c.talkErr[0], c.talkErr[1])
			pooled.tp += c.tp
			pooled.fp += c.fp
			pooled.fn += c.fn
			o := truth.Render
			rows = append(rows, fmt.Sprintf("%-16s %-13s F1 %.3f/%.3f talk %4.1f%%/%4.1f%% share %4.1fpp P %.2f R %.2f bc %d | %d Hz leak %+.1f ms %.1f dB RT60 %.2fs back %+.1f ms %.1f dB drift %+.0f ppm",
				cond.Name, sc.Name, c.f1[0], c.f1[1], 100*c.talkErr[0], 100*c.talkErr[1], 100*c.shareErr, c.precision(), c.recall(), c.backchannelAsInter,
				o.Rate, float64(o.Leak.Delay)/1e6, o.Leak.GainDB, o.Leak.Reverb.Seconds(), float64(o.Sidetone.Delay)/1e6, o.Sidetone.GainDB, o.Leak.DriftPPM))
		}
	}
	p, r := pooled.precision(), pooled.recall()
	t.Logf("%s analysis, %d calls: F1 >= %.2f in %d, talk within %.0f%% in %d, share within %.0f points in %d, no backchannel counted in %d; mean worst-party F1 %.3f, mean worst talk error %.1f%%; interruptions pooled P %.2f R %.2f\n%s",
		path, n, minFrameF1, f1OK, 100*talkTolerance, talkOK, 100*shareToleranceHard, shareOK, bcOK, f1Sum/float64(n), 100*talkSum/float64(n), p, r, strings.Join(rows, "\n"))
	if p < minPrecision || r < minRecall || math.IsNaN(p) {
		t.Errorf("%s analysis: interruptions pooled over the drawn rooms: precision %.2f recall %.2f, want >= %.2f and >= %.2f", path, p, r, minPrecision, minRecall)
	}
	for _, c := range []struct {
		what string
		ok   int
	}{
		{fmt.Sprintf("worst-party frame F1 >= %.2f", minFrameF1), f1OK},
		{fmt.Sprintf("both parties' talk within %.0f%%", 100*talkTolerance), talkOK},
		{fmt.Sprintf("rep share within %.0f points", 100*shareToleranceHard), shareOK},
		{"no backchannel counted as an interruption", bcOK},
	} {
		if c.ok < n-slack {
			t.Errorf("%s analysis: %s in %d of %d drawn rooms, want at least %d", path, c.what, c.ok, n, n-slack)
		}
	}
}

// TestLeakArrivesEarly: a negative Delay puts the leak on the channel
// before its source's own channel has it (two recorders with their own
// latencies), sample for sample, and runs off neither end.
func TestLeakArrivesEarly(t *testing.T) {
	sc, _ := ScenarioNamed("mixed")
	base := RenderOptions{Rate: 16000}
	rep0, cust, _ := Render(sc, base)
	o := base
	o.Leak = Crosstalk{Delay: -5 * time.Millisecond, GainDB: -6}
	rep1, _, _ := Render(sc, o)
	g := dbToGain(-6)
	var worst float64
	for i := range rep1 {
		want := float64(rep0[i])
		if i+80 < len(cust) {
			want += g * float64(cust[i+80])
		}
		worst = max(worst, math.Abs(float64(rep1[i])-want))
	}
	if worst > 1e-6 {
		t.Errorf("the leak 5 ms early differs from the customer 80 samples ahead at -6 dB by up to %g", worst)
	}
}

// BenchmarkAnalyzeHourRoom analyses an hour of call with bleed through a
// room throughout (the mixed scenario under room_loud — laptop speakers,
// 0.6 s of reverberation, a drifting clock — or lapel_pair, both voices on
// both channels), as a file is analysed (NewFileAnalyzer, 20 ms chunks),
// and reports the CPU seconds the hour costs (issue 9's budget: 10 s);
// echo_room (laptop speakers, 0.2 s of reverberation) for comparison.
func BenchmarkAnalyzeHourRoom(b *testing.B) {
	for _, name := range []string{"echo_room", "room_loud", "lapel_pair"} {
		b.Run(name, func(b *testing.B) {
			cond, _ := ConditionNamed(name)
			sc, _ := ScenarioNamed("mixed")
			rep, cust, truth := RenderCondition(sc, cond)
			rate := truth.Rate
			n := int(chunk.Seconds() * float64(rate))
			calls := (3600*rate + len(rep) - 1) / len(rep) // whole calls to an hour or just over
			hours := float64(calls*len(rep)) / float64(3600*rate)
			b.ResetTimer()
			cpu0 := cpuTime()
			for b.Loop() {
				a, err := analysis.NewFileAnalyzer(analysis.DefaultConfig(), rate, analysis.TwoParty)
				if err != nil {
					b.Fatal(err)
				}
				for range calls {
					for i := 0; i < len(rep); i += n {
						e := min(i+n, len(rep))
						a.Write(rep[i:e], cust[i:e])
					}
				}
				a.Finish()
			}
			if cpu := (cpuTime() - cpu0) / float64(b.N) / hours; cpu > 0 {
				b.ReportMetric(cpu, "cpu-s/hour")
			}
			b.ReportMetric(3600*hours/(b.Elapsed().Seconds()/float64(b.N)), "x-realtime")
		})
	}
}
