package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
)

func init() {
	register(command{
		name:    "annotations",
		summary: "list a call's annotations",
		run:     runAnnotations,
	})
}

const annotationsUsage = `Usage:
  callcoach annotations CALL [--json]

Lists the call's annotations in time order.

Flags:
`

func runAnnotations(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("annotations", annotationsUsage, stderr)
	asJSON := fs.Bool("json", false, "print the annotations as JSON")
	data := dataFlag(fs)
	id, lib, err := openForOne(fs, args, "call", data)
	if err != nil {
		return err
	}
	defer lib.Close()
	as, err := lib.Annotations(context.Background(), id)
	if err != nil {
		return libraryError(err)
	}
	if *asJSON {
		out := make([]annotationJSON, 0, len(as))
		for _, a := range as {
			out = append(out, toAnnotationJSON(a))
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(as) == 0 {
		fmt.Fprintf(stderr, "call %d has no annotations\n", id)
		return nil
	}
	printAnnotations(stdout, as)
	return nil
}
