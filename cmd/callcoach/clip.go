package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

func init() {
	register(command{
		name:    "clip",
		summary: "save an annotation's stretch of a call as a clip of its own",
		run:     runClip,
	})
}

const clipUsage = `Usage:
  callcoach clip ANNOTATION [--out FILE.wav]

Cuts the annotated stretch out of its call (both channels, the samples as
recorded) and keeps it in the library's clips, where it survives even if
the call is deleted. --out also copies the clip to FILE.wav, which must not
exist yet.

Flags:
`

func runClip(args []string, stdout, stderr io.Writer) error {
	flags := newFlags("clip", clipUsage, stderr)
	out := flags.String("out", "", "also copy the clip to this WAV file (must not exist)")
	data := dataFlag(flags)
	pos, err := parseInterleaved(flags, args)
	if err != nil {
		return err
	}
	id, err := oneID("annotation", pos)
	if err != nil {
		return err
	}
	if *out != "" {
		if _, err := os.Stat(*out); err == nil {
			return fmt.Errorf("%s already exists: choose another file name for --out", *out)
		}
	}
	lib, err := openLibrary(*data, false)
	if err != nil {
		return err
	}
	defer lib.Close()
	ctx := context.Background()
	c, err := lib.SaveClip(ctx, id)
	if err != nil {
		return libraryError(err)
	}
	fmt.Fprintf(stdout, "saved clip %d (%s, %s to %s of call %d): %s\n", c.ID, secondsText(c.Len()),
		secondsText(c.Start), secondsText(c.End), *c.CallID, lib.Abs(c.Path))
	if *out != "" {
		if err := copyOut(lib.Abs(c.Path), *out); err != nil {
			return fmt.Errorf("the clip is saved as clip %d, but copying it to %s failed: %w", c.ID, *out, err)
		}
		fmt.Fprintf(stdout, "copied to %s\n", *out)
	}
	return nil
}

// copyOut copies a library file to a new file dst (0600: it is the user's
// recording).
func copyOut(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists", dst)
	}
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, in); err != nil {
		f.Close()
		os.Remove(dst)
		return err
	}
	return f.Close()
}
