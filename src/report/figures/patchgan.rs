//! PatchGAN (F5): two generators whose images the data never produces, yet
//! whose position-averaged 2 x 2 windows are the data's, so that the patch
//! discriminator's best value is its minimum -ln 4.

use crate::claims::Context;
use crate::experiments::patchgan::{IMAGES, SIDE, STRIPES, parity_game, stripes_game};
use crate::proofs::id;
use crate::report::plot::FIGURE_SIZE;
use crate::report::{Figure, ReportError};
use crate::variants::patchgan::{PatchGame, image_from_rows};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The figure's registry entry.
pub(super) fn figure() -> Figure {
    Figure {
        file: "patchgan.svg",
        title: "PatchGAN sees only the position-averaged windows",
        caption: "3 x 3 binary images (black = 1), 2 x 2 windows at 4 positions. Top: the data is uniform on the 256 images with an even number of ones, the generator on the 256 odd ones (four of each drawn; each generated image is the data image above it with the corner pixel flipped); every window is uniform on the 16 patterns under both, at every position. Bottom: stripes 101 against the same stripes shifted, 010; the windows differ at each position but not on average. Right: the averaged window distributions P (data) and Q (generator) coincide, so the patch discriminator's best value is -ln 4, its minimum, while a discriminator of whole images separates the two perfectly (C = 0).",
        claims: &[id::F5],
        draw,
    }
}

const DATA: RGBColor = RGBColor(31, 119, 180);
const GENERATOR: RGBColor = RGBColor(214, 39, 40);
const FONT: &str = "sans-serif";

