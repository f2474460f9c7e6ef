//! The report `gan-theory verify` writes: a static site with one page per
//! claim (its proof with the math rendered, the measurements of the run, its
//! figures; see [`site`]), a Markdown page with the table of claims and every
//! measurement, and the figures.
//!
//! The report is built from [`claims::all`](crate::claims::all),
//! [`figures::all`] and the catalogue: a claim or figure registered there
//! appears in the report without further work. The report depends only on
//! the seed, not on the folder it is written to or the one the binary was
//! built in, and every link in it stays inside its folder, so the same seed
//! writes the same files, byte for byte, anywhere.
//!
//! ```text
//! report/
//!   index.html           the pages: start here (see `site`)
//!   claims/*.html        one page per claim
//!   sources.html         the papers and notes the claims draw on
//!   style.css
//!   report.md            the Markdown page
//!   figures/*.svg        one file per figure
//! ```

pub mod figures;
pub mod plot;
pub mod site;

use crate::claims::{Comparison, Context, Measurement, Outcome};
use crate::error::Error;
use std::fmt::{self, Write as _};
use std::fs;
use std::path::{Path, PathBuf};

/// A figure of the report: what it shows, which claims it illustrates, and
/// how to draw it.
#[derive(Debug, Clone, Copy)]
pub struct Figure {
    /// File name under `figures/`, ending in `.svg`.
    pub file: &'static str,
    /// Title, as on the figure.
    pub title: &'static str,
    /// One or two sentences under the figure: what to look at.
    pub caption: &'static str,
    /// Ids of the claims the figure illustrates.
    pub claims: &'static [&'static str],
    /// Computes the figure's numbers and returns the SVG document.
    pub draw: fn(&Context) -> Result<String, ReportError>,
}

/// Why a figure or the report could not be written.
#[derive(Debug)]
#[non_exhaustive]
pub enum ReportError {
    /// A computation behind a figure failed.
    Computation(Error),
    /// Plotting failed.
    Plot(String),
    /// Creating a directory or writing a file failed.
    Io {
        /// The path concerned.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportError::Computation(e) => write!(f, "{e}"),
            ReportError::Plot(message) => write!(f, "plotting failed: {message}"),
            ReportError::Io { path, source } => write!(f, "{}: {source}", path.display()),
        }
    }
}

impl std::error::Error for ReportError {}

impl From<Error> for ReportError {
    fn from(e: Error) -> Self {
        ReportError::Computation(e)
    }
}

/// A figure after drawing: its SVG, or why it could not be drawn.
#[derive(Debug)]
pub struct Drawn {
    /// The figure.
    pub figure: Figure,
    /// The SVG document, or the error.
    pub svg: Result<String, ReportError>,
}

impl Figure {
    /// Draws the figure; a panic inside is turned into an error, so that one
    /// broken figure does not take the report down.
    pub fn render(&self, context: &Context) -> Drawn {
        let svg = std::panic::catch_unwind(|| (self.draw)(context))
            .unwrap_or_else(|_| Err(ReportError::Plot(format!("drawing {} panicked", self.file))));
        Drawn { figure: *self, svg }
    }
}

/// Where the report went.
#[derive(Debug, Clone)]
pub struct Written {
    /// The Markdown page.
    pub page: PathBuf,
    /// The site's front page, `index.html`.
    pub index: PathBuf,
    /// Every file of the site (the index, the claim pages, the sources
    /// page, the stylesheet).
    pub pages: Vec<PathBuf>,
    /// The figure files written.
    pub figures: Vec<PathBuf>,
}

