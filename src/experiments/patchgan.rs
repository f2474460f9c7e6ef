//! The experiments of claim F5: patch games on 3 x 3 binary images with
//! 2 x 2 windows (and a few other sizes), random and constructed.

use super::random_distribution;
use crate::error::Result;
use crate::measure::Discrete;
use crate::variants::patchgan::{PatchGame, image_from_rows, parity_images};

/// Image height and width of the main examples.
pub(crate) const SIDE: usize = 3;

/// Window height and width of the main examples.
pub(crate) const WINDOW: usize = 2;

/// Images on a 3 x 3 grid.
pub(crate) const IMAGES: usize = 1 << (SIDE * SIDE);

/// The parity game: data uniform on the 256 even-parity 3 x 3 images, the
/// generator uniform on the 256 odd ones. Every window has the same
/// distribution under both (uniform on the 16 patterns) at every position,
/// and no image is shared.
pub(crate) fn parity_game() -> Result<PatchGame> {
    PatchGame::new(
        SIDE,
        SIDE,
        WINDOW,
        WINDOW,
        parity_images(SIDE, SIDE, false)?,
        parity_images(SIDE, SIDE, true)?,
    )
}

/// The rows of the stripes game's images: the data's two (vertical and
/// horizontal stripes `101`), then the generator's two (the same stripes
/// shifted by one pixel, `010`).
pub(crate) const STRIPES: [[&str; 3]; 4] = [
    ["101", "101", "101"],
    ["111", "000", "111"],
    ["010", "010", "010"],
    ["000", "111", "000"],
];

/// The stripes game: the data is vertical or horizontal stripes `101` with
/// probability 1/2 each, the generator the same stripes shifted by one pixel
/// (`010`). At each position the windows of the two differ; averaged over the
/// positions they do not (F5 proof, step 5).
pub(crate) fn stripes_game() -> Result<PatchGame> {
    let image = |k: usize| image_from_rows(&STRIPES[k]);
    let mut data = vec![0.0; IMAGES];
    let mut generated = vec![0.0; IMAGES];
    data[image(0)?] = 0.5;
    data[image(1)?] = 0.5;
    generated[image(2)?] = 0.5;
    generated[image(3)?] = 0.5;
    PatchGame::new(
        SIDE,
        SIDE,
        WINDOW,
        WINDOW,
        Discrete::new(data)?,
        Discrete::new(generated)?,
    )
}

/// Image and window sizes of the random games: (height, width, window
/// height, window width). The 3 x 3 games with 2 x 2 windows are the main
/// case; the others change the overlap and the shape.
pub(crate) const SHAPES: [(usize, usize, usize, usize); 4] =
    [(3, 3, 2, 2), (2, 3, 1, 2), (3, 4, 2, 2), (3, 3, 3, 2)];

/// A random patch game of the given shape: both distributions random on
/// the images, about a third of their entries 0.
pub(crate) fn random_game<R: rand::Rng + ?Sized>(
    rng: &mut R,
    (height, width, patch_height, patch_width): (usize, usize, usize, usize),
) -> Result<PatchGame> {
    let images = 1 << (height * width);
    PatchGame::new(
        height,
        width,
        patch_height,
        patch_width,
        random_distribution(rng, images),
        random_distribution(rng, images),
    )
}

/// A random game whose two distributions have the same windows everywhere
/// and different images: `(1 - t)` of the parity pair plus `t` of a common
/// random distribution `r` (3 x 3 images, 2 x 2 windows).
pub(crate) fn matched_game<R: rand::Rng + ?Sized>(rng: &mut R, t: f64) -> Result<PatchGame> {
    let common = random_distribution(rng, IMAGES);
    let even = parity_images(SIDE, SIDE, false)?;
    let odd = parity_images(SIDE, SIDE, true)?;
    PatchGame::new(
        SIDE,
        SIDE,
        WINDOW,
        WINDOW,
        even.mix(&common, t)?,
        odd.mix(&common, t)?,
    )
}
