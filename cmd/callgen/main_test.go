package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"callcoach/audio/audiotest/callgen"
)

func TestRender(t *testing.T) {
	out := filepath.Join(t.TempDir(), "call")
	if err := run(options{scenario: "demo", condition: "echo_noise", format: "int24", rate: 8000, out: out}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{out + ".wav", out + ".truth.json"} {
		if fi, err := os.Stat(f); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	tr, err := callgen.ReadTruth(out + ".truth.json")
	if err != nil {
		t.Fatal(err)
	}
	if tr.Rate != 8000 || tr.Condition != "echo_noise" || len(tr.Interruptions) == 0 {
		t.Errorf("truth: rate %d condition %q %d interruptions; want 8000, echo_noise, some", tr.Rate, tr.Condition, len(tr.Interruptions))
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		o    options
		want string
	}{
		{options{scenario: "nope", condition: "clean", format: "int16"}, `no scenario "nope"`},
		{options{scenario: "demo", condition: "nope", format: "int16"}, `no condition "nope"`},
		{options{scenario: "demo", condition: "clean", format: "mp3"}, `unknown format "mp3"`},
		{options{scenario: "demo", condition: "clean", format: "int16", rate: 4000}, "out of range"},
		{options{}, "nothing to do"},
	}
	for _, tc := range tests {
		err := run(tc.o)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("run(%+v) = %v, want an error containing %q", tc.o, err, tc.want)
		}
	}
}
