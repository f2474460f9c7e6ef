//! The report's pages: a static site a student opens from disk, with no
//! server and no network.
//!
//! ```text
//! DIR/
//!   index.html           what the crate is, the claims with their verdicts, the figures
//!   claims/<ID>.html     one page per claim: statement, sources, the proof with its
//!                        math rendered, the measurements of this run, figures, code
//!   sources.html         the papers and the user's notes, and the claims citing each
//!   style.css            one stylesheet, for screens of any width and for print
//! ```
//!
//! Everything comes from the catalogue ([`proofs::CATALOGUE`](crate::proofs::CATALOGUE)),
//! the run's outcomes, the figures registry ([`figures::all`](super::figures::all))
//! and [`crate::sources`]: a claim or figure added there gets its
//! page and its place without further work. Formulas are typeset as MathML
//! when the pages are written, which browsers render without a script or a
//! font download. Every link stays inside DIR and no page names the folder
//! it was written to or built in, so the same seed writes the same bytes
//! wherever the binary was built and wherever DIR is.

mod markdown;

pub use markdown::{Rendered, render};

use super::{Drawn, ReportError, expected_and_tolerance, number};
use crate::claims::{Context, Outcome};
use crate::proofs::{CATALOGUE, ClaimEntry};
use crate::sources::{self, Cited, NOTES, PAPERS};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// The library's source files, one per line (written by the build script).
const SOURCE_FILES: &str = include_str!(concat!(env!("OUT_DIR"), "/source_files.txt"));

/// The stylesheet of every page: layout, tables, figures, print.
const STYLE: &str = include_str!("style.css");

/// What the index says the crate is, in Markdown with math.
const INTRODUCTION: &str = r"gan-theory states, proves and numerically verifies the theory of Generative Adversarial Nets (Goodfellow et al. 2014, and what followed). Every claim below has a written proof, property tests, and a check that `gan-theory verify` runs on real numbers, including small neural networks trained in the crate. The game at the centre is

$$\min_G \max_D V(D, G) = \mathbb{E}_{x \sim p_{\mathrm{data}}} \ln D(x) + \mathbb{E}_{z \sim p_z} \ln(1 - D(G(z))),$$

whose value at the best discriminator is $C(G) = -\ln 4 + 2 \thinspace \mathrm{JSD}(p_{\mathrm{data}} \Vert p_g)$ (claim A4). Each claim's page gives its statement, its sources, the full proof, the numbers this run measured with the tolerance each was allowed and the probability that a right claim fails that check (its false-alarm rate), the figures that show it, and the library code it checks.";

/// Writes the pages into `out` (which exists) and returns the paths written.
///
/// # Errors
/// [`ReportError::Io`] naming the file that could not be written.
pub(crate) fn write(
    out: &Path,
    context: &Context,
    outcomes: &[Outcome],
    drawn: &[Drawn],
) -> Result<Vec<PathBuf>, ReportError> {
    let claims_dir = out.join("claims");
    fs::create_dir_all(&claims_dir).map_err(|source| ReportError::Io {
        path: claims_dir.clone(),
        source,
    })?;
    let mut written = Vec::new();
    let mut put = |path: PathBuf, text: String| -> Result<(), ReportError> {
        super::write_file(&path, &text).map_err(|source| ReportError::Io {
            path: path.clone(),
            source,
        })?;
        written.push(path);
        Ok(())
    };
    put(
        out.join("style.css"),
        format!("{STYLE}{}", crate::math::MATH_CSS),
    )?;
    put(out.join("index.html"), index(context, outcomes, drawn))?;
    put(out.join("sources.html"), sources_page(context, outcomes))?;
    for (k, outcome) in outcomes.iter().enumerate() {
        let previous = k.checked_sub(1).and_then(|j| outcomes.get(j));
        let next = outcomes.get(k + 1);
        put(
            claims_dir.join(page_name(outcome.id)),
            claim_page(context, outcome, previous, next, drawn),
        )?;
    }
    Ok(written)
}

