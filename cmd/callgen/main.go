// Command callgen renders the test kit's synthetic two-party calls to WAV
// files with their truth, re-makes the utterance bank, and writes the
// committed fixtures and the app's demo call.
//
//	go run ./cmd/callgen -list                                # scenarios and conditions
//	go run ./cmd/callgen -scenario attentive -condition echo_noise -out /tmp/call
//	go run ./cmd/callgen -fixtures analysis/testdata/calls    # the committed fixtures
//	go run ./cmd/callgen -demo assets                         # assets/demo.wav + demo.json
//	go run ./cmd/callgen -bank audio/audiotest/callgen/bank   # re-make the bank (espeak-ng, sox)
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"callcoach/audio/audiotest/callgen"
)

func main() {
	var o options
	flag.StringVar(&o.bank, "bank", "", "re-make the utterance bank in this directory (needs espeak-ng and sox)")
	flag.BoolVar(&o.list, "list", false, "list the scenarios and conditions")
	flag.StringVar(&o.scenario, "scenario", "", "render this scenario (see -list)")
	flag.StringVar(&o.condition, "condition", "clean", "under this condition (see -list)")
	flag.IntVar(&o.rate, "rate", 0, "override the condition's sample rate (Hz)")
	flag.StringVar(&o.format, "format", "int16", "sample format: int16, int24 or float32")
	flag.StringVar(&o.out, "out", "", "output path without extension: writes OUT.wav and OUT.truth.json")
	flag.StringVar(&o.fixtures, "fixtures", "", "write the committed fixtures into this directory")
	flag.StringVar(&o.demo, "demo", "", "write the demo call (demo.wav, demo.json) into this directory")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "callgen:", err)
		os.Exit(1)
	}
}

type options struct {
	bank, scenario, condition, format, out, fixtures, demo string
	list                                                   bool
	rate                                                   int
}

func run(o options) error {
	switch {
	case o.bank != "":
		return makeBank(o.bank)
	case o.list:
		for _, s := range callgen.Scenarios() {
			fmt.Printf("scenario  %-16s %5.1fs  %s\n", s.Name, s.Length.Seconds(), s.Description)
		}
		d := callgen.Demo()
		fmt.Printf("scenario  %-16s %5.1fs  %s\n", d.Name, d.Length.Seconds(), d.Description)
		for _, c := range callgen.Conditions() {
			fmt.Printf("condition %-16s %+v\n", c.Name, c.Opt)
		}
		return nil
	case o.fixtures != "":
		var files []string
		for _, f := range callgen.Fixtures() {
			fs, err := f.Write(o.fixtures)
			if err != nil {
				return err
			}
			files = append(files, fs...)
		}
		return report(files)
	case o.demo != "":
		files, err := callgen.WriteDemo(o.demo)
		if err != nil {
			return err
		}
		return report(files)
	case o.scenario != "":
		return render(o)
	}
	flag.Usage()
	return errors.New("nothing to do: give -list, -scenario, -fixtures, -demo or -bank")
}

func render(o options) error {
	sc, ok := callgen.ScenarioNamed(o.scenario)
	if !ok {
		return fmt.Errorf("there is no scenario %q: see callgen -list", o.scenario)
	}
	c, ok := callgen.ConditionNamed(o.condition)
	if !ok {
		return fmt.Errorf("there is no condition %q: see callgen -list", o.condition)
	}
	if o.rate != 0 {
		if o.rate < 8000 || o.rate > 48000 {
			return fmt.Errorf("sample rate %d Hz is out of range: give 8000 to 48000", o.rate)
		}
		c.Opt.Rate = o.rate
	}
	var f callgen.Format
	switch strings.ToLower(o.format) {
	case "int16":
		f = callgen.Int16
	case "int24":
		f = callgen.Int24
	case "float32":
		f = callgen.Float32
	default:
		return fmt.Errorf("unknown format %q: give int16, int24 or float32", o.format)
	}
	if o.out == "" {
		o.out = sc.Name + "_" + c.Name
	}
	rep, cust, truth := callgen.RenderCondition(sc, c)
	if err := callgen.WriteWAV(o.out+".wav", truth.Rate, f, rep, cust); err != nil {
		return err
	}
	if err := truth.WriteJSON(o.out + ".truth.json"); err != nil {
		return err
	}
	return report([]string{o.out + ".wav", o.out + ".truth.json"})
}

func report(files []string) error {
	for _, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			return fmt.Errorf("check output: %w", err)
		}
		fmt.Printf("%8.2f MB  %s\n", float64(fi.Size())/(1<<20), filepath.Clean(f))
	}
	return nil
}
