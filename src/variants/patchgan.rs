//! PatchGAN, the "Markovian discriminator" of pix2pix, on small binary
//! images, exactly (claim [F5](crate::proofs::f5_patchgan)).
//!
//! An image is a `height x width` grid of bits, numbered by the integer whose
//! bit `r * width + c` is the pixel in row `r`, column `c`; a distribution on
//! images is a [`Discrete`] on all `2^(height width)` of them. A patch
//! discriminator looks at every `patch_height x patch_width` window (at each
//! of the `P` positions where it fits), scores it with the same function `D`
//! of the window's pattern (shared weights), and the losses of the windows
//! are averaged:
//!
//! ```text
//! V(D, G) = (1/P) sum_k ( E_{x~p_data} ln D(w_k(x)) + E_{x~p_g} ln(1 - D(w_k(x))) )
//! ```
//!
//! with `w_k(x)` the pattern of the window at position `k` (an integer whose
//! bit `i * patch_width + j` is the window's pixel `(i, j)`). Exchanging the
//! sums, `V` is Goodfellow's value on patterns for the position-averaged
//! pattern distributions `avg_k w_k # p_data` and `avg_k w_k # p_g`, so its
//! optimum is the pattern-level `D*` and `max_D V = -ln 4 + 2 JSD` of those
//! averages ([`PatchGame::c_of_g`]). [`PatchGame::value`] computes `V` from the
//! definition, image by image and window by window.

use crate::divergence;
use crate::error::{Error, Result, check_same_length};
use crate::game::{self, Discriminator};
use crate::measure::Discrete;
use crate::numeric::CompensatedSum;

/// The most pixels an image may have: `2^16` images, whose windows a game
/// tabulates once (at most 16 positions each, 4 MB).
pub const MAX_PIXELS: usize = 16;

/// A patch game: image and window sizes, the data's and the generator's
/// distributions on the images.
///
/// Checked by claim [F5](crate::proofs::f5_patchgan).
///
/// # Example
/// Vertical stripes `101` against `010` on 3 x 3 images: every window of
/// the one is a window of the other at the neighbouring position, so the
/// patch discriminator cannot tell them apart, while a discriminator per
/// position, or one that sees whole images, tells them apart perfectly.
/// ```
/// use gan_theory::Discrete;
/// use gan_theory::variants::patchgan::{PatchGame, image_from_rows};
/// let a = image_from_rows(&["101", "101", "101"])?;
/// let b = image_from_rows(&["010", "010", "010"])?;
/// let game = PatchGame::new(3, 3, 2, 2, Discrete::point_mass(512, a)?, Discrete::point_mass(512, b)?)?;
/// let ln4 = 4f64.ln();
/// assert!((game.c_of_g()? + ln4).abs() < 1e-15);          // the patch game's minimum
/// assert!(game.per_position_c_of_g()?.abs() < 1e-15);      // -ln 4 + 2 ln 2 = 0
/// assert!(game.image_c_of_g()?.abs() < 1e-15);
/// // The optimal patch discriminator is 1/2 on both patterns and has value -ln 4:
/// assert!((game.value(&game.optimal_discriminator()?)? + ln4).abs() < 1e-15);
/// # Ok::<(), gan_theory::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PatchGame {
    height: usize,
    width: usize,
    patch_height: usize,
    patch_width: usize,
    data: Discrete,
    generated: Discrete,
    /// `windows[x * positions + k]`: the pattern of image `x` at position `k`.
    windows: Vec<u32>,
}

