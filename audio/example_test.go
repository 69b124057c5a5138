package audio_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"callcoach/audio"
)

// A recorder writes through a Writer and Syncs at least every second; a
// crash then loses at most that second, and Repair makes the file exact.
func ExampleCreate() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "call.wav")

	w, err := audio.Create(path, 16000, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	second := make([]float32, 2*16000) // one second of stereo silence
	for range 3 {
		w.WriteFrames(second)
		w.Sync()
	}
	w.Close()

	r, err := audio.Open(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	info := r.Info()
	fmt.Println(info.Rate, info.Channels, info.BitDepth, info.Frames, info.Duration)
	// Output: 16000 2 16 48000 3s
}

// Streaming a file: one buffer, however long the call.
func ExampleReader_ReadFrames() {
	r, err := audio.Open("testdata/rep-utterance.wav")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	buf := make([]float32, 4096*r.Channels())
	var frames int
	for {
		n, err := r.ReadFrames(buf)
		frames += n
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println(frames, "frames at", r.Rate(), "Hz")
	// Output: 32000 frames at 16000 Hz
}

// Converting 44.1 kHz to 16 kHz as the audio streams in.
func ExampleResampler() {
	rs, _ := audio.NewResampler(44100, 16000)
	var out []float32
	in := make([]float32, 4410) // 100 ms
	for range 10 {
		out = rs.Append(out, in)
	}
	out = rs.Flush(out)
	fmt.Println(len(out), "samples") // one second at 16 kHz
	// Output: 16000 samples
}

func ExampleOpen_notAWAV() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "call.mp3")
	os.WriteFile(path, []byte("ID3\x04 an mp3 file"), 0o600)
	_, err := audio.Open(path)
	fmt.Println(err)
	// Output: call.mp3 is not a WAV file (no RIFF header): convert it with e.g. `sox call.mp3 call.wav`
}
