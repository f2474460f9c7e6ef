//! The written proofs, one module per claim, rendered from `proofs/*.md` (stub).
