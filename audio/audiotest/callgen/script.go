package callgen

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"callcoach/analysis"
)

// A rep who reads a script: the same passages said again in several calls
// — at other places in the call, faster or slower (±20%), at another
// pitch, in other noise, to other customers — between sentences said only
// once in the whole corpus; and calls that reuse nothing. The passages and
// the once-only sentences are spoken by espeak-ng at test time (Speak):
// the embedded bank has too few distinct rep sentences to keep the
// "nothing shared" calls honest.

// ScriptPassages are the pitches a scripted rep reads (6–14 s at the
// rep's normal speed).
var ScriptPassages = []struct{ ID, Text string }{
	{"pitch-open", "Thanks for taking my call today. I am reaching out because companies like yours are saving up to thirty percent on their phone bills with our unified platform."},
	{"pitch-demo", "I would love to show you how it works in a quick fifteen minute demo, and there is absolutely no obligation to buy anything at the end of it."},
	{"pitch-price", "Our standard package starts at forty nine dollars per seat per month, and that already includes unlimited calling, voicemail transcription and round the clock support."},
	{"pitch-close", "If you sign up before the end of the quarter, I can add three extra months for free and waive the setup fee completely."},
}

// onceSentences are said by the rep once in a whole corpus.
var onceSentences = []string{
	"Our warehouse in Denver ships most orders within two business days.",
	"I noticed on your file that the account was opened in March by your finance team.",
	"Could you spell the last name for me so I get it exactly right?",
	"The courier usually arrives between nine and noon on weekdays.",
	"That model was discontinued last autumn, but the replacement is very similar.",
	"I can see two open tickets here, one from April and one from last week.",
	"Would a call back on Thursday afternoon suit you better?",
	"The firmware update should fix the problem with the blinking light.",
	"Let me check whether the warranty still covers the battery.",
	"Your parcel was scanned in Memphis yesterday evening.",
	"We changed the login page in June, so the old bookmark no longer works.",
	"I am going to transfer you to billing, they can reverse the late fee.",
	"Is the printer connected by cable or over the wireless network?",
	"The invoice lists the hardware separately from the service charges.",
	"Some customers prefer the quarterly statement because it is shorter.",
	"I will send a confirmation email as soon as we hang up.",
	"The technician needs access to the basement where the meter is.",
	"Your loyalty points expire at the end of December unless you use them.",
	"It sounds like the router is restarting every few minutes.",
	"Do you remember roughly when the noise started?",
	"We have a branch on Elm Street that opens early on Saturdays.",
	"The refund goes back to the original card within five working days.",
	"I am sorry about the wait, the queue was unusually long this morning.",
	"Your contract renews automatically on the first of next month.",
	"Please hold the reset button down until the lights flash orange.",
	"The replacement screen is in stock at the Portland depot.",
	"We can move the appointment to any day next week except Friday.",
	"The delivery driver left a note saying nobody answered the door.",
	"Your account shows three users, but only two have logged in recently.",
	"The tax form will be available to download in late January.",
	"I have added a note so the next agent knows the whole story.",
	"The old adapter will not fit the new charging port, unfortunately.",
	"Let me read back the address to make sure I typed it correctly.",
	"The outage in your area was caused by a damaged cable near the highway.",
	"We stopped printing paper catalogues two years ago to save trees.",
	"Your daughter can be added as a secondary contact on the account.",
	"The garden chairs come flat packed with all the screws included.",
	"I would recommend clearing the browser cache and trying again.",
	"The clinic moved to the second floor of the same building.",
	"That charge is the annual membership fee, not a purchase.",
	"We need a photo of the damaged box for the insurance claim.",
	"Our night team handles emergencies after eight in the evening.",
	"The seat upgrade costs twenty dollars each way on that route.",
	"Your library card also gives you access to the online newspapers.",
	"The heating engineer will bring a spare valve just in case.",
	"I can email the manual as a file if the paper copy went missing.",
	"The parking permit covers the north lot and the side street.",
	"Unfortunately the discount code expired at midnight on Sunday.",
	"The spare key can be collected from the front desk with your ID.",
	"Your new phone number will be active within the next hour.",
	"We recommend servicing the boiler once a year before the winter.",
	"The puzzle box is missing two pieces, we will post them today.",
	"The school bus timetable changed after the half term holiday.",
	"Your prescription is ready for collection at the pharmacy counter.",
	"The hotel can store your luggage after checkout until six.",
	"I see the payment bounced because the card had expired.",
	"The vacuum cleaner filter should be rinsed every couple of months.",
	"Our head office is closed for the public holiday on Monday.",
	"The cable box needs to stay plugged in overnight to update.",
	"I am afraid the concert on the twelfth is completely sold out.",
	"Your bike will be ready once the new chain arrives on Wednesday.",
	"The pool reopens after the cleaning work at the end of the month.",
	"We can split the bill into three smaller payments if that helps.",
	"The form asks for your previous address if you moved recently.",
}

