//! The sources: every proof cites papers and the user's notes by name, never
//! as "seed 00N", and every note the user gave is cited somewhere.

use gan_theory::proofs::CATALOGUE;
use gan_theory::sources::{self, NOTES};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// Where `text` names a note by its file's number ("seed 003", "Seeds 002
/// and 004"), as the notes were called before they were cited by title.
fn seed_numbers(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut found = Vec::new();
    for (at, _) in lower.match_indices("seed") {
        let rest = lower[at + 4..].trim_start_matches('s').trim_start();
        if rest.starts_with("00") {
            found.push(text[at..(at + 12).min(text.len())].to_string());
        }
    }
    found
}

#[test]
fn seed_numbers_are_recognised() {
    assert_eq!(seed_numbers("as seed 003 says").len(), 1);
    assert_eq!(seed_numbers("Seeds 002 and 004 copy it").len(), 1);
    assert!(seed_numbers("over seeds 1 to 40 and seed 2014").is_empty());
}

#[test]
fn no_proof_statement_or_readme_cites_a_seed_number() {
    for e in CATALOGUE {
        let found = seed_numbers(e.markdown);
        assert!(
            found.is_empty(),
            "{} cites {found:?}: cite the note by its title",
            e.proof
        );
        let found = seed_numbers(e.statement);
        assert!(found.is_empty(), "{}'s statement cites {found:?}", e.id);
    }
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let found = seed_numbers(&readme);
    assert!(found.is_empty(), "README cites {found:?}");
}

/// Every claim draws on at least one registered source, so that its page
/// has a sources section; a paper a proof cites under a name the list does
/// not know would leave it out.
#[test]
fn every_proof_cites_a_registered_source() {
    for e in CATALOGUE {
        let cited = sources::cited_in(e.markdown);
        assert!(
            !cited.papers.is_empty() || !cited.notes.is_empty(),
            "{} cites no source of gan_theory::sources (add the paper to PAPERS, or cite a note by its *title*)",
            e.proof
        );
    }
}

#[test]
fn every_note_the_user_gave_is_cited() {
    assert_eq!(NOTES.len(), 5, "the user gave five notes");
    for note in NOTES {
        assert!(
            CATALOGUE
                .iter()
                .any(|e| e.markdown.contains(&note.cited_as())),
            "no proof cites the note {}",
            note.title
        );
    }
}
