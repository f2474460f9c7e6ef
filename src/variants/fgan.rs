//! f-divergences and the f-GAN's variational bound (Nowozin, Cseke and Tomioka 2016).
//!
//! Serves claim [D5](crate::proofs::d5_f_gan).
//!
//! For a convex, lower semicontinuous `f: [0, inf) -> R` the f-divergence of two
//! distributions on a finite support is
//!
//! ```text
//! D_f(P || Q) = sum_x q(x) f(p(x) / q(x))
//! ```
//!
//! with the conventions of the standard definition: a point with
//! `p = q = 0` contributes 0, a point with `p = 0 < q` contributes `q f(0)`,
//! and a point with `q = 0 < p` contributes `p f'(inf)`, where
//! `f'(inf) = lim_{u -> inf} f(u) / u` (which may be `+inf`). With the convex
//! conjugate `f*(t) = sup_u (t u - f(u))`, every vector `T` over the points gives
//! the lower bound (Fenchel-Young, term by term)
//!
//! ```text
//! D_f(P || Q) >= E_P[T] - E_Q[f*(T)],      with equality at T* = f'(p / q).
//! ```
//!
//! [`FDivergence`] lists the eight rows of the paper's Tables 1 and 2 (with the
//! output activations `g_f` of its Table 2):
//!
//! | divergence | f(u) | f*(t) | dom f* | g_f(v) | D_f |
//! |---|---|---|---|---|---|
//! | KL | u ln u | e^(t-1) | R | v | KL(P ‖ Q) |
//! | reverse KL | -ln u | -1 - ln(-t) | t < 0 | -e^(-v) | KL(Q ‖ P) |
//! | Pearson chi2 | (u - 1)^2 | t^2/4 + t | R | v | sum (p - q)^2 / q |
//! | Neyman chi2 | (1 - u)^2 / u | 2 - 2 sqrt(1 - t) | t <= 1 | 1 - e^(-v) | sum (p - q)^2 / p |
//! | squared Hellinger | (sqrt u - 1)^2 | t / (1 - t) | t < 1 | 1 - e^(-v) | sum (sqrt p - sqrt q)^2 |
//! | Jensen-Shannon | u ln u - (u + 1) ln((1 + u)/2) | -ln(2 - e^t) | t < ln 2 | ln 2 - ln(1 + e^(-v)) | 2 JSD(P ‖ Q) |
//! | GAN | u ln u - (u + 1) ln(1 + u) | -ln(1 - e^t) | t < 0 | -ln(1 + e^(-v)) | 2 JSD - ln 4 |
//! | total variation | abs(u - 1) / 2 | t | abs(t) <= 1/2 | tanh(v) / 2 | TV(P, Q) |
//!
//! Two rows deserve a remark. The squared Hellinger of the paper has no factor
//! 1/2, so its `D_f` is twice [`divergence::hellinger2`](crate::divergence::hellinger2);
//! the Jensen-Shannon `f` gives `2 JSD` with JSD as in
//! [`divergence::js`](crate::divergence::js). The GAN's `f` has `f(1) = -ln 4`,
//! not 0: `D_GAN(P || P) = -ln 4`, so it is an f-divergence only up to that
//! constant, and its `D_f` is exactly Goodfellow's `C(G)`.
//!
//! The table's `f*` for Pearson and total variation is the conjugate of `f`
//! continued to all of R by the same formula (`(u - 1)^2`, `abs(u - 1)/2`), not
//! of `f` on `u >= 0`: the conjugate over `u >= 0` alone is `-1` for `t < -2`
//! (Pearson) and `max(t, -1/2)` for `t <= 1/2` (TV), smaller than the table's.
//! Both give valid lower bounds, tight at the same `T*` (whose values, in
//! `f'([0, inf])`, stay where the two agree); this module implements the
//! table's, as the f-GAN trains with it. For the other six rows every `t` in
//! the domain is `f'(u)` for some `u > 0`, and the two notions coincide.
//!
//! Numerics: every function here is total on the extended reals. `f` is
//! `+inf` for `u < 0`, `f*` is `+inf` outside its domain; NaN in gives NaN
//! out, and nothing else gives NaN. `f*` never overflows to NaN (KL's
//! `e^(t-1)` overflows to `+inf`, its true value); the JS and GAN rows go
//! through `ln_1p`, `exp_m1` and `ln_share`, so tiny, subnormal and huge
//! arguments keep their relative accuracy. [`FDivergence::activated_conjugate`]
//! gives `f*(g_f(v))` in closed form, finite for every finite `v` where its
//! value is (it overflows only beyond `f64::MAX`), also where the
//! composition of the two `f64` functions would round `g_f(v)` onto the
//! boundary of the domain (for example reverse KL's `-e^(-v) = -0` for
//! `v > 745`).
//!
//! # Example
//! ```
//! use gan_theory::Discrete;
//! use gan_theory::variants::fgan::FDivergence;
//! let p = Discrete::new(vec![0.5, 0.5, 0.0])?;
//! let q = Discrete::new(vec![0.25, 0.25, 0.5])?;
//! let kl = FDivergence::KullbackLeibler;
//! assert!((kl.divergence(&p, &q)? - 2f64.ln()).abs() < 1e-15);
//! // The bound is tight at T* = f'(p/q):
//! let t_star = kl.optimal_critic(&p, &q)?;
//! assert!((kl.variational_bound(&p, &q, &t_star)? - 2f64.ln()).abs() < 1e-15);
//! # Ok::<(), gan_theory::Error>(())
//! ```

