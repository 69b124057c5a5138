package callgen

import (
	"fmt"
	"math"
	"path/filepath"
	"time"

	"callcoach/analysis"
)

// fixtureScenarios are the shorter calls (about 20–55 s) behind the
// committed fixtures in analysis/testdata/calls: each style, short enough
// to keep the repository small.
func fixtureScenarios() []Scenario {
	return []Scenario{
		Attentive("attentive_short", 11, 1),
		ScriptDriven("script_driven_short", 12, 1),
		Mixed("mixed_short", 13, 1),
		Short("short_call", 14),
	}
}

// Short builds a call of about 20 s: a turn each, a backchannel, an
// interruption the customer yields to. It backs the fixtures that exist
// for the WAV reader's sake (float, 24-bit, two mono files).
func Short(name string, seed uint64) Scenario {
	b := NewBuilder(name, "short call: a turn each, a backchannel, a yielded interruption", seed)
	b.Say(rep, 0)
	b.Say(cust, b.Gap()).Backchannel(rep)
	b.Say(cust, b.Next()).Interrupt(rep, true)
	b.Say(cust, b.Gap())
	return b.Build()
}

// Fixture is one committed test call: a scenario under a condition,
// written as a stereo WAV (or two mono WAVs) with its truth.
type Fixture struct {
	Name      string // file stem
	Scenario  string
	Condition Condition
	Format    Format
	// TwoMono writes NAME.rep.wav at the condition's rate and
	// NAME.customer.wav at CustomerRate, ending CustomerCut after the
	// customer's last speech (so the files differ in rate and length).
	TwoMono      bool
	CustomerRate int
}

// Fixtures lists the committed fixtures (analysis/testdata/calls).
func Fixtures() []Fixture {
	clean, _ := ConditionNamed("clean")
	echo, _ := ConditionNamed("echo_noise")
	return []Fixture{
		{Name: "attentive_clean_16k", Scenario: "attentive_short", Condition: clean},
		{Name: "script_driven_echo_noise_16k", Scenario: "script_driven_short", Condition: echo},
		{Name: "mixed_quiet_rep_8k", Scenario: "mixed_short", Condition: Condition{Name: "quiet_rep_8k", Opt: RenderOptions{
			Rate: 8000, RepPeakDBFS: -20, CustomerPeakDBFS: -1, NoiseSNR: 30,
		}}},
		{Name: "short_call_float32_11k", Scenario: "short_call", Format: Float32, Condition: Condition{Name: "leak", Opt: RenderOptions{
			Rate: 11025, Leak: Crosstalk{Delay: 12 * time.Millisecond, GainDB: -14}, NoiseSNR: 28,
		}}},
		{Name: "short_call_int24_16k", Scenario: "short_call", Format: Int24, Condition: Condition{Name: "noise", Hard: true, Opt: RenderOptions{
			Rate: 16000, NoiseSNR: 16, HumHz: 60, RepPeakDBFS: -12,
		}}},
		{Name: "short_call_two_mono", Scenario: "short_call", TwoMono: true, CustomerRate: 8000, Condition: Condition{Name: "two_mono", Opt: RenderOptions{
			Rate: 16000, CustomerPeakDBFS: -2, NoiseSNR: 25,
		}}},
	}
}

// scenarioByName finds a standard, fixture or demo scenario.
func scenarioByName(name string) (Scenario, bool) {
	if s, ok := ScenarioNamed(name); ok {
		return s, true
	}
	for _, s := range fixtureScenarios() {
		if s.Name == name {
			return s, true
		}
	}
	return Scenario{}, false
}

// audioFile is one WAV file of a fixture, rendered in memory.
type audioFile struct {
	name  string
	rate  int
	chans [][]float32
}

// render renders the fixture's files and truth in memory.
func (f Fixture) render() ([]audioFile, Truth, error) {
	sc, ok := scenarioByName(f.Scenario)
	if !ok {
		return nil, Truth{}, fmt.Errorf("fixture %s: no scenario %q", f.Name, f.Scenario)
	}
	rep, cust, truth := RenderCondition(sc, f.Condition)
	if !f.TwoMono {
		return []audioFile{{f.Name + ".wav", truth.Rate, [][]float32{rep, cust}}}, truth, nil
	}
	// The customer's file: rendered at its own rate, and cut 0.7 s after
	// the customer's last speech, so that it is shorter than the rep's.
	opt := f.Condition.Opt
	opt.Condition = f.Condition.Name
	opt.Seed = fnv(sc.Name + "/" + f.Condition.Name)
	opt.Rate = f.CustomerRate
	_, cust, _ = Render(sc, opt)
	var lastEnd time.Duration
	for _, s := range truth.SegmentsOf(analysis.Customer) {
		lastEnd = max(lastEnd, s.End.D())
	}
	n := min(len(cust), int(math.Round((lastEnd+700*time.Millisecond).Seconds()*float64(f.CustomerRate))))
	files := []audioFile{
		{f.Name + ".rep.wav", truth.Rate, [][]float32{rep}},
		{f.Name + ".customer.wav", f.CustomerRate, [][]float32{cust[:n]}},
	}
	truth.CustomerRate = f.CustomerRate
	truth.Channels.Rep = files[0].name
	truth.Channels.Customer = files[1].name
	return files, truth, nil
}

// Write renders the fixture into dir: NAME.wav (or NAME.rep.wav and
// NAME.customer.wav) and NAME.truth.json. It returns the files written.
func (f Fixture) Write(dir string) ([]string, error) {
	files, truth, err := f.render()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, a := range files {
		p := filepath.Join(dir, a.name)
		if err := WriteWAV(p, a.rate, f.Format, a.chans...); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	p := filepath.Join(dir, f.Name+".truth.json")
	return append(out, p), truth.WriteJSON(p)
}

// WriteDemo renders the app's demo call into dir as demo.wav (16 kHz
// stereo, 16-bit) and demo.json.
func WriteDemo(dir string) ([]string, error) {
	rep, cust, truth := Render(Demo(), DemoOptions())
	wavPath := filepath.Join(dir, "demo.wav")
	jsonPath := filepath.Join(dir, "demo.json")
	if err := WriteStereoWAV(wavPath, truth.Rate, rep, cust); err != nil {
		return nil, err
	}
	return []string{wavPath, jsonPath}, truth.WriteJSON(jsonPath)
}

// DemoOptions are the demo call's recording conditions: a quiet office,
// a faint leak of the customer into the microphone.
func DemoOptions() RenderOptions {
	return RenderOptions{
		Condition: "demo", Rate: 16000, RepPeakDBFS: -5, CustomerPeakDBFS: -3,
		NoiseSNR: 32, CustomerNoiseSNR: 40, Leak: Crosstalk{Delay: 15 * time.Millisecond, GainDB: -20},
		Seed: 2026,
	}
}
