//! Conditional GANs on a finite label set (Mirza and Osindero 2014) and the
//! pix2pix objective (Isola et al. 2017), in closed form.
//!
//! Serves claim [D4](crate::proofs::d4_conditional_gan).
//!
//! Labels `y` take finitely many values with probabilities `p(y)`; for each
//! label, the data and the generator have distributions `p(.|y)` and
//! `q(.|y)` on the same finite set of points. The discriminator sees the
//! label: `D(x|y)`. Then
//!
//! ```text
//! V(D, G)  = E_y [ E_{p(.|y)} ln D(x|y) + E_{q(.|y)} ln(1 - D(x|y)) ]
//! D*(x|y)  = p(x|y) / (p(x|y) + q(x|y))
//! C(G)     = max_D V(D, G) = -ln 4 + 2 E_y JSD(p(.|y) || q(.|y))
//! ```
//!
//! Per label this is Goodfellow's game, weighted by `p(y)`; the module reuses
//! [`game`] for the per-label pieces. Because the generator is fed the data's
//! labels, the conditional game is the unconditional game on pairs `(y, x)`:
//! `C` equals [`game::c_of_g`] of the two joint distributions
//! ([`ConditionalGame::joint_data`], [`ConditionalGame::joint_generated`]).
//! It is *not* the game on the marginals `p(x) = E_y p(x|y)`: by the joint
//! convexity of JSD, `JSD(p || q) <= E_y JSD(p(.|y) || q(.|y))`, so
//! `C >= C(marginals)` ([`ConditionalGame::marginal_c_of_g`]). A generator
//! that ignores the label and draws from the data's marginal reaches the
//! unconditional optimum `-ln 4` and is still caught by a conditional
//! discriminator.
//!
//! [`Pix2Pix`] adds an L1 term for real-valued targets; see its documentation
//! for the scope.
//!
//! # Example
//! ```
//! use gan_theory::Discrete;
//! use gan_theory::variants::conditional::ConditionalGame;
//! let labels = Discrete::new(vec![0.5, 0.5])?;
//! let data = vec![Discrete::new(vec![1.0, 0.0])?, Discrete::new(vec![0.0, 1.0])?];
//! // A generator that ignores its label and draws from the data's marginal:
//! let generated = vec![Discrete::new(vec![0.5, 0.5])?, Discrete::new(vec![0.5, 0.5])?];
//! let game = ConditionalGame::new(labels, data, generated)?;
//! assert!((game.marginal_c_of_g() + 4f64.ln()).abs() < 1e-15);  // fools an unconditional D
//! // A conditional D sees it: C = ln(2/3) + ln(1/3)/2 for each label, above -ln 4.
//! let expected = (2f64 / 3.0).ln() - 0.5 * 3f64.ln();
//! assert!((game.c_of_g() - expected).abs() < 1e-15);
//! # Ok::<(), gan_theory::Error>(())
//! ```

use crate::divergence;
use crate::error::{Error, Result, check_same_length};
use crate::game::{self, Discriminator};
use crate::measure::Discrete;
use crate::numeric::CompensatedSum;

/// The label distribution `p(y)` with the data's and the generator's
/// conditional distributions `p(.|y)`, `q(.|y)`, all on one finite set of points.
///
/// Checked by claim [D4](crate::proofs::d4_conditional_gan).
///
/// # Example
/// ```
/// use gan_theory::{Discrete, variants::conditional::ConditionalGame};
/// // Two labels; the generator swaps the labels' conditionals, so the marginals agree.
/// let (a, b) = (Discrete::new(vec![0.5, 0.5, 0.0])?, Discrete::new(vec![0.0, 0.5, 0.5])?);
/// let game = ConditionalGame::new(Discrete::uniform(2)?, vec![a.clone(), b.clone()], vec![b, a])?;
/// let ln4 = 4f64.ln();
/// assert!((game.marginal_c_of_g() + ln4).abs() < 1e-15);   // the marginals cannot tell
/// assert!((game.c_of_g() + 2f64.ln()).abs() < 1e-15);      // the conditional D can: C = -ln 2
/// assert!((game.c_of_g() - game.c_of_g_via_js()).abs() < 1e-15);   // -ln 4 + 2 E_y JSD
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionalGame {
    labels: Discrete,
    data: Vec<Discrete>,
    generated: Vec<Discrete>,
}

/// Checks one distribution per label, all on `points` points.
fn check_family(labels: usize, family: &[Discrete], points: usize) -> Result<()> {
    check_same_length(labels, family.len())?;
    for d in family {
        check_same_length(points, d.len())?;
    }
    Ok(())
}

