//! The `gan-theory` command line: reading the user's files, and the commands
//! `verify`, `divergence`, `emd` and `w1`. The math is the `gan-theory` library;
//! this crate only reads, calls and prints.
//!
//! ```text
//! gan-theory divergence -p FILE -q FILE [-n|--normalize] [-k|--column K] [-j|--json]
//! gan-theory emd -p FILE -q FILE (-c|--cost FILE | --xp FILE --xq FILE [-m|--metric M])
//!                [-n|--normalize] [-k|--column K] [-j|--json]
//! gan-theory w1 -u FILE -v FILE [--u-weights FILE] [--v-weights FILE] [-k|--column K] [-j|--json]
//! gan-theory verify [-d|--detail] [-j|--json] [-s|--seed N] [-o|--out DIR | --no-report]
//! gan-theory [verify's options]   (same as `gan-theory verify`)
//! ```
//!
//! Exit codes: 0 success (for `verify`: every claim passed), 1 a claim failed,
//! the output could not be written, or a computation failed on valid input
//! (`emd`: the transport solver reached its iteration cap or its certificate
//! failed; one line on stderr), 2 bad input or usage. Bad input gives one
//! line on stderr, `gan-theory: <file>: <position>: <problem>`, and nothing
//! on stdout; so does a usage error, `gan-theory: <problem> (see gan-theory
//! <command> --help)`, naming the subcommand the command line gives
//! (`(see gan-theory --help)` when it gives none). `--help` and `--version`
//! print to stdout. The
//! position is `index 1 (line 1, column 6)` in a vector and `index (0, 2)
//! (line 1, column 5)` (row 0, entry 2) in a matrix: indices and rows count
//! from 0, as everywhere, and lines and columns from 1, as editors count them.
//!
//! The modules read top to bottom: [`input`] reads files; `commands` holds
//! the grammar and one module per command; `output` the shared output
//! (tables, numbers, exit codes); `usage` folds clap's errors into one line.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod commands;
pub mod input;
mod output;
mod usage;

pub use commands::run;
