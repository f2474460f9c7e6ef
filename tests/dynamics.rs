//! Claim E1: the Dirac-GAN.

#[test]
fn e1_claim_passes_in_verify() {
    let claim = gan_theory::claims::all()
        .into_iter()
        .find(|c| c.id == "E1")
        .expect("E1 registered");
    let outcome = claim.run(&gan_theory::claims::Context::default());
    for m in &outcome.measurements {
        println!(
            "{} {:?}: measured {:e} expected {:e} tol {:e} -> {}",
            if m.passed { "ok  " } else { "FAIL" },
            m.comparison,
            m.measured,
            m.expected,
            m.tolerance,
            m.quantity
        );
    }
    assert!(outcome.passed, "{:?}", outcome.error);
}
