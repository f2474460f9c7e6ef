//! Claim F5: a patch discriminator with shared weights and averaged losses
//! plays Goodfellow's game on the position-averaged window distributions.

mod common;

use gan_theory::tol;
use gan_theory::variants::patchgan::{PatchGame, image_from_rows, parity_images};
use gan_theory::{Discrete, Discriminator, divergence};
use proptest::prelude::*;

/// A random game of shape (height, width, window height, window width)
/// among small ones, both distributions with zeros.
fn game() -> impl Strategy<Value = PatchGame> {
    prop_oneof![
        Just((2usize, 2usize, 1usize, 2usize)),
        Just((2, 3, 2, 2)),
        Just((3, 3, 2, 2)),
        Just((3, 2, 2, 1)),
        Just((1, 4, 1, 3)),
    ]
    .prop_flat_map(|(h, w, ph, pw)| {
        let images = 1usize << (h * w);
        (common::distribution(images), common::distribution(images))
            .prop_map(move |(p, q)| PatchGame::new(h, w, ph, pw, p, q).unwrap())
    })
}

/// The value by an independent enumeration: pixels read straight from the
/// image bits, windows at every position, losses averaged.
fn value_by_hand(
    game: &PatchGame,
    h: usize,
    w: usize,
    ph: usize,
    pw: usize,
    d: &Discriminator,
) -> f64 {
    let mut total = Vec::new();
    let positions = (h - ph + 1) * (w - pw + 1);
    for x in 0..1usize << (h * w) {
        let (a, b) = (game.data()[x], game.generated()[x]);
        for top in 0..=h - ph {
            for left in 0..=w - pw {
                let mut pattern = 0;
                for i in 0..ph {
                    for j in 0..pw {
                        if (x >> ((top + i) * w + left + j)) & 1 == 1 {
                            pattern |= 1 << (i * pw + j);
                        }
                    }
                }
                if a > 0.0 {
                    total.push(a * d.ln_d(pattern));
                }
                if b > 0.0 {
                    total.push(b * d.ln_one_minus_d(pattern));
                }
            }
        }
    }
    common::sum(total) / positions as f64
}

proptest! {
    #![proptest_config(common::config(64))]

    /// V(D*) = -ln 4 + 2 JSD(P || Q) of the averaged windows, and every
    /// other D does worse by sum (P + Q) KL(Bern D* || Bern D).
    #[test]
    fn f5_optimum_is_the_pattern_level_d_star(
        game in game(), noise in proptest::collection::vec(-3.0f64..3.0, 16)
    ) {
        let d_star = game.optimal_discriminator().unwrap();
        let best = game.value(&d_star).unwrap();
        prop_assert!(tol::close_with(best, game.c_of_g().unwrap(), 1e-11, 1e-13));
        let p = game.averaged_windows(game.data()).unwrap();
        let q = game.averaged_windows(game.generated()).unwrap();
        let logits: Vec<f64> = (0..game.patterns())
            .map(|w| {
                let l = d_star.logit(w);
                if l.is_finite() { l + noise[w % noise.len()] } else { l }
            })
            .collect();
        let d = Discriminator::from_logits(logits).unwrap();
        let value = game.value(&d).unwrap();
        let gap: f64 = (0..game.patterns())
            .filter(|&w| p[w] > 0.0 && q[w] > 0.0)
            .map(|w| {
                let (s, t) = (p[w] / (p[w] + q[w]), d.probability(w));
                (p[w] + q[w]) * (s * (s / t).ln() + (1.0 - s) * ((1.0 - s) / (1.0 - t)).ln())
            })
            .sum();
        prop_assert!(best >= value);
        prop_assert!(tol::close_with(best - value, gap, 1e-9, 1e-12), "{} vs {gap}", best - value);
    }

    /// C_patch <= C_per-position <= C_image.
    #[test]
    fn f5_patch_value_at_most_per_position_at_most_image(game in game()) {
        let slack = 1e-12;
        let (c, per, image) = (
            game.c_of_g().unwrap(),
            game.per_position_c_of_g().unwrap(),
            game.image_c_of_g().unwrap(),
        );
        prop_assert!(c <= per + slack && per <= image + slack, "{c} {per} {image}");
    }
}

