package analysis_test

import (
	"fmt"
	"math"
	"os"
	"time"

	"callcoach/analysis"
)

// s turns seconds into a Dur.
func s(sec float64) analysis.Dur {
	return analysis.Dur(time.Duration(sec * float64(time.Second)))
}

// A 40-second call: the rep opens, the customer tells their story while the
// rep says "mm-hm", the rep cuts in and the customer yields, then the
// customer talks over the rep's explanation until the rep gives in.
func ExampleMeasure() {
	segs := []analysis.Segment{
		{Speaker: analysis.Rep, Start: s(0), End: s(6)},
		{Speaker: analysis.Customer, Start: s(6.5), End: s(18)},
		{Speaker: analysis.Rep, Start: s(10), End: s(10.4)}, // mm-hm
		{Speaker: analysis.Rep, Start: s(17), End: s(25)},   // cuts in at 17 s
		{Speaker: analysis.Customer, Start: s(22), End: s(36)},
	}
	r := analysis.Measure(segs, analysis.TwoParty, 40*time.Second, analysis.DefaultConfig())

	fmt.Printf("talk: rep %.1f s, customer %.1f s, rep share %.0f%%\n",
		r.Talk.Rep.Seconds(), r.Talk.Customer.Seconds(), 100*r.RepTalkShare)
	fmt.Printf("overlap %.1f s, silence %.1f s\n", r.Overlap.Seconds(), r.Silence.Seconds())
	for _, in := range r.Interruptions {
		fmt.Printf("interruption at %.0f s by %s, yielded %v, overlap %.1f s\n", in.At.Seconds(), in.By, in.Yielded, in.Overlap.Seconds())
	}
	for _, b := range r.Backchannels {
		fmt.Printf("backchannel at %.0f s by %s\n", b.At.Seconds(), b.By)
	}
	fmt.Printf("longest monologue %.0f s, longest customer story %.1f s\n",
		r.LongestMonologue.Rep.Seconds(), r.LongestMonologue.Customer.Seconds())
	fmt.Printf("floor changes %d, interactivity %.1f a minute\n", r.FloorChanges, r.Interactivity)
	fmt.Printf("patience %.1f s over %d answers\n", r.Patience.Mean.Seconds(), r.Patience.Count)
	// Output:
	// talk: rep 14.4 s, customer 25.5 s, rep share 36%
	// overlap 4.4 s, silence 4.5 s
	// interruption at 17 s by rep, yielded true, overlap 1.0 s
	// interruption at 22 s by customer, yielded false, overlap 3.0 s
	// backchannel at 10 s by rep
	// longest monologue 8 s, longest customer story 14.0 s
	// floor changes 3, interactivity 4.5 a minute
	// patience 0.0 s over 0 answers
}

func ExampleWriteSummary() {
	segs := []analysis.Segment{
		{Speaker: analysis.Rep, Start: s(0), End: s(6)},
		{Speaker: analysis.Customer, Start: s(6.5), End: s(18)},
		{Speaker: analysis.Rep, Start: s(10), End: s(10.4)},
		{Speaker: analysis.Rep, Start: s(17), End: s(25)},
		{Speaker: analysis.Customer, Start: s(22), End: s(36)},
		{Speaker: analysis.Rep, Start: s(36.6), End: s(42)},
	}
	r := analysis.Measure(segs, analysis.TwoParty, 50*time.Second, analysis.DefaultConfig())
	r.File = "call.wav"
	r.Channels = analysis.Channels{Rep: "left", Customer: "right"}
	if err := analysis.WriteSummary(os.Stdout, &r); err != nil {
		fmt.Println(err)
	}
	// Output:
	// Call           call.wav
	// Duration       50 s (rep: left, customer: right)
	// Talk           rep 20 s (44%), customer 26 s (56%)
	// Overlap        4.4 s
	// Silence        9.1 s, 1 long: 00:42 for 8 s
	// Interruptions  2
	//   00:17  rep cut in on customer (customer yielded)
	//   00:22  customer cut in on rep (rep talked on)
	// Backchannels   1 (rep 1, customer 0)
	// Longest monologue       8 s
	// Longest customer story  14 s
	// Interactivity  4.8 floor changes a minute (4 in all)
	// Patience       0.6 s mean, 0.6 s median (1 answer)
	// Verdict        mixed (score 74/100)
	//   - You talked over the customer once when they tried to speak, 3.3 per 10 minutes (target: at most 1 per 10 minutes)
	//   - You cut in on the customer once, 3.3 per 10 minutes (target: at most 2 per 10 minutes)
	//   - You talked 44% of the call (target: under 55%)
	//   - Your longest monologue ran 8 s, 16% of the call (target: under 25% of the call)
	//   - The customer's longest story ran 14 s (target: at least 10 s)
	//   - The conversation changed hands 4.8 times a minute (target: at least 2 a minute)
	//   - You waited 0.6 s on average before answering the customer (target: at least 0.3 s)
}

// A FrameCepstrum cuts any rate into the Analyzer's 10 ms frames and gives
// each one's log-mel bands, cepstrum, level and pitch.
func ExampleFrameCepstrum() {
	const rate = 44100
	x := make([]float32, rate/2)
	for i := range x { // a 200 Hz buzz: harmonics up to 3 kHz (the band starts at 300 Hz)
		for h := 1.0; h <= 15; h++ {
			x[i] += float32(0.02 * math.Sin(2*math.Pi*200*h*float64(i)/rate))
		}
	}
	fc, err := analysis.NewFrameCepstrum(rate, 10*time.Millisecond)
	if err != nil {
		panic(err)
	}
	var frames int
	var last analysis.Features
	fc.Write(x, func(k int64, f *analysis.Features) { frames, last = int(k)+1, *f })
	fmt.Printf("%d frames, pitch %.0f Hz, level %.0f dBFS\n", frames, last.Pitch, last.Level)
	// Output: 50 frames, pitch 200 Hz, level -26 dBFS
}
