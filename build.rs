//! Prepares the documentation rustdoc renders, so that it needs no network
//! and no script:
//!
//! - every proof in `proofs/` with its math typeset as MathML
//!   (`OUT_DIR/proofs/*.md`, included by `src/proofs.rs`);
//! - the crate's front page, README with its figures embedded and its links
//!   turned into links rustdoc can follow (`OUT_DIR/README.md`, included by
//!   `src/lib.rs`): a proof link becomes an intra-doc link to the proof's
//!   module, a figure becomes a data URL, a figure link an anchor on the
//!   page, and a link to another file of the repository plain text.
//!
//! It also lists the library's source files (`OUT_DIR/source_files.txt`),
//! so that the report's pages can name the file of each item a claim
//! checks.
//!
//! The repository's files stay as they are, for GitHub and the report.

#[allow(dead_code)]
#[path = "src/math.rs"]
mod math;

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for watched in [
        "build.rs",
        "src/math.rs",
        "README.md",
        "proofs",
        "report/figures",
    ] {
        println!("cargo::rerun-if-changed={watched}");
    }
    if let Err(message) = proofs(&root, &out)
        .and_then(|()| front_page(&root, &out))
        .and_then(|()| source_files(&root, &out))
    {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

/// `OUT_DIR/proofs/<file>`: each proof with its math as MathML and the
/// style rules that align it.
fn proofs(root: &Path, out: &Path) -> Result<(), String> {
    let target = out.join("proofs");
    fs::create_dir_all(&target).map_err(|e| format!("{}: {e}", target.display()))?;
    let dir = root.join("proofs");
    let entries = fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let rendered =
            math::prerender_math(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        // rustdoc lets a paragraph scroll sideways (overflow-x: auto), which
        // makes it scroll vertically too when a fraction pokes out of its
        // line box; the padding gives the fraction room instead.
        let page = format!(
            "{rendered}\n\n<style>{}.docblock>p{{overflow-y:hidden;padding:.1em 0}}</style>\n",
            math::MATH_CSS.replace('\n', "")
        );
        let name = path.file_name().unwrap_or_default();
        fs::write(target.join(name), page).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// `OUT_DIR/README.md`: README as rustdoc's front page.
fn front_page(root: &Path, out: &Path) -> Result<(), String> {
    let readme =
        fs::read_to_string(root.join("README.md")).map_err(|e| format!("README.md: {e}"))?;
    let mut page = String::with_capacity(readme.len() * 2);
    let mut rest = readme.as_str();
    // Attribute values and Markdown link targets, in the order they come.
    while let Some(at) = next_target(rest) {
        let (opening, closing) = at.1;
        let start = at.0 + opening.len();
        let Some(length) = rest[start..].find(closing) else {
            break;
        };
        let target = &rest[start..start + length];
        page.push_str(&rest[..at.0]);
        match (opening, rewrite(root, target)?) {
            // A file link rustdoc cannot follow: keep the link text only.
            ("](", Rewritten::Unlink) => {
                let text_start = page.rfind('[').unwrap_or(page.len());
                page.remove(text_start);
            }
            (_, Rewritten::Unlink) => page.push_str(&format!("{opening}#{closing}")),
            ("href=\"", Rewritten::Figure(anchor, _)) => page.push_str(&format!("id=\"{anchor}\"")),
            ("](", Rewritten::Figure(anchor, _)) => page.push_str(&format!("](#{anchor})")),
            (_, Rewritten::Figure(_, data)) => page.push_str(&format!("{opening}{data}{closing}")),
            (_, Rewritten::Keep) => page.push_str(&format!("{opening}{target}{closing}")),
            (_, Rewritten::To(new)) => page.push_str(&format!("{opening}{new}{closing}")),
        }
        rest = &rest[start + length + closing.len()..];
    }
    page.push_str(rest);
    fs::write(out.join("README.md"), page).map_err(|e| format!("README.md: {e}"))
}

/// Where the next link target starts: `](`, `src="` or `href="`.
fn next_target(text: &str) -> Option<(usize, (&'static str, &'static str))> {
    [("](", ")"), ("src=\"", "\""), ("href=\"", "\"")]
        .into_iter()
        .filter_map(|pair| text.find(pair.0).map(|at| (at, pair)))
        .min_by_key(|(at, _)| *at)
}

enum Rewritten {
    /// A web address or an anchor: as it is.
    Keep,
    /// A proof: its module's intra-doc path.
    To(String),
    /// A figure: its anchor on the page and its data URL.
    Figure(String, String),
    /// Another file of the repository: no link.
    Unlink,
}

fn rewrite(root: &Path, target: &str) -> Result<Rewritten, String> {
    if target.contains("://") || target.starts_with('#') || target.starts_with("crate::") {
        return Ok(Rewritten::Keep);
    }
    if let Some(file) = target
        .strip_prefix("proofs/")
        .and_then(|f| f.strip_suffix(".md"))
    {
        return Ok(Rewritten::To(format!(
            "crate::proofs::{}",
            file.to_lowercase().replace('-', "_")
        )));
    }
    if let Some(file) = target
        .strip_prefix("report/figures/")
        .and_then(|f| f.strip_suffix(".svg"))
    {
        // A figure not written yet (a new one, before `cargo run --release`
        // has drawn it) shows as a note on the page, not a failed build.
        let svg = fs::read(root.join(target)).unwrap_or_else(|_| {
            println!("cargo::warning=README shows {target}, which is missing: `cargo run --release` writes it");
            format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"420\" height=\"40\">\
                 <text x=\"10\" y=\"25\">{target}: not drawn yet</text></svg>"
            )
            .into_bytes()
        });
        return Ok(Rewritten::Figure(
            format!("figure-{file}"),
            format!("data:image/svg+xml;base64,{}", base64(&svg)),
        ));
    }
    Ok(Rewritten::Unlink)
}

/// Standard base64 with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * k) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `OUT_DIR/source_files.txt`: every `.rs` file under `src/`, one path
/// relative to the crate root per line, sorted.
fn source_files(root: &Path, out: &Path) -> Result<(), String> {
    fn walk(dir: &Path, root: &Path, found: &mut Vec<String>) -> Result<(), String> {
        let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
            if path.is_dir() {
                walk(&path, root, found)?;
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(root).unwrap_or(&path);
                let parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                found.push(parts.join("/"));
            }
        }
        Ok(())
    }
    let mut found = Vec::new();
    walk(&root.join("src"), root, &mut found)?;
    found.sort();
    fs::write(out.join("source_files.txt"), found.join("\n") + "\n")
        .map_err(|e| format!("source_files.txt: {e}"))
}