/// The file of claim `id`'s page under `claims/`: its id, letters and
/// digits only.
pub(crate) fn page_name(id: &str) -> String {
    let safe: String = id.chars().filter(char::is_ascii_alphanumeric).collect();
    format!("{safe}.html")
}

/// `text` as HTML text or attribute value.
fn esc(text: &str) -> String {
    crate::math::escape_text(text).replace('"', "&quot;")
}

/// A whole page: `root` is the path from the page to DIR ("" or "../").
fn page(title: &str, root: &str, nav: &str, body: &str, context: &Context) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<link rel=\"stylesheet\" href=\"{root}style.css\">\n</head>\n<body>\n\
         <header><nav class=\"site\"><a href=\"{root}index.html\">gan-theory</a> \
         <a href=\"{root}index.html#claims\">Claims</a> \
         <a href=\"{root}index.html#figures\">Figures</a> \
         <a href=\"{root}sources.html\">Sources</a></nav>{nav}</header>\n<main>\n{body}</main>\n\
         <footer><p>Written by gan-theory {version} with seed {seed}: \
         <code>gan-theory verify --seed {seed}</code> writes these pages again, byte for byte.</p>{nav}</footer>\n\
         </body>\n</html>\n",
        title = esc(title),
        version = env!("CARGO_PKG_VERSION"),
        seed = context.seed,
    )
}

/// "passed" or "failed", as a badge.
fn verdict(outcome: &Outcome) -> &'static str {
    if outcome.passed {
        "<span class=\"verdict pass\">passed</span>"
    } else {
        "<span class=\"verdict fail\">failed</span>"
    }
}

