package analysis

import (
	"fmt"
	"math"
)

// sameCheck finds a stereo recording whose two channels carry the same
// audio (a mixed recording saved as stereo, one device picked for both
// sides): analysed as two parties, one channel would be "the rep" and the
// other its perfect crosstalk. Over the frames where either channel carries
// sound it sums their energies and cross product (lag 0, after the
// high-pass): the squared correlation ρ² is 1 for identical channels and
// for one a scaled copy of the other (over any set of frames), and far
// below for two parties, whose own speech the other channel does not carry
// (a leak is late, filtered and 3 dB or more quieter; even the closest
// lapel pair correlates under 0.9 at lag 0), and 0 when one side is
// silent. Two conditions keep a two-party call whose channels look alike
// for a while from being taken for one: a rep talking alone with a sidetone
// at lag 0 (two devices whose latencies differ by the sidetone's delay) or
// a lapel pair's near copy makes the first seconds match; so a match
// decides only after identicalHold frames of sound (a real second party
// breaks it at its first words, far louder on its own channel than any
// copy of the other), and a copy more than identicalLevelDB under the
// other channel is a leak, not the same audio (a sidetone is 12–20 dB
// down; a mixed recording saved as stereo carries both at one level).
// Frames where only one channel carries sound count too: were only
// frames with sound on both counted, a call with a muted side would never
// decide and would pay for the one-channel copy to its end (a second full
// analysis). Until it decides (identicalFrames of sound, or the end)
// a one-channel Analyzer runs on the channels' mean beside the two-party
// one; the loser is dropped, so a normal call pays for the copy only in
// its first seconds (channels that differ are known to after
// identicalFrames; only a match waits for identicalHold).
type sameCheck struct {
	child              *Analyzer
	ll, rr, lr         float64
	frames             int
	decided, identical bool
	mix                []float32
}

const (
	// identicalFrames: frames of sound (on either channel) before the
	// check decides (5 s).
	identicalFrames = 500
	// identicalHold: frames of sound a match must hold before the
	// channels count as the same (15 s).
	identicalHold = 1500
	// identicalLevelDB: the most the quieter channel may be under the
	// other for the two to count as the same audio.
	identicalLevelDB = 10
	// identicalRho2: the squared correlation above which the channels
	// count as the same (the residual after the best gain ≤ −23 dB).
	identicalRho2 = 0.995
	// soundFloor: a frame counts as sound when either channel's mean
	// square is above this (−70 dBFS).
	soundFloor = 1e-7
)

func newSameCheck(cfg Config, rate int) *sameCheck {
	child, err := NewAnalyzer(cfg, rate, OneChannel)
	if err != nil {
		return nil
	}
	return &sameCheck{child: child, mix: make([]float32, 4096)}
}

// feed passes the channels' mean to the one-channel copy.
func (s *sameCheck) feed(rep, cust []float32) {
	for len(rep) > 0 {
		n := min(len(rep), len(s.mix))
		for i := 0; i < n; i++ {
			var c float32
			if i < len(cust) {
				c = cust[i]
			}
			s.mix[i] = (rep[i] + c) / 2
		}
		s.child.Write(s.mix[:n], nil)
		rep = rep[n:]
		cust = cust[min(n, len(cust)):]
	}
}

// frame adds one frame's sums (n samples); it returns false once the
// channels are known to differ.
func (s *sameCheck) frame(ll, rr, lr, n float64) bool {
	if ll > soundFloor*n || rr > soundFloor*n {
		s.ll += ll
		s.rr += rr
		s.lr += lr
		s.frames++
	}
	if s.frames >= identicalFrames && (!s.same() || s.frames >= identicalHold) {
		s.decide()
	}
	return !s.decided || s.identical
}

// decideAtEnd decides with what the call had: a second of sound at least.
func (s *sameCheck) decideAtEnd() {
	if s.frames >= 100 {
		s.decide()
		return
	}
	s.decided = true
}

func (s *sameCheck) decide() {
	s.decided = true
	s.identical = s.same()
}

// same reports whether the channels so far carry the same audio.
func (s *sameCheck) same() bool {
	if s.ll == 0 || s.rr == 0 {
		return false
	}
	lvl := 10 * math.Log10(s.ll/s.rr)
	return s.rho2() >= identicalRho2 && lvl <= identicalLevelDB && lvl >= -identicalLevelDB
}

func (s *sameCheck) rho2() float64 {
	if s.ll == 0 || s.rr == 0 {
		return 0
	}
	return s.lr * s.lr / (s.ll * s.rr)
}

// result is the one-channel copy's result, marked as such.
func (s *sameCheck) result(final bool) Result {
	var r Result
	if final {
		r = s.child.Finish()
	} else {
		r = s.child.Snapshot()
	}
	r.Channels = Channels{OneChannel: "identical"}
	r.Recording.Warn(WarnIdenticalChannels, fmt.Sprintf(
		"Both channels of this stereo file carry the same audio (they match to %.1f%%), so it was analysed as one channel with both voices on it, not as rep and customer: record the rep's microphone and the customer's side on separate channels for exact figures.",
		100*math.Sqrt(s.rho2())))
	return r
}
