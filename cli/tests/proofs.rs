//! Every claim of the catalogue (`gan_theory::proofs::CATALOGUE`, the one
//! list of claim ids) has its parts: a proof in proofs/ rendered in the docs,
//! tests that exist, an entry in the `verify` registry and a row in the
//! README's claims table.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use gan_theory::proofs::{CATALOGUE, ClaimEntry};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// The proof files, by claim id (the file name starts with the id and a dash).
fn proofs() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for entry in fs::read_dir(root().join("proofs")).expect("proofs/ exists") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(id) = name.strip_suffix(".md").and_then(|s| s.split('-').next()) {
            out.push((
                id.to_string(),
                name.clone(),
                fs::read_to_string(&path).unwrap(),
            ));
        }
    }
    out
}

/// `tests/<file>.rs::<function>` references in the proof's "## Tests" section.
fn named_tests(text: &str) -> Vec<(String, String)> {
    let section = text.split("## Tests").nth(1).unwrap_or("");
    let mut out = Vec::new();
    for (at, _) in section.match_indices("tests/") {
        let Some((file, rest)) = section[at..].split_once(".rs::") else {
            continue;
        };
        if file.contains(char::is_whitespace) {
            continue;
        }
        let crate_dir = if section[..at].ends_with("cli/") {
            "cli/"
        } else {
            ""
        };
        let function: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        out.push((format!("{crate_dir}{file}.rs"), function));
    }
    out
}

/// The catalogue entry of claim `id`.
fn entry(id: &str) -> &'static ClaimEntry {
    CATALOGUE
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("{id} is not in the catalogue"))
}

#[test]
fn catalogue_ids_are_unique_and_name_their_proofs() {
    let ids: BTreeSet<&str> = CATALOGUE.iter().map(|e| e.id).collect();
    assert_eq!(ids.len(), CATALOGUE.len(), "a claim id is listed twice");
    for e in CATALOGUE {
        assert!(
            e.proof.starts_with(&format!("proofs/{}-", e.id)) && e.proof.ends_with(".md"),
            "{}'s proof file {} is not named after it",
            e.id,
            e.proof
        );
        assert!(
            e.module
                .starts_with(&format!("{}_", e.id.to_ascii_lowercase())),
            "{}'s proof module {} is not named after it",
            e.id,
            e.module
        );
        assert!(!e.statement.is_empty(), "{} has no statement", e.id);
        assert!(!e.code.is_empty(), "{} names no code it checks", e.id);
    }
}

#[test]
fn every_claim_has_a_proof_that_names_existing_tests() {
    for e in CATALOGUE {
        let name = e.proof;
        let text = fs::read_to_string(root().join(name))
            .unwrap_or_else(|_| panic!("claim {} has no proof at {name}", e.id));
        for heading in ["**Statement.**", "**Source.**", "## Derivation", "## Tests"] {
            assert!(text.contains(heading), "{name} lacks {heading}");
        }
        let tests = named_tests(&text);
        assert!(!tests.is_empty(), "{name} names no test");
        for (file, function) in tests {
            let source = fs::read_to_string(root().join(&file))
                .unwrap_or_else(|_| panic!("{name} names {file}, which does not exist"));
            assert!(
                source.contains(&format!("fn {function}(")),
                "{name} names {file}::{function}, which does not exist"
            );
        }
        assert!(
            text.contains(&format!("entry `{}`", e.id)),
            "{name} does not name its verify entry"
        );
    }
}

/// The registry is the catalogue, entry for entry and in order.
#[test]
fn every_claim_is_registered_with_its_proof() {
    let registered = gan_theory::claims::all();
    assert_eq!(registered.len(), CATALOGUE.len());
    for (claim, e) in registered.iter().zip(CATALOGUE) {
        assert_eq!(
            (claim.id, claim.statement, claim.proof),
            (e.id, e.statement, e.proof)
        );
    }
}

#[test]
fn every_registered_claim_passes() {
    let context = gan_theory::claims::Context::default();
    for claim in gan_theory::claims::all() {
        let outcome = claim.run(&context);
        assert!(outcome.passed, "{} failed: {:#?}", claim.id, outcome);
    }
}

/// Every measurement states its false-alarm probability, in [0, 1], and a
/// run's total (the union bound on a right suite failing) is within the
/// budget README promises.
#[test]
fn every_row_states_a_false_alarm_rate_within_the_suite_budget() {
    let context = gan_theory::claims::Context::default();
    let mut total = 0.0;
    for claim in gan_theory::claims::all() {
        for m in claim.run(&context).measurements {
            assert!(
                (0.0..=1.0).contains(&m.false_alarm),
                "{}: {}: false alarm {}",
                claim.id,
                m.quantity,
                m.false_alarm
            );
            total += m.false_alarm;
        }
    }
    assert!(
        total <= gan_theory::claims::SUITE_FALSE_ALARM_BUDGET,
        "the suite's false-alarm probability {total} exceeds the budget"
    );
}

