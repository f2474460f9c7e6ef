//! Filled in by the lsgan work (issue 5).