/// The library's value is the definition, enumerated independently.
#[test]
fn f5_value_is_the_mean_of_the_window_losses() {
    let shapes = [(3usize, 3usize, 2usize, 2usize), (2, 3, 1, 2), (3, 2, 3, 1)];
    for (k, (h, w, ph, pw)) in shapes.into_iter().enumerate() {
        let images = 1 << (h * w);
        let weights: Vec<f64> = (0..images).map(|x| ((x * 7 + k) % 5) as f64).collect();
        let other: Vec<f64> = (0..images).map(|x| ((x * 3 + 1) % 4) as f64).collect();
        let game = PatchGame::new(
            h,
            w,
            ph,
            pw,
            Discrete::from_weights(&weights).unwrap(),
            Discrete::from_weights(&other).unwrap(),
        )
        .unwrap();
        let d = Discriminator::from_logits(
            (0..game.patterns())
                .map(|i| (i as f64 * 0.37).sin())
                .collect(),
        )
        .unwrap();
        let by_hand = value_by_hand(&game, h, w, ph, pw, &d);
        assert!(tol::close(game.value(&d).unwrap(), by_hand), "{shapes:?}");
    }
}

/// Even against odd parity on 3 x 3, 3 x 4 and 4 x 4 images: every window
/// smaller than the image has the same law at every position, so the patch
/// game sits at -ln 4 (per position too), while the images are disjoint.
#[test]
fn f5_parity_generator_matches_every_window_and_no_image() {
    for (h, w, ph, pw) in [(3, 3, 2, 2), (3, 4, 2, 3), (4, 4, 3, 3), (2, 2, 2, 1)] {
        let game = PatchGame::new(
            h,
            w,
            ph,
            pw,
            parity_images(h, w, false).unwrap(),
            parity_images(h, w, true).unwrap(),
        )
        .unwrap();
        let ln4 = 4f64.ln();
        assert!((game.c_of_g().unwrap() + ln4).abs() < 1e-13);
        assert!((game.per_position_c_of_g().unwrap() + ln4).abs() < 1e-13);
        assert!(game.image_c_of_g().unwrap().abs() < 1e-13);
        let js = divergence::js(game.data(), game.generated()).unwrap();
        assert!((js - std::f64::consts::LN_2).abs() < 1e-15);
    }
    // A window as large as the image sees the parity.
    let whole = PatchGame::new(
        2,
        2,
        2,
        2,
        parity_images(2, 2, false).unwrap(),
        parity_images(2, 2, true).unwrap(),
    )
    .unwrap();
    assert!(whole.c_of_g().unwrap().abs() < 1e-13);
}

/// Stripes 101 against 010, vertical and horizontal: the windows differ at
/// each position, not on average.
#[test]
fn f5_stripes_match_only_on_average() {
    let image = |rows: [&str; 3]| image_from_rows(&rows).unwrap();
    let mut data = vec![0.0; 512];
    let mut generated = vec![0.0; 512];
    data[image(["101", "101", "101"])] = 0.5;
    data[image(["111", "000", "111"])] = 0.5;
    generated[image(["010", "010", "010"])] = 0.5;
    generated[image(["000", "111", "000"])] = 0.5;
    let game = PatchGame::new(
        3,
        3,
        2,
        2,
        Discrete::new(data).unwrap(),
        Discrete::new(generated).unwrap(),
    )
    .unwrap();
    assert!((game.c_of_g().unwrap() + 4f64.ln()).abs() < 1e-15);
    assert!(game.per_position_c_of_g().unwrap().abs() < 1e-15);
    assert!(game.image_c_of_g().unwrap().abs() < 1e-15);
    let at = game.windows_at_each_position(game.data()).unwrap();
    let gen_at = game.windows_at_each_position(game.generated()).unwrap();
    for (p, q) in at.iter().zip(&gen_at) {
        assert!((divergence::js(p, q).unwrap() - std::f64::consts::LN_2).abs() < 1e-15);
    }
}

