//! The report `gan-theory verify` writes: every claim and figure appears, the
//! proof links resolve, the same seed writes the same bytes, and a report
//! that cannot be written is refused in one line.

mod common;

use common::binary::{TempFile, binary};
use gan_theory::claims;
use gan_theory::report::figures;
use gan_theory::report::plot::{self, Panel, Series, Style};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// A fresh directory under the temp directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(label: &str) -> Self {
        let path =
            std::env::temp_dir().join(format!("gan-theory-report-{}-{label}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn verify_into(out: &Path, seed: &str) -> std::process::Output {
    binary()
        .args(["verify", "--seed", seed, "--out"])
        .arg(out)
        .output()
        .expect("cannot run gan-theory")
}

/// The targets of `](...)` links in a Markdown page.
fn links(page: &str) -> Vec<&str> {
    page.split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .collect()
}

#[test]
fn report_lists_every_claim_figure_and_resolving_proof_link() {
    let dir = TempDir::new("full");
    let output = verify_into(&dir.0, "2014");
    assert!(output.status.code().is_some(), "killed");
    let page = std::fs::read_to_string(dir.0.join("report.md")).expect("report.md written");
    for claim in claims::all() {
        assert!(
            page.contains(&format!("| [{}](#", claim.id)),
            "no row for {}",
            claim.id
        );
        assert!(
            page.contains(&format!("### {}: ", claim.id)),
            "no section for {}",
            claim.id
        );
    }
    for figure in figures::all() {
        let svg = std::fs::read_to_string(dir.0.join("figures").join(figure.file))
            .unwrap_or_else(|e| panic!("{}: {e}", figure.file));
        assert!(
            svg.trim_start().starts_with("<svg"),
            "{} is not SVG",
            figure.file
        );
        assert!(
            svg.contains(figure.title),
            "{} lacks its title",
            figure.file
        );
        assert!(
            page.contains(&format!("(figures/{})", figure.file)),
            "{} not on the page",
            figure.file
        );
    }
    for link in links(&page).into_iter().filter(|l| !l.starts_with('#')) {
        let target = dir.0.join(link);
        assert!(target.exists(), "broken link {link} ({})", target.display());
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("report: "), "{stdout}");
}

/// Every file under `dir`, as (path relative to `dir`, bytes), sorted.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).unwrap_or_else(|e| panic!("{}: {e}", next.display()))
        {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.push((path.strip_prefix(dir).unwrap().to_path_buf(), bytes));
            }
        }
    }
    files.sort();
    files
}

/// The same seed writes the same bytes, file for file, whatever folder the
/// report goes to (here at two depths, given relative to two working
/// directories) and without naming that folder or the one the binary was
/// built in.
#[test]
fn report_is_the_same_bytes_for_the_same_seed_in_any_folder() {
    let (a, b) = (TempDir::new("same-a"), TempDir::new("same-b"));
    std::fs::create_dir_all(a.0.join("deeper/still")).unwrap();
    std::fs::create_dir_all(&b.0).unwrap();
    let run = |cwd: &Path, out: &str| {
        let output = binary()
            .args(["verify", "--seed", "7", "--out", out])
            .current_dir(cwd)
            .output()
            .expect("cannot run gan-theory");
        assert!(output.status.code().is_some(), "killed");
    };
    run(&a.0.join("deeper/still"), "out");
    run(&b.0, "report with spaces");
    let first = tree(&a.0.join("deeper/still/out"));
    let second = tree(&b.0.join("report with spaces"));
    let names = |t: &[(PathBuf, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&first), names(&second));
    assert!(first.iter().any(|(p, _)| p == Path::new("index.html")));
    for ((path, x), (_, y)) in first.iter().zip(&second) {
        assert!(x == y, "{} differs between the two folders", path.display());
        let text = String::from_utf8_lossy(x);
        for folder in [
            env!("CARGO_MANIFEST_DIR"),
            &a.0.display().to_string(),
            &b.0.display().to_string(),
        ] {
            assert!(
                !text.contains(folder),
                "{} names the folder {folder}",
                path.display()
            );
        }
    }
}

