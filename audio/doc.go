// Package audio reads and writes the PCM WAV files CallCoach works with,
// resamples, and runs the analysis workflow that the command line and the
// desktop app share (AnalyzeFile).
//
// Reading streams: a Reader holds one small buffer, never a whole call, and
// turns any PCM WAV a user will meet (8/16/24/32-bit integer, 32/64-bit
// float, G.711 A-law/µ-law, WAVE_FORMAT_EXTENSIBLE, mono or stereo, 8 to
// 192 kHz) into interleaved float32 samples in [-1, 1]. Damaged files are
// read as far as they hold audio, with a note saying what was wrong.
//
// Writing is crash-safe: a Writer brings the WAV header up to date on every
// Sync, so a file whose writer was killed still plays and holds everything
// written up to the last Sync. Repair fixes the header of a file whose
// writer died before it could.
package audio
