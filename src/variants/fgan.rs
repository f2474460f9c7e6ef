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
///
/// # Example
/// ```
/// use gan_theory::variants::fgan::FDivergence;
/// // Total variation's f* = t lives on the closed interval [-1/2, 1/2]:
/// let tv = FDivergence::TotalVariation.conjugate_domain();
/// assert_eq!((tv.low, tv.high, tv.low_closed, tv.high_closed), (-0.5, 0.5, true, true));
/// // Outside it f* is +inf:
/// assert_eq!(FDivergence::TotalVariation.conjugate(0.75), f64::INFINITY);
/// ```
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
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::fgan::FDivergence;
    /// let neyman = FDivergence::Neyman.conjugate_domain(); // (-inf, 1]
    /// assert!(neyman.contains(1.0) && neyman.contains(-1e300));
    /// let gan = FDivergence::Gan.conjugate_domain(); // (-inf, 0)
    /// assert!(!gan.contains(0.0) && gan.contains(-1e-300));
    /// assert!(!gan.contains(f64::NAN));
    /// ```
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
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::fgan::FDivergence};
    /// // Every row's f is normalised, f(1) = 0, so D_f(P || P) = 0, except the
    /// // GAN row: f(1) = -ln 4, and D_f(P || P) = -ln 4, Goodfellow's optimum.
    /// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
    /// for f in FDivergence::ALL {
    ///     let at_one = if f == FDivergence::Gan { -(4f64.ln()) } else { 0.0 };
    ///     assert!((f.f(1.0) - at_one).abs() < 1e-15, "{}", f.name());
    ///     assert!((f.divergence(&p, &p)? - at_one).abs() < 1e-15, "{}", f.name());
    /// }
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
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
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::fgan::FDivergence;
    /// assert_eq!(FDivergence::KullbackLeibler.name(), "KL");
    /// assert_eq!(FDivergence::Gan.name(), "GAN");
    /// // Eight rows, eight different names:
    /// let mut names: Vec<_> = FDivergence::ALL.iter().map(|f| f.name()).collect();
    /// names.sort();
    /// names.dedup();
    /// assert_eq!(names.len(), 8);
    /// ```
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
        // -0 is the u = 0 of the domain: as +0, so that no row divides by
        // -0 (Neyman's (1 - u)/u would give -inf).
        let u = u + 0.0;
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
        // -0 as +0 (reverse KL's -1/u and Hellinger's (u - 1)/(u + sqrt u)
        // would give +inf at -0).
        let u = u + 0.0;
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
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::fgan::FDivergence;
    /// // f(u) / u at u = 1e12 is within 1e-5 of the limit where that is finite:
    /// let u = 1e12;
    /// for f in FDivergence::ALL {
    ///     let slope = f.slope_at_infinity();
    ///     if slope.is_finite() {
    ///         assert!((f.f(u) / u - slope).abs() < 1e-5, "{}", f.name());
    ///     } else {
    ///         assert!(f.f(u) / u > 20.0, "{}", f.name()); // KL: ln u; Pearson: about u
    ///     }
    /// }
    /// assert_eq!(FDivergence::JensenShannon.slope_at_infinity(), std::f64::consts::LN_2);
    /// ```
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
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::fgan::FDivergence;
    /// // GAN: f*(t) = -ln(1 - e^t), finite exactly for t < 0.
    /// let d = FDivergence::Gan.conjugate_domain();
    /// assert_eq!((d.low, d.high, d.high_closed), (f64::NEG_INFINITY, 0.0, false));
    /// assert!(FDivergence::Gan.conjugate(-1e-9).is_finite());
    /// assert_eq!(FDivergence::Gan.conjugate(0.0), f64::INFINITY);
    /// // Its upper end is f'(inf), where it is finite:
    /// for f in FDivergence::ALL {
    ///     assert_eq!(f.conjugate_domain().high, f.slope_at_infinity(), "{}", f.name());
    /// }
    /// ```
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
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::fgan::FDivergence;
    /// use std::f64::consts::LN_2;
    /// // Exactly where f* is finite, on a grid of t in [-3, 3]:
    /// for f in FDivergence::ALL {
    ///     for k in -12..=12 {
    ///         let t = k as f64 / 4.0;
    ///         assert_eq!(f.in_conjugate_domain(t), f.conjugate(t).is_finite(), "{} at {t}", f.name());
    ///     }
    /// }
    /// // LN_2 rounds below the true ln 2: inside JS's domain, though `contains`
    /// // compares with the stored end and says no.
    /// let js = FDivergence::JensenShannon;
    /// assert!(js.in_conjugate_domain(LN_2) && js.conjugate(LN_2).is_finite());
    /// assert!(!js.conjugate_domain().contains(LN_2));
    /// ```
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
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::fgan::FDivergence;
    /// // g_f maps every raw output into dom f*:
    /// for f in FDivergence::ALL {
    ///     for k in -20..=20 {
    ///         assert!(f.in_conjugate_domain(f.activation(k as f64 / 2.0)), "{}", f.name());
    ///     }
    /// }
    /// // The GAN row: g(v) = -softplus(-v) = ln sigmoid(v) = ln D.
    /// let v: f64 = 0.7;
    /// let d = 1.0 / (1.0 + (-v).exp());
    /// assert!((FDivergence::Gan.activation(v) - d.ln()).abs() < 1e-15);
    /// ```
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
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::fgan::FDivergence;
    /// // The closed form agrees with f* evaluated at g_f(v), to 1e-12 relative:
    /// for f in FDivergence::ALL {
    ///     for k in -8..=8 {
    ///         let v = k as f64 / 2.0;
    ///         let (closed, composed) = (f.activated_conjugate(v), f.conjugate(f.activation(v)));
    ///         assert!((closed - composed).abs() <= 1e-12 * closed.abs().max(1.0), "{} at {v}", f.name());
    ///     }
    /// }
    /// // The GAN row: softplus(v) = -ln(1 - D), D = sigmoid(v).
    /// let d = 1.0 / (1.0 + (-2f64).exp());
    /// assert!((FDivergence::Gan.activated_conjugate(2.0) + (1.0 - d).ln()).abs() < 1e-14);
    /// ```
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
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::fgan::FDivergence;
    /// let pearson = FDivergence::Pearson;
    /// // q f(p / q) = 0.2 (0.5/0.2 - 1)^2 = 0.45:
    /// assert!((pearson.perspective(0.5, 0.2) - 0.45).abs() < 1e-15);
    /// // The conventions: 0 at p = q = 0, q f(0) at p = 0, p f'(inf) at q = 0.
    /// let tv = FDivergence::TotalVariation;
    /// assert_eq!(tv.perspective(0.0, 0.0), 0.0);
    /// assert_eq!(tv.perspective(0.0, 0.4), 0.4 * tv.f(0.0));
    /// assert_eq!(tv.perspective(0.4, 0.0), 0.4 * tv.slope_at_infinity());
    /// // No overflow from p / q: KL's p ln(p/q) at p = 1, q = 1e-300.
    /// let kl = FDivergence::KullbackLeibler.perspective(1.0, 1e-300);
    /// assert!((kl - 300.0 * 10f64.ln()).abs() < 1e-12);
    /// ```
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
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::fgan::FDivergence};
    /// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
    /// let q = Discrete::new(vec![0.2, 0.3, 0.5])?;
    /// // Pearson: sum (p - q)^2 / q = 0.09/0.2 + 0 + 0.09/0.5; TV: 0.3.
    /// let pearson = FDivergence::Pearson.divergence(&p, &q)?;
    /// assert!((pearson - (0.45 + 0.18)).abs() < 1e-15);
    /// assert!((FDivergence::TotalVariation.divergence(&p, &q)? - 0.3).abs() < 1e-15);
    /// // KL(P || Q) is infinite when P has mass where Q has none; reverse KL is not.
    /// let r = Discrete::new(vec![0.5, 0.5, 0.0])?;
    /// assert_eq!(FDivergence::KullbackLeibler.divergence(&p, &r)?, f64::INFINITY);
    /// assert!(FDivergence::ReverseKl.divergence(&p, &r)?.is_finite());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
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
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::fgan::FDivergence;
    /// // f'(p / q), here f'(2) for every row:
    /// for f in FDivergence::ALL {
    ///     assert!((f.derivative_at_ratio(0.5, 0.25) - f.derivative(2.0)).abs() < 1e-15, "{}", f.name());
    /// }
    /// // KL's 1 + ln p - ln q where p / q = 1e-400 underflows to 0:
    /// let kl = FDivergence::KullbackLeibler.derivative_at_ratio(1e-200, 1e200);
    /// assert!((kl - (1.0 - 400.0 * 10f64.ln())).abs() < 1e-12);
    /// // q = 0 < p: f'(inf).
    /// let js = FDivergence::JensenShannon;
    /// assert_eq!(js.derivative_at_ratio(0.3, 0.0), js.slope_at_infinity());
    /// ```
    pub fn derivative_at_ratio(self, p: f64, q: f64) -> f64 {
        // A zero q of either sign is 0 (p / -0 would be -inf, off the
        // domain); a zero p reaches `derivative` (which takes -0 as 0) or the
        // comparisons with 0 only.
        let q = q + 0.0;
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
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::fgan::FDivergence};
    /// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
    /// let q = Discrete::new(vec![0.2, 0.3, 0.5])?;
    /// // Pearson: T* = f'(p/q) = 2 (p/q - 1) = (3, 0, -1.2).
    /// let t = FDivergence::Pearson.optimal_critic(&p, &q)?;
    /// for (a, b) in t.iter().zip([3.0, 0.0, -1.2]) {
    ///     assert!((a - b).abs() < 1e-15);
    /// }
    /// // It beats nearby critics: the bound at T* +- 0.1 e_i is lower.
    /// let best = FDivergence::Pearson.variational_bound(&p, &q, &t)?;
    /// for i in 0..3 {
    ///     for h in [-0.1, 0.1] {
    ///         let mut moved = t.clone();
    ///         moved[i] += h;
    ///         assert!(FDivergence::Pearson.variational_bound(&p, &q, &moved)? < best);
    ///     }
    /// }
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
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
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::fgan::FDivergence};
    /// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
    /// let q = Discrete::new(vec![0.2, 0.3, 0.5])?;
    /// let kl = FDivergence::KullbackLeibler;
    /// // T = 1 everywhere: E_P 1 - E_Q e^(1 - 1) = 0 <= KL.
    /// assert_eq!(kl.variational_bound(&p, &q, &[1.0; 3])?, 0.0);
    /// // T = (2, 1, 0): 0.5*2 + 0.3 - (0.2 e + 0.3 + 0.5 e^-1), still <= KL.
    /// let bound = kl.variational_bound(&p, &q, &[2.0, 1.0, 0.0])?;
    /// let by_hand = 1.3 - (0.2 * 1f64.exp() + 0.3 + 0.5 * (-1f64).exp());
    /// assert!((bound - by_hand).abs() < 1e-15);
    /// assert!(bound <= kl.divergence(&p, &q)?);
    /// // A critic outside dom f* where q > 0 certifies nothing:
    /// assert_eq!(FDivergence::ReverseKl.variational_bound(&p, &q, &[-1.0, -1.0, 0.5])?, f64::NEG_INFINITY);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
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
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, Discriminator, game, variants::fgan::FDivergence};
    /// let p = Discrete::new(vec![0.5, 0.3, 0.2])?;
    /// let q = Discrete::new(vec![0.2, 0.3, 0.5])?;
    /// let v = [1.0, -0.5, 2.0];
    /// // The GAN row is Goodfellow's V(D, G) with D = sigmoid(v):
    /// let gan = FDivergence::Gan.activated_bound(&p, &q, &v)?;
    /// let d = Discriminator::from_logits(v.to_vec())?;
    /// assert!((gan - game::value(&p, &q, &d)?).abs() < 1e-15);
    /// // Any raw outputs give a lower bound, for every row:
    /// for f in FDivergence::ALL {
    ///     assert!(f.activated_bound(&p, &q, &v)? <= f.divergence(&p, &q)?, "{}", f.name());
    /// }
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
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
    /// against a tiny `b`, Pearson's `t^2/4` for `t > 1e154`). Both forms
    /// need no guard: their domain is all of R, and at `t = +-inf` or NaN
    /// they give what `b f*(t)` gives (KL: `+inf`, `0`, NaN; Pearson: `+inf`
    /// at both ends, NaN).
    fn scaled_conjugate(self, b: f64, t: f64) -> f64 {
        match self {
            FDivergence::KullbackLeibler => {
                let v = (t - 1.0).exp();
                if v.is_finite() {
                    b * v
                } else {
                    (b.ln() + (t - 1.0)).exp()
                }
            }
            FDivergence::Pearson => (b * t) * (t / 4.0 + 1.0),
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
    ///
    /// Where the computed gap `2b - a x` is 0 the term is beyond `f64`: the
    /// computed `a x` carries the rounding of `ln a - v/2` (an absolute
    /// error up to half an ulp of 710, 5.7e-14, so a relative one in
    /// `a x`), and the true `x (2b - a x)` is known only to within
    /// `x 2b 5.7e-14`, more than `1e295 b`. The term is then given its value
    /// at a zero gap, `a - 2b`, a finite convention, not an estimate.
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
