// Package assets holds the files the app ships inside its binary: the app
// icon and the first-run demo call (a generated two-party call with
// interruptions and a backchannel, rendered by cmd/callgen, with its
// analysis).
package assets

import (
	"embed"
	"io/fs"
)

// files holds every asset in this folder. The pattern is "*" rather than
// the names so that a build still succeeds before the demo call has been
// rendered (the app then starts without it).
//
//go:embed *
var files embed.FS

// Icon returns the app icon (PNG, 512×512).
func Icon() []byte {
	b, _ := fs.ReadFile(files, "icon.png")
	return b
}

// Demo returns the demo call's audio (stereo WAV, rep left) and its
// analysis (analysis.Result as JSON, may be nil). ok is false when the demo
// is not built in.
func Demo() (wav, result []byte, ok bool) {
	wav, err := fs.ReadFile(files, "demo.wav")
	if err != nil {
		return nil, nil, false
	}
	result, _ = fs.ReadFile(files, "demo.json")
	return wav, result, true
}
