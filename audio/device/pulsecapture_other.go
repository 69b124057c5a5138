//go:build !linux

package device

import "errors"

func pulseNativeAvailable() bool { return false }

type pulseReader struct{ q *cring }

func openPulseReader(string, int, int, int) (*pulseReader, error) {
	return nil, errors.New("no PulseAudio client on this system")
}

func (p *pulseReader) start() error   { return errors.New("unsupported") }
func (p *pulseReader) failure() error { return nil }
func (p *pulseReader) stop()          {}
func (p *pulseReader) close()         {}

type pulseSink struct{ sink }

func openPulseSink(int) (*pulseSink, error) { return nil, errors.New("no sound server client") }