use crate::error::{Error, Result, check_same_length};
use crate::measure::{Discrete, same_len};
use crate::numeric::{CompensatedSum, ln_share, softplus, x_ln_x_over_y};
use std::f64::consts::LN_2;

/// `ln 2 - LN_2`: the part of ln 2 that `f64` rounds away (ln 2 =
/// 0.69314718055994530941..., `LN_2` = 0.69314718055994528622...). The JS
/// conjugate's domain ends at the true ln 2, just above `LN_2`.
const LN_2_LOW: f64 = 2.319_046_813_846_299_6e-17;

/// Where the JS conjugate switches from `-ln_1p(-(e^t - 1))` (below, where
/// `e^t - 1 <= 1/2`) to the form through `t - ln 2` (near the domain's end,
/// where the value is at least 0.67 and `-ln 2 + ...` cancels nothing).
const JS_CONJUGATE_SPLIT: f64 = 0.4;

/// `1 - EPS/2`, the largest `f64` below 1: Hellinger's `T*` where
/// `1 - sqrt(q/p)` would round onto the open end of its domain.
const ONE_BELOW: f64 = 1.0 - f64::EPSILON / 2.0;

/// One row of the f-GAN table: a generator function `f` with its derivative,
/// conjugate, conjugate domain and output activation.
///
/// Checked by claim [D5](crate::proofs::d5_f_gan).
///
/// # Example
/// ```
/// use gan_theory::{Discrete, divergence::{js, kl}, variants::fgan::FDivergence};
/// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
/// let q = Discrete::new(vec![0.2, 0.3, 0.5])?;
/// // D_f(P || Q) = sup_T E_P T - E_Q f*(T), attained at T* = f'(p/q), for every row.
/// for f in FDivergence::ALL {
///     let d_f = f.divergence(&p, &q)?;
///     let tight = f.variational_bound(&p, &q, &f.optimal_critic(&p, &q)?)?;
///     assert!((tight - d_f).abs() < 1e-12, "{}", f.name());
/// }
/// assert!((FDivergence::KullbackLeibler.divergence(&p, &q)? - kl(&p, &q)?).abs() < 1e-15);
/// // The GAN's row: 2 JSD - ln 4, Goodfellow's C(G).
/// let gan = FDivergence::Gan.divergence(&p, &q)?;
/// assert!((gan - (2.0 * js(&p, &q)? - 4f64.ln())).abs() < 1e-15);
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FDivergence {
    /// `f(u) = u ln u`: `D_f = KL(P || Q)`.
    KullbackLeibler,
    /// `f(u) = -ln u`: `D_f = KL(Q || P)`.
    ReverseKl,
    /// `f(u) = (u - 1)^2`: Pearson's chi2, `sum (p - q)^2 / q`.
    Pearson,
    /// `f(u) = (1 - u)^2 / u`: Neyman's chi2, `sum (p - q)^2 / p`.
    Neyman,
    /// `f(u) = (sqrt u - 1)^2`: squared Hellinger without the 1/2, `sum (sqrt p - sqrt q)^2`.
    SquaredHellinger,
    /// `f(u) = u ln u - (u + 1) ln((1 + u)/2)`: `2 JSD(P || Q)`.
    JensenShannon,
    /// `f(u) = u ln u - (u + 1) ln(1 + u)`: `2 JSD(P || Q) - ln 4`, Goodfellow's `C(G)`.
    Gan,
    /// `f(u) = abs(u - 1) / 2`: total variation `sum abs(p - q) / 2`.
    TotalVariation,
}

/// An interval of the extended real line, each end open or closed: the
/// domain of a conjugate `f*` (where it is finite).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Domain {
    /// Lower end (`-inf` when unbounded below).
    pub low: f64,
    /// Upper end (`+inf` when unbounded above).
    pub high: f64,
    /// Whether `low` itself belongs to the domain.
    pub low_closed: bool,
    /// Whether `high` itself belongs to the domain.
    pub high_closed: bool,
}

