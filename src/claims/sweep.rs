//! How many failing seeds a sweep over many seeds may show before it is
//! evidence against a claim: `gan-theory verify --seeds A..B` runs every
//! claim once per seed and compares each claim's count of failing runs with
//! [`allowed_failures`].

use statrs::distribution::{Binomial, DiscreteCDF};

/// The probability with which a sweep calls a right claim wrong: a claim
/// fails the sweep only when its count of failing runs has, under its stated
/// per-run rate, a tail probability below this.
pub const SWEEP_LEVEL: f64 = 1e-3;

/// The largest number of failing runs out of `runs` independent runs that a
/// claim with per-run false-alarm probability `false_alarm` shows with
/// probability at least `1 - level`: the smallest `k` with
/// `P(Binomial(runs, false_alarm) > k) <= level`. A deterministic check
/// (`false_alarm = 0`) may fail no run.
///
/// Runs with different seeds draw independent instances, so the count of
/// false alarms is binomial; where a claim's rows are not independent of one
/// another, its per-run rate is still a union bound, which only makes the
/// binomial law an overestimate of the failures and `k` conservative.
///
/// ```
/// use gan_theory::claims::sweep::allowed_failures;
/// assert_eq!(allowed_failures(1000, 0.0, 1e-3), 0);
/// // 1000 runs at 1e-3 each: one false alarm is expected; P(X > 4) = 3.6e-3, P(X > 5) = 5.9e-4.
/// assert_eq!(allowed_failures(1000, 1e-3, 1e-3), 5);
/// ```
pub fn allowed_failures(runs: u64, false_alarm: f64, level: f64) -> u64 {
    if runs == 0 || false_alarm <= 0.0 {
        return 0;
    }
    if false_alarm >= 1.0 {
        return runs;
    }
    let Ok(law) = Binomial::new(false_alarm, runs) else {
        return runs;
    };
    // P(X > k) falls with k; the first k at or below the level. The tail is
    // computed with an absolute rounding error of a few EPS (1 - 0.999
    // comes out as 1.0000000000000009e-3 for one run at 1e-3), which must
    // not turn a tail equal to the level into one above it.
    (0..=runs)
        .find(|&k| law.sf(k) <= level + 4.0 * f64::EPSILON)
        .unwrap_or(runs)
}

#[cfg(test)]
mod tests {
    use super::allowed_failures;

    #[test]
    fn allowances_are_binomial_upper_quantiles() {
        assert_eq!(allowed_failures(0, 0.5, 1e-3), 0);
        assert_eq!(allowed_failures(3000, 0.0, 1e-3), 0);
        // One run at rate 1e-3: P(X > 0) = 1e-3 <= level, so none allowed.
        assert_eq!(allowed_failures(1, 1e-3, 1e-3), 0);
        // P(X > 0) = 1 - (1 - p)^n for n = 10, p = 1e-3: 9.96e-3 > 1e-3,
        // P(X > 1) = 4.5e-5 <= 1e-3.
        assert_eq!(allowed_failures(10, 1e-3, 1e-3), 1);
        // 1000 runs at 1e-3: Poisson-like with mean 1; P(X > 4) = 3.6e-3
        // and P(X > 5) = 5.9e-4 (computed independently by summing the
        // binomial terms exactly in Python).
        assert_eq!(allowed_failures(1000, 1e-3, 1e-3), 5);
        assert_eq!(allowed_failures(5, 1.0, 1e-3), 5);
    }
}