/// Shapes and lengths are checked.
#[test]
fn f5_bad_games_are_refused() {
    let u = Discrete::uniform(512).unwrap();
    assert!(PatchGame::new(3, 3, 4, 2, u.clone(), u.clone()).is_err());
    assert!(PatchGame::new(3, 3, 0, 2, u.clone(), u.clone()).is_err());
    assert!(PatchGame::new(3, 3, 2, 2, u.clone(), Discrete::uniform(16).unwrap()).is_err());
    assert!(PatchGame::new(5, 5, 2, 2, u.clone(), u.clone()).is_err());
    let game = PatchGame::new(3, 3, 2, 2, u.clone(), u).unwrap();
    assert!(
        game.value(&Discriminator::from_logits(vec![0.0; 15]).unwrap())
            .is_err()
    );
    assert!(image_from_rows(&["12"]).is_err());
    assert!(parity_images(0, 3, false).is_err());
}

/// `image_from_rows` takes up to `MAX_PIXELS` = 16 pixels whatever the
/// shape (4 x 4, 1 x 16, 16 x 1, 2 x 8) and refuses more with
/// `InvalidParameter { name: "pixels", value: height * width }` (17 in one
/// row, 5 x 4, 3 x 6): "the value given" is the image's pixel count.
#[test]
fn f5_image_from_rows_takes_at_most_sixteen_pixels() {
    use gan_theory::Error;
    use gan_theory::variants::patchgan::MAX_PIXELS;
    assert_eq!(MAX_PIXELS, 16);
    let ones = |width: usize, height: usize| vec!["1".repeat(width); height];
    for (width, height) in [(4, 4), (16, 1), (1, 16), (8, 2)] {
        let rows = ones(width, height);
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        // All 16 pixels set: bits 0 to 15.
        assert_eq!(image_from_rows(&rows), Ok(0xffff), "{width} x {height}");
    }
    for (width, height) in [(17, 1), (4, 5), (6, 3), (1, 17)] {
        let rows = ones(width, height);
        let rows: Vec<&str> = rows.iter().map(String::as_str).collect();
        match image_from_rows(&rows) {
            Err(Error::InvalidParameter { name, value, .. }) => {
                assert_eq!(name, "pixels");
                assert_eq!(value, (width * height) as f64);
            }
            other => panic!("{width} x {height}: {other:?}"),
        }
    }
}

/// `parity_images` puts mass 1/8 on each of the 8 images of 2 x 2 with an
/// even number of ones (listed by hand: 0000, 0011, 0101, 0110, 1001, 1010,
/// 1100, 1111 in binary) and 0 on the others; `odd = true` the other way
/// round. 1/8 is exact, so the comparison is too.
#[test]
fn f5_parity_images_are_the_even_and_the_odd_images() {
    let even = [0usize, 3, 5, 6, 9, 10, 12, 15];
    let (p_even, p_odd) = (
        parity_images(2, 2, false).unwrap(),
        parity_images(2, 2, true).unwrap(),
    );
    for x in 0..16 {
        let is_even = even.contains(&x);
        assert_eq!(p_even[x], if is_even { 0.125 } else { 0.0 }, "{x}");
        assert_eq!(p_odd[x], if is_even { 0.0 } else { 0.125 }, "{x}");
    }
    // One pixel: the blank image is the even one.
    assert_eq!(parity_images(1, 1, false).unwrap().as_slice(), &[1.0, 0.0]);
    assert_eq!(parity_images(1, 1, true).unwrap().as_slice(), &[0.0, 1.0]);
}

/// `with_generated` replaces the generator and keeps the rest: the new game
/// equals the one built with that generator from the start, and refuses a
/// generator on other images with `LengthMismatch`.
#[test]
fn f5_with_generated_replaces_the_generator() {
    use gan_theory::Error;
    let data = Discrete::point_mass(16, 0b1001).unwrap();
    let before = Discrete::point_mass(16, 0).unwrap();
    let after = Discrete::point_mass(16, 0b0110).unwrap();
    let game = PatchGame::new(2, 2, 1, 2, data.clone(), before.clone()).unwrap();
    let replaced = game.with_generated(after.clone()).unwrap();
    assert_eq!(replaced.generated(), &after);
    assert_eq!(replaced.data(), &data);
    assert_eq!(replaced, PatchGame::new(2, 2, 1, 2, data, after).unwrap());
    assert_eq!(game.generated(), &before);
    assert_eq!(
        game.with_generated(Discrete::uniform(8).unwrap()),
        Err(Error::LengthMismatch { left: 16, right: 8 })
    );
}