impl Domain {
    /// Whether `t` lies in the interval (NaN never does), comparing with the
    /// `f64` ends as stored. The JS row's end is ln 2, stored as `LN_2`, the
    /// `f64` just below it; [`FDivergence::in_conjugate_domain`] is the exact test.
    pub fn contains(&self, t: f64) -> bool {
        let above_low = if self.low_closed {
            t >= self.low
        } else {
            t > self.low
        };
        let below_high = if self.high_closed {
            t <= self.high
        } else {
            t < self.high
        };
        above_low && below_high
    }
}

impl FDivergence {
    /// The eight rows, in the paper's order.
    pub const ALL: [FDivergence; 8] = [
        FDivergence::KullbackLeibler,
        FDivergence::ReverseKl,
        FDivergence::Pearson,
        FDivergence::Neyman,
        FDivergence::SquaredHellinger,
        FDivergence::JensenShannon,
        FDivergence::Gan,
        FDivergence::TotalVariation,
    ];

    /// A short name ("KL", "reverse KL", ...).
    pub fn name(self) -> &'static str {
        match self {
            FDivergence::KullbackLeibler => "KL",
            FDivergence::ReverseKl => "reverse KL",
            FDivergence::Pearson => "Pearson chi2",
            FDivergence::Neyman => "Neyman chi2",
            FDivergence::SquaredHellinger => "squared Hellinger",
            FDivergence::JensenShannon => "Jensen-Shannon",
            FDivergence::Gan => "GAN",
            FDivergence::TotalVariation => "total variation",
        }
    }

    /// The generator function `f(u)` for `u >= 0`, `+inf` for `u < 0` (the
    /// usual extension of a convex function off its domain); `f(0)` and
    /// `f(+inf)` are the limits (`+inf` for reverse KL and Neyman at 0,
    /// `-inf` for the GAN at `+inf`).
    ///
    /// `f(1) = 0` for every row except the GAN's, where `f(1) = -ln 4`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::fgan::FDivergence;
    /// assert_eq!(FDivergence::KullbackLeibler.f(1.0), 0.0);
    /// assert!((FDivergence::Gan.f(1.0) + 4f64.ln()).abs() < 1e-15);
    /// assert_eq!(FDivergence::Neyman.f(0.0), f64::INFINITY);
    /// ```
    pub fn f(self, u: f64) -> f64 {
        if u.is_nan() {
            return u;
        }
        if u < 0.0 {
            return f64::INFINITY;
        }
        match self {
            FDivergence::KullbackLeibler => {
                if u == 0.0 {
                    0.0
                } else {
                    u * u.ln()
                }
            }
            FDivergence::ReverseKl => -u.ln(),
            FDivergence::Pearson => (u - 1.0) * (u - 1.0),
            // (1 - u) ((1 - u) / u): (1 - u)^2 would overflow for u > 1e154
            // where the value, about u, does not.
            FDivergence::Neyman => {
                if u.is_infinite() {
                    u
                } else {
                    (1.0 - u) * ((1.0 - u) / u)
                }
            }
            FDivergence::SquaredHellinger => {
                // (sqrt u - 1)^2 = ((u - 1) / (sqrt u + 1))^2, exact near u = 1.
                let d = (u - 1.0) / (u.sqrt() + 1.0);
                if u.is_infinite() { u } else { d * d }
            }
            FDivergence::JensenShannon => {
                if u.is_infinite() {
                    u
                } else {
                    // q f(p/q) with q = 1 is the JS term p ln(2p/(p+q)) + q ln(2q/(p+q)).
                    crate::divergence::js_term(u, 1.0)
                }
            }
            FDivergence::Gan => {
                if u.is_infinite() {
                    // u ln(u/(1+u)) -> -1 and -ln(1+u) -> -inf.
                    return f64::NEG_INFINITY;
                }
                // u ln(u/(1+u)) + ln(1/(1+u)).
                let left = if u == 0.0 { 0.0 } else { u * ln_share(u, 1.0) };
                left + ln_share(1.0, u)
            }
            FDivergence::TotalVariation => 0.5 * (u - 1.0).abs(),
        }
    }

    /// The derivative `f'(u)` for `u >= 0` (`f'(0)` and `f'(+inf)` as limits;
    /// `f'(+inf) = lim f(u)/u` is the slope [`Self::divergence`] charges where
    /// `q = 0 < p`). NaN for NaN and for `u < 0` (f is not differentiable
    /// there: it is `+inf`).
    ///
    /// Total variation is not differentiable at `u = 1`; there this returns
    /// the subgradient 0, the midpoint of `[-1/2, 1/2]`, so that `T* = 0`
    /// where `p = q` (any point of that interval satisfies the Fenchel
    /// equality and makes the bound tight).
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::fgan::FDivergence;
    /// assert_eq!(FDivergence::Gan.derivative(1.0), 0.5f64.ln());
    /// assert_eq!(FDivergence::TotalVariation.derivative(1.0), 0.0);
    /// assert_eq!(FDivergence::Neyman.derivative(f64::INFINITY), 1.0);
    /// ```
    pub fn derivative(self, u: f64) -> f64 {
        if u.is_nan() || u < 0.0 {
            return f64::NAN;
        }
        match self {
            FDivergence::KullbackLeibler => 1.0 + u.ln(),
            FDivergence::ReverseKl => -1.0 / u,
            FDivergence::Pearson => 2.0 * (u - 1.0),
            FDivergence::Neyman => {
                if u.is_infinite() {
                    return 1.0;
                }
                // 1 - 1/u^2 = ((u - 1)/u) ((u + 1)/u): accurate near u = 1.
                ((u - 1.0) / u) * ((u + 1.0) / u)
            }
            FDivergence::SquaredHellinger => {
                if u.is_infinite() {
                    return 1.0;
                }
                // 1 - 1/sqrt u = (sqrt u - 1)/sqrt u = (u - 1)/(u + sqrt u).
                (u - 1.0) / (u + u.sqrt())
            }
            FDivergence::JensenShannon => js_derivative(u),
            FDivergence::Gan => {
                if u == 0.0 {
                    f64::NEG_INFINITY
                } else {
                    ln_share(u, 1.0)
                }
            }
            FDivergence::TotalVariation => {
                if u > 1.0 {
                    0.5
                } else if u < 1.0 {
                    -0.5
                } else {
                    0.0
                }
            }
        }
    }

    /// `lim_{u -> inf} f(u) / u = f'(+inf)`: what a point with `q = 0 < p`
    /// contributes to `D_f` per unit of `p`.
    pub fn slope_at_infinity(self) -> f64 {
        match self {
            FDivergence::KullbackLeibler | FDivergence::Pearson => f64::INFINITY,
            FDivergence::ReverseKl | FDivergence::Gan => 0.0,
            FDivergence::Neyman | FDivergence::SquaredHellinger => 1.0,
            FDivergence::JensenShannon => LN_2,
            FDivergence::TotalVariation => 0.5,
        }
    }

    /// The domain of the conjugate: where `f*` is finite (Table 2 of the
    /// paper; Neyman's right end `t = 1` is included, where `f*(1) = 2`, the
    /// supremum approached as `u -> inf`; the paper writes `t < 1`).
    pub fn conjugate_domain(self) -> Domain {
        let (low, high, low_closed, high_closed) = match self {
            FDivergence::KullbackLeibler | FDivergence::Pearson => {
                (f64::NEG_INFINITY, f64::INFINITY, false, false)
            }
            FDivergence::ReverseKl | FDivergence::Gan => (f64::NEG_INFINITY, 0.0, false, false),
            FDivergence::Neyman => (f64::NEG_INFINITY, 1.0, false, true),
            FDivergence::SquaredHellinger => (f64::NEG_INFINITY, 1.0, false, false),
            FDivergence::JensenShannon => (f64::NEG_INFINITY, LN_2, false, false),
            FDivergence::TotalVariation => (-0.5, 0.5, true, true),
        };
        Domain {
            low,
            high,
            low_closed,
            high_closed,
        }
    }

    /// The convex conjugate `f*(t) = sup_{u >= 0} (t u - f(u))`; `+inf`
    /// outside [`Self::conjugate_domain`] (and at `t = +inf`), the limit at
    /// `t = -inf` (`-inf` for reverse KL and Neyman, where `f(0) = +inf`).
    /// NaN only for NaN.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::fgan::FDivergence;
    /// assert_eq!(FDivergence::KullbackLeibler.conjugate(1.0), 1.0);
    /// assert_eq!(FDivergence::KullbackLeibler.conjugate(1e6), f64::INFINITY); // overflow, not NaN
    /// assert_eq!(FDivergence::ReverseKl.conjugate(0.5), f64::INFINITY);       // outside t < 0
    /// // -ln(1 - e^t) ~ e^t for very negative t, kept to full relative accuracy:
    /// assert!((FDivergence::Gan.conjugate(-40.0) / (-40f64).exp() - 1.0).abs() < 1e-15);
    /// assert_eq!(FDivergence::Pearson.conjugate(f64::NEG_INFINITY), f64::INFINITY);
    /// ```
    pub fn conjugate(self, t: f64) -> f64 {
        if t.is_nan() {
            return t;
        }
        if t == f64::NEG_INFINITY {
            return self.conjugate_at_minus_infinity();
        }
        if !self.in_conjugate_domain(t) {
            return f64::INFINITY;
        }
        match self {
            FDivergence::KullbackLeibler => (t - 1.0).exp(),
            FDivergence::ReverseKl => -1.0 - (-t).ln(),
            // t (t/4 + 1): t^2/4 + t would give inf - inf at t = -inf.
            FDivergence::Pearson => t * (t / 4.0 + 1.0),
            FDivergence::Neyman => 2.0 - 2.0 * (1.0 - t).sqrt(),
            FDivergence::SquaredHellinger => t / (1.0 - t),
            FDivergence::JensenShannon => {
                if t < JS_CONJUGATE_SPLIT {
                    // -ln(2 - e^t) = -ln(1 - (e^t - 1)): no cancellation
                    // where the value is near 0 (t near 0), and e^t - 1 <=
                    // 1/2 keeps ln_1p's argument away from -1.
                    -(-t.exp_m1()).ln_1p()
                } else {
                    // -ln(2 - e^t) = -ln 2 - ln(1 - e^s), s = t - ln 2 < 0,
                    // with s taken against the true ln 2 (two-part constant).
                    let s = (t - LN_2) - LN_2_LOW;
                    -LN_2 + neg_ln_one_minus_exp(s)
                }
            }
            FDivergence::Gan => neg_ln_one_minus_exp(t),
            FDivergence::TotalVariation => t,
        }
    }

    /// Whether `f*(t)` is finite: `t` in [`Self::conjugate_domain`], with the
    /// JS row's open end taken at the true ln 2 (so `t = LN_2`, the `f64`
    /// just below ln 2, is inside, where [`Domain::contains`] says outside).
    pub fn in_conjugate_domain(self, t: f64) -> bool {
        match self {
            FDivergence::JensenShannon => !t.is_nan() && (t - LN_2) - LN_2_LOW < 0.0,
            _ => self.conjugate_domain().contains(t),
        }
    }

    /// `lim_{t -> -inf} f*(t)`: `-f(0)` for the rows whose `f*` is the
    /// conjugate over `u >= 0` (the supremum moves to `u = 0`; `-inf` when
    /// `f(0) = +inf`), and `+inf` for Pearson and total variation, whose
    /// table `f*` is the conjugate of `f` extended to all of R (see the module
    /// documentation).
    fn conjugate_at_minus_infinity(self) -> f64 {
        match self {
            FDivergence::Pearson | FDivergence::TotalVariation => f64::INFINITY,
            _ => -self.f(0.0),
        }
    }

    /// Whether `t` lies in the closure of dom f*, `[low, f'(inf)]` (ends
    /// included): the values a critic may take where `q = 0 < p`.
    fn admissible_where_q_is_zero(self, t: f64) -> bool {
        t >= self.conjugate_domain().low && t <= self.slope_at_infinity()
    }

    /// The output activation `g_f: R -> dom f*` of the paper's Table 2: the
    /// critic's raw output `v` is mapped to `T = g_f(v)`.
    pub fn activation(self, v: f64) -> f64 {
        match self {
            FDivergence::KullbackLeibler | FDivergence::Pearson => v,
            FDivergence::ReverseKl => -(-v).exp(),
            FDivergence::Neyman | FDivergence::SquaredHellinger => -(-v).exp_m1(),
            FDivergence::JensenShannon => LN_2 - softplus(-v),
            FDivergence::Gan => -softplus(-v),
            FDivergence::TotalVariation => 0.5 * v.tanh(),
        }
    }

    /// `f*(g_f(v))` in closed form, finite for every finite `v` (apart from
    /// KL's `e^(v-1)`, Pearson's `v^2/4 + v` and Hellinger's `e^v - 1`, which
    /// overflow to `+inf`, and Neyman's `2 - 2 e^(-v/2)`, which overflows to
    /// `-inf`, where their true value is beyond `f64::MAX`):
    ///
    /// | row | f*(g_f(v)) |
    /// |---|---|
    /// | KL | e^(v-1) |
    /// | reverse KL | v - 1 |
    /// | Pearson | v^2/4 + v |
    /// | Neyman | 2 - 2 e^(-v/2) |
    /// | squared Hellinger | e^v - 1 |
    /// | Jensen-Shannon | softplus(v) - ln 2 |
    /// | GAN | softplus(v) |
    /// | total variation | tanh(v)/2 |
    ///
    /// With these, the f-GAN critic objective is `E_P g_f(V) - E_Q f*(g_f(V))`;
    /// for the GAN row it is `E_P ln D + E_Q ln(1 - D)` with `D = sigmoid(V)`,
    /// Goodfellow's value function.
    pub fn activated_conjugate(self, v: f64) -> f64 {
        match self {
            FDivergence::KullbackLeibler => (v - 1.0).exp(),
            FDivergence::ReverseKl => v - 1.0,
            FDivergence::Pearson => {
                if v == f64::NEG_INFINITY {
                    f64::INFINITY
                } else {
                    v * (v / 4.0 + 1.0)
                }
            }
            FDivergence::Neyman => -2.0 * (-0.5 * v).exp_m1(),
            FDivergence::SquaredHellinger => v.exp_m1(),
            FDivergence::JensenShannon => softplus(v) - LN_2,
            FDivergence::Gan => softplus(v),
            FDivergence::TotalVariation => 0.5 * v.tanh(),
        }
    }

    /// One point's contribution `q f(p / q)` to `D_f`, with the conventions
    /// of the module (0 at `p = q = 0`, `q f(0)` at `p = 0`, `p f'(inf)` at
    /// `q = 0`), computed without forming `p / q` where that ratio would
    /// overflow or lose accuracy. `p, q` must be finite and `>= 0`.
    pub fn perspective(self, p: f64, q: f64) -> f64 {
        if p == 0.0 && q == 0.0 {
            return 0.0;
        }
        if q == 0.0 {
            return p * self.slope_at_infinity();
        }
        if p == 0.0 {
            return q * self.f(0.0);
        }
        match self {
            FDivergence::KullbackLeibler => x_ln_x_over_y(p, q),
            FDivergence::ReverseKl => x_ln_x_over_y(q, p),
            FDivergence::Pearson => squared_difference_over(p, q, q),
            FDivergence::Neyman => squared_difference_over(p, q, p),
            FDivergence::SquaredHellinger => {
                let d = (p - q) / (p.sqrt() + q.sqrt());
                d * d
            }
            FDivergence::JensenShannon => crate::divergence::js_term(p, q),
            FDivergence::Gan => p * ln_share(p, q) + q * ln_share(q, p),
            FDivergence::TotalVariation => 0.5 * (p - q).abs(),
        }
    }

    /// `D_f(P || Q) = sum_x q(x) f(p(x)/q(x))` with the module's conventions,
    /// compensated; `+inf` where it is infinite (KL and Pearson when `P` has
    /// mass where `Q` has none, reverse KL and Neyman the other way round).
    ///
    /// # Errors
    /// [`Error::LengthMismatch`].
    pub fn divergence(self, p: &Discrete, q: &Discrete) -> Result<f64> {
        same_len(p, q)?;
        let mut s = CompensatedSum::new();
        for (&a, &b) in p.as_slice().iter().zip(q.as_slice()) {
            s.add(self.perspective(a, b));
        }
        Ok(s.value())
    }

    /// `f'(p/q)` at one point, written in `p` and `q` (through logarithms for
    /// KL, Jensen-Shannon and GAN) so that the ratio is never formed where it
    /// would overflow or underflow; `f'(+inf)` at
    /// `q = 0 < p`, `f'(0)` at `p = 0 < q`, and `f'(1)` where `p = q = 0`
    /// (any value does there: the point carries no mass).
    pub fn derivative_at_ratio(self, p: f64, q: f64) -> f64 {
        if p == 0.0 && q == 0.0 {
            return self.derivative(1.0);
        }
        if p > 0.0 && q > 0.0 {
            // Each row in terms of p and q, so that p/q is never formed where
            // it could overflow or underflow.
            return match self {
                FDivergence::KullbackLeibler => 1.0 + (p.ln() - q.ln()),
                FDivergence::ReverseKl => -(q / p),
                FDivergence::Pearson => 2.0 * ((p - q) / q),
                FDivergence::Neyman => ((p - q) / p) * ((p + q) / p),
                FDivergence::SquaredHellinger => {
                    let (sp, sq) = (p.sqrt(), q.sqrt());
                    // 1 - sqrt(q/p) lies in (1 - EPS/2, 1) for q/p below
                    // about 1e-32 and rounds onto 1, the open end of dom f*
                    // (f*(1) = +inf, bound -inf); the f64 just below 1 is the
                    // nearest value inside, and the bound there is D_f up to
                    // rounding.
                    let t = (sp - sq) / sp;
                    if t < 1.0 { t } else { ONE_BELOW }
                }
                FDivergence::JensenShannon => {
                    let r = p / q;
                    if r.is_normal() {
                        js_derivative(r)
                    } else {
                        LN_2 + ln_share(p, q)
                    }
                }
                FDivergence::Gan => ln_share(p, q),
                FDivergence::TotalVariation => self.derivative(if p == q { 1.0 } else { p / q }),
            };
        }
        self.derivative(p / q)
    }

    /// The critic that makes the bound tight: `T*(x) = f'(p(x)/q(x))`
    /// (see [`Self::derivative_at_ratio`] for the boundary cases; entries can
    /// be infinite, which [`Self::variational_bound`] handles).
    ///
    /// Where both masses are positive but `f'(p/q)` exceeds `f64::MAX` in
    /// size (reverse KL's `-q/p` for a subnormal `p`, Neyman's
    /// `1 - (q/p)^2` for `p` below about `q 7e-155`, Pearson's
    /// `2 (p - q)/q` for a subnormal `q`), `T*` is not representable: the
    /// entry rounds to `-inf` or `+inf`, and the bound at the returned
    /// vector is valid but falls short of `D_f` (it is `-inf`). Where
    /// `f'(p/q)` lies closer to the open end of dom f* than an ulp
    /// (Hellinger's `1 - sqrt(q/p)` for `q/p` below about 1e-32), the entry
    /// is the `f64` just inside, and the bound is tight up to rounding.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`].
    pub fn optimal_critic(self, p: &Discrete, q: &Discrete) -> Result<Vec<f64>> {
        same_len(p, q)?;
        Ok(p.as_slice()
            .iter()
            .zip(q.as_slice())
            .map(|(&a, &b)| self.derivative_at_ratio(a, b))
            .collect())
    }

    /// The variational lower bound `E_P[T] - E_Q[f*(T)] <= D_f(P || Q)`
    /// for a critic `T` given as one value per point (extended reals allowed).
    ///
    /// The bound needs an *admissible* critic: `T(x)` in the closure of
    /// dom f* wherever `p(x) + q(x) > 0`, which the activations `g_f` ensure.
    /// Where `q = 0 < p` nothing else stops `p t` from growing: there the
    /// admissible values end at `sup dom f* = f'(inf)`
    /// ([`Self::slope_at_infinity`]), and `p f'(inf)` is exactly what
    /// [`Self::divergence`] charges. A critic that is not admissible gets
    /// the bound `-inf` (it certifies nothing).
    ///
    /// Conventions, each the limit of the per-point term `p t - q f*(t)`: a
    /// point with no mass under a distribution contributes nothing to that
    /// expectation (`0 x inf = 0`); a point with `q > 0` where
    /// `f*(t) = +inf`, and a point with `p > 0` and `t = -inf`, contribute
    /// `-inf`, and then the bound is `-inf`, also when another point
    /// contributes `+inf`.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] (between `p` and `q`, or `p` and `t`),
    /// [`Error::NotANumber`] for a NaN entry of `t`.
    pub fn variational_bound(self, p: &Discrete, q: &Discrete, t: &[f64]) -> Result<f64> {
        same_len(p, q)?;
        check_same_length(p.len(), t.len())?;
        if let Some(index) = t.iter().position(|x| x.is_nan()) {
            return Err(Error::NotANumber { index });
        }
        let mut s = CompensatedSum::new();
        for ((&a, &b), &ti) in p.as_slice().iter().zip(q.as_slice()).zip(t) {
            if b == 0.0 && a > 0.0 && !self.admissible_where_q_is_zero(ti) {
                return Ok(f64::NEG_INFINITY);
            }
            let real = if a > 0.0 { a * ti } else { 0.0 };
            let fake = if b > 0.0 {
                self.scaled_conjugate(b, ti)
            } else {
                0.0
            };
            let term = if real == f64::NEG_INFINITY || fake == f64::INFINITY {
                f64::NEG_INFINITY
            } else {
                real - fake
            };
            if term == f64::NEG_INFINITY {
                return Ok(f64::NEG_INFINITY);
            }
            s.add(term);
        }
        Ok(s.value())
    }

    /// The bound for a critic given by raw outputs `v` through the
    /// activation: `E_P[g_f(v)] - E_Q[f*(g_f(v))]`, using
    /// [`Self::activated_conjugate`]. Never NaN: each point's term
    /// `p g_f(v) - q f*(g_f(v))` is formed without `inf - inf` (the products
    /// through `ln p`, `ln q` where one alone would overflow), so the bound is
    /// finite wherever its value is, `-inf` where a point's term is below
    /// `-f64::MAX` (then also when another point's is above `f64::MAX`, as in
    /// [`Self::variational_bound`]), and `+inf` only where `D_f` is.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`]; [`Error::NotANumber`] or
    /// [`Error::Infinite`] for a bad entry of `v`.
    pub fn activated_bound(self, p: &Discrete, q: &Discrete, v: &[f64]) -> Result<f64> {
        same_len(p, q)?;
        check_same_length(p.len(), v.len())?;
        crate::measure::check_finite(v)?;
        let mut s = CompensatedSum::new();
        for ((&a, &b), &vi) in p.as_slice().iter().zip(q.as_slice()).zip(v) {
            let real = if a > 0.0 {
                self.scaled_activation(a, vi)
            } else {
                0.0
            };
            let fake = if b > 0.0 {
                self.scaled_activated_conjugate(b, vi)
            } else {
                0.0
            };
            let term = if real.is_infinite() && real == fake {
                self.activated_term_beyond_range(a, b, vi)
            } else {
                real - fake
            };
            // As in `variational_bound`: a point at -inf makes the bound
            // -inf, also when another point is at +inf (never inf - inf).
            if term == f64::NEG_INFINITY {
                return Ok(f64::NEG_INFINITY);
            }
            s.add(term);
        }
        Ok(s.value())
    }
}

