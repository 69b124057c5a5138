// Command callgen renders the test kit's synthetic two-party calls to WAV
// files with their truth, re-makes the utterance bank, and writes the
// committed fixtures and the app's demo call.
//
//	go run ./cmd/callgen -bank audio/audiotest/callgen/bank   # re-make the bank (espeak-ng, sox)
//	go run ./cmd/callgen -list                                # scenarios and conditions
//	go run ./cmd/callgen -scenario attentive -condition echo_noise -out /tmp/call
//	go run ./cmd/callgen -fixtures analysis/testdata/calls    # the committed fixtures
//	go run ./cmd/callgen -demo assets                         # assets/demo.wav + demo.json
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	bankDir := flag.String("bank", "", "re-make the utterance bank in this directory (needs espeak-ng and sox)")
	flag.Parse()
	if err := run(*bankDir); err != nil {
		fmt.Fprintln(os.Stderr, "callgen:", err)
		os.Exit(1)
	}
}

func run(bankDir string) error {
	if bankDir != "" {
		return makeBank(bankDir)
	}
	flag.Usage()
	return nil
}
