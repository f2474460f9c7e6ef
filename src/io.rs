//! Reading vectors and matrices from text files, with positions for error messages (stub).