impl FDivergence {
    /// `b f*(t)` for a mass `0 < b <= 1`, finite whenever the product is,
    /// also where `f*(t)` alone overflows (KL's `e^(t-1)` for `t > 710`
    /// against a tiny `b`, Pearson's `t^2/4` for `t > 1e154`).
    fn scaled_conjugate(self, b: f64, t: f64) -> f64 {
        match self {
            FDivergence::KullbackLeibler if self.in_conjugate_domain(t) => {
                let v = (t - 1.0).exp();
                if v.is_finite() {
                    b * v
                } else {
                    (b.ln() + (t - 1.0)).exp()
                }
            }
            FDivergence::Pearson if t.is_finite() => (b * t) * (t / 4.0 + 1.0),
            _ => b * self.conjugate(t),
        }
    }

    /// `b f*(g_f(v))` for a mass `0 < b <= 1`, finite whenever the product
    /// is (KL's `e^(v-1)`, Hellinger's `e^v - 1` and Neyman's
    /// `2 - 2 e^(-v/2)` through `ln b`).
    fn scaled_activated_conjugate(self, b: f64, v: f64) -> f64 {
        let plain = b * self.activated_conjugate(v);
        if plain.is_finite() {
            return plain;
        }
        match self {
            FDivergence::KullbackLeibler => (b.ln() + (v - 1.0)).exp(),
            FDivergence::SquaredHellinger => (b.ln() + v).exp() - b,
            FDivergence::Neyman => 2.0 * b - 2.0 * (b.ln() - 0.5 * v).exp(),
            FDivergence::Pearson => (b * v) * (v / 4.0 + 1.0),
            _ => plain,
        }
    }

