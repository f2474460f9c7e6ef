//! The command line's grammar (clap) and the dispatch to one module per
//! command.

pub(crate) mod divergence;
pub(crate) mod emd;
mod files;
pub(crate) mod modes;
mod sweep;
pub(crate) mod verify;
pub(crate) mod w1;

use crate::output::Failure;
use crate::usage;
use clap::{CommandFactory, Parser, Subcommand};
use std::io::{self, BufWriter};
use std::process::ExitCode;

/// How the outputs and the messages count (in `--help`).
const INDICES_HELP: &str = "Indices count from 0 everywhere, as in --json and in the library: \
                            entries of a vector (D*, points), rows and entries of a matrix, the \
                            plan of `emd`. Only lines and columns of a file count from 1, as \
                            editors count them: a bad number is named `index 1 (line 1, column \
                            6)` in a vector, `index (0, 2) (line 1, column 5)` (row 0, entry 2) \
                            in a matrix.";

#[derive(Parser)]
#[command(
    name = "gan-theory",
    version,
    about = "States, proves and numerically verifies the theory of GANs. \
             Without a command, runs `verify` (its options may be given alone).",
    after_help = format!("{INDICES_HELP}\n\n{}", verify::EXIT_STATUS_HELP),
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// `verify`'s options, for the run without a command.
    #[command(flatten)]
    verify: verify::VerifyArgs,
}

#[derive(Subcommand)]
enum Command {
    /// KL, JSD, total variation, chi2, Hellinger, C(G) and D* of two distributions p and q.
    Divergence(divergence::DivergenceArgs),
    /// The exact Earth Mover distance (optimal transport cost) with its plan and dual potentials.
    Emd(emd::EmdArgs),
    /// Trains a GAN on the 2-D ring or grid and scores mode collapse (modes, quality, reverse KL).
    Modes(modes::ModesArgs),
    /// W1 (Earth Mover distance) between two samples on the line, optionally weighted.
    W1(w1::W1Args),
    /// Runs the check of every registered claim: one line per claim (--detail: per measurement).
    Verify(verify::VerifyArgs),
}

/// Parses the command line, runs the command, and returns the exit code:
/// 0 success (for `verify`: every claim passed), 1 a claim failed or the
/// output could not be written, 2 bad input or usage (one line on stderr,
/// nothing on stdout).
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage::refuse(error, &Cli::command()),
    };
    let command = cli.command.unwrap_or(Command::Verify(cli.verify));
    let mut out = BufWriter::new(io::stdout().lock());
    let result = match command {
        Command::Divergence(args) => divergence::run(&args, &mut out),
        Command::Emd(args) => emd::run(&args, &mut out),
        Command::Modes(args) => modes::run(&args, &mut out),
        Command::W1(args) => w1::run(&args, &mut out),
        Command::Verify(args) => verify::run(&args, &mut out),
    };
    result.unwrap_or_else(Failure::report)
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn the_grammar_is_consistent() {
        // Clashing short flags or bad groups panic here rather than at run time.
        Cli::command().debug_assert();
    }
}
