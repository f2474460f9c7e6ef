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

/// serde_json's default parser (no `float_roundtrip` feature) may land one
/// ulp away from the decimal the binary printed (which round-trips exactly).
const JSON_PARSE_ULPS: f64 = 1.0;

/// `got` (read back from JSON) equals `want` up to the JSON parser's rounding.
fn same(got: Option<f64>, want: f64) -> bool {
    got.is_some_and(|g| (g - want).abs() <= JSON_PARSE_ULPS * tol::EPS * want.abs())
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
    assert!(same(report["w1"].as_f64(), expected), "{report}");
    assert_eq!(report.as_object().map(|o| o.len()), Some(1));
    let report = stdout_json(&w1(&u, &v, &["--v-weights", &vw.name(), "--json"]));
    let expected = w1_samples(&u_values, None, &v_values, Some(&weights)).unwrap();
    assert!(same(report["w1"].as_f64(), expected), "{report}");
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
            "0.5\n1\n  nan",
            false,
            &["index 2 (line 3, column 3)", "NaN"],
        ),
        (
            "inf",
            "0.5 inf 1",
            false,
            &["index 1 (line 1, column 5)", "infinite"],
        ),
        ("empty", "", false, &["no numbers"]),
        (
            "word",
            "1 two 3",
            false,
            &["index 1 (line 1, column 3)", "\"two\" is not a number"],
        ),
        (
            "negative-weight",
            "1 -1 1",
            true,
            &["index 1 (line 1, column 3)", "negative", "-1"],
        ),
        (
            "nan-weight",
            "1 1 NaN",
            true,
            &["index 2 (line 1, column 5)", "NaN"],
        ),
        (
            "inf-weight",
            "1e400 1 1",
            true,
            &["index 0 (line 1, column 1)", "infinite"],
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

// ------------------------------------------------------------ emd

use gan_theory::transport::{CostMatrix, EmdOptions, Metric, Points, emd, emd_with};

/// `gan-theory emd --p P --q Q` and `extra`.
fn emd_cli(p: &TempFile, q: &TempFile, extra: &[&str]) -> Output {
    let (p, q) = (p.name(), q.name());
    let mut args = vec!["emd", "--p", &p, "--q", &q];
    args.extend_from_slice(extra);
    run(&args)
}

/// A matrix as text, one row per line.
fn rows_text(rows: &[Vec<f64>]) -> String {
    rows.iter().map(|r| text(r)).collect::<Vec<_>>().join("\n")
}

fn numbers(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

#[test]
fn cli_emd_json_matches_library() {
    let p = [0.1, 0.0, 0.4, 0.5];
    let q = [0.3, 0.3, 0.4];
    let cost = cost_rows(4, 3);
    let (pf, qf) = (
        TempFile::new("emd-json", "p", text(&p)),
        TempFile::new("emd-json", "q", text(&q)),
    );
    let cf = TempFile::new("emd-json", "c", rows_text(&cost));
    let report = stdout_json(&emd_cli(&pf, &qf, &["--cost", &cf.name(), "--json"]));
    let t = emd(&p, &q, &CostMatrix::from_rows(cost.clone()).unwrap()).unwrap();
    let mut keys: Vec<&String> = report.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["cost", "plan", "u", "v"]);
    assert!(same(report["cost"].as_f64(), t.cost));
    for (key, duals) in [("u", &t.u), ("v", &t.v)] {
        let got = numbers(&report[key]);
        assert_eq!(got.len(), duals.len());
        for (g, d) in got.iter().zip(duals) {
            assert!(same(Some(*g), *d), "{key}: {g} {d}");
        }
    }
    let plan = report["plan"].as_array().unwrap();
    assert_eq!(plan.len(), t.plan.len());
    for (entry, e) in plan.iter().zip(&t.plan) {
        assert_eq!(entry[0].as_u64(), Some(e.i as u64));
        assert_eq!(entry[1].as_u64(), Some(e.j as u64));
        assert!(same(entry[2].as_f64(), e.mass), "{entry} {e:?}");
    }
    // The same matrix as JSON, the masses as JSON: the same answer.
    let cj = TempFile::new(
        "emd-json",
        "cj",
        serde_json::to_string(&cost_rows(4, 3)).unwrap(),
    );
    let pj = TempFile::new("emd-json", "pj", serde_json::to_string(&p).unwrap());
    let again = stdout_json(&emd_cli(&pj, &qf, &["--cost", &cj.name(), "--json"]));
    assert_eq!(again, report);
}

/// The cost matrix of `cli_emd_json_matches_library`.
fn cost_rows(n: usize, m: usize) -> Vec<Vec<f64>> {
    (0..n)
        .map(|i| (0..m).map(|j| ((i * 7 + j * 3) % 5) as f64 * 0.5).collect())
        .collect()
}

#[test]
fn cli_emd_points_and_metrics() {
    let xp = vec![vec![0.0, 0.0], vec![3.0, 0.0], vec![0.0, 1.0]];
    let xq = vec![vec![0.0, 4.0], vec![1.0, 1.0]];
    let (p, q) = ([0.25, 0.25, 0.5], [0.5, 0.5]);
    let pf = TempFile::new("emd-points", "p", text(&p));
    let qf = TempFile::new("emd-points", "q", format!("[{}, {}]", q[0], q[1]));
    let xpf = TempFile::new("emd-points", "xp", rows_text(&xp));
    let xqf = TempFile::new("emd-points", "xq", serde_json::to_string(&xq).unwrap());
    let (a, b) = (Points::new(xp).unwrap(), Points::new(xq).unwrap());
    for (flag, metric) in [
        (None, Metric::Euclidean),
        (Some("euclidean"), Metric::Euclidean),
        (Some("sqeuclidean"), Metric::SquaredEuclidean),
        (Some("cityblock"), Metric::Cityblock),
    ] {
        let mut args = vec![
            "--xp",
            xpf.path().to_str().unwrap(),
            "--xq",
            xqf.path().to_str().unwrap(),
            "--json",
        ];
        if let Some(flag) = flag {
            args.extend(["--metric", flag]);
        }
        let report = stdout_json(&emd_cli(&pf, &qf, &args));
        let expected = emd(&p, &q, &CostMatrix::from_points(&a, &b, metric).unwrap()).unwrap();
        assert!(same(report["cost"].as_f64(), expected.cost), "{flag:?}");
    }
}

#[test]
fn cli_emd_normalize_and_plain_output() {
    let p = TempFile::new("emd-normalize", "p", "2");
    let q = TempFile::new("emd-normalize", "q", "1 3");
    let c = TempFile::new("emd-normalize", "c", "0, 1");
    let output = emd_cli(&p, &q, &["--cost", &c.name()]);
    assert_refused(
        &output,
        &[&p.name(), &q.name(), "do not balance", "--normalize"],
    );
    let report = stdout_json(&emd_cli(
        &p,
        &q,
        &["--cost", &c.name(), "--normalize", "--json"],
    ));
    let options = EmdOptions {
        normalize: true,
        ..EmdOptions::default()
    };
    let t = emd_with(
        &[2.0],
        &[1.0, 3.0],
        &CostMatrix::from_rows(vec![vec![0.0, 1.0]]).unwrap(),
        &options,
    )
    .unwrap();
    assert!(same(report["cost"].as_f64(), t.cost));
    assert_eq!(t.cost, 0.75);
    let out = stdout_text(&emd_cli(&p, &q, &["--cost", &c.name(), "--normalize"]));
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("EMD = 0.75"));
    assert!(out.contains(&p.name()) && out.contains(&c.name()), "{out}");
    assert!(out.contains("certified"), "{out}");
    // The plan's rows count from 0, as in --json: mass 1/4 from 0 to 0, 3/4 from 0 to 1.
    let plan: Vec<Vec<f64>> = out
        .lines()
        .skip_while(|l| !l.starts_with("from p"))
        .skip(1)
        .map(|l| l.split_whitespace().map(|x| x.parse().unwrap()).collect())
        .collect();
    assert_eq!(plan, [vec![0.0, 0.0, 0.25, 0.0], vec![0.0, 1.0, 0.75, 1.0]]);
    let json_plan: Vec<Vec<f64>> = report["plan"]
        .as_array()
        .unwrap()
        .iter()
        .map(numbers)
        .collect();
    assert_eq!(
        json_plan,
        plan.iter().map(|r| r[..3].to_vec()).collect::<Vec<_>>()
    );
}

