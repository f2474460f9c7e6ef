//! Filled in by the conditional work (issue 5).
