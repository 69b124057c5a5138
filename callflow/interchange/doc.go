// Package interchange writes a call in the formats other tools open —
// Praat TextGrid, ELAN EAF 3.0, RTTM, Audacity labels, CSV and JSON — and
// reads annotations back from Audacity labels and Praat TextGrids.
//
// Every format is built from the same tiers (Tiers): the rep's and the
// customer's speech, the interruptions, and the annotations, so Praat,
// ELAN and a diarization scorer see the same call. Writers take a Call
// and an io.Writer; readers take bytes and the call's length and return
// Marks, validated all or nothing: a file that cannot be read whole gives
// an error and no marks.
//
// Times: TextGrid, Audacity labels, RTTM and CSV are in seconds, EAF in
// milliseconds, JSON in seconds (analysis.Dur).
package interchange