/// `href="..."` and `src="..."` targets of an HTML page.
fn html_links(page: &str) -> Vec<&str> {
    ["href=\"", "src=\""]
        .iter()
        .flat_map(|opening| page.split(opening).skip(1))
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

/// The pages: an index linking one page per claim, each claim page with its
/// statement, its measurements and its figures, every figure in the
/// gallery, and every link a file inside the folder (the browser test opens
/// them; this checks the same without a browser).
#[test]
fn pages_have_every_claim_and_figure_and_links_stay_inside() {
    let dir = TempDir::new("pages");
    let output = verify_into(&dir.0, "2014");
    assert!(output.status.code().is_some(), "killed");
    let index = std::fs::read_to_string(dir.0.join("index.html")).expect("index.html written");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("index.html"), "{stdout}");
    for claim in claims::all() {
        let name = format!("claims/{}.html", claim.id);
        assert!(
            index.contains(&format!("href=\"{name}\"")),
            "index lacks {name}"
        );
        let page =
            std::fs::read_to_string(dir.0.join(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let statement = claim
            .statement
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;");
        assert!(page.contains(&statement), "{name} lacks the statement");
        assert!(page.contains("<math"), "{name} has no typeset math");
        assert!(
            page.contains("id=\"measurements\""),
            "{name} has no measurements"
        );
        for figure in figures::all()
            .iter()
            .filter(|f| f.claims.contains(&claim.id))
        {
            assert!(
                page.contains(&format!("src=\"../figures/{}\"", figure.file)),
                "{name} does not show {}",
                figure.file
            );
        }
    }
    for figure in figures::all() {
        assert!(
            index.contains(&format!("src=\"figures/{}\"", figure.file)),
            "the gallery lacks {}",
            figure.file
        );
    }
    for (path, bytes) in tree(&dir.0) {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let page = String::from_utf8(bytes).unwrap();
        let base = dir.0.join(&path);
        let base = base.parent().unwrap();
        for link in html_links(&page) {
            let (file, fragment) = link.split_once('#').unwrap_or((link, ""));
            assert!(
                !file.contains(':') && !file.starts_with('/'),
                "{}: link {link} leaves the folder",
                path.display()
            );
            let target = if file.is_empty() {
                dir.0.join(&path)
            } else {
                base.join(file)
            };
            let target = target
                .canonicalize()
                .unwrap_or_else(|_| panic!("{}: broken link {link}", path.display()));
            assert!(
                target.starts_with(dir.0.canonicalize().unwrap()),
                "{}: {link} leaves the folder",
                path.display()
            );
            if !fragment.is_empty() {
                let text = std::fs::read_to_string(&target).unwrap();
                assert!(
                    text.contains(&format!("id=\"{fragment}\"")),
                    "{}: no anchor for {link}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn report_into_a_file_is_refused_in_one_line() {
    let file = TempFile::new("report", "not-a-dir", "x");
    let output = verify_into(file.path(), "2014");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(output.stdout.is_empty());
    assert_eq!(stderr.matches('\n').count(), 1, "{stderr:?}");
    assert!(stderr.contains(&file.name()), "{stderr:?}");
    assert!(!stderr.contains("panicked"), "{stderr:?}");
}

#[test]
fn no_report_writes_nothing() {
    let dir = TempDir::new("none");
    std::fs::create_dir_all(&dir.0).unwrap();
    let output = binary()
        .args(["verify", "--no-report"])
        .current_dir(&dir.0)
        .output()
        .expect("cannot run gan-theory");
    assert!(output.status.code().is_some());
    assert!(!dir.0.join("report").exists());
    assert!(!String::from_utf8_lossy(&output.stdout).contains("report: "));
    // Without the flag the same run writes the default report/ there.
    let output = binary().arg("verify").current_dir(&dir.0).output().unwrap();
    assert!(output.status.code().is_some());
    assert!(dir.0.join("report").join("report.md").exists());
}

#[test]
fn readme_shows_every_figure_and_links_it_from_its_claims() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    for figure in figures::all() {
        let path = format!("report/figures/{}", figure.file);
        assert!(
            readme.contains(&format!("<img src=\"{path}\"")),
            "README does not show {path}"
        );
        assert!(
            root.join(&path).is_file(),
            "{path} is not in the repository: `cargo run --release` writes it"
        );
        for claim in figure.claims {
            let row = readme
                .lines()
                .find(|l| l.starts_with(&format!("| {claim} |")))
                .unwrap_or_else(|| panic!("README's claims table has no row for {claim}"));
            assert!(
                row.contains(&format!("(report/figures/{})", figure.file)),
                "README's row for {claim} does not link {path}"
            );
        }
    }
}

/// Runs `render` on another thread and fails if it does not return within
/// `LIVENESS_LIMIT`: a guard against plotters' endless loop on an infinite
/// axis, not a speed test (a correct call returns in milliseconds).
fn render_or_hang(panel: Panel) -> Result<String, String> {
    /// Far above any correct render (a few ms), far below a CI timeout.
    const LIVENESS_LIMIT: Duration = Duration::from_secs(60);
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(plot::render("edge case", &[panel], 1, 1));
    });
    receive
        .recv_timeout(LIVENESS_LIMIT)
        .expect("render did not return (or panicked)")
}

fn line(points: Vec<(f64, f64)>) -> Series {
    Series::new("data", points, Style::Line, 0)
}

/// Degenerate data draw an empty or flat panel, never a NaN coordinate.
#[test]
fn plot_degenerate_data_draws_without_nan() {
    let nan = f64::NAN;
    let panels = [
        Panel::new("empty", "x", "y"),
        Panel::new("empty series", "x", "y").with(line(vec![])),
        Panel::new("all not-a-number", "x", "y").with(line(vec![(nan, nan); 3])),
        Panel::new("one point", "x", "y").with(line(vec![(1.0, 2.0)])),
        Panel::new("one point, equal scales", "x", "y")
            .with(line(vec![(1.0, 2.0)]))
            .equal_scales(),
        Panel::new("log of non-positive", "x", "y")
            .log_y()
            .with(line(vec![(1.0, 0.0), (2.0, -1.0)])),
        Panel::new("subnormal", "x", "y").with(line(vec![(0.0, 5e-324), (1.0, 1e-323)])),
        Panel::new("one point at 1e308", "x", "y").with(line(vec![(1e308, 1e308)])),
        Panel::new("one point at the largest float", "x", "y")
            .with(line(vec![(f64::MAX, -f64::MAX)])),
        Panel::new("up to the largest float", "x", "y")
            .with(line(vec![(0.0, f64::MAX / 2.0), (1.0, f64::MAX)])),
        Panel::new("log over 600 decades", "x", "y")
            .log_y()
            .with(line(vec![(0.0, 1e-300), (1.0, 1e300)])),
    ];
    for panel in panels {
        let title = panel.title.clone();
        let svg = render_or_hang(panel).unwrap_or_else(|e| panic!("{title}: {e}"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{title}");
    }
}

/// Axes plotters cannot draw (infinite width, empty or backward fixed
/// ranges, a log axis fixed to non-positive values) are refused with a
/// message naming the panel; they used to hang the report (endless loop in
/// plotters' tick search) or panic.
#[test]
fn plot_undrawable_axes_are_refused_not_hung() {
    let data = || line(vec![(0.0, 1.0), (1.0, 2.0)]);
    let panels = [
        Panel::new("span above f64::MAX", "x", "y")
            .with(line(vec![(-1e308, -1e308), (1e308, 1e308)])),
        Panel::new("span of 2 f64::MAX", "x", "y").with(Series::new(
            "p",
            vec![(-f64::MAX, 0.0), (f64::MAX, 1.0)],
            Style::Points,
            0,
        )),
        Panel::new("huge, equal scales", "x", "y")
            .with(line(vec![(-1e308, -1e308), (1e308, 1e308)]))
            .equal_scales(),
        Panel::new("log axis fixed below 0", "x", "y")
            .log_y()
            .y_range(-1.0, 0.0)
            .with(data()),
        Panel::new("empty x range", "x", "y")
            .x_range(1.0, 1.0)
            .with(data()),
        Panel::new("backward x range", "x", "y")
            .x_range(1.0, 0.0)
            .with(data()),
        Panel::new("NaN x range", "x", "y")
            .x_range(f64::NAN, 1.0)
            .with(data()),
    ];
    for panel in panels {
        let title = panel.title.clone();
        let error = render_or_hang(panel).expect_err(&title);
        assert!(error.contains(&title), "{error}");
    }
}

/// A report path with a control character is named escaped, so the refusal
/// stays one line (as for every other file name the CLI reports).
#[test]
fn report_path_with_control_characters_is_refused_on_one_line() {
    let file = TempFile::new("report", "bad\nname", "x");
    let output = verify_into(file.path(), "2014");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.matches('\n').count(), 1, "{stderr:?}");
    assert!(stderr.contains(r"bad\nname"), "{stderr:?}");
}

/// `--help` says which exit status a failed claim or figure gives.
#[test]
fn verify_help_documents_the_exit_status() {
    for args in [&["--help"][..], &["verify", "--help"]] {
        let output = binary().args(args).output().expect("cannot run gan-theory");
        let help = String::from_utf8_lossy(&output.stdout);
        assert!(
            help.contains(
                "Exit status of verify: 0 when every claim passed and every figure was drawn"
            ),
            "{args:?}: {help}"
        );
        assert!(help.contains("a figure could not be drawn"), "{args:?}");
    }
}

fn panicking_draw(_: &claims::Context) -> Result<String, gan_theory::report::ReportError> {
    panic!("a broken figure")
}

/// A figure whose drawing panics becomes an error for the page, not an abort.
#[test]
fn a_panicking_figure_is_an_error_not_an_abort() {
    let figure = gan_theory::report::Figure {
        file: "broken.svg",
        title: "broken",
        caption: "never drawn",
        claims: &[],
        draw: panicking_draw,
    };
    let drawn = figure.render(&claims::Context::default());
    let error = drawn.svg.expect_err("a panic must not give an SVG");
    assert!(error.to_string().contains("broken.svg"), "{error}");
}

/// A figure's claims are catalogue ids (the figures write them as
/// `proofs::id` constants; this catches a literal that slips in).
#[test]
fn every_figure_names_catalogue_claims() {
    for figure in figures::all() {
        assert!(!figure.claims.is_empty(), "{} names no claim", figure.file);
        for id in figure.claims {
            assert!(
                gan_theory::proofs::CATALOGUE.iter().any(|e| e.id == *id),
                "{} names {id}, which is not in the catalogue",
                figure.file
            );
        }
    }
}

/// The committed `report/` is exactly what `cargo run --release` (verify
/// with the default seed, into `report/`) writes: every file, byte for byte,
/// and no file the run does not write. A change to a proof, a check or a
/// figure fails here until `cargo run --release` has rewritten the report.
#[test]
fn committed_report_is_what_the_default_run_writes() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let dir = TempDir::new("committed");
    let output = binary()
        .args(["verify", "--out"])
        .arg(&dir.0)
        .output()
        .expect("cannot run gan-theory");
    assert!(output.status.code().is_some(), "killed");
    let written = tree(&dir.0);
    let committed = tree(&root.join("report"));
    let names = |t: &[(PathBuf, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&committed),
        names(&written),
        "report/ holds other files than the default run writes: run `cargo run --release`"
    );
    for ((path, committed), (_, written)) in committed.iter().zip(&written) {
        assert!(
            committed == written,
            "report/{} is not what the default run writes: run `cargo run --release`",
            path.display()
        );
    }
}