impl ConditionalGame {
    /// Validates the shapes: one data and one generated distribution per
    /// label, all of them on the same number of points.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] (labels against distributions, or points
    /// against the first data distribution's points).
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::ConditionalGame};
    /// // Two labels; the generator swaps the labels' conditionals.
    /// let (a, b) = (Discrete::new(vec![0.5, 0.5, 0.0])?, Discrete::new(vec![0.0, 0.5, 0.5])?);
    /// let game = ConditionalGame::new(Discrete::uniform(2)?, vec![a.clone(), b.clone()], vec![b, a])?;
    /// assert_eq!((game.label_count(), game.point_count()), (2, 3));
    /// // One generated distribution short, or one on another number of points:
    /// let (p, u) = (Discrete::uniform(3)?, Discrete::uniform(2)?);
    /// assert!(ConditionalGame::new(Discrete::uniform(2)?, vec![p.clone(), p.clone()], vec![p.clone()]).is_err());
    /// assert!(ConditionalGame::new(Discrete::uniform(2)?, vec![p.clone(), p.clone()], vec![p, u]).is_err());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn new(labels: Discrete, data: Vec<Discrete>, generated: Vec<Discrete>) -> Result<Self> {
        check_same_length(labels.len(), data.len())?;
        let points = data[0].len();
        check_family(labels.len(), &data, points)?;
        check_family(labels.len(), &generated, points)?;
        Ok(Self {
            labels,
            data,
            generated,
        })
    }

    /// The same labels and data with another generator.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`].
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::ConditionalGame};
    /// // Two labels; the generator swaps the labels' conditionals.
    /// let (a, b) = (Discrete::new(vec![0.5, 0.5, 0.0])?, Discrete::new(vec![0.0, 0.5, 0.5])?);
    /// let game = ConditionalGame::new(Discrete::uniform(2)?, vec![a.clone(), b.clone()], vec![b, a])?;
    /// // The generator that reproduces every conditional reaches C = -ln 4:
    /// let perfect = game.with_generated(game.data().to_vec())?;
    /// assert!((perfect.c_of_g() + 4f64.ln()).abs() < 1e-15);
    /// assert_eq!(perfect.labels(), game.labels());
    /// assert!(game.with_generated(vec![Discrete::uniform(3)?]).is_err());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn with_generated(&self, generated: Vec<Discrete>) -> Result<Self> {
        Self::new(self.labels.clone(), self.data.clone(), generated)
    }

    /// Number of labels.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::ConditionalGame};
    /// // Two labels; the generator swaps the labels' conditionals.
    /// let (a, b) = (Discrete::new(vec![0.5, 0.5, 0.0])?, Discrete::new(vec![0.0, 0.5, 0.5])?);
    /// let game = ConditionalGame::new(Discrete::uniform(2)?, vec![a.clone(), b.clone()], vec![b, a])?;
    /// assert_eq!(game.label_count(), 2);
    /// assert_eq!(game.label_count(), game.labels().len());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn label_count(&self) -> usize {
        self.labels.len()
    }

    /// Number of points.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::ConditionalGame};
    /// // Two labels; the generator swaps the labels' conditionals.
    /// let (a, b) = (Discrete::new(vec![0.5, 0.5, 0.0])?, Discrete::new(vec![0.0, 0.5, 0.5])?);
    /// let game = ConditionalGame::new(Discrete::uniform(2)?, vec![a.clone(), b.clone()], vec![b, a])?;
    /// assert_eq!(game.point_count(), 3);
    /// // The joint distributions live on label_count * point_count pairs:
    /// assert_eq!(game.joint_data().len(), 2 * 3);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn point_count(&self) -> usize {
        self.data[0].len()
    }

    /// The label distribution `p(y)`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::ConditionalGame};
    /// // Two labels; the generator swaps the labels' conditionals.
    /// let (a, b) = (Discrete::new(vec![0.5, 0.5, 0.0])?, Discrete::new(vec![0.0, 0.5, 0.5])?);
    /// let game = ConditionalGame::new(Discrete::uniform(2)?, vec![a.clone(), b.clone()], vec![b, a])?;
    /// assert_eq!(game.labels().as_slice(), &[0.5, 0.5]);
    /// // The joint's mass on label y's block is p(y):
    /// let joint = game.joint_data();
    /// assert!((joint[0] + joint[1] + joint[2] - game.labels()[0]).abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn labels(&self) -> &Discrete {
        &self.labels
    }

    /// The data's conditional distributions, one per label.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::ConditionalGame};
    /// // Two labels; the generator swaps the labels' conditionals.
    /// let (a, b) = (Discrete::new(vec![0.5, 0.5, 0.0])?, Discrete::new(vec![0.0, 0.5, 0.5])?);
    /// let game = ConditionalGame::new(Discrete::uniform(2)?, vec![a.clone(), b.clone()], vec![b, a])?;
    /// assert_eq!(game.data()[1].as_slice(), &[0.0, 0.5, 0.5]);
    /// // The data's marginal is sum_y p(y) p(.|y):
    /// let m = game.marginal_data();
    /// for x in 0..3 {
    ///     assert!((m[x] - (0.5 * game.data()[0][x] + 0.5 * game.data()[1][x])).abs() < 1e-15);
    /// }
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn data(&self) -> &[Discrete] {
        &self.data
    }

    /// The generator's conditional distributions, one per label.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::ConditionalGame};
    /// // Two labels; the generator swaps the labels' conditionals.
    /// let (a, b) = (Discrete::new(vec![0.5, 0.5, 0.0])?, Discrete::new(vec![0.0, 0.5, 0.5])?);
    /// let game = ConditionalGame::new(Discrete::uniform(2)?, vec![a.clone(), b.clone()], vec![b, a])?;
    /// // The swap: label 0's generator is label 1's data and the other way round.
    /// assert_eq!(game.generated()[0], game.data()[1]);
    /// assert_eq!(game.generated()[1], game.data()[0]);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn generated(&self) -> &[Discrete] {
        &self.generated
    }

    /// `V(D, G) = sum_y p(y) V_y(D(.|y))` with `V_y` Goodfellow's value
    /// ([`game::value`]) of label y's pair. Labels with `p(y) = 0` contribute 0.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when `d` has another shape.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::ConditionalGame};
    /// // Two labels; the generator swaps the labels' conditionals.
    /// let (a, b) = (Discrete::new(vec![0.5, 0.5, 0.0])?, Discrete::new(vec![0.0, 0.5, 0.5])?);
    /// let game = ConditionalGame::new(Discrete::uniform(2)?, vec![a.clone(), b.clone()], vec![b, a])?;
    /// use gan_theory::variants::conditional::ConditionalDiscriminator;
    /// // D = 1/2 everywhere: V = ln(1/2) + ln(1/2) = -ln 4 whatever the game.
    /// let half = ConditionalDiscriminator::from_logits(vec![vec![0.0; 3]; 2])?;
    /// assert!((game.value(&half)? + 4f64.ln()).abs() < 1e-15);
    /// // D* attains C(G), and no D does better:
    /// assert!((game.value(&game.optimal_discriminator())? - game.c_of_g()).abs() < 1e-15);
    /// assert!(game.value(&half)? <= game.c_of_g());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn value(&self, d: &ConditionalDiscriminator) -> Result<f64> {
        check_same_length(self.label_count(), d.per_label.len())?;
        let mut s = CompensatedSum::new();
        for (y, &w) in self.labels.as_slice().iter().enumerate() {
            let v = game::value(&self.data[y], &self.generated[y], &d.per_label[y])?;
            if w > 0.0 {
                s.add(w * v);
            }
        }
        Ok(s.value())
    }

    /// The optimal conditional discriminator, as logits
    /// `l*(x|y) = ln p(x|y) - ln q(x|y)` (infinite where one side is 0; logit
    /// 0 where both are, see [`game::optimal_discriminator`]). It maximises
    /// `V` for every label; for labels with `p(y) = 0`, `V` does not depend on
    /// `D(.|y)` at all.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::ConditionalGame};
    /// // Two labels; the generator swaps the labels' conditionals.
    /// let (a, b) = (Discrete::new(vec![0.5, 0.5, 0.0])?, Discrete::new(vec![0.0, 0.5, 0.5])?);
    /// let game = ConditionalGame::new(Discrete::uniform(2)?, vec![a.clone(), b.clone()], vec![b, a])?;
    /// let d = game.optimal_discriminator();
    /// // l*(x|0) = ln p(x|0) - ln q(x|0) = (+inf, 0, -inf):
    /// assert_eq!(d.label(0).logit(0), f64::INFINITY);
    /// assert_eq!(d.label(0).logit(1), 0.0);
    /// assert_eq!(d.label(0).logit(2), f64::NEG_INFINITY);
    /// assert!((game.value(&d)? - game.c_of_g()).abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn optimal_discriminator(&self) -> ConditionalDiscriminator {
        let per_label = self
            .data
            .iter()
            .zip(&self.generated)
            .map(|(p, q)| game::optimal_discriminator(p, q).expect("shapes checked in new"))
            .collect();
        ConditionalDiscriminator { per_label }
    }

    /// `D*(x|y) = p(x|y) / (p(x|y) + q(x|y))` as `d_star()[y][x]`, `None`
    /// where both are 0 ([`game::d_star`] per label).
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::ConditionalGame};
    /// // Two labels; the generator swaps the labels' conditionals.
    /// let (a, b) = (Discrete::new(vec![0.5, 0.5, 0.0])?, Discrete::new(vec![0.0, 0.5, 0.5])?);
    /// let game = ConditionalGame::new(Discrete::uniform(2)?, vec![a.clone(), b.clone()], vec![b, a])?;
    /// // p(x|y) / (p(x|y) + q(x|y)):
    /// assert_eq!(game.d_star()[0], vec![Some(1.0), Some(0.5), Some(0.0)]);
    /// assert_eq!(game.d_star()[1], vec![Some(0.0), Some(0.5), Some(1.0)]);
    /// // None where neither distribution of a label has mass:
    /// let p = Discrete::new(vec![1.0, 0.0])?;
    /// let one = ConditionalGame::new(Discrete::uniform(1)?, vec![p.clone()], vec![p])?;
    /// assert_eq!(one.d_star(), vec![vec![Some(0.5), None]]);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn d_star(&self) -> Vec<Vec<Option<f64>>> {
        self.data
            .iter()
            .zip(&self.generated)
            .map(|(p, q)| game::d_star(p, q).expect("shapes checked in new"))
            .collect()
    }

    /// `C(G) = V(D*, G) = sum_y p(y) C_y`, each `C_y` by [`game::c_of_g`]
    /// (directly from `D*`, not through the JSD identity), in `[-ln 4, 0]`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::ConditionalGame};
    /// // Two labels; the generator swaps the labels' conditionals.
    /// let (a, b) = (Discrete::new(vec![0.5, 0.5, 0.0])?, Discrete::new(vec![0.0, 0.5, 0.5])?);
    /// let game = ConditionalGame::new(Discrete::uniform(2)?, vec![a.clone(), b.clone()], vec![b, a])?;
    /// // Per label: 0.5 ln 1 + 0.5 ln(1/2) + 0.5 ln(1/2) + 0.5 ln 1 = -ln 2.
    /// assert!((game.c_of_g() + 2f64.ln()).abs() < 1e-15);
    /// assert!(-(4f64.ln()) <= game.c_of_g() && game.c_of_g() <= 0.0);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn c_of_g(&self) -> f64 {
        let c = self.weighted(|p, q| game::c_of_g(p, q).expect("shapes checked in new"));
        c.clamp(-(4f64.ln()), 0.0)
    }

    /// `E_y JSD(p(.|y) || q(.|y))`, in `[0, ln 2]`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::ConditionalGame};
    /// // Two labels; the generator swaps the labels' conditionals.
    /// let (a, b) = (Discrete::new(vec![0.5, 0.5, 0.0])?, Discrete::new(vec![0.0, 0.5, 0.5])?);
    /// let game = ConditionalGame::new(Discrete::uniform(2)?, vec![a.clone(), b.clone()], vec![b, a])?;
    /// // JSD((1/2, 1/2, 0) || (0, 1/2, 1/2)) = (1/2) ln 2 for both labels:
    /// assert!((game.expected_js() - 0.5 * 2f64.ln()).abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn expected_js(&self) -> f64 {
        self.weighted(|p, q| divergence::js(p, q).expect("shapes checked in new"))
            .clamp(0.0, std::f64::consts::LN_2)
    }

    /// `-ln 4 + 2 E_y JSD(p(.|y) || q(.|y))`: the closed form of [`Self::c_of_g`].
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::ConditionalGame};
    /// // Two labels; the generator swaps the labels' conditionals.
    /// let (a, b) = (Discrete::new(vec![0.5, 0.5, 0.0])?, Discrete::new(vec![0.0, 0.5, 0.5])?);
    /// let game = ConditionalGame::new(Discrete::uniform(2)?, vec![a.clone(), b.clone()], vec![b, a])?;
    /// // -ln 4 + 2 (1/2) ln 2 = -ln 2, as from D* directly:
    /// assert!((game.c_of_g_via_js() + 2f64.ln()).abs() < 1e-15);
    /// assert!((game.c_of_g_via_js() - game.c_of_g()).abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn c_of_g_via_js(&self) -> f64 {
        -(4f64.ln()) + 2.0 * self.expected_js()
    }

    /// `sum_y p(y) g(p(.|y), q(.|y))`, compensated, skipping labels of mass 0.
    fn weighted(&self, g: impl Fn(&Discrete, &Discrete) -> f64) -> f64 {
        let mut s = CompensatedSum::new();
        for (y, &w) in self.labels.as_slice().iter().enumerate() {
            if w > 0.0 {
                s.add(w * g(&self.data[y], &self.generated[y]));
            }
        }
        s.value()
    }

    /// The data's marginal `p(x) = sum_y p(y) p(x|y)`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::ConditionalGame};
    /// // Two labels; the generator swaps the labels' conditionals.
    /// let (a, b) = (Discrete::new(vec![0.5, 0.5, 0.0])?, Discrete::new(vec![0.0, 0.5, 0.5])?);
    /// let game = ConditionalGame::new(Discrete::uniform(2)?, vec![a.clone(), b.clone()], vec![b, a])?;
    /// assert_eq!(game.marginal_data().as_slice(), &[0.25, 0.5, 0.25]);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn marginal_data(&self) -> Discrete {
        marginal(&self.labels, &self.data)
    }

    /// The generator's marginal `q(x) = sum_y p(y) q(x|y)`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::ConditionalGame};
    /// // Two labels; the generator swaps the labels' conditionals.
    /// let (a, b) = (Discrete::new(vec![0.5, 0.5, 0.0])?, Discrete::new(vec![0.0, 0.5, 0.5])?);
    /// let game = ConditionalGame::new(Discrete::uniform(2)?, vec![a.clone(), b.clone()], vec![b, a])?;
    /// // Swapping the conditionals leaves the marginal unchanged:
    /// assert_eq!(game.marginal_generated(), game.marginal_data());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn marginal_generated(&self) -> Discrete {
        marginal(&self.labels, &self.generated)
    }

    /// `C` of the unconditional game between the two marginals,
    /// `-ln 4 + 2 JSD(p || q)`: never above [`Self::c_of_g`].
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::ConditionalGame};
    /// // Two labels; the generator swaps the labels' conditionals.
    /// let (a, b) = (Discrete::new(vec![0.5, 0.5, 0.0])?, Discrete::new(vec![0.0, 0.5, 0.5])?);
    /// let game = ConditionalGame::new(Discrete::uniform(2)?, vec![a.clone(), b.clone()], vec![b, a])?;
    /// // Equal marginals: -ln 4, below C = -ln 2 (joint convexity of JSD).
    /// assert!((game.marginal_c_of_g() + 4f64.ln()).abs() < 1e-15);
    /// assert!(game.marginal_c_of_g() <= game.c_of_g());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn marginal_c_of_g(&self) -> f64 {
        game::c_of_g(&self.marginal_data(), &self.marginal_generated())
            .expect("marginals share the point count")
    }

    /// The data's joint distribution of `(y, x)`, `p(y) p(x|y)` at index
    /// `y * point_count + x`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::ConditionalGame};
    /// // Two labels; the generator swaps the labels' conditionals.
    /// let (a, b) = (Discrete::new(vec![0.5, 0.5, 0.0])?, Discrete::new(vec![0.0, 0.5, 0.5])?);
    /// let game = ConditionalGame::new(Discrete::uniform(2)?, vec![a.clone(), b.clone()], vec![b, a])?;
    /// // p(y) p(x|y) at y * 3 + x:
    /// assert_eq!(game.joint_data().as_slice(), &[0.25, 0.25, 0.0, 0.0, 0.25, 0.25]);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn joint_data(&self) -> Discrete {
        joint(&self.labels, &self.data)
    }

    /// The generator's joint distribution of `(y, x)`, `p(y) q(x|y)` at index
    /// `y * point_count + x` (the generator is fed the data's labels).
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::ConditionalGame};
    /// // Two labels; the generator swaps the labels' conditionals.
    /// let (a, b) = (Discrete::new(vec![0.5, 0.5, 0.0])?, Discrete::new(vec![0.0, 0.5, 0.5])?);
    /// let game = ConditionalGame::new(Discrete::uniform(2)?, vec![a.clone(), b.clone()], vec![b, a])?;
    /// use gan_theory::game;
    /// assert_eq!(game.joint_generated().as_slice(), &[0.0, 0.25, 0.25, 0.25, 0.25, 0.0]);
    /// // The conditional game is the unconditional game on pairs (y, x):
    /// let joint_c = game::c_of_g(&game.joint_data(), &game.joint_generated())?;
    /// assert!((joint_c - game.c_of_g()).abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn joint_generated(&self) -> Discrete {
        joint(&self.labels, &self.generated)
    }
}

