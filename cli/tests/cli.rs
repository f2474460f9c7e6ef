//! The `gan-theory` binary, run as a user runs it: `divergence` against the
//! library's functions, every input format, every kind of bad input, and
//! `verify` (whatever claims are registered).

mod common;

use common::binary::{TempFile, assert_refused, divergence, run, run_with_stdin};
use gan_theory::claims;
use gan_theory::{Discrete, divergence, game, tol};
use gan_theory_cli::input::escape_controls;
use serde_json::Value;
use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// `divergence --p P --q Q --json`, then `extra`.
fn divergence_json(p: &Path, q: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["--json"];
    args.extend_from_slice(extra);
    divergence(p, q, &args)
}

fn stdout_json(output: &Output) -> Value {
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is not JSON")
}

/// A JSON value written by `claims::json_number`: a number, or "inf", "-inf", "nan".
fn number(value: &Value) -> f64 {
    match value {
        Value::String(s) if s == "inf" => f64::INFINITY,
        Value::String(s) if s == "-inf" => f64::NEG_INFINITY,
        Value::String(s) if s == "nan" => f64::NAN,
        other => other
            .as_f64()
            .unwrap_or_else(|| panic!("{other} is not a number")),
    }
}

fn assert_matches_library(report: &Value, p: &Discrete, q: &Discrete) {
    let expected = [
        ("kl_pq", divergence::kl(p, q).unwrap()),
        ("kl_qp", divergence::kl(q, p).unwrap()),
        ("js", divergence::js(p, q).unwrap()),
        ("js_bits", divergence::js_bits(p, q).unwrap()),
        ("tv", divergence::total_variation(p, q).unwrap()),
        ("chi2", divergence::chi2(p, q).unwrap()),
        ("hellinger", divergence::hellinger2(p, q).unwrap()),
        ("c_g", game::c_of_g(p, q).unwrap()),
    ];
    let object = report.as_object().expect("one JSON object");
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut wanted: Vec<&str> = expected.iter().map(|(k, _)| *k).chain(["d_star"]).collect();
    wanted.sort_unstable();
    assert_eq!(keys, wanted);
    for (key, value) in expected {
        let got = number(&report[key]);
        assert!(tol::close(got, value), "{key}: {got} against {value}");
    }
    let d_star = report["d_star"].as_array().expect("d_star is an array");
    let library = game::d_star(p, q).unwrap();
    assert_eq!(d_star.len(), library.len());
    for (got, want) in d_star.iter().zip(library) {
        match want {
            None => assert!(got.is_null(), "{got} where D* is undetermined"),
            Some(w) => assert!(tol::close(number(got), w), "D*: {got} against {w}"),
        }
    }
}

#[test]
fn cli_divergence_json_matches_library() {
    let p = TempFile::new("json", "p", "0.1 0.2 0.3 0.4");
    let q = TempFile::new("json", "q", "0.25, 0.25, 0.4, 0.1");
    let report = stdout_json(&divergence_json(p.path(), q.path(), &[]));
    let p = Discrete::new(vec![0.1, 0.2, 0.3, 0.4]).unwrap();
    let q = Discrete::new(vec![0.25, 0.25, 0.4, 0.1]).unwrap();
    assert_matches_library(&report, &p, &q);
}

#[test]
fn cli_divergence_json_writes_inf_and_null() {
    // p has mass where q has none (KL(p||q), chi2 infinite), q where p has
    // none (KL(q||p) infinite), and the last point has no mass at all.
    let p = TempFile::new("inf", "p", "0.5 0.5 0 0");
    let q = TempFile::new("inf", "q", "0 0.5 0.5 0");
    let report = stdout_json(&divergence_json(p.path(), q.path(), &[]));
    assert_eq!(report["kl_pq"], "inf");
    assert_eq!(report["kl_qp"], "inf");
    assert_eq!(report["chi2"], "inf");
    assert!(report["d_star"][3].is_null());
    let p = Discrete::new(vec![0.5, 0.5, 0.0, 0.0]).unwrap();
    let q = Discrete::new(vec![0.0, 0.5, 0.5, 0.0]).unwrap();
    assert_matches_library(&report, &p, &q);
}

