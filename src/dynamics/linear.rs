//! Real 2x2 matrices: eigenvalues in closed form, their distance, the
//! spectral radius, and a real basis in which the matrix's operator norm is
//! its spectral radius.
//!
//! Serves claim [E1](crate::proofs::e1_dirac_gan).
//!
//! For `A = [[p, q], [r, s]]` the eigenvalues are `m ± sqrt(d)` with
//! `m = (p + s)/2` and `d = ((p - s)/2)^2 + q r` (the same as
//! `m^2 - det A`, without its cancellation).

use nalgebra::{Complex, Matrix2};

/// The eigenvalues of a real 2x2 matrix in closed form, the one with the
/// larger imaginary part (then the larger real part) first.
///
/// A real pair is computed as `m + sign(m) sqrt(d)` and `det / (that)` so
/// that neither root cancels; when both roots are small against the entries
/// (`(that)^2 <= |p s| + |q r|`), where `det`'s rounding would dominate the
/// quotient, the second is `m - sign(m) sqrt(d)`, and for `d = 0` both are
/// `m`.
///
/// Checked by claim [E1](crate::proofs::e1_dirac_gan).
///
/// # Example
/// ```
/// use gan_theory::dynamics::linear::eigenvalues;
/// use gan_theory::nalgebra::Matrix2;
/// let [a, b] = eigenvalues(&Matrix2::new(0.0, -0.5, 0.5, 0.0));
/// assert_eq!((a.re, a.im, b.re, b.im), (0.0, 0.5, 0.0, -0.5));
/// ```
pub fn eigenvalues(m: &Matrix2<f64>) -> [Complex<f64>; 2] {
    // Divided by a power of two near the largest entry (exact), so that the
    // squares below cannot overflow for entries near f64::MAX.
    let largest = m.abs().max();
    let unit = if largest > 0.0 && largest.is_finite() {
        largest.log2().floor().exp2()
    } else {
        1.0
    };
    let (p, q, r, s) = (
        m[(0, 0)] / unit,
        m[(0, 1)] / unit,
        m[(1, 0)] / unit,
        m[(1, 1)] / unit,
    );
    let centre = 0.5 * (p + s);
    let half_gap = 0.5 * (p - s);
    let d = half_gap * half_gap + q * r;
    if d < 0.0 {
        let im = (-d).sqrt() * unit;
        [
            Complex::new(centre * unit, im),
            Complex::new(centre * unit, -im),
        ]
    } else {
        let root = d.sqrt();
        let big = centre + root.copysign(centre);
        // The small root is det / big, with det in the original units
        // unless it overflows or underflows there (diag(1e-300, -1e-300) has
        // det -1e-600): then from the scaled entries, which can lose q r
        // only when the entries differ by more than the float range's square
        // root.
        let det = m[(0, 0)] * m[(1, 1)] - m[(0, 1)] * m[(1, 0)];
        let (small, big) = if big == 0.0 {
            (0.0, 0.0)
        } else if root == 0.0 || big * big <= (p * s).abs() + (q * r).abs() {
            // Both roots are small against the entries: det carries a
            // rounding error of about EPS (|p s| + |q r|) (scaled units),
            // which det / big would blow up (a root of 1.4e-8 came out as
            // 0.087 when d rounded to 0 and big to centre = -2.6e-15); the
            // difference below errs by about EPS |big| instead. At equality
            // the bounds agree, and the difference keeps a double root
            // exact (det / big is a^2 / a for a I, which rounds off a).
            // A double root (d = 0) is the centre twice: det / centre can
            // round an ulp off it even where the root is exact.
            ((centre - root.copysign(centre)) * unit, big * unit)
        } else if det.is_normal() {
            (det / (big * unit), big * unit)
        } else {
            ((p * s - q * r) / big * unit, big * unit)
        };
        let (hi, lo) = if big >= small {
            (big, small)
        } else {
            (small, big)
        };
        [Complex::new(hi, 0.0), Complex::new(lo, 0.0)]
    }
}

/// The eigenvalues by nalgebra's Schur decomposition, ordered as
/// [`eigenvalues`] orders them (for cross-checking the closed form).
///
/// Checked by claim [E1](crate::proofs::e1_dirac_gan).
pub fn eigenvalues_nalgebra(m: &Matrix2<f64>) -> [Complex<f64>; 2] {
    let e = m.complex_eigenvalues();
    sorted([e[0], e[1]])
}