/// `sum_y w_y d_y`, normalised by its (rounding-level) total.
fn marginal(labels: &Discrete, family: &[Discrete]) -> Discrete {
    let n = family[0].len();
    let weights: Vec<f64> = (0..n)
        .map(|x| crate::numeric::sum(labels.as_slice().iter().zip(family).map(|(&w, d)| w * d[x])))
        .collect();
    Discrete::from_weights(&weights).expect("a mixture of distributions has mass")
}

/// `w_y d_y(x)` laid out label by label.
fn joint(labels: &Discrete, family: &[Discrete]) -> Discrete {
    let weights: Vec<f64> = labels
        .as_slice()
        .iter()
        .zip(family)
        .flat_map(|(&w, d)| d.as_slice().iter().map(move |&p| w * p))
        .collect();
    Discrete::from_weights(&weights).expect("a product of distributions has mass")
}

/// A discriminator that sees the label: one [`Discriminator`] per label,
/// `D(x|y)`, all on the same points.
///
/// Checked by claim [D4](crate::proofs::d4_conditional_gan).
///
/// # Example
/// ```
/// use gan_theory::{Discrete, variants::conditional::ConditionalGame};
/// // Two labels; the generator swaps the labels' conditionals.
/// let (a, b) = (Discrete::new(vec![0.5, 0.5, 0.0])?, Discrete::new(vec![0.0, 0.5, 0.5])?);
/// let game = ConditionalGame::new(Discrete::uniform(2)?, vec![a.clone(), b.clone()], vec![b, a])?;
/// use gan_theory::variants::conditional::ConditionalDiscriminator;
/// // A D that sees the label, with D = 3/4 or 1/4 where D* is 1 or 0:
/// // between D = 1/2 (V = -ln 4) and D* (V = C(G)).
/// let l = 3f64.ln();
/// let d = ConditionalDiscriminator::from_logits(vec![vec![l, 0.0, -l], vec![-l, 0.0, l]])?;
/// assert!(game.value(&d)? > -(4f64.ln()));
/// assert!(game.value(&d)? <= game.c_of_g());
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionalDiscriminator {
    per_label: Vec<Discriminator>,
}

