//! Training tabular models on a finite support, where every expectation is
//! computed exactly.
