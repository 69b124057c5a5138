package device

import (
	"errors"
	"fmt"

	"callcoach/analysis"
	"callcoach/audio"
	"callcoach/audio/record"
)

// Request names what to record a call from, by device names as the user
// typed them (matched as Find does). Either RepDevice and CustomerDevice
// (two devices, one party each), or StereoDevice with RepChannel.
type Request struct {
	RepDevice, CustomerDevice string
	StereoDevice              string
	// RepChannel is the stereo device's channel carrying the rep (Left
	// by default); the other carries the customer.
	RepChannel audio.Side
	// Path is the file to record into from the first audio on; "" only
	// watches the devices until Recorder.Begin (and then CustomerDevice
	// may be "" too: the rep's device is metered alone).
	Path     string
	Rate     int // file rate, default 16000
	Analysis *analysis.Config
	OnLive   func(record.Live)
}

// Recording is a call being recorded and the devices it uses.
type Recording struct {
	*record.Recorder
	Rep, Customer Device
}

// Record opens the devices of req and starts a record.Recorder on them: a
// building block of callflow's recording sessions (which decide where the
// file goes and what becomes of it). Stop the returned recording to finish
// the file and get the analysis; it closes the devices.
func Record(req Request) (*Recording, error) {
	devs, err := Inputs()
	if err != nil {
		return nil, err
	}
	var opt = record.Options{Path: req.Path, Rate: req.Rate, Analysis: req.Analysis, OnLive: req.OnLive}
	rec := &Recording{}
	var opened []*Input
	fail := func(err error) (*Recording, error) {
		for _, in := range opened {
			in.Close()
		}
		return nil, err
	}
	if req.StereoDevice != "" {
		if req.RepDevice != "" || req.CustomerDevice != "" {
			return nil, errors.New("give either a stereo device, or a rep device and a customer device, not both")
		}
		d, err := Find(devs, req.StereoDevice)
		if err != nil {
			return nil, err
		}
		if d.Channels < 2 {
			return nil, fmt.Errorf("%q has only %d input channel; a stereo device needs two (one per party) — or record from two devices", d.Name, d.Channels)
		}
		repCh := req.RepChannel.Index()
		in, err := OpenInput(d, 2)
		if err != nil {
			return nil, err
		}
		opened = append(opened, in)
		opt.Rep = record.Tap{Input: in, Channel: repCh}
		opt.Customer = record.Tap{Input: in, Channel: 1 - repCh}
		rec.Rep, rec.Customer = d, d
	} else {
		if req.RepDevice == "" || (req.CustomerDevice == "" && req.Path != "") {
			return nil, errors.New("name both the rep's device (the microphone) and the customer's (the headset or the playback monitor), or one stereo device")
		}
		rd, err := Find(devs, req.RepDevice)
		if err != nil {
			return nil, fmt.Errorf("rep device: %w", err)
		}
		if req.CustomerDevice == "" { // watching the rep's device alone
			in, err := OpenInput(rd, 1)
			if err != nil {
				return nil, err
			}
			opt.Rep = record.Tap{Input: in}
			r, err := record.Start(opt)
			if err != nil {
				in.Close()
				return nil, err
			}
			rec.Recorder, rec.Rep = r, rd
			return rec, nil
		}
		cd, err := Find(devs, req.CustomerDevice)
		if err != nil {
			return nil, fmt.Errorf("customer device: %w", err)
		}
		if rd.paName == cd.paName {
			return nil, fmt.Errorf("the rep and the customer are both %q; for one device carrying both parties use the stereo device option", rd.Name)
		}
		for _, x := range []struct {
			d   Device
			tap *record.Tap
		}{{rd, &opt.Rep}, {cd, &opt.Customer}} {
			in, err := OpenInput(x.d, 1)
			if err != nil {
				return fail(err)
			}
			opened = append(opened, in)
			*x.tap = record.Tap{Input: in}
		}
		rec.Rep, rec.Customer = rd, cd
	}
	r, err := record.Start(opt)
	if err != nil {
		return fail(err)
	}
	rec.Recorder = r
	return rec, nil
}
