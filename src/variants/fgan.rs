//! Filled in by the fgan work (issue 5).