#[test]
fn cli_column_reads_one_column_of_every_vector_file() {
    // Values in column 0, weights in column 1 of the same table.
    let table = TempFile::new("w1-column", "table", "0,1\n1,3\n");
    let other = TempFile::new("w1-column", "other", "[[2, 1]]");
    let refused = w1(&table, &other, &[]);
    assert_refused(&refused, &[&table.name(), "line 1: 2 columns", "--column"]);
    let values = stdout_json(&w1(&table, &other, &["-k", "0", "-j"]));
    assert!(same(values["w1"].as_f64(), 1.5), "{values}");
    let weighted = stdout_json(&w1(
        &table,
        &other,
        &["--column", "0", "--u-weights", &table.name(), "--json"],
    ));
    // The weights file is read at column 0 too: weights 0 and 1, all mass on 1.
    assert!(same(weighted["w1"].as_f64(), 1.0), "{weighted}");
    let p = TempFile::new("emd-column", "p", "a,0.5\nb,0.5\n");
    let output = emd_cli(&p, &p, &["--cost", &table.name(), "-k", "1"]);
    assert_refused(
        &output,
        &[
            &p.name(),
            r#"index (0, 0) (line 1, column 1): "a" is not a number"#,
        ],
    );
    let p = TempFile::new("emd-column", "p2", "0,0.5\n1,0.5\n");
    let report = stdout_json(&emd_cli(&p, &p, &["-c", &table.name(), "-k", "1", "-j"]));
    assert!(same(report["cost"].as_f64(), 1.0), "{report}");
}

