package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"callcoach/audio/audiotest/callgen"
)

// makeBank speaks every bank entry with espeak-ng and stores it as a
// trimmed, peak-normalised 16 kHz mono 16-bit WAV in dir. It is the only
// part of the test kit that needs espeak-ng and sox; the tests use the
// embedded result.
func makeBank(dir string) error {
	for _, tool := range []string{"espeak-ng", "sox"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("making the bank needs %s: install it (apt-get install espeak-ng sox): %w", tool, err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("bank directory: %w", err)
	}
	tmp, err := os.MkdirTemp("", "callgen-bank")
	if err != nil {
		return fmt.Errorf("temporary directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	for _, e := range callgen.BankEntries() {
		v := callgen.VoiceOf(e.Party)
		raw := filepath.Join(tmp, e.ID+".wav")
		out := filepath.Join(dir, e.ID+".wav")
		args := []string{"-v", v.Name, "-s", strconv.Itoa(v.Speed + e.SpeedAdj), "-p", strconv.Itoa(v.Pitch), "-w", raw}
		if strings.Contains(e.Text, "<") {
			args = append(args, "-m") // SSML: <break time="..."/>
		}
		speak := exec.Command("espeak-ng", append(args, e.Text)...)
		if b, err := speak.CombinedOutput(); err != nil {
			return fmt.Errorf("espeak-ng %s: %w: %s", e.ID, err, b)
		}
		// Resample to the bank rate, normalise the peak to -1 dBFS, cut
		// leading and trailing silence (below -50 dBFS), no dither so the
		// bank is reproducible bit for bit.
		conv := exec.Command("sox", "-D", raw, "-r", strconv.Itoa(callgen.BankRate), "-c", "1", "-b", "16", out,
			"rate", "-v", strconv.Itoa(callgen.BankRate),
			"norm", "-1",
			"silence", "1", "0.005", "-50d", "reverse", "silence", "1", "0.005", "-50d", "reverse")
		if b, err := conv.CombinedOutput(); err != nil {
			return fmt.Errorf("sox %s: %w: %s", e.ID, err, b)
		}
	}
	return nil
}
