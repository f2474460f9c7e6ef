//! Mode collapse (the "Helvetica scenario", A8): the entropy of p_g over
//! generator steps against a fixed D, which collapses p_g onto argmax D, and
//! with D kept optimal, which does not.

use crate::claims::Context;
use crate::divergence::entropy;
use crate::experiments::training::{DESCENT_STEPS, a8_fixed_d_run, a8_game, a8_optimal_d_run};
use crate::proofs::id;
use crate::report::plot::{Corner, Panel, Reference, Series, Style, render};
use crate::report::{Figure, ReportError};
use crate::tabular::TabularGenerator;
use crate::train::tabular_game::{GeneratorLoss, History, argmax_d};

/// The figure's registry entry.
pub(super) fn figure() -> Figure {
    Figure {
        file: "mode-collapse.svg",
        title: "Mode collapse: entropy of p_g with D fixed and with D kept optimal",
        caption: "A8's game: p_data = (0.4, 0.3, 0.15, 0.1, 0.05) and a fixed D with logits (0, 1, 3, -1, 0.5), whose favourite point 3 is not the data's mode; a softmax generator on the 5 points starts uniform and takes exact gradient steps (1/L for each loss; the first 3000 of A8's 20000 are drawn). Against the fixed D both losses pile p_g onto argmax D and its entropy falls from ln 5 to 0 (collapse); with D = D* recomputed before every step p_g settles on p_data, at entropy H(p_data) and mass 0.15 on point 3.",
        claims: &[id::A8],
        draw,
    }
}

/// One point drawn every this many steps (the curves are smooth).
const DRAW_EVERY: usize = 5;
/// Steps drawn, of the [`DESCENT_STEPS`] run (after them the curves are flat
/// to the eye; the legend gives the values at the end).
const SHOWN: usize = 3000;

fn draw(_: &Context) -> Result<String, ReportError> {
    let (p_data, d) = a8_game()?;
    let n = p_data.len();
    let start = TabularGenerator::uniform(n)?;
    let favourite = argmax_d(&d);
    // (name, history, style, colour) per run.
    let mut runs: Vec<(&str, History, Style, usize)> = Vec::new();
    for (loss, name, style, colour) in [
        (GeneratorLoss::Saturating, "saturating", Style::Line, 1),
        (
            GeneratorLoss::NonSaturating,
            "non-saturating",
            Style::Dashed,
            3,
        ),
    ] {
        let (_, _, run) = a8_fixed_d_run(loss)?;
        runs.push((name, run.history, style, colour));
    }
    let (step, optimal) = a8_optimal_d_run()?;
    let mut optimal = optimal.history;
    // The D* run records the mass on argmax D*, which moves; the figure wants
    // the mass on the fixed D's favourite point: replay the same descent.
    let mut g = start.clone();
    for t in 0..=DESCENT_STEPS {
        optimal.mass_on_argmax_d[t] = g.distribution()[favourite];
        g = g.moved(&g.c_of_g_gradient(&p_data)?, -step)?;
    }
    runs.push(("", optimal, Style::Line, 0));
    let thin = |v: &[f64]| -> Vec<(f64, f64)> {
        v[..=SHOWN]
            .iter()
            .enumerate()
            .step_by(DRAW_EVERY)
            .map(|(t, &y)| (t as f64, y))
            .collect()
    };
    let ln_n = (n as f64).ln();
    let mut entropy_panel = Panel::new(
        "entropy of p_g",
        "generator step (iteration)",
        "H(p_g) (nats)",
    )
    .reference(Reference::Horizontal {
        name: format!("ln {n} = {ln_n:.3}, uniform p_g (the start)"),
        value: ln_n,
    })
    .reference(Reference::Horizontal {
        name: "0, a point mass".into(),
        value: 0.0,
    })
    .with(Series::new(
        format!("H(p_data) = {:.3}", entropy(&p_data)),
        vec![(0.0, entropy(&p_data)), (SHOWN as f64, entropy(&p_data))],
        Style::Dotted,
        4,
    ))
    .legend_at(Corner::MiddleRight);
    let mut mass_panel = Panel::new(
        format!("mass of p_g on argmax D (point {})", favourite + 1),
        "generator step (iteration)",
        "p_g(argmax D) (probability)",
    )
    .legend_at(Corner::MiddleRight);
    let end = |v: &[f64]| *v.last().expect("the start is recorded");
    for (loss, history, style, colour) in &runs {
        let (who, entropy_end) = if loss.is_empty() {
            (
                "D = D* at every step".to_string(),
                format!("{:.3}", end(&history.entropy)),
            )
        } else {
            (
                format!("D fixed, {loss} loss"),
                format!("{:.1e}", end(&history.entropy)),
            )
        };
        entropy_panel = entropy_panel.with(Series::new(
            format!("{who}: {entropy_end} after {DESCENT_STEPS} steps"),
            thin(&history.entropy),
            *style,
            *colour,
        ));
        mass_panel = mass_panel.with(Series::new(
            format!(
                "{who}: {:.4} after {DESCENT_STEPS} steps",
                end(&history.mass_on_argmax_d)
            ),
            thin(&history.mass_on_argmax_d),
            *style,
            *colour,
        ));
    }
    render(figure().title, &[entropy_panel, mass_panel], 2, 1).map_err(ReportError::Plot)
}
