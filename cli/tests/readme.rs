//! README and the pages beside it: short enough to read in five minutes, and
//! no link or file name that leads to a file the repository lacks.

use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// README's length limit: what a newcomer reads in five minutes. Table rows
/// (the claims index, the figures, the performance table) do not count: the
/// index grows by a row with every claim and is looked up, not read through.
const README_MAX_LINES: usize = 210;

/// The pages whose links are checked.
const PAGES: [&str; 3] = ["README.md", "BENCHMARKS.md", "NUMERICS.md"];

/// Relative link targets: Markdown `](target)` and HTML `src="target"` /
/// `href="target"`, without their `#fragment`; web addresses are skipped.
fn link_targets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (opening, closing) in [("](", ')'), ("src=\"", '"'), ("href=\"", '"')] {
        for (at, _) in text.match_indices(opening) {
            let rest = &text[at + opening.len()..];
            let Some(end) = rest.find(closing) else {
                continue;
            };
            let target = rest[..end].split('#').next().unwrap_or("");
            if !target.is_empty() && !target.contains("://") {
                out.push(target.to_string());
            }
        }
    }
    out
}

/// Repository paths written in backticks, such as `benches/compare/compare.py`:
/// a token with a slash, ending in a file extension the repository uses.
fn backticked_paths(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter(|token| {
            !token.contains(char::is_whitespace)
                && token.contains('/')
                && !token.starts_with('/')
                && [".rs", ".md", ".py", ".svg", ".toml", ".cff", ".html"]
                    .iter()
                    .any(|ext| token.ends_with(ext))
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn readme_is_short() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let is_table_row = |line: &&str| {
        ["| ", "|---", "<tr>", "</tr>", "<td>"]
            .iter()
            .any(|start| line.starts_with(start))
    };
    let lines = readme.lines().filter(|line| !is_table_row(line)).count();
    assert!(
        lines <= README_MAX_LINES,
        "README.md has {lines} lines outside its tables"
    );
}

#[test]
fn every_link_and_named_file_exists() {
    for page in PAGES {
        let text = std::fs::read_to_string(root().join(page))
            .unwrap_or_else(|_| panic!("{page} is missing"));
        for target in link_targets(&text)
            .into_iter()
            .chain(backticked_paths(&text))
        {
            assert!(
                root().join(&target).exists(),
                "{page} refers to {target}, which the repository lacks"
            );
        }
    }
}

#[test]
fn license_files_match_the_manifest() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    assert!(manifest.contains("license = \"MIT OR Apache-2.0\""));
    for file in ["LICENSE-MIT", "LICENSE-APACHE"] {
        assert!(root().join(file).is_file(), "{file} is missing");
    }
}

/// CITATION.cff and README's BibTeX entry give the software the same title.
#[test]
fn citation_and_bibtex_agree_on_the_title() {
    let cff = std::fs::read_to_string(root().join("CITATION.cff")).unwrap();
    let title = cff
        .lines()
        .find_map(|line| line.strip_prefix("title: "))
        .expect("CITATION.cff has a title")
        .trim_matches('"');
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let bibtex = readme
        .split("@software{")
        .nth(1)
        .expect("README has a @software entry");
    assert!(
        bibtex.contains(&format!("title   = {{{title}}}")),
        "README's BibTeX title differs from CITATION.cff's {title:?}"
    );
}