/// A probability in its shortest exact form: "0", "4e-6", "0.01".
pub(crate) fn probability(p: f64) -> String {
    if p != 0.0 && p.abs() < 1e-3 {
        format!("{p:e}")
    } else {
        format!("{p}")
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The catalogue entry of an outcome.
fn entry(outcome: &Outcome) -> Option<&'static ClaimEntry> {
    CATALOGUE.iter().find(|e| e.id == outcome.id)
}

/// Markdown (the introduction, a caption) as HTML; formulas that cannot be
/// typeset show as their source, marked.
fn markdown_html(text: &str) -> String {
    render(text).html
}

fn index(context: &Context, outcomes: &[Outcome], drawn: &[Drawn]) -> String {
    let mut s = String::new();
    let passed = outcomes.iter().filter(|o| o.passed).count();
    let measurements: usize = outcomes.iter().map(|o| o.measurements.len()).sum();
    let false_alarm: f64 = outcomes.iter().map(Outcome::false_alarm).sum();
    let _ = writeln!(
        s,
        "<h1>gan-theory: the theory of GANs, stated, proved and checked</h1>"
    );
    s.push_str(&markdown_html(INTRODUCTION));
    let _ = writeln!(
        s,
        "<p class=\"summary\">This run, seed {seed}: <strong>{passed} of {claims} claims passed</strong>, \
         {measurements}; the probability that it fails although every claim and the code are right \
         is at most {rate} (the sum of every row's false-alarm rate; budget {budget}). \
         The same run as one Markdown page: <a href=\"report.md\">report.md</a>. \
         The papers and notes the claims draw on: <a href=\"sources.html\">sources</a>.</p>",
        seed = context.seed,
        claims = outcomes.len(),
        measurements = plural(measurements, "measurement"),
        rate = probability(false_alarm),
        budget = probability(crate::claims::SUITE_FALSE_ALARM_BUDGET),
    );
    let _ = writeln!(s, "<h2 id=\"claims\">Claims</h2>");
    let _ = writeln!(
        s,
        "<div class=\"scroll\"><table class=\"claims\">\n<thead><tr><th>Claim</th><th>Statement</th>\
         <th>Result</th><th>Figures</th></tr></thead>\n<tbody>"
    );
    for o in outcomes {
        let title = entry(o)
            .and_then(|e| render(e.markdown).title)
            .unwrap_or_default();
        let figures: Vec<String> = figure_numbers(drawn, o.id)
            .map(|k| format!("<a href=\"#figure-{k}\">{k}</a>"))
            .collect();
        let _ = writeln!(
            s,
            "<tr><td><a href=\"claims/{page}\">{id}</a></td><td><a href=\"claims/{page}\">{title}</a>\
             <br><span class=\"statement\">{statement}</span></td><td>{verdict}<br>\
             <span class=\"count\">{count}</span></td><td>{figures}</td></tr>",
            page = page_name(o.id),
            id = esc(o.id),
            title = esc(title.strip_prefix(o.id).unwrap_or(&title).trim()),
            statement = esc(o.claim),
            verdict = verdict(o),
            count = plural(o.measurements.len(), "measurement"),
            figures = figures.join(" "),
        );
    }
    let _ = writeln!(s, "</tbody></table></div>");
    let _ = writeln!(
        s,
        "<h2 id=\"figures\">Figures</h2>\n<div class=\"gallery\">"
    );
    for (k, d) in drawn.iter().enumerate() {
        s.push_str(&figure_html(k + 1, d, ""));
    }
    let _ = writeln!(s, "</div>");
    page(
        "gan-theory: the theory of GANs, stated, proved and checked",
        "",
        "",
        &s,
        context,
    )
}

/// The 1-based numbers of the figures that show claim `id`.
fn figure_numbers<'a>(drawn: &'a [Drawn], id: &'a str) -> impl Iterator<Item = usize> + 'a {
    drawn
        .iter()
        .enumerate()
        .filter(move |(_, d)| d.figure.claims.contains(&id))
        .map(|(k, _)| k + 1)
}

/// A figure with its number, title, caption and claims; `root` is the path
/// from the page to DIR.
fn figure_html(k: usize, d: &Drawn, root: &str) -> String {
    let f = &d.figure;
    let claims: Vec<String> = f
        .claims
        .iter()
        .map(|id| format!("<a href=\"{root}claims/{}\">{}</a>", page_name(id), esc(id)))
        .collect();
    let picture = match &d.svg {
        Ok(_) => format!(
            "<a href=\"{root}figures/{file}\"><img src=\"{root}figures/{file}\" alt=\"{title}\" \
             width=\"1600\" height=\"1000\"></a>",
            file = esc(f.file),
            title = esc(f.title),
        ),
        Err(e) => format!(
            "<p class=\"not-drawn\">Not drawn: {}</p>",
            esc(&e.to_string())
        ),
    };
    format!(
        "<figure id=\"figure-{k}\">{picture}<figcaption><strong>Figure {k}. {title}.</strong> \
         {caption} Claims: {claims}.</figcaption></figure>\n",
        title = esc(f.title.trim_end_matches('.')),
        caption = esc(f.caption),
        claims = claims.join(", "),
    )
}

/// Previous / index / next links of a claim page.
fn claim_nav(previous: Option<&Outcome>, next: Option<&Outcome>) -> String {
    let link = |o: Option<&Outcome>, rel: &str, arrow: &str| match o {
        Some(o) => format!(
            "<a rel=\"{rel}\" href=\"{page}\">{before}{id}{after}</a>",
            page = page_name(o.id),
            id = esc(o.id),
            before = if rel == "prev" { arrow } else { "" },
            after = if rel == "next" { arrow } else { "" },
        ),
        None => "<span></span>".to_string(),
    };
    format!(
        "<nav class=\"claims\">{}<a href=\"../index.html#claims\">all claims</a>{}</nav>",
        link(previous, "prev", "\u{2190} "),
        link(next, "next", " \u{2192}"),
    )
}

fn claim_page(
    context: &Context,
    outcome: &Outcome,
    previous: Option<&Outcome>,
    next: Option<&Outcome>,
    drawn: &[Drawn],
) -> String {
    let entry = entry(outcome);
    let proof = entry.map(|e| render(e.markdown)).unwrap_or_default();
    let title_html = if proof.title_html.is_empty() {
        format!("<h1>{}</h1>\n", esc(outcome.id))
    } else {
        format!("<h1>{}</h1>\n", proof.title_html.trim())
    };
    let mut s = String::new();
    s.push_str(&title_html);
    let _ = writeln!(
        s,
        "<p class=\"claim-line\">{verdict} <span class=\"count\">{count} with seed {seed}</span></p>\n\
         <p class=\"statement\"><strong>In one line</strong> (as <code>gan-theory verify</code> prints it): {statement}</p>",
        verdict = verdict(outcome),
        count = plural(outcome.measurements.len(), "measurement"),
        seed = context.seed,
        statement = esc(outcome.claim),
    );
    let _ = writeln!(
        s,
        "<nav class=\"toc\"><a href=\"#proof\">Proof</a> <a href=\"#sources\">Sources</a> \
         <a href=\"#measurements\">Measurements</a>{figures} <a href=\"#code\">Code</a></nav>",
        figures = if figure_numbers(drawn, outcome.id).next().is_some() {
            " <a href=\"#figures\">Figures</a>"
        } else {
            ""
        }
    );
    let _ = writeln!(
        s,
        "<section id=\"proof\" class=\"proof\">\n{}</section>",
        proof.html
    );
    if !proof.errors.is_empty() {
        let _ = writeln!(
            s,
            "<p class=\"not-drawn\">{} could not be typeset: {}</p>",
            plural(proof.errors.len(), "formula"),
            esc(&proof.errors.join("; "))
        );
    }
    let cited = entry
        .map(|e| sources::cited_in(e.markdown))
        .unwrap_or_default();
    s.push_str(&claim_sources(&cited));
    s.push_str(&measurements(outcome));
    let figures: Vec<usize> = figure_numbers(drawn, outcome.id).collect();
    if !figures.is_empty() {
        let _ = writeln!(s, "<section id=\"figures\"><h2>Figures</h2>");
        for k in figures {
            s.push_str(&figure_html(k, &drawn[k - 1], "../"));
        }
        let _ = writeln!(s, "</section>");
    }
    if let Some(e) = entry {
        s.push_str(&code(e));
    }
    let title = format!(
        "{}: gan-theory",
        proof.title.as_deref().unwrap_or(outcome.id)
    );
    let nav = claim_nav(previous, next);
    page(&title, "../", &nav, &s, context)
}

/// The sources section of a claim page.
fn claim_sources(cited: &Cited) -> String {
    let mut s = String::from("<section id=\"sources\"><h2>Sources</h2>\n");
    if cited.papers.is_empty() && cited.notes.is_empty() {
        s.push_str("<p>The proof cites no paper or note of the sources list.</p>\n");
    }
    if !cited.papers.is_empty() {
        s.push_str("<p>Papers and books:</p>\n<ul class=\"sources\">\n");
        for p in &cited.papers {
            let _ = writeln!(
                s,
                "<li><a href=\"../sources.html#{key}\">{short}</a>: {reference}</li>",
                key = esc(p.key),
                short = esc(p.short),
                reference = esc(p.reference),
            );
        }
        s.push_str("</ul>\n");
    }
    if !cited.notes.is_empty() {
        s.push_str("<p>The user's notes the proof discusses:</p>\n<ul class=\"sources\">\n");
        for n in &cited.notes {
            let _ = writeln!(
                s,
                "<li><a href=\"../sources.html#{key}\"><cite>{title}</cite></a> ({details})</li>",
                key = esc(n.key),
                title = esc(n.title),
                details = esc(&note_details(n)),
            );
        }
        s.push_str("</ul>\n");
    }
    s.push_str("</section>\n");
    s
}

/// "in English: ...; author; date; language".
fn note_details(n: &sources::Note) -> String {
    let mut parts = Vec::new();
    if n.title_en != n.title {
        parts.push(format!("in English: {}", n.title_en));
    }
    if let Some(author) = n.author {
        parts.push(author.to_string());
    }
    if let Some(date) = n.date {
        parts.push(date.to_string());
    }
    parts.push(n.language.to_string());
    parts.join("; ")
}

/// The measurements of a claim: every row `verify` computed, with its
/// acceptance, false-alarm rate and result.
fn measurements(outcome: &Outcome) -> String {
    let mut s = String::from("<section id=\"measurements\"><h2>Measurements</h2>\n");
    if let Some(e) = &outcome.error {
        let _ = writeln!(
            s,
            "<p class=\"not-drawn\">The check stopped: {}</p>",
            esc(e)
        );
    }
    if outcome.measurements.is_empty() {
        s.push_str("<p>No measurement.</p>\n</section>\n");
        return s;
    }
    let _ = writeln!(
        s,
        "<p>What <code>gan-theory verify</code> measured in this run, what the claim predicts, how far \
         apart the two may be, and the probability that the row fails although the claim and the code \
         are right (0 for a deterministic check). The claim's false-alarm rate is the sum, {}.</p>",
        probability(outcome.false_alarm())
    );
    s.push_str(
        "<div class=\"scroll\"><table class=\"measurements\">\n<thead><tr><th>Quantity</th>\
         <th>Measured</th><th>Expected</th><th>Tolerance</th><th>False alarm</th><th>Result</th>\
         </tr></thead>\n<tbody>\n",
    );
    for m in &outcome.measurements {
        let (expected, tolerance) = expected_and_tolerance(m);
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td>{}</td></tr>",
            esc(&m.quantity),
            number(m.measured),
            esc(&expected),
            esc(&tolerance),
            probability(m.false_alarm),
            if m.passed {
                "<span class=\"verdict pass\">ok</span>"
            } else {
                "<span class=\"verdict fail\">FAILED</span>"
            }
        );
    }
    s.push_str("</tbody></table></div>\n</section>\n");
    s
}

