package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"callcoach/callflow"
	"callcoach/callflow/interchange"
)

func init() {
	register(command{
		name:    "export",
		summary: "export a call for Praat (textgrid), ELAN (eaf), diarization tools (rttm), Audacity (labels), a spreadsheet (csv) or as JSON",
		run:     runExport,
	})
}

func exportUsage() string {
	var b strings.Builder
	b.WriteString("Usage:\n  callcoach export CALL --format " + strings.ReplaceAll(interchange.FormatList(), ", ", "|") + " [--out FILE]\n\n")
	for _, f := range interchange.ExportFormats {
		fmt.Fprintf(&b, "  %-9s %s\n", f.Name, f.About)
	}
	b.WriteString(`
Praat and ELAN get the same tiers: the rep's and the customer's speech,
the interruptions (who cut in, whether the other yielded) and the
annotations (label "tag: note"; overlapping ones on a second tier).
Times are seconds (EAF: milliseconds). 'callcoach import-annotations'
reads labels and TextGrids back. 'callcoach list --csv' exports many calls.

Writes to stdout, or to FILE with --out (which must not exist).

Flags:
`)
	return b.String()
}

func runExport(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("export", exportUsage(), stderr)
	format := fs.String("format", "", interchange.FormatList())
	out := fs.String("out", "", "write to this file instead of stdout (must not exist)")
	data := dataFlag(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	id, err := oneID("call", pos)
	if err != nil {
		return err
	}
	if *format == "" {
		return usagef("give the format with --format %s", interchange.FormatList())
	}
	f, err := interchange.FormatNamed(*format)
	if err != nil {
		return usagef("--format is %s, not %q", interchange.FormatList(), *format)
	}
	lib, err := openLibrary(*data, false)
	if err != nil {
		return err
	}
	defer lib.Close()
	ctx := context.Background()
	// Read the call before creating --out, so a wrong call number leaves no file.
	if _, err := interchange.Load(ctx, lib, id); errors.Is(err, interchange.ErrStillRecording) {
		return fmt.Errorf("call %d is still recording: export it once it is finished", id)
	} else if err != nil {
		return libraryError(err)
	}
	return writeOut(*out, stdout, stderr, func(w io.Writer) error { return callflow.Export(ctx, lib, id, f, w) })
}

// writeOut writes with write to stdout, or to a new file out (0600, which
// must not exist yet; removed again if writing fails), and says so.
func writeOut(out string, stdout, stderr io.Writer, write func(io.Writer) error) error {
	if out == "" {
		return write(stdout)
	}
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("cannot create %s (it must not exist yet): %w", out, err)
	}
	if err := write(f); err != nil {
		f.Close()
		os.Remove(out)
		return fmt.Errorf("writing %s: %w", out, err)
	}
	if err := f.Close(); err != nil {
		os.Remove(out)
		return fmt.Errorf("writing %s: %w", out, err)
	}
	fmt.Fprintf(stderr, "wrote %s\n", out)
	return nil
}