#[test]
fn cli_divergence_reads_every_format() {
    let q = TempFile::new("formats", "q", "0.5 0.25 0.125 0.125");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "0.25\r\n0.25\r\n0.25\r\n0.25\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let forms: [(&str, Vec<u8>); 10] = [
        ("spaces", b"0.25 0.25 0.25 0.25".to_vec()),
        ("commas", b"0.25,0.25,0.25,0.25".to_vec()),
        ("lines", b"0.25\n0.25\n0.25\n0.25\n".to_vec()),
        ("mixed", b"  0.25,\n0.25\t\n\n2.5e-1 ,\n25e-2\n".to_vec()),
        ("crlf", b"0.25\r\n0.25\r\n0.25\r\n0.25\r\n".to_vec()),
        ("bom", b"\xEF\xBB\xBF0.25 0.25 0.25 0.25".to_vec()),
        ("json", b"[0.25, 0.25, 0.25, 0.25]".to_vec()),
        (
            "json-lines",
            b"[\n  0.25,\n  0.25,\n  0.25,\n  0.25\n]\n".to_vec(),
        ),
        (
            "json-bom-crlf",
            b"\xEF\xBB\xBF[0.25,\r\n0.25,0.25,0.25]\r\n".to_vec(),
        ),
        ("utf16", utf16),
    ];
    let p = Discrete::uniform(4).unwrap();
    let q_dist = Discrete::new(vec![0.5, 0.25, 0.125, 0.125]).unwrap();
    let mut outputs = Vec::new();
    for (label, bytes) in forms {
        let file = TempFile::new("formats", label, bytes);
        let output = divergence_json(file.path(), q.path(), &[]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{label}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_matches_library(&stdout_json(&output), &p, &q_dist);
        outputs.push((label, output.stdout));
    }
    for (label, stdout) in &outputs {
        assert_eq!(
            stdout, &outputs[0].1,
            "{label} differs from {}",
            outputs[0].0
        );
    }
}

#[test]
fn cli_divergence_reads_stdin_dash() {
    let q = TempFile::new("stdin", "q", "0.3 0.3 0.4");
    let from_stdin = run_with_stdin(
        &[
            OsStr::new("divergence"),
            "--p".as_ref(),
            "-".as_ref(),
            "--q".as_ref(),
            q.path().as_os_str(),
            "--json".as_ref(),
        ],
        b"0.1\n0.2\n0.7\n",
    );
    let p = Discrete::new(vec![0.1, 0.2, 0.7]).unwrap();
    let q_dist = Discrete::new(vec![0.3, 0.3, 0.4]).unwrap();
    assert_matches_library(&stdout_json(&from_stdin), &p, &q_dist);

    // q from stdin, in JSON, gives the same numbers as from a file.
    let p_file = TempFile::new("stdin", "p", "0.1 0.2 0.7");
    let q_from_stdin = run_with_stdin(
        &[
            OsStr::new("divergence"),
            "--p".as_ref(),
            p_file.path().as_os_str(),
            "--q".as_ref(),
            "-".as_ref(),
            "--json".as_ref(),
        ],
        b"[0.3, 0.3, 0.4]",
    );
    assert_eq!(q_from_stdin.stdout, from_stdin.stdout);

    let bad = run_with_stdin(
        &[
            OsStr::new("divergence"),
            "--p".as_ref(),
            "-".as_ref(),
            "--q".as_ref(),
            q.path().as_os_str(),
        ],
        b"0.1 0.2\n0.7 oops",
    );
    assert_refused(&bad, &["<stdin>", "index 3 (line 2, column 5)", "oops"]);
}