impl ConditionalDiscriminator {
    /// Validates one discriminator per label, all of the same length.
    ///
    /// # Errors
    /// [`Error::Empty`] for no labels, [`Error::LengthMismatch`] for ragged lengths.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discriminator, Error, variants::conditional::ConditionalDiscriminator};
    /// let d0 = Discriminator::from_probabilities(vec![0.5, 0.25])?;
    /// let d1 = Discriminator::from_probabilities(vec![0.75, 0.5])?;
    /// let d = ConditionalDiscriminator::new(vec![d0.clone(), d1])?;
    /// assert_eq!(d.label(1).probability(0), 0.75);
    /// assert!(matches!(ConditionalDiscriminator::new(vec![]), Err(Error::Empty)));
    /// let short = Discriminator::from_probabilities(vec![0.5])?;
    /// assert!(ConditionalDiscriminator::new(vec![d0, short]).is_err());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn new(per_label: Vec<Discriminator>) -> Result<Self> {
        let first = per_label.first().ok_or(Error::Empty)?.len();
        for d in &per_label {
            check_same_length(first, d.len())?;
        }
        Ok(Self { per_label })
    }

    /// From logits `logits[y][x]`, `D(x|y) = sigmoid(logits[y][x])`.
    ///
    /// # Errors
    /// [`Error::Empty`], [`Error::NotANumber`], [`Error::LengthMismatch`].
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::conditional::ConditionalDiscriminator;
    /// // sigmoid(0) = 1/2, sigmoid(ln 3) = 3/4:
    /// let d = ConditionalDiscriminator::from_logits(vec![vec![0.0, 3f64.ln()], vec![-(3f64.ln()), 0.0]])?;
    /// assert_eq!(d.label(0).probability(0), 0.5);
    /// assert!((d.label(0).probability(1) - 0.75).abs() < 1e-15);
    /// assert!((d.label(1).probability(0) - 0.25).abs() < 1e-15);
    /// assert!(ConditionalDiscriminator::from_logits(vec![vec![f64::NAN]]).is_err());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn from_logits(logits: Vec<Vec<f64>>) -> Result<Self> {
        Self::new(
            logits
                .into_iter()
                .map(Discriminator::from_logits)
                .collect::<Result<_>>()?,
        )
    }

    /// The discriminator of label `y`, `D(.|y)`.
    ///
    /// # Panics
    /// When `y` is not below the number of labels.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::ConditionalGame};
    /// // Two labels; the generator swaps the labels' conditionals.
    /// let (a, b) = (Discrete::new(vec![0.5, 0.5, 0.0])?, Discrete::new(vec![0.0, 0.5, 0.5])?);
    /// let game = ConditionalGame::new(Discrete::uniform(2)?, vec![a.clone(), b.clone()], vec![b, a])?;
    /// // D*(.|1) = p(.|1) / (p(.|1) + q(.|1)) = (0, 1/2, 1):
    /// let d = game.optimal_discriminator();
    /// assert_eq!(d.label(1).probabilities(), vec![0.0, 0.5, 1.0]);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn label(&self, y: usize) -> &Discriminator {
        &self.per_label[y]
    }

    /// Number of labels.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::ConditionalGame};
    /// // Two labels; the generator swaps the labels' conditionals.
    /// let (a, b) = (Discrete::new(vec![0.5, 0.5, 0.0])?, Discrete::new(vec![0.0, 0.5, 0.5])?);
    /// let game = ConditionalGame::new(Discrete::uniform(2)?, vec![a.clone(), b.clone()], vec![b, a])?;
    /// assert_eq!(game.optimal_discriminator().label_count(), game.label_count());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn label_count(&self) -> usize {
        self.per_label.len()
    }
}