#[test]
fn cli_emd_bad_input_names_file_and_position() {
    let p = TempFile::new("emd-bad", "p", "0.5 0.5");
    let q = TempFile::new("emd-bad", "q", "0.25 0.75");
    let cost = TempFile::new("emd-bad", "c", "0 1\n1 0");
    let run_cost = |c: &TempFile| emd_cli(&p, &q, &["--cost", &c.name(), "--json"]);
    // (label, cost file contents, needles)
    let cost_cases: [(&str, &str, &[&str]); 7] = [
        (
            "negative",
            "0 1\n-1 0",
            &["index (1, 0) (line 2, column 1)", "negative", "-1"],
        ),
        (
            "nan",
            "0 nan\n1 0",
            &["index (0, 1) (line 1, column 3)", "NaN"],
        ),
        (
            "ragged",
            "0 1\n1",
            &["row 1 (line 2, column 1)", "ragged", "1 entry", "has 2"],
        ),
        (
            "shape",
            "0 1 2\n1 0 2",
            &["2 x 3", "one column per entry of q"],
        ),
        (
            "word",
            "0 1\n1 zero",
            &[
                "index (1, 1) (line 2, column 3)",
                "\"zero\" is not a number",
            ],
        ),
        ("empty", "\n\n", &["no numbers"]),
        (
            "json-nested",
            "[[0, 1], [1, [0]]]",
            &["index (1, 1)", "nested array"],
        ),
    ];
    for (label, contents, needles) in cost_cases {
        let c = TempFile::new("emd-bad", label, contents);
        let mut all = vec![c.name()];
        all.extend(needles.iter().map(|s| s.to_string()));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        assert_refused(&run_cost(&c), &all);
    }
    // Masses.
    let mass_cases: [(&str, &str, &[&str]); 4] = [
        (
            "neg-mass",
            "0.5 -0.5 1",
            &["index 1 (line 1, column 5)", "negative"],
        ),
        ("nan-mass", "nan 1", &["index 0 (line 1, column 1)", "NaN"]),
        (
            "inf-mass",
            "1 inf",
            &["index 1 (line 1, column 3)", "infinite"],
        ),
        ("empty-mass", "", &["no numbers"]),
    ];
    for (label, contents, needles) in mass_cases {
        let bad = TempFile::new("emd-bad", label, contents);
        let output = emd_cli(&bad, &q, &["--cost", &cost.name()]);
        let mut all = vec![bad.name()];
        all.extend(needles.iter().map(|s| s.to_string()));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        assert_refused(&output, &all);
    }
    let zeros = TempFile::new("emd-bad", "zeros", "0 0");
    assert_refused(
        &emd_cli(&zeros, &q, &["--cost", &cost.name(), "--normalize"]),
        &[&zeros.name(), "zero"],
    );
    // No feasible plan: row 0 may only go to column 0, which takes 1/4 of its 1/2.
    let forbidden = TempFile::new("emd-bad", "forbidden", "0 inf\ninf 0");
    assert_refused(
        &run_cost(&forbidden),
        &[&forbidden.name(), "no feasible transport plan"],
    );
    // Points.
    let x2 = TempFile::new("emd-bad", "x2", "0 0\n1 1");
    let point_cases: [(&str, &str, &[&str]); 4] = [
        (
            "ragged-points",
            "0 0\n1",
            &["row 1 (line 2, column 1)", "ragged"],
        ),
        (
            "nan-point",
            "0 0\n1 nan",
            &["index (1, 1) (line 2, column 3)", "NaN"],
        ),
        (
            "inf-point",
            "0 0\ninf 1",
            &["index (1, 0) (line 2, column 1)", "infinite"],
        ),
        ("dimension", "0\n1", &["dimension 1", "dimension 2"]),
    ];
    for (label, contents, needles) in point_cases {
        let bad = TempFile::new("emd-bad", label, contents);
        let output = emd_cli(&p, &q, &["--xp", &bad.name(), "--xq", &x2.name()]);
        let mut all = vec![bad.name()];
        all.extend(needles.iter().map(|s| s.to_string()));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        assert_refused(&output, &all);
    }
    let three = TempFile::new("emd-bad", "three", "0 0\n1 1\n2 2");
    assert_refused(
        &emd_cli(&p, &q, &["--xp", &three.name(), "--xq", &x2.name()]),
        &[&p.name(), &three.name(), "3 points", "one point per mass"],
    );
    let huge = TempFile::new("emd-bad", "huge", "-1e308 0\n0 0");
    let far = TempFile::new("emd-bad", "far", "1e308 0\n0 0");
    assert_refused(
        &emd_cli(&p, &q, &["--xp", &huge.name(), "--xq", &far.name()]),
        &["overflows"],
    );
    // Usage: --cost with points, points without a partner, standard input twice.
    let output = emd_cli(&p, &q, &["--cost", &cost.name(), "--xp", &x2.name()]);
    assert_refused(&output, &["--cost", "--xp"]);
    let output = emd_cli(&p, &q, &["--xp", &x2.name()]);
    assert_refused(&output, &["--xq"]);
    let output = emd_cli(&p, &q, &["--json"]);
    assert_refused(&output, &["--cost", "--xp", "required"]);
    // A metric applies to points only.
    let output = emd_cli(&p, &q, &["--cost", &cost.name(), "--metric", "cityblock"]);
    assert_refused(&output, &["--cost", "--metric"]);
    let output = run(&["emd", "--p", "-", "--q", &q.name(), "--cost", "-"]);
    assert_refused(&output, &["--p and --cost", "standard input"]);
}