#[test]
fn cli_divergence_refuses_stdin_twice() {
    let output = run(&["divergence", "--p", "-", "--q", "-"]);
    assert_refused(&output, &["--p", "--q", "'-'"]);
}

#[test]
fn cli_divergence_normalize_counts() {
    // The 45 balls numbered 1..9 of BrightLamp's note (claim B4), and a uniform urn, as counts.
    let counts = [2.0, 4.0, 6.0, 8.0, 9.0, 7.0, 5.0, 3.0, 1.0];
    let p = TempFile::new("normalize", "p", "2 4 6 8 9 7 5 3 1");
    let q = TempFile::new("normalize", "q", "[5, 5, 5, 5, 5, 5, 5, 5, 5]");
    let report = stdout_json(&divergence_json(p.path(), q.path(), &["--normalize"]));
    let p_dist = Discrete::from_weights(&counts).unwrap();
    let q_dist = Discrete::uniform(9).unwrap();
    assert_matches_library(&report, &p_dist, &q_dist);

    let without = divergence_json(p.path(), q.path(), &[]);
    assert_refused(&without, &[&p.name(), "sum to 45", "--normalize"]);

    let zeros = TempFile::new("normalize", "zeros", "0 0 0 0 0 0 0 0 0");
    let output = divergence_json(zeros.path(), q.path(), &["--normalize"]);
    assert_refused(&output, &[&zeros.name(), "zero"]);
}

#[test]
fn cli_two_column_csv_is_refused_unless_a_column_is_chosen() {
    // Index and count: flattening it would read 0, 3, 1, 5, 2, 2.
    let counts = TempFile::new("columns", "counts", "0,3\n1,5\n2,2\n");
    let q = TempFile::new("columns", "q", "1\n1\n1\n");
    let refused = divergence_json(counts.path(), q.path(), &["--normalize"]);
    assert_refused(
        &refused,
        &[
            &format!("{}: line 1: 2 columns", counts.name()),
            "one number per line",
            "--column K",
        ],
    );
    // A table: --column applies to every vector file, so q is one too.
    let q_table = TempFile::new("columns", "q-table", "0 1\n1 1\n2 1\n");
    for flag in ["--column", "-k"] {
        let report = stdout_json(&divergence_json(
            counts.path(),
            q_table.path(),
            &["--normalize", flag, "1"],
        ));
        let p = Discrete::from_weights(&[3.0, 5.0, 2.0]).unwrap();
        assert_matches_library(&report, &p, &Discrete::uniform(3).unwrap());
    }
    // A column the rows lack names the file, and says it counts from 0.
    let output = divergence_json(counts.path(), q.path(), &["-n", "--column", "1"]);
    assert_refused(
        &output,
        &[
            &q.name(),
            "no column 1",
            "counted from 0",
            "every vector file",
        ],
    );
    // A bad entry in the chosen column is named by its place in the file.
    let bad = TempFile::new("columns", "bad", "0,3\n1,-5\n2,2\n");
    let output = divergence_json(bad.path(), q_table.path(), &["-n", "-k", "1"]);
    assert_refused(
        &output,
        &[&bad.name(), "index 1 (line 2, column 3)", "negative"],
    );
    // One line of several numbers is still a vector.
    let one_line = TempFile::new("columns", "one-line", "3, 5, 2");
    let report = stdout_json(&divergence_json(one_line.path(), q.path(), &["-n"]));
    let p = Discrete::from_weights(&[3.0, 5.0, 2.0]).unwrap();
    assert_matches_library(&report, &p, &Discrete::uniform(3).unwrap());
}