/// The pair ordered by imaginary part, then real part, larger first.
pub fn sorted(mut pair: [Complex<f64>; 2]) -> [Complex<f64>; 2] {
    let key = |z: &Complex<f64>| (z.im, z.re);
    if key(&pair[1]).partial_cmp(&key(&pair[0])) == Some(std::cmp::Ordering::Greater) {
        pair.swap(0, 1);
    }
    pair
}

/// The distance between two eigenvalue pairs as multisets: the smaller over
/// the two matchings of the larger of the two `|a_i - b_j|`.
///
/// Checked by claim [E1](crate::proofs::e1_dirac_gan).
///
/// # Example
/// ```
/// use gan_theory::dynamics::linear::eigenvalue_distance;
/// use gan_theory::nalgebra::Complex;
/// let a = [Complex::new(0.0, 1.0), Complex::new(0.0, -1.0)];
/// let b = [Complex::new(0.0, -1.0), Complex::new(0.1, 1.0)];   // the same, swapped, one moved
/// assert!((eigenvalue_distance(&a, &b) - 0.1).abs() < 1e-15);
/// ```
pub fn eigenvalue_distance(a: &[Complex<f64>; 2], b: &[Complex<f64>; 2]) -> f64 {
    let straight = (a[0] - b[0]).norm().max((a[1] - b[1]).norm());
    let crossed = (a[0] - b[1]).norm().max((a[1] - b[0]).norm());
    straight.min(crossed)
}

/// The spectral radius `max |lambda|`.
///
/// Checked by claim [E1](crate::proofs::e1_dirac_gan).
///
/// # Example
/// ```
/// use gan_theory::dynamics::linear::spectral_radius;
/// use gan_theory::nalgebra::Matrix2;
/// // A rotation by 90 degrees scaled by 3: eigenvalues ± 3i.
/// assert_eq!(spectral_radius(&Matrix2::new(0.0, -3.0, 3.0, 0.0)), 3.0);
/// // Real eigenvalues 2 and -5.
/// assert_eq!(spectral_radius(&Matrix2::new(2.0, 0.0, 0.0, -5.0)), 5.0);
/// ```
pub fn spectral_radius(m: &Matrix2<f64>) -> f64 {
    let [a, b] = eigenvalues(m);
    a.norm().max(b.norm())
}

/// A real basis `P` (columns) with `P^-1 A P` either `[[alpha, beta],
/// [-beta, alpha]]` (complex eigenvalues `alpha ± i beta`) or diagonal (real
/// distinct eigenvalues): in the norm `|x|_P = |P^-1 x|_2`, `A` then has
/// operator norm exactly its spectral radius.
///
/// Checked by claim [E1](crate::proofs::e1_dirac_gan).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NormalForm {
    /// The basis `P`.
    pub basis: Matrix2<f64>,
    /// `P^-1`.
    pub inverse: Matrix2<f64>,
    /// The spectral radius of `A`, the operator norm of `P^-1 A P`.
    pub rate: f64,
}

impl NormalForm {
    /// The normal form of `a`, or `None` when `a` has a repeated eigenvalue
    /// (then no basis makes its norm equal to the spectral radius unless `a`
    /// is a multiple of the identity) or `P` is numerically singular.
    ///
    /// For `lambda = alpha + i beta`, `beta > 0`, the eigenvector
    /// `w = (q, lambda - p)` (`q != 0` whenever the eigenvalues are complex)
    /// gives `P = [Re w, Im w]`; for real eigenvalues the columns are the
    /// eigenvectors `(q, lambda - p)` or `(lambda - s, r)`.
    pub fn of(a: &Matrix2<f64>) -> Option<Self> {
        let (p, q, r, s) = (a[(0, 0)], a[(0, 1)], a[(1, 0)], a[(1, 1)]);
        let [l1, l2] = eigenvalues(a);
        let basis = if l1.im > 0.0 {
            Matrix2::new(q, 0.0, l1.re - p, l1.im)
        } else if l1.re == l2.re {
            return None;
        } else if q != 0.0 {
            Matrix2::new(q, q, l1.re - p, l2.re - p)
        } else if r != 0.0 {
            Matrix2::new(l1.re - s, l2.re - s, r, r)
        } else {
            // Diagonal with distinct entries: the axes are eigenvectors.
            Matrix2::identity()
        };
        let inverse = basis.try_inverse()?;
        Some(Self {
            basis,
            inverse,
            rate: l1.norm().max(l2.norm()),
        })
    }
}