/// The library items a claim checks, with their files.
fn code(entry: &ClaimEntry) -> String {
    let mut s = String::from(
        "<section id=\"code\"><h2>Code</h2>\n<p>The library items this claim checks \
         (the tests that check it are named at the end of the proof):</p>\n<ul class=\"code\">\n",
    );
    for item in entry.code {
        let file = source_file(item)
            .map(|f| format!(" in <code>{}</code>", esc(f)))
            .unwrap_or_default();
        let _ = writeln!(s, "<li><code>gan_theory::{}</code>{file}</li>", esc(item));
    }
    let _ = writeln!(
        s,
        "</ul>\n<p>The proof: <code>{}</code>, also rendered in the API docs as <code>gan_theory::proofs::{}</code>.</p>\n</section>",
        esc(entry.proof),
        esc(entry.module)
    );
    s
}

/// The source file that defines `item` ("game::c_of_g" is in
/// "src/game.rs"): the longest module prefix with a file.
fn source_file(item: &str) -> Option<&'static str> {
    let parts: Vec<&str> = item.split("::").collect();
    (1..=parts.len()).rev().find_map(|k| {
        let module = parts[..k].join("/");
        let candidates = [format!("src/{module}.rs"), format!("src/{module}/mod.rs")];
        SOURCE_FILES
            .lines()
            .find(|line| candidates.iter().any(|c| c == line))
    })
}