/// The image with the given rows of `'0'` and `'1'` characters, as its
/// index: bit `r * width + c` is the pixel in row `r`, column `c`.
///
/// Checked by claim [F5](crate::proofs::f5_patchgan).
///
/// # Errors
/// [`Error::Empty`] for no rows or an empty row; [`Error::InvalidParameter`]
/// for rows of different lengths, a character other than `0` and `1`, or
/// more than [`MAX_PIXELS`] pixels.
///
/// # Example
/// ```
/// use gan_theory::variants::patchgan::image_from_rows;
/// assert_eq!(image_from_rows(&["10", "01"])?, 0b1001);   // pixels (0,0) and (1,1)
/// assert_eq!(image_from_rows(&["011"])?, 0b110);
/// assert!(image_from_rows(&["10", "0"]).is_err());
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn image_from_rows(rows: &[&str]) -> Result<usize> {
    let width = rows.first().map(|r| r.len()).unwrap_or(0);
    if width == 0 {
        return Err(Error::Empty);
    }
    if width * rows.len() > MAX_PIXELS {
        return Err(Error::InvalidParameter {
            name: "pixels",
            value: (width * rows.len()) as f64,
            requirement: "at most MAX_PIXELS = 16",
        });
    }
    let mut index = 0usize;
    for (r, row) in rows.iter().enumerate() {
        if row.len() != width {
            return Err(Error::InvalidParameter {
                name: "row",
                value: r as f64,
                requirement: "every row has the first row's length",
            });
        }
        for (c, ch) in row.chars().enumerate() {
            match ch {
                '0' => {}
                '1' => index |= 1 << (r * width + c),
                _ => {
                    return Err(Error::InvalidParameter {
                        name: "row",
                        value: r as f64,
                        requirement: "pixels are the characters 0 and 1",
                    });
                }
            }
        }
    }
    Ok(index)
}

/// The uniform distribution on the `height x width` images whose number of
/// ones is even (`odd = false`) or odd (`odd = true`).
///
/// Any set of fewer than all `height width` pixels is uniformly distributed
/// under either (the last pixel of the image fixes the parity), so every
/// window smaller than the image has the same distribution under both, while
/// the two have disjoint supports (F5 proof, step 4).
///
/// Checked by claim [F5](crate::proofs::f5_patchgan).
///
/// # Errors
/// [`Error::InvalidParameter`] for no pixels or more than [`MAX_PIXELS`].
///
/// # Example
/// ```
/// use gan_theory::{divergence, variants::patchgan::parity_images};
/// let (even, odd) = (parity_images(3, 3, false)?, parity_images(3, 3, true)?);
/// assert_eq!(even.support().count(), 256);
/// assert!((divergence::js(&even, &odd)? - 2f64.ln()).abs() < 1e-15);   // disjoint
/// # Ok::<(), gan_theory::Error>(())
/// ```
pub fn parity_images(height: usize, width: usize, odd: bool) -> Result<Discrete> {
    let pixels = check_pixels(height, width)?;
    let weights: Vec<f64> = (0..1usize << pixels)
        .map(|x| {
            if (x.count_ones() % 2 == 1) == odd {
                1.0
            } else {
                0.0
            }
        })
        .collect();
    Discrete::from_weights(&weights)
}

fn check_pixels(height: usize, width: usize) -> Result<usize> {
    let pixels = height * width;
    if pixels == 0 || pixels > MAX_PIXELS {
        return Err(Error::InvalidParameter {
            name: "pixels",
            value: pixels as f64,
            requirement: "between 1 and MAX_PIXELS = 16",
        });
    }
    Ok(pixels)
}

impl PatchGame {
    /// A patch game on `height x width` images with `patch_height x
    /// patch_width` windows; `data` and `generated` are distributions on the
    /// `2^(height width)` images.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for an image with no pixels or more than
    /// [`MAX_PIXELS`], or a window that is empty or larger than the image;
    /// [`Error::LengthMismatch`] when a distribution does not have
    /// `2^(height width)` entries.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::variants::patchgan::PatchGame;
    /// let u = Discrete::uniform(16)?;   // 2 x 2 images
    /// assert!(PatchGame::new(2, 2, 2, 2, u.clone(), u.clone()).is_ok());
    /// assert!(PatchGame::new(2, 2, 3, 1, u.clone(), u.clone()).is_err());   // window too tall
    /// assert!(PatchGame::new(2, 3, 1, 1, u.clone(), u).is_err());           // 2 x 3 has 64 images
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn new(
        height: usize,
        width: usize,
        patch_height: usize,
        patch_width: usize,
        data: Discrete,
        generated: Discrete,
    ) -> Result<Self> {
        let pixels = check_pixels(height, width)?;
        if patch_height == 0 || patch_width == 0 || patch_height > height || patch_width > width {
            return Err(Error::InvalidParameter {
                name: "window",
                value: (patch_height * patch_width) as f64,
                requirement: "a non-empty window that fits in the image",
            });
        }
        check_same_length(1 << pixels, data.len())?;
        check_same_length(1 << pixels, generated.len())?;
        let positions = (height - patch_height + 1) * (width - patch_width + 1);
        let across = width - patch_width + 1;
        let mut windows = Vec::with_capacity((1 << pixels) * positions);
        for image in 0..1usize << pixels {
            for position in 0..positions {
                let (top, left) = (position / across, position % across);
                let mut pattern = 0u32;
                for i in 0..patch_height {
                    for j in 0..patch_width {
                        let bit = ((image >> ((top + i) * width + left + j)) & 1) as u32;
                        pattern |= bit << (i * patch_width + j);
                    }
                }
                windows.push(pattern);
            }
        }
        Ok(Self {
            height,
            width,
            patch_height,
            patch_width,
            data,
            generated,
            windows,
        })
    }

