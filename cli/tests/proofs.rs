//! Every claim has its three parts: a proof in proofs/, tests that exist, and
//! an entry in the `verify` registry.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

/// The claims this crate states so far (catalogue ids).
const CLAIMS: [&str; 25] = [
    "A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "B1", "B2", "B3", "B4", "B5", "C1", "C2",
    "C3", "C4", "C5", "D1", "D2", "D3", "D4", "D5", "E1",
];

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

#[test]
fn every_claim_has_a_proof_that_names_existing_tests() {
    let proofs = proofs();
    for id in CLAIMS {
        let (_, name, text) = proofs
            .iter()
            .find(|(pid, _, _)| pid == id)
            .unwrap_or_else(|| panic!("claim {id} has no proof in proofs/"));
        for heading in ["**Statement.**", "**Source.**", "## Derivation", "## Tests"] {
            assert!(text.contains(heading), "{name} lacks {heading}");
        }
        let tests = named_tests(text);
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
            text.contains(&format!("entry `{id}`")),
            "{name} does not name its verify entry"
        );
    }
}

#[test]
fn every_claim_is_registered_with_its_proof() {
    let registered: BTreeSet<&str> = gan_theory::claims::all().iter().map(|c| c.id).collect();
    for id in CLAIMS {
        assert!(
            registered.contains(id),
            "claim {id} is not in the verify registry"
        );
    }
    for claim in gan_theory::claims::all() {
        assert!(
            root().join(claim.proof).is_file(),
            "{} points at {}, which does not exist",
            claim.id,
            claim.proof
        );
        assert!(
            claim.proof.starts_with(&format!("proofs/{}-", claim.id)),
            "{}'s proof file {} is not named after it",
            claim.id,
            claim.proof
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

/// Seeds beyond the default for which every claim must pass too: a check that
/// holds only for the seed it was written with is not a check. Each run of the
/// registry takes milliseconds.
const EXTRA_SEEDS: std::ops::RangeInclusive<u64> = 1..=40;

#[test]
fn every_registered_claim_passes_for_other_seeds() {
    for seed in EXTRA_SEEDS {
        let context = gan_theory::claims::Context { seed };
        for claim in gan_theory::claims::all() {
            let outcome = claim.run(&context);
            assert!(
                outcome.passed,
                "{} failed for seed {seed}: {:#?}",
                claim.id, outcome
            );
        }
    }
}

#[test]
fn readme_claims_table_lists_every_claim_with_its_proof() {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    for claim in gan_theory::claims::all() {
        let row = readme
            .lines()
            .find(|line| line.starts_with(&format!("| {} |", claim.id)))
            .unwrap_or_else(|| panic!("README's claims table has no row for {}", claim.id));
        assert!(
            row.contains(&format!("({})", claim.proof)),
            "README's row for {} does not link {}",
            claim.id,
            claim.proof
        );
    }
}

#[test]
fn every_proof_is_rendered_in_the_docs() {
    let docs = fs::read_to_string(root().join("src/proofs.rs")).unwrap();
    for (_, name, _) in proofs() {
        assert!(
            docs.contains(&format!("include_str!(\"../proofs/{name}\")")),
            "src/proofs.rs does not include proofs/{name}"
        );
    }
}

/// The math spans (`$...$`, `$$...$$`) of a Markdown text, outside code.
fn math_spans(text: &str) -> Vec<&str> {
    let mut spans = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(['`', '$']) {
        let (delimiter, after) = if rest[i..].starts_with("```") {
            ("```", &rest[i + 3..])
        } else if rest[i..].starts_with('`') {
            ("`", &rest[i + 1..])
        } else if rest[i..].starts_with("$$") {
            ("$$", &rest[i + 2..])
        } else {
            ("$", &rest[i + 1..])
        };
        let Some(j) = after.find(delimiter) else {
            break;
        };
        if delimiter.starts_with('$') {
            spans.push(&after[..j]);
        }
        rest = &after[j + delimiter.len()..];
    }
    spans
}

/// rustdoc reads a proof as Markdown before KaTeX sees it (GitHub does not), so
/// inside math: a `'` becomes a curly quote, a backslash before ASCII
/// punctuation (`\,`, `\;`, `\|`, `\{`) is dropped, and `_` after `}`, `)` or
/// `]` can open emphasis that swallows the formula up to the next subscript.
#[test]
fn proof_math_survives_rustdoc_markdown() {
    for (_, name, text) in proofs() {
        for span in math_spans(&text) {
            assert!(
                !span.contains('\''),
                "{name}: a prime written as ' in `{span}` (write ^{{\\prime}})"
            );
            for (k, _) in span.match_indices('\\') {
                let next = span[k + 1..].chars().next().unwrap_or(' ');
                assert!(
                    !(next.is_ascii_punctuation()),
                    "{name}: `\\{next}` in `{span}` loses its backslash in rustdoc (\\thinspace, \\Vert, \\lbrace ...)"
                );
            }
            for pattern in ["}_", ")_", "]_"] {
                assert!(
                    !span.contains(pattern),
                    "{name}: `{pattern}` in `{span}` can open Markdown emphasis (put the subscript first: D_{{0}}^{{\\star}})"
                );
            }
        }
    }
}