    /// `a g_f(v)` for a mass `0 < a <= 1`, finite whenever the product is:
    /// reverse KL's `-e^(-v)` and Neyman's and Hellinger's `1 - e^(-v)`
    /// overflow for `v < -709.78`, where `a e^(-v)` need not.
    fn scaled_activation(self, a: f64, v: f64) -> f64 {
        let plain = a * self.activation(v);
        if plain.is_finite() {
            return plain;
        }
        match self {
            FDivergence::ReverseKl => -(a.ln() - v).exp(),
            FDivergence::Neyman | FDivergence::SquaredHellinger => a - (a.ln() - v).exp(),
            _ => plain,
        }
    }

    /// The per-point term `a g_f(v) - b f*(g_f(v))` where both products are
    /// infinite with the same sign. Only Neyman's row gets there (both `-inf`,
    /// for `v < -1419.6`): with `x = e^(-v/2)` the term is
    /// `a (1 - x^2) - 2 b (1 - x) = x (2b - a x) + (a - 2b)`, whose sign for
    /// such `x` is that of `2b - a x`, evaluated through `ln a - v/2`.
    fn activated_term_beyond_range(self, a: f64, b: f64, v: f64) -> f64 {
        match self {
            FDivergence::Neyman => {
                let ax = (a.ln() - 0.5 * v).exp();
                let gap = 2.0 * b - ax;
                if gap == 0.0 {
                    a - 2.0 * b
                } else {
                    // x |2b - a x| with ln x = -v/2: infinite, or finite if
                    // the gap is small enough.
                    gap.signum() * (gap.abs().ln() - 0.5 * v).exp() + (a - 2.0 * b)
                }
            }
            // No other row has both products infinite for a finite `v`.
            _ => f64::NEG_INFINITY,
        }
    }
}