/// Messages count entries and rows from 0, as `Error::index` and the plan of
/// `emd --json` do, and lines and columns from 1, as editors do.
#[test]
fn cli_messages_count_indices_from_0_and_places_from_1() {
    let stderr = |output: &Output| String::from_utf8_lossy(&output.stderr).into_owned();
    let p = TempFile::new("indices", "p", "0.5, -0.5");
    let q = TempFile::new("indices", "q", "0.5 0.5");
    let cost = TempFile::new("indices", "c", "0 1\n1 0");
    let output = emd_cli(&p, &q, &["--cost", &cost.name()]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        format!(
            "gan-theory: {}: index 1 (line 1, column 6): negative value (-0.5) is not allowed\n",
            p.name()
        )
    );
    // Row 0, index 1 within it: plan entry [0, 1] of --json would use that arc.
    let bad_cost = TempFile::new("indices", "bad-c", "0 nan\n1 0");
    let output = emd_cli(&q, &q, &["--cost", &bad_cost.name()]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        format!(
            "gan-theory: {}: index (0, 1) (line 1, column 3): NaN is not allowed\n",
            bad_cost.name()
        )
    );
    let ragged = TempFile::new("indices", "ragged", "0 1\n1");
    assert_eq!(
        stderr(&emd_cli(&q, &q, &["--cost", &ragged.name()])),
        format!(
            "gan-theory: {}: row 1 (line 2, column 1): ragged rows: this row has 1 entry but \
             row 0 has 2\n",
            ragged.name()
        )
    );
    let json = TempFile::new("indices", "json", "[0.5,\n 0.5 0]");
    assert_eq!(
        stderr(&emd_cli(&json, &q, &["--cost", &cost.name()])),
        format!(
            "gan-theory: {}: line 2, column 6: malformed JSON: expected ',' or ']' after index 1, \
             found '0'\n",
            json.name()
        )
    );
}