/// Terms of zero mass are skipped (`0 ln 0 = 0`, as documented): one-pixel
/// images, data always 1, the generator always 0, and the optimal
/// discriminator D(1) = 1, D(0) = 0 (logits +inf and -inf). Each image has
/// mass under only one of the two, so V = 1 ln D(1) + 1 ln(1 - D(0)) = 0
/// exactly, which is C(G) = -ln 4 + 2 ln 2 for disjoint patterns up to the
/// rounding of ln 4 and ln 2; a term 0 * ln D(0) = 0 * (-inf) would make
/// it NaN.
#[test]
fn f5_value_skips_the_terms_of_zero_mass() {
    let game = PatchGame::new(
        1,
        1,
        1,
        1,
        Discrete::point_mass(2, 1).unwrap(),
        Discrete::point_mass(2, 0).unwrap(),
    )
    .unwrap();
    let d_star = game.optimal_discriminator().unwrap();
    assert_eq!((d_star.probability(0), d_star.probability(1)), (0.0, 1.0));
    assert_eq!(game.value(&d_star).unwrap(), 0.0);
    let sure = Discriminator::from_probabilities(vec![0.0, 1.0]).unwrap();
    assert_eq!(game.value(&sure).unwrap(), 0.0);
    // The same on 2 x 2 images with 1 x 1 windows: the data all ones, the
    // generator all zeros.
    let game = PatchGame::new(
        2,
        2,
        1,
        1,
        Discrete::point_mass(16, 15).unwrap(),
        Discrete::point_mass(16, 0).unwrap(),
    )
    .unwrap();
    assert_eq!(game.value(&sure).unwrap(), 0.0);
}

/// Absolute tolerance for a whole-image `C(G)` of order 1 against a
/// 40-digit reference: at most 8 nonzero terms, each at most `ln 4 < 1.4`
/// and within 2 ulps, summed with compensation: below `8 x 2 x 1.4 EPS <
/// 23 EPS`; 32 allowed.
const IMAGE_C_ABS: f64 = 32.0 * tol::EPS;

/// The whole-image `C(G) = -ln 4 + 2 JSD(p_data ‖ p_g)` on 1 x 2 images:
/// `-ln 4` when the generator is the data (uniform on the 4 images), and
/// `-ln 4 + KL(p ‖ m) + KL(q ‖ m) = -0.62550302942273484941...` against the
/// blank image alone (`m = (5/8, 1/8, 1/8, 1/8)`; Python's `decimal` at 40
/// digits).
#[test]
fn f5_image_c_of_g_matches_references() {
    let u = Discrete::uniform(4).unwrap();
    let same = PatchGame::new(1, 2, 1, 1, u.clone(), u.clone()).unwrap();
    let c = same.image_c_of_g().unwrap();
    assert!(
        (c + 1.386_294_361_119_890_618_834).abs() <= IMAGE_C_ABS,
        "{c}"
    );
    let blank = same
        .with_generated(Discrete::point_mass(4, 0).unwrap())
        .unwrap();
    let c = blank.image_c_of_g().unwrap();
    assert!(
        (c + 0.625_503_029_422_734_849_416).abs() <= IMAGE_C_ABS,
        "{c}"
    );
}

/// `V` skips the terms of zero mass (`0 ln 0 = 0`), even where `ln D` or
/// `ln(1 - D)` is `-inf`: data the image "11", generator the image "00",
/// 1 x 1 windows, and the perfect `D = (0, 1)` on the patterns (0, 1) scores
/// `ln 1 + ln(1 - 0) = 0` exactly, where `0 x ln D(0) = 0 x (-inf)` would be
/// NaN.
#[test]
fn f5_value_skips_zero_mass_terms_at_a_perfect_discriminator() {
    let (ones, blank) = (
        image_from_rows(&["11"]).unwrap(),
        image_from_rows(&["00"]).unwrap(),
    );
    let game = PatchGame::new(
        1,
        2,
        1,
        1,
        Discrete::point_mass(4, ones).unwrap(),
        Discrete::point_mass(4, blank).unwrap(),
    )
    .unwrap();
    let perfect = Discriminator::from_probabilities(vec![0.0, 1.0]).unwrap();
    assert_eq!(game.value(&perfect).unwrap(), 0.0);
}
