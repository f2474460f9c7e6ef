//! The figures of the report, one file each. A figure added to [`all`]
//! appears in the report, and in the verify run's progress, without further work.

use super::Figure;

mod best_response;
mod c_of_g_training;
mod crossing_segments;
mod dirac_gan;
mod finite_samples;
mod gan_figure_1;
mod generator_gradients;
mod gradient_penalty;
mod mlp_discriminator;
mod mode_collapse;
mod patchgan;
mod ring_modes;
mod slope;
mod wgan_critic;
mod wgan_example_1;

/// Every figure, in the order of the report.
pub fn all() -> Vec<Figure> {
    vec![
        gan_figure_1::figure(),
        wgan_example_1::figure(),
        generator_gradients::figure(),
        c_of_g_training::figure(),
        mlp_discriminator::figure(),
        mode_collapse::figure(),
        wgan_critic::figure(),
        dirac_gan::figure(),
        finite_samples::figure(),
        crossing_segments::figure(),
        best_response::figure(),
        patchgan::figure(),
        gradient_penalty::figure(),
        slope::figure(),
        ring_modes::figure(),
    ]
}
