//! Tabular conditional discriminators trained per label (claim D4). Filled in by issue 5.
