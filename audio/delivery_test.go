package audio

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"callcoach/analysis"
)

// monologueCall is a 40 s stereo call at 16 kHz: the customer speaks at
// 1 s, the rep then talks from 5 s for about 20 s (the utterance again and
// again, half-second gaps), the customer answers at 28 s.
func monologueCall(t testing.TB) (rep, cust []float32) {
	t.Helper()
	const rate, secs = 16000, 40
	u, c := utterance(t, "rep-utterance.wav"), utterance(t, "cust-utterance.wav")
	rep = make([]float32, secs*rate)
	cust = make([]float32, secs*rate)
	copy(cust[1*rate:], c)
	at := 5 * rate
	for at+len(u) < 25*rate {
		copy(rep[at:], u)
		at += len(u) + rate/2
	}
	copy(cust[28*rate:], c)
	return rep, cust
}

// TestAnalyzeFileDelivery: the file analysis measures the rep's monologue
// from the rep's channel, whichever side it is on and for two mono files
// alike, and the cues are those of the rep's samples over that stretch.
func TestAnalyzeFileDelivery(t *testing.T) {
	const rate = 16000
	rep, cust := monologueCall(t)
	dir := t.TempDir()
	left, right := filepath.Join(dir, "left.wav"), filepath.Join(dir, "right.wav")
	repF, custF := filepath.Join(dir, "rep.wav"), filepath.Join(dir, "cust.wav")
	writeWAV(t, left, rate, rep, cust)
	writeWAV(t, right, rate, cust, rep)
	writeWAV(t, repF, rate, rep)
	writeWAV(t, custF, rate, cust)
	cfg := analysis.DefaultConfig()

	var first []analysis.DeliveryCue
	for _, req := range []AnalyzeRequest{{Path: left}, {Path: right, RepChannel: Right}, {RepPath: repF, CustomerPath: custF}} {
		res, err := AnalyzeFile(context.Background(), req, cfg)
		if err != nil {
			t.Fatal(err)
		}
		spans := analysis.DeliverySpans(&res, cfg.Delivery)
		if len(spans) != 1 || len(res.Delivery) != 1 {
			t.Fatalf("%+v: got %d spans, %d cues, want one monologue of the rep; monologues %+v", req, len(spans), len(res.Delivery), res.Monologues)
		}
		d := res.Delivery[0]
		if d.Start != spans[0].Start || d.End != spans[0].End || d.End.D()-d.Start.D() < 15*time.Second {
			t.Errorf("%+v: cue over %v–%v, want the monologue %v–%v", req, d.Start, d.End, spans[0].Start, spans[0].End)
		}
		// The same samples through a meter directly.
		m := analysis.NewDeliveryMeter(rate, cfg.Delivery)
		m.Reset(d.Start.D())
		m.Write(rep[int(d.Start.Seconds()*rate):int(d.End.Seconds()*rate)])
		want := m.Cue(d.End.D())
		if d.Syllables == 0 || d.Syllables != want.Syllables || *d.Phrase != *want.Phrase {
			t.Errorf("%+v: got %d syllables, phrases %v; the rep's samples give %d, %v", req, d.Syllables, *d.Phrase, want.Syllables, *want.Phrase)
		}
		if first == nil {
			first = res.Delivery
		} else if d.Syllables != first[0].Syllables {
			t.Errorf("%+v: %d syllables, the left-channel file %d", req, d.Syllables, first[0].Syllables)
		}
	}
}

// BenchmarkMeasureDelivery is the cost of the delivery cues on top of the
// analysis, per second of the rep's monologue: the re-read of a stereo
// 16 kHz file and the meter.
func BenchmarkMeasureDelivery(b *testing.B) {
	const rate = 16000
	rep, cust := monologueCall(b)
	path := filepath.Join(b.TempDir(), "call.wav")
	writeWAV(b, path, rate, rep, cust)
	cfg := analysis.DefaultConfig()
	res, err := AnalyzeFile(context.Background(), AnalyzeRequest{Path: path}, cfg)
	if err != nil || len(res.Delivery) != 1 {
		b.Fatalf("%v, %d cues", err, len(res.Delivery))
	}
	secs := (res.Delivery[0].End - res.Delivery[0].Start).Seconds()
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		if err := MeasureDelivery(context.Background(), AnalyzeRequest{Path: path}, &res, cfg); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)/secs*1e6, "µs/s-of-monologue")
	if cpu := cpuTime() - cpu0; cpu > 0 {
		b.ReportMetric(cpu/float64(b.N)/secs*1e6, "cpu-µs/s-of-monologue")
	}
}

// BenchmarkAnalyzeFileLecture is the file analysis of a 10-minute stereo
// 16 kHz call in which the rep reads at the customer: 50 s monologues, 10 s
// answers, so most of the call is delivery-measured. It reports the cost
// scaled to an hour, with the delivery cues and without (the difference is
// what they add to a worst-case hour).
func BenchmarkAnalyzeFileLecture(b *testing.B) {
	const rate, minutes = 16000, 10
	u, c := utterance(b, "rep-utterance.wav"), utterance(b, "cust-utterance.wav")
	n := minutes * 60 * rate
	rep, cust := make([]float32, n), make([]float32, n)
	for t := 0; t+60*rate <= n; t += 60 * rate {
		for at := t; at+len(u) < t+50*rate; at += len(u) + rate/3 {
			copy(rep[at:], u)
		}
		copy(cust[t+51*rate:], c)
		copy(cust[t+51*rate+len(c)+rate/2:], c)
	}
	// A room's noise floor on both sides (−65 dBFS), as a real recording
	// has: digital silence would keep the identical-channel check from
	// ever deciding and cost a second analysis.
	seed := uint32(1)
	for i := range rep {
		seed = seed*1664525 + 1013904223
		rep[i] += float32(int32(seed)) / (1 << 31) * 0.001
		seed = seed*1664525 + 1013904223
		cust[i] += float32(int32(seed)) / (1 << 31) * 0.001
	}
	path := filepath.Join(b.TempDir(), "lecture.wav")
	writeWAV(b, path, rate, rep, cust)
	for _, withCues := range []bool{true, false} {
		name := "with-cues"
		cfg := analysis.DefaultConfig()
		if !withCues {
			name = "without"
			cfg.Delivery.MinMonologue = time.Hour
		}
		b.Run(name, func(b *testing.B) {
			var res analysis.Result
			cpu0 := cpuTime()
			for b.Loop() {
				var err error
				if res, err = AnalyzeFile(context.Background(), AnalyzeRequest{Path: path}, cfg); err != nil {
					b.Fatal(err)
				}
			}
			var mono time.Duration
			for _, d := range res.Delivery {
				mono += d.End.D() - d.Start.D()
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)*60/minutes, "s/hour")
			if cpu := cpuTime() - cpu0; cpu > 0 {
				b.ReportMetric(cpu/float64(b.N)*60/minutes, "cpu-s/hour")
			}
			b.ReportMetric(100*mono.Seconds()/(minutes*60), "%-measured")
		})
	}
}
