package callgen

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sync"

	"callcoach/analysis"

	"github.com/go-audio/wav"
)

// BankRate is the sample rate of the embedded utterance bank.
const BankRate = 16000

// Kind says what part an utterance plays in a call.
type Kind uint8

const (
	// Floor: a sentence of 1.5–8 s that takes the floor.
	Floor Kind = iota
	// Backchannel: "mm-hm", "right", "okay": under 1.0 s.
	Backchannel
	// Opener: a floor-taking sentence that starts an interruption
	// ("sorry can I just jump in there").
	Opener
)

var kindNames = [...]string{Floor: "floor", Backchannel: "backchannel", Opener: "opener"}

func (k Kind) String() string { return kindNames[k] }

// Voice is how one party's utterances were spoken by espeak-ng.
type Voice struct {
	Name  string // espeak-ng voice, e.g. "en-us+m3"
	Speed int    // words per minute (espeak-ng -s)
	Pitch int    // 0..99 (espeak-ng -p)
}

// The two parties' voices: distinct accent, sex and pitch so that the
// channels never look alike.
var (
	RepVoice      = Voice{Name: "en-us+m3", Speed: 168, Pitch: 45}
	CustomerVoice = Voice{Name: "en-gb+f2", Speed: 174, Pitch: 60}
)

// Entry is one utterance of the bank: what was said, by which party, and
// the small speed offset it was spoken with (so that not every sentence
// runs at the same pace).
type Entry struct {
	ID       string // file name without .wav, e.g. "rep-floor-03"
	Party    analysis.Speaker
	Kind     Kind
	SpeedAdj int // added to the party's Voice.Speed
	Text     string
}

// bankEntries is the script of the bank. Re-make the WAV files after
// editing it:
//
//	go run ./cmd/callgen -bank audio/audiotest/callgen/bank
//
// Floor sentences and openers avoid a short first phrase followed by a
// comma: espeak pauses there, and a lone "Okay," would be a backchannel
// by the spec's rules rather than the start of a turn. A pause inside a
// sentence is an SSML break well clear of the 0.30 s bridging gap
// (espeak's own pause after a full stop is about 0.3 s: ambiguous).
var bankEntries = []Entry{
	{"rep-floor-01", analysis.Rep, Floor, 0, `Thanks for calling Northwind support. <break time="550ms"/> My name is Jordan and I will be looking after you today.`},
	{"rep-floor-02", analysis.Rep, Floor, 6, "What I can do for you is set up the premium plan, which gives you priority support and a dedicated account manager."},
	{"rep-floor-03", analysis.Rep, Floor, -4, "Our customers usually see a return on the investment within the first three months of using the platform."},
	{"rep-floor-04", analysis.Rep, Floor, 2, "Let me just pull up your account so I can see what happened with the last invoice."},
	{"rep-floor-05", analysis.Rep, Floor, -6, "I completely understand and I want to make sure we get this sorted out for you today."},
	{"rep-floor-06", analysis.Rep, Floor, 8, "The annual plan works out about twenty percent cheaper than paying month by month."},
	{"rep-floor-07", analysis.Rep, Floor, 0, "Can you tell me a little more about how your team handles scheduling at the moment?"},
	{"rep-floor-08", analysis.Rep, Floor, 4, "What I am hearing is that the reports take too long to build and nobody trusts the numbers."},
	{"rep-floor-09", analysis.Rep, Floor, -2, "We also have an integration with your calendar, so bookings show up automatically without any extra steps."},
	{"rep-floor-10", analysis.Rep, Floor, 6, "If we sign the agreement this week I can lock in the current price for the next two years."},
	{"rep-open-01", analysis.Rep, Opener, 4, "Sorry can I just jump in there for a second?"},
	{"rep-open-02", analysis.Rep, Opener, 0, "Let me stop you right there because this part is important."},
	{"rep-open-03", analysis.Rep, Opener, 6, "Hold on I think I know exactly what the problem is."},
	{"rep-bc-01", analysis.Rep, Backchannel, 0, "Mm-hm."},
	{"rep-bc-02", analysis.Rep, Backchannel, 0, "Right."},
	{"rep-bc-03", analysis.Rep, Backchannel, 0, "Okay."},
	{"rep-bc-04", analysis.Rep, Backchannel, 0, "Yeah."},
	{"rep-bc-05", analysis.Rep, Backchannel, 0, "I see."},
	{"rep-bc-06", analysis.Rep, Backchannel, 0, "Sure."},

	{"cust-floor-01", analysis.Customer, Floor, 0, "I am calling because my order still has not arrived and it has been almost two weeks."},
	{"cust-floor-02", analysis.Customer, Floor, -6, "We tried a similar tool last year and honestly it did not work out for our team."},
	{"cust-floor-03", analysis.Customer, Floor, 4, `The main issue for us is the price. <break time="500ms"/> We are a small business and the budget is really tight.`},
	{"cust-floor-04", analysis.Customer, Floor, -2, "I need to check with my manager before we commit to anything like that."},
	{"cust-floor-05", analysis.Customer, Floor, 6, "Our current system keeps crashing whenever more than ten people log in at the same time."},
	{"cust-floor-06", analysis.Customer, Floor, 0, "I was charged twice on my credit card last month and nobody has called me back."},
	{"cust-floor-07", analysis.Customer, Floor, -4, "What I really want to know is whether it works with the software we already have."},
	{"cust-floor-08", analysis.Customer, Floor, 2, "Most of our bookings come in by phone, so the staff spend hours every day on the calendar."},
	{"cust-floor-09", analysis.Customer, Floor, 8, "Could you send me something in writing so I can share it with the rest of the team?"},
	{"cust-floor-10", analysis.Customer, Floor, -2, "We have about forty people across three offices and each office books its own rooms."},
	{"cust-open-01", analysis.Customer, Opener, 4, "Sorry but that is not what I asked you about."},
	{"cust-open-02", analysis.Customer, Opener, 0, "Wait can I just say something here please?"},
	{"cust-open-03", analysis.Customer, Opener, 6, "Hang on that is not what I was told before."},
	{"cust-bc-01", analysis.Customer, Backchannel, 0, "Mm-hm."},
	{"cust-bc-02", analysis.Customer, Backchannel, 0, "Right."},
	{"cust-bc-03", analysis.Customer, Backchannel, 0, "Okay."},
	{"cust-bc-04", analysis.Customer, Backchannel, 0, "Yeah."},
	{"cust-bc-05", analysis.Customer, Backchannel, 0, "I see."},
	{"cust-bc-06", analysis.Customer, Backchannel, 0, "Sure."},
}