/// `-ln(1 - e^s)` for `s < 0` (`0` at `s = -inf`, `+inf` at `s = 0`),
/// accurate for every `s`: through `ln_1p(-e^s)` when `e^s <= 1/2`, through
/// `ln(-expm1(s))` otherwise (the standard split of log1mexp).
fn neg_ln_one_minus_exp(s: f64) -> f64 {
    if s < -LN_2 {
        -(-s.exp()).ln_1p()
    } else {
        -(-s.exp_m1()).ln()
    }
}

/// `ln(2u/(1+u))`, the JS row's `f'`, accurate near `u = 1` (through
/// `ln_1p((u-1)/(u+1))`) and for tiny or huge `u` (through [`ln_share`]).
fn js_derivative(u: f64) -> f64 {
    if u == 0.0 {
        return f64::NEG_INFINITY;
    }
    if u.is_infinite() {
        return LN_2;
    }
    if (0.5..=2.0).contains(&u) {
        ((u - 1.0) / (u + 1.0)).ln_1p()
    } else {
        LN_2 + ln_share(u, 1.0)
    }
}

/// `(p - q)^2 / w` for `w` one of `p, q` (positive), without underflow of
/// the square for tiny differences and with `+inf` only where the true
/// value exceeds `f64::MAX`.
fn squared_difference_over(p: f64, q: f64, w: f64) -> f64 {
    let d = p - q;
    let ratio = d / w;
    if ratio.is_finite() {
        d * ratio
    } else {
        d * d / w
    }
}
