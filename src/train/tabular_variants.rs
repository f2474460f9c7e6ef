//! Tabular discriminators trained on the LSGAN and EBGAN objectives (claims D2, D3). Filled in by issue 5.