fn sources_page(context: &Context, outcomes: &[Outcome]) -> String {
    let cited: Vec<(&str, Cited)> = outcomes
        .iter()
        .filter_map(|o| entry(o).map(|e| (o.id, sources::cited_in(e.markdown))))
        .collect();
    let citing = |is_cited: &dyn Fn(&Cited) -> bool| -> String {
        let ids: Vec<String> = cited
            .iter()
            .filter(|(_, c)| is_cited(c))
            .map(|(id, _)| format!("<a href=\"claims/{}\">{}</a>", page_name(id), esc(id)))
            .collect();
        if ids.is_empty() {
            "no claim".to_string()
        } else {
            ids.join(", ")
        }
    };
    let mut s = String::from("<h1>Sources</h1>\n");
    s.push_str(
        "<p>The claims draw on the papers and books below, and on the notes the user gave with the \
         task: blog posts and reading notes, in Chinese and Korean, on the GAN paper and on WGAN, \
         LSGAN, EBGAN, CGAN and pix2pix. Each proof says what a note gets right and what it gets \
         wrong; the notes are cited by their titles.</p>\n<h2 id=\"notes\">The user's notes</h2>\n<dl class=\"sources\">\n",
    );
    for n in NOTES {
        let _ = writeln!(
            s,
            "<dt id=\"{key}\"><cite>{title}</cite></dt>\n<dd>{details}. {about}<br>Cited by {claims}.</dd>",
            key = esc(n.key),
            title = esc(n.title),
            details = esc(&note_details(n)),
            about = esc(n.about),
            claims = citing(&|c: &Cited| c.notes.iter().any(|m| m.key == n.key)),
        );
    }
    s.push_str("</dl>\n<h2 id=\"papers\">Papers and books</h2>\n<dl class=\"sources\">\n");
    for p in PAPERS {
        let _ = writeln!(
            s,
            "<dt id=\"{key}\">{short}</dt>\n<dd>{reference}<br>Cited by {claims}.</dd>",
            key = esc(p.key),
            short = esc(p.short),
            reference = esc(p.reference),
            claims = citing(&|c: &Cited| c.papers.iter().any(|q| q.key == p.key)),
        );
    }
    s.push_str("</dl>\n");
    page("Sources: gan-theory", "", "", &s, context)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every proof of the catalogue typesets: a title, and no formula that
    /// pulldown-latex refuses or passes through as text.
    #[test]
    fn every_proof_typesets() {
        for e in CATALOGUE {
            let rendered = render(e.markdown);
            assert!(
                rendered.errors.is_empty(),
                "{}: {:?}",
                e.proof,
                rendered.errors
            );
            assert!(rendered.title.is_some(), "{} has no # title", e.proof);
            assert!(rendered.html.contains("<math"), "{} has no math", e.proof);
        }
    }

    #[test]
    fn links_and_hidden_example_lines_are_left_out() {
        let r = render(
            "# T $x$\n\nSee [the file](../NUMERICS.md) and ![a plot](p.svg).\n\n```rust\n# use x;\nlet a = 1;\n#\n```\n",
        );
        assert!(
            !r.html.contains("href") && !r.html.contains("<img"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("the file") && r.html.contains("a plot"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("let a = 1;") && !r.html.contains("use x;"),
            "{}",
            r.html
        );
        assert_eq!(r.title.as_deref(), Some("T x"));
        let unpaired = render("let $p = $ uniform");
        assert!(!unpaired.errors.is_empty(), "{}", unpaired.html);
        assert!(r.title_html.contains("<math"), "{}", r.title_html);
    }

    #[test]
    fn source_files_are_found_for_catalogue_items() {
        assert_eq!(source_file("game::c_of_g"), Some("src/game.rs"));
        assert_eq!(
            source_file("transport::line::w1"),
            Some("src/transport/line.rs")
        );
        for e in CATALOGUE {
            for item in e.code {
                assert!(source_file(item).is_some(), "{}: no file for {item}", e.id);
            }
        }
    }

    #[test]
    fn probabilities_are_short() {
        assert_eq!(probability(0.0), "0");
        assert_eq!(probability(4e-6), "4e-6");
        assert_eq!(probability(0.001), "0.001");
    }
}