/// The pix2pix objective `L_cGAN(G, D) + lambda L1(G)` (Isola et al. 2017,
/// eq. (4)) for real-valued targets on a finite grid, exactly.
///
/// Naming: pix2pix writes `x` for the input image and `y` for the target;
/// here the input is a *label* (finitely many, with `p(y)` as in
/// [`ConditionalGame`]) and the target is a *point* of a finite grid of real
/// values `t_0, ..., t_{n-1}`. The data pairs a label with a target drawn from
/// `p(.|y)`; the generator `G(y, z)` maps the label and independent noise `z` to
/// a grid value, which on a finite grid is the same as a conditional
/// distribution `q(.|y)` (draw `z` uniform and invert q's CDF). Then
///
/// ```text
/// L1(G) = E_{y, t ~ p(.|y), z} abs(t - G(y, z))
///       = sum_y p(y) sum_{j,k} p(j|y) q(k|y) abs(t_j - t_k)     (t and z independent given y)
/// ```
///
/// Scope, all exact on finite data:
/// - [`Self::objective`] `= value + lambda L1`, and at `lambda = 0` the cGAN value;
/// - [`Self::objective_at_optimal_discriminator`] `= C(G) + lambda L1(G)`,
///   what the generator minimises when D is best;
/// - the L1 term alone is minimised by a deterministic generator at a
///   conditional median ([`Self::median_generator`], [`Self::min_l1`]);
/// - at `q = p` the L1 term's slope towards the median,
///   [`Self::l1_slope_towards_median`], is `<= 0`, and `< 0` unless every
///   point of each `p(.|y)` with `p(y) > 0` is a median: then
///   `p_g = p_data` does not minimise the pix2pix objective for any
///   `lambda > 0` (the cGAN term is flat there to first order).
///
/// Not in scope: image-valued targets, U-Net or PatchGAN architectures, and
/// continuous noise; the grid is the whole output space of G.
///
/// Checked by claim [D4](crate::proofs::d4_conditional_gan).
///
/// # Example
/// ```
/// use gan_theory::{Discrete, variants::conditional::{ConditionalGame, Pix2Pix}};
/// // One label, targets 0, 1, 2 with p(.|y) = (0.2, 0.3, 0.5); G reproduces p_data.
/// let p = Discrete::new(vec![0.2, 0.3, 0.5])?;
/// let game = ConditionalGame::new(Discrete::uniform(1)?, vec![p.clone()], vec![p])?;
/// let pix = Pix2Pix::new(game, vec![0.0, 1.0, 2.0])?;
/// assert_eq!(pix.median_generator(), vec![1.0]);   // P(t <= 1) = 0.5
/// assert!((pix.min_l1() - 0.7).abs() < 1e-15);      // 0.2 |0 - 1| + 0.5 |2 - 1|
/// // p_g = p_data pays E|t - t'| = 0.82 > 0.7: the L1 term pulls G off p_data.
/// assert!((pix.l1() - 0.82).abs() < 1e-15);
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Pix2Pix {
    game: ConditionalGame,
    targets: Vec<f64>,
}

