//! Filled in by the ebgan work (issue 5).