/// Seeds beyond the default for which every claim must pass too: a check that
/// holds only for the seed it was written with is not a check. A
/// deterministic check (false-alarm rate 0) must pass every seed; a
/// statistical one may fail no more seeds than the binomial allowance of its
/// stated rate (`verify --seeds`'s criterion, at its level 1e-3), which for
/// these 40 seeds and rates below 1e-3 is 0 or 1.
const EXTRA_SEEDS: std::ops::RangeInclusive<u64> = 1..=40;

#[test]
fn every_registered_claim_passes_for_other_seeds() {
    use gan_theory::claims::sweep::{SWEEP_LEVEL, allowed_failures};
    let runs = EXTRA_SEEDS.count() as u64;
    // The seeds are independent runs: spread them over the cores (this test
    // is most of this file's time, and the harness has little else to run
    // beside it). Each thread builds its own registry.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let seeds: Vec<u64> = EXTRA_SEEDS.collect();
    // (claim id, seed, outcome) for every run.
    let mut runs_done: Vec<(&'static str, u64, gan_theory::claims::Outcome)> =
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|t| {
                    let mine: Vec<u64> = seeds.iter().copied().skip(t).step_by(threads).collect();
                    scope.spawn(move || {
                        let claims = gan_theory::claims::all();
                        let mut out = Vec::new();
                        for seed in mine {
                            for claim in &claims {
                                let context = gan_theory::claims::Context { seed };
                                out.push((claim.id, seed, claim.run(&context)));
                            }
                        }
                        out
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().expect("a claim panicked"))
                .collect()
        });
    runs_done.sort_by_key(|(id, seed, _)| (*id, *seed));
    for claim in gan_theory::claims::all() {
        let mine: Vec<_> = runs_done
            .iter()
            .filter(|(id, _, _)| *id == claim.id)
            .collect();
        assert_eq!(
            mine.len() as u64,
            runs,
            "{} did not run every seed",
            claim.id
        );
        let rate = mine
            .iter()
            .map(|(_, _, outcome)| outcome.false_alarm())
            .fold(0.0f64, f64::max);
        let failed: Vec<_> = mine
            .iter()
            .filter(|(_, _, outcome)| !outcome.passed)
            .map(|(_, seed, outcome)| (seed, outcome))
            .collect();
        let allowed = allowed_failures(runs, rate, SWEEP_LEVEL);
        assert!(
            failed.len() as u64 <= allowed,
            "{} failed {} of {runs} seeds, its rate {rate} allows {allowed}: {:#?}",
            claim.id,
            failed.len(),
            failed
        );
    }
}

/// Every catalogue entry has a row in the README's claims table that names
/// its id, links its proof and names each library item it checks in
/// backticks.
#[test]
fn readme_claims_table_lists_every_claim_with_its_proof_and_code() {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    for e in CATALOGUE {
        let row = readme
            .lines()
            .find(|line| line.starts_with(&format!("| {} |", e.id)))
            .unwrap_or_else(|| panic!("README's claims table has no row for {}", e.id));
        assert!(
            row.contains(&format!("({})", e.proof)),
            "README's row for {} does not link {}",
            e.id,
            e.proof
        );
        for code in e.code {
            assert!(
                row.contains(&format!("`{code}`")),
                "README's row for {} does not name `{code}`",
                e.id
            );
        }
    }
}

/// Every file in proofs/ is a catalogue entry's proof, so that src/proofs.rs
/// renders it in the docs (one module per entry).
#[test]
fn every_proof_is_rendered_in_the_docs() {
    for (id, name, _) in proofs() {
        assert_eq!(
            entry(&id).proof,
            format!("proofs/{name}"),
            "proofs/{name} is not its claim's proof in the catalogue"
        );
    }
}

/// Every formula of every proof typesets: pulldown-latex, as the build
/// script runs it for rustdoc and `verify` for the report's pages, refuses
/// none and passes none through as text. (rustdoc no longer reads the TeX
/// as Markdown, since the build script typesets it first, so `}_`, `\,` and
/// primes are safe in a proof.)
#[test]
fn proof_math_typesets() {
    for e in CATALOGUE {
        let rendered = gan_theory::report::site::render(e.markdown);
        assert!(
            rendered.errors.is_empty(),
            "{}: {:?}",
            e.proof,
            rendered.errors
        );
    }
}