#[test]
fn cli_bad_entries_name_file_and_position() {
    let q = TempFile::new("entries", "q", "0.25 0.25 0.25 0.25");
    let cases: [(&str, &str, &[&str]); 11] = [
        (
            "nan",
            "0.25\n0.25\n0.25\nnan",
            &["index 3 (line 4, column 1)", "NaN"],
        ),
        (
            "negative",
            "0.5 -0.25 0.5 0.25",
            &["index 1 (line 1, column 5)", "negative", "-0.25"],
        ),
        (
            "inf",
            "0.25,inf,0.25,0.25",
            &["index 1 (line 1, column 6)", "infinite"],
        ),
        (
            "minus-inf",
            "0.25\n0.25\n\n  -inf\n0.25",
            &["index 2 (line 4, column 3)", "infinite"],
        ),
        (
            "overflow",
            "0.25 0.25 0.25 1e400",
            &["index 3 (line 1, column 16)", "infinite"],
        ),
        (
            "word",
            "0.25\n0.25\nabc\n0.25",
            &["index 2 (line 3, column 1)", "\"abc\" is not a number"],
        ),
        (
            "double-comma",
            "0.25,,0.25",
            &["index 1 (line 1, column 6)", "empty entry"],
        ),
        (
            "trailing-comma",
            "0.25, 0.25, 0.25, 0.25,",
            &["index 4 (line 1, column 23)", "empty entry"],
        ),
        (
            "json-nested",
            "[0.25, [0.25], 0.25, 0.25]",
            &["index 1 (line 1, column 8)", "nested array"],
        ),
        (
            "json-null",
            "[0.25, 0.25, null, 0.25]",
            &["index 2 (line 1, column 14)", "\"null\" is not a number"],
        ),
        (
            "json-nan",
            "[0.25,\n 0.25,\n NaN,\n 0.25]",
            &["index 2 (line 3, column 2)", "NaN"],
        ),
    ];
    for (label, text, needles) in cases {
        let p = TempFile::new("entries", label, text);
        let output = divergence_json(p.path(), q.path(), &[]);
        let mut all = vec![p.name()];
        all.extend(needles.iter().map(|s| s.to_string()));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        assert_refused(&output, &all);
        // --normalize refuses the same entries.
        let output = divergence_json(p.path(), q.path(), &["--normalize"]);
        assert_refused(&output, &all);
    }
}

#[test]
fn cli_bad_files_name_file_and_problem() {
    let q = TempFile::new("files", "q", "0.5 0.5");
    let cases: [(&str, &[u8], &[&str]); 9] = [
        ("empty", b"", &["no numbers"]),
        ("blank", b" \r\n\t\n", &["no numbers"]),
        ("json-empty", b"[ ]", &["no numbers"]),
        (
            "sum",
            b"0.333 0.666\n",
            &["sum to", "off from 1", "--normalize"],
        ),
        (
            "json-unclosed",
            b"[0.5,\n 0.5",
            &["line 2, column 5", "malformed JSON", "']'"],
        ),
        (
            "json-missing-comma",
            b"[0.5 0.5]",
            &["line 1, column 6", "malformed JSON"],
        ),
        (
            "json-object",
            b"{\"p\": [0.5, 0.5]}",
            &["line 1, column 1", "malformed JSON"],
        ),
        ("not-utf8", b"0.5 0.\xff5", &["line 1, column 7", "UTF-8"]),
        ("binary", b"0.5\x00\x00\x01", &["line 1, column 4", "NUL"]),
    ];
    for (label, bytes, needles) in cases {
        let p = TempFile::new("files", label, bytes);
        let output = divergence_json(p.path(), q.path(), &[]);
        let mut all = vec![p.name()];
        all.extend(needles.iter().map(|s| s.to_string()));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        assert_refused(&output, &all);
    }

    let missing =
        std::env::temp_dir().join(format!("gan-theory-cli-{}-missing", std::process::id()));
    let output = divergence_json(&missing, q.path(), &[]);
    assert_refused(&output, &[&missing.display().to_string(), "no such file"]);

    let directory = std::env::temp_dir();
    let output = divergence_json(&directory, q.path(), &[]);
    assert_refused(&output, &[&directory.display().to_string(), "directory"]);
}