impl Pix2Pix {
    /// A conditional game whose points are the real `targets`.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when `targets` has not one value per point;
    /// [`Error::NotANumber`] or [`Error::Infinite`] for a bad target.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::{ConditionalGame, Pix2Pix}};
    /// // One label, targets 0, 1, 2 with p(.|y) = (0.2, 0.3, 0.5); G reproduces p_data.
    /// let p = Discrete::new(vec![0.2, 0.3, 0.5])?;
    /// let game = ConditionalGame::new(Discrete::uniform(1)?, vec![p.clone()], vec![p])?;
    /// let pix = Pix2Pix::new(game, vec![0.0, 1.0, 2.0])?;
    /// assert_eq!(pix.targets(), &[0.0, 1.0, 2.0]);
    /// // One target per point, each finite:
    /// assert!(Pix2Pix::new(pix.game().clone(), vec![0.0, 1.0]).is_err());
    /// assert!(Pix2Pix::new(pix.game().clone(), vec![0.0, f64::NAN, 2.0]).is_err());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn new(game: ConditionalGame, targets: Vec<f64>) -> Result<Self> {
        check_same_length(game.point_count(), targets.len())?;
        crate::measure::check_finite(&targets)?;
        Ok(Self { game, targets })
    }

    /// The conditional game.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::{ConditionalGame, Pix2Pix}};
    /// // One label, targets 0, 1, 2 with p(.|y) = (0.2, 0.3, 0.5); G reproduces p_data.
    /// let p = Discrete::new(vec![0.2, 0.3, 0.5])?;
    /// let game = ConditionalGame::new(Discrete::uniform(1)?, vec![p.clone()], vec![p])?;
    /// let pix = Pix2Pix::new(game, vec![0.0, 1.0, 2.0])?;
    /// // G reproduces p_data, so the cGAN part is at its optimum -ln 4:
    /// assert!((pix.game().c_of_g() + 4f64.ln()).abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn game(&self) -> &ConditionalGame {
        &self.game
    }

    /// The target values of the points.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::{ConditionalGame, Pix2Pix}};
    /// // One label, targets 0, 1, 2 with p(.|y) = (0.2, 0.3, 0.5); G reproduces p_data.
    /// let p = Discrete::new(vec![0.2, 0.3, 0.5])?;
    /// let game = ConditionalGame::new(Discrete::uniform(1)?, vec![p.clone()], vec![p])?;
    /// let pix = Pix2Pix::new(game, vec![0.0, 1.0, 2.0])?;
    /// assert_eq!(pix.targets().len(), pix.game().point_count());
    /// assert_eq!(pix.targets(), &[0.0, 1.0, 2.0]);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn targets(&self) -> &[f64] {
        &self.targets
    }

    /// `E abs(t - t')` for `t ~ a`, `t' ~ b` on the grid.
    fn mean_abs_difference(&self, a: &Discrete, b: &Discrete) -> f64 {
        let mut s = CompensatedSum::new();
        for (j, &pj) in a.as_slice().iter().enumerate() {
            if pj == 0.0 {
                continue;
            }
            for (k, &qk) in b.as_slice().iter().enumerate() {
                if qk > 0.0 {
                    s.add(weighted_distance(pj * qk, self.targets[j], self.targets[k]));
                }
            }
        }
        s.value()
    }

    /// `L1(G) = sum_y p(y) E_{t ~ p(.|y), t' ~ q(.|y)} abs(t - t')`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::{ConditionalGame, Pix2Pix}};
    /// // One label, targets 0, 1, 2 with p(.|y) = (0.2, 0.3, 0.5); G reproduces p_data.
    /// let p = Discrete::new(vec![0.2, 0.3, 0.5])?;
    /// let game = ConditionalGame::new(Discrete::uniform(1)?, vec![p.clone()], vec![p])?;
    /// let pix = Pix2Pix::new(game, vec![0.0, 1.0, 2.0])?;
    /// // sum_{j,k} p_j p_k |t_j - t_k| = 2 (0.2*0.3*1 + 0.2*0.5*2 + 0.3*0.5*1) = 0.82:
    /// assert!((pix.l1() - 0.82).abs() < 1e-15);
    /// // A generator always at t = 2: E|t - 2| = 0.2*2 + 0.3*1 = 0.7.
    /// let at_two = pix.game().with_generated(vec![Discrete::point_mass(3, 2)?])?;
    /// assert!((Pix2Pix::new(at_two, vec![0.0, 1.0, 2.0])?.l1() - 0.7).abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn l1(&self) -> f64 {
        let g = &self.game;
        let mut s = CompensatedSum::new();
        for (y, &w) in g.labels.as_slice().iter().enumerate() {
            if w > 0.0 {
                s.add(w * self.mean_abs_difference(&g.data[y], &g.generated[y]));
            }
        }
        s.value()
    }

    /// L1 of a deterministic generator `G(y) = outputs[y]` (any real values,
    /// not only grid points): `sum_y p(y) E_{t ~ p(.|y)} abs(t - outputs[y])`.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`], [`Error::NotANumber`], [`Error::Infinite`].
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::{ConditionalGame, Pix2Pix}};
    /// // One label, targets 0, 1, 2 with p(.|y) = (0.2, 0.3, 0.5); G reproduces p_data.
    /// let p = Discrete::new(vec![0.2, 0.3, 0.5])?;
    /// let game = ConditionalGame::new(Discrete::uniform(1)?, vec![p.clone()], vec![p])?;
    /// let pix = Pix2Pix::new(game, vec![0.0, 1.0, 2.0])?;
    /// // E|t - c| = 0.2 |c| + 0.3 |1 - c| + 0.5 |2 - c|:
    /// assert!((pix.l1_deterministic(&[0.0])? - 1.3).abs() < 1e-15);
    /// // Constant 0.7 on the whole median interval [1, 2], off-grid values included:
    /// for c in [1.0, 1.5, 2.0] {
    ///     assert!((pix.l1_deterministic(&[c])? - 0.7).abs() < 1e-15);
    /// }
    /// assert!(pix.l1_deterministic(&[1.0, 2.0]).is_err()); // one output per label
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn l1_deterministic(&self, outputs: &[f64]) -> Result<f64> {
        let g = &self.game;
        check_same_length(g.label_count(), outputs.len())?;
        crate::measure::check_finite(outputs)?;
        let mut s = CompensatedSum::new();
        for (y, &w) in g.labels.as_slice().iter().enumerate() {
            if w > 0.0 {
                s.add(w * expected_distance(&g.data[y], &self.targets, outputs[y]));
            }
        }
        Ok(s.value())
    }

    /// A conditional median per label: the smallest grid value `m` with
    /// `P(t <= m | y) >= 1/2` under `p(.|y)`. `E abs(t - c)` is minimised over
    /// all real `c` there (every value between the lower and the upper median
    /// does as well).
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::{ConditionalGame, Pix2Pix}};
    /// // Two labels on targets (2, 0, 1) (not sorted): medians 0 and 2.
    /// let (lo, hi) = (Discrete::new(vec![0.1, 0.6, 0.3])?, Discrete::new(vec![0.7, 0.1, 0.2])?);
    /// let game = ConditionalGame::new(Discrete::uniform(2)?, vec![lo.clone(), hi.clone()], vec![lo, hi])?;
    /// let pix = Pix2Pix::new(game, vec![2.0, 0.0, 1.0])?;
    /// assert_eq!(pix.median_generator(), vec![0.0, 2.0]);
    /// // No grid value does better for the L1 term:
    /// let best = pix.min_l1();
    /// for a in [0.0, 1.0, 2.0] {
    ///     for b in [0.0, 1.0, 2.0] {
    ///         assert!(pix.l1_deterministic(&[a, b])? >= best);
    ///     }
    /// }
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn median_generator(&self) -> Vec<f64> {
        let mut order: Vec<usize> = (0..self.targets.len()).collect();
        order.sort_by(|&a, &b| self.targets[a].total_cmp(&self.targets[b]));
        self.game
            .data
            .iter()
            .map(|p| {
                let mut below = CompensatedSum::new();
                for &j in &order {
                    below.add(p[j]);
                    // Compare 2 P(t <= m) with 1 so that an exact half counts.
                    if 2.0 * below.value() >= 1.0 - crate::tol::sum_tolerance(p.len()) {
                        return self.targets[j];
                    }
                }
                self.targets[*order.last().expect("a game has points")]
            })
            .collect()
    }

    /// `min_G L1(G)`, reached by [`Self::median_generator`].
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::{ConditionalGame, Pix2Pix}};
    /// // One label, targets 0, 1, 2 with p(.|y) = (0.2, 0.3, 0.5); G reproduces p_data.
    /// let p = Discrete::new(vec![0.2, 0.3, 0.5])?;
    /// let game = ConditionalGame::new(Discrete::uniform(1)?, vec![p.clone()], vec![p])?;
    /// let pix = Pix2Pix::new(game, vec![0.0, 1.0, 2.0])?;
    /// // E|t - 1| = 0.2 + 0.5, below every other constant output on a fine grid:
    /// assert!((pix.min_l1() - 0.7).abs() < 1e-15);
    /// for k in -10..=30 {
    ///     assert!(pix.l1_deterministic(&[k as f64 / 10.0])? >= pix.min_l1() - 1e-15);
    /// }
    /// // and below the stochastic generator q = p:
    /// assert!(pix.min_l1() < pix.l1());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn min_l1(&self) -> f64 {
        self.l1_deterministic(&self.median_generator())
            .expect("one finite median per label")
    }

    /// `L_cGAN(G, D) + lambda L1(G)` with `L_cGAN` the conditional value
    /// [`ConditionalGame::value`].
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] for a discriminator of another shape;
    /// [`Error::InvalidParameter`] unless `lambda` is finite and `>= 0`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::{ConditionalGame, Pix2Pix}};
    /// // One label, targets 0, 1, 2 with p(.|y) = (0.2, 0.3, 0.5); G reproduces p_data.
    /// let p = Discrete::new(vec![0.2, 0.3, 0.5])?;
    /// let game = ConditionalGame::new(Discrete::uniform(1)?, vec![p.clone()], vec![p])?;
    /// let pix = Pix2Pix::new(game, vec![0.0, 1.0, 2.0])?;
    /// use gan_theory::variants::conditional::ConditionalDiscriminator;
    /// // At D = 1/2: V = -ln 4, so the objective is -ln 4 + lambda 0.82.
    /// let half = ConditionalDiscriminator::from_logits(vec![vec![0.0; 3]])?;
    /// assert!((pix.objective(&half, 0.0)? + 4f64.ln()).abs() < 1e-15);
    /// assert!((pix.objective(&half, 10.0)? - (-(4f64.ln()) + 8.2)).abs() < 1e-14);
    /// assert!(pix.objective(&half, -1.0).is_err());
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn objective(&self, d: &ConditionalDiscriminator, lambda: f64) -> Result<f64> {
        check_lambda(lambda)?;
        Ok(self.game.value(d)? + lambda * self.l1())
    }

    /// `max_D (L_cGAN(G, D) + lambda L1(G)) = C(G) + lambda L1(G)`: L1 does
    /// not depend on D, so the best D is still `D*(x|y)`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `lambda` is finite and `>= 0`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::{ConditionalGame, Pix2Pix}};
    /// // One label, targets 0, 1, 2 with p(.|y) = (0.2, 0.3, 0.5); G reproduces p_data.
    /// let p = Discrete::new(vec![0.2, 0.3, 0.5])?;
    /// let game = ConditionalGame::new(Discrete::uniform(1)?, vec![p.clone()], vec![p])?;
    /// let pix = Pix2Pix::new(game, vec![0.0, 1.0, 2.0])?;
    /// use gan_theory::variants::conditional::ConditionalDiscriminator;
    /// // C(G) + lambda L1 = -ln 4 + 2 * 0.82, the objective at D*, above any other D's:
    /// let best = pix.objective_at_optimal_discriminator(2.0)?;
    /// assert!((best - (-(4f64.ln()) + 1.64)).abs() < 1e-15);
    /// let d_star = pix.game().optimal_discriminator();
    /// assert!((pix.objective(&d_star, 2.0)? - best).abs() < 1e-15);
    /// let other = ConditionalDiscriminator::from_logits(vec![vec![1.0, -1.0, 0.5]])?;
    /// assert!(pix.objective(&other, 2.0)? <= best);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn objective_at_optimal_discriminator(&self, lambda: f64) -> Result<f64> {
        check_lambda(lambda)?;
        Ok(self.game.c_of_g() + lambda * self.l1())
    }

    /// At `q(.|y) = p(.|y)`, the derivative of L1 along
    /// `q_s(.|y) = (1 - s) p(.|y) + s delta_{m_y}` at `s = 0`, with `m_y` the
    /// [`Self::median_generator`] value (a grid point in `p(.|y)`'s support):
    /// `sum_y p(y) (E abs(t - m_y) - E abs(t - t'))`, `t, t'` independent draws
    /// of `p(.|y)`. L1 is linear in `q`, so this is also the exact slope.
    /// Evaluated from the data alone (the game's generator is not used).
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, variants::conditional::{ConditionalGame, Pix2Pix}};
    /// // One label, targets 0, 1, 2 with p(.|y) = (0.2, 0.3, 0.5); G reproduces p_data.
    /// let p = Discrete::new(vec![0.2, 0.3, 0.5])?;
    /// let game = ConditionalGame::new(Discrete::uniform(1)?, vec![p.clone()], vec![p])?;
    /// let pix = Pix2Pix::new(game, vec![0.0, 1.0, 2.0])?;
    /// // E|t - 1| - E|t - t'| = 0.7 - 0.82:
    /// let slope = pix.l1_slope_towards_median();
    /// assert!((slope + 0.12).abs() < 1e-15);
    /// // L1 is linear in q: the chord to q_s = 0.9 p + 0.1 delta_1 has that slope.
    /// let q_s = Discrete::new(vec![0.18, 0.37, 0.45])?;
    /// let moved = Pix2Pix::new(pix.game().with_generated(vec![q_s])?, vec![0.0, 1.0, 2.0])?;
    /// assert!(((moved.l1() - pix.l1()) / 0.1 - slope).abs() < 1e-13);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn l1_slope_towards_median(&self) -> f64 {
        let g = &self.game;
        let medians = self.median_generator();
        let mut s = CompensatedSum::new();
        for (y, &w) in g.labels.as_slice().iter().enumerate() {
            if w > 0.0 {
                let p = &g.data[y];
                let to_median = expected_distance(p, &self.targets, medians[y]);
                s.add(w * (to_median - self.mean_abs_difference(p, p)));
            }
        }
        s.value()
    }
}

/// `w abs(s - t)` for a weight `0 <= w <= 1` and finite `s`, `t`, finite
/// whenever the product is: `s - t` alone overflows for targets of opposite
/// signs beyond `f64::MAX / 2`, and then the halves are subtracted (exact
/// for such large values) and the product doubled.
fn weighted_distance(w: f64, s: f64, t: f64) -> f64 {
    let d = (s - t).abs();
    if d.is_finite() {
        w * d
    } else {
        2.0 * (w * (0.5 * s - 0.5 * t).abs())
    }
}

/// `E_{j ~ p} abs(targets[j] - c)`, compensated, finite whenever its value
/// is (see [`weighted_distance`]).
pub(crate) fn expected_distance(p: &Discrete, targets: &[f64], c: f64) -> f64 {
    let mut s = CompensatedSum::new();
    for (&pj, &t) in p.as_slice().iter().zip(targets) {
        if pj > 0.0 {
            s.add(weighted_distance(pj, t, c));
        }
    }
    s.value()
}

fn check_lambda(lambda: f64) -> Result<()> {
    if lambda.is_finite() && lambda >= 0.0 {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            name: "lambda",
            value: lambda,
            requirement: "must be finite and >= 0",
        })
    }
}
