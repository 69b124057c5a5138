package analysis

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func summary(t *testing.T, r Result) string {
	t.Helper()
	var b strings.Builder
	if err := WriteSummary(&b, &r); err != nil {
		t.Fatalf("WriteSummary: %v", err)
	}
	return b.String()
}

func TestWriteSummary(t *testing.T) {
	cases := []struct {
		name    string
		r       Result
		want    []string
		notWant []string
	}{
		{
			name: "script-driven",
			r:    Measure(scriptDrivenCall(), TwoParty, 250*time.Second, DefaultConfig()),
			want: []string{
				"Duration       4 min 10 s\n",
				"Talk           rep 3 min 30 s (84%), customer 40 s (16%)\n",
				"Interruptions  5\n  00:20  customer cut in on rep (rep talked on)\n",
				"  02:20  customer cut in on rep (rep talked on)\n",
				"Verdict        script-driven (score 36/100)\n  - You talked 84% of the call (target: under 55%)\n",
				"Patience       0.5 s mean, 0.5 s median (2 answers)\n",
			},
		},
		{
			name: "mono",
			r: func() Result {
				r := Measure([]Segment{{Speaker: Unattributed, Start: sec(1), End: sec(9)}}, OneChannel, 20*time.Second, DefaultConfig())
				r.File = "mono.wav"
				return r
			}(),
			want: []string{
				"Call           mono.wav\n",
				"Duration       20 s (one channel: mono)\n",
				"Talk           8 s (both parties on one channel, not told apart)\n",
				"Silence        12 s, 1 long: 00:09 for 11 s\n",
				"Verdict        none\n",
				"Notes\n  - " + MonoNote + "\n",
			},
			notWant: []string{"Interruptions", "Patience", "Overlap"},
		},
		{
			name: "delivery cues",
			r: func() Result {
				r := Measure(scriptDrivenCall(), TwoParty, 250*time.Second, DefaultConfig())
				r.Delivery = []DeliveryCue{{Start: sec(79), End: sec(149), Syllables: 280, RateSyl: ptr(4.23), RateCV: ptr(0.121), Phrase: ptr(1.64),
					PauseCV: ptr(0.3), PitchRange: ptr(8.26), Declination: ptr(-1.24), FilledPauses: 2}}
				return r
			}(),
			want: []string{
				"Delivery       1 long monologue (figures only: no cue told real read from real spontaneous speech apart on held-out speakers well enough to judge by)\n" +
					"  01:19–02:29  4.2 syllables/s, pace varies 12%, phrases 1.6 s, pauses vary 30%, pitch spans 8.3 semitones, falling 1.2 a second, 2 uh/um\n",
			},
		},
		{
			name: "nobody spoke in an hour",
			r:    Measure(nil, TwoParty, time.Hour+2*time.Minute, DefaultConfig()),
			want: []string{
				"Talk           rep 0 s (0%), customer 0 s (0%)\n",
				"Silence        1 h 02 min, 1 long: 00:00 for 1 h 02 min\n",
				"Patience       not measured",
				"Verdict        none\n  - No verdict: too little conversation",
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := summary(t, tc.r)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("summary lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(got, w) {
					t.Errorf("summary has %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestClock(t *testing.T) {
	cases := []struct {
		d    time.Duration
		want string
	}{
		{0, "00:00"},
		{151*time.Second + 900*time.Millisecond, "02:31"},
		{time.Hour + 2*time.Minute + 3*time.Second, "1:02:03"},
	}
	for _, tc := range cases {
		if got := clock(tc.d); got != tc.want {
			t.Errorf("clock(%v): got %q, want %q", tc.d, got, tc.want)
		}
	}
}

type failWriter struct{ n int }

var errDiskFull = errors.New("disk full")

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errDiskFull
	}
	f.n--
	return len(p), nil
}

func TestWriteSummaryError(t *testing.T) {
	r := Measure(scriptDrivenCall(), TwoParty, 250*time.Second, DefaultConfig())
	if err := WriteSummary(&failWriter{n: 3}, &r); !errors.Is(err, errDiskFull) {
		t.Errorf("got %v, want %v", err, errDiskFull)
	}
}