// Speak says text with voice v through espeak-ng and returns it as an
// utterance of the rep's, id, usable in a Scenario like a bank entry (16
// kHz, trimmed, peak-normalised like the bank). Renderings are cached
// under the user's cache folder by their text and voice.
func Speak(id, text string, v Voice) (*Utterance, error) {
	if u, ok := spoken.Load(id); ok {
		return u.(*Utterance), nil
	}
	for _, tool := range []string{"espeak-ng", "sox"} {
		if _, err := exec.LookPath(tool); err != nil {
			return nil, fmt.Errorf("the scripted-rep calls need %s: install it (apt-get install espeak-ng sox): %w", tool, err)
		}
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	dir = filepath.Join(dir, "callcoach-callgen")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("speech cache: %w", err)
	}
	h := sha256.Sum256([]byte(fmt.Sprintf("%s|%d|%d|%s", v.Name, v.Speed, v.Pitch, text)))
	out := filepath.Join(dir, hex.EncodeToString(h[:12])+".wav")
	if _, err := os.Stat(out); err != nil {
		raw := out + ".raw.wav"
		speak := exec.Command("espeak-ng", "-v", v.Name, "-s", strconv.Itoa(v.Speed), "-p", strconv.Itoa(v.Pitch), "-w", raw, text)
		if b, err := speak.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("espeak-ng %s: %w: %s", id, err, b)
		}
		tmp := out + ".tmp.wav"
		conv := exec.Command("sox", "-D", raw, "-r", strconv.Itoa(BankRate), "-c", "1", "-b", "16", tmp,
			"rate", "-v", strconv.Itoa(BankRate), "norm", "-1",
			"silence", "1", "0.005", "-50d", "reverse", "silence", "1", "0.005", "-50d", "reverse")
		b, err := conv.CombinedOutput()
		os.Remove(raw)
		if err != nil {
			return nil, fmt.Errorf("sox %s: %w: %s", id, err, b)
		}
		if err := os.Rename(tmp, out); err != nil {
			return nil, fmt.Errorf("speech cache: %w", err)
		}
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return nil, fmt.Errorf("speech cache: %w", err)
	}
	s, rate, err := decodeMono(b)
	if err != nil || rate != BankRate {
		os.Remove(out)
		return nil, fmt.Errorf("speech cache %s: unreadable (removed; run again): %v", out, err)
	}
	u := &Utterance{Entry: Entry{ID: id, Party: analysis.Rep, Kind: Floor, Text: text}, Samples: s}
	got, _ := spoken.LoadOrStore(id, u)
	return got.(*Utterance), nil
}

// lastRep returns the id of the latest rep floor utterance b placed.
func lastRep(b *Builder) string { return b.sc.Placements[b.last[analysis.Rep]].ID }

// spoken holds the utterances Speak made, by id, beside the bank.
var spoken sync.Map

// PassageTruth is one script passage as placed in a call.
type PassageTruth struct {
	Passage string       `json:"passage"`
	Start   analysis.Dur `json:"start_s"`
	End     analysis.Dur `json:"end_s"`
	Speed   int          `json:"speed_wpm"`
	Pitch   int          `json:"pitch"`
}

// ScriptCall is one call of a scripted-rep corpus: its scenario, how to
// render it and where its script passages are.
type ScriptCall struct {
	Name     string
	Scenario Scenario
	Render   RenderOptions
	Passages []PassageTruth
}

// ScriptCondition says how a corpus's calls vary besides the words.
type ScriptCondition struct {
	Name string
	// Speeds and Pitches the passages are read at (espeak-ng -s, -p);
	// each call draws one of each per passage.
	Speeds, Pitches []int
	// Render draws a call's recording conditions.
	Render func(r *rand.Rand) RenderOptions
}

// ScriptConditions are the corpora the repeats tests run: passages read
// at ±20% speed and other pitches in clean calls; the same in noise with
// the customer leaking into the microphone and the rep's level varying
// by 16 dB; calls at other sample rates (8 kHz next to 44.1 kHz); then
// one change at a time, the rest as the rep normally speaks in a clean
// call: only the speed (±20%), only the pitch, only room noise (12–20 dB
// under the speech), only the microphone's gain (the rep's peak anywhere
// from -30 to -3 dBFS).
func ScriptConditions() []ScriptCondition {
	speeds := []int{134, 150, 168, 185, 202}
	pitches := []int{30, 45, 60, 70}
	clean := func(r *rand.Rand) RenderOptions { return RenderOptions{Rate: 16000} }
	normalSpeed, normalPitch := []int{RepVoice.Speed}, []int{RepVoice.Pitch}
	return []ScriptCondition{
		{Name: "speed_pitch", Speeds: speeds, Pitches: pitches, Render: func(r *rand.Rand) RenderOptions {
			return RenderOptions{Rate: 16000}
		}},
		{Name: "noise_leak_gain", Speeds: speeds, Pitches: pitches, Render: func(r *rand.Rand) RenderOptions {
			return RenderOptions{
				Rate: 16000, RepPeakDBFS: uniform(r, -20, -4), CustomerPeakDBFS: uniform(r, -8, -2),
				NoiseSNR: uniform(r, 15, 20), HumHz: 50,
				Leak: Crosstalk{Delay: ms(uniform(r, 2, 30)), GainDB: uniform(r, -20, -8), Reverb: ms(uniform(r, 0, 250)), ReverbDB: -9, Speaker: r.IntN(2) == 0},
			}
		}},
		{Name: "rates", Speeds: speeds, Pitches: pitches, Render: func(r *rand.Rand) RenderOptions {
			rates := []int{8000, 16000, 44100, 48000}
			return RenderOptions{Rate: rates[r.IntN(len(rates))], NoiseSNR: uniform(r, 20, 30), HumHz: 60}
		}},
		{Name: "speed", Speeds: speeds, Pitches: normalPitch, Render: clean},
		{Name: "pitch", Speeds: normalSpeed, Pitches: pitches, Render: clean},
		{Name: "noise", Speeds: normalSpeed, Pitches: normalPitch, Render: func(r *rand.Rand) RenderOptions {
			return RenderOptions{Rate: 16000, NoiseSNR: uniform(r, 12, 20), HumHz: 50}
		}},
		{Name: "gain", Speeds: normalSpeed, Pitches: normalPitch, Render: func(r *rand.Rand) RenderOptions {
			return RenderOptions{Rate: 16000, RepPeakDBFS: uniform(r, -30, -3)}
		}},
	}
}