/// Writes the site (`out/index.html`, `out/claims/*.html`,
/// `out/sources.html`, `out/style.css`), `out/report.md` and
/// `out/figures/*.svg`, creating `out` if needed.
///
/// Figures that failed to draw are listed on the pages with their error and
/// no file is written for them.
///
/// # Errors
/// [`ReportError::Io`] naming the path that could not be created or written.
pub fn write(
    out: &Path,
    context: &Context,
    outcomes: &[Outcome],
    drawn: &[Drawn],
) -> Result<Written, ReportError> {
    let figure_dir = out.join("figures");
    fs::create_dir_all(&figure_dir).map_err(|source| ReportError::Io {
        path: figure_dir.clone(),
        source,
    })?;
    let mut figures = Vec::new();
    for d in drawn {
        if let Ok(svg) = &d.svg {
            let path = figure_dir.join(d.figure.file);
            write_file(&path, svg).map_err(|source| ReportError::Io {
                path: path.clone(),
                source,
            })?;
            figures.push(path);
        }
    }
    let page = out.join("report.md");
    let text = page_text(context, outcomes, drawn);
    write_file(&page, &text).map_err(|source| ReportError::Io {
        path: page.clone(),
        source,
    })?;
    let pages = site::write(out, context, outcomes, drawn)?;
    Ok(Written {
        page,
        index: out.join("index.html"),
        pages,
        figures,
    })
}

