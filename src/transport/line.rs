//! Optimal transport on the line: W1 through the CDFs and W_p through the
//! quantile functions, in O(n log n).