// ScriptCorpus builds n calls of one rep under cond. Calls 0..n-1-none
// each read two or three of the script passages (at random places, each at
// a drawn speed and pitch); the last none calls read no passage. Every
// other rep sentence is said once in the corpus (from offset on in the
// once-only list, so that corpora with other offsets share nothing).
func ScriptCorpus(cond ScriptCondition, n, none int, seed uint64, offset int) ([]ScriptCall, error) {
	r := rand.New(rand.NewPCG(seed, 0x73637269707421))
	next := offset
	once := func() (string, error) {
		if next >= len(onceSentences) {
			return "", fmt.Errorf("callgen: the corpus needs more than %d once-only sentences", len(onceSentences))
		}
		id := fmt.Sprintf("once-%02d", next)
		_, err := Speak(id, onceSentences[next], RepVoice)
		next++
		return id, err
	}
	var out []ScriptCall
	for c := 0; c < n; c++ {
		name := fmt.Sprintf("%s-%02d", cond.Name, c)
		b := NewBuilder(name, "a rep who reads a script ("+cond.Name+")", seed+uint64(c))
		var script []int
		if c < n-none {
			script = r.Perm(len(ScriptPassages))[:2+r.IntN(2)]
			slices.Sort(script) // the script's order, as a rep reads it
		}
		turns := len(script) + 2 + r.IntN(2)
		at := r.Perm(turns)[:len(script)]
		slices.Sort(at)
		type placed struct {
			id   string
			v    Voice
			pass string
		}
		var reps []placed
		si := 0
		for t := 0; t < turns; t++ {
			if si < len(at) && at[si] == t {
				p := ScriptPassages[script[si]]
				v := Voice{Name: RepVoice.Name, Speed: cond.Speeds[r.IntN(len(cond.Speeds))], Pitch: cond.Pitches[r.IntN(len(cond.Pitches))]}
				id := fmt.Sprintf("%s-s%d-p%d", p.ID, v.Speed, v.Pitch)
				if _, err := Speak(id, p.Text, v); err != nil {
					return nil, err
				}
				reps = append(reps, placed{id, v, p.ID})
				si++
				continue
			}
			id, err := once()
			if err != nil {
				return nil, err
			}
			reps = append(reps, placed{id: id})
		}
		// The rep opens, the customer answers, turn by turn; now and then
		// the customer backchannels or the rep adds a second once-only
		// sentence to a turn.
		for i, p := range reps {
			gap := b.Gap()
			if i == 0 {
				gap = 0
			}
			b.SayID(analysis.Rep, p.id, gap)
			if p.pass == "" && r.IntN(3) == 0 {
				id, err := once()
				if err != nil {
					return nil, err
				}
				b.SayID(analysis.Rep, id, b.Next())
			}
			if last := lastRep(b); r.IntN(3) == 0 && bankDur(last) > 3500*time.Millisecond {
				b.Backchannel(analysis.Customer)
			}
			b.Say(analysis.Customer, b.Gap())
		}
		sc := b.Build()
		call := ScriptCall{Name: name, Scenario: sc, Render: cond.Render(r)}
		call.Render.Condition = cond.Name
		call.Render.Seed = seed*1000 + uint64(c)
		for _, pl := range sc.Placements {
			for _, p := range reps {
				if p.pass != "" && p.id == pl.ID {
					call.Passages = append(call.Passages, PassageTruth{
						Passage: p.pass, Start: analysis.Dur(pl.Start), End: analysis.Dur(pl.Start + bankDur(pl.ID)),
						Speed: p.v.Speed, Pitch: p.v.Pitch,
					})
				}
			}
		}
		out = append(out, call)
	}
	return out, nil
}
