//! Checks for claims C1-C5: the Earth Mover distance.

use super::Claim;

/// The C claims.
pub(super) fn claims() -> Vec<Claim> {
    Vec::new()
}