fn text(e: impl std::fmt::Display) -> ReportError {
    ReportError::Plot(e.to_string())
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// A binary grid of `rows x cols` pixels of `bits` (bit `r * cols + c`), top
/// left corner at `(x, y)`, cells of `cell` pixels.
fn draw_grid(
    area: &Area<'_>,
    bits: usize,
    (rows, cols): (usize, usize),
    (x, y): (i32, i32),
    cell: i32,
    frame: &RGBColor,
) -> Result<(), ReportError> {
    for r in 0..rows {
        for c in 0..cols {
            let on = (bits >> (r * cols + c)) & 1 == 1;
            let (x0, y0) = (x + c as i32 * cell, y + r as i32 * cell);
            let fill = if on { BLACK } else { WHITE };
            area.draw(&Rectangle::new(
                [(x0, y0), (x0 + cell, y0 + cell)],
                fill.filled(),
            ))
            .map_err(text)?;
            area.draw(&Rectangle::new(
                [(x0, y0), (x0 + cell, y0 + cell)],
                RGBColor(160, 160, 160).stroke_width(1),
            ))
            .map_err(text)?;
        }
    }
    let (w, h) = (cols as i32 * cell, rows as i32 * cell);
    area.draw(&Rectangle::new(
        [(x, y), (x + w, y + h)],
        frame.stroke_width(4),
    ))
    .map_err(text)?;
    Ok(())
}

fn label(
    area: &Area<'_>,
    s: &str,
    (x, y): (i32, i32),
    size: u32,
    pos: Pos,
) -> Result<(), ReportError> {
    let style = TextStyle::from((FONT, size).into_font()).pos(pos);
    area.draw(&Text::new(s.to_string(), (x, y), style))
        .map_err(text)
}

/// One row of the figure: data images, generated images, the averaged
/// window distributions as paired bars, and the three values.
#[allow(clippy::too_many_arguments)]
fn draw_row(
    area: &Area<'_>,
    top: i32,
    name: &str,
    data_images: &[usize],
    generated_images: &[usize],
    game: &PatchGame,
) -> Result<(), ReportError> {
    let cell = 30;
    let side = SIDE as i32 * cell;
    let left = Pos::new(HPos::Left, VPos::Top);
    label(area, name, (40, top), 30, left)?;
    label(area, "data", (40, top + 50), 26, left)?;
    label(area, "generator", (40, top + 60 + side + 30), 26, left)?;
    for (k, &x) in data_images.iter().enumerate() {
        draw_grid(
            area,
            x,
            (SIDE, SIDE),
            (180 + k as i32 * (side + 30), top + 45),
            cell,
            &DATA,
        )?;
    }
    for (k, &x) in generated_images.iter().enumerate() {
        draw_grid(
            area,
            x,
            (SIDE, SIDE),
            (180 + k as i32 * (side + 30), top + 60 + side + 25),
            cell,
            &GENERATOR,
        )?;
    }
    // The averaged window distributions, one pair of bars per pattern that occurs.
    let p = game.averaged_windows(game.data())?;
    let q = game.averaged_windows(game.generated())?;
    let patterns: Vec<usize> = (0..game.patterns())
        .filter(|&w| p[w] + q[w] > 0.0)
        .collect();
    let (chart_left, chart_right) = (720, 1560);
    let (chart_top, chart_bottom) = (top + 60, top + 300);
    let scale = (chart_bottom - chart_top) as f64 / 0.3;
    let slot = (chart_right - chart_left) / patterns.len() as i32;
    let bar = (slot / 3).min(24);
    label(
        area,
        "averaged 2 x 2 windows: P (data, blue) and Q (generator, red)",
        (chart_left, top),
        24,
        left,
    )?;
    for tick in [0.0, 0.1, 0.2, 0.3] {
        let y = chart_bottom - (tick * scale) as i32;
        area.draw(&PathElement::new(
            vec![(chart_left - 8, y), (chart_right, y)],
            RGBColor(220, 220, 220).stroke_width(1),
        ))
        .map_err(text)?;
        label(
            area,
            &format!("{tick:.1}"),
            (chart_left - 12, y),
            20,
            Pos::new(HPos::Right, VPos::Center),
        )?;
    }
    for (k, &w) in patterns.iter().enumerate() {
        let centre = chart_left + k as i32 * slot + slot / 2;
        for (value, colour, offset) in [(p[w], DATA, -bar), (q[w], GENERATOR, 0)] {
            let height = (value * scale).round() as i32;
            area.draw(&Rectangle::new(
                [
                    (centre + offset, chart_bottom - height),
                    (centre + offset + bar, chart_bottom),
                ],
                colour.filled(),
            ))
            .map_err(text)?;
        }
        draw_grid(
            area,
            w,
            (2, 2),
            (centre - 16, chart_bottom + 10),
            16,
            &RGBColor(90, 90, 90),
        )?;
    }
    let ln4 = 4f64.ln();
    let values = format!(
        "best values: patch D {:.4} (-ln 4 = {:.4}, the minimum)  |  one D per position {:.4}  |  D of whole images {:.4}",
        game.c_of_g()?,
        -ln4,
        game.per_position_c_of_g()?,
        game.image_c_of_g()?,
    );
    label(area, &values, (40, top + 375), 24, left)?;
    Ok(())
}

fn draw(_: &Context) -> Result<String, ReportError> {
    let parity = parity_game()?;
    let stripes = stripes_game()?;
    // Four even images spread over the 512, and the same with the corner pixel flipped.
    let corner = 1 << (SIDE * SIDE - 1);
    let even: Vec<usize> = (0..IMAGES)
        .map(|k| (k * 97 + 13) % IMAGES)
        .filter(|x| x.count_ones() % 2 == 0)
        .take(4)
        .collect();
    let odd: Vec<usize> = even.iter().map(|x| x ^ corner).collect();
    let stripe = |k: usize| image_from_rows(&STRIPES[k]);
    let (stripe_data, stripe_generated) =
        (vec![stripe(0)?, stripe(1)?], vec![stripe(2)?, stripe(3)?]);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, FIGURE_SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(text)?;
        label(
            &root,
            figure().title,
            (FIGURE_SIZE.0 as i32 / 2, 20),
            40,
            Pos::new(HPos::Center, VPos::Top),
        )?;
        draw_row(&root, 90, "even against odd parity", &even, &odd, &parity)?;
        draw_row(
            &root,
            560,
            "stripes 101 against 010",
            &stripe_data,
            &stripe_generated,
            &stripes,
        )?;
        root.present().map_err(text)?;
    }
    Ok(svg)
}
