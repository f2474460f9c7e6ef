//! `gan-theory modes`: the JSON's metrics are what anyone recomputes from
//! the `--samples` file with the stated definition; bad input is refused.

mod common;

use common::binary::{TempFile, assert_refused, run};
use gan_theory::train::mixtures::{Mixture, evaluate};
use serde_json::Value;

/// The metrics of `samples` as the JSON's definition states them, written
/// here from that definition rather than taken from the library: each sample
/// goes to the first centre minimising `sqrt(sum_j (x_j - c_kj)^2 / s^2)`, is
/// high quality when that distance is below `radius` (strictly), a mode is
/// captured with at least `min_per_mode` high-quality samples, and the
/// reverse KL is `sum_k p_k ln(K p_k)` over the centres in order (`p_k > 0`,
/// `p_k = h_k / sum h`), with the binary's logarithm: the `libm` crate's
/// `log` (cli/src/math.rs gives the binary that one, whatever the C library).
fn recomputed(
    samples: &[[f64; 2]],
    centres: &[[f64; 2]],
    s: f64,
    radius: f64,
    min_per_mode: usize,
) -> (usize, f64, Option<f64>, Vec<usize>) {
    let variance = s * s;
    let mut counts = vec![0usize; centres.len()];
    for x in samples {
        let distances = centres.iter().map(|c| {
            let (dx, dy) = (x[0] - c[0], x[1] - c[1]);
            (dx * dx / variance + dy * dy / variance).sqrt()
        });
        let (nearest, best) =
            distances.enumerate().fold(
                (0, f64::INFINITY),
                |(k0, d0), (k, d)| if d < d0 { (k, d) } else { (k0, d0) },
            );
        if best < radius {
            counts[nearest] += 1;
        }
    }
    let total: usize = counts.iter().sum();
    let modes = counts.iter().filter(|&&h| h >= min_per_mode).count();
    let k = centres.len() as f64;
    let reverse_kl = (total > 0).then(|| {
        let mut sum = 0.0;
        for &h in counts.iter().filter(|&&h| h > 0) {
            let p = h as f64 / total as f64;
            sum += p * libm::log(k * p);
        }
        sum
    });
    (
        modes,
        total as f64 / samples.len() as f64,
        reverse_kl,
        counts,
    )
}

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
        let (modes, high_quality, reverse_kl, counts) = recomputed(
            &samples,
            &centres,
            definition["std"].as_f64().unwrap(),
            definition["high_quality_radius_sd"].as_f64().unwrap(),
            definition["min_high_quality_per_mode"].as_u64().unwrap() as usize,
        );
        let first = &report["runs"][0];
        assert_eq!(first["seed"], 0);
        assert_eq!(first["modes"].as_u64().unwrap() as usize, modes);
        assert_eq!(first["high_quality"].as_f64().unwrap(), high_quality);
        let reported: Vec<usize> = serde_json::from_value(first["counts"].clone()).unwrap();
        assert_eq!(reported, counts);
        assert!(
            reverse_kl.is_some(),
            "no high-quality sample: nothing to compare"
        );
        assert_eq!(first["reverse_kl"].as_f64(), reverse_kl, "bit for bit");
        // The library's own evaluation (this process's C library's `ln`) gives
        // the same counts.
        assert_eq!(evaluate(mixture, &samples).unwrap().counts, counts);
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
