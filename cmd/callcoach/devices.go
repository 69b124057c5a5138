package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"callcoach/audio/device"
)

func init() {
	register(command{
		name:    "devices",
		summary: "list the input devices a call can be recorded from",
		run:     runDevices,
	})
}

const devicesUsage = `Usage:
  callcoach devices [--json]

Lists the input devices: name, host API, channels and preferred rate; *
marks the default. On Linux every PulseAudio/PipeWire source is listed by
its description; "Monitor of ..." sources carry what a playback device
plays — the customer's side of a call heard through that headset or
speaker. Pass any part of a name to 'callcoach record'.

Flags:
`

func runDevices(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("devices", devicesUsage, stderr)
	asJSON := fs.Bool("json", false, "print the devices as a JSON array")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("devices takes no arguments (got %q)", fs.Arg(0))
	}
	devs, err := device.Inputs()
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(devs)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\tNAME\tAPI\tCHANNELS\tRATE\t")
	for _, d := range devs {
		mark := " "
		if d.Default {
			mark = "*"
		}
		note := ""
		if d.Monitor {
			note = "customer side (what the speakers/headset play)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.0f Hz\t%s\n", mark, d.Name, d.HostAPI, d.Channels, d.DefaultRate, note)
	}
	return tw.Flush()
}
