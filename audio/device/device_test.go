package device_test

import (
	"errors"
	"strings"
	"testing"

	"callcoach/audio/device"
	"callcoach/audio/device/pulsetest"
)

// The test server's sinks: a "microphone" at 48 kHz and a "headset" at
// 44.1 kHz, so that the recorder resamples both and their clocks differ.
var testSinks = []pulsetest.Sink{
	{Name: "callcoach_mic", Description: "Microphone", Rate: 48000},
	{Name: "callcoach_headset", Description: "Headset", Rate: 44100},
}

func TestInputsListsServerSources(t *testing.T) {
	pulsetest.Start(t, testSinks...)
	devs, err := device.Inputs()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range devs {
		names = append(names, d.Name)
	}
	tests := []struct {
		query, name, source string
		rate                float64
	}{
		{"monitor of microphone", "Monitor of Microphone", "callcoach_mic.monitor", 48000},
		{"HEADSET", "Monitor of Headset", "callcoach_headset.monitor", 44100},
		{"callcoach_headset.mon", "Monitor of Headset", "callcoach_headset.monitor", 44100},
	}
	for _, tt := range tests {
		d, err := device.Find(devs, tt.query)
		if err != nil {
			t.Fatalf("Find(%q): %v (devices: %q)", tt.query, err, names)
		}
		if d.Name != tt.name || d.Source != tt.source || !d.Monitor || d.DefaultRate != tt.rate || d.Channels != 2 {
			t.Errorf("Find(%q) got %+v, want %s (%s) at %v Hz, 2 channels, a monitor", tt.query, d, tt.name, tt.source, tt.rate)
		}
	}
	_, err = device.Find(devs, "monitor of")
	if !errors.Is(err, device.ErrAmbiguous) || !strings.Contains(err.Error(), "Monitor of Headset") {
		t.Errorf("ambiguous name: got %v, want ErrAmbiguous listing the candidates", err)
	}
	_, err = device.Find(devs, "zoom h4n")
	if !errors.Is(err, device.ErrNoDevice) || !strings.Contains(err.Error(), "Monitor of Microphone") {
		t.Errorf("unknown name: got %v, want ErrNoDevice listing the devices", err)
	}
}