// BankEntries returns the script of the bank (for the bank maker).
func BankEntries() []Entry { return append([]Entry(nil), bankEntries...) }

// VoiceOf returns the voice party p speaks with.
func VoiceOf(p analysis.Speaker) Voice {
	if p == analysis.Rep {
		return RepVoice
	}
	return CustomerVoice
}

//go:embed bank
var bankFS embed.FS

// Utterance is one bank entry with its samples at BankRate.
type Utterance struct {
	Entry
	Samples []float32
}

// Duration of the utterance in seconds.
func (u *Utterance) Seconds() float64 { return float64(len(u.Samples)) / BankRate }

var (
	bankOnce sync.Once
	bank     map[string]*Utterance
	bankErr  error
)

// Bank returns the embedded utterances by ID. The error is non-nil only if
// the embedded bank is broken (a build problem, not a runtime condition).
func Bank() (map[string]*Utterance, error) {
	bankOnce.Do(func() { bank, bankErr = loadBank(bankFS) })
	return bank, bankErr
}

func mustBank() map[string]*Utterance {
	b, err := Bank()
	if err != nil {
		panic(err)
	}
	return b
}

func loadBank(fsys fs.FS) (map[string]*Utterance, error) {
	out := make(map[string]*Utterance, len(bankEntries))
	for _, e := range bankEntries {
		b, err := fs.ReadFile(fsys, path.Join("bank", e.ID+".wav"))
		if err != nil {
			return nil, fmt.Errorf("utterance bank: %w (re-make it: go run ./cmd/callgen -bank audio/audiotest/callgen/bank)", err)
		}
		s, rate, err := decodeMono(b)
		if err != nil {
			return nil, fmt.Errorf("utterance bank: %s: %w", e.ID, err)
		}
		if rate != BankRate {
			return nil, fmt.Errorf("utterance bank: %s: rate %d Hz, want %d", e.ID, rate, BankRate)
		}
		out[e.ID] = &Utterance{Entry: e, Samples: s}
	}
	return out, nil
}

// decodeMono reads a 16-bit mono WAV into floats in [-1, 1).
func decodeMono(b []byte) ([]float32, int, error) {
	d := wav.NewDecoder(bytes.NewReader(b))
	buf, err := d.FullPCMBuffer()
	if err != nil {
		return nil, 0, fmt.Errorf("decode wav: %w", err)
	}
	if buf.Format.NumChannels != 1 || d.BitDepth != 16 {
		return nil, 0, fmt.Errorf("got %d channels, %d bits; want mono 16-bit", buf.Format.NumChannels, d.BitDepth)
	}
	s := make([]float32, len(buf.Data))
	for i, v := range buf.Data {
		s[i] = float32(v) / 32768
	}
	return s, buf.Format.SampleRate, nil
}
