package main

import (
	"bytes"
	"strings"
	"testing"
)

// Every command answers -h with its own usage text and its flags, exit 0,
// and help lists every command.
func TestEveryCommandHelp(t *testing.T) {
	var help bytes.Buffer
	if code := run([]string{"help"}, &help, &help); code != 0 {
		t.Fatalf("help: exit %d", code)
	}
	for name := range commands {
		if !strings.Contains(help.String(), "  "+name+" ") {
			t.Errorf("help does not list %q", name)
		}
		t.Run(name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run([]string{name, "-h"}, &out, &errOut); code != 0 {
				t.Fatalf("exit %d, want 0; stderr %q", code, errOut.String())
			}
			got := errOut.String()
			if !strings.Contains(got, "Usage:") || !strings.Contains(got, name) {
				t.Errorf("-h printed %q, want the usage of callcoach %s", got, name)
			}
		})
	}
}
