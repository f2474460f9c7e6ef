//! Reading the user's files for the commands: vectors (whole, or one column
//! of a table with `--column K`), matrices, and the messages that name the
//! file and the place of a bad entry.

use crate::input::{
    Entries, MatrixEntries, ParseError, Source, parse_column, parse_matrix, parse_vector,
};
use crate::output::Failure;
use clap::Args;
use gan_theory::Error;
use std::path::PathBuf;

/// How a command reads its vector files: `--column K` (one option for all
/// of them).
#[derive(Args, Clone, Copy, Debug, Default)]
pub(crate) struct Column {
    /// Read column K (counted from 0) of every line of each vector file, for
    /// a table such as a CSV of index and count (columns separated by commas
    /// or whitespace, or a JSON array of arrays). Without it a vector file
    /// holds one number per line, all its numbers on a single line, or one
    /// JSON array; a file of several lines with two or more numbers on a
    /// line is refused.
    #[arg(short = 'k', long, value_name = "K")]
    pub column: Option<usize>,
}

/// Reads and parses a vector (or the chosen column); errors name the source
/// and the position.
pub(crate) fn read_entries(source: &Source, column: Column) -> Result<Entries, Failure> {
    source
        .read_text()
        .and_then(|text| match column.column {
            None => parse_vector(&text),
            Some(k) => parse_column(&text, k),
        })
        .map_err(|e| match e {
            ParseError::NoSuchColumn { .. } => Failure::Input(format!(
                "{source}: {e}; --column applies to every vector file of the command"
            )),
            e => Failure::Input(format!("{source}: {e}")),
        })
}

/// Reads and parses a matrix; errors name the source and the position.
pub(crate) fn read_matrix(source: &Source) -> Result<MatrixEntries, Failure> {
    source
        .read_text()
        .and_then(|text| parse_matrix(&text))
        .map_err(|e| Failure::Input(format!("{source}: {e}")))
}

/// The message for a vector the library refused, with the entry's index
/// (from 0) and its place in the file (lines and columns from 1):
/// `index 1 (line 1, column 6): negative value (-0.5) is not allowed`.
pub(crate) fn invalid(error: &Error, entries: &Entries) -> String {
    let position = error.index().and_then(|i| entries.position(i));
    match (position, error) {
        (Some(at), Error::NotANumber { .. }) => format!("{at}: NaN is not allowed"),
        (Some(at), Error::Infinite { value, .. }) => {
            format!("{at}: infinite value ({value}) is not allowed")
        }
        (Some(at), Error::Negative { value, .. }) => {
            format!("{at}: negative value ({value}) is not allowed")
        }
        (Some(at), other) => format!("{at}: {other}"),
        (None, Error::SumNotOne { .. }) => format!("{error}; pass --normalize to rescale"),
        (None, other) => other.to_string(),
    }
}

/// The message for a matrix entry the library refused, with its row and
/// index within the row (from 0, as `emd` names a plan entry (i, j)) and its
/// place in the file: `index (0, 2) (line 1, column 5): NaN is not allowed`.
pub(crate) fn invalid_entry(error: &Error, matrix: &MatrixEntries) -> String {
    let at = |row: usize, column: usize| matrix.position(row * matrix.cols() + column);
    match *error {
        Error::EntryNotANumber { row, column } => match at(row, column) {
            Some(at) => format!("{at}: NaN is not allowed"),
            None => error.to_string(),
        },
        Error::EntryInfinite { row, column, value } => match at(row, column) {
            Some(at) => format!("{at}: infinite value ({value}) is not allowed"),
            None => error.to_string(),
        },
        Error::EntryNegative { row, column, value } => match at(row, column) {
            Some(at) => format!("{at}: negative value ({value}) is not allowed"),
            None => error.to_string(),
        },
        _ => error.to_string(),
    }
}

/// Refuses a command line on which more than one file is `-`: standard
/// input can be read only once.
pub(crate) fn refuse_stdin_twice(named: &[(&str, Option<&PathBuf>)]) -> Result<(), Failure> {
    let dashes: Vec<&str> = named
        .iter()
        .filter(|(_, path)| path.is_some_and(|p| Source::from_arg(p) == Source::Stdin))
        .map(|(flag, _)| *flag)
        .collect();
    if dashes.len() > 1 {
        return Err(Failure::Input(format!(
            "{} cannot {} be '-': standard input can be read only once",
            dashes.join(" and "),
            if dashes.len() == 2 { "both" } else { "all" }
        )));
    }
    Ok(())
}
