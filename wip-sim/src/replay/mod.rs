//! Replay of transcripts against an in-process emulator.
