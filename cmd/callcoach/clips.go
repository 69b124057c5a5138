package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"callcoach/store"
)

func init() {
	register(command{
		name:    "clips",
		summary: "list the saved clips (filter by tag or rep)",
		run:     runClips,
	})
}

const clipsUsage = `Usage:
  callcoach clips [--tag T] [--rep NAME] [--json]

Lists the clips across all calls, newest first: the training set.

Flags:
`

func runClips(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("clips", clipsUsage, stderr)
	tag := fs.String("tag", "", "only clips with this tag")
	rep := fs.String("rep", "", "only clips of this rep's calls")
	asJSON := fs.Bool("json", false, "print the clips as JSON")
	data := dataFlag(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("clips takes flags only, not %q", pos[0])
	}
	lib, err := openLibrary(*data, false)
	if err != nil {
		return err
	}
	defer lib.Close()
	clips, err := lib.Clips(context.Background(), store.ClipFilter{Tag: *tag, Rep: *rep})
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]clipJSON, 0, len(clips))
		for _, c := range clips {
			out = append(out, toClipJSON(lib, c))
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(clips) == 0 {
		fmt.Fprintln(stderr, "no clips match")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CLIP\tLENGTH\tTAG\tREP\tCALL\tNOTE\tFILE")
	for _, c := range clips {
		call := orDash(c.CallTitle)
		if c.CallID != nil {
			call = fmt.Sprintf("%d %s", *c.CallID, c.CallTitle)
		} else {
			call += " (deleted)"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, secondsText(c.Len()), orDash(c.Tag), orDash(c.Rep), call,
			orDash(c.Note), lib.Abs(c.Path))
	}
	return tw.Flush()
}
