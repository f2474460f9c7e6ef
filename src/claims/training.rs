//! Checks for claims A5-A9: convergence, Algorithm 1 on small MLPs, the
//! non-saturating loss, mode collapse and the size of a generator step.

use super::Claim;

/// The training claims A5-A9.
pub(super) fn claims() -> Vec<Claim> {
    Vec::new()
}