#[test]
fn cli_length_mismatch_names_both_files() {
    let p = TempFile::new("lengths", "p", "0.2 0.3 0.5");
    let q = TempFile::new("lengths", "q", "0.5 0.5");
    let output = divergence_json(p.path(), q.path(), &[]);
    assert_refused(
        &output,
        &[
            &format!("{} has 3 entries", p.name()),
            &format!("{} has 2", q.name()),
        ],
    );
}

#[test]
fn cli_subnormal_js_is_finite_and_non_negative() {
    let p = TempFile::new("subnormal", "p", "5e-324 1");
    let q = TempFile::new("subnormal", "q", "0 1");
    let report = stdout_json(&divergence_json(p.path(), q.path(), &[]));
    let js = report["js"].as_f64().expect("js is a finite number");
    assert!(js >= 0.0);
    assert_eq!(report["kl_pq"], "inf"); // p has mass (5e-324) where q has none
    assert_eq!(report["d_star"][0].as_f64(), Some(1.0));
    let p = Discrete::new(vec![5e-324, 1.0]).unwrap();
    let q = Discrete::new(vec![0.0, 1.0]).unwrap();
    assert_matches_library(&report, &p, &q);
}

#[test]
fn cli_divergence_table_shows_library_values() {
    let p = TempFile::new("table", "p", "0.1 0.2 0.7");
    let q = TempFile::new("table", "q", "0.3 0.3 0.4");
    let output = run(&[
        OsStr::new("divergence"),
        "--p".as_ref(),
        p.path().as_os_str(),
        "--q".as_ref(),
        q.path().as_os_str(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    let p = Discrete::new(vec![0.1, 0.2, 0.7]).unwrap();
    let q = Discrete::new(vec![0.3, 0.3, 0.4]).unwrap();
    let rows = [
        ("KL(p || q)", divergence::kl(&p, &q).unwrap()),
        ("KL(q || p)", divergence::kl(&q, &p).unwrap()),
        ("JSD (nats)", divergence::js(&p, &q).unwrap()),
        ("JSD (bits)", divergence::js_bits(&p, &q).unwrap()),
        ("TV", divergence::total_variation(&p, &q).unwrap()),
        ("chi2(p || q)", divergence::chi2(&p, &q).unwrap()),
        ("Hellinger^2", divergence::hellinger2(&p, &q).unwrap()),
        ("C(G)", game::c_of_g(&p, &q).unwrap()),
    ];
    for (name, value) in rows {
        let line = text
            .lines()
            .find(|l| l.starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no row {name} in\n{text}"));
        let shown: f64 = line[name.len()..]
            .split_whitespace()
            .next()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no value in {line:?}"));
        assert!(tol::close(shown, value), "{name}: {shown} against {value}");
    }
    assert!(text.lines().any(|l| l.starts_with("D* ")), "{text}");
}

/// Whether a verify row's `passed` agrees with its numbers and comparison.
fn recomputed_pass(row: &Value) -> bool {
    let measured = number(&row["measured"]);
    let expected = number(&row["expected"]);
    let tolerance = number(&row["tolerance"]);
    !measured.is_nan()
        && match row["comparison"].as_str() {
            Some("within") => {
                (measured.is_infinite() && measured == expected)
                    || (measured - expected).abs() <= tolerance
            }
            Some("at_most") => measured <= expected + tolerance,
            Some("at_least") => measured >= expected - tolerance,
            None => {
                let between = &row["comparison"]["between"];
                let (low, high) = (number(&between["low"]), number(&between["high"]));
                assert!(low <= expected && expected <= high, "{row}");
                low <= measured && measured <= high
            }
            other => panic!("unknown comparison {other:?}"),
        }
}

#[test]
fn cli_verify_json_rows_and_exit_code() {
    let output = run(&["verify", "--json"]);
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("verify --json is JSON");
    let rows = report.as_array().expect("verify --json is an array");
    for row in rows {
        for key in [
            "id",
            "claim",
            "proof",
            "quantity",
            "measured",
            "expected",
            "tolerance",
            "comparison",
            "passed",
            "error",
        ] {
            assert!(row.get(key).is_some(), "row without {key}: {row}");
        }
        let passed = row["passed"].as_bool().expect("passed is a boolean");
        if row["error"].is_null() {
            assert_eq!(passed, recomputed_pass(row), "{row}");
        } else {
            assert!(row["error"].is_string() && !passed, "{row}");
        }
    }
    // Every registered claim has at least one row, and nothing else has one.
    let registered: Vec<&str> = claims::all().iter().map(|c| c.id).collect();
    let mut reported: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    reported.dedup();
    assert_eq!(reported, registered);

    let all_passed = rows.iter().all(|r| r["passed"] == true);
    assert_eq!(output.status.code(), Some(if all_passed { 0 } else { 1 }));
}

#[test]
fn cli_verify_table_summary_counts_claims() {
    let output = run(&["verify", "--seed", "7"]);
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let summary = lines[lines.len() - 2];
    let json = run(&["verify", "--seed", "7", "--json"]);
    let rows: Vec<Value> = serde_json::from_slice(&json.stdout).unwrap();
    let registered = claims::all();
    let passed = registered
        .iter()
        .filter(|c| {
            rows.iter()
                .filter(|r| r["id"] == c.id)
                .all(|r| r["passed"] == true)
        })
        .count();
    assert!(
        summary.starts_with(&format!("{passed} of {} claims passed", registered.len())),
        "{summary:?}"
    );
    assert_eq!(
        output.status.code(),
        Some(if passed == registered.len() { 0 } else { 1 })
    );
    assert_eq!(output.status.code(), json.status.code());
    // The last line states the run's false-alarm probability: the sum of
    // the rows' rates, which --json gives row by row.
    let total: f64 = rows
        .iter()
        .map(|r| r["false_alarm"].as_f64().unwrap())
        .sum();
    let last = lines[lines.len() - 1];
    assert!(
        last.starts_with("false-alarm probability of this run: ") && last.contains("budget 0.001"),
        "{last:?}"
    );
    let stated: f64 = last
        .trim_start_matches("false-alarm probability of this run: ")
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (stated - total).abs() <= 1e-3 * total.max(1e-12),
        "{stated} against {total}"
    );
}

/// `verify --seeds A..B` runs every claim for each seed from A to B: its
/// counts agree with one `verify --json` per seed.
#[test]
fn cli_verify_seeds_counts_failing_runs_per_claim() {
    let sweep = run(&["verify", "--seeds", "3..4", "--json"]);
    assert!(sweep.stderr.is_empty(), "{sweep:?}");
    let sweep: Value = serde_json::from_slice(&sweep.stdout).unwrap();
    assert_eq!(sweep["runs"], 2);
    assert_eq!(sweep["first_seed"], 3);
    assert_eq!(sweep["last_seed"], 4);
    let counts = sweep["claims"].as_array().unwrap();
    assert_eq!(counts.len(), claims::all().len());
    let mut failing_runs = 0;
    for seed in [3u64, 4] {
        let rows: Vec<Value> = serde_json::from_slice(
            &run(&[
                "verify",
                "--no-report",
                "--json",
                "--seed",
                &seed.to_string(),
            ])
            .stdout,
        )
        .unwrap();
        let mut run_failed = false;
        for count in counts {
            let failed_here = rows
                .iter()
                .filter(|r| r["id"] == count["id"])
                .any(|r| r["passed"] != true);
            let listed = count["failed_seeds"]
                .as_array()
                .unwrap()
                .contains(&Value::from(seed));
            assert_eq!(failed_here, listed, "{} seed {seed}", count["id"]);
            run_failed |= failed_here;
        }
        failing_runs += u64::from(run_failed);
    }
    assert_eq!(sweep["runs_failed"], failing_runs);
    // Seeds from A to B with A > B, or not a range, are a usage error.
    for bad in ["4..3", "3", "x..4"] {
        let refused = run(&["verify", "--seeds", bad]);
        assert_eq!(refused.status.code(), Some(2), "{bad}");
        assert!(refused.stdout.is_empty());
    }
}

#[test]
fn cli_verify_prints_one_line_per_claim_and_every_measurement_with_detail() {
    let registered = claims::all();
    let output = run(&["verify", "--no-report"]);
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // A header, one line per claim, the summary, the false-alarm line.
    assert_eq!(lines.len(), registered.len() + 3, "{text}");
    assert!(lines[0].starts_with("id  claim"), "{text}");
    for (claim, line) in registered.iter().zip(&lines[1..]) {
        assert!(line.starts_with(&format!("{} ", claim.id)), "{line:?}");
        assert!(line.contains(" ok ") || line.contains(" FAIL "), "{line:?}");
        let margin = line.split_whitespace().last().unwrap();
        assert!(margin == "-" || margin.parse::<f64>().is_ok(), "{line:?}");
    }
    let detail = run(&["verify", "--no-report", "-d"]);
    assert_eq!(detail.status.code(), output.status.code());
    let detail = String::from_utf8(detail.stdout).unwrap();
    assert!(detail.lines().count() > lines.len(), "{detail}");
    assert!(
        detail.lines().next().unwrap().contains("margin"),
        "{detail}"
    );
    // A1's variance ratio is accepted in an interval, shown as one.
    let json: Vec<Value> =
        serde_json::from_slice(&run(&["verify", "--no-report", "-j"]).stdout).unwrap();
    let between: Vec<&Value> = json
        .iter()
        .filter(|row| row["comparison"].get("between").is_some())
        .collect();
    assert!(!between.is_empty(), "no two-sided measurement");
    // The detail view prints numbers short (6 significant digits, or 4 with an
    // exponent below 1e-3), so each interval is read back from the text and
    // matched to its row's ends to the printed precision.
    let shown: Vec<(f64, f64)> = detail
        .split("in [")
        .skip(1)
        .filter_map(|rest| {
            let (low, rest) = rest.split_once(", ")?;
            let (high, _) = rest.split_once(']')?;
            Some((low.trim().parse().ok()?, high.trim().parse().ok()?))
        })
        .collect();
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-3 * a.abs().max(b.abs()) + 1e-300;
    for row in between {
        let interval = &row["comparison"]["between"];
        let low = interval["low"].as_f64().unwrap();
        let high = interval["high"].as_f64().unwrap();
        assert!(
            shown.iter().any(|&(l, h)| close(l, low) && close(h, high)),
            "[{low}, {high}] not shown in\n{detail}"
        );
    }
}

#[test]
fn cli_no_argument_runs_verify() {
    let bare = run::<&str>(&[]);
    let verify = run(&["verify"]);
    assert_eq!(bare.status.code(), verify.status.code());
    assert_eq!(bare.stdout, verify.stdout);
    assert!(String::from_utf8_lossy(&bare.stdout).contains("claims passed"));
}

#[test]
fn cli_closed_stdout_is_quiet() {
    // D* alone is about 2 MB of JSON: far more than a pipe holds, so the
    // binary writes into a pipe whose reader has gone.
    const ENTRIES: usize = 100_000;
    let uniform = vec!["1e-5"; ENTRIES].join("\n");
    let p = TempFile::new("pipe", "p", &uniform);
    let q = TempFile::new("pipe", "q", &uniform);
    let mut child = Command::new(env!("CARGO_BIN_EXE_gan-theory"))
        .args([
            OsStr::new("divergence"),
            "--p".as_ref(),
            p.path().as_os_str(),
            "--q".as_ref(),
            q.path().as_os_str(),
            "--json".as_ref(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn cli_usage_errors_exit_2() {
    let cases: [(&[&str], &[&str]); 6] = [
        (
            &["divergence", "--p", "x.txt"],
            &[
                "required arguments were not provided: --q <FILE>",
                "(see gan-theory divergence --help)",
            ],
        ),
        (&["divergence"], &["not provided: --p <FILE>, --q <FILE>"]),
        // The "did you mean" tip is folded into the line.
        (
            &["divergenc", "--p", "x.txt", "--q", "y.txt"],
            &[
                "unrecognized subcommand 'divergenc'",
                "'divergence'",
                "(see gan-theory --help)",
            ],
        ),
        (&["verify", "--sed", "3"], &["'--sed'", "'--seed'"]),
        (
            &["verify", "--seed", "x"],
            &["'x'", "--seed", "whole number"],
        ),
        (
            &["verify", "--seed", "-1"],
            &["'-1'", "--seed", "whole number"],
        ),
    ];
    for (args, needles) in cases {
        assert_refused(&run(args), needles);
    }
}

#[test]
fn cli_usage_errors_escape_what_was_typed() {
    assert_refused(
        &run(&["verify", "--seed", "1\n2\u{1b}[31m"]),
        &[r"'1\n2\u{1b}[31m'"],
    );
    assert_refused(&run(&["--bo\rgus"]), &[r"'--bo\rgus'"]);
}

#[test]
fn cli_help_and_version_print_to_stdout() {
    for args in [
        &["--help"][..],
        &["help"],
        &["help", "divergence"],
        &["verify", "-h"],
    ] {
        let output = run(args);
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        assert!(output.stderr.is_empty(), "{args:?}");
        let help = String::from_utf8_lossy(&output.stdout);
        assert!(help.contains("Usage: gan-theory"), "{help}");
    }
    // The main help says how indices and places in a file are counted.
    let help = String::from_utf8_lossy(&run(&["--help"]).stdout).into_owned();
    for needle in [
        "Indices count from 0 everywhere",
        "lines and columns of a file count from 1",
        "`index 1 (line 1, column 6)`",
        "`index (0, 2) (line 1, column 5)`",
    ] {
        assert!(help.contains(needle), "{needle:?} not in {help}");
    }
    let output = run(&["--version"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("gan-theory {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn cli_file_names_with_control_characters_stay_on_one_line() {
    let p = TempFile::new("names", "p\nline\tbreak", "abc");
    let q = TempFile::new("names", "q\u{1b}[2J", "0.5 0.5");
    let shown = |file: &TempFile| escape_controls(&file.name()).into_owned();
    let output = divergence_json(p.path(), q.path(), &[]);
    assert_refused(&output, &[&shown(&p), "p\\nline\\tbreak", "not a number"]);
    // The table's heading names them the same way.
    let output = run(&[
        OsStr::new("divergence"),
        "--p".as_ref(),
        q.path().as_os_str(),
        "--q".as_ref(),
        q.path().as_os_str(),
    ]);
    let table = String::from_utf8_lossy(&output.stdout);
    let heading = table.lines().next().unwrap_or_default();
    assert!(heading.contains(r"q\u{1b}[2J"), "{heading:?}");
    assert!(!table.contains('\u{1b}'), "{table:?}");
}

#[test]
fn cli_old_mac_line_endings_count_lines() {
    let q = TempFile::new("mac", "q", "0.5 0.5 0");
    let p = TempFile::new("mac", "p", "0.5\r0.5\r0.x\r");
    let output = divergence_json(p.path(), q.path(), &[]);
    assert_refused(
        &output,
        &[&p.name(), "index 2 (line 3, column 1)", "\"0.x\""],
    );
}

#[test]
fn cli_endless_binary_input_is_refused_at_once() {
    let q = TempFile::new("zero", "q", "0.5 0.5");
    let zero = Path::new("/dev/zero");
    if zero.exists() {
        let output = divergence_json(zero, q.path(), &[]);
        assert_refused(&output, &["/dev/zero", "line 1, column 1", "NUL"]);
    }
}