    /// The same game with another generator.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when `generated` is not on this game's images.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::variants::patchgan::PatchGame;
    /// let game = PatchGame::new(2, 2, 1, 1, Discrete::uniform(16)?, Discrete::point_mass(16, 0)?)?;
    /// let fixed = game.with_generated(Discrete::uniform(16)?)?;
    /// assert!((fixed.c_of_g()? + 4f64.ln()).abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn with_generated(&self, generated: Discrete) -> Result<Self> {
        check_same_length(self.data.len(), generated.len())?;
        Ok(Self {
            generated,
            ..self.clone()
        })
    }

    /// The data's distribution on the images.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::variants::patchgan::PatchGame;
    /// let game = PatchGame::new(1, 2, 1, 1, Discrete::point_mass(4, 3)?, Discrete::uniform(4)?)?;
    /// assert_eq!(game.data()[3], 1.0);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn data(&self) -> &Discrete {
        &self.data
    }

    /// The generator's distribution on the images.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::variants::patchgan::PatchGame;
    /// let game = PatchGame::new(1, 2, 1, 1, Discrete::point_mass(4, 3)?, Discrete::uniform(4)?)?;
    /// assert_eq!(game.generated()[3], 0.25);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn generated(&self) -> &Discrete {
        &self.generated
    }

    /// The number of window positions, `(height - patch_height + 1)(width - patch_width + 1)`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::variants::patchgan::PatchGame;
    /// let u = Discrete::uniform(512)?;
    /// assert_eq!(PatchGame::new(3, 3, 2, 2, u.clone(), u)?.positions(), 4);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn positions(&self) -> usize {
        (self.height - self.patch_height + 1) * (self.width - self.patch_width + 1)
    }

    /// The number of window patterns, `2^(patch_height patch_width)`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::variants::patchgan::PatchGame;
    /// let u = Discrete::uniform(512)?;
    /// assert_eq!(PatchGame::new(3, 3, 2, 2, u.clone(), u)?.patterns(), 16);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn patterns(&self) -> usize {
        1 << (self.patch_height * self.patch_width)
    }

    /// The pattern of the window at `position` (row-major over the positions
    /// where the window fits) in `image`: bit `i * patch_width + j` is the
    /// image's pixel at row `top + i`, column `left + j`.
    ///
    /// # Panics
    /// If `position >= self.positions()` or `image >= 2^(height width)`.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::variants::patchgan::{PatchGame, image_from_rows};
    /// let u = Discrete::uniform(512)?;
    /// let game = PatchGame::new(3, 3, 2, 2, u.clone(), u)?;
    /// let x = image_from_rows(&["100", "010", "001"])?;
    /// assert_eq!(game.window(x, 0), image_from_rows(&["10", "01"])?);   // top left
    /// assert_eq!(game.window(x, 1), image_from_rows(&["00", "10"])?);   // top right
    /// assert_eq!(game.window(x, 3), image_from_rows(&["10", "01"])?);   // bottom right
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn window(&self, image: usize, position: usize) -> usize {
        let positions = self.positions();
        assert!(position < positions, "position {position} out of range");
        assert!(image < self.data.len(), "image {image} out of range");
        self.windows[image * positions + position] as usize
    }

    /// The distribution of the window's pattern at each position under the
    /// image distribution `images` (one [`Discrete`] on the patterns per
    /// position).
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when `images` is not on this game's images.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::patchgan::{PatchGame, parity_images};
    /// let even = parity_images(3, 3, false)?;
    /// let game = PatchGame::new(3, 3, 2, 2, even.clone(), parity_images(3, 3, true)?)?;
    /// // Every window of an even-parity image is uniform on the 16 patterns.
    /// for d in game.windows_at_each_position(&even)? {
    ///     assert!(d.as_slice().iter().all(|&p| (p - 1.0 / 16.0).abs() < 1e-15));
    /// }
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn windows_at_each_position(&self, images: &Discrete) -> Result<Vec<Discrete>> {
        check_same_length(self.data.len(), images.len())?;
        (0..self.positions())
            .map(|k| {
                let mut mass = vec![0.0; self.patterns()];
                for (x, &p) in images.as_slice().iter().enumerate() {
                    if p > 0.0 {
                        mass[self.window(x, k)] += p;
                    }
                }
                Discrete::from_weights(&mass)
            })
            .collect()
    }

    /// The position-averaged pattern distribution `(1/P) sum_k w_k # images`.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when `images` is not on this game's images.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::variants::patchgan::{PatchGame, image_from_rows};
    /// let x = image_from_rows(&["101", "101", "101"])?;
    /// let game = PatchGame::new(3, 3, 2, 2, Discrete::point_mass(512, x)?, Discrete::uniform(512)?)?;
    /// let averaged = game.averaged_windows(game.data())?;
    /// // Half the windows read "10/10", half "01/01".
    /// assert_eq!(averaged[image_from_rows(&["10", "10"])?], 0.5);
    /// assert_eq!(averaged[image_from_rows(&["01", "01"])?], 0.5);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn averaged_windows(&self, images: &Discrete) -> Result<Discrete> {
        check_same_length(self.data.len(), images.len())?;
        let mut mass = vec![0.0; self.patterns()];
        for (x, &p) in images.as_slice().iter().enumerate() {
            if p > 0.0 {
                for k in 0..self.positions() {
                    mass[self.window(x, k)] += p;
                }
            }
        }
        Discrete::from_weights(&mass)
    }

    /// `V(D, G)`, from the definition: the mean over positions `k` of
    /// `E_{p_data} ln D(w_k(x)) + E_{p_g} ln(1 - D(w_k(x)))`, summed image by
    /// image (terms of zero mass are skipped, `0 ln 0 = 0`). `d` scores the
    /// patterns.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when `d` does not have one value per pattern.
    ///
    /// # Example
    /// ```
    /// use gan_theory::{Discrete, Discriminator};
    /// use gan_theory::variants::patchgan::PatchGame;
    /// let u = Discrete::uniform(16)?;
    /// let game = PatchGame::new(2, 2, 1, 1, u.clone(), u)?;
    /// // D = 1/2 everywhere: ln(1/2) + ln(1/2) at every window.
    /// let half = Discriminator::from_probabilities(vec![0.5, 0.5])?;
    /// assert!((game.value(&half)? + 4f64.ln()).abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn value(&self, d: &Discriminator) -> Result<f64> {
        check_same_length(self.patterns(), d.len())?;
        let positions = self.positions();
        let mut total = CompensatedSum::new();
        for x in 0..self.data.len() {
            let (a, b) = (self.data[x], self.generated[x]);
            if a == 0.0 && b == 0.0 {
                continue;
            }
            for k in 0..positions {
                let w = self.window(x, k);
                if a > 0.0 {
                    total.add(a * d.ln_d(w));
                }
                if b > 0.0 {
                    total.add(b * d.ln_one_minus_d(w));
                }
            }
        }
        Ok(total.value() / positions as f64)
    }

    /// The optimal patch discriminator, `D*(w) = P(w) / (P(w) + Q(w))` for
    /// the position-averaged pattern distributions `P` of the data and `Q` of
    /// the generator (as logits; 1/2 where neither has mass, as
    /// [`game::optimal_discriminator`]).
    ///
    /// # Errors
    /// None for a validated game; the `Result` is that of the
    /// pattern distributions.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::variants::patchgan::PatchGame;
    /// // One-pixel windows of 1 x 2 images: data (1, 1) always, generator (1, 0) or (0, 1).
    /// let game = PatchGame::new(1, 2, 1, 1, Discrete::point_mass(4, 3)?,
    ///                           Discrete::new(vec![0.0, 0.5, 0.5, 0.0])?)?;
    /// let d = game.optimal_discriminator()?;
    /// assert_eq!(d.probability(0), 0.0);                     // only the generator draws 0s
    /// assert!((d.probability(1) - 2.0 / 3.0).abs() < 1e-15); // 1s: 1 against 1/2
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn optimal_discriminator(&self) -> Result<Discriminator> {
        game::optimal_discriminator(
            &self.averaged_windows(&self.data)?,
            &self.averaged_windows(&self.generated)?,
        )
    }

    /// `max_D V(D, G) = -ln 4 + 2 JSD(P || Q)` for the position-averaged
    /// pattern distributions `P`, `Q` (F5 proof, steps 1 and 2), through
    /// [`divergence::js`].
    ///
    /// # Errors
    /// None for a validated game.
    ///
    /// # Example
    /// ```
    /// use gan_theory::variants::patchgan::{PatchGame, parity_images};
    /// let game = PatchGame::new(3, 3, 2, 2, parity_images(3, 3, false)?, parity_images(3, 3, true)?)?;
    /// assert!((game.c_of_g()? + 4f64.ln()).abs() < 1e-15);   // blind to the parity
    /// assert!(game.image_c_of_g()?.abs() < 1e-15);            // disjoint images
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn c_of_g(&self) -> Result<f64> {
        let js = divergence::js(
            &self.averaged_windows(&self.data)?,
            &self.averaged_windows(&self.generated)?,
        )?;
        Ok(-(4f64.ln()) + 2.0 * js)
    }

    /// The best value of a discriminator with separate weights at each
    /// position (losses still averaged): `-ln 4 + (2/P) sum_k JSD(P_k || Q_k)`
    /// for the pattern distributions at each position. At least
    /// [`c_of_g`](Self::c_of_g) and at most [`image_c_of_g`](Self::image_c_of_g)
    /// (F5 proof, step 3).
    ///
    /// # Errors
    /// None for a validated game.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::variants::patchgan::PatchGame;
    /// let u = Discrete::uniform(16)?;
    /// let game = PatchGame::new(2, 2, 1, 1, u.clone(), u)?;
    /// assert!((game.per_position_c_of_g()? + 4f64.ln()).abs() < 1e-15);
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn per_position_c_of_g(&self) -> Result<f64> {
        let data = self.windows_at_each_position(&self.data)?;
        let generated = self.windows_at_each_position(&self.generated)?;
        let mut total = CompensatedSum::new();
        for (p, q) in data.iter().zip(&generated) {
            total.add(divergence::js(p, q)?);
        }
        Ok(-(4f64.ln()) + 2.0 * total.value() / self.positions() as f64)
    }

    /// Goodfellow's `C(G)` of the whole images, `-ln 4 + 2 JSD(p_data || p_g)`
    /// ([`game::c_of_g`]): what a discriminator that sees whole images attains.
    ///
    /// # Errors
    /// None for a validated game.
    ///
    /// # Example
    /// ```
    /// use gan_theory::Discrete;
    /// use gan_theory::variants::patchgan::PatchGame;
    /// let game = PatchGame::new(1, 2, 1, 1, Discrete::point_mass(4, 1)?, Discrete::point_mass(4, 2)?)?;
    /// assert!(game.image_c_of_g()?.abs() < 1e-15);       // different images: C = 0
    /// assert!((game.c_of_g()? + 4f64.ln()).abs() < 1e-15); // same pixels: one 1, one 0
    /// # Ok::<(), gan_theory::Error>(())
    /// ```
    pub fn image_c_of_g(&self) -> Result<f64> {
        game::c_of_g(&self.data, &self.generated)
    }
}
