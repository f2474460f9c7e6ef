//! The `w1` and `emd` subcommands, run as a user runs them: answers against
//! the library, every kind of bad input refused with the file, the position
//! and the problem on one line, exit code 2 and nothing on stdout.

mod common;

use common::binary::{TempFile, assert_no_panic, assert_refused, run, run_with_stdin};
use gan_theory::tol;
use gan_theory::transport::line::w1_samples;
use serde_json::Value;
use std::process::Output;

fn stdout_json(output: &Output) -> Value {
    assert_no_panic(output);
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is not JSON")
}

fn stdout_text(output: &Output) -> String {
    assert_no_panic(output);
    assert_eq!(output.status.code(), Some(0));
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

/// `gan-theory w1 --u U --v V` and `extra`.
fn w1(u: &TempFile, v: &TempFile, extra: &[&str]) -> Output {
    let (u, v) = (u.name(), v.name());
    let mut args = vec!["w1", "--u", &u, "--v", &v];
    args.extend_from_slice(extra);
    run(&args)
}

/// Joins values into a line with round-trip precision.
fn text(values: &[f64]) -> String {
    values
        .iter()
        .map(|x| format!("{x:?}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn cli_w1_json_matches_library() {
    let u_values: Vec<f64> = (0..50)
        .map(|i| ((i * 37) % 23) as f64 * 0.25 - 1.0)
        .collect();
    let v_values: Vec<f64> = (0..31).map(|i| ((i * 11) % 17) as f64 * 0.3).collect();
    let weights: Vec<f64> = (0..31).map(|i| (i % 4) as f64).collect();
    let u = TempFile::new("w1-json", "u", text(&u_values));
    let v = TempFile::new("w1-json", "v", text(&v_values));
    let vw = TempFile::new("w1-json", "vw", text(&weights));
    let report = stdout_json(&w1(&u, &v, &["--json"]));
    let expected = w1_samples(&u_values, None, &v_values, None).unwrap();
    assert_eq!(report["w1"].as_f64(), Some(expected), "{report}");
    assert_eq!(report.as_object().map(|o| o.len()), Some(1));
    let report = stdout_json(&w1(&u, &v, &["--v-weights", &vw.name(), "--json"]));
    let expected = w1_samples(&u_values, None, &v_values, Some(&weights)).unwrap();
    assert_eq!(report["w1"].as_f64(), Some(expected), "{report}");
}

/// scipy's documentation example of `wasserstein_distance` with weights:
/// 4.0781331438047861 (quoted there to 17 digits).
#[test]
fn cli_w1_weighted_scipy_example() {
    let u = TempFile::new("w1-scipy", "u", "3.4, 3.9, 7.5, 7.8");
    let v = TempFile::new("w1-scipy", "v", "[4.5, 1.4]");
    let uw = TempFile::new("w1-scipy", "uw", "1.4\n0.9\n3.1\n7.2\n");
    let vw = TempFile::new("w1-scipy", "vw", "3.2 3.5");
    let output = w1(
        &u,
        &v,
        &[
            "--u-weights",
            &uw.name(),
            "--v-weights",
            &vw.name(),
            "--json",
        ],
    );
    let got = stdout_json(&output)["w1"].as_f64().unwrap();
    // Reason: a sum of six gap terms, each a few roundings off.
    assert!(tol::close(got, 4.078_133_143_804_786_1), "{got}");
    // Its other two examples, exact in binary: [0, 1, 3] against [5, 6, 8]
    // gives 5; [0, 1] weighted (3, 1) against [0, 1] weighted (2, 2) gives 0.25.
    let a = TempFile::new("w1-scipy", "a", "0 1 3");
    let b = TempFile::new("w1-scipy", "b", "5 6 8");
    let got = stdout_json(&w1(&a, &b, &["--json"]))["w1"]
        .as_f64()
        .unwrap();
    assert_eq!(got, 5.0);
    let c = TempFile::new("w1-scipy", "c", "0 1");
    let cw = TempFile::new("w1-scipy", "cw", "3 1");
    let dw = TempFile::new("w1-scipy", "dw", "2 2");
    let output = w1(
        &c,
        &c,
        &[
            "--u-weights",
            &cw.name(),
            "--v-weights",
            &dw.name(),
            "--json",
        ],
    );
    assert_eq!(stdout_json(&output)["w1"].as_f64(), Some(0.25));
}

#[test]
fn cli_w1_plain_output_names_the_samples() {
    let u = TempFile::new("w1-plain", "u", "0 1");
    let v = TempFile::new("w1-plain", "v", "2");
    let vw = TempFile::new("w1-plain", "vw", "7");
    let out = stdout_text(&w1(&u, &v, &["--v-weights", &vw.name()]));
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("W1 = 1.5"));
    assert_eq!(
        lines.next(),
        Some(format!("u: {}, 2 values", u.name()).as_str())
    );
    assert_eq!(
        lines.next(),
        Some(format!("v: {}, 1 value weighted by {}", v.name(), vw.name()).as_str())
    );
}

#[test]
fn cli_w1_reads_stdin() {
    let v = TempFile::new("w1-stdin", "v", "1 2 3");
    let output = run_with_stdin(
        &["w1", "--u", "-", "--v", &v.name(), "--json"],
        b"[1, 2, 3]",
    );
    assert_eq!(stdout_json(&output)["w1"].as_f64(), Some(0.0));
    let output = run(&["w1", "--u", "-", "--v", "-"]);
    assert_refused(&output, &["--u and --v", "standard input"]);
    let output = run(&["w1", "--u", &v.name(), "--v", "-", "--v-weights", "-"]);
    assert_refused(&output, &["--v and --v-weights", "standard input"]);
}

#[test]
fn cli_w1_bad_input_names_file_and_position() {
    let good = TempFile::new("w1-bad", "good", "0.5 1.5 2.5");
    // (label, contents of u, or of u's weights when `weights`, needles)
    let cases: [(&str, &str, bool, &[&str]); 10] = [
        (
            "nan",
            "0.5\n1 nan",
            false,
            &["entry 3 (line 2, column 3)", "NaN"],
        ),
        (
            "inf",
            "0.5 inf 1",
            false,
            &["entry 2 (line 1, column 5)", "infinite"],
        ),
        ("empty", "", false, &["no numbers"]),
        (
            "word",
            "1 two 3",
            false,
            &["entry 2 (line 1, column 3)", "\"two\" is not a number"],
        ),
        (
            "negative-weight",
            "1 -1 1",
            true,
            &["entry 2 (line 1, column 3)", "negative", "-1"],
        ),
        (
            "nan-weight",
            "1 1 NaN",
            true,
            &["entry 3 (line 1, column 5)", "NaN"],
        ),
        (
            "inf-weight",
            "1e400 1 1",
            true,
            &["entry 1 (line 1, column 1)", "infinite"],
        ),
        ("zero-weights", "0 0 0", true, &["all weights are zero"]),
        (
            "short-weights",
            "1 1",
            true,
            &["has 3 values", "has 2 weights", "one weight per value"],
        ),
        ("empty-weights", "[]", true, &["no numbers"]),
    ];
    for (label, contents, weights, needles) in cases {
        let bad = TempFile::new("w1-bad", label, contents);
        let output = if weights {
            w1(&good, &good, &["--u-weights", &bad.name()])
        } else {
            w1(&bad, &good, &[])
        };
        let mut all = vec![bad.name()];
        all.extend(needles.iter().map(|s| s.to_string()));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        assert_refused(&output, &all);
    }
    let missing =
        std::env::temp_dir().join(format!("gan-theory-w1-{}-missing", std::process::id()));
    let output = run(&[
        "w1",
        "--u",
        &missing.display().to_string(),
        "--v",
        &good.name(),
    ]);
    assert_refused(&output, &[&missing.display().to_string(), "no such file"]);
}
