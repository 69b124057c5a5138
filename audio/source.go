package audio

// Source is a stream of audio frames: what the analysis reads, whether it
// comes from a WAV file, a pair of mono files or a fake in a test.
//
// ReadFrames fills dst with whole frames, interleaved by channel (left,
// right, left, ...), and returns the number of frames read. Like io.Reader
// it may return fewer frames than dst holds; callers use the n frames before
// looking at err. At the end of the stream it returns 0, io.EOF; any other
// error means the stream failed.
type Source interface {
	Rate() int     // samples per second per channel
	Channels() int // 1 or 2
	ReadFrames(dst []float32) (n int, err error)
}
