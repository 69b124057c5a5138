package callgen

import (
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

// TestRoomDraws renders every scenario in rooms drawn across the
// canceller's range (laptop speakers or two microphones in one room, the
// other voice 3–12 dB under the wearer, 0.2–0.6 s of reverberation, clocks
// up to ±50 ppm apart, leaks up to 7.5 ms early) and reports how many
// calls meet each of the spec's tolerances. The fixed room conditions
// (echo_room, room_loud, lapel_pair) are held to the spec case by case in
// TestAccuracy; these draws reach the corners, where some calls do not, so
// they are held to pooled figures a little under what they measure
// (regression guards, stated in the README).
func TestRoomDraws(t *testing.T) {
	var pooled caseScore
	var n, f1OK, talkOK, shareOK int
	var rows []string
	var f1Sum, talkSum float64
	for d := range roomDraws {
		cond := RoomDraw
		cond.Name = fmt.Sprintf("room_drawn_%d", d)
		for _, sc := range Scenarios() {
			rep, cust, truth := RenderCondition(sc, cond)
			got := analyse(t, truth.Rate, rep, cust)
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
			f1Sum += min(c.f1[0], c.f1[1])
			talkSum += max(c.talkErr[0], c.talkErr[1])
			pooled.tp += c.tp
			pooled.fp += c.fp
			pooled.fn += c.fn
			o := truth.Render
			rows = append(rows, fmt.Sprintf("%-16s %-13s F1 %.3f/%.3f talk %4.1f%%/%4.1f%% share %4.1fpp P %.2f R %.2f | %d Hz leak %+.1f ms %.1f dB RT60 %.2fs back %+.1f ms %.1f dB drift %+.0f ppm",
				cond.Name, sc.Name, c.f1[0], c.f1[1], 100*c.talkErr[0], 100*c.talkErr[1], 100*c.shareErr, c.precision(), c.recall(),
				o.Rate, float64(o.Leak.Delay)/1e6, o.Leak.GainDB, o.Leak.Reverb.Seconds(), float64(o.Sidetone.Delay)/1e6, o.Sidetone.GainDB, o.Leak.DriftPPM))
		}
	}
	p, r := pooled.precision(), pooled.recall()
	t.Logf("%d calls: F1 >= %.2f in %d, talk within %.0f%% in %d, share within %.0f points in %d; mean worst-party F1 %.3f, mean worst talk error %.1f%%; interruptions pooled P %.2f R %.2f\n%s",
		n, minFrameF1, f1OK, 100*talkTolerance, talkOK, 100*shareToleranceHard, shareOK, f1Sum/float64(n), 100*talkSum/float64(n), p, r, strings.Join(rows, "\n"))
	if p < roomGuardPR || r < roomGuardPR || math.IsNaN(p) {
		t.Errorf("interruptions pooled over the drawn rooms: precision %.2f recall %.2f, want both >= %.2f", p, r, roomGuardPR)
	}
	if f1Sum/float64(n) < roomGuardF1 {
		t.Errorf("mean worst-party frame F1 %.3f over the drawn rooms, want >= %.2f", f1Sum/float64(n), roomGuardF1)
	}
	if f1OK < n-roomGuardF1Misses {
		t.Errorf("worst-party frame F1 >= %.2f in %d of %d drawn rooms, want all but %d", minFrameF1, f1OK, n, roomGuardF1Misses)
	}
	if shareOK < n-roomGuardShareMisses {
		t.Errorf("rep share within %.0f points in %d of %d drawn rooms, want all but %d", 100*shareToleranceHard, shareOK, n, roomGuardShareMisses)
	}
}

// The drawn rooms' guards, a little under what they measure (P 0.95,
// R 0.98, mean worst-party F1 0.976, F1 under 0.95 in 1 of 18, share
// within 4 points in all 18, since leaks up to 10 ms early are modelled).
const (
	roomGuardPR          = 0.92
	roomGuardF1          = 0.97
	roomGuardF1Misses    = 2
	roomGuardShareMisses = 2
)

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
