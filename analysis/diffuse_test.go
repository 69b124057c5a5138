package analysis

import (
	"math"
	"testing"
)

// TestDiffuseLeakModel: the gain is learnt from the source's talk at the
// leak's level (frames where the receiver talks too do not raise it), a
// frame the leak explains is not clear and one well above it is; a
// receiver that only carries noise learns no gain at all.
func TestDiffuseLeakModel(t *testing.T) {
	const noise = 1e-7 // −70 dB
	src := 1e-2        // −20 dB
	var d diffuseLeak
	for k := 0; k < 1000; k++ {
		d.hold(src, 0.5)
		e := noise + src*math.Pow(10, -1.8) // the leak, 18 dB under
		if k%4 == 0 {
			e += src // the receiver talks over a quarter of it
		}
		d.learn(e, noise)
	}
	if g := dB(d.gain); math.Abs(g-(-18)) > 1 {
		t.Fatalf("learnt gain %.1f dB, want -18", g)
	}
	if ok := d.clear(noise+src*math.Pow(10, -1.6), noise); ok {
		t.Error("a frame 2 dB above the leak is taken for the receiver's own")
	}
	if ok := d.clear(noise+src*0.5, noise); !ok {
		t.Error("a frame 15 dB above the leak is not the receiver's own")
	}
	var clean diffuseLeak
	for k := 0; k < 1000; k++ {
		clean.hold(src, 0.5)
		clean.learn(noise*1.2, noise)
	}
	if clean.gain != 0 {
		t.Errorf("noise alone learnt a gain of %.1f dB", dB(clean.gain))
	}
	if ok := clean.clear(noise*2, noise); !ok {
		t.Error("with no gain learnt a frame is held back")
	}
}