/// Writes `contents` to `path` unless the file already holds exactly these
/// bytes: an unchanged report keeps its files' modification times, so that
/// cargo, which watches `report/figures` for the rustdoc front page (see
/// build.rs), does not rebuild the crate after every `cargo run`.
pub(crate) fn write_file(path: &Path, contents: impl AsRef<[u8]>) -> std::io::Result<()> {
    let contents = contents.as_ref();
    if fs::read(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    fs::write(path, contents)
}

/// A path as a Markdown link destination: every byte outside the URL's
/// unreserved characters and `/` percent-encoded.
fn link_path(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            let _ = write!(encoded, "%{byte:02X}");
        }
    }
    encoded
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// A number as the table shows it: enough digits to compare, `inf` spelled out.
fn number(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x.is_infinite() {
        if x > 0.0 { "inf".into() } else { "-inf".into() }
    } else if x == 0.0 {
        "0".into()
    } else if !(1e-4..1e6).contains(&x.abs()) {
        format!("{x:.6e}")
    } else {
        format!("{x:.9}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

/// The Expected and Tolerance cells: the comparison with the expected value,
/// and the allowance (an interval's ends say it all, so it has none).
fn expected_and_tolerance(m: &Measurement) -> (String, String) {
    let word = match m.comparison {
        Comparison::Within => "within",
        Comparison::AtMost => "at most",
        Comparison::AtLeast => "at least",
        Comparison::Between { low, high } => {
            return (
                format!("in [{}, {}]", number(low), number(high)),
                "-".into(),
            );
        }
    };
    (
        format!("{word} {}", number(m.expected)),
        number(m.tolerance),
    )
}

/// Markdown anchor of figure `k` (1-based).
fn figure_anchor(k: usize) -> String {
    format!("figure-{k}")
}

fn page_text(context: &Context, outcomes: &[Outcome], drawn: &[Drawn]) -> String {
    let mut s = String::new();
    let passed = outcomes.iter().filter(|o| o.passed).count();
    let _ = writeln!(s, "# gan-theory verification report\n");
    let _ = writeln!(
        s,
        "gan-theory {} with seed {}: `cargo run --release -- verify --seed {}` writes this page again, byte for byte.\n",
        env!("CARGO_PKG_VERSION"),
        context.seed,
        context.seed
    );
    let _ = writeln!(s, "**{passed} of {} claims passed.**\n", outcomes.len());
    let _ = writeln!(
        s,
        "The same run as pages to read in a browser, each claim with its proof, sources, measurements and figures: [index.html](index.html).\n"
    );
    let _ = writeln!(s, "| Claim | Statement | Result | Proof | Figures |");
    let _ = writeln!(s, "|---|---|---|---|---|");
    for o in outcomes {
        let result = if o.passed {
            let n = o.measurements.len();
            format!("passed ({n} measurement{})", if n == 1 { "" } else { "s" })
        } else {
            let failed = o.measurements.iter().filter(|m| !m.passed).count();
            match &o.error {
                Some(e) => format!("**failed**: {}", cell(e)),
                None => format!(
                    "**failed** ({failed} of {} measurements)",
                    o.measurements.len()
                ),
            }
        };
        let figure_links: Vec<String> = drawn
            .iter()
            .enumerate()
            .filter(|(_, d)| d.figure.claims.contains(&o.id))
            .map(|(k, _)| format!("[{}](#{})", k + 1, figure_anchor(k + 1)))
            .collect();
        let _ = writeln!(
            s,
            "| [{id}](#{anchor}) | {statement} | {result} | [proof](claims/{page}) | {figures} |",
            id = o.id,
            anchor = o.id.to_lowercase(),
            statement = cell(o.claim),
            page = link_path(&site::page_name(o.id)),
            figures = figure_links.join(", "),
        );
    }
    let _ = writeln!(s, "\n## Figures\n");
    for (k, d) in drawn.iter().enumerate() {
        let f = &d.figure;
        let _ = writeln!(s, "<a id=\"{}\"></a>\n", figure_anchor(k + 1));
        let _ = writeln!(s, "### Figure {}. {}\n", k + 1, f.title);
        match &d.svg {
            Ok(_) => {
                let _ = writeln!(s, "![{}](figures/{})\n", f.title, link_path(f.file));
            }
            Err(e) => {
                let _ = writeln!(s, "**Not drawn**: {}\n", cell(&e.to_string()));
            }
        }
        let _ = writeln!(s, "{} Claims: {}.\n", f.caption, f.claims.join(", "));
    }
    let _ = writeln!(s, "## Measurements\n");
    for o in outcomes {
        let _ = writeln!(s, "<a id=\"{}\"></a>\n", o.id.to_lowercase());
        let _ = writeln!(s, "### {}: {}\n", o.id, o.claim);
        let _ = writeln!(
            s,
            "Proof: [{}](claims/{}), with the sources and figures.\n",
            o.proof,
            link_path(&site::page_name(o.id))
        );
        if let Some(e) = &o.error {
            let _ = writeln!(s, "The check stopped: {}\n", cell(e));
            continue;
        }
        let _ = writeln!(
            s,
            "| Quantity | Measured | Expected | Tolerance | False alarm | Result |"
        );
        let _ = writeln!(s, "|---|---|---|---|---|---|");
        for m in &o.measurements {
            let (expected, tolerance) = expected_and_tolerance(m);
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} |",
                cell(&m.quantity),
                number(m.measured),
                expected,
                tolerance,
                site::probability(m.false_alarm),
                if m.passed { "ok" } else { "**FAILED**" }
            );
        }
        let _ = writeln!(s);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The proof links lead to the claim pages inside the report's folder,
    /// whatever folder the report is written to or the binary built in.
    #[test]
    fn proof_links_stay_inside_the_report() {
        let outcome = Outcome {
            id: "A1",
            claim: "a claim",
            proof: "proofs/A1-value-function.md",
            measurements: Vec::new(),
            error: None,
            passed: true,
        };
        let page = page_text(&Context { seed: 1 }, &[outcome], &[]);
        assert!(page.contains("[proof](claims/A1.html)"), "{page}");
        assert!(
            page.contains("[proofs/A1-value-function.md](claims/A1.html)"),
            "{page}"
        );
        assert!(!page.contains(env!("CARGO_MANIFEST_DIR")), "{page}");
        assert!(!page.contains("](../") && !page.contains("](/"), "{page}");
    }

    #[test]
    fn cells_escape_pipes_and_newlines() {
        assert_eq!(cell("|x| < 1\nok"), "\\|x\\| < 1 ok");
    }

    #[test]
    fn numbers_are_short_and_spell_infinity() {
        assert_eq!(number(f64::INFINITY), "inf");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(number(1e-9), "1.000000e-9");
    }
}
