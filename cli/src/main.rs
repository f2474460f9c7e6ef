//! `gan-theory`: the divergences and the GAN quantities of two distributions
//! read from files, and the verification of every registered claim. See the
//! `gan_theory_cli` library for the commands.

fn main() -> std::process::ExitCode {
    gan_theory_cli::run()
}
