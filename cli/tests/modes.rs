//! `gan-theory modes`: the JSON's metrics are what anyone recomputes from
//! the `--samples` file with the stated definition; bad input is refused.

mod common;

use common::binary::{TempFile, assert_refused, run};
use gan_theory::train::mixtures::{Mixture, evaluate};
use serde_json::Value;

/// 25 terms of at most `ln 25` each, each off by at most 1 ulp of `ln`, plus
/// the sum's own rounding (25 more): 50 ulps of `ln 25`.
const KL_ULPS: f64 = 50.0;

#[test]
fn metrics_recomputed_from_the_samples_file_match_exactly() {
    let file = TempFile::new("modes", "samples.csv", "");
    for (data, mixture) in [("ring", Mixture::Ring), ("grid", Mixture::Grid)] {
        let args = [
            "modes",
            "--data",
            data,
            "--method",
            "r1",
            "--seeds",
            "2",
            "--steps",
            "40",
            "--samples",
            file.path().to_str().unwrap(),
            "--json",
        ];
        let output = run(&args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        let text = std::fs::read_to_string(file.path()).unwrap();
        let samples: Vec<[f64; 2]> = text
            .lines()
            .map(|line| {
                let (x, y) = line.split_once(',').unwrap();
                [x.parse().unwrap(), y.parse().unwrap()]
            })
            .collect();
        let definition = &report["definition"];
        assert_eq!(
            samples.len() as u64,
            definition["samples"].as_u64().unwrap()
        );
        assert_eq!(definition["std"].as_f64().unwrap(), mixture.sd());
        let centres: Vec<[f64; 2]> = serde_json::from_value(definition["centres"].clone()).unwrap();
        assert_eq!(centres, mixture.centres());
        let m = evaluate(mixture, &samples).unwrap();
        let first = &report["runs"][0];
        assert_eq!(first["seed"], 0);
        assert_eq!(first["modes"].as_u64().unwrap(), m.modes as u64);
        assert_eq!(first["high_quality"].as_f64().unwrap(), m.high_quality);
        let counts: Vec<usize> = serde_json::from_value(first["counts"].clone()).unwrap();
        assert_eq!(counts, m.counts);
        // The counts fix the reverse KL; only `ln`'s last place may differ
        // between the binary's libm and this process's C library: at most
        // 1 ulp per term, relative to the largest term's magnitude, summed
        // over at most 25 terms.
        let (kl, ours) = (first["reverse_kl"].as_f64().unwrap(), m.reverse_kl.unwrap());
        assert!(
            (kl - ours).abs() <= KL_ULPS * f64::EPSILON * 25f64.ln(),
            "{kl} vs {ours}"
        );
        assert_eq!(report["runs"].as_array().unwrap().len(), 2);
        assert_eq!(
            (report["data"].as_str(), report["method"].as_str()),
            (Some(data), Some("r1"))
        );
        // Same seed, same bytes.
        assert_eq!(run(&args).stdout, output.stdout);
    }
}

#[test]
fn modes_refuses_bad_input() {
    assert_refused(
        &run(&["modes", "--data", "ring", "--method", "r1", "--seeds", "0"]),
        &["--seeds"],
    );
    assert_refused(
        &run(&["modes", "--data", "spiral", "--method", "r1"]),
        &["spiral"],
    );
    assert_refused(
        &run(&["modes", "--data", "ring", "--method", "lsgan"]),
        &["lsgan"],
    );
    assert_refused(
        &run(&[
            "modes", "--data", "ring", "--method", "gan", "--steps", "-3",
        ]),
        &["-3"],
    );
    assert_refused(
        &run(&[
            "modes",
            "--data",
            "ring",
            "--method",
            "gan",
            "--steps",
            "1",
            "--samples",
            "/nonexistent/dir/x.csv",
        ]),
        &["--samples"],
    );
}

#[test]
fn modes_prints_a_table() {
    let output = run(&[
        "modes", "--data", "ring", "--method", "ns-gan", "--steps", "20",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with("ns-gan on the ring (8 modes), 20 iterations"),
        "{text}"
    );
    assert!(text.contains("mean over 1 seeds"), "{text}");
}
