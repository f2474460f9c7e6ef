//! `gan-theory`: the divergences and the GAN quantities of two distributions
//! read from files, and the verification of every registered claim. See the
//! `gan_theory_cli` library for the commands.
//!
//! The binary brings its own C math functions ([`math`]), so that what it
//! prints is the same bit for bit on every x86-64 CPU.

mod math;

fn main() -> std::process::ExitCode {
    gan_theory_cli::run()
}
